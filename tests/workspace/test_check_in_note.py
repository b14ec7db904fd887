"""Re-confirmation on the provider's pages: "Changed at check-in" on the banner (what changed,
flags raised and cleared), "Not re-confirmed" plainly when the appointment came without it, and
the flags raised at check-in in the attention panel; the front desk reads none of the answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.models import Submission
from screening.visits.reconfirmation import reconfirmation_complete
from screening.workspace.check_in import check_in_note
from tests import factories

pytestmark = pytest.mark.django_db


def due(days_before=20, hours_ahead=2, **overrides) -> Submission:
    sent = factories.submission(
        today=timezone.localdate() - timedelta(days=days_before), **overrides
    )
    Submission.objects.filter(pk=sent.pk).update(
        appointment_at=timezone.now() + timedelta(hours=hours_ahead)
    )
    sent.refresh_from_db()
    return sent


def test_no_note_when_the_appointment_is_within_the_days(doctor):
    assert check_in_note(due(days_before=14), medical=True) is None


def test_changed_at_check_in_on_the_banner_for_the_provider_only(client, doctor, make_staff):
    sent = due()
    reconfirmation_complete(
        submission=sent,
        via="tablet",
        confirmed_items=["sun"],
        since_answers={},
        changes={"pregnancy_status": "pregnant"},
    )
    client.force_login(doctor)
    page = client.get(reverse("admin:screening_submission_change", args=[sent.pk])).content.decode()

    assert "Changed at check-in" in page
    assert "Flag raised" in page and "Pregnant" in page
    assert "(the check-in tablet)" in page

    desk = make_staff("Front desk")
    client.force_login(desk)
    page = client.get(reverse("admin:screening_submission_change", args=[sent.pk])).content.decode()
    assert "Re-confirmed" in page and "Changed at check-in" not in page
    assert "Flag raised" not in page


def test_cleared_flags_are_named(doctor):
    sent = due(pregnancy_status="pregnant")
    reconfirmation_complete(
        submission=sent,
        via="link",
        confirmed_items=[],
        since_answers={},
        changes={"pregnancy_status": "not_applicable"},
    )
    sent.refresh_from_db()
    note = check_in_note(sent, medical=True)
    assert [flag.code for flag in note.cleared] == ["PREGNANT"] and not note.raised
    assert note.changed[0].after == "Does not apply to me"


def test_not_reconfirmed_says_so_plainly_once_the_appointment_came(client, doctor):
    sent = due(hours_ahead=-1)
    client.force_login(doctor)
    page = client.get(reverse("admin:screening_submission_change", args=[sent.pk])).content.decode()
    assert "Not re-confirmed." in page
    assert not sent.flags.filter(code__icontains="RECONFIRM").exists()  # a banner, not a flag


def test_due_before_the_appointment(doctor):
    note = check_in_note(due(), medical=True)
    assert note.due and not note.missed


def test_a_priority_flag_raised_at_check_in_is_in_the_providers_attention_panel(client, doctor):
    sent = due()
    Submission.objects.filter(pk=sent.pk).update(reviewed=True, reviewed_at=timezone.now())
    reconfirmation_complete(
        submission=sent,
        via="tablet",
        confirmed_items=[],
        since_answers={},
        changes={"pregnancy_status": "pregnant"},
    )
    client.force_login(doctor)
    page = client.get(reverse("admin:screening_submission_my_day")).content.decode()
    attention = page[page.index("Needs attention") : page.index("my-day-list")]

    assert sent.reference in attention and "Pregnant" in attention
    assert "Changed at check-in, not reviewed since" in attention


def test_a_discuss_flag_raised_at_check_in_on_a_reviewed_submission_needs_attention(doctor):
    from screening.workspace.check_in import changed_at_check_in

    sent = due()
    Submission.objects.filter(pk=sent.pk).update(reviewed=True, reviewed_at=timezone.now())
    reconfirmation_complete(
        submission=sent,
        via="tablet",
        confirmed_items=[],
        since_answers={},
        changes={"last_significant_sun": "within_4_weeks"},
    )
    sent.refresh_from_db()
    assert sent.reviewed  # not a priority flag: the review stands
    assert list(changed_at_check_in(Submission.objects.all(), timezone.now())) == [sent]

    Submission.objects.filter(pk=sent.pk).update(reviewed_at=timezone.now())  # reviewed again
    assert not changed_at_check_in(Submission.objects.all(), timezone.now()).exists()
