"""The re-screen's service (screening/visits/rescreen.py) and `submission_create` for a return
visit: the visit's context, the current decision's modality, provenance, the chain's problems."""

import uuid
from datetime import date

import pytest

from screening.models import Decision, Submission
from screening.patient.submission import AnswersInvalid, submission_create
from screening.questionnaire import CURRENT_VERSION
from screening.questionnaire import carry_over as co
from screening.visits import rescreen
from tests import factories

pytestmark = pytest.mark.django_db

FORM_DATE = date(2027, 1, 20)
TODAY = date(2027, 3, 31)


@pytest.fixture
def previous():
    return factories.submission(today=FORM_DATE)


@pytest.fixture
def provider():
    return factories.staff_user("Provider", username="dr_rescreen", level="physician").provider


def _send(previous, answers, **kwargs):
    return submission_create(
        draft_key=str(uuid.uuid4()),
        answers=answers,
        today=TODAY,
        questionnaire_version=CURRENT_VERSION,
        signature_name="Ana Ruiz",
        previous_submission=previous,
        **kwargs,
    )


def _rescreen_answers(previous, **changes):
    answers = {
        **previous.answers,
        "last_session_problems": ["none"],
        "since_last_treatments": "no",
        "since_last_medicines": "no",
    }
    return factories.with_changes(answers, **changes)


def test_the_current_decision_is_the_one_not_superseded(previous, provider):
    assert rescreen.current_decision(previous) is None
    first = Decision.objects.create(
        submission=previous, provider=provider, outcome="proceed", modality="non_ablative"
    )
    later = Decision.objects.create(
        submission=previous,
        provider=provider,
        outcome="proceed",
        modality="fractional_ablative",
        provider_skin_type="III",
        supersedes=first,
    )
    assert rescreen.current_decision(previous) == later
    visit = rescreen.visit_for(
        previous, visit_type="series_session", treatment_date=date(2027, 3, 3)
    )
    assert visit.carried_modality == "fractional_ablative"
    assert visit.carried_provider_skin_type == "III"
    assert visit.form_date == FORM_DATE
    assert visit.previous_reference == previous.reference


def test_a_rescreen_is_stored_with_its_visit_and_provenance(previous, provider):
    Decision.objects.create(
        submission=previous,
        provider=provider,
        outcome="proceed",
        modality="fractional_ablative",
        provider_skin_type="II",
    )
    answers = _rescreen_answers(previous)
    provenance = {
        "pregnancy_status": {
            "provenance": "answered",
            "from_submission": None,
            "answered_on": TODAY.isoformat(),
            "confirmed_on": None,
        },
        "skin_history": {
            "provenance": "confirmed",
            "from_submission": previous.reference,
            "answered_on": FORM_DATE.isoformat(),
            "confirmed_on": TODAY.isoformat(),
        },
        "no_such_answer": {"provenance": "answered", "answered_on": TODAY.isoformat()},
    }
    sent = _send(
        previous,
        answers,
        visit_type="series_session",
        treatment_date=date(2027, 3, 3),
        provenance=provenance,
    )
    sent.refresh_from_db()
    assert sent.visit_type == Submission.VisitType.SERIES_SESSION
    assert sent.previous_submission == previous
    assert sent.treatment_date == date(2027, 3, 3)
    assert sent.carried_modality == "fractional_ablative"
    assert sent.carried_provider_skin_type == "II"
    # An answer given today names this submission; a dropped answer keeps no provenance.
    assert sent.provenance["pregnancy_status"]["from_submission"] == sent.reference
    assert sent.provenance["skin_history"]["from_submission"] == previous.reference
    assert "no_such_answer" not in sent.provenance
    assert sent.visit().previous_reference == previous.reference


def test_a_first_visit_stays_a_first_visit():
    sent = factories.submission()
    assert sent.visit_type == Submission.VisitType.FIRST_VISIT
    assert sent.previous_submission is None and sent.provenance == {}
    assert sent.visit() is None


def test_a_rescreen_is_validated_with_its_visit(previous):
    answers = _rescreen_answers(previous)
    if "since_last_treatments" not in co.NEW_IDS or CURRENT_VERSION == "2027.01":
        pytest.skip("the re-screen's questions come with 2027.02")
    del answers["since_last_treatments"]
    with pytest.raises(AnswersInvalid) as refused:
        _send(previous, answers, visit_type="series_session", treatment_date=date(2027, 3, 3))
    assert "since_last_treatments" in refused.value.errors


def test_the_chain_reports_course_problems_of_every_rescreen(previous):
    first_rescreen = Submission.objects.create(
        draft_key=uuid.uuid4(),
        submitted_on=date(2027, 2, 20),
        questionnaire_version=CURRENT_VERSION,
        rules_version="x",
        answers={"last_session_problems": ["cold_sore", "dark_patches"]},
        first_name="A",
        last_name="R",
        email="",
        phone="",
        visit_type=Submission.VisitType.SERIES_SESSION,
        previous_submission=previous,
    )
    second = Submission.objects.create(
        draft_key=uuid.uuid4(),
        submitted_on=date(2027, 3, 20),
        questionnaire_version=CURRENT_VERSION,
        rules_version="x",
        answers={**previous.answers, "last_session_problems": ["none"]},
        provenance={
            "cold_sores_history": {
                "from_submission": previous.reference,
                "answered_on": "2027-01-20",
            }
        },
        first_name="A",
        last_name="R",
        email="",
        phone="",
        visit_type=Submission.VisitType.SERIES_SESSION,
        previous_submission=first_rescreen,
    )
    reports = rescreen.course_reports(second)
    assert reports == (
        co.CourseReport(date(2027, 2, 20), frozenset({"cold_sore", "dark_patches"})),
    )
    seen = rescreen.previous_for(second)
    assert seen.version == CURRENT_VERSION and seen.reference == second.reference
    carry = co.plan(seen, today=TODAY, definition=factories_definition())
    # The first visit's history was answered before the cold sore: asked blank.
    assert carry.reasons["cold_sores_history"] is co.Reason.COURSE_PROBLEM
    # Given again on the latest re-screen, after the problem was reported: carried.
    assert carry.outcomes["prior_treatment_problems"] is co.Outcome.CARD
    assert carry.outcomes["skin_history"] is co.Outcome.CARD


def factories_definition():
    from screening.questionnaire import current

    return current()


def test_the_staleness_limit_is_a_setting(settings):
    settings.SCREENING_CARRY_OVER_MONTHS = 6
    assert rescreen.carry_over_months() == 6
