"""Gaps closed after the return-visit flags: the carried decision's date, a provider's amendment
clearing a lifetime yes, a series' modality flags not raised twice by the decision."""

import csv
import io
import uuid
from datetime import date, datetime

import pytest
from django.utils import timezone

from screening.models import Decision, Flag, Submission
from screening.patient.submission import submission_create
from screening.questionnaire import CURRENT_VERSION
from screening.staff.decisions import decision_record, modality_flag_preview
from screening.visits import rescreen
from tests import factories

pytestmark = pytest.mark.django_db

FORM_DATE = date(2027, 1, 20)
DECIDED = date(2027, 1, 22)
TODAY = date(2027, 3, 31)
TREATED = date(2027, 3, 3)
ON_ISOTRETINOIN = {
    "isotretinoin_ever": "yes",
    "oral_retinoid_type": ["isotretinoin"],
    "isotretinoin_current": "yes",
}


@pytest.fixture
def previous():
    return factories.submission(today=FORM_DATE)


def _decide_previous(previous, doctor, modality):
    decision = Decision.objects.create(
        submission=previous,
        provider=doctor.provider,
        outcome="proceed",
        modality=modality,
        provider_skin_type="II",
        next_session_weeks=6,
    )
    moment = timezone.make_aware(datetime.combine(DECIDED, datetime.min.time().replace(hour=10)))
    Decision.objects.filter(pk=decision.pk).update(decided_at=moment)
    return decision


def _send(previous, **changes):
    answers = factories.with_changes(
        {
            **previous.answers,
            "last_session_problems": ["none"],
            "since_last_treatments": "no",
            "since_last_medicines": "no",
        },
        **changes,
    )
    return submission_create(
        draft_key=str(uuid.uuid4()),
        answers=answers,
        today=TODAY,
        questionnaire_version=CURRENT_VERSION,
        signature_name="Ana Ruiz",
        previous_submission=previous,
        visit_type="series_session",
        treatment_date=TREATED,
    )


# --- 1. "Modality from the decision of {date}" ------------------------------------------------


def test_the_visit_carries_the_current_decisions_date(previous, doctor):
    _decide_previous(previous, doctor, "fractional_ablative")
    visit = rescreen.visit_for(previous, visit_type="series_session", treatment_date=TREATED)
    assert visit.carried_decision_date == DECIDED
    assert (
        rescreen.visit_for(
            factories.submission(), visit_type="series_session"
        ).carried_decision_date
        is None
    )


def test_a_series_rescreen_stores_the_decisions_date_and_its_modality_flags_name_it(
    previous, doctor
):
    _decide_previous(previous, doctor, "ablative")
    sent = _send(previous, **ON_ISOTRETINOIN)
    sent.refresh_from_db()
    assert sent.carried_decision_date == DECIDED
    assert sent.visit().carried_decision_date == DECIDED
    flag = sent.flags.get(code="ISO_FULLY_ABLATIVE")
    assert flag.severity == Flag.Severity.PRIORITY
    assert flag.reason.endswith("Modality from the decision of January 22, 2027.")


def test_a_first_visit_has_no_decision_date():
    sent = factories.submission()
    sent.refresh_from_db()
    assert sent.carried_decision_date is None and sent.lifetime_cleared == []


# --- 3. A series' modality flags are not raised again by the decision ---------------------------


@pytest.mark.parametrize(
    ("modality", "changes", "codes"),
    [
        ("fractional_ablative", {}, {"HSV_PROPHYLAXIS_POLICY"}),
        ("ablative", ON_ISOTRETINOIN, {"ISO_FULLY_ABLATIVE", "HSV_PROPHYLAXIS_POLICY"}),
    ],
)
def test_a_decision_with_the_carried_modality_does_not_raise_its_flags_twice(
    previous, doctor, modality, changes, codes
):
    _decide_previous(previous, doctor, modality)
    sent = _send(previous, **changes)
    assert codes <= set(sent.flags.values_list("code", flat=True))
    sent.flags.update(acknowledged_by=doctor, acknowledged_at=timezone.now())
    assert not {flag.code for flag in modality_flag_preview(submission=sent, modality=modality)}
    decision_record(
        submission=sent,
        outcome="proceed",
        modality=modality,
        notes="",
        actor=doctor,
        provider_skin_type="II",
    )
    for code in codes:
        assert Flag.objects.filter(submission=sent, code=code).count() == 1, code
    assert (
        not Flag.objects.filter(submission=sent, decision__isnull=False)
        .exclude(code="SKIN_TYPE_DISAGREEMENT")
        .filter(code__in=codes)
    )


