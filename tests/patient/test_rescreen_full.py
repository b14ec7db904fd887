"""Rule 2's last sentence: when every carried answer outside About you is stale, the return
invitation opens the full questionnaire (the current version's steps, About you filled in from
the previous submission) after "Since your last visit"; the result is linked to the previous
submission like a short re-screen's, with its provenance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.demo import no_risk_answers
from screening.models import SavedDraft, Submission
from screening.questionnaire import current
from tests import factories
from tests.patient.rescreen_helpers import TREATMENT_DATE, has, open_rescreen
from tests.patient_steps import SIGNED, post_data_for, step_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not has("last_session_problems"), reason="2027.02's own questions"),
]

SINCE = "/questions/since-your-last-visit/"
TODAY_ANSWERS = {
    **no_risk_answers(),
    "last_session_problems": ["none"],
    "since_last_treatments": "no",
    "since_last_medicines": "no",
}


@pytest.fixture
def stale():
    today = timezone.localdate()
    return factories.submission(today=today - timedelta(days=400), email="ana@example.org")


def test_a_stale_previous_opens_the_full_questionnaire_since_step_first(client, stale):
    open_rescreen(client, stale)
    assert SavedDraft.objects.get().rescreen == {"full": True}
    response = client.get("/continue/")
    assert response["Location"] == SINCE
    page = client.get(SINCE).content.decode()
    assert 'name="last_session_problems"' in page
    assert "%(treatment_date)s" not in page and "%(form_date)s" not in page
    assert client.get("/again/").status_code == 302  # not the short re-screen's pages
    about_you = current().first_visit_sections[0]
    assert client.get(step_url(about_you)).status_code == 302  # the since step first


def test_about_you_is_filled_in_and_the_result_is_linked(client, stale):
    invitation = open_rescreen(client, stale)
    steps = [current().sections_by_key["since_last"], *current().first_visit_sections]
    about_you = steps[1]
    changed = {**TODAY_ANSWERS, "phone": "+1 415 555 0199"}
    for section in steps:
        if section is about_you:
            page = client.get(step_url(section)).content.decode()
            assert f'value="{stale.answers["first_name"]}"' in page  # filled in
        response = client.post(
            step_url(section), {**post_data_for(section, changed), "nav": "next", "js": "1"}
        )
        assert response.status_code == 302, (section.key, response.content[:2000])
    assert response["Location"] == "/review/"
    review = client.get("/review/").content.decode()
    assert "Since your last visit" in review and "%(" not in review
    response = client.post("/review/", SIGNED)
    assert response["Location"] == "/thank-you/"
    sent = Submission.objects.exclude(pk=stale.pk).get()
    assert sent.previous_submission == stale
    assert sent.visit_type == invitation.visit_type == "series_session"
    assert sent.treatment_date == TREATMENT_DATE
    assert sent.answers["last_session_problems"] == ["none"]
    assert sent.answers["since_last_treatments"] == "no"
    first_name = sent.provenance["first_name"]
    assert first_name["provenance"] == "confirmed"
    assert first_name["from_submission"] == stale.reference
    assert first_name["answered_on"] == stale.submitted_on.isoformat()
    assert sent.provenance["date_of_birth"]["provenance"] == "confirmed"
    assert sent.provenance["phone"]["provenance"] == "answered"  # changed today
    for qid in ("skin_history", "medicines_any", "privacy_notice_ack", "last_session_problems"):
        assert sent.provenance[qid]["provenance"] == "answered", qid
        assert sent.provenance[qid]["from_submission"] == sent.reference
    assert set(sent.provenance) == set(sent.answers)


def test_a_recent_previous_keeps_the_short_rescreen(client):
    today = timezone.localdate()
    recent = factories.submission(today=today - timedelta(days=30))
    open_rescreen(client, recent)
    assert client.get("/continue/")["Location"].startswith("/again/")
    assert SavedDraft.objects.get().rescreen == {}
