"""The flag rules: pure functions over a patient's answers that raise items for a provider.

Flags are items for a provider to discuss, never a verdict: they are not shown to the patient and
never block anything: every submission goes to a provider, who decides. The package, from the bottom up:

- `base`: the shared vocabulary (Severity, how dates are read, standing notes);
- `policy`: the clinic's ⚙ windows from settings, and the rules version stamped on flags;
- `conditions`: the condition builders the catalogue combines;
- `catalogue`: the rules as data, one per flag code;
- `engine`: applies the catalogue to one answer set (`flags_for`, `modality_flags_for`);
- `diff`: what today's rules would flag differently on a stored submission (read-only).
"""

from screening.flags.base import (
    ABLATIVE_MODALITIES,
    ANTICOAGULANT_NOTE,
    ISO_SOURCES_NOTE,
    NO_ANSWER,
    Severity,
)
from screening.flags.catalogue import CATALOGUE, RULES_BY_CODE, Rule
from screening.flags.diff import FlagChange, SubmissionDiff, flag_changes, submission_flag_diff
from screening.flags.engine import RaisedFlag, flags_for, modality_flags_for, provider_language
from screening.flags.policy import (
    DEFAULT_POLICY,
    POLICY_KEYS,
    RULES_VERSION,
    Policy,
    current_policy,
    rules_version,
)

__all__ = [
    "ABLATIVE_MODALITIES",
    "ANTICOAGULANT_NOTE",
    "CATALOGUE",
    "DEFAULT_POLICY",
    "ISO_SOURCES_NOTE",
    "NO_ANSWER",
    "POLICY_KEYS",
    "RULES_BY_CODE",
    "RULES_VERSION",
    "FlagChange",
    "Policy",
    "RaisedFlag",
    "Rule",
    "Severity",
    "SubmissionDiff",
    "current_policy",
    "flag_changes",
    "flags_for",
    "modality_flags_for",
    "provider_language",
    "rules_version",
    "submission_flag_diff",
]
