"""The registry of questionnaire versions: a version string -> its frozen `Definition`.

A submission is read forever with the version it was answered on (`questionnaire_version` on the
row, or on a draft): every reader asks `definition_for(version)`, never "the current questions".
New drafts and submissions use `CURRENT_VERSION`.

Ids and choice keys are a contract: a question id or choice key, once published, keeps its kind
and meaning in every later version, and an id retired from the bank goes into `RETIRED_IDS` and is
never used again (tests/questionnaire/test_questionnaire.py checks this over the whole registry).
"""

from __future__ import annotations

from screening.questionnaire import v2026_11, v2026_12
from screening.questionnaire.model import Definition

DEFINITIONS: dict[str, Definition] = {
    definition.version: definition for definition in (v2026_11.DEFINITION, v2026_12.DEFINITION)
}
# The versions in the order they were introduced.
ORDER: tuple[str, ...] = tuple(DEFINITIONS)
CURRENT_VERSION = ORDER[-1]
# A draft saved before drafts recorded their version was started on this one.
LEGACY_DRAFT_VERSION = v2026_11.VERSION
# Question ids taken out of the bank; none so far. A retired id is never used again.
RETIRED_IDS: frozenset[str] = frozenset()


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
