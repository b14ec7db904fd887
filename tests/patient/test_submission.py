"""submission_create: one transaction for the submission, its flags, routing and audit."""

import uuid

import pytest

from screening import flags as flag_rules
from screening.models import AuditEvent, Flag, Submission
from screening.patient.submission import AnswersInvalid, submission_create
from tests.factories import full_answers

pytestmark = pytest.mark.django_db


def test_flags_are_stored_with_the_submission_and_its_rules_version(today):
    submission = submission_create(
        signature_name="Ana Ruiz",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(skin_history=["keloid"]),
        today=today,
    )
    stored = {flag.code: flag for flag in submission.flags.all()}
    expected = flag_rules.flags_for(submission.answers, today)
    assert set(stored) == {flag.code for flag in expected}
    keloid = stored["KELOID_HYPERTROPHIC"]
    assert keloid.severity == "priority"
    # The question and the item the patient ticked, never the derived v2 "keloid_history".
    assert keloid.questions == {
        "skin_history": "A keloid, or a scar that grew thick and raised past the wound"
    }
    assert keloid.rules_version == submission.rules_version == flag_rules.rules_version()
    assert submission.priority_count == sum(f.severity == "priority" for f in expected)
    assert submission.top_severity_rank == 2


def test_stored_flags_are_never_rewritten_by_a_later_policy(today, settings):
    submission = submission_create(
        signature_name="Ana Ruiz",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(skin_history=["keloid"]),
        today=today,
    )
    before = list(submission.flags.values_list("code", "reason", "rules_version"))
    settings.SCREENING_FLAG_POLICY = {"isotretinoin_priority_months": 9}
    later = submission_create(
        signature_name="Ana Ruiz",
        draft_key=str(uuid.uuid4()),
        answers=full_answers(skin_history=["keloid"]),
        today=today,
    )
    assert later.rules_version != submission.rules_version
    assert list(submission.flags.values_list("code", "reason", "rules_version")) == before


def test_invalid_answers_save_nothing(today):
    with pytest.raises(AnswersInvalid) as raised:
        submission_create(
            signature_name="Ana Ruiz",
            draft_key=str(uuid.uuid4()),
            answers=full_answers(email="x"),
            today=today,
        )
    assert "email" in raised.value.errors
    assert not Submission.objects.exists()


def test_a_failure_in_the_middle_saves_nothing_and_the_same_draft_then_succeeds(today, monkeypatch):
    key = str(uuid.uuid4())

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("the database went away while saving flags")

    with monkeypatch.context() as patch:
        patch.setattr(Flag.objects, "bulk_create", broken_bulk_create)
        with pytest.raises(RuntimeError):
            submission_create(
                signature_name="Ana Ruiz",
                draft_key=key,
                answers=full_answers(current_skin_problems_area=["cold_sore"]),
                today=today,
            )
    assert not Submission.objects.exists()
    assert not AuditEvent.objects.exists()
    submission = submission_create(
        signature_name="Ana Ruiz",
        draft_key=key,
        answers=full_answers(current_skin_problems_area=["cold_sore"]),
        today=today,
    )
    assert submission.flags.filter(code="HSV_ACTIVE").exists()


def test_the_same_draft_key_twice_returns_the_first_submission(today):
    key = str(uuid.uuid4())
    first = submission_create(
        signature_name="Ana Ruiz", draft_key=key, answers=full_answers(), today=today
    )
    second = submission_create(
        signature_name="Ana Ruiz",
        draft_key=key,
        answers=full_answers(first_name="Other"),
        today=today,
    )
    assert second.pk == first.pk
    assert Submission.objects.count() == 1
