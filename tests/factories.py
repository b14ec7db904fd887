"""The one place tests make their data: answers, staff users and submissions.

conftest.py turns the ones that need the database into fixtures (`make_staff`, `submit_answers`,
`doctor`); tests that need no database (the flag rules) call the answer factories directly.
"""

import itertools
import uuid
from datetime import date

from screening.demo import (
    NO_RISK_ANSWERS,
    NO_RISK_RESCREEN_ANSWERS,
    no_risk_answers,
    no_risk_answers_v2,
)

TODAY = date(2026, 11, 24)  # the fixed "today" of the tests: flag windows count from it
STAFF_PASSWORD = "correct horse battery"
ABSENT = object()
V2 = "2026.12"  # as an override: remove the answer (the question not asked or not answered)


def full_answers(**overrides) -> dict:
    """A valid, complete answers dict (stored format) of a patient with no follow-up questions
    shown and no risk answers (screening.demo's), with `overrides` applied."""
    return with_changes(no_risk_answers(), **overrides)


def full_answers_v2(**overrides) -> dict:
    """The same patient as answered on questionnaire 2026.12 (v2), with `overrides` applied."""
    return with_changes(no_risk_answers_v2(), **overrides)


def with_changes(answers: dict, **changes) -> dict:
    """A copy of `answers` with `changes` applied; a change to ABSENT removes the answer."""
    changed = dict(answers)
    for question_id, value in changes.items():
        if value is ABSENT:
            changed.pop(question_id, None)
        else:
            changed[question_id] = value
    return changed


_MANY_FOLLOWUPS = dict(
    preferred_contact_method="text_message",
    unencrypted_contact_consent="yes",
    skin_concerns=["acne_scars", "texture", "other"],
    skin_concerns_other="Redness after shaving",
    main_concern="acne_scars",
    treatment_areas=["face", "neck", "other"],
    treatment_areas_other="Upper back",
    area_near_eyes="unsure",
    goals_text="Smoother skin.\nLess visible scars.",
    upcoming_event="yes",
    upcoming_event_date="2027-06",
    prior_procedures=["ablative_laser", "filler", "eyelid_surgery"],
    prior_ablative_laser_last="2025-01",
    prior_filler_last="unknown",
    filler_type=["hyaluronic"],
    prior_eyelid_surgery_last="2019-04",
    eyelid_surgery_lower="yes",
    prior_treatment_problems="yes",
    prior_treatment_problems_text="Dark patches after a peel.",
    isotretinoin_ever="yes",
    oral_retinoid_type=["isotretinoin"],
    isotretinoin_current="no",
    isotretinoin_last_dose="2026-08",
    allergy_antibiotic_text="Penicillin",
    allergy_other_text="Latex: rash",
    skin_conditions=["psoriasis", "melasma"],
    skin_condition_active="no",
    smoking_status="former",
    quit_date="2020-02",
    other_conditions_text="Knee surgery 2015",
    anything_else_text="Nervous about pain.",
    questions_for_provider_text="How many sessions?",
)


def many_followups_answers(**overrides) -> dict:
    """A patient whose answers open most follow-up questions."""
    answers = full_answers(
        **_MANY_FOLLOWUPS,
        allergies_list=["antibiotic", "other"],
        skin_history=["skin_condition"],
    )
    return with_changes(answers, **overrides)


def many_followups_answers_v2(**overrides) -> dict:
    """The same patient as answered on questionnaire 2026.12 (v2)."""
    answers = full_answers_v2(
        **_MANY_FOLLOWUPS,
        allergies_any="yes",
        allergy_antibiotic="yes",
        allergy_aftercare="no",
    )
    return with_changes(answers, **overrides)


