"""Hostile and odd input at every public URL: never a 500, never a submission that shouldn't be.

Public URLs: /, /start/, /questions/<slug>/ for every step, /review/, /thank-you/, /privacy/.
"""

import pytest
from django.test import Client

from screening.models import Submission
from screening.questionnaire import Kind, current
from tests.factories import many_followups_answers
from tests.patient_steps import SIGNED, answer_all_steps, post_data_for, start, step_url

pytestmark = pytest.mark.django_db

POST_URLS = [
    "/start/",
    *(step_url(section) for section in current().first_visit_sections),
    "/review/",
    "/thank-you/",
]
ALL_URLS = ["/", "/privacy/", *POST_URLS]
SECTION_OF = {
    question.id: section
    for section in current().first_visit_sections
    for question in section.step_questions
}
FREE_TEXT = [qid for qid, question in current().questions.items() if question.kind is Kind.TEXT]
SHORT_TEXT, LONG_TEXT = "first_name", "goals_text"
CHOICE_KINDS = (Kind.SINGLE, Kind.YES_NO, Kind.YES_NO_UNSURE, Kind.MULTI)
BIDI_CONTROLS = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.fixture(autouse=True)
def _no_rate_limit_here(settings):
    settings.SCREENING_RATE_LIMIT_BURST = 100_000


def ok(response):
    assert response.status_code < 500, response.status_code
    return response


def post_step(client, qid, value, answers=None):
    """POST the step holding `qid`, with valid answers for the rest of the step."""
    section = SECTION_OF[qid]
    data = {**post_data_for(section, answers or many_followups_answers()), "nav": "next"}
    if value is None:
        data.pop(qid, None)
    else:
        data[qid] = value
    return ok(client.post(step_url(section), data))


def field_errors(response) -> dict:
    assert response.status_code == 200, response.status_code
    return dict(response.context["form"].errors)


# --- CSRF, methods, URLs ------------------------------------------------------------------------


