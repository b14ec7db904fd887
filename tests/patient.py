"""Drive the patient's path through Django's test client, as a browser would post it."""

from screening.questionnaire import UNKNOWN, Kind, Section, current


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


def step_url(section: Section) -> str:
    return f"/questions/{section.slug}/"


def start(client):
    response = client.post("/start/")
    assert response.status_code == 302
    return response


def answer_all_steps(client, answers: dict):
    """Start a draft and post every step; returns the last response (a redirect to review)."""
    start(client)
    response = None
    for section in current().sections:
        response = client.post(
            step_url(section), {**post_data_for(section, answers), "nav": "next"}
        )
        assert response.status_code == 302, (section.key, _errors(response))
    return response


def _errors(response):
    form = response.context and response.context.get("form")
    return dict(form.errors) if form else response.status_code
