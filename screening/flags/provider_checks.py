"""Flags raised by the provider's own input at the decision: their Fitzpatrick assessment.

The patient's skin type is self-reported (SELF_REPORT_NOTE stands beside it wherever it is
shown to a provider); the provider checks it in person and records their own with the decision. When the two differ the provider's input raises
SKIN_TYPE_DIFFERS, stored like the modality flags (`Flag.RaisedBy.PROVIDER_INPUT`, tied to the
decision, so a later decision supersedes it). A pure function; `decisions.decision_record`
stores what it returns.
"""

from __future__ import annotations

from screening.flags import RaisedFlag, Rule, Severity, rules_version
from screening.flags.conditions import provider_input

FITZPATRICK = ("I", "II", "III", "IV", "V", "VI")
FITZPATRICK_CHOICES = [
    ("I", "I: always burns, never tans"),
    ("II", "II: burns easily, tans a little"),
    ("III", "III: sometimes burns, tans gradually"),
    ("IV", "IV: rarely burns, tans easily"),
    ("V", "V: very rarely burns, tans very easily"),
    ("VI", "VI: never or almost never burns"),
]
HIGHER_PIH_RISK = frozenset({"IV", "V", "VI"})
SELF_REPORT_QUESTION = "skin_type_self"
# Beside every self-reported skin type a provider sees. It was a flag raised for every patient
# until rules 2027.01.1, which taught nothing and added to the alert load.
SELF_REPORT_NOTE = (
    "Phototype is self-reported. Self-assessment is often inaccurate and should be confirmed on "
    "examination."
)

PIH_REASON = (
    "Types IV to VI carry a higher risk of post-inflammatory hyperpigmentation (PIH) and, with "
    "ablative treatment, hypopigmentation: PIH occurred in 68% of type IV patients after facial "
    "resurfacing in one series. Plan the modality, settings and skin preparation on the "
    "provider's assessment, not the self-report."
)

SKIN_TYPE_DIFFERS = Rule(
    code="SKIN_TYPE_DIFFERS",
    severity=Severity.DISCUSS,
    reason=PIH_REASON,
    sources=("S12", "S13", "S14", "S23"),
    # Raised only from the provider's input, never from the answers alone.
    condition=provider_input(SELF_REPORT_QUESTION),
    rule="The provider's Fitzpatrick assessment differs from the patient's self-reported type.",
    note=(
        "Self-reported skin type is often wrong by one type or more (S23); the assessment in "
        "person is the one the treatment plan follows."
    ),
)
PROVIDER_RULES: dict[str, Rule] = {SKIN_TYPE_DIFFERS.code: SKIN_TYPE_DIFFERS}


def type_words(skin_type: str) -> str:
    """The type with what it means, as the choices say it: "IV (rarely burns, tans easily)"."""
    number, meaning = dict(FITZPATRICK_CHOICES)[skin_type].split(": ", 1)
    return f"{number} ({meaning})"


def skin_type_flags(*, answers: dict, provider_skin_type: str) -> list[RaisedFlag]:
    """SKIN_TYPE_DIFFERS when the provider's type differs from the patient's answer ("unsure" or
    no answer counts as differing: the self-report did not give a type)."""
    if provider_skin_type not in FITZPATRICK:
        return []
    reported = answers.get(SELF_REPORT_QUESTION)
    if reported == provider_skin_type:
        return []
    shown = reported if reported in FITZPATRICK else "not known"
    into_risk = provider_skin_type in HIGHER_PIH_RISK and reported not in HIGHER_PIH_RISK
    opening = (
        f"The provider assessed skin type {type_words(provider_skin_type)}; the patient "
        f"reported {type_words(reported) if reported in FITZPATRICK else 'no type (not known)'}."
    )
    if into_risk:
        opening += " The provider's assessment puts the patient in the higher PIH risk group."
    return [
        RaisedFlag(
            code=SKIN_TYPE_DIFFERS.code,
            # Discuss, not priority: the provider raising it is the one deciding, right now.
            severity=Severity.DISCUSS,
            reason=f"{opening} {PIH_REASON}",
            sources=SKIN_TYPE_DIFFERS.sources,
            questions={SELF_REPORT_QUESTION: shown},
            rules_version=rules_version(),
        )
    ]
