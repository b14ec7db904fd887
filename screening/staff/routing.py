"""Who reviews a submission: never "no one" silently.

A submission with a priority flag goes to an active provider whose qualification level may review
priority flags (`SCREENING_PRIORITY_REVIEW_LEVELS`); any other goes to any active provider. Among
the eligible, the one with the fewest open submissions wins (ties: the longest-serving record).
With nobody eligible the submission stays unassigned, tops the "Needs assignment" view, and the
clinic's fallback address is told.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q

from screening.models import Provider, Submission

OPEN_STATUSES = (
    Submission.Status.SUBMITTED,
    Submission.Status.IN_REVIEW,
    Submission.Status.CONSULTATION_BOOKED,
)


def requires_priority_review(submission: Submission) -> bool:
    """A submission with a priority flag is reviewed only by a qualified provider."""
    return submission.priority_count > 0


def level_reviews_priority(level: str) -> bool:
    return level in settings.SCREENING_PRIORITY_REVIEW_LEVELS


def is_qualified(provider: Provider | None, *, submission: Submission) -> bool:
    """May this provider hold and decide on this submission? Active, and for a priority-flagged
    submission of a level that may review priority flags. The one rule for routing, reassignment,
    a provider's level change, acknowledgement and decision."""
    if provider is None or not provider.is_active:
        return False
    return not requires_priority_review(submission) or level_reviews_priority(provider.level)


def priority_submissions_held(provider: Provider):
    """Open priority-flagged submissions assigned to `provider`."""
    return Submission.objects.filter(
        assigned_provider=provider, status__in=OPEN_STATUSES, priority_count__gt=0
    )


def eligible_providers(*, needs_priority_review: bool):
    providers = Provider.objects.filter(is_active=True, user__is_active=True)
    if needs_priority_review:
        providers = providers.filter(level__in=settings.SCREENING_PRIORITY_REVIEW_LEVELS)
    return providers


def assignable_providers(submission: Submission):
    """Who a clinic admin may assign `submission` to: the active providers qualified for it
    (for a priority-flagged one, of a level that may review priority flags), by name; and
    whoever holds it now, so that saving another change keeps them."""
    eligible = eligible_providers(needs_priority_review=requires_priority_review(submission))
    return (
        Provider.objects.filter(
            Q(pk__in=eligible.values("pk")) | Q(pk=submission.assigned_provider_id)
        )
        .select_related("user")
        .order_by("display_name", "pk")
    )


def chooser_label(provider: Provider) -> str:
    """A provider in a list to choose from: name, credential and qualification level."""
    return f"{provider.display_name}, {provider.credential} ({provider.get_level_display()})"


def choose_provider(*, needs_priority_review: bool) -> Provider | None:
    """The eligible provider with the fewest open submissions, or None.

    Call inside the submission's transaction: the eligible providers' rows are locked, so that two
    app processes assigning at the same moment take turns and both see the other's assignment.
    """
    eligible = eligible_providers(needs_priority_review=needs_priority_review)
    locked_ids = list(eligible.select_for_update().order_by("id").values_list("id", flat=True))
    if not locked_ids:
        return None
    # Counted over the open submissions only, found through the status index (no provider
    # filter, which would tempt a planner into the provider index and the whole history).
    open_counts = dict(
        Submission.objects.filter(status__in=OPEN_STATUSES)
        .values_list("assigned_provider")
        .annotate(count=Count("id"))
        .order_by()
    )
    chosen = min(locked_ids, key=lambda provider_id: (open_counts.get(provider_id, 0), provider_id))
    return Provider.objects.get(id=chosen)