def test_a_decision_with_another_modality_still_raises_its_own_flags(previous, doctor):
    _decide_previous(previous, doctor, "fractional_ablative")
    sent = _send(previous, **ON_ISOTRETINOIN)
    sent.flags.update(acknowledged_by=doctor, acknowledged_at=timezone.now())
    decision = decision_record(
        submission=sent,
        outcome="proceed",
        modality="ablative",
        notes="",
        actor=doctor,
        provider_skin_type="II",
    )
    by_decision = set(decision.modality_flags.values_list("code", flat=True))
    assert "ISO_FULLY_ABLATIVE" in by_decision
    assert "HSV_PROPHYLAXIS_POLICY" not in by_decision  # raised at submission already
    assert (
        Submission.objects.get(pk=sent.pk).flags.filter(code="HSV_PROPHYLAXIS_POLICY").count() == 1
    )


# --- 2. Rule 3: only a provider's amendment with a reason clears a lifetime yes -----------------

EARLIER = date(2026, 10, 1)
COURSE = {
    "last_session_problems": ["none"],
    "since_last_treatments": "no",
    "since_last_medicines": "no",
}


def _keloid_rescreen(**changes):
    earlier = factories.submission(today=EARLIER, skin_history=["keloid"])
    return factories.rescreen_submission(
        earlier, {**COURSE, **changes}, treatment_date=date(2026, 10, 20)
    )


def _active(submission):
    return set(
        submission.flags.filter(cleared_by_amendment__isnull=True).values_list("code", flat=True)
    )


def test_a_provider_amendment_removing_a_lifetime_yes_clears_it(doctor):
    from screening.visits.amendments import amend_answers

    rescreen_ = _keloid_rescreen()
    assert "KELOID_HYPERTROPHIC" in _active(rescreen_)
    amendment = amend_answers(
        rescreen_,
        {"skin_history": ["none"]},
        source="provider",
        actor=doctor,
        reason="Told in person: the keloid was another person's.",
        today=factories.TODAY,
    )
    rescreen_.refresh_from_db()
    assert amendment.lifetime_cleared == ["skin_history=keloid"]
    assert rescreen_.lifetime_cleared == ["skin_history=keloid"]
    assert rescreen_.visit().lifetime_cleared == frozenset({"skin_history=keloid"})
    assert "KELOID_HYPERTROPHIC" not in _active(rescreen_)


@pytest.mark.parametrize("source", ["patient", "check_in"])
def test_a_patients_or_check_ins_change_never_clears_a_lifetime_yes(source):
    from screening.visits.amendments import amend_answers

    rescreen_ = _keloid_rescreen()
    amendment = amend_answers(
        rescreen_, {"skin_history": ["none"]}, source=source, today=factories.TODAY
    )
    rescreen_.refresh_from_db()
    assert amendment.lifetime_cleared == [] and rescreen_.lifetime_cleared == []
    assert "KELOID_HYPERTROPHIC" in _active(rescreen_)
    flag = rescreen_.flags.get(code="KELOID_HYPERTROPHIC", cleared_by_amendment__isnull=True)
    assert flag.questions["skin_history"]  # still quoted, the earlier yes read


def test_a_provider_clears_an_earlier_yes_the_patient_already_removed_by_naming_it(doctor):
    from screening.visits.amendments import amend_answers

    rescreen_ = _keloid_rescreen(skin_history=["none"])
    flag = rescreen_.flags.get(code="KELOID_HYPERTROPHIC")
    assert "Removed on" in flag.change_note
    # Saving the section unchanged clears nothing (nothing changed, nothing named).
    assert (
        amend_answers(
            rescreen_,
            {"skin_history": ["none"]},
            source="provider",
            actor=doctor,
            reason="Checked",
            today=factories.TODAY,
        )
        is None
    )
    amendment = amend_answers(
        rescreen_,
        {"skin_history": ["none"]},
        source="provider",
        actor=doctor,
        reason="Confirmed in person: never had a keloid.",
        today=factories.TODAY,
        clear_lifetime=["skin_history=keloid"],
    )
    rescreen_.refresh_from_db()
    assert amendment.changes == {} and amendment.lifetime_cleared == ["skin_history=keloid"]
    assert "KELOID_HYPERTROPHIC" not in _active(rescreen_)
    # A patient's later change does not bring it back or clear anything more.
    assert rescreen_.lifetime_cleared == ["skin_history=keloid"]


