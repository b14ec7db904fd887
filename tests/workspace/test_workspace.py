"""The provider's consultation day: the queue by appointment and its attention panel,
the review page, acknowledging any flag, the provider's skin-type check, exports."""

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from screening import flags as flag_rules
from screening.flags import labels as flag_labels
from screening.models import AuditEvent, Decision, Flag, Submission
from screening.records import ages
from screening.workspace import queue
from screening.workspace.sources import SOURCES

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
PRIORITY = {"current_skin_problems_area": ["cold_sore"], "skin_history": ["keloid"]}
ANTICOAGULANT = {"medicines_any": ["blood_thinner"], "blood_thinners": ["warfarin"]}


def page_url(submission, suffix="change/"):
    return f"{QUEUE}{submission.pk}/{suffix}"


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def with_appointment(submission, at):
    Submission.objects.filter(pk=submission.pk).update(appointment_at=at)
    submission.appointment_at = at
    return submission


def queue_references(client, query=""):
    page = client.get(f"{QUEUE}{query}").content.decode()
    return re.findall(r'<th class="field-reference"><a [^>]*>([A-Z0-9-]+)</a>', page)


# --- the queue ----------------------------------------------------------------------------------


def test_queue_order_priority_unreviewed_by_appointment_then_appointments_then_oldest(
    doctor, logged_in, submit_answers
):
    now = timezone.now()
    plain_no_appointment = submit_answers()
    plain_tomorrow = with_appointment(submit_answers(), now + timedelta(days=1))
    priority_in_a_week = with_appointment(submit_answers(**PRIORITY), now + timedelta(days=7))
    priority_in_two_days = with_appointment(submit_answers(**PRIORITY), now + timedelta(days=2))
    priority_reviewed_today = with_appointment(submit_answers(**PRIORITY), now + timedelta(hours=3))
    Submission.objects.filter(pk=priority_reviewed_today.pk).update(
        reviewed=True, status="in_review"
    )
    plain_older_no_appointment = submit_answers()
    Submission.objects.filter(pk=plain_older_no_appointment.pk).update(
        submitted_at=now - timedelta(days=3)
    )
    assert queue_references(logged_in(doctor)) == [
        priority_in_two_days.reference,
        priority_in_a_week.reference,
        priority_reviewed_today.reference,
        plain_tomorrow.reference,
        plain_older_no_appointment.reference,
        plain_no_appointment.reference,
    ]


@pytest.mark.parametrize("role", ["Front desk", "Clinic admin"])
def test_roles_that_may_not_see_flags_get_an_order_no_flag_moves(
    make_staff, logged_in, submit_answers, role
):
    now = timezone.now()
    plain_tomorrow = with_appointment(submit_answers(), now + timedelta(days=1))
    priority_in_a_week = with_appointment(submit_answers(**PRIORITY), now + timedelta(days=7))
    plain_no_appointment = submit_answers()
    priority_no_appointment = submit_answers(**PRIORITY)
    plain_in_two_days = with_appointment(submit_answers(), now + timedelta(days=2))
    expected = [
        plain_tomorrow.reference,
        plain_in_two_days.reference,
        priority_in_a_week.reference,
        plain_no_appointment.reference,
        priority_no_appointment.reference,
    ]
    client = logged_in(make_staff(role))
    assert queue_references(client) == expected
    # Swapping which patients have a priority flag changes nothing a flag-blind role can see.
    Submission.objects.update(priority_count=0, top_severity_rank=-1)
    assert queue_references(client) == expected


