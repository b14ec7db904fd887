"""The front desk's list of series patients to book: a provider's decision said "series: next
session in about N weeks", and nobody has invited the patient back yet.

Read by the front desk's day (admin/invitations.py). Only who, how many weeks and when it is
due: never the outcome, the modality or a flag (the front desk sees no clinical content).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from screening.models import Decision, Invitation, Submission


@dataclass(frozen=True)
class SeriesToBook:
    submission: Submission
    name: str
    weeks: int
    due: date  # the decision's date + N weeks: about when the next session should be


def due_date(decision: Decision) -> date:
    """About when the next session is due: the decision's (clinic-local) day + N weeks."""
    return timezone.localdate(decision.decided_at) + timedelta(weeks=decision.next_session_weeks)


def series_to_book(visible, *, limit: int = 200) -> list[SeriesToBook]:
    """Current series decisions (not superseded) on the submissions `visible` (what the user
    may open) whose patient has no return-visit invitation made since the decision and no
    later re-screen yet, soonest due first."""
    invited_since = Invitation.objects.filter(
        previous_submission=OuterRef("submission"), created_at__gte=OuterRef("decided_at")
    )
    rescreened = Submission.objects.filter(previous_submission=OuterRef("submission"))
    decisions = (
        Decision.objects.filter(
            next_session_weeks__isnull=False,
            superseded_by__isnull=True,
            submission__erased_at__isnull=True,
            submission__in=visible,
        )
        .exclude(Exists(invited_since))
        .exclude(Exists(rescreened))
        .select_related("submission")
    )
    rows = [
        SeriesToBook(
            submission=decision.submission,
            name=f"{decision.submission.last_name}, {decision.submission.first_name}",
            weeks=decision.next_session_weeks,
            due=due_date(decision),
        )
        for decision in decisions
    ]
    rows.sort(key=lambda row: (row.due, row.name.lower()))
    return rows[:limit]
