"""How long a patient's path through the current questionnaire takes: a count, not a timing.

    .venv/bin/python bench/patient_path.py [--json]

Walks the path as a patient on a phone would, with JavaScript and without it (landing page, Start, every step,
the review with its declaration and signature, the confirmation) through Django's test client,
twice: with the no-risk answers of `screening.demo` (one follow-up opens: the eyes, for the
face), and with a complex patient's (`COMPLEX_ANSWERS`: several positive and "not sure"
answers, each opening its follow-up). It counts from the pages the server sends:

- questions shown: the step questions the patient sees (follow-ups that do not apply are hidden
  from the first paint, class js-hidden, and not counted). Without JavaScript, the follow-ups
  that come to apply are asked on a next page of the step: each page is read as it comes;
- words to read: the visible words of each page's <main> (headings, intros, questions, help,
  every choice's label, buttons, the declaration), read before the page is answered, plus the
  words of each follow-up the answers open on that page (its question, help and choices, from
  the questionnaire: they appear as the patient answers); not the notes for readers without JavaScript,
  not hidden follow-ups, not text for screen readers only, and not the review page's list of the
  patient's own answers, which is checked at a glance (its words are printed apart);
- taps: one per radio, tick box, text box, month list, date box and button pressed;
- keystrokes: the characters typed (names, email, phone, date of birth, "None", the signature).

The estimate in minutes uses published figures for the rates:
- reading: 238 words a minute, the average silent reading rate of English non-fiction by adults
  (Brysbaert M., "How many words do we read per minute? A review and meta-analysis of reading
  rate", Journal of Memory and Language 109, 104047, 2019);
- a tap: 1.3 s, the Keystroke-Level Model's pointing (P = 1.1 s) plus pressing (B = 0.2 s)
  (Card S.K., Moran T.P., Newell A., "The Keystroke-Level Model for User Performance Time with
  Interactive Systems", Communications of the ACM 23(7), 396-410, 1980);
- a decision: 1.35 s of mental preparation (the same model's M) for each question answered;
- typing: 0.33 s a character, from 36.2 words a minute of 5 characters, the mean on a phone of
  37,000 volunteers (Palin K. et al., "How do People Type on Mobile Devices? Observations from a
  Study with 37,000 Volunteers", MobileHCI 2019).
The goal: the healthy path under 9 minutes; the landing page promises "8 to 10 minutes"
(`LANDING_MINUTES`), the healthy path's figure to the complex one's.

The returning patient's path (`walk_returning`): the healthy patient, back for the next session
of a series (treated here 4 weeks ago, last form 10 weeks ago), through the short re-screen with
nothing changed: the link's date-of-birth check and the welcome page apart (like the landing
page), each step read once as it comes, one tap and one decision per question answered and per
card confirmed ("Still true"), the carried lines on the cards glanced at like the review's list
of answers (counted apart), the declaration and the signature on the check page. Goal: under 3
minutes (`RETURNING_TARGET_MINUTES`). The date-of-birth check is measured apart
(`date_of_birth_check_seconds_not_counted`: its page read, the date typed, Continue).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

WORDS_PER_MINUTE = 238
SECONDS_PER_TAP = 1.1 + 0.2
SECONDS_PER_DECISION = 1.35
SECONDS_PER_CHARACTER = 60 / (36.2 * 5)
TARGET_MINUTES = 9
RETURNING_TARGET_MINUTES = 3
# What the landing page promises: "Most people finish in 8 to 10 minutes" (tests/bench checks
# that the healthy path rounds to the first and the complex path stays within the second).
LANDING_MINUTES = (8, 10)

# A complex (not unusual) patient, the third of the clinical review's ordinary patients: 61, sun
# damage on the face, chest and hands, a water pill, an asthma inhaler, spots frozen that may
# have been cancer ("not sure"), bruises easily, a garden tan 3 weeks ago.
COMPLEX_CHANGES = {
    "skin_concerns": ["fine_lines", "sun_damage", "age_spots"],
    "main_concern": "sun_damage",
    "treatment_areas": ["face", "chest", "hands"],
    "concern_impact": "moderately",
    "appearance_time": "under_1h",
    "appearance_avoid": "no",
    "skin_type_self": "III",
    "last_significant_sun": "within_4_weeks",
    "medicines_any": ["sun_sensitising"],
    "photosensitising_meds": ["diuretic"],
    "current_medications_text": "Hydrochlorothiazide 25 mg, albuterol inhaler",
    "skin_history": ["not_sure"],
    "skin_history_unsure": ["skin_cancer"],
    "health_conditions": ["heart_lung", "easy_bruising"],
}

# Not read on the way: the parts of a page a browser with JavaScript does not show, or shows to
# screen readers only, and the honeypot (screening/patient/honeypot.py).
_UNSEEN_CLASSES = frozenset(
    {"js-hidden", "condition-text", "visually-hidden", "visually-hidden-focusable", "hp-field"}
)
_UNSEEN_TAGS = frozenset({"script", "style", "noscript", "template", "title", "option"})
_VOID_TAGS = frozenset({"input", "br", "hr", "img", "link", "meta", "source", "wbr"})
_WORD = re.compile(r"[\w’'-]+")


class _VisibleText(HTMLParser):
    """The visible text of <main> as blocks of words (one per run of text between tags), with
    the words inside elements of `apart_class` kept apart."""

    def __init__(self, apart_class: str = "review-answers"):
        super().__init__(convert_charrefs=True)
        self.apart_class = apart_class
        self.unseen_classes = _UNSEEN_CLASSES
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, unseen, apart)
        self.in_main = False
        self.blocks: list[tuple[str, ...]] = []
        self.apart: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "main":
            self.in_main = True
        if tag in _VOID_TAGS:
            if tag == "input" and attributes.get("type") == "submit":
                self._add(attributes.get("value", ""))
            return
        unseen = (
            tag in _UNSEEN_TAGS
            or "hidden" in attributes
            or bool(classes & self.unseen_classes)
            or any(item[1] for item in self.stack)
        )
        apart = self.apart_class in classes or any(item[2] for item in self.stack)
        self.stack.append((tag, unseen, apart))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.in_main and not any(item[1] for item in self.stack):
            self._add(data)

    def _add(self, text: str) -> None:
        words = tuple(_WORD.findall(text))
        if any(item[2] for item in self.stack):
            self.apart.extend(words)
        elif words:
            self.blocks.append(words)


def visible_words(html: str, already_read: set, *, javascript: bool = True) -> tuple[int, int]:
    """(words to read, words of the review's list of answers) on a page. A block of text of
    more than 3 words met on an earlier page of the path (the note on saving that closes every
    step) is recognised, not read again: it is added to `already_read` and counted once.

    Without JavaScript the notes on when to answer a follow-up (condition-text) are read, except
    on a step's next page of follow-ups (a form of class "continued"), which leaves them out."""
    parser = _VisibleText()
    if not javascript and 'class="step-form continued"' not in html:
        parser.unseen_classes = _UNSEEN_CLASSES - {"condition-text"}
    parser.feed(html)
    words = 0
    for block in parser.blocks:
        if len(block) > 3 and block in already_read:
            continue
        already_read.add(block)
        words += len(block)
    return words, len(parser.apart)


_WRAPPER = re.compile(r'<div id="div_id_(\w+)" class="([^"]*)"')
_ASKED = re.compile(r'name="asked" value="(\w+)"')


def shown_question_ids(html: str) -> list[str]:
    """The questions a page shows from its first paint (wrappers without class js-hidden)."""
    return [
        match[1]
        for match in _WRAPPER.finditer(html)
        if "js-hidden" not in match[2].split() and match[1] != "website"  # the honeypot
    ]


def setup_django(database: Path) -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _effort(question, value) -> tuple[int, int]:
    """(taps, keystrokes) to give `value` to `question`, as a patient on a phone would."""
    from screening.questionnaire import UNKNOWN, Kind

    if question.kind is Kind.DATE:
        return 3, len(value.replace("-", ""))  # three boxes, each tapped and typed
    if question.kind is Kind.MONTH_YEAR:
        return (1, 0) if value == UNKNOWN else (3, 4)  # the list, its month, the year box
    if question.kind is Kind.MULTI:
        return len(value), 0
    if question.choices:
        return 1, 0
    return 1, len(value)  # a text box: tapped, then typed


def _followup_words(question) -> int:
    """The words of a follow-up that opens as the patient answers: its question, help and
    choices (a month's list is read as one choice, and "I don't remember" is 3 words)."""
    from screening.questionnaire import Kind

    text = [str(question.label), str(question.help_text)]
    text += [str(choice.label) for choice in question.choices]
    extra = 2 + (3 if question.allow_unknown else 0) if question.kind is Kind.MONTH_YEAR else 0
    return sum(len(_WORD.findall(part)) for part in text) + extra


def complex_answers() -> dict:
    from screening.demo import no_risk_answers

    return no_risk_answers(**COMPLEX_CHANGES)


def walk(answers: dict | None = None, *, javascript: bool = True) -> dict:
    """A patient's path (default: the healthy patient's), counted, with JavaScript (follow-ups
    open in place as the patient answers) or without (the follow-ups that come to apply are
    asked on a next page of the step, each page read as the server sends it)."""
    from django.test import Client
    from django.utils import timezone

    from screening.demo import no_risk_answers
    from screening.questionnaire import current
    from screening.questionnaire.validation import validate_answers
    from tests.patient_steps import SIGNED, post_data_for, step_url

    answers = no_risk_answers() if answers is None else answers
    definition = current()
    stored = validate_answers(answers, today=timezone.localdate(), version=definition.version)
    assert stored.is_valid, stored.errors
    client = Client()
    pages = {}
    already_read: set = set()
    words_apart = 0
    questions_shown = taps = keystrokes = decisions = 0

    def read(name: str, html: str) -> None:
        nonlocal words_apart
        words, apart = visible_words(html, already_read, javascript=javascript)
        pages[name] = words
        words_apart += apart

    # The landing page (which promises "about 10 minutes") is read before the path starts, and
    # the confirmation after it ends: both are counted, and printed, apart.
    landing = visible_words(client.get("/").content.decode(), set())[0]
    client.post("/start/")
    taps += 1  # Start

    def asked(question) -> None:
        nonlocal questions_shown, decisions, taps, keystrokes
        questions_shown += 1
        if question.id in stored.answers and (question.required or question.choices):
            decisions += 1
            tapped, typed = _effort(question, stored.answers[question.id])
            taps, keystrokes = taps + tapped, keystrokes + typed

    for section in definition.first_visit_sections:
        if javascript:
            read(section.slug, client.get(step_url(section)).content.decode())
            for question in section.step_questions:
                if not question.is_shown(stored.answers):
                    continue
                if question.show_if is not None:
                    pages[section.slug] += _followup_words(question)
                asked(question)
            response = client.post(
                step_url(section),
                {**post_data_for(section, stored.answers), "nav": "next", "js": "1"},
            )
            taps += 1  # Continue
        else:
            url, page = step_url(section), 0
            while True:
                html = client.get(url).content.decode()
                read(section.slug + (f" (next page {page})" if page else ""), html)
                shown = shown_question_ids(html)
                for question_id in shown:
                    asked(definition.questions[question_id])
                on_page = {qid: v for qid, v in stored.answers.items() if qid in shown}
                response = client.post(
                    url,
                    {
                        **post_data_for(section, on_page),
                        "asked": _ASKED.findall(html),
                        "nav": "next",
                    },
                )
                taps += 1  # Continue
                if not response.get("Location", "").endswith("?more=1"):
                    break
                url, page = response["Location"], page + 1
        assert response.status_code == 302, (section.key, response.status_code)
    read("review", client.get("/review/").content.decode())
    review_questions = definition.review_questions
    questions_shown += len(review_questions) + 1  # the declaration, the acknowledgement, the name
    decisions += len(review_questions) + 1
    taps += len(review_questions) + 1 + 1  # two tick boxes, the name box, Send
    keystrokes += len(SIGNED["signature_name"])
    response = client.post("/review/", SIGNED)
    assert response.status_code == 302, response.status_code
    confirmation = visible_words(client.get(response["Location"]).content.decode(), set())[0]

    words = sum(pages.values())
    seconds = {
        "reading": words / WORDS_PER_MINUTE * 60,
        "taps": taps * SECONDS_PER_TAP,
        "decisions": decisions * SECONDS_PER_DECISION,
        "typing": keystrokes * SECONDS_PER_CHARACTER,
    }
    minutes = sum(seconds.values()) / 60
    return {
        "version": definition.version,
        "javascript": javascript,
        "questions_shown": questions_shown,
        "words_to_read": words,
        "words_by_page": pages,
        "review_answers_words_not_counted": words_apart,
        "landing_and_confirmation_words_not_counted": landing + confirmation,
        "taps": taps,
        "keystrokes": keystrokes,
        "seconds": {part: round(value) for part, value in seconds.items()},
        "minutes": round(minutes, 1),
        "target_minutes": TARGET_MINUTES,
        "met": minutes < TARGET_MINUTES,
    }


# The returning patient's answers today, nothing changed since the last form (series session).
RETURNING_STEPS = (
    ("since-your-last-visit", {"last_session_problems": ["none"], "since_last_treatments": "no"}),
    (
        "your-skin-today",
        {
            "current_skin_problems_area": ["none"],
            "last_significant_sun": "over_2_months",
            "pregnancy_status": "not_applicable",
            "isotretinoin_ever": "no",
            "since_last_medicines": "no",
        },
    ),
    ("is-this-still-true", {}),
)


def _returning_patient(today):
    """The healthy patient's first submission 10 weeks ago and a series invitation for the
    next session (treated here 4 weeks ago); returns the invitation's link (a path)."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from screening.demo import no_risk_answers
    from screening.invitations.service import invitation_create
    from screening.models import Invitation
    from screening.patient.submission import submission_create

    answers = no_risk_answers()
    previous = submission_create(
        draft_key=str(uuid.uuid4()),
        answers=answers,
        today=today - timedelta(weeks=10),
        signature_name="Ana Patient",
    )
    created = invitation_create(
        actor=None,
        first_name=answers["first_name"],
        last_name=answers["last_name"],
        phone=answers["phone"],
        appointment_at=timezone.now() + timedelta(days=5),
    )
    Invitation.objects.filter(pk=created.invitation.pk).update(
        previous_submission=previous,
        visit_type="series_session",
        treatment_date=today - timedelta(weeks=4),
    )
    return created.link[created.link.index("/i/") :], answers


def walk_returning(*, javascript: bool = True) -> dict:
    """The returning patient's path through the short re-screen, nothing changed, counted as
    `walk` counts the first visit's."""
    from datetime import date

    from django.test import Client
    from django.utils import timezone

    from screening.questionnaire import current

    definition = current()
    link, answers = _returning_patient(timezone.localdate())
    client = Client()
    client.get(link)
    # The link's date-of-birth check: not counted, by the contract's convention (like the
    # landing page), but measured, so that the figure says what it leaves out: the page read,
    # the date typed (as the first visit's question counts it), one decision, Continue.
    gate_words = visible_words(client.get("/continue/").content.decode(), set())[0]
    gate_taps, gate_keys = _effort(definition.questions["date_of_birth"], answers["date_of_birth"])
    gate_seconds = (
        gate_words / WORDS_PER_MINUTE * 60
        + (gate_taps + 1) * SECONDS_PER_TAP
        + SECONDS_PER_DECISION
        + gate_keys * SECONDS_PER_CHARACTER
    )
    born = date.fromisoformat(answers["date_of_birth"])
    gate = {
        "date_of_birth_day": born.day,
        "date_of_birth_month": born.month,
        "date_of_birth_year": born.year,
    }
    assert client.post("/continue/", gate).status_code == 302
    pages: dict[str, int] = {}
    already_read: set = set()
    words_apart = 0
    questions_shown = cards = taps = keystrokes = decisions = 0

    def read(name: str, html: str) -> None:
        nonlocal words_apart
        words, apart = visible_words(html, already_read, javascript=javascript)
        pages[name] = words
        words_apart += apart

    # The welcome page, like the landing page, is read before the path starts: counted apart.
    landing = visible_words(client.get("/again/").content.decode(), set())[0]
    taps += 1  # Start
    for slug, given in RETURNING_STEPS:
        url = f"/again/{slug}/"
        html = client.get(url).content.decode()
        read(slug, html)
        shown = shown_question_ids(html)
        for question_id in shown:
            questions_shown += 1
            if question_id in given:
                decisions += 1
                tapped, typed = _effort(definition.questions[question_id], given[question_id])
                taps, keystrokes = taps + tapped, keystrokes + typed
        for card in re.findall(r'name="nav" value="confirm-(\w+)"', html):
            cards, taps, decisions = cards + 1, taps + 1, decisions + 1  # "Still true"
            response = client.post(url, {"nav": f"confirm-{card}"})
            assert response.status_code == 302, (slug, card)
        post = {**given, "nav": "next", "asked": _ASKED.findall(html)}
        if javascript:
            post["js"] = "1"
        response = client.post(url, post)
        taps += 1  # Continue
        assert response.status_code == 302 and slug not in response["Location"], slug
    html = client.get("/again/check/").content.decode()
    read("check", html)
    declared = [q for q in definition.review_questions if f'name="{q.id}"' in html]
    questions_shown += len(declared) + 1  # the declaration and the name
    decisions += len(declared) + 1
    taps += len(declared) + 1 + 1  # the tick box, the name box, Send
    from tests.patient_steps import SIGNED

    keystrokes += len(SIGNED["signature_name"])
    response = client.post(
        "/again/check/",
        {**{q.id: "yes" for q in declared}, "signature_name": SIGNED["signature_name"]},
    )
    assert response["Location"] == "/thank-you/", response.status_code
    confirmation = visible_words(client.get("/thank-you/").content.decode(), set())[0]
    words = sum(pages.values())
    seconds = {
        "reading": words / WORDS_PER_MINUTE * 60,
        "taps": taps * SECONDS_PER_TAP,
        "decisions": decisions * SECONDS_PER_DECISION,
        "typing": keystrokes * SECONDS_PER_CHARACTER,
    }
    minutes = sum(seconds.values()) / 60
    return {
        "version": definition.version,
        "javascript": javascript,
        "questions_shown": questions_shown,
        "cards_confirmed": cards,
        "words_to_read": words,
        "words_by_page": pages,
        "review_answers_words_not_counted": words_apart,
        "landing_and_confirmation_words_not_counted": landing + confirmation,
        "date_of_birth_check_seconds_not_counted": round(gate_seconds),
        "taps": taps,
        "keystrokes": keystrokes,
        "seconds": {part: round(value) for part, value in seconds.items()},
        "minutes": round(minutes, 1),
        "target_minutes": RETURNING_TARGET_MINUTES,
        "met": minutes < RETURNING_TARGET_MINUTES,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "path.sqlite3")
        figures = walk()
        complex_figures = walk(complex_answers())
        without = walk(javascript=False)
        complex_without = walk(complex_answers(), javascript=False)
        returning = walk_returning()
        returning_without = walk_returning(javascript=False)
    if options.json:
        print(
            json.dumps(
                {
                    "healthy": figures,
                    "complex": complex_figures,
                    "healthy_without_javascript": without,
                    "complex_without_javascript": complex_without,
                    "returning": returning,
                    "returning_without_javascript": returning_without,
                }
            )
        )
        return
    report("Healthy patient's path", figures)
    verdict = "ok" if figures["met"] else "MISS"
    print(f"  {verdict} (target < {TARGET_MINUTES} min)")
    report("Healthy patient's path", without)
    report("Complex patient's path", complex_figures)
    report("Complex patient's path", complex_without)
    report("Returning patient's path (series, nothing changed)", returning)
    print(
        "  not counted either: the link's date-of-birth check "
        f"(~{returning['date_of_birth_check_seconds_not_counted']} s)"
    )
    verdict = "ok" if returning["met"] else "MISS"
    print(f"  {verdict} (target < {RETURNING_TARGET_MINUTES} min)")
    report("Returning patient's path (series, nothing changed)", returning_without)
    low, high = LANDING_MINUTES
    within = round(figures["minutes"]) >= low and complex_figures["minutes"] <= high
    print(
        f'Landing page: "Most people finish in {low} to {high} minutes": '
        + ("matches" if within else "DOES NOT MATCH")
        + f" (healthy {figures['minutes']}, complex {complex_figures['minutes']})"
    )


def report(title: str, figures: dict) -> None:
    javascript = "with" if figures["javascript"] else "without"
    print(f"{title}, questionnaire {figures['version']} ({javascript} JavaScript):")
    print(f"  questions shown   {figures['questions_shown']}")
    if "cards_confirmed" in figures:
        print(f"  cards confirmed   {figures['cards_confirmed']}")
    pages = ", ".join(f"{name} {count}" for name, count in figures["words_by_page"].items())
    print(f"  words to read     {figures['words_to_read']}  ({pages})")
    print(
        "  not counted: the review's list of the patient's own answers "
        f"({figures['review_answers_words_not_counted']} words, glanced at), the landing page "
        f"and the confirmation ({figures['landing_and_confirmation_words_not_counted']} words, "
        "before and after the path)"
    )
    print(f"  taps              {figures['taps']}")
    print(f"  keystrokes        {figures['keystrokes']}")
    seconds = figures["seconds"]
    print(
        f"  estimate          {figures['minutes']} min = reading {seconds['reading']} s "
        f"({WORDS_PER_MINUTE} wpm) + taps {seconds['taps']} s ({SECONDS_PER_TAP} s each) + "
        f"decisions {seconds['decisions']} s ({SECONDS_PER_DECISION} s a question) + typing "
        f"{seconds['typing']} s ({SECONDS_PER_CHARACTER:.2f} s a character)"
    )


if __name__ == "__main__":
    main()