def test_appointment_filters_today_next_7_days_and_none(doctor, logged_in, submit_answers):
    today = timezone.localdate()
    start, end = queue.local_day_bounds(today)
    first_minute = with_appointment(submit_answers(), start)
    last_minute = with_appointment(submit_answers(), end - timedelta(minutes=1))
    tomorrow = with_appointment(submit_answers(), end)
    in_seven_days = with_appointment(submit_answers(), start + timedelta(days=7, hours=23))
    in_eight_days = with_appointment(submit_answers(), start + timedelta(days=8))
    unbooked = submit_answers()
    client = logged_in(doctor)
    assert set(queue_references(client, "?appointment=today")) == {
        first_minute.reference,
        last_minute.reference,
    }
    assert set(queue_references(client, "?appointment=week")) == {
        first_minute.reference,
        last_minute.reference,
        tomorrow.reference,
        in_seven_days.reference,
    }
    assert queue_references(client, "?appointment=none") == [unbooked.reference]
    assert in_eight_days.reference in queue_references(client)


def test_attention_panel_lists_priority_soon_and_waiting_past_the_target(
    doctor, logged_in, submit_answers, settings
):
    settings.SCREENING_ATTENTION_HOURS = 48
    settings.SCREENING_REVIEW_TARGET_HOURS = 48
    now = timezone.now()
    soon = with_appointment(submit_answers(**PRIORITY), now + timedelta(hours=47))
    later = with_appointment(submit_answers(**PRIORITY), now + timedelta(hours=49))
    plain_soon = with_appointment(submit_answers(), now + timedelta(hours=2))
    waiting = submit_answers()
    Submission.objects.filter(pk=waiting.pk).update(submitted_at=now - timedelta(hours=49))
    fresh = submit_answers()
    Submission.objects.filter(pk=fresh.pk).update(submitted_at=now - timedelta(hours=47))
    page = logged_in(doctor).get(QUEUE).content.decode()
    panel = re.search(r'<section class="attention".*?</section>', page, re.S)[0]
    assert soon.reference in panel and waiting.reference in panel
    for absent in (later, plain_soon, fresh):
        assert absent.reference not in panel
    Submission.objects.filter(pk__in=[soon.pk, waiting.pk]).update(reviewed=True)
    assert 'class="attention"' not in logged_in(doctor).get(QUEUE).content.decode()


def test_the_front_desk_panel_never_reveals_a_priority_flag(make_staff, logged_in, submit_answers):
    now = timezone.now()
    soon = with_appointment(submit_answers(**PRIORITY), now + timedelta(hours=3))
    waiting = submit_answers()
    Submission.objects.filter(pk=waiting.pk).update(submitted_at=now - timedelta(hours=49))
    page = logged_in(make_staff("Front desk")).get(QUEUE).content.decode()
    panel = re.search(r'<section class="attention".*?</section>', page, re.S)[0]
    assert waiting.reference in panel
    assert soon.reference not in panel and "Priority" not in panel


def test_the_queue_query_count_stays_constant_with_appointments_and_the_panel(
    doctor, logged_in, submit_answers
):
    client = logged_in(doctor)
    now = timezone.now()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        return len(captured)

    for hours in range(3):
        with_appointment(submit_answers(**PRIORITY), now + timedelta(hours=hours + 1))
    overdue = submit_answers()  # both lists of the panel shown (each names its flags)
    Submission.objects.filter(pk=overdue.pk).update(submitted_at=now - timedelta(days=5))
    queries()
    few = queries()
    for hours in range(30):
        with_appointment(submit_answers(**PRIORITY), now + timedelta(hours=hours + 1))
        submit_answers()
    Submission.objects.update(submitted_at=now - timedelta(days=5))
    assert queries() == few


def test_flag_filter_shows_plain_labels_under_section_headings(doctor, logged_in):
    page = logged_in(doctor).get(QUEUE).content.decode()
    flag_filter = re.search(r'<details data-filter-title="flag".*?</details>', page, re.S)[0]
    assert "<strong>Isotretinoin and retinoids</strong>" in flag_filter
    assert ">Cold sore now</a>" in flag_filter
    assert ">HSV_ACTIVE<" not in flag_filter


def test_every_catalogue_rule_has_a_plain_label_and_every_source_a_title():
    for rule in flag_rules.CATALOGUE:
        assert rule.code in flag_labels.LABELS, rule.code
        for source in rule.sources:
            assert source in SOURCES and SOURCES[source].url.startswith("http"), source