# --- 4. A re-screen's question labels with their dates, wherever staff read them ---------------

QUEUE = "/staff/screening/submission/"
TREATED_WORDS = "Since your treatment here on October 20, have you had any of these"
FORM_WORDS = "Since October 1, have you had any other skin treatment"


@pytest.fixture
def amended_rescreen(doctor):
    """A series re-screen whose course answer was changed at check-in (so the amendment trail
    names the question too)."""
    from screening.visits.amendments import amend_answers

    earlier = factories.submission(today=EARLIER)
    made = factories.rescreen_submission(
        earlier,
        {
            **COURSE,
            "last_session_problems": ["long_redness"],
            "last_session_seen_for_it": "no",
            "last_session_still_now": "no",
        },
        treatment_date=date(2026, 10, 20),
    )
    amend_answers(
        made,
        {"last_session_problems": ["dark_patches", "long_redness"]},
        source="check_in",
        today=factories.TODAY,
    )
    made.refresh_from_db()
    return made


def _no_placeholder(text: str):
    assert "%(" not in text
    assert "here on …" not in text and "Since …" not in text and "on …" not in text


def test_the_review_and_print_pages_name_the_rescreens_dates(client, doctor, amended_rescreen):
    client.force_login(doctor)
    for url in (f"{QUEUE}{amended_rescreen.pk}/change/", f"{QUEUE}{amended_rescreen.pk}/print/"):
        page = client.get(url).content.decode()
        assert TREATED_WORDS in page, url
        assert FORM_WORDS in page, url
        _no_placeholder(page)
        # The amendment trail too, not only the answers.
        trail = page.split('id="amendments-title"')[1]
        assert TREATED_WORDS in trail, url


def test_the_csv_names_the_rescreens_dates_in_its_own_columns(client, doctor, amended_rescreen):
    client.force_login(doctor)
    response = client.post(
        QUEUE, {"action": "export_csv", "_selected_action": [amended_rescreen.pk]}
    )
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    text = text.decode()
    _no_placeholder(text)
    # The CSV names questions by id: the re-screen's dates are its own columns.
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["visit_type"] == "series_session"
    assert row["previous_form_date"] == "2026-10-01"
    assert row["treatment_date"] == "2026-10-20"
    assert "last_session_problems: " in row["amendments"]


def test_fhir_names_the_rescreens_dates(amended_rescreen):
    from screening.fhir.mapping import questionnaire, questionnaire_response

    response = str(questionnaire_response(amended_rescreen))
    assert TREATED_WORDS in response and FORM_WORDS in response
    _no_placeholder(response)
    assert "%(" not in str(questionnaire(amended_rescreen.questionnaire_version))


def test_the_patients_own_copy_names_the_rescreens_dates(client, amended_rescreen):
    from screening.patient import drafts

    session = client.session
    session[drafts.SUBMITTED_KEY] = {
        "reference": amended_rescreen.reference,
        "draft_key": str(amended_rescreen.draft_key),
    }
    session.save()
    page = client.get("/thank-you/your-answers/").content.decode()
    assert TREATED_WORDS in page
    _no_placeholder(page)


def test_the_amend_page_offers_to_clear_an_earlier_yes_and_clears_it_with_the_reason(
    client, doctor
):
    from django.urls import reverse

    from screening.patient.forms import StepForm
    from screening.questionnaire import definition_for

    rescreen_ = _keloid_rescreen(skin_history=["none"])
    definition = definition_for(rescreen_.questionnaire_version)
    section = next(s for s in definition.sections if "skin_history" in s.step_question_ids)
    url = (
        f"{reverse('admin:screening_submission_amend', args=[rescreen_.pk])}?section={section.slug}"
    )
    client.force_login(doctor)
    page = client.get(url).content.decode()
    assert "Clear the earlier yes: " in page and 'value="skin_history=keloid"' in page
    form = StepForm(section, initial=rescreen_.answers)
    data = {
        name: form.initial[name]
        for name in form.fields
        if name in form.initial and form.initial[name] is not None
    }
    response = client.post(
        url,
        {**data, "clear_lifetime": "skin_history=keloid", "reason": "Never had a keloid"},
    )
    assert response.status_code == 302
    rescreen_.refresh_from_db()
    assert rescreen_.lifetime_cleared == ["skin_history=keloid"]
    assert "KELOID_HYPERTROPHIC" not in _active(rescreen_)
    assert "Clear the earlier yes" not in client.get(url).content.decode()
