"""The patient and the flags first: the banner on every clinical page, returning patients
marked and linked, changes since last time near the top, the queue naming flags."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from screening.models import Submission
from screening.workspace import patients

pytestmark = pytest.mark.django_db

QUEUE = "/staff/screening/submission/"
PRIORITY = {"cold_sore_now": "yes", "keloid_history": "yes"}


def page_url(submission, suffix="change/"):
    return f"{QUEUE}{submission.pk}/{suffix}"


def banner_of(page):
    found = re.search(r'<section class="patient-banner".*?</section>', page, re.S)
    assert found, "no patient banner"
    return found[0]


def earlier(submission, days):
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )
    submission.refresh_from_db()
    return submission


@pytest.fixture
def flagged(submit_answers):
    submission = submit_answers(**PRIORITY, blood_thinners=["warfarin"])
    Submission.objects.filter(pk=submission.pk).update(
        appointment_at=timezone.make_aware(timezone.datetime(2030, 3, 4, 9, 15))
    )
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize("suffix", ["change/", "decide/", "print/", "history/"])
def test_every_clinical_page_opens_with_the_same_patient_banner(client, doctor, flagged, suffix):
    client.force_login(doctor)
    acknowledged = flagged.flags.get(code="ANTICOAGULANT_RX")
    client.post(page_url(flagged, "acknowledge/"), {"flags": [acknowledged.pk]})
    page = client.get(page_url(flagged, suffix)).content.decode()
    banner = banner_of(page)
    for expected in (
        "Ana Patient",
        "1980-05-17",
        "(age ",
        "Mon 2030-03-04 09:15",
        flagged.reference,
    ):
        assert expected in banner, expected
    # the flag summary: each flag's label, severity and acknowledged or not
    items = re.findall(r"<li>.*?</li>", banner, re.S)
    assert len(items) == flagged.flags.count()
    cold_sore = next(item for item in items if "Cold sore" in item)
    assert "sev-priority" in cold_sore and "not acknowledged" in cold_sore
    blood = next(item for item in items if "Blood thinner" in item)
    assert ">acknowledged<" in blood
    open_count = flagged.flags.filter(acknowledged_at__isnull=True).count()
    assert f"{open_count} not acknowledged" in banner
    if "<article" in page:  # the banner comes before the flags themselves
        assert page.index('class="patient-banner"') < page.index("<article")


def test_the_front_desk_banner_names_the_patient_but_no_flag(client, make_staff, flagged):
    client.force_login(make_staff("Front desk"))
    for suffix in ("change/", "history/"):
        banner = banner_of(client.get(page_url(flagged, suffix)).content.decode())
        assert "Ana Patient" in banner and flagged.reference in banner
        assert "Cold sore" not in banner and "sev-priority" not in banner and "Flags" not in banner


def test_the_decision_page_puts_the_flags_before_the_form(client, doctor, flagged):
    client.force_login(doctor)
    page = client.get(page_url(flagged, "decide/")).content.decode()
    assert page.index('class="decide-context"') < page.index('name="outcome"')


def test_the_history_page_is_audited_as_a_view(client, doctor, flagged):
    client.force_login(doctor)
    client.get(page_url(flagged, "history/"))
    assert flagged.audit_events.filter(action="viewed", detail="history").exists()


# --- the same person -------------------------------------------------------------------------


def test_same_person_is_a_birth_date_with_the_normalized_name_or_the_email(submit_answers):
    first = earlier(submit_answers(first_name="José", last_name="García-López"), 300)
    renamed_email = earlier(
        submit_answers(first_name="jose", last_name="garcia lopez", email="new@example.com"), 200
    )
    married_same_email = earlier(submit_answers(last_name="Smith", email="ana@example.com"), 100)
    same_surname_other_person = submit_answers(
        first_name="Maria", last_name="García-López", email="maria@example.com"
    )
    other_birthday = submit_answers(
        first_name="José", last_name="García-López", date_of_birth="1981-05-17"
    )
    latest = submit_answers(first_name="José", last_name="Garcia Lopez")
    latest.refresh_from_db()
    related = patients.related_by_submission([latest], Submission.objects.all())[latest.pk]
    found = {other.pk for other in related}
    assert first.pk in found and renamed_email.pk in found
    assert latest.email == married_same_email.email
    assert married_same_email.pk in found  # same email and birth date, another name
    assert same_surname_other_person.pk not in found  # a surname alone is not the person
    assert other_birthday.pk not in found
    assert all(other.earlier for other in related)
    assert patients.normalized_name(" José ", "García-López") == "jose garcia lopez"


def test_a_returning_patient_is_marked_and_linked_in_the_queue_and_the_banner(
    client, doctor, submit_answers
):
    previous = earlier(submit_answers(cold_sores_history="never"), 120)
    stranger = submit_answers(first_name="Zoe", last_name="Other", email="zoe@example.com")
    latest = submit_answers(cold_sores_history="often")
    client.force_login(doctor)
    page = client.get(QUEUE).content.decode()
    rows = {
        ref: row
        for row in re.findall(r"<tr>.*?</tr>", page, re.S)
        if (ref := next((r for r in (previous, stranger, latest) if r.reference in row), None))
    }
    assert "Returning" in rows[latest] and "Returning" not in rows[previous]
    assert "Returning" not in rows[stranger]
    # the two open submissions of one patient link each other
    assert f'href="{page_url(previous)}">another open submission' in rows[latest]
    assert f'href="{page_url(latest)}">another open submission' in rows[previous]
    review = client.get(page_url(latest)).content.decode()
    banner = banner_of(review)
    assert "Returning patient" in banner and f'href="{page_url(previous)}"' in banner
    assert "1 answer changed since" in banner


def test_changes_since_last_time_come_right_after_the_flags_in_a_readable_table(
    client, doctor, submit_answers
):
    earlier(submit_answers(cold_sores_history="never"), 120)
    latest = submit_answers(cold_sores_history="often")
    client.force_login(doctor)
    page = client.get(page_url(latest)).content.decode()
    assert page.index('id="flags-title"') < page.index('id="changes-title"')
    assert page.index('id="changes-title"') < page.index('id="answers-title"')
    changes = re.search(r'<section class="changes-since".*?</section>', page, re.S)[0]
    assert 'class="changes-table"' in changes and '<col class="col-now">' in changes
    assert "<mark>" in changes and "cold sores" in changes.lower()


@pytest.mark.parametrize("suffix", ["change/", "print/"])
def test_no_link_inside_a_summary(client, doctor, submit_answers, suffix):
    earlier(submit_answers(), 120)
    latest = submit_answers()
    client.force_login(doctor)
    page = client.get(page_url(latest, suffix)).content.decode()
    summaries = re.findall(r"<summary>.*?</summary>", page, re.S)
    assert summaries
    assert not any("<a " in summary for summary in summaries)


# --- the queue -------------------------------------------------------------------------------


def test_queue_rows_and_the_attention_panel_name_the_flags(client, doctor, submit_answers):
    soon = submit_answers(**PRIORITY)
    Submission.objects.filter(pk=soon.pk).update(appointment_at=timezone.now() + timedelta(hours=2))
    client.force_login(doctor)
    page = client.get(QUEUE).content.decode()
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if soon.reference in r)
    assert "Cold sore" in row and "Keloid" in row
    assert "Flags (P / D / I)" not in page
    panel = re.search(r'<section class="attention".*?</section>', page, re.S)[0]
    assert "Cold sore" in panel and "Keloid" in panel


def test_the_front_desk_queue_names_no_flag(client, make_staff, submit_answers):
    soon = submit_answers(**PRIORITY)
    Submission.objects.filter(pk=soon.pk).update(submitted_at=timezone.now() - timedelta(days=5))
    client.force_login(make_staff("Front desk"))
    page = client.get(QUEUE).content.decode()
    assert "Cold sore" not in page and "flag-name" not in page


def test_the_flag_filter_is_folded_and_says_how_many_kinds(client, doctor):
    client.force_login(doctor)
    page = client.get(QUEUE).content.decode()
    details = re.search(r'<details data-filter-title="flag"[^>]*>\s*<summary>.*?</summary>', page)
    assert details and " open" not in details[0].split(">")[0]
    assert re.search(r"By flag <span class=\"quiet\">\(\d{2,} kinds\)", details[0])


def test_no_sort_arrow_on_the_queues_own_order_until_a_column_is_chosen(
    client, doctor, submit_answers
):
    submit_answers()
    client.force_login(doctor)
    page = client.get(QUEUE).content.decode()
    assert "sorted ascending" not in page and "sorted descending" not in page
    assert "sortoptions" not in page
    sorted_page = client.get(QUEUE + "?o=2").content.decode()
    assert "sorted ascending" in sorted_page or "sorted descending" in sorted_page


def test_the_appointment_time_is_shown_without_seconds(client, make_staff, flagged):
    client.force_login(make_staff("Front desk"))
    page = client.get(page_url(flagged)).content.decode()
    box = re.search(r'<input[^>]*name="appointment_at_1"[^>]*>', page)[0]
    assert 'value="09:15"' in box


def test_after_a_decision_the_next_patient_is_offered(client, doctor, submit_answers):
    now = timezone.now()
    first = submit_answers()
    second = submit_answers(first_name="Bea", last_name="Next", email="bea@example.com")
    Submission.objects.filter(pk=first.pk).update(appointment_at=now + timedelta(hours=1))
    Submission.objects.filter(pk=second.pk).update(appointment_at=now + timedelta(hours=2))
    client.force_login(doctor)
    response = client.post(
        page_url(first, "decide/"),
        {"outcome": "proceed", "modality": "non_ablative", "provider_skin_type": "II"},
        follow=True,
    )
    page = response.content.decode()
    assert "Decision recorded. Next patient:" in page
    assert f'href="{page_url(second)}">{second.reference} · Bea Next' in page


# --- "My day" --------------------------------------------------------------------------------

MY_DAY = f"{QUEUE}my-day/"


def test_a_provider_lands_on_my_day_and_the_index_stays_one_click_away(client, doctor, make_staff):
    client.force_login(doctor)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"] == MY_DAY
    assert client.get("/staff/?all=1").status_code == 200
    client.force_login(make_staff("Front desk"))
    assert client.get("/staff/").status_code == 200


def test_my_day_lists_today_and_the_next_days_by_appointment_with_what_needs_attention(
    client, doctor, make_staff, submit_answers
):
    from screening.workspace.queue import local_day_bounds

    start, end = local_day_bounds(timezone.localdate())
    later_today = submit_answers(first_name="Late", last_name="Today", email="l@example.com")
    early_today = submit_answers(
        **PRIORITY, first_name="Early", last_name="Today", email="e@example.com"
    )
    day_after = submit_answers(first_name="Day", last_name="After", email="d@example.com")
    next_week = submit_answers(first_name="Next", last_name="Week", email="n@example.com")
    unbooked = submit_answers(first_name="No", last_name="Booking", email="u@example.com")
    for row, at in (
        (later_today, end - timedelta(minutes=30)),
        (early_today, start + timedelta(hours=8)),
        (day_after, start + timedelta(days=2, hours=9)),
        (next_week, start + timedelta(days=7, hours=9)),
    ):
        Submission.objects.filter(pk=row.pk).update(appointment_at=at)
    someone_else = make_staff("Provider", level="physician")
    theirs = submit_answers(first_name="Not", last_name="Mine", email="t@example.com")
    Submission.objects.filter(pk=theirs.pk).update(
        assigned_provider=someone_else.provider, appointment_at=start + timedelta(hours=10)
    )
    client.force_login(doctor)
    page = client.get(MY_DAY).content.decode()
    assert "<h1>My day</h1>" in page
    today = re.search(
        r'<section class="my-day-list" aria-labelledby="day-1">.*?</section>', page, re.S
    )[0]
    assert today.index(early_today.reference) < today.index(later_today.reference)
    assert "Cold sore" in today and "Priority flag, not reviewed" in today
    assert day_after.reference in page and day_after.reference not in today
    assert next_week.reference not in page
    assert theirs.reference not in page
    unbooked_section = page[page.index('id="unbooked-title"') :]
    assert unbooked.reference in unbooked_section
    # the front desk has no "My day"
    client.force_login(make_staff("Front desk"))
    assert client.get(MY_DAY).status_code == 403