def test_queue_columns_for_the_front_desk_include_appointment_but_no_flags(
    make_staff, logged_in, submit_answers
):
    submission = with_appointment(
        submit_answers(**PRIORITY), timezone.make_aware(datetime(2030, 3, 4, 14, 30))
    )
    page = logged_in(make_staff("Front desk")).get(QUEUE).content.decode()
    assert "Mon 04 Mar 14:30" in page
    assert f"{submission.last_name}, {submission.first_name}" in page
    assert "sev-priority" not in page and "By flag" not in page


# --- the review page ----------------------------------------------------------------------------


def test_review_page_title_header_and_flag_with_question_note_and_linked_sources(
    doctor, logged_in, submit_answers
):
    submission = with_appointment(
        submit_answers(**ANTICOAGULANT), timezone.make_aware(datetime(2030, 3, 4, 9, 15))
    )
    page = logged_in(doctor).get(page_url(submission)).content.decode()
    assert f"<title>Review {submission.reference}" in page
    assert f"<h1>Review {submission.reference}</h1>" in page
    banner = re.search(r'<section class="patient-banner".*?</section>', page, re.S)[0]
    for expected in ("Ana Patient", "1980-05-17", "2030-03-04 09:15", submission.reference):
        assert expected in banner
    header = re.search(r'<section class="review-header".*?</section>', page, re.S)[0]
    assert "Submitted" in header
    assert "II: Fair" in header  # the self-reported skin type, as the patient saw it
    assert submission.rules_version in header and submission.questionnaire_version in header
    # the patient, then the flags, before the staff controls (folded for a provider)
    assert page.index('class="patient-banner"') < page.index('id="flags-title"')
    assert page.index('id="flags-title"') < page.index('name="status"')
    assert page.index('id="flags-title"') < page.index('class="staff-controls"')
    flag = re.search(
        r'<article class="flag sev-discuss[^"]*" id="flag-\d+">.*?</article>', page, re.S
    )
    assert flag, "the anticoagulant flag is shown"
    article = next(
        a for a in re.findall(r"<article.*?</article>", page, re.S) if "ANTICOAGULANT_RX" in a
    )
    assert "Blood thinner" in article
    assert "S27 (a dermatologist" in article  # the rule's own note, from the catalogue
    assert f'href="{SOURCES["S27"].url}"' in article
    assert "Which anticoagulants are safe with laser procedures?" in article
    assert "blood_thinners</code>" not in article  # the question in words, not its id


def test_any_flag_can_be_acknowledged_together_with_a_comment(doctor, logged_in, submit_answers):
    submission = submit_answers(**PRIORITY, **ANTICOAGULANT)
    chosen = list(submission.flags.filter(severity__in=["priority", "discuss"]))
    assert {flag.severity for flag in chosen} == {"priority", "discuss"}
    client = logged_in(doctor)
    response = client.post(
        page_url(submission, "acknowledge/"),
        {"flags": [flag.pk for flag in chosen], "comment": "Discussed by phone; on warfarin."},
    )
    assert response.status_code == 302
    for flag in Flag.objects.filter(pk__in=[f.pk for f in chosen]):
        assert flag.acknowledged_by == doctor and flag.acknowledged_at
        assert flag.acknowledgement_comment == "Discussed by phone; on warfarin."
    events = AuditEvent.objects.filter(submission=submission, action="acknowledged")
    assert events.count() == len(chosen)
    assert all("warfarin" not in event.detail for event in events)
    page = client.get(page_url(submission)).content.decode()
    # the provider's display name, as on every page (not the username)
    assert page.count("Acknowledged by Dr doctor ") == len(chosen)
    assert "Discussed by phone; on warfarin." in page
    printed = client.get(page_url(submission, "print/")).content.decode()
    assert "Discussed by phone; on warfarin." in printed
    exported = client.post(QUEUE, {"action": "export_csv", "_selected_action": [submission.pk]})
    (row,) = csv.DictReader(io.StringIO(exported.content.decode()))
    # the CSV names the provider as the pages do
    assert "by Dr doctor at" in row["acknowledgements"]
    # and so does the header of every staff page
    assert "Welcome, <strong>Dr doctor</strong>." in page
    assert "Discussed by phone; on warfarin." in row["acknowledgements"]


