"""The provider's workspace: roles, the queue, the submission page, decisions, print, export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening.models import AuditEvent, Decision, Flag, Submission

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
PRIORITY = {"cold_sore_now": "yes", "keloid_history": "yes"}  # HSV_ACTIVE, KELOID_HYPERTROPHIC


def page_url(submission, suffix="change/"):
    return f"{QUEUE}{submission.pk}/{suffix}"


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_queue_shows_reference_status_provider_and_flag_counts(doctor, logged_in, submit_answers):
    submission = submit_answers(**PRIORITY)
    page = logged_in(doctor).get(QUEUE).content.decode()
    assert submission.reference in page
    assert "Dr doctor" in page
    assert 'class="severity sev-priority"' in page
    assert "Ana" not in page  # names are not in the queue columns


def test_queue_puts_the_most_severe_unreviewed_first_then_the_oldest(
    doctor, logged_in, submit_answers
):
    info_only = submit_answers()
    priority_old = submit_answers(**PRIORITY)
    priority_new = submit_answers(**PRIORITY)
    reviewed = submit_answers(**PRIORITY, pregnancy_status="pregnant")
    Submission.objects.filter(pk=reviewed.pk).update(reviewed=True, status="in_review")
    page = logged_in(doctor).get(QUEUE).content.decode()
    order = sorted(
        [info_only, priority_old, priority_new, reviewed], key=lambda s: page.index(s.reference)
    )
    assert order == [priority_old, priority_new, info_only, reviewed]


ALL_ROWS = {"hsv", "keloid", "plain", "theirs", "unassigned"}
FILTER_CASES = [
    ("", ALL_ROWS),  # the control: without a filter every row is on the page
    ("severity=2", ALL_ROWS - {"plain"}),
    ("flag=HSV_ACTIVE", {"hsv", "theirs", "unassigned"}),
    ("assigned=me", {"hsv", "keloid", "plain"}),
    ("assigned=none", {"unassigned"}),
    ("status=submitted", ALL_ROWS - {"plain"}),
    ("q=Patient", {"hsv"}),
]


@pytest.mark.parametrize(
    ("query", "shown"), FILTER_CASES, ids=[query or "no filter" for query, _ in FILTER_CASES]
)
def test_queue_filters_and_search(
    doctor, make_staff, logged_in, submit_answers, settings, query, shown
):
    # Rows that each filter must leave out: only the hsv row is named "Patient"; keloid is a
    # priority without HSV_ACTIVE; plain has no priority flag and is in review; theirs and
    # unassigned are not the doctor's.
    settings.SCREENING_PROVIDERS_SEE_ALL = True
    other_name = {"first_name": "Bo", "last_name": "Other", "email": "bo@example.com"}
    rows = {
        "hsv": submit_answers(**PRIORITY),
        "keloid": submit_answers(keloid_history="yes", **other_name),
        "plain": submit_answers(**other_name),
        "theirs": submit_answers(**PRIORITY, **other_name),
        "unassigned": submit_answers(**PRIORITY, **other_name),
    }
    other = make_staff("Provider", level="physician").provider
    Submission.objects.filter(pk=rows["plain"].pk).update(status="in_review")
    Submission.objects.filter(pk=rows["theirs"].pk).update(assigned_provider=other)
    Submission.objects.filter(pk=rows["unassigned"].pk).update(assigned_provider=None)
    assert {row.assigned_provider.user for row in rows.values()} == {doctor}  # routed to them
    page = logged_in(doctor).get(f"{QUEUE}?{query}").content.decode()
    assert {name for name, row in rows.items() if row.reference in page} == shown


def test_the_queue_query_count_does_not_grow_with_rows(doctor, logged_in, submit_answers):
    client = logged_in(doctor)

    def queries_for_queue():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    for _ in range(5):
        submit_answers(**PRIORITY)
    queries_for_queue()  # the first page view of a session also records the staff login time
    with_five = queries_for_queue()
    for _ in range(45):
        submit_answers()
    assert queries_for_queue() == with_five


def test_submission_page_shows_flags_first_with_reasons_answers_and_the_standing_note(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(**PRIORITY)
    page = logged_in(doctor).get(page_url(submission)).content.decode()
    assert "No flag does not mean cleared" in page
    assert page.index("HSV_ACTIVE") < page.index("Answers by section")
    assert "Active or prodromal HSV lesion reported" in page
    assert "Rules version" in page
    # answers as the patient saw them, flagged ones marked
    assert "Do you have a cold sore or tingling at a usual cold-sore spot right now?" in page
    assert '<tr class="flagged">' in page


def test_free_text_is_escaped_on_the_submission_page(doctor, logged_in, submit_answers):
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    submission = submit_answers(anything_else_text=attack, first_name="<b>Bo</b>")
    page = logged_in(doctor).get(page_url(submission)).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_front_desk_sees_contact_and_status_but_no_answers_or_flags(
    make_staff, doctor, logged_in, submit_answers
):
    submission = submit_answers(**PRIORITY, last_name="Frontdesk-visible")
    client = logged_in(make_staff("Front desk"))
    queue = client.get(QUEUE).content.decode()
    assert submission.reference in queue
    assert "sev-priority" not in queue
    page = client.get(page_url(submission)).content.decode()
    assert "Frontdesk-visible" in page
    assert "HSV_ACTIVE" not in page
    assert "cold sore" not in page.lower()
    assert client.get(page_url(submission, "decide/")).status_code == 403
    assert client.get(page_url(submission, "print/")).status_code == 403


def test_front_desk_can_change_the_status(make_staff, doctor, logged_in, submit_answers):
    submission = submit_answers()
    client = logged_in(make_staff("Front desk"))
    response = client.post(page_url(submission), {"status": "consultation_booked"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "consultation_booked"
    assert AuditEvent.objects.filter(submission=submission, action="changed").exists()


def test_a_provider_sees_only_submissions_assigned_to_them(
    make_staff, doctor, logged_in, submit_answers
):
    other = make_staff("Provider", level="physician")
    mine, theirs = submit_answers(), submit_answers()
    assert {mine.assigned_provider.user, theirs.assigned_provider.user} == {doctor, other}
    if mine.assigned_provider.user != doctor:
        mine, theirs = theirs, mine
    client = logged_in(doctor)
    queue = client.get(QUEUE).content.decode()
    assert mine.reference in queue
    assert theirs.reference not in queue
    assert client.get(page_url(theirs)).status_code in (302, 404)
    assert client.get(page_url(theirs, "print/")).status_code == 404


def test_providers_see_all_with_the_setting(
    make_staff, doctor, logged_in, submit_answers, settings
):
    settings.SCREENING_PROVIDERS_SEE_ALL = True
    make_staff("Provider", level="physician")
    submissions = [submit_answers(), submit_answers()]
    queue = logged_in(doctor).get(QUEUE).content.decode()
    assert all(s.reference in queue for s in submissions)


def decide(client, submission, **data):
    return client.post(
        page_url(submission, "decide/"),
        {
            "outcome": "proceed_with_conditions",
            "modality": "non_ablative",
            "notes": "Test spot",
            **data,
        },
    )


def test_a_provider_cannot_decide_without_acknowledging_priority_flags(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(**PRIORITY)
    response = decide(logged_in(doctor), submission)
    assert response.status_code == 200
    assert "Acknowledge every priority flag" in response.content.decode()
    assert not Decision.objects.exists()


def test_acknowledging_then_deciding_stores_who_and_when(doctor, logged_in, submit_answers):
    submission = submit_answers(**PRIORITY)
    priority_ids = list(submission.flags.filter(severity="priority").values_list("id", flat=True))
    response = decide(logged_in(doctor), submission, acknowledge=priority_ids)
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.provider.user == doctor
    assert decision.outcome == "proceed_with_conditions"
    for flag in Flag.objects.filter(id__in=priority_ids):
        assert flag.acknowledged_by == doctor
        assert flag.acknowledged_at is not None
    submission.refresh_from_db()
    assert submission.status == "decided"
    assert AuditEvent.objects.filter(submission=submission, action="decided").exists()


def test_a_new_decision_supersedes_and_history_is_kept(doctor, logged_in, submit_answers):
    submission = submit_answers()
    client = logged_in(doctor)
    decide(client, submission, outcome="needs_in_person")
    decide(client, submission, outcome="proceed")
    first, second = Decision.objects.order_by("id")
    assert second.supersedes == first
    assert first.outcome == "needs_in_person"
    page = client.get(page_url(submission)).content.decode()
    assert "(superseded)" in page
    assert "Proceed to treatment planning" in page


def test_front_desk_and_non_providers_cannot_decide(make_staff, doctor, logged_in, submit_answers):
    submission = submit_answers()
    for role in ("Front desk", "Clinic admin"):
        response = decide(logged_in(make_staff(role)), submission)
        assert response.status_code == 403
    assert not Decision.objects.exists()


def test_an_ablative_modality_shows_the_hsv_policy_flag_before_saving(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(cold_sores_history="never")
    stored_before = list(submission.flags.values_list("id", "code", "reason"))
    client = logged_in(doctor)
    first = decide(client, submission, modality="ablative")
    assert first.status_code == 200
    assert "HSV_PROPHYLAXIS_POLICY" in first.content.decode()
    assert not Decision.objects.exists()
    second = decide(client, submission, modality="ablative", shown_modality="ablative")
    assert second.status_code == 302
    decision = Decision.objects.get()
    modality_flag = Flag.objects.get(code="HSV_PROPHYLAXIS_POLICY")
    assert modality_flag.raised_by == "provider_input"
    assert modality_flag.decision == decision
    assert (
        list(submission.flags.filter(decision__isnull=True).values_list("id", "code", "reason"))
        == stored_before
    )


def test_print_view_has_flags_answers_and_decision_and_is_audited(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(**PRIORITY)
    client = logged_in(doctor)
    page = client.get(page_url(submission, "print/")).content.decode()
    assert "HSV_ACTIVE" in page
    assert "Answers by section" in page
    assert "No decision recorded yet" in page
    assert AuditEvent.objects.filter(submission=submission, action="printed").exists()


def test_csv_export_has_answers_by_id_flags_and_guards_formulas(doctor, logged_in, submit_answers):
    submission = submit_answers(
        **PRIORITY, anything_else_text='=HYPERLINK("http://x")', current_medications_text="@SUM(A1)"
    )
    response = logged_in(doctor).post(
        QUEUE, {"action": "export_csv", "_selected_action": [submission.pk]}
    )
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    (row,) = rows
    assert row["reference"] == submission.reference
    assert row["cold_sore_now"] == "yes"
    assert "HSV_ACTIVE:priority" in row["flags"]
    assert row["anything_else_text"] == '\'=HYPERLINK("http://x")'
    assert row["current_medications_text"] == "'@SUM(A1)"
    assert AuditEvent.objects.filter(submission=submission, action="exported").exists()


def test_viewing_a_submission_is_audited_with_actor_and_address(doctor, logged_in, submit_answers):
    submission = submit_answers()
    logged_in(doctor).get(page_url(submission), REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(submission=submission, action="viewed")
    assert event.actor == doctor
    assert event.client_address == "203.0.113.7"


def test_needs_assignment_is_shown_to_those_who_see_all(make_staff, logged_in, submit_answers):
    submission = submit_answers()  # no provider exists: unassigned
    client = logged_in(make_staff("Clinic admin"))
    queue = client.get(QUEUE).content.decode()
    assert "1 submission needs assignment" in queue
    assert submission.reference in client.get(f"{QUEUE}?assigned=none").content.decode()


def test_submission_str_never_holds_a_name(submit_answers):
    submission = submit_answers(first_name="Zqx")
    assert str(submission) == submission.reference


def test_the_queue_shows_open_submissions_by_default_and_history_on_request(
    doctor, logged_in, submit_answers
):
    open_one, decided = submit_answers(), submit_answers()
    Submission.objects.filter(pk=decided.pk).update(status="decided", reviewed=True)
    client = logged_in(doctor)
    default = client.get(QUEUE).content.decode()
    assert open_one.reference in default
    assert decided.reference not in default
    everything = client.get(f"{QUEUE}?status=all").content.decode()
    assert decided.reference in everything
