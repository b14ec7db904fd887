"""The question bank as data, one frozen definition per version.

Everything else reads it: the step forms, the validation, the review page, the admin, the flag
rules and exports. Take the questions from the definition of the answers' version
(`definition_for(submission.questionnaire_version)`, `definition_for(draft.questionnaire_version)`)
or, for a new patient, `current()`. There is deliberately no module-level QUESTIONS or SECTIONS:
a reader that does not say which version it reads would show a v1 answer with v2's words.

The ids and choice keys are a contract with other tools (exports, FHIR, the data dictionary in docs/data-dictionary):
wording may change between versions, ids and keys never do.
"""

from screening.questionnaire.model import (
    CONTACT_MAX_LENGTHS,
    CONTACT_QUESTION_IDS,
    EXCLUSIVE_KEYS,
    UNKNOWN,
    YES_NO_CHOICES,
    YES_NO_UNSURE_CHOICES,
    AnswerIs,
    Choice,
    Definition,
    Kind,
    Picked,
    PickedMoreThanOne,
    Question,
    Section,
    Timing,
    prior_procedure_last_id,
)
from screening.questionnaire.versions import (
    CURRENT_VERSION,
    DEFINITIONS,
    RETIRED_IDS,
    UnknownVersion,
    current,
    definition_for,
)

__all__ = [
    "CONTACT_MAX_LENGTHS",
    "CONTACT_QUESTION_IDS",
    "CURRENT_VERSION",
    "DEFINITIONS",
    "EXCLUSIVE_KEYS",
    "RETIRED_IDS",
    "UNKNOWN",
    "YES_NO_CHOICES",
    "YES_NO_UNSURE_CHOICES",
    "AnswerIs",
    "Choice",
    "Definition",
    "Kind",
    "Picked",
    "PickedMoreThanOne",
    "Question",
    "Section",
    "Timing",
    "UnknownVersion",
    "current",
    "definition_for",
    "prior_procedure_last_id",
]