def test_acknowledging_nothing_or_another_submissions_flag_changes_nothing(
    doctor, logged_in, submit_answers
):
    mine = submit_answers(**PRIORITY)
    other = submit_answers(**PRIORITY)
    client = logged_in(doctor)
    client.post(page_url(mine, "acknowledge/"), {"flags": []})
    client.post(page_url(mine, "acknowledge/"), {"flags": [other.flags.first().pk]})
    assert not Flag.objects.filter(acknowledged_at__isnull=False).exists()


def test_earlier_submissions_of_the_same_patient_with_changed_answers(
    doctor, logged_in, submit_answers
):
    earlier = submit_answers(cold_sores_history="never")
    Submission.objects.filter(pk=earlier.pk).update(
        submitted_at=timezone.now() - timedelta(days=200)
    )
    same_name_and_birth = submit_answers(email="other@example.com")
    Submission.objects.filter(pk=same_name_and_birth.pk).update(
        submitted_at=timezone.now() - timedelta(days=100)
    )
    stranger = submit_answers(last_name="Someone", email="someone@example.com")
    Submission.objects.filter(pk=stranger.pk).update(
        submitted_at=timezone.now() - timedelta(days=50)
    )
    latest = submit_answers(cold_sores_history="often")
    page = logged_in(doctor).get(page_url(latest)).content.decode()
    section = re.search(r'<section class="earlier".*?</section>', page, re.S)[0]
    assert earlier.reference in section and same_name_and_birth.reference in section
    assert stranger.reference not in section
    assert "<mark>" in section  # the changed cold-sore answer is highlighted
    assert "cold sores" in section.lower()


# --- the decision -------------------------------------------------------------------------------


def decide(client, submission, **data):
    return client.post(
        page_url(submission, "decide/"),
        {"outcome": "proceed", "modality": "non_ablative", "notes": "", **data},
    )


