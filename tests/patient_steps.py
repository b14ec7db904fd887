"""Drive the patient's path through Django's test client, as a browser would post it; or, for
tests whose subject comes after the steps, put the draft in place without posting them."""

from django.utils import timezone

from screening.patient import drafts
from screening.questionnaire import UNKNOWN, Kind, Section, current
from screening.questionnaire.validation import validate_answers


def post_data_for(section: Section, answers: dict) -> dict:
    """The form fields a browser posts for `section`, from answers in the stored format."""
    data = {}
    for question in section.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if question.kind is Kind.MONTH_YEAR and value == UNKNOWN:
            data[f"{question.id}_unknown"] = "on"
        elif question.checkbox:
            if value == "yes":
                data[question.id] = "yes"
        else:
            data[question.id] = value
    return data


# What the review page posts when the patient ticks the declaration and the privacy
# acknowledgement and signs: every "Send my answers" of the tests posts it.
SIGNED = {"attest_accurate": "yes", "privacy_notice_ack": "yes", "signature_name": "Ana Ruiz"}


def step_url(section: Section) -> str:
    return f"/questions/{section.slug}/"


def start(client):
    """A fresh draft: with answers in progress, "Start again" confirmed ("Yes, erase")."""
    response = client.post("/start/", {"erase": "yes"})
    assert response.status_code == 302
    return response


def answer_all_steps(client, answers: dict):
    """Start a draft and post every step; returns the last response (a redirect to review)."""
    start(client)
    response = None
    for section in current().first_visit_sections:
        response = client.post(
            step_url(section), {**post_data_for(section, answers), "nav": "next"}
        )
        assert response.status_code == 302, (section.key, _errors(response))
    return response


def put_draft(client, answers: dict, *, steps=None) -> drafts.Draft:
    """Give `client` a draft with `steps` (all: the default) finished with `answers`, saved by the
    drafts service as the step views save it, without posting a step: what `answer_all_steps`
    reaches in a few milliseconds instead of seven requests (tests/patient/test_patient_helpers.py
    checks that both arrive at the same draft)."""
    draft = drafts.Draft()
    steps = draft.definition.first_visit_sections if steps is None else steps
    asked = {question_id for section in steps for question_id in section.step_question_ids}
    validated = validate_answers(
        {qid: value for qid, value in answers.items() if qid in asked},
        today=timezone.localdate(),
        version=draft.questionnaire_version,
        only=asked,
    )
    assert validated.is_valid, validated.errors
    for section in steps:
        draft.complete(section, validated.answers)
    session = client.session  # makes a session, and gives the client its cookie, when it has none
    drafts.save(session, draft)
    session.save()
    return draft


def _errors(response):
    form = response.context and response.context.get("form")
    return dict(form.errors) if form else response.status_code
