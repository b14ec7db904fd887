"""The front desk opens the check-in tablet for a patient at the desk (re-confirmation before the
visit): from the day's list, on the tablet itself.

Opening it is audited (CHECK_IN_OPENED) and ends the staff session on that device: the tablet
then holds nothing but the patient's re-confirmation (screening.patient.check_in), which asks
the patient's date of birth before it shows an answer, and closes itself when sent or idle. The
one who opened it sees no answer on any staff page; they sign in again when the tablet comes
back. The day's list says, per patient, whether re-confirmation is due, done or missed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from screening.models import Submission
from screening.patient import check_in_session
from screening.staff import access
from screening.visits import reconfirmation


@dataclass(frozen=True)
class DayCheckIn:
    """What the day's list says of one submission's re-confirmation (no answer in it)."""

    submission_id: int
    status: str
    label: str
    may_open: bool


LABELS = {
    reconfirmation.Status.NOT_DUE: "",
    reconfirmation.Status.DUE: "Re-confirmation due",
    reconfirmation.Status.DONE: "Re-confirmed",
    reconfirmation.Status.MISSED: "Not re-confirmed",
}


def day_check_in(submission: Submission | None, user) -> DayCheckIn | None:
    """The check-in cell of the front desk's day for `submission` (None: nothing to say)."""
    if submission is None or submission.erased_at is not None:
        return None
    if submission.status == Submission.Status.WITHDRAWN:
        return None
    state = reconfirmation.status(submission)
    if state == reconfirmation.Status.NOT_DUE:
        return None
    label = LABELS[state]
    if state == reconfirmation.Status.DUE and reconfirmation.is_locked(submission):
        label = "Re-confirmation locked: wrong dates of birth (the tablet unlocks it)"
    return DayCheckIn(
        submission_id=submission.pk,
        status=state,
        label=label,
        may_open=reconfirmation.may_reconfirm(submission)
        and access.can_open_check_in(user, submission),
    )


def open_view(request, submission_id):
    """POST: open the tablet for this patient. This device's staff session ends here."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    if not access.can_open_check_in(request.user, submission):
        raise PermissionDenied
    if not reconfirmation.may_reconfirm(submission):
        raise Http404  # not due, done, or past its day: nothing to open
    reconfirmation.check_in_open(actor=request.user, submission=submission, request=request)
    logout(request)
    check_in_session.start(
        request.session, submission_id=submission.pk, via=check_in_session.TABLET
    )
    return redirect("screening:check_in")


def urls(admin_site) -> list:
    return [
        path(
            "check-in/<int:submission_id>/open/",
            admin_site.admin_view(require_POST(open_view)),
            name="screening_check_in_open",
        )
    ]
