"""`manage.py flags_diff` and the review page's note: what today's rules would flag differently.

A clinic changes a ⚙ window (SCREENING_FLAG_POLICY_JSON) or deploys new rules; the stored flags
never change, and these show, read-only, what the change means for the submissions it holds.
"""

import io
import json
import uuid
from datetime import date

import pytest
from django.core.management import call_command

from screening.flags import flag_changes, flags_for
from screening.flags.policy import RULES_VERSION
from screening.models import AuditEvent, Flag, Submission
from screening.patient.submission import submission_create
from screening.questionnaire import CURRENT_VERSION
from tests.factories import full_answers, full_answers_v2

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
# Last dose 8 months before TODAY: ISO_6_TO_12M under the default 6-month priority window.
EIGHT_MONTHS_AGO = dict(
    isotretinoin_ever="yes",
    oral_retinoid_type=["isotretinoin"],
    isotretinoin_current="no",
    isotretinoin_last_dose="2026-03",
)


def submit(submitted_on=TODAY, version=None, answers=None, **overrides) -> Submission:
    options = {"questionnaire_version": version} if version else {}
    return submission_create(
        signature_name="Ana Ruiz",
        draft_key=str(uuid.uuid4()),
        answers=answers or full_answers(**overrides),
        today=submitted_on,
        **options,
    )


def flags_diff(*args) -> str:
    out = io.StringIO()
    call_command("flags_diff", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def stored_state():
    return (
        sorted(Flag.objects.values_list("id", "code", "severity", "reason", "rules_version")),
        sorted(Submission.objects.values_list("id", "rules_version", "status")),
        AuditEvent.objects.count(),
    )


def test_a_longer_priority_window_shows_the_flags_it_would_add_and_remove(settings):
    submission = submit(**EIGHT_MONTHS_AGO)
    assert "ISO_6_TO_12M" in set(submission.flags.values_list("code", flat=True))
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 9}
    before = stored_state()
    text = flags_diff()
    assert (
        f"{submission.reference} (questionnaire {CURRENT_VERSION}, rules {RULES_VERSION} -> "
        f"{RULES_VERSION}+policy." in (text)
    )
    assert "  + ISO_WITHIN_6M (discuss)\n" in text
    assert "  - ISO_6_TO_12M (info)\n" in text
    assert "1 would be flagged differently. Nothing was written." in text
    assert stored_state() == before  # the stored flags never change


def test_under_the_policy_it_was_flagged_with_nothing_differs(settings):
    submit(**EIGHT_MONTHS_AGO)
    text = flags_diff()
    assert "0 would be flagged differently" in text
    assert "ISO_" not in text


def test_json_lists_each_change_with_both_severities(settings):
    submission = submit(**EIGHT_MONTHS_AGO)
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 9}
    report = json.loads(flags_diff("--json"))
    assert report["checked"] == 1
    (entry,) = report["submissions"]
    assert entry["reference"] == submission.reference
    assert entry["stored_rules_version"] == RULES_VERSION
    assert entry["current_rules_version"].startswith(f"{RULES_VERSION}+policy.")
    assert entry["changes"] == [
        {
            "code": "ISO_WITHIN_6M",
            "change": "added",
            "stored_severity": None,
            "current_severity": "discuss",
        },
        {
            "code": "ISO_6_TO_12M",
            "change": "removed",
            "stored_severity": "info",
            "current_severity": None,
        },
    ]


def test_a_new_rules_version_shows_a_severity_change_on_a_stored_v1_submission():
    # A v1 submission stored under rules 2026.11.1, where CARDIOPULMONARY was info.
    submission = submit(
        version="2026.11.1",
        answers={**full_answers_v1(), "heart_lung_conditions": "yes"},
    )
    Flag.objects.filter(submission=submission, code="CARDIOPULMONARY").update(
        severity="info", severity_rank=0, rules_version="2026.11.1"
    )
    text = flags_diff()
    assert "  ~ CARDIOPULMONARY (info -> discuss)\n" in text


def full_answers_v1():
    from screening.demo import no_risk_answers_v1

    return no_risk_answers_v1()


def test_status_open_leaves_out_decided_and_withdrawn(settings):
    open_one = submit(**EIGHT_MONTHS_AGO)
    withdrawn = submit(**EIGHT_MONTHS_AGO)
    Submission.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 9}
    text = flags_diff("--status", "open")
    assert open_one.reference in text and withdrawn.reference not in text
    assert withdrawn.reference in flags_diff()


