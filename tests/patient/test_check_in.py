"""The re-confirmation pages: the tablet the front desk opens and the reminder's link; the
date-of-birth check and its lock; Still true, Change (re-flagged) and the since-questions; the
tablet closing itself (sent, idle, "hand it back") so that its session shows no answer after."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from screening.models import Amendment, AuditEvent, Reconfirmation, Submission
from screening.patient import check_in_session
from tests import factories

pytestmark = pytest.mark.django_db

BIRTH = {"date_of_birth": "1980-05-17"}
WRONG = {"date_of_birth": "1980-05-18"}
ALL_STILL_TRUE = {
    "item_pregnancy": "still_true",
    "item_skin_now": "still_true",
    "item_sun": "still_true",
    "item_skin_prep": "still_true",
    "item_isotretinoin": "still_true",
    "since_last_medicines": "no",
    "since_last_treatments": "no",
}


def due_submission(days_before: int = 20, **overrides) -> Submission:
    """Sent `days_before` days ago, appointment in two hours: re-confirmation due."""
    sent = factories.submission(
        today=timezone.localdate() - timedelta(days=days_before), **overrides
    )
    Submission.objects.filter(pk=sent.pk).update(appointment_at=timezone.now() + timedelta(hours=2))
    sent.refresh_from_db()
    return sent


@pytest.fixture
def front_desk(db):
    return factories.staff_user("Front desk", username="desk")


def open_tablet(client, user, sent):
    client.force_login(user)
    return client.post(reverse("admin:screening_check_in_open", args=[sent.pk]))


def test_the_front_desk_opens_the_tablet_signed_out_and_audited(client, front_desk):
    sent = due_submission()

    response = open_tablet(client, front_desk, sent)

    assert response.status_code == 302 and response["Location"] == reverse("screening:check_in")
    assert AUTH_SESSION_KEY not in client.session  # the tablet holds no staff session
    assert client.get(reverse("admin:index")).status_code == 302  # to the sign-in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHECK_IN_OPENED)
    assert event.actor == front_desk and event.submission_id == sent.pk
    page = client.get(reverse("screening:check_in")).content.decode()
    assert "Date of birth" in page and "Pregnant" not in page  # nothing shown before the date


def test_a_provider_may_not_open_the_tablet(client, doctor):
    sent = due_submission()
    assert open_tablet(client, doctor, sent).status_code == 403


def test_the_tablet_opens_only_for_a_due_submission(client, front_desk):
    not_due = due_submission(days_before=10)
    assert open_tablet(client, front_desk, not_due).status_code == 404


def test_still_true_for_everything_reconfirms_without_an_amendment(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)

    assert client.post(reverse("screening:check_in"), BIRTH)["Location"] == reverse(
        "screening:check_in_answers"
    )
    page = client.get(reverse("screening:check_in_answers")).content.decode()
    assert "Is this still true?" in page and 'http-equiv="refresh"' in page
    assert client.get(reverse("screening:check_in_still_here")).status_code == 204
    done = client.post(reverse("screening:check_in_answers"), ALL_STILL_TRUE)

    assert done["Location"] == reverse("screening:check_in_done")
    sent.refresh_from_db()
    assert sent.reconfirmed_at is not None and sent.answers_version == 1
    record = Reconfirmation.objects.get(submission=sent)
    assert record.via == "tablet" and record.changed_ids == []
    assert record.since_answers == {"since_last_medicines": "no", "since_last_treatments": "no"}
    assert sent.provenance["pregnancy_status"]["confirmed_on"] == timezone.localdate().isoformat()
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECONFIRMED)
    assert event.detail.startswith("tablet: 5 item(s) still true, 0 answer(s) changed")
    # Closed: the page says to hand the tablet back, and the session shows no answer any more.
    assert "Please hand the tablet back" in client.get(done["Location"]).content.decode()
    assert client.get(reverse("screening:check_in_answers"))["Location"] == reverse(
        "screening:check_in"
    )
    assert "shows no answers" in client.get(reverse("screening:check_in")).content.decode()


def test_pregnancy_changed_at_check_in_raises_the_priority_flag(client, front_desk):
    sent = due_submission()
    Submission.objects.filter(pk=sent.pk).update(reviewed=True)
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)

    to_changes = client.post(
        reverse("screening:check_in_answers"), {**ALL_STILL_TRUE, "item_pregnancy": "change"}
    )
    assert to_changes["Location"] == reverse("screening:check_in_changes")
    page = client.get(to_changes["Location"]).content.decode()
    assert 'name="pregnancy_status"' in page and 'name="isotretinoin_ever"' not in page
    done = client.post(to_changes["Location"], {"pregnancy_status": "pregnant", "nav": "next"})

    assert done["Location"] == reverse("screening:check_in_done")
    sent.refresh_from_db()
    assert sent.answers["pregnancy_status"] == "pregnant" and sent.reconfirmed_at is not None
    assert sent.priority_count == 1 and sent.reviewed is False
    amendment = Amendment.objects.get(submission=sent)
    assert amendment.source == Amendment.Source.CHECK_IN
    assert sent.flags.get(code="PREGNANT").raised_by_amendment == amendment
    assert Reconfirmation.objects.get(submission=sent).changed_ids == ["pregnancy_status"]


def test_a_change_is_validated_as_on_the_form(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)
    client.post(
        reverse("screening:check_in_answers"), {**ALL_STILL_TRUE, "item_pregnancy": "change"}
    )

    again = client.post(reverse("screening:check_in_changes"), {"nav": "next", "js": "1"})

    assert again.status_code == 200 and "There is a problem" in again.content.decode()
    sent.refresh_from_db()
    assert sent.reconfirmed_at is None


def test_yes_to_medicine_changes_opens_the_medicine_list(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)
    client.post(
        reverse("screening:check_in_answers"), {**ALL_STILL_TRUE, "since_last_medicines": "yes"}
    )

    page = client.get(reverse("screening:check_in_changes")).content.decode()
    assert 'name="medicines_any"' in page and 'name="current_medications_text"' in page
    client.post(
        reverse("screening:check_in_changes"),
        {
            "nav": "next",
            "js": "1",
            "medicines_any": ["blood_thinner"],
            "blood_thinners": ["warfarin"],
            "current_medications_text": "Warfarin 5 mg",
        },
    )

    sent.refresh_from_db()
    assert sent.answers["medicines_any"] == ["blood_thinner"]
    assert sent.flags.filter(code="ANTICOAGULANT_RX", raised_by_amendment__isnull=False).exists()
    assert (
        Reconfirmation.objects.get(submission=sent).since_answers["since_last_medicines"] == "yes"
    )
    assert "since_last_medicines" not in sent.answers  # kept on the re-confirmation, not answers


def test_every_choice_on_the_first_page_is_required(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)

    page = client.post(reverse("screening:check_in_answers"), {}).content.decode()

    assert "There is a problem" in page and "Choose “Still true” or “Change”." in page


def test_wrong_dates_of_birth_lock_and_the_front_desk_opening_again_unlocks(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    for _ in range(4):
        wrong = client.post(reverse("screening:check_in"), WRONG)
        assert (
            wrong.status_code == 200 and "match the one in your answers" in wrong.content.decode()
        )
    locked = client.post(reverse("screening:check_in"), WRONG)

    assert locked.status_code == 403 and "locked" in locked.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BIRTH_DATE_FAILED).count() == 5
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED).count() == 1
    # The tablet's session is closed: even the right date no longer opens anything there.
    assert "shows no answers" in client.post(reverse("screening:check_in"), BIRTH).content.decode()

    client.force_login(front_desk)
    day = client.get(reverse("admin:screening_invitation_today")).content.decode()
    assert "Re-confirmation locked: wrong dates of birth" in day
    open_tablet(client, front_desk, sent)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNLOCKED).count() == 1
    assert client.post(reverse("screening:check_in"), BIRTH)["Location"] == reverse(
        "screening:check_in_answers"
    )


def test_the_tablet_closes_itself_when_idle(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)
    assert client.get(reverse("screening:check_in_answers")).status_code == 200

    session = client.session
    state = session[check_in_session.SESSION_KEY]
    state["touched_at"] = (timezone.now() - timedelta(minutes=6)).isoformat()
    session[check_in_session.SESSION_KEY] = state
    session.save()

    assert client.get(reverse("screening:check_in_answers"))["Location"] == reverse(
        "screening:check_in"
    )
    page = client.get(reverse("screening:check_in")).content.decode()
    assert "Please hand the tablet back" in page and "Pregnant" not in page
    assert client.get(reverse("screening:check_in_still_here")).status_code == 410


def test_hand_back_closes_the_session(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)

    assert (
        "Please hand the tablet back"
        in client.get(reverse("screening:check_in_closed")).content.decode()
    )
    assert check_in_session.SESSION_KEY not in client.session
    assert client.get(reverse("screening:check_in_answers"))["Location"] == reverse(
        "screening:check_in"
    )


@override_settings(SCREENING_CHECK_IN_IDLE_MINUTES=3)
def test_the_tablet_page_refreshes_to_the_closing_page_after_the_idle_time(client, front_desk):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    page = client.get(reverse("screening:check_in")).content.decode()
    closing = f'<noscript><meta http-equiv="refresh" content="180;url={reverse("screening:check_in_closed")}">'
    assert closing in page and "closes after 3 minutes without activity" in page


def test_the_front_desk_day_shows_the_check_in_state_and_no_answer(client, front_desk):
    sent = due_submission(pregnancy_status="pregnant")
    client.force_login(front_desk)

    page = client.get(reverse("admin:screening_invitation_today")).content.decode()

    assert "Re-confirmation due" in page and "Start check-in on this tablet" in page
    assert "Pregnant" not in page and "PREGNANT" not in page
    assert reverse("admin:screening_check_in_open", args=[sent.pk]) in page


def test_the_reminder_link_of_a_due_submission_leads_to_re_confirmation(client):
    from screening.invitations.service import invitation_create

    sent = due_submission()
    desk = factories.staff_user("Front desk", username="desk2")
    created = invitation_create(
        actor=desk,
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.org",
        appointment_at=sent.appointment_at,
    )
    created.invitation.submission = sent
    created.invitation.save()
    path = created.link[created.link.index("/i/") :]

    opened = client.get(path)

    assert opened["Location"] == reverse("screening:check_in")
    page = client.get(opened["Location"]).content.decode()
    assert "Date of birth" in page and 'http-equiv="refresh"' not in page  # not a tablet
    client.post(reverse("screening:check_in"), BIRTH)
    done = client.post(reverse("screening:check_in_answers"), ALL_STILL_TRUE)
    assert "You can close this page" in client.get(done["Location"]).content.decode()
    assert Reconfirmation.objects.get(submission=sent).via == "link"


def test_without_javascript_the_follow_ups_a_change_opens_are_asked_before_any_error(
    client, front_desk
):
    sent = due_submission()
    open_tablet(client, front_desk, sent)
    client.post(reverse("screening:check_in"), BIRTH)
    client.post(
        reverse("screening:check_in_answers"), {**ALL_STILL_TRUE, "item_isotretinoin": "change"}
    )

    more = client.post(
        reverse("screening:check_in_changes"), {"nav": "next", "isotretinoin_ever": "yes"}
    )

    page = more.content.decode()
    assert more.status_code == 200 and "There is a problem" not in page
    assert 'value="oral_retinoid_type"' in page  # now asked, and posted back as asked
    done = client.post(
        reverse("screening:check_in_changes"),
        {
            "nav": "next",
            "isotretinoin_ever": "yes",
            "asked": ["oral_retinoid_type", "isotretinoin_current"],
            "oral_retinoid_type": ["isotretinoin"],
            "isotretinoin_current": "yes",
        },
    )
    assert done["Location"] == reverse("screening:check_in_done")
    sent.refresh_from_db()
    assert sent.answers["isotretinoin_current"] == "yes"
    assert sent.flags.filter(raised_by_amendment__isnull=False, code__startswith="ISO").exists()


def test_a_withdrawn_patient_has_no_check_in_on_the_day(client, front_desk):
    sent = due_submission()
    Submission.objects.filter(pk=sent.pk).update(status=Submission.Status.WITHDRAWN)
    client.force_login(front_desk)
    page = client.get(reverse("admin:screening_invitation_today")).content.decode()
    assert "Re-confirmation due" not in page and "Start check-in" not in page
    assert open_tablet(client, front_desk, sent).status_code == 404