def staff_user(role: str, *, username: str, level=None, is_active=True, password=STAFF_PASSWORD):
    """A staff user in the role group `role` ("Provider", "Front desk", ...); with `level`, also
    a Provider record (active or not)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from screening.models import Provider
    from screening.staff.roles import ensure_roles

    user = get_user_model().objects.create_user(
        username, f"{username}@clinic.example", password, is_staff=True
    )
    if not Group.objects.filter(name=role).exists():
        ensure_roles()  # a transactional test's flush may have removed the migration's groups
    user.groups.add(Group.objects.get(name=role))
    if level:
        Provider.objects.create(
            user=user,
            display_name=f"Dr {username}",
            credential="MD",
            level=level,
            is_active=is_active,
        )
    return user


def submission(answers: dict | None = None, *, today: date = TODAY, **overrides):
    """A Submission saved through the service (validated, flagged, routed, audited), from
    `answers` (default: full_answers()) with `overrides` applied.

    Overrides that name a question 2027.01 retired (`cold_sore_now="yes"`) make a submission of
    questionnaire 2026.12 from the v2 answers: older submissions stay first-class, and a test
    that needs "a patient with a cold sore now" reads as it always did.
    """
    from screening.patient.submission import submission_create
    from screening.questionnaire import CURRENT_VERSION, RETIRED_IDS

    version = CURRENT_VERSION
    if answers is None and set(overrides) & set(RETIRED_IDS):
        answers, version = full_answers_v2(), V2
    answers = with_changes(full_answers() if answers is None else answers, **overrides)
    return submission_create(
        signature_name=f"{answers.get('first_name', 'Ana')} {answers.get('last_name', 'Ruiz')}",
        draft_key=str(uuid.uuid4()),
        answers=answers,
        today=today,
        questionnaire_version=version,
    )


EVERY_SCOPE = ("Questionnaire", "QuestionnaireResponse", "DetectedIssue", "ClinicalImpression")


_TOKEN_NUMBERS = itertools.count(1)


def api_token(*, owner, approver=None, name: str | None = None, scopes=EVERY_SCOPE):
    """A FHIR API token asked for by `owner` (through the service) and, with `approver`, approved:
    the NewToken, whose `secret` goes in the Authorization header. Each gets its own name unless
    one is given (two live tokens never share one)."""
    from screening.fhir.tokens import api_token_approve, api_token_create

    name = name or f"EHR {next(_TOKEN_NUMBERS)}"

    created = api_token_create(name=name, scopes=scopes, actor=owner)
    if approver is not None:
        api_token_approve(token=created.token, actor=approver)
        created.token.refresh_from_db()
    return created


# A return visit's own answers when nothing happened since the last treatment here (no course
# problem, no other treatment, no medicine change): what a re-screen answers unless told otherwise.
_NOTHING_SINCE = {
    key: value for key, value in NO_RISK_RESCREEN_ANSWERS.items() if key not in NO_RISK_ANSWERS
}


def rescreen_submission(
    previous,
    changes: dict | None = None,
    *,
    visit_type: str = "series_session",
    treatment_date: date | None = None,
    provenance: dict | None = None,
    today: date = TODAY,
):
    """A re-screen of `previous` made as the patient's re-screen pages make it: sent through the
    service with its visit (`submission_create(previous_submission=..., visit_type=...,
    treatment_date=..., provenance=...)`), so that it is validated, flagged (course flags, a
    series' modality flags from the current decision on `previous`, "New since …" notes) and
    routed (a priority re-screen included) as the patient's. The answers are `previous`'s, with
    the visit's own answers when nothing happened (screening.demo's NO_RISK_RESCREEN_ANSWERS)
    and then `changes` applied. `provenance` defaults to: each id in `changes` answered today,
    every other one confirmed today (first answered on the previous form)."""
    from screening.patient.submission import submission_create
    from screening.questionnaire import CURRENT_VERSION

    changes = dict(changes or {})
    answers = with_changes({**_NOTHING_SINCE, **previous.answers}, **changes)
    if provenance is None:
        first_answered = (previous.provenance or {}).get
        provenance = {}
        for question_id in answers:
            if question_id in changes or question_id in _NOTHING_SINCE:
                # Today's answer: the service names this submission once it has a reference.
                provenance[question_id] = {
                    "provenance": "answered",
                    "from_submission": None,
                    "answered_on": today.isoformat(),
                    "confirmed_on": None,
                }
            else:
                earlier = first_answered(question_id) or {}
                provenance[question_id] = {
                    "provenance": "confirmed",
                    "from_submission": earlier.get("from_submission", previous.reference),
                    "answered_on": earlier.get("answered_on", previous.submitted_on.isoformat()),
                    "confirmed_on": today.isoformat(),
                }
    return submission_create(
        signature_name=f"{answers.get('first_name', 'Ana')} {answers.get('last_name', 'Ruiz')}",
        draft_key=str(uuid.uuid4()),
        answers=answers,
        today=today,
        questionnaire_version=CURRENT_VERSION,
        previous_submission=previous,
        visit_type=visit_type,
        treatment_date=treatment_date,
        provenance=provenance,
    )