def test_since_leaves_out_earlier_submissions(settings):
    older = submit(submitted_on=date(2026, 10, 1), **EIGHT_MONTHS_AGO)
    newer = submit(**EIGHT_MONTHS_AGO)
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 12}
    text = flags_diff("--since", "2026-11-01")
    assert newer.reference in text and older.reference not in text


def test_an_erased_submission_is_skipped():
    from django.utils import timezone

    submission = submit(heart_lung_conditions="yes")
    Submission.objects.filter(pk=submission.pk).update(answers={}, erased_at=timezone.now())
    assert "0 submissions checked" in flags_diff()


def test_a_bad_since_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--since must be a date"):
        flags_diff("--since", "yesterday")


def test_flag_changes_compares_codes_and_severities():
    raised = flags_for(
        full_answers(health_conditions=["heart_lung"], skin_history=["keloid"]), TODAY
    )
    changes = flag_changes(
        stored=[
            ("CARDIOPULMONARY", "info"),
            ("KELOID_HYPERTROPHIC", "priority"),
            ("SMOKER", "discuss"),
            ("PHOTOTYPE_SELF_REPORT", "info"),
        ],
        raised=raised,
    )
    assert [str(change) for change in changes] == [
        "~ CARDIOPULMONARY (info -> discuss)",
        "- SMOKER (discuss)",
        "- PHOTOTYPE_SELF_REPORT (info)",
    ]


def test_new_rules_show_what_they_change_on_an_open_v2_submission():
    """Rules 2027.01.1 on a submission stored under 2026.12.1: a tan 3 weeks ago is no longer
    priority, and the self-report flag raised for everyone is gone."""
    submission = submit(
        version="2026.12",
        answers={**full_answers_v2(), "last_significant_sun": "within_4_weeks"},
    )
    Flag.objects.filter(submission=submission).update(rules_version="2026.12.1")
    Flag.objects.filter(submission=submission, code="SUN_WITHIN_4_WEEKS").update(
        code="TAN_OR_SUN_RECENT", severity="priority", severity_rank=2
    )
    Flag.objects.create(
        submission=submission,
        code="PHOTOTYPE_SELF_REPORT",
        severity="info",
        severity_rank=0,
        reason="Phototype is self-reported.",
        rules_version="2026.12.1",
    )
    text = flags_diff()
    assert "  + SUN_WITHIN_4_WEEKS (discuss)\n" in text
    assert "  - TAN_OR_SUN_RECENT (priority)\n" in text
    assert "  - PHOTOTYPE_SELF_REPORT (info)\n" in text


# --- The review page -----------------------------------------------------------------------------


@pytest.fixture
def doctor_client(client, make_staff):
    doctor = make_staff("Provider", level="physician", username="doctor")
    client.force_login(doctor)
    return client


def test_the_review_page_of_an_open_submission_says_what_todays_rules_would_change(
    doctor_client, settings
):
    submission = submit(**EIGHT_MONTHS_AGO)
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 9}
    before = stored_state()
    page = doctor_client.get(
        f"/staff/screening/submission/{submission.pk}/change/"
    ).content.decode()
    assert "Today's rules would flag this differently" in page
    assert "ISO_WITHIN_6M would be raised (Discuss)." in page
    assert "ISO_6_TO_12M would no longer be raised (stored as Info)." in page
    assert stored_state()[:2] == before[:2]  # viewing is audited; nothing else is written


def test_the_review_page_says_nothing_when_today_flags_it_the_same(doctor_client):
    submission = submit(**EIGHT_MONTHS_AGO)
    page = doctor_client.get(
        f"/staff/screening/submission/{submission.pk}/change/"
    ).content.decode()
    assert "would flag this differently" not in page


def test_a_decided_submission_gets_no_note(doctor_client, settings):
    submission = submit(**EIGHT_MONTHS_AGO)
    Submission.objects.filter(pk=submission.pk).update(status="decided")
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 9}
    page = doctor_client.get(
        f"/staff/screening/submission/{submission.pk}/change/"
    ).content.decode()
    assert "would flag this differently" not in page


def test_a_flag_shows_its_rule_in_plain_words_and_its_note(doctor_client):
    submission = submit(medicines_any=["blood_thinner"], blood_thinners=["warfarin"])
    page = doctor_client.get(
        f"/staff/screening/submission/{submission.pk}/change/"
    ).content.decode()
    assert (
        "Rule:</strong> Warfarin, a DOAC, an antiplatelet or an injectable anticoagulant." in page
    )
    assert "S27 (a dermatologist&#x27;s Q&amp;A) reports routinely treating" in page
