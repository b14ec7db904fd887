"""The queue of a provider's consultation day: its order, the attention panel and the small
computations its columns show (age, waiting time, appointment windows).

Pure functions over a queryset or a row; the admin's list page calls them. The order is
`models.QUEUE_ORDER` (indexed under the same expressions) for those who see flags, and
`models.PLAIN_QUEUE_ORDER`, which no flag moves, for those who may not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from screening.models import PLAIN_QUEUE_ORDER, QUEUE_ORDER, Flag
from screening.staff import access, routing
from screening.workspace import check_in

PANEL_ROWS = 10  # the panel lists the first few; the filters below it list them all


def order_for(user) -> tuple:
    """The queue's order for `user`: priority first only for those who may see the flags."""
    return QUEUE_ORDER if access.can_view_medical(user) else PLAIN_QUEUE_ORDER


def ordered(queryset: QuerySet, user) -> QuerySet:
    """`queryset` in `user`'s queue order (ties by id, so pages never overlap)."""
    return queryset.order_by(*order_for(user), "id")


def current_flags() -> Prefetch:
    """The flags a row names, as `current_flags`: those that count (a superseded decision's and
    those an amendment cleared no longer do), most severe first."""
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(
            Q(decision__isnull=True) | Q(decision__superseded_by__isnull=True),
            cleared_by_amendment__isnull=True,  # an amendment no longer raises it
        ).order_by("-severity_rank", "id"),
        to_attr="current_flags",
    )


def waited(since: datetime, now: datetime) -> str:
    """How long since `since`, in the units a front desk would say ("3 d 4 h", "5 h", "20 min")."""
    minutes = max(int((now - since).total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h"
    return f"{minutes} min"


def is_overdue(submission, now: datetime) -> bool:
    """Unreviewed for longer than SCREENING_REVIEW_TARGET_HOURS."""
    target = timedelta(hours=settings.SCREENING_REVIEW_TARGET_HOURS)
    return not submission.reviewed and now - submission.submitted_at > target


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of `day` in the clinic's time zone (aware datetimes)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)


def appointment_window(choice: str, now: datetime) -> Q | None:
    """The filter of an appointment choice: "today", "week" (the next 7 days), "none"."""
    today = timezone.localdate(now)
    if choice == "today":
        start, end = local_day_bounds(today)
        return Q(appointment_at__gte=start, appointment_at__lt=end)
    if choice == "week":
        start, _ = local_day_bounds(today)
        return Q(appointment_at__gte=start, appointment_at__lt=start + timedelta(days=8))
    if choice == "none":
        return Q(appointment_at__isnull=True)
    return None


@dataclass(frozen=True)
class AttentionPanel:
    """What needs a provider before anything else: priority flags with a consultation soon,
    and submissions waiting past the clinic's review target."""

    priority_soon: list
    overdue: list
    attention_hours: int
    target_hours: int
    # Answers changed at check-in that raised a flag no provider has reviewed since
    # (workspace.check_in); empty for those who may not see flags.
    changed_at_check_in: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.priority_soon or self.overdue or self.changed_at_check_in)


def attention_panel(visible: QuerySet, now: datetime, *, medical: bool) -> AttentionPanel:
    """Two small queries over the submissions the user may open (open ones only). Without
    `medical` (the front desk) the priority list stays empty: that a flag exists is health
    data."""
    hours = settings.SCREENING_ATTENTION_HOURS
    target = settings.SCREENING_REVIEW_TARGET_HOURS
    unreviewed = visible.filter(status__in=routing.OPEN_STATUSES, reviewed=False)
    soon = unreviewed.filter(
        priority_count__gt=0,
        appointment_at__isnull=False,
        appointment_at__lte=now + timedelta(hours=hours),
        appointment_at__gte=now - timedelta(hours=1),  # a consultation under way still counts
    ).select_related("assigned_provider")
    overdue = unreviewed.filter(submitted_at__lt=now - timedelta(hours=target)).select_related(
        "assigned_provider"
    )
    if medical:
        # The panel names the flags (what needs attention, not how many).
        soon, overdue = (
            soon.prefetch_related(current_flags()),
            overdue.prefetch_related(current_flags()),
        )
    return AttentionPanel(
        priority_soon=list(soon.order_by("appointment_at", "id")[:PANEL_ROWS]) if medical else [],
        overdue=list(overdue.order_by("submitted_at", "id")[:PANEL_ROWS]),
        attention_hours=hours,
        target_hours=target,
        changed_at_check_in=check_in.attention_rows(visible, now, medical=medical),
    )


def mine(visible: QuerySet, provider) -> QuerySet:
    """A provider's own submissions among those they may open (all open ones, if they see
    everyone's, are still the queue's: their day is what is assigned to them)."""
    return visible.filter(assigned_provider=provider) if provider is not None else visible.none()


def next_patient(visible: QuerySet, provider, *, after) -> object | None:
    """After a decision on `after`: the provider's next open submission, in the queue's order
    (unreviewed priority first, then by appointment)."""
    if provider is None:
        return None
    return (
        ordered(mine(visible, provider).filter(status__in=routing.OPEN_STATUSES), provider.user)
        .exclude(pk=after.pk)
        .first()
    )


DAYS_AHEAD = 2  # "My day": today and the next two days


@dataclass(frozen=True)
class Day:
    day: date
    rows: list


def my_days(mine_: QuerySet, now: datetime, *, days_ahead: int = DAYS_AHEAD) -> list[Day]:
    """A provider's patients by appointment, today and the next days (withdrawn left out,
    decided kept: they were the day's patients too), each day in time order."""
    start, _ = local_day_bounds(timezone.localdate(now))
    end = start + timedelta(days=days_ahead + 1)
    rows = list(
        mine_.filter(appointment_at__gte=start, appointment_at__lt=end)
        .exclude(status="withdrawn")
        .order_by("appointment_at", "id")
        .prefetch_related(current_flags())
    )
    by_day: dict[date, list] = {}
    for row in rows:
        by_day.setdefault(timezone.localdate(row.appointment_at), []).append(row)
    return [
        Day(
            day=start.date() + timedelta(days=offset),
            rows=by_day.get(start.date() + timedelta(days=offset), []),
        )
        for offset in range(days_ahead + 1)
    ]


def needs_attention(submission, now: datetime) -> str:
    """Why a row of "My day" needs the provider first ("" when it does not): a priority flag
    not yet reviewed, or waiting past the review target."""
    if submission.reviewed or submission.status not in routing.OPEN_STATUSES:
        return ""
    if submission.priority_count:
        return "Priority flag, not reviewed"
    if is_overdue(submission, now):
        return "Waiting past the review target"
    return ""