def test_the_decision_page_chooses_nothing_in_advance_and_shows_flags_and_self_report(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(**ANTICOAGULANT)
    page = logged_in(doctor).get(page_url(submission, "decide/")).content.decode()
    for name in ("outcome", "modality", "provider_skin_type"):
        inputs = re.findall(rf'<input type="radio" name="{name}"[^>]*>', page)
        assert inputs, name
        assert not any("checked" in tag for tag in inputs), name
    assert "ANTICOAGULANT_RX" in page and "Blood thinner" in page
    assert "II: Fair" in page  # the patient's self-report beside the provider's choice


def test_a_skin_type_disagreement_raises_a_provider_input_flag_with_the_pih_reason(
    doctor, logged_in, submit_answers
):
    submission = submit_answers()  # self-reported II
    client = logged_in(doctor)
    assert decide(client, submission, provider_skin_type="II").status_code == 302
    assert not Flag.objects.filter(code="SKIN_TYPE_DIFFERS").exists()
    assert decide(client, submission, provider_skin_type="IV").status_code == 302
    flag = Flag.objects.get(code="SKIN_TYPE_DIFFERS")
    assert flag.raised_by == Flag.RaisedBy.PROVIDER_INPUT
    assert flag.decision == Decision.objects.order_by("-id").first()
    assert (
        "assessed skin type IV (rarely burns, tans easily); the patient reported II (burns easily, tans a little)"
        in flag.reason
    )
    assert "post-inflammatory hyperpigmentation" in flag.reason
    page = client.get(page_url(submission)).content.decode()
    assert "provider's skin type IV" in page


def test_a_flag_of_a_superseded_decision_is_shown_superseded_and_not_counted(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(area_near_eyes="yes")  # PERIORBITAL_AREA (info)
    client = logged_in(doctor)
    decide(client, submission, provider_skin_type="IV")
    page = client.get(page_url(submission)).content.decode()
    assert "Flags for discussion (2)" in page  # PERIORBITAL_AREA + SKIN_TYPE_DIFFERS
    decide(client, submission, provider_skin_type="II")
    page = client.get(page_url(submission)).content.decode()
    assert "Flags for discussion (1)" in page
    article = next(
        a for a in re.findall(r"<article.*?</article>", page, re.S) if "SKIN_TYPE_DIFFERS" in a
    )
    assert "superseded" in article and "Superseded" in article
    exported = client.post(
        f"{QUEUE}?status=all", {"action": "export_csv", "_selected_action": [submission.pk]}
    )
    (row,) = csv.DictReader(io.StringIO(exported.content.decode()))
    assert "SKIN_TYPE_DIFFERS" not in row["flags"]


# --- exports ------------------------------------------------------------------------------------


def test_clinic_csv_has_local_times_with_offset_labels_and_decision_notes(
    doctor, logged_in, submit_answers, settings
):
    settings.TIME_ZONE = "America/New_York"
    submission = with_appointment(
        submit_answers(**PRIORITY), timezone.make_aware(datetime(2030, 7, 4, 9, 0))
    )
    client = logged_in(doctor)
    submission.flags.filter(severity="priority").update(
        acknowledged_by=doctor, acknowledged_at=timezone.now()
    )
    decide(client, submission, provider_skin_type="II", notes="Reassess HSV in clinic.")
    exported = client.post(
        f"{QUEUE}?status=all", {"action": "export_csv", "_selected_action": [submission.pk]}
    )
    (row,) = csv.DictReader(io.StringIO(exported.content.decode()))
    assert row["appointment_at"] == "2030-07-04T09:00:00-04:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00", row["decided_at"])
    assert "HSV_ACTIVE:priority (Cold sore now)" in row["flags"]
    assert row["decision_notes"] == "Reassess HSV in clinic."
    assert (row["decision_outcome"], row["decision_outcome_label"]) == (
        "proceed",
        "Proceed to treatment planning",
    )
    assert row["status_label"] == "Decided"
    assert row["patient_name"] == "Ana Patient"


def test_the_deidentified_export_has_no_name_contact_birth_date_or_reference(
    doctor, logged_in, submit_answers
):
    submission = submit_answers(**PRIORITY, anything_else_text="My neighbour Zelda Quist said hi")
    client = logged_in(doctor)
    response = client.post(
        QUEUE, {"action": "export_deidentified", "_selected_action": [submission.pk]}
    )
    text = response.content.decode()
    for identifying in (
        submission.reference,
        "Ana",
        "Patient",
        "ana@example.com",
        "1980-05-17",
        "010-0123",
        "Zelda",
    ):
        assert identifying not in text, identifying
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["age_band"] == "40-49"
    assert "HSV_ACTIVE:priority" in row["flags"]
    event = AuditEvent.objects.get(submission=submission, action="exported")
    assert event.detail == "de-identified CSV"


def test_only_roles_that_may_export_are_offered_the_exports(make_staff, logged_in, submit_answers):
    submission = submit_answers()
    client = logged_in(make_staff("Front desk"))
    for action in ("export_csv", "export_deidentified"):
        response = client.post(QUEUE, {"action": action, "_selected_action": [submission.pk]})
        assert response.get("Content-Type", "") != "text/csv"
    assert not AuditEvent.objects.filter(action="exported").exists()


@pytest.mark.parametrize(
    ("age", "band"), [(None, ""), (17, "under 18"), (18, "18-19"), (29, "20-29"), (90, "90+")]
)
def test_age_bands(age, band):
    assert ages.age_band(age) == band
