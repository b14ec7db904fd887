"""A provider's "series: next session in about N weeks" at the decision, and the front desk's
list of series patients to book (no clinical content on it)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from screening.invitations import rescreen
from screening.invitations.series import series_to_book
from screening.models import Decision, Submission
from screening.staff.decisions import DecisionRefused, decision_record
from tests import factories

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
TODAY_PAGE = "/staff/screening/invitation/today/"


def decide(client, submission, **data):
    return client.post(
        f"{QUEUE}{submission.pk}/decide/",
        {
            "outcome": "proceed",
            "modality": "non_ablative",
            "provider_skin_type": "II",
            "notes": "",
            **data,
        },
    )


def test_the_decision_page_offers_the_series_weeks_with_its_bounds(client, doctor, submit_answers):
    submission = submit_answers()
    client.force_login(doctor)
    page = client.get(f"{QUEUE}{submission.pk}/decide/").content.decode()
    assert 'name="next_session_weeks"' in page
    assert "Series: next session in about … weeks" in page
    assert "2 to 26 weeks" in page
    assert 'aria-describedby="id_next_session_weeks_helptext"' in page


@pytest.mark.parametrize("weeks", ["2", "6", "26"])
def test_a_series_decision_keeps_its_weeks(client, doctor, submit_answers, weeks):
    submission = submit_answers()
    client.force_login(doctor)
    assert decide(client, submission, next_session_weeks=weeks).status_code == 302
    decision = Decision.objects.get(submission=submission)
    assert decision.next_session_weeks == int(weeks)
    history = client.get(f"{QUEUE}{submission.pk}/change/").content.decode()
    assert f"series: next session in about {weeks} weeks" in history


def test_no_weeks_is_no_series(client, doctor, submit_answers):
    submission = submit_answers()
    client.force_login(doctor)
    assert decide(client, submission, next_session_weeks="").status_code == 302
    assert Decision.objects.get(submission=submission).next_session_weeks is None


@pytest.mark.parametrize(
    "weeks, outcome, message",
    [
        ("1", "proceed", "a number from 2 to 26"),
        ("27", "proceed", "a number from 2 to 26"),
        ("0", "proceed", "a number from 2 to 26"),
        ("six", "proceed", "Enter the weeks as a whole number"),
        ("6", "needs_in_person", "goes with a decision to proceed"),
        ("6", "not_recommended_now", "goes with a decision to proceed"),
    ],
)
def test_series_weeks_out_of_bounds_or_without_proceed_are_refused_with_a_clear_error(
    client, doctor, submit_answers, weeks, outcome, message
):
    submission = submit_answers()
    client.force_login(doctor)
    response = decide(client, submission, next_session_weeks=weeks, outcome=outcome)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.filter(submission=submission).exists()


def test_the_service_refuses_weeks_out_of_bounds_too(doctor, submit_answers):
    submission = submit_answers()
    with pytest.raises(DecisionRefused, match="from 2 to 26"):
        decision_record(
            submission=submission,
            outcome="proceed",
            modality="non_ablative",
            notes="",
            actor=doctor,
            next_session_weeks=30,
        )
    assert not Decision.objects.exists()


def _series(submission, doctor, weeks=6, outcome="proceed"):
    return decision_record(
        submission=submission,
        outcome=outcome,
        modality="fractional_ablative",
        notes="Session 1 of 3.",
        actor=doctor,
        provider_skin_type="II",
        next_session_weeks=weeks,
    )


def test_the_front_desk_sees_series_patients_to_book_without_clinical_content(
    client, doctor, make_staff, submit_answers
):
    submission = submit_answers(first_name="Rosa", last_name="Vidal")
    decision = _series(submission, doctor, weeks=6)
    client.force_login(make_staff("Front desk"))
    page = client.get(TODAY_PAGE).content.decode()
    section = page.split('id="series-title"')[1].split("</section>")[0]
    due = timezone.localdate(decision.decided_at) + timedelta(weeks=6)
    assert "Vidal, Rosa" in section and "6 weeks" in section
    assert f"{due:%a} {due.day} {due:%b %Y}" in section
    assert f"/staff/screening/invitation/return-visit/{submission.pk}/" in section
    for clinical in ("Proceed", "proceed", "ablative", "Ablative", "Session 1 of 3", "flag"):
        assert clinical not in section, clinical


def test_a_patient_leaves_the_list_once_invited_or_when_the_decision_is_replaced(
    doctor, make_staff, submit_answers
):
    invited = submit_answers(first_name="Ines", last_name="Invited")
    replaced = submit_answers(first_name="Rita", last_name="Replaced")
    waiting = submit_answers(first_name="Wanda", last_name="Waiting")
    for each in (invited, replaced, waiting):
        _series(each, doctor)
    visible = Submission.objects.all()
    assert {row.submission.pk for row in series_to_book(visible)} == {
        invited.pk,
        replaced.pk,
        waiting.pk,
    }
    rescreen.rescreen_invitation_create(
        actor=make_staff("Front desk"),
        previous=invited,
        visit_type="series_session",
        appointment_at=timezone.now() + timedelta(days=30),
        email="ines@example.org",
    )
    decision_record(
        submission=replaced,
        outcome="proceed",
        modality="fractional_ablative",
        notes="",
        actor=doctor,
        provider_skin_type="II",
    )
    assert [row.submission.pk for row in series_to_book(visible)] == [waiting.pk]
    assert series_to_book(Submission.objects.none()) == []


def test_a_patient_leaves_the_list_once_re_screened_even_without_an_invitation(doctor):
    # A re-screen made another way (a walk-in handed the link by hand, an older invitation).
    done = factories.submission(today=date(2026, 10, 1), last_name="Done")
    waiting = factories.submission(today=date(2026, 10, 1), last_name="Waiting")
    for each in (done, waiting):
        _series(each, doctor)
    factories.rescreen_submission(done, {}, treatment_date=date(2026, 10, 8))
    assert [row.submission.pk for row in series_to_book(Submission.objects.all())] == [waiting.pk]


def test_the_list_is_soonest_due_first(doctor, submit_answers):
    later = submit_answers(last_name="Later")
    sooner = submit_answers(last_name="Sooner")
    _series(later, doctor, weeks=8)
    _series(sooner, doctor, weeks=4)
    rows = series_to_book(Submission.objects.all())
    assert [row.submission.pk for row in rows] == [sooner.pk, later.pk]
    assert rows[0].due == timezone.localdate() + timedelta(weeks=4)
    assert isinstance(rows[0].due, date)
