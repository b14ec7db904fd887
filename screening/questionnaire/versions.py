"""The registry of questionnaire versions: a version string -> its frozen `Definition`.

A submission is read forever with the version it was answered on (`questionnaire_version` on the
row, or on a draft): every reader asks `definition_for(version)`, never "the current questions".
New drafts and submissions use `CURRENT_VERSION`.

Ids and choice keys are a contract: a question id or choice key, once published, keeps its kind
and meaning in every later version. An id retired from the bank goes into `RETIRED_IDS` with the
version it was retired as of: it may appear only in versions before that one (which stay readable
for the submissions made on them) and is never used again (tests/questionnaire/test_questionnaire.py
checks this over the whole registry).
"""

from __future__ import annotations

from screening.questionnaire import v2026_11, v2026_12, v2027_01, v2027_02
from screening.questionnaire.model import Definition

DEFINITIONS: dict[str, Definition] = {
    definition.version: definition
    for definition in (
        v2026_11.DEFINITION,
        v2026_12.DEFINITION,
        v2027_01.DEFINITION,
        v2027_02.DEFINITION,
    )
}
# The versions in the order they were introduced.
ORDER: tuple[str, ...] = tuple(DEFINITIONS)
CURRENT_VERSION = ORDER[-1]
# A draft saved before drafts recorded their version was started on this one.
LEGACY_DRAFT_VERSION = v2026_11.VERSION
# Question ids taken out of the bank -> the version they were retired as of. Each of 2027.01's is
# now a gateway item (the rules derive its old answer: screening/flags/derivation.py).
RETIRED_IDS: dict[str, str] = dict.fromkeys(
    (
        "current_tan_or_burn",
        "cold_sore_now",
        "changing_spot",
        "self_tanner_recent",
        "hair_removal_recent",
        "topical_retinoid_acid_current",
        "gold_therapy_ever",
        "antiviral_current",
        "bleeding_supplements",
        "allergies_any",
        "allergy_local_anaesthetic",
        "allergy_antiviral",
        "allergy_antibiotic",
        "allergy_aftercare",
        "keloid_history",
        "slow_healing",
        "dark_marks_after_injury",
        "recurrent_skin_infection",
        "shingles_area",
        "skin_cancer_history",
        "radiation_to_area",
        "bleeding_disorder",
        "immune_conditions",
        "heart_lung_conditions",
    ),
    v2027_01.VERSION,
)


class UnknownVersion(LookupError):
    """No questionnaire of that version exists in this code."""


def definition_for(version: str) -> Definition:
    """The definition of `version`; UnknownVersion for a version this code does not know."""
    try:
        return DEFINITIONS[version]
    except (KeyError, TypeError):
        raise UnknownVersion(
            f"Unknown questionnaire version {version!r}; known: {', '.join(ORDER)}"
        ) from None


def current() -> Definition:
    """The version new patients answer."""
    return DEFINITIONS[CURRENT_VERSION]
