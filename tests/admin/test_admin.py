"""The provider's workspace: roles, the queue, the submission page, decisions, print, export."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from screening.models import AuditEvent, Decision, Flag, Submission
from tests.task_queue import run_queued_tasks

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


def test_queue_shows_reference_name_age_status_provider_and_flag_counts(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(**PRIORITY)
    page = logged_in(doctor).get(QUEUE).content.decode()
    assert submission.reference in page
    assert "Dr doctor" in page
    assert 'class="severity sev-priority"' in page
    # A provider's day is by patient: the name and age are columns (never in the URL).
    assert f"{submission.last_name}, {submission.first_name}" in page
    assert '<td class="field-age">' in page


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
    page = logged_in(doctor).get(f"{QUEUE}?{query}", follow=True).content.decode()
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


def test_front_desk_books_the_consultation_with_its_date_and_time(
    make_staff, doctor, logged_in, submit_answers
):
    submission = submit_answers()
    client = logged_in(make_staff("Front desk"))
    refused = client.post(page_url(submission), {"status": "consultation_booked"})
    assert refused.status_code == 200
    assert "Enter the consultation&#x27;s date and time" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == "submitted"
    day = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = client.post(
        page_url(submission),
        {"status": "consultation_booked", "appointment_at_0": day, "appointment_at_1": "14:30"},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "consultation_booked"
    local = timezone.localtime(submission.appointment_at)
    assert (local.date().isoformat(), local.hour, local.minute) == (day, 14, 30)
    details = set(
        AuditEvent.objects.filter(submission=submission, action="changed").values_list(
            "detail", flat=True
        )
    )
    assert details == {"status submitted -> consultation_booked", "appointment set"}


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
    assert (
        client.get(page_url(theirs)).status_code == 403
    )  # "You don't have access to this patient"
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
            "provider_skin_type": submission.answers.get("skin_type_self", "II"),
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


# --- The admin's generic machinery keeps our rules ----------------------------------------


@pytest.mark.parametrize("role", ["Front desk", "Clinic admin", "Provider"])
@pytest.mark.parametrize(
    "lookup",
    [
        "answers__pregnancy_status=pregnant",
        "answers__anything_else_text__icontains=sore",
        "answers__has_key=anything_else_text",
        "priority_count__gte=1",
        "top_severity_rank=2",
        "first_name__startswith=A",
        "assigned_provider__user__username=doctor",
    ],
)
def test_a_query_string_lookup_the_page_does_not_offer_is_refused(
    make_staff, logged_in, submit_answers, role, lookup
):
    submit_answers(pregnancy_status="pregnant")
    user = make_staff(role, level="physician" if role == "Provider" else None)
    response = logged_in(user).get(f"{QUEUE}?status=all&{lookup}")
    assert response.status_code == 400


def test_the_filters_a_role_is_offered_still_narrow_the_list(make_staff, logged_in, submit_answers):
    submission = submit_answers()
    front_desk = make_staff("Front desk")
    page = logged_in(front_desk).get(f"{QUEUE}?status=submitted&assigned=none")
    assert page.status_code == 200
    assert submission.reference in page.content.decode()  # no provider yet: unassigned
    assert logged_in(front_desk).get(f"{QUEUE}?severity=2").status_code == 400  # medical filter


def test_every_admin_on_the_staff_site_keeps_our_rules():
    from django.contrib import admin

    from screening.admin.base import AccessAdmin

    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AccessAdmin), model


@pytest.mark.parametrize(
    "lookup", ["password__startswith=md5", "email__endswith=clinic.example", "is_superuser=1"]
)
def test_the_user_list_refuses_lookups_it_does_not_offer(make_staff, logged_in, lookup):
    clinic_admin = make_staff("Clinic admin")
    response = logged_in(clinic_admin).get(f"/staff/auth/user/?{lookup}")
    assert response.status_code == 400


# --- names stay out of URLs (access logs) ------------------------------------------------------


def test_the_search_box_posts_and_the_queue_url_holds_no_name(doctor, logged_in, submit_answers):
    wanted = submit_answers(last_name="Zebedee")
    other = submit_answers(last_name="Other")
    client = logged_in(doctor)
    page = client.get(QUEUE).content.decode()
    assert 'method="post" action="/staff/screening/submission/search/"' in page
    response = client.post(f"{QUEUE}search/", {"q": "Zebedee", "status": "all"})
    assert response.status_code == 302
    assert "Zebedee" not in response["Location"]
    assert "status=all" in response["Location"]
    listed = client.get(response["Location"]).content.decode()
    assert wanted.reference in listed and other.reference not in listed
    assert 'value="Zebedee"' in listed  # the box still shows what was searched


def test_a_search_typed_into_the_url_moves_to_the_session(doctor, logged_in, submit_answers):
    submit_answers(last_name="Zebedee")
    response = logged_in(doctor).get(f"{QUEUE}?q=Zebedee")
    assert response.status_code == 302 and "Zebedee" not in response["Location"]


def test_a_search_key_of_another_session_finds_nothing_of_it(
    doctor, make_staff, logged_in, client, submit_answers
):
    wanted = submit_answers(last_name="Zebedee")
    other = submit_answers(last_name="Other")
    location = logged_in(doctor).post(f"{QUEUE}search/", {"q": "Zebedee"})["Location"]
    client.logout()
    other_doctor = make_staff("Provider", level="physician")
    Submission.objects.update(assigned_provider=other_doctor.provider)
    page = logged_in(other_doctor).get(location).content.decode()
    assert 'value="Zebedee"' not in page
    assert wanted.reference in page and other.reference in page  # the key is unknown here


# --- staff accounts: no privilege escalation ---------------------------------------------------

USERS = "/staff/auth/user/"


@pytest.fixture
def clinic_admin(make_staff):
    return make_staff("Clinic admin", username="clinicadmin")


def account_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "roles": list(user.groups.values_list("name", flat=True)),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_clinic_admin_cannot_make_anyone_superuser_or_grant_permissions(
    clinic_admin, make_staff, logged_in
):
    front_desk = make_staff("Front desk")
    client = logged_in(clinic_admin)
    page = client.get(f"{USERS}{front_desk.pk}/change/").content.decode()
    assert "is_superuser" not in page and "user_permissions" not in page
    client.post(
        f"{USERS}{front_desk.pk}/change/",
        account_data(front_desk, is_superuser="on", user_permissions=["1", "2"], is_staff="on"),
    )
    front_desk.refresh_from_db()
    assert not front_desk.is_superuser and not front_desk.user_permissions.exists()


def test_a_clinic_admin_cannot_change_their_own_roles(clinic_admin, logged_in):
    client = logged_in(clinic_admin)
    client.post(
        f"{USERS}{clinic_admin.pk}/change/",
        account_data(clinic_admin, roles=["Clinic admin", "Provider", "Privacy officer"]),
    )
    assert list(clinic_admin.groups.values_list("name", flat=True)) == ["Clinic admin"]


def test_a_clinic_admin_changes_another_members_role_and_it_is_audited(
    clinic_admin, make_staff, logged_in
):
    front_desk = make_staff("Front desk")
    response = logged_in(clinic_admin).post(
        f"{USERS}{front_desk.pk}/change/", account_data(front_desk, roles=["Provider"])
    )
    assert response.status_code == 302
    assert list(front_desk.groups.values_list("name", flat=True)) == ["Provider"]
    event = AuditEvent.objects.get(action="roles_changed")
    assert event.actor == clinic_admin
    assert front_desk.username in event.detail and "Provider" in event.detail


def test_a_clinic_admin_cannot_set_a_password_nor_touch_a_superuser(
    clinic_admin, admin_user, make_staff, logged_in
):
    front_desk = make_staff("Front desk")
    client = logged_in(clinic_admin)
    assert client.get(f"{USERS}{front_desk.pk}/password/").status_code in (302, 404)
    client.post(
        f"{USERS}{front_desk.pk}/password/",
        {"password1": "Taken0ver!x", "password2": "Taken0ver!x"},
    )
    front_desk.refresh_from_db()
    assert not front_desk.check_password("Taken0ver!x")
    assert client.get(f"{USERS}{admin_user.pk}/change/").status_code == 200  # read-only
    client.post(f"{USERS}{admin_user.pk}/change/", account_data(admin_user, is_active=None))
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_a_new_account_gets_a_password_link_by_email_and_no_password(
    clinic_admin, logged_in, mailoutbox, client
):
    response = logged_in(clinic_admin).post(
        f"{USERS}add/",
        {
            "username": "newnurse",
            "email": "nurse@clinic.example",
            "roles": ["Provider"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert mailoutbox == []  # queued, sent by the worker
    run_queued_tasks()
    from django.contrib.auth.models import User

    account = User.objects.get(username="newnurse")
    assert account.is_staff and not account.is_superuser and not account.has_usable_password()
    assert [message.to for message in mailoutbox] == [["nurse@clinic.example"]]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line).strip()
    assert {"account_added", "password_reset"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    client.logout()
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "A long new passphrase 7", "new_password2": "A long new passphrase 7"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password("A long new passphrase 7")
    assert AuditEvent.objects.filter(action="password_set", actor=account).exists()


def test_the_reset_link_action_emails_the_holder(clinic_admin, make_staff, logged_in, mailoutbox):
    front_desk = make_staff("Front desk")
    logged_in(clinic_admin).post(
        USERS, {"action": "send_password_link", "_selected_action": [front_desk.pk]}
    )
    run_queued_tasks()
    assert [message.to for message in mailoutbox] == [[front_desk.email]]
    assert "pw" not in mailoutbox[0].body


def test_seed_demo_makes_no_superuser(settings, db):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(is_superuser=True).exists()
    assert User.objects.get(username="demo-admin").groups.get().name == "Clinic admin"


# --- status: a small state machine; "Decided" only by a decision -------------------------------


@pytest.mark.parametrize("role", ["Front desk", "Provider", "Clinic admin"])
def test_nobody_sets_decided_through_the_status_field(role, make_staff, logged_in, submit_answers):
    user = make_staff(role, level="physician" if role == "Provider" else None)
    submission = submit_answers(**PRIORITY)
    client = logged_in(user)
    page = client.get(page_url(submission)).content.decode()
    assert 'value="decided"' not in page
    client.post(page_url(submission), {"status": "decided"})
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert not submission.decisions.exists()


def test_the_status_field_offers_only_the_moves_of_the_role(make_staff, logged_in, submit_answers):
    from screening.staff import access

    submission = submit_answers()
    front_desk = make_staff("Front desk")
    assert access.allowed_statuses(front_desk, submission) == ["consultation_booked", "withdrawn"]
    Submission.objects.filter(pk=submission.pk).update(status="withdrawn")
    submission.refresh_from_db()
    assert access.allowed_statuses(front_desk, submission) == []
    assert access.allowed_statuses(make_staff("Clinic admin"), submission) == ["submitted"]


def test_submission_set_status_refuses_and_audits_itself(make_staff, submit_answers):
    from screening.staff.decisions import StatusRefused, submission_set_status

    submission = submit_answers()
    front_desk = make_staff("Front desk")
    with pytest.raises(StatusRefused):
        submission_set_status(submission=submission, status="decided", actor=front_desk)
    with pytest.raises(StatusRefused, match="date and time"):
        submission_set_status(submission=submission, status="consultation_booked", actor=front_desk)
    submission_set_status(
        submission=submission,
        status="consultation_booked",
        actor=front_desk,
        address="192.0.2.1",
        appointment_at=timezone.now() + timedelta(days=2),
    )
    event = AuditEvent.objects.filter(action="changed").order_by("id").first()
    assert (event.actor, event.client_address) == (front_desk, "192.0.2.1")
    assert event.detail == "status submitted -> consultation_booked"


# --- priority review: only qualified providers, at every step ----------------------------------


@pytest.fixture
def nurse(make_staff):
    return make_staff("Provider", level="nurse", username="nurse")


def test_reassigning_a_priority_submission_to_an_unqualified_provider_is_refused(
    clinic_admin, doctor, nurse, logged_in, submit_answers
):
    submission = submit_answers(pregnancy_status="pregnant")
    assert submission.assigned_provider == doctor.provider
    response = logged_in(clinic_admin).post(
        page_url(submission),
        {"status": "submitted", "assigned_provider": nurse.provider.pk},
    )
    assert response.status_code == 200  # the form, with the error
    submission.refresh_from_db()
    assert submission.assigned_provider == doctor.provider


def test_an_unqualified_provider_cannot_acknowledge_or_decide_a_priority_submission(
    doctor, nurse, logged_in, submit_answers
):
    submission = submit_answers(pregnancy_status="pregnant")
    Submission.objects.filter(pk=submission.pk).update(assigned_provider=nurse.provider)
    client = logged_in(nurse)
    assert client.get(page_url(submission, "decide/")).status_code == 403
    flag = submission.flags.get(code="PREGNANT")
    decide(client, submission, acknowledge=[flag.pk], outcome="proceed")
    flag.refresh_from_db()
    assert flag.acknowledged_at is None and not submission.decisions.exists()


def test_submission_assign_names_who_in_the_audit_trail(
    clinic_admin, doctor, make_staff, submit_answers
):
    from screening.staff.decisions import AssignmentRefused, submission_assign

    other = make_staff("Provider", level="physician", username="other")
    nurse = make_staff("Provider", level="nurse", username="nurse")
    submission = submit_answers(**PRIORITY)
    with pytest.raises(AssignmentRefused):
        submission_assign(submission=submission, provider=nurse.provider, actor=clinic_admin)
    with pytest.raises(AssignmentRefused):
        submission_assign(submission=submission, provider=other.provider, actor=doctor)
    submission_assign(submission=submission, provider=other.provider, actor=clinic_admin)
    event = AuditEvent.objects.get(action="assigned")
    assert event.detail == "Dr doctor (doctor) -> Dr other (other)"


def test_lowering_the_level_of_a_provider_holding_priority_submissions_is_refused(
    clinic_admin, doctor, logged_in, submit_answers
):
    submit_answers(**PRIORITY)
    provider = doctor.provider
    response = logged_in(clinic_admin).post(
        f"/staff/screening/provider/{provider.pk}/change/",
        {
            "display_name": provider.display_name,
            "credential": "RN",
            "level": "nurse",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "reassign them first" in response.content.decode()
    provider.refresh_from_db()
    assert provider.level == "physician"


def test_deactivating_a_provider_sends_their_open_work_back_to_needs_assignment(
    clinic_admin, doctor, logged_in, submit_answers
):
    submission = submit_answers()
    provider = doctor.provider
    response = logged_in(clinic_admin).post(
        f"/staff/screening/provider/{provider.pk}/change/",
        {"display_name": provider.display_name, "credential": "MD", "level": "physician"},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.assigned_provider is None
    assert AuditEvent.objects.filter(action="assigned", submission=submission).exists()
    assert AuditEvent.objects.filter(action="provider_changed", actor=clinic_admin).exists()


def test_changing_ones_own_password_is_audited(clinic_admin, logged_in):
    clinic_admin.set_password("old-password-1")
    clinic_admin.save()
    client = logged_in(clinic_admin)
    response = client.post(
        "/staff/password_change/",
        {
            "old_password": "old-password-1",
            "new_password1": "A long new passphrase 8",
            "new_password2": "A long new passphrase 8",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="password_set")
    assert event.actor == clinic_admin and "changed by its holder" in event.detail
