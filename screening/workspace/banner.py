"""The patient banner every clinical page opens with (review, decision, print, history): who
this is (name, date of birth and age, appointment, reference, returning or not) and, for those
who may see health data, the flag summary. One builder, one template include
(admin/screening/submission/_banner.html): the pages cannot drift apart, and a provider never
decides on a page that does not name the patient."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from screening.flags.labels import flag_label
from screening.records.ages import age_on
from screening.records.amendment_trail import who_amended
from screening.records.names import staff_name
from screening.staff import access
from screening.workspace import patients
from screening.workspace.check_in import CheckInNote, check_in_note
from screening.workspace.visit_changes import visit_label


@dataclass(frozen=True)
class BannerFlag:
    pk: int
    label: str
    severity: str
    severity_label: str
    acknowledged: bool


@dataclass
class PatientBanner:
    submission: object
    name: str
    preferred_name: str
    date_of_birth: date | None
    age: int | None
    appointment_at: object
    reference: str
    related: list = field(default_factory=list)  # patients.Related, newest first
    show_flags: bool = False
    flags: list[BannerFlag] = field(default_factory=list)
    reviewed_by_name: str = ""
    visit_label: str = ""  # "Re-screen (series)" / "Re-screen" (workspace.visit_changes)
    # Re-confirmation before the visit (workspace.check_in): changed at check-in, or not done.
    check_in: CheckInNote | None = None
    # "Amended": the latest amendment after sending (who and when; None if never amended).
    last_amendment: object = None
    last_amended_by: str = ""

    @property
    def returning(self) -> bool:
        return any(related.earlier for related in self.related)

    @property
    def previous(self):
        """The same person's latest earlier submission (what "changes since last time" is from)."""
        return next((related for related in self.related if related.earlier), None)

    @property
    def unacknowledged_count(self) -> int:
        return sum(1 for flag in self.flags if not flag.acknowledged)


def patient_banner(submission, *, user, visible, flags=None) -> PatientBanner:
    """The banner of `submission` for `user`; `visible` is what the user may open (the other
    submissions linked); `flags` the page's stored flags if it already has them (with
    `decision__superseded_by` selected), to save the query."""
    erased = submission.erased_at is not None
    banner = PatientBanner(
        submission=submission,
        name="(erased)" if erased else f"{submission.first_name} {submission.last_name}",
        preferred_name="" if erased else submission.preferred_name,
        date_of_birth=submission.date_of_birth,
        age=age_on(submission.date_of_birth, timezone.localdate()),
        appointment_at=submission.appointment_at,
        reference=submission.reference,
        related=patients.related_by_submission([submission], visible).get(submission.pk, []),
        reviewed_by_name=staff_name(submission.reviewed_by) if submission.reviewed else "",
        visit_label=visit_label(submission),
    )
    banner.check_in = check_in_note(submission, medical=access.can_view_medical(user))
    if access.can_view_medical(user):
        if flags is None:
            flags = submission.flags.select_related("decision__superseded_by").order_by(
                "-severity_rank", "id"
            )
        banner.show_flags = True
        banner.flags = [
            BannerFlag(
                pk=flag.pk,
                label=flag_label(flag.code),
                severity=flag.severity,
                severity_label=flag.get_severity_display(),
                acknowledged=flag.acknowledged_at is not None,
            )
            for flag in sorted(flags, key=lambda flag: (-flag.severity_rank, flag.pk))
            if not flag.is_superseded and flag.cleared_by_amendment_id is None
        ]
        if submission.answers_version > 1:
            banner.last_amendment = (
                submission.amendments.select_related("actor").order_by("-answers_version").first()
            )
            if banner.last_amendment is not None:
                banner.last_amended_by = who_amended(banner.last_amendment)
    return banner
