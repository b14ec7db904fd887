"""A returning patient for tests: a previous submission, a re-screen invitation, its link opened
and the date of birth confirmed; and the posts of the re-screen's pages."""

from datetime import date

from screening.models import Invitation
from screening.questionnaire import current
from tests.invited import invite

TREATMENT_DATE = date(2026, 11, 3)


def rescreen_invitation(previous, *, visit_type="series_session", treatment_date=TREATMENT_DATE):
    """A re-screen invitation for the patient of `previous`; returns (invitation, link)."""
    link = invite(
        first_name=previous.first_name, last_name=previous.last_name, email=previous.email
    )
    invitation = Invitation.objects.latest("id")
    Invitation.objects.filter(pk=invitation.pk).update(
        previous_submission=previous, visit_type=visit_type, treatment_date=treatment_date
    )
    invitation.refresh_from_db()
    return invitation, link


def open_rescreen(client, previous, **kwargs):
    """Open the link and pass the date-of-birth check; returns the invitation."""
    invitation, link = rescreen_invitation(previous, **kwargs)
    response = client.get(link)
    assert response["Location"] == "/continue/"
    born = date.fromisoformat(previous.answers["date_of_birth"])
    response = client.post(
        "/continue/",
        {
            "date_of_birth_day": born.day,
            "date_of_birth_month": born.month,
            "date_of_birth_year": born.year,
        },
    )
    assert response["Location"] == "/continue/", response.content[:300]
    return invitation


def has(question_id: str) -> bool:
    return question_id in current().questions


STEP_1 = "/again/since-your-last-visit/"
STEP_2 = "/again/your-skin-today/"
STEP_3 = "/again/is-this-still-true/"
CHECK = "/again/check/"

NOTHING_CHANGED_1 = {"last_session_problems": ["none"], "since_last_treatments": "no"}
NOTHING_CHANGED_2 = {
    "current_skin_problems_area": ["none"],
    "last_significant_sun": "over_2_months",
    "pregnancy_status": "not_applicable",
    "isotretinoin_ever": "no",
    "since_last_medicines": "no",
}
STEP_3_CARDS = ("about_you", "skin_sun", "past_treatments", "medicines", "health")


def post(client, url, data, nav="next"):
    response = client.post(url, {**data, "nav": nav, "js": "1"})
    assert response.status_code == 302, _errors(response)
    return response


def _errors(response):
    context = response.context
    return context and context.get("summary")


def walk_nothing_changed(client, *, step_1=None, step_2=None):
    """Steps 1 to 3 with nothing changed: every card confirmed with one tap."""
    post(client, STEP_1, step_1 or NOTHING_CHANGED_1)
    post(client, STEP_2, {}, nav="confirm-goals")
    post(client, STEP_2, step_2 or NOTHING_CHANGED_2)
    for card in STEP_3_CARDS:
        post(client, STEP_3, {}, nav=f"confirm-{card}")
    return post(client, STEP_3, {})
