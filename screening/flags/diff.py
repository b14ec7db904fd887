"""What today's rules and clinic policy would flag differently on a stored submission.

A clinic changes a ⚙ window (SCREENING_FLAG_POLICY_JSON) or deploys a new rules version; before it
relies on the change it wants to see what it means for the submissions it holds. `flag_changes`
compares the flags stored at submission (never rewritten) with those the current rules raise for
the same answers, read with the submission's own questionnaire version and submission date.
Nothing here writes: `manage.py flags_diff` and the review page only show the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from screening.flags.base import Severity
from screening.flags.engine import RaisedFlag, flags_for
from screening.flags.policy import Policy, current_policy, rules_version

ADDED, REMOVED, SEVERITY_CHANGED = "added", "removed", "severity_changed"


@dataclass(frozen=True)
class FlagChange:
    """One flag that today's rules would raise differently: added, removed or re-graded."""

    code: str
    change: str  # ADDED, REMOVED or SEVERITY_CHANGED
    stored: Severity | None  # the stored flag's severity (None: not stored)
    today: Severity | None  # the severity under today's rules (None: not raised)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "change": self.change,
            "stored_severity": self.stored.value if self.stored else None,
            "current_severity": self.today.value if self.today else None,
        }

    @property
    def description(self) -> str:
        """Plain words for the review page."""
        if self.change == ADDED:
            return f"{self.code} would be raised ({self.today.label})."
        if self.change == REMOVED:
            return f"{self.code} would no longer be raised (stored as {self.stored.label})."
        return f"{self.code} would be {self.today.label} instead of {self.stored.label}."

    def __str__(self) -> str:
        if self.change == ADDED:
            return f"+ {self.code} ({self.today.value})"
        if self.change == REMOVED:
            return f"- {self.code} ({self.stored.value})"
        return f"~ {self.code} ({self.stored.value} -> {self.today.value})"


def flag_changes(
    *, stored: Iterable[tuple[str, str]], raised: Iterable[RaisedFlag]
) -> list[FlagChange]:
    """The differences between stored (code, severity) pairs and freshly raised flags.

    Most severe first (by today's severity, else the stored one), then by code.
    """
    before = {code: Severity(severity) for code, severity in stored}
    after = {flag.code: flag.severity for flag in raised}
    changes = [FlagChange(code, ADDED, None, after[code]) for code in after.keys() - before.keys()]
    changes += [
        FlagChange(code, REMOVED, before[code], None) for code in before.keys() - after.keys()
    ]
    changes += [
        FlagChange(code, SEVERITY_CHANGED, before[code], after[code])
        for code in before.keys() & after.keys()
        if before[code] is not after[code]
    ]
    return sorted(changes, key=lambda c: (-(c.today or c.stored).rank, c.code))


@dataclass(frozen=True)
class SubmissionDiff:
    """Today's rules against one stored submission's flags."""

    reference: str
    questionnaire_version: str
    stored_rules_version: str
    current_rules_version: str
    changes: tuple[FlagChange, ...]

    def as_json(self) -> dict:
        return {
            "reference": self.reference,
            "questionnaire_version": self.questionnaire_version,
            "stored_rules_version": self.stored_rules_version,
            "current_rules_version": self.current_rules_version,
            "changes": [change.as_json() for change in self.changes],
        }


def submission_flag_diff(submission, *, policy: Policy | None = None) -> SubmissionDiff | None:
    """Today's rules and policy against a stored submission's flags; None when its answers were
    erased by retention (there is nothing left to evaluate).

    Reads `submission.flags` (prefetch it for many) and compares only the flags the rules raised
    (at submission or by an amendment, not cleared since): flags raised later from a provider's
    modality are not re-evaluated.
    Raises `questionnaire.UnknownVersion` for a version this code does not know.
    """
    if getattr(submission, "erased_at", None) or not submission.answers:
        return None
    policy = policy if policy is not None else current_policy()
    raised = flags_for(
        submission.answers,
        submission.submitted_on,
        policy,
        questionnaire_version=submission.questionnaire_version,
        # A re-screen is flagged with its visit (course flags, a series' modality flags).
        visit=submission.visit() if hasattr(submission, "visit") else None,
    )
    # The rules' flags as they stand: one an amendment cleared is no longer the answers' flag.
    stored = [
        (flag.code, flag.severity)
        for flag in submission.flags.all()
        if flag.decision_id is None and getattr(flag, "cleared_by_amendment_id", None) is None
    ]
    return SubmissionDiff(
        reference=submission.reference,
        questionnaire_version=submission.questionnaire_version,
        stored_rules_version=submission.rules_version,
        current_rules_version=rules_version(policy),
        changes=tuple(flag_changes(stored=stored, raised=raised)),
    )