@pytest.mark.parametrize("url", POST_URLS)
def test_a_missing_csrf_token_is_a_403_page(url):
    response = Client(enforce_csrf_checks=True).post(url, {"first_name": "Ana"})
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("url", POST_URLS)
@pytest.mark.parametrize("token", ["x", "A" * 64, "not a token at all, but long enough" * 2])
def test_an_invalid_csrf_token_is_a_403_page(url, token):
    strict = Client(enforce_csrf_checks=True)
    strict.get("/")  # the landing page sets the CSRF cookie
    response = strict.post(url, {"csrfmiddlewaretoken": token}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()


def test_the_right_csrf_token_is_accepted():
    # The control for the two tests above: the 403s are about the token, nothing else.
    strict = Client(enforce_csrf_checks=True)
    strict.get("/")
    response = strict.post("/start/", {"csrfmiddlewaretoken": strict.cookies["csrftoken"].value})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/questions/no-such-step/",
        "/questions/about-you-2/",
        "/questions/%00/",
        "/questions/about%E2%80%AEyou/",
        "/questions/../review/x/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_step_is_a_404(ready_to_submit, url, method):
    response = getattr(ready_to_submit, method)(url)
    assert response.status_code == 404
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_confirmation_page_refuses_anything_but_get(ready_to_submit, method):
    response = getattr(ready_to_submit, method)("/thank-you/", {"reference": "X"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert Submission.objects.count() == 0


def test_a_step_skipped_by_editing_the_url_redirects_and_saves_nothing(client):
    answers = many_followups_answers()
    start(client)
    draft_before = client.session["screening_draft"]
    for section in current().first_visit_sections[1:]:
        for response in (
            client.get(step_url(section)),
            client.post(step_url(section), {**post_data_for(section, answers), "nav": "next"}),
        ):
            assert response.status_code == 302
            assert response["Location"] == step_url(current().first_visit_sections[0])
    assert client.post("/review/", SIGNED)["Location"] == step_url(
        current().first_visit_sections[0]
    )
    assert client.session["screening_draft"]["completed"] == draft_before["completed"]
    assert client.session["screening_draft"]["answers"] == {}
    assert Submission.objects.count() == 0


def test_another_session_gets_a_404_for_the_confirmation_page(ready_to_submit):
    ready_to_submit.post("/review/", SIGNED)
    reference = Submission.objects.get().reference
    stranger = Client()
    for url in ("/thank-you/", f"/thank-you/?reference={reference}"):
        assert stranger.get(url).status_code == 404
    start(stranger)  # a stranger with a draft of their own is still a stranger
    assert stranger.get("/thank-you/").status_code == 404


def test_a_replayed_final_post_gives_one_submission(ready_to_submit):
    first = ready_to_submit.post("/review/", SIGNED)
    thief = Client()
    thief.cookies = ready_to_submit.cookies  # the same session cookie, replayed from elsewhere
    replays = [ready_to_submit.post("/review/", SIGNED) for _ in range(3)] + [
        thief.post("/review/", SIGNED)
    ]
    assert {response["Location"] for response in [first, *replays]} == {"/thank-you/"}
    assert Submission.objects.count() == 1


# --- Size ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ALL_URLS)
def test_a_10_mb_body_is_refused_with_413(ready_to_submit, url):
    response = ready_to_submit.post(
        url, data=b"a" * (10 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert Submission.objects.count() == 0


def test_a_10_mb_text_answer_is_refused_with_413(ready_to_submit):
    response = post_step(ready_to_submit, LONG_TEXT, "a" * (10 * 1024 * 1024))
    assert response.status_code == 413


def test_too_many_fields_is_a_400(ready_to_submit):
    data = {f"field{number}": "x" for number in range(1000)}
    response = ready_to_submit.post(step_url(current().first_visit_sections[0]), data)
    assert response.status_code == 400
    assert "Something went wrong with that request" in response.content.decode()


@pytest.mark.parametrize("qid", FREE_TEXT)
def test_100_kb_in_a_text_field_is_a_field_error(ready_to_submit, qid):
    errors = field_errors(post_step(ready_to_submit, qid, "a" * 100 * 1024))
    assert "characters or fewer. It has 102400." in errors[qid][0]


# --- Wrong shapes and keys -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "qid",
    [
        qid
        for qid, question in current().questions.items()
        if question.kind in CHOICE_KINDS and qid in SECTION_OF and qid in many_followups_answers()
    ],
)
def test_a_nonexistent_choice_key_is_a_field_error(ready_to_submit, qid):
    value = ["no_such_key"] if current().questions[qid].kind is Kind.MULTI else "no_such_key"
    assert qid in field_errors(post_step(ready_to_submit, qid, value))


@pytest.mark.parametrize("qid", ["skin_concerns", "prior_procedures", "skin_conditions"])
def test_a_list_written_as_one_string_is_a_field_error(ready_to_submit, qid):
    assert qid in field_errors(post_step(ready_to_submit, qid, "['acne_scars', 'texture']"))


@pytest.mark.parametrize(
    ("qid", "values"),
    [
        ("first_name", ["Ana", "Zed"]),
        ("date_of_birth", ["1980-05-17", "1990-01-01"]),
        ("preferred_contact_method", ["email", "phone_call"]),
        ("ok_voicemail", ["yes", "no"]),
        ("upcoming_event_date", ["2027-06", "2027-07"]),
    ],
)
def test_a_list_where_one_value_belongs_is_one_string_or_a_field_error(
    ready_to_submit, qid, values
):
    # A browser never sends two values for one of these; Django's forms read the last one.
    response = post_step(ready_to_submit, qid, values)
    if response.status_code == 200:
        assert qid in field_errors(response)
        return
    assert response.status_code == 302
    stored = ready_to_submit.session["screening_draft"]["answers"].get(qid)
    assert isinstance(stored, str) and stored in values


def test_one_value_where_a_list_belongs_is_a_list_of_one(ready_to_submit):
    response = post_step(
        ready_to_submit, "skin_concerns", "texture", many_followups_answers(main_concern="texture")
    )
    assert response.status_code == 302
    assert ready_to_submit.session["screening_draft"]["answers"]["skin_concerns"] == ["texture"]


@pytest.mark.parametrize("value", [["none", "wrinkles"], ["wrinkles", "wrinkles"]])
def test_impossible_combinations_of_choices_are_field_errors(ready_to_submit, value):
    assert "skin_concerns" in field_errors(post_step(ready_to_submit, "skin_concerns", value))


# --- Characters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "qid", [SHORT_TEXT, LONG_TEXT, "email", "phone", "preferred_contact_method", "date_of_birth"]
)
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_nul_bytes_and_control_characters_are_field_errors(ready_to_submit, qid, character):
    value = f"{many_followups_answers()[qid]}{character}x"
    assert qid in field_errors(post_step(ready_to_submit, qid, value))


def test_newlines_and_tabs_are_fine_in_long_text_but_not_short(ready_to_submit):
    assert post_step(ready_to_submit, LONG_TEXT, "Line one\n\tLine two").status_code == 302
    assert SHORT_TEXT in field_errors(post_step(ready_to_submit, SHORT_TEXT, "Ana\nMaria"))


@pytest.mark.parametrize("qid", [SHORT_TEXT, LONG_TEXT, "allergy_antibiotic_text"])
@pytest.mark.parametrize("character", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_bidi_override_and_isolate_characters_are_field_errors(ready_to_submit, qid, character):
    assert qid in field_errors(post_step(ready_to_submit, qid, f"Ana{character}txt.exe"))


def test_accented_non_latin_and_emoji_text_is_stored_exactly(client):
    typed = {
        "first_name": "Zoë-Ángela",
        "last_name": "Nguyễn Łukasiewicz",
        "preferred_name": "李小龍",
        "goals_text": "محمد: أريد بشرة أنعم\nनमस्ते क्‍ष\n👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 e\u0301",
        "anything_else_text": "Ελληνικά, Русский, עברית, 日本語のテキスト",
    }
    answer_all_steps(client, many_followups_answers(**typed))
    review = client.get("/review/").content.decode()
    for value in typed.values():
        for line in value.split("\n"):
            assert line in review
    client.post("/review/", SIGNED)
    submission = Submission.objects.get()
    for qid, value in typed.items():
        assert submission.answers[qid] == value, qid
    assert submission.first_name == typed["first_name"]
    assert submission.last_name == typed["last_name"]


def test_markup_in_every_free_text_field_is_stored_as_typed_and_escaped_on_review(client):
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    answers = many_followups_answers()
    typed = {
        qid: f"{attack} {qid}"
        for qid in FREE_TEXT
        if qid in answers or current().questions[qid].show_if is None
    }
    answer_all_steps(client, {**answers, **typed})
    review = client.get("/review/").content.decode()
    assert "<script>alert(1)" not in review
    assert "<img src=x" not in review
    assert review.count(
        "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
    ) == len(typed)
    client.post("/review/", SIGNED)
    stored = Submission.objects.get().answers
    for qid, value in typed.items():
        assert stored[qid] == value, qid


def test_markup_is_escaped_when_a_step_is_shown_again_with_an_error(ready_to_submit):
    attack = '"><img src=x onerror=alert(2)>'
    response = ready_to_submit.post(
        step_url(current().first_visit_sections[0]),
        {
            **post_data_for(
                current().first_visit_sections[0], many_followups_answers(first_name=attack)
            ),
            "email": "not-an-email",
            "nav": "next",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<img src=x" not in page
    assert 'value="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"' in page


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2999-01-01",
        "0000-05-17",
        "2026-02-30",
        "2025-13-01",
        "1800-01-01",
        "-1980-05-17",
        "19800-05-17",
        "17/05/1980",
        "1980-5-17",
        "٢٠٢٠-٠١-٠١",
        "1980-05-17T00:00",
        ["1980-05-17x"],
    ],
)
def test_an_impossible_date_of_birth_is_a_field_error(ready_to_submit, value):
    assert "date_of_birth" in field_errors(post_step(ready_to_submit, "date_of_birth", value))


@pytest.mark.parametrize(
    "value", ["0000-01", "2020-00", "2020-13", "99999-01", "13/2020", "2020-1-"]
)
def test_an_impossible_month_is_a_field_error(ready_to_submit, value):
    errors = field_errors(post_step(ready_to_submit, "isotretinoin_last_dose", value))
    assert "isotretinoin_last_dose" in errors
