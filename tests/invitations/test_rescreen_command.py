"""Return-visit invitations outside the front desk's page: the `invite` command's --previous,
through the same service and checks; and which form the invitation opens (rule 2: the short
re-screen, or the full questionnaire when every carried answer is stale), as the page says."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from screening.invitations import rescreen
from screening.models import AuditEvent, Invitation, Submission
from tests import factories
from tests.invitations.test_rescreen import front_desk, page, treated  # noqa: F401

pytestmark = pytest.mark.django_db


def _appointment(days=20):
    day = timezone.localdate() + timedelta(days=days)
    return f"{day:%Y-%m-%d} 10:00"


def invite(*args):
    out = StringIO()
    call_command("invite", *args, stdout=out)
    return out.getvalue()


def test_the_command_invites_a_series_session_through_the_service(treated):  # noqa: F811
    out = invite(
        "--previous",
        treated.reference.lower(),
        "--visit-type",
        "series_session",
        "--treatment-date",
        "2026-10-08",
        "--appointment",
        _appointment(),
    )
    invitation = Invitation.objects.get()
    assert invitation.previous_submission == treated
    assert invitation.visit_type == "series_session"
    assert str(invitation.treatment_date) == "2026-10-08"
    assert (invitation.first_name, invitation.email) == ("Rosa", "rosa@example.org")
    assert invitation.email_state == Invitation.EmailState.SCHEDULED  # 20 days away
    assert "short re-screen" in out and "email scheduled" in out
    assert out.strip().splitlines()[-1].startswith("http")
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESCREEN_INVITED)
    assert event.submission == treated and event.actor is None
    assert "SECRET" not in out


def test_the_command_checks_what_the_page_checks(treated):  # noqa: F811
    base = ["--previous", treated.reference, "--appointment", _appointment()]
    with pytest.raises(CommandError, match="--visit-type is required"):
        invite(*base)
    with pytest.raises(CommandError, match="treatment_date"):
        invite(*base, "--visit-type", "new_consultation", "--treatment-date", "2020-01-01")
    with pytest.raises(CommandError, match="name comes from --previous"):
        invite(*base, "--visit-type", "new_consultation", "--first-name", "X")
    with pytest.raises(CommandError, match="No submission"):
        invite("--previous", "AAA-AAA-AAA", "--visit-type", "new_consultation",
               "--appointment", _appointment())  # fmt: skip
    with pytest.raises(CommandError, match="email"):
        invite(*base, "--visit-type", "new_consultation", "--email", "", "--mobile", "")
    assert not Invitation.objects.exists()


def test_a_series_needs_the_providers_series_decision():
    previous = factories.submission(today=timezone.localdate() - timedelta(days=30))
    base = ["--previous", previous.reference, "--appointment", _appointment(3)]
    with pytest.raises(CommandError, match="visit_type"):
        invite(*base, "--visit-type", "series_session")
    out = invite(*base, "--visit-type", "new_consultation", "--email", "")
    invitation = Invitation.objects.get()
    assert invitation.visit_type == "new_consultation" and invitation.treatment_date is None
    assert "no email: give the patient the link" in out


@pytest.mark.parametrize("field", ["withdrawn", "erased"])
def test_a_withdrawn_or_erased_submission_is_refused(field):
    previous = factories.submission(today=timezone.localdate() - timedelta(days=30))
    if field == "withdrawn":
        Submission.objects.filter(pk=previous.pk).update(status=Submission.Status.WITHDRAWN)
    else:
        Submission.objects.filter(pk=previous.pk).update(erased_at=timezone.now())
    with pytest.raises(CommandError, match=field):
        invite("--previous", previous.reference, "--visit-type", "new_consultation",
               "--appointment", _appointment())  # fmt: skip
    assert not Invitation.objects.exists()


def test_a_first_visit_invitation_still_needs_the_names():
    with pytest.raises(CommandError, match="--first-name and --last-name"):
        invite("--email", "a@example.org", "--appointment", _appointment())
    with pytest.raises(CommandError, match="go with --previous"):
        invite("--first-name", "A", "--last-name", "B", "--email", "a@example.org",
               "--appointment", _appointment(), "--visit-type", "new_consultation")  # fmt: skip


# --- Which form: rule 2 ------------------------------------------------------------------


def test_the_form_is_short_until_every_carried_answer_is_stale(settings):
    today = timezone.localdate()
    months = settings.SCREENING_CARRY_OVER_MONTHS
    recent = factories.submission(today=today - timedelta(days=300))
    old = factories.submission(today=today - timedelta(days=400))
    assert rescreen.form_for(recent) == rescreen.Form(False, "short re-screen")
    assert rescreen.form_for(old) == rescreen.Form(
        True, f"full questionnaire: the last answers are over {months} months old"
    )
    # One history answer given again since (an amendment, a re-screen) keeps the short form.
    provenance = {"skin_history": {"answered_on": (today - timedelta(days=10)).isoformat()}}
    Submission.objects.filter(pk=old.pk).update(provenance=provenance)
    old.refresh_from_db()
    assert not rescreen.form_for(old).full


def test_an_invitation_keeps_the_form_of_the_day_it_was_made():
    today = timezone.localdate()
    old = factories.submission(today=today - timedelta(days=400))
    invite("--previous", old.reference, "--visit-type", "new_consultation",
           "--appointment", _appointment())  # fmt: skip
    invitation = Invitation.objects.get()
    assert rescreen.full_questionnaire(invitation)
    made = timezone.make_aware(datetime.combine(today - timedelta(days=60), time(9)))
    Invitation.objects.filter(pk=invitation.pk).update(created_at=made)
    invitation.refresh_from_db()
    assert not rescreen.full_questionnaire(invitation)  # 340 days old then


def test_the_front_desk_page_says_which_form_the_patient_gets(front_desk, settings):  # noqa: F811
    today = timezone.localdate()
    recent = factories.submission(today=today - timedelta(days=30))
    body = front_desk.get(page(recent)).content.decode()
    assert '<strong id="patient-form">short re-screen</strong>' in body
    old = factories.submission(today=today - timedelta(days=400))
    body = front_desk.get(page(old)).content.decode()
    assert (
        f'<strong id="patient-form">full questionnaire: the last answers are over '
        f"{settings.SCREENING_CARRY_OVER_MONTHS} months old</strong>" in body
    )
