"""The data dictionary: every question of every questionnaire version and every flag rule, made
from the code as Markdown and CSV (`manage.py data_dictionary` writes them to
docs/data-dictionary/; with `--check` it fails when the committed files are stale).

For each question: its section, id, kind, labels in English and Spanish, choice keys with their
labels, when it is shown, and the flag rules that read its answer. For each rule: its code, plain
label, severity, the rule in plain words, the windows it measures, the questions it reads, its
sources, whether it needs the provider's modality, and its standing note.

Which rules read a question comes from the conditions themselves: `Rule.reads(version)`, made
of what each condition of screening/flags/conditions.py records that it reads.

Deterministic: versions in the order they were introduced, questions in the order they are asked,
rules in the order of the flag labels' sections, no dates, and always the default ⚙ windows (a
clinic's SCREENING_FLAG_POLICY is not read), so the committed files are the same on any machine.
Pure, and on the flags floor: the sources' titles (kept by the provider workspace, a floor above)
are handed in by the caller.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Protocol

from django.utils import translation

from screening.flags.catalogue import CATALOGUE, Rule
from screening.flags.labels import SECTIONS as LABEL_SECTIONS
from screening.flags.labels import flag_label
from screening.flags.policy import DEFAULT_POLICY, RULES_VERSION, Policy
from screening.flags.provider_checks import PROVIDER_RULES
from screening.questionnaire import (
    UNKNOWN,
    AnswerIs,
    Kind,
    Picked,
    PickedMoreThanOne,
    Question,
    Timing,
)
from screening.questionnaire.answer_types import text_limit
from screening.questionnaire.versions import CURRENT_VERSION, DEFINITIONS, ORDER
from screening.questionnaire.visit import OnVisit

# The rules the dictionary lists: the catalogue, then those the provider's input raises.
RULES: tuple[Rule, ...] = (*CATALOGUE, *PROVIDER_RULES.values())
OTHER_GROUP = "Other"
SPANISH = "es"
INDEX = "README.md"
FLAGS_MD = "flags.md"
FLAGS_CSV = "flags.csv"
_TEXT_KINDS = (Kind.TEXT, Kind.EMAIL, Kind.PHONE)


def questionnaire_md(version: str) -> str:
    return f"questionnaire-{version}.md"


def questionnaire_csv(version: str) -> str:
    return f"questionnaire-{version}.csv"


class CitedSource(Protocol):
    """What the dictionary shows of a source (as screening.workspace.sources.Source has)."""

    title: str
    url: str


# --- Questions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceEntry:
    key: str
    label_en: str
    label_es: str


@dataclass(frozen=True)
class QuestionEntry:
    version: str
    section_number: int
    section_key: str
    section_title_en: str
    section_title_es: str
    question_id: str
    kind: str
    required: bool
    asked_at_review: bool
    label_en: str
    label_es: str
    help_en: str
    help_es: str
    choices: tuple[ChoiceEntry, ...]
    validation: str  # what an answer must be beyond its kind and choices; "" for nothing more
    shown_when: str  # "shown when <question id> is <keys>"; "" when always asked
    flags: tuple[str, ...]  # the codes of the rules that read the answer, sorted


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


# A re-screen question's condition reads the visit, not an answer.
_ON_VISIT_WORDS = {
    "rescreen": "shown on a return visit",
    "treated_here": "shown on a return visit when the clinic treated the patient since the "
    "previous form",
    "new_consultation_after_treatment": "shown on a new consultation after a treatment here",
    "previous_answered": "shown on a return visit when the previous submission answered {keys}",
}


def shown_when(question: Question) -> str:
    """When `question` is asked, in plain words ("shown when isotretinoin_ever is yes or
    unsure"); "" for a question always asked."""
    show_if = question.show_if
    if show_if is None:
        return ""
    if isinstance(show_if, OnVisit):
        return _ON_VISIT_WORDS[show_if.test].format(keys=" and ".join(show_if.values))
    keys = " or ".join(show_if.values)
    if isinstance(show_if, AnswerIs):
        return f"shown when {show_if.question_id} is {keys}"
    if isinstance(show_if, Picked):
        return f"shown when {show_if.question_id} includes {keys}"
    if isinstance(show_if, PickedMoreThanOne):
        return f"shown when {show_if.question_id} has more than one answer"
    raise TypeError(f"{question.id}: no plain words for the condition {show_if!r}")


def validation(question: Question) -> str:
    """What an answer must be beyond its kind and choices, in plain words."""
    parts = []
    if question.kind in _TEXT_KINDS:
        parts.append(f"at most {text_limit(question)} characters")
    if question.long:
        parts.append("several lines allowed")
    if question.checkbox:
        parts.append("a tick box: yes when ticked, no when not")
    if question.timing is Timing.PAST:
        parts.append("not in the future")
    elif question.timing is Timing.FUTURE:
        parts.append("not in the past")
    if question.allow_unknown:
        parts.append(f'or {UNKNOWN} ("I don\'t remember")')
    if question.among:
        parts.append(f"one of the answers picked for {question.among}")
    return "; ".join(parts)


def rules_reading(version: str) -> dict[str, tuple[str, ...]]:
    """Question id -> the codes of the rules that read its answer on `version`, sorted."""
    reading: dict[str, set[str]] = {}
    for rule in RULES:
        for question_id in rule.reads(version):
            reading.setdefault(question_id, set()).add(rule.code)
    return {question_id: tuple(sorted(codes)) for question_id, codes in reading.items()}


def question_entries(version: str) -> list[QuestionEntry]:
    """Every question of `version`, in the order asked (section by section)."""
    reading = rules_reading(version)
    return [
        QuestionEntry(
            version=version,
            section_number=number,
            section_key=part.key,
            section_title_en=_in("en", part.title),
            section_title_es=_in(SPANISH, part.title),
            question_id=question.id,
            kind=question.kind.value,
            required=question.required,
            asked_at_review=question.asked_at_review,
            label_en=_in("en", question.label),
            label_es=_in(SPANISH, question.label),
            help_en=_in("en", question.help_text),
            help_es=_in(SPANISH, question.help_text),
            choices=tuple(
                ChoiceEntry(choice.key, _in("en", choice.label), _in(SPANISH, choice.label))
                for choice in question.choices
            ),
            validation=validation(question),
            shown_when=shown_when(question),
            flags=reading.get(question.id, ()),
        )
        for number, part in enumerate(DEFINITIONS[version].sections, start=1)
        for question in part.questions
    ]


# --- Flags -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagEntry:
    group: str
    code: str
    label: str
    severity: str
    rule: str  # in plain words, with the default windows
    reads: tuple[tuple[str, tuple[str, ...]], ...]  # (question id, the versions it is read on)
    windows: tuple[tuple[str, int], ...]  # (Policy field, its default)
    sources: tuple[tuple[str, str], ...]  # (id, title)
    modalities: tuple[str, ...]  # the modalities it needs; () for none
    raised_from: str
    note: str


def _groups() -> list[tuple[str, list[Rule]]]:
    """The rules under the sections of the flag labels, in their order; a rule those do not
    list comes last, under "Other"."""
    by_code = {rule.code: rule for rule in RULES}
    groups = []
    for title, rows in LABEL_SECTIONS:
        rules = [by_code.pop(code) for code, _label in rows if code in by_code]
        if rules:
            groups.append((title, rules))
    if by_code:
        groups.append((OTHER_GROUP, list(by_code.values())))
    return groups


def _versions_reading(rule: Rule, question_id: str) -> tuple[str, ...]:
    """The versions that ask `question_id` and on whose answers `rule` reads it."""
    return tuple(
        version
        for version in ORDER
        if question_id in DEFINITIONS[version].questions and question_id in rule.reads(version)
    )


def _raised_from(rule: Rule) -> str:
    if rule.code in PROVIDER_RULES:
        return "the provider's input at the decision"
    if rule.needs_modality:
        modalities = " or ".join(sorted(rule.modalities))
        return f"the answers, once the provider records the modality {modalities}"
    return "the answers"


def _title(sources: Mapping[str, CitedSource], source_id: str) -> str:
    source = sources.get(source_id)
    return source.title if source is not None else source_id


def flag_entries(sources: Mapping[str, CitedSource]) -> list[FlagEntry]:
    """Every rule, grouped as the flag labels are; `sources` gives a source id its title (an
    id it lacks is its own title)."""
    return [
        FlagEntry(
            group=group,
            code=rule.code,
            label=flag_label(rule.code),
            severity=str(rule.severity.label),
            rule=rule.describe(DEFAULT_POLICY),
            reads=tuple(
                (question_id, _versions_reading(rule, question_id)) for question_id in rule.reads()
            ),
            windows=tuple((name, getattr(DEFAULT_POLICY, name)) for name in rule.windows),
            sources=tuple((source_id, _title(sources, source_id)) for source_id in rule.sources),
            modalities=tuple(sorted(rule.modalities)),
            raised_from=_raised_from(rule),
            note=rule.note,
        )
        for group, rules in _groups()
        for rule in rules
    ]


def _source_order(source_id: str) -> tuple[str, int, str]:
    """S2 before S10: the letters, then the number."""
    match = re.fullmatch(r"([A-Za-z]*)(\d+)", source_id)
    return (match[1], int(match[2]), "") if match else (source_id, 0, "")


# --- Markdown --------------------------------------------------------------------------------


def _md(text) -> str:
    """Text for a Markdown table cell: `\\`, `|`, `[`, `]`, `<` and `>` escaped, lines joined
    by <br>."""
    text = str(text)
    for character in ("\\", "|", "[", "]", "<", ">"):
        text = text.replace(character, "\\" + character)
    return "<br>".join(line.strip() for line in text.splitlines())


def _code(text: str) -> str:
    return f"`{_md(text)}`"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _page(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


GENERATED = (
    "Generated from the code by `manage.py data_dictionary`: do not edit it by hand "
    "([README.md](README.md) says how to regenerate it)."
)


def _version_title(version: str) -> str:
    return f"{version} (current)" if version == CURRENT_VERSION else version


def _kind_cell(entry: QuestionEntry) -> str:
    notes = [entry.kind]
    if not entry.required:
        notes.append("optional")
    if entry.asked_at_review:
        notes.append("asked on the review page")
    if entry.validation:
        notes.append(entry.validation)
    return "<br>".join(_md(note) for note in notes)


def questionnaire_markdown(version: str) -> str:
    entries = question_entries(version)
    sections = list(dict.fromkeys(entry.section_number for entry in entries))
    lines = [
        f"# Questionnaire {_version_title(version)}",
        "",
        GENERATED,
        "",
        f"{len(entries)} questions in {len(sections)} sections, in the order they are asked. "
        "Each choice is its stored key, then its English / Spanish label. *Flags* are the flag "
        f"rules that read the answer ([{FLAGS_MD}]({FLAGS_MD})). The same as one table: "
        f"[{questionnaire_csv(version)}]({questionnaire_csv(version)}).",
    ]
    for number in sections:
        rows = [entry for entry in entries if entry.section_number == number]
        first = rows[0]
        lines += [
            "",
            f"## {number}. {_md(first.section_title_en)} ({_code(first.section_key)})",
            "",
            f"Spanish: {_md(first.section_title_es)}",
            "",
        ]
        lines += _table(
            ["Id", "Kind", "Label (English)", "Label (Spanish)", "Choices", "Shown", "Flags"],
            [
                [
                    _code(entry.question_id),
                    _kind_cell(entry),
                    _md(entry.label_en),
                    _md(entry.label_es),
                    "<br>".join(
                        f"{_code(choice.key)}: {_md(choice.label_en)} / {_md(choice.label_es)}"
                        for choice in entry.choices
                    ),
                    _md(entry.shown_when or "always"),
                    ", ".join(_code(code) for code in entry.flags),
                ]
                for entry in rows
            ],
        )
    return _page(lines)


def _reads_cell(reads: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    cells = []
    for question_id, versions in reads:
        if versions == ORDER:
            cells.append(_code(question_id))
        elif versions:
            cells.append(f"{_code(question_id)} ({', '.join(versions)} only)")
        else:
            cells.append(f"{_code(question_id)} (no version asks it)")
    return ", ".join(cells)


def flags_markdown(sources: Mapping[str, CitedSource]) -> str:
    entries = flag_entries(sources)
    measured_by: dict[str, list[str]] = {}
    for entry in entries:
        for name, _default in entry.windows:
            measured_by.setdefault(name, []).append(entry.code)
    lines = [
        "# Flag rules",
        "",
        GENERATED,
        "",
        f"Rules version {RULES_VERSION}: {len(entries)} rules. Each rule is in plain words with "
        "the **default** ⚙ windows (below; a clinic's `SCREENING_FLAG_POLICY` may change "
        "them). *Reads* are the questions whose answers the rule looks at, taken from its "
        "condition; one it does not read on every questionnaire version (a version does not "
        "ask it, or the rule reads it on one version's answers only) names the versions it "
        "reads it on. "
        f"The same as one table: [{FLAGS_CSV}]({FLAGS_CSV}).",
        "",
        "## ⚙ Policy windows",
        "",
        "A window's unit is the end of its name. A window that no rule measures is fixed by "
        "the wording of a question, and kept so that the clinic's policy is on record.",
        "",
    ]
    lines += _table(
        ["Window", "Default", "Rules that measure it"],
        [
            [
                _code(field.name),
                str(field.default),
                ", ".join(_code(code) for code in measured_by.get(field.name, ()))
                or "none (fixed by a question's wording)",
            ]
            for field in fields(Policy)
        ],
    )
    for group in dict.fromkeys(entry.group for entry in entries):
        members = [entry for entry in entries if entry.group == group]
        lines += ["", f"## {_md(group)}", ""]
        lines += _table(
            ["Code", "Label", "Severity", "Rule", "Reads", "Windows", "Sources", "Raised from"],
            [
                [
                    _code(entry.code),
                    _md(entry.label),
                    _md(entry.severity),
                    _md(entry.rule),
                    _reads_cell(entry.reads),
                    ", ".join(f"{_code(name)} = {default}" for name, default in entry.windows),
                    ", ".join(_md(source_id) for source_id, _title in entry.sources),
                    _md(entry.raised_from),
                ]
                for entry in members
            ],
        )
        notes: dict[str, list[str]] = {}
        for entry in members:
            if entry.note:
                notes.setdefault(entry.note, []).append(entry.code)
        if notes:
            lines += ["", "Notes:", ""]
            lines += [
                f"- {', '.join(_code(code) for code in codes)}: {_md(note)}"
                for note, codes in notes.items()
            ]
    cited = sorted(
        {source_id for entry in entries for source_id, _title in entry.sources},
        key=_source_order,
    )
    lines += ["", "## Sources", "", "The sources the rules cite.", ""]
    lines += _table(
        ["Id", "Source", "Link"],
        [
            [
                _md(source_id),
                _md(_title(sources, source_id)),
                f"<{sources[source_id].url}>" if getattr(sources.get(source_id), "url", "") else "",
            ]
            for source_id in cited
        ],
    )
    return _page(lines)


def index_markdown() -> str:
    lines = [
        "# Data dictionary",
        "",
        "What the questionnaire asks and what the flag rules read, generated from the code "
        "(as REDCap offers a data dictionary). Do not edit these files by hand: after changing "
        "a question, a translation or a rule, regenerate them with",
        "",
        "    .venv/bin/python manage.py data_dictionary",
        "",
        "(after `manage.py compile_translations`, which `make run` and `make test` do). "
        "`manage.py data_dictionary --check` writes nothing and fails, naming the files, when "
        "the committed ones differ from what the code generates; `make test` runs it.",
        "",
        "## Questionnaire versions",
        "",
        "Answers are always read with the version they were given on.",
        "",
    ]
    lines += _table(
        ["Version", "Sections", "Questions", "Markdown", "CSV"],
        [
            [
                _md(_version_title(version)),
                str(len(DEFINITIONS[version].sections)),
                str(len(DEFINITIONS[version].questions)),
                f"[{questionnaire_md(version)}]({questionnaire_md(version)})",
                f"[{questionnaire_csv(version)}]({questionnaire_csv(version)})",
            ]
            for version in ORDER
        ],
    )
    lines += [
        "",
        "## Flag rules",
        "",
        f"Rules version {RULES_VERSION}, {len(RULES)} rules, in plain words with the default "
        f"⚙ windows: [{FLAGS_MD}]({FLAGS_MD}), [{FLAGS_CSV}]({FLAGS_CSV}).",
        "",
        "## CSV columns",
        "",
        "UTF-8, comma-separated, one header row.",
        "",
        "Questionnaire (one row per question, in the order asked):",
        "",
    ]
    lines += _table(["Column", "Meaning"], [[_code(c), _md(m)] for c, m in QUESTION_COLUMNS])
    lines += ["", "Flags (one row per rule):", ""]
    lines += _table(["Column", "Meaning"], [[_code(c), _md(m)] for c, m in FLAG_COLUMNS])
    return _page(lines)


# --- CSV -------------------------------------------------------------------------------------

QUESTION_COLUMNS = (
    ("version", "the questionnaire version"),
    ("section_number", "the section's place in the questionnaire (1 first)"),
    ("section_key", "the section's key"),
    ("section_title_en", "the section's title in English"),
    ("section_title_es", "the section's title in Spanish"),
    ("question_id", "the question's id: the key of its answer in the stored answers"),
    (
        "kind",
        "the question's kind (text, email, phone, date, month_year, number, yes_no, "
        "yes_no_unsure, single, multi)",
    ),
    ("required", "yes or no"),
    ("asked_at_review", "yes when asked on the review page rather than on its section's step"),
    ("label_en", "the question in English"),
    ("label_es", "the question in Spanish"),
    ("help_en", "its help text in English"),
    ("help_es", "its help text in Spanish"),
    ("choices_en", 'the choices as "key, English label | key, English label"'),
    ("choices_es", 'the choices as "key, Spanish label | key, Spanish label"'),
    ("validation", "what an answer must be beyond its kind and choices"),
    (
        "shown_when",
        '"shown when <question id> is <keys>" (or "includes <keys>" for a multiple '
        "choice); empty when always asked",
    ),
    ("flags", "the codes of the flag rules that read the answer, space-separated"),
)

FLAG_COLUMNS = (
    ("group", "the section of the flag catalogue"),
    ("code", "the flag's code"),
    ("label", "its plain label"),
    ("severity", "Priority, Discuss or Info"),
    ("rule", "the rule in plain words, with the default windows"),
    (
        "reads",
        "the ids of the questions it reads, space-separated; id[version,...] when only those "
        "questionnaire versions ask it, or the rule reads it only on their answers",
    ),
    ("windows", "the ⚙ windows it measures, as field=default"),
    ("sources", "its source ids, space-separated"),
    ("source_titles", 'its sources as "id: title | id: title"'),
    ("needs_modality", "yes when raised only once a provider records a modality"),
    ("modalities", "the modalities it is raised for, space-separated"),
    ("raised_from", "what raises it: the answers, or the provider's input"),
    ("note", "the standing note shown with it where sources disagree"),
)


def _csv(header: Iterable[str], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _choices_text(choices: tuple[ChoiceEntry, ...], spanish: bool) -> str:
    # As REDCap writes choices: "key, label | key, label".
    return " | ".join(
        f"{choice.key}, {choice.label_es if spanish else choice.label_en}" for choice in choices
    )


def questionnaire_csv_text(version: str) -> str:
    return _csv(
        (name for name, _meaning in QUESTION_COLUMNS),
        (
            [
                entry.version,
                entry.section_number,
                entry.section_key,
                entry.section_title_en,
                entry.section_title_es,
                entry.question_id,
                entry.kind,
                _yes_no(entry.required),
                _yes_no(entry.asked_at_review),
                entry.label_en,
                entry.label_es,
                entry.help_en,
                entry.help_es,
                _choices_text(entry.choices, spanish=False),
                _choices_text(entry.choices, spanish=True),
                entry.validation,
                entry.shown_when,
                " ".join(entry.flags),
            ]
            for entry in question_entries(version)
        ),
    )


def _reads_text(reads: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    return " ".join(
        question_id if versions == ORDER else f"{question_id}[{','.join(versions)}]"
        for question_id, versions in reads
    )


def flags_csv_text(sources: Mapping[str, CitedSource]) -> str:
    return _csv(
        (name for name, _meaning in FLAG_COLUMNS),
        (
            [
                entry.group,
                entry.code,
                entry.label,
                entry.severity,
                entry.rule,
                _reads_text(entry.reads),
                " ".join(f"{name}={default}" for name, default in entry.windows),
                " ".join(source_id for source_id, _title in entry.sources),
                " | ".join(f"{source_id}: {title}" for source_id, title in entry.sources),
                _yes_no(bool(entry.modalities)),
                " ".join(entry.modalities),
                entry.raised_from,
                entry.note,
            ]
            for entry in flag_entries(sources)
        ),
    )


# --- The files -------------------------------------------------------------------------------


def dictionary_files(sources: Mapping[str, CitedSource]) -> dict[str, str]:
    """File name -> content, for every file of the dictionary (one directory, no subfolders)."""
    files = {INDEX: index_markdown()}
    for version in ORDER:
        files[questionnaire_md(version)] = questionnaire_markdown(version)
        files[questionnaire_csv(version)] = questionnaire_csv_text(version)
    files[FLAGS_MD] = flags_markdown(sources)
    files[FLAGS_CSV] = flags_csv_text(sources)
    return files
