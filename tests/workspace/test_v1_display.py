"""A submission answered on questionnaire 2026.11.1 (v1) is shown forever with v1's words.

The fixture below is a v1 submission as stored before v2 existed, and `data/v1_display.json`
holds how the review page, the print view and the CSV export showed it then (written from the
v1 code, before the version registry). Any later version must display it exactly the same way:
the patient answered v1's questions and choices, not v2's (v1's "Non-ablative or fractional laser" may mean a fractional CO2 treatment).
"""

import csv
import io
import json
import re
import uuid
from datetime import date
from pathlib import Path

import pytest

from screening.models import Submission

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "data" / "v1_display.json"
QUEUE = "/staff/screening/submission/"

# A v1 patient who opened many follow-ups, with the choices whose labels v2 changes.
V1_ANSWERS = {
    "first_name": "Vera",
    "last_name": "Example",
    "date_of_birth": "1979-02-03",
    "email": "vera@example.com",
    "phone": "(555) 010-0188",
    "preferred_contact_method": "email",
    "unencrypted_contact_consent": "yes",
    "ok_voicemail": "no",
    "best_contact_time": "evening",
    "skin_concerns": ["acne_scars", "texture", "other"],
    "skin_concerns_other": "Redness after shaving",
    "main_concern": "acne_scars",
    "treatment_areas": ["face", "other"],
    "treatment_areas_other": "Upper arms",
    "area_near_eyes": "unsure",
    "expected_result": "subtle",
    "concern_impact": "a_lot",
    "recovery_time_available": "about_week",
    "upcoming_event": "yes",
    "upcoming_event_date": "2027-03",
    "skin_type_self": "IV",
    "current_tan_or_burn": "no",
    "last_significant_sun": "1_2_months",
    "self_tanner_recent": "no",
    "sun_planned_after": "unsure",
    "sun_reactions": "yes",
    "prior_procedures": ["ablative_laser", "nonablative_laser", "filler", "facial_surgery"],
    "prior_ablative_laser_last": "2024-06",
    "prior_nonablative_laser_last": "2026-08",
    "prior_filler_last": "unknown",
    "prior_facial_surgery_last": "2026-07",
    "prior_treatment_problems": "no",
    "isotretinoin_ever": "yes",
    "isotretinoin_current": "no",
    "isotretinoin_last_dose": "2025-12",
    "topical_retinoid_acid_current": "yes",
    "photosensitising_meds": ["none"],
    "blood_thinners": ["none"],
    "bleeding_supplements": "no",
    "immunosuppressant_meds": ["biologic_jak"],
    "gold_therapy_ever": "no",
    "antiviral_current": "no",
    "current_medications_text": "Humira every two weeks",
    "allergies_any": "yes",
    "allergy_local_anaesthetic": "no",
    "allergy_antiviral": "no",
    "allergy_antibiotic": "no",
    "allergy_other_text": "Plasters",
    "cold_sores_history": "never",
    "cold_sore_now": "yes",
    "shingles_area": "no",
    "current_skin_problems_area": ["none"],
    "changing_spot": "no",
    "skin_cancer_history": "unsure",
    "keloid_history": "no",
    "slow_healing": "no",
    "dark_marks_after_injury": "yes",
    "skin_conditions": ["rosacea"],
    "skin_condition_active": "yes",
    "autoimmune_conditions": ["none"],
    "diabetes": "no",
    "bleeding_disorder": "no",
    "immune_conditions": "no",
    "radiation_to_area": "no",
    "heart_lung_conditions": "no",
    "pregnancy_status": "not_applicable",
    "smoking_status": "former",
    "quit_date": "2026-10",
    "attest_accurate": "yes",
    "privacy_notice_ack": "yes",
}


@pytest.fixture
def doctor(make_staff):
    return make_staff("Provider", level="physician", username="doctor")


@pytest.fixture
def v1_submission(doctor):
    """The row as v1's `submission_create` stored it (flags are not what this test is about)."""
    return Submission.objects.create(
        assigned_provider=doctor.provider,
        draft_key=uuid.uuid4(),
        submitted_on=date(2026, 11, 20),
        questionnaire_version="2026.11.1",
        rules_version="2026.11.1",
        answers=V1_ANSWERS,
        first_name="Vera",
        last_name="Example",
        date_of_birth="1979-02-03",
        email="vera@example.com",
        phone="(555) 010-0188",
    )


@pytest.fixture
def provider_client(client, doctor):
    client.force_login(doctor)
    return client


def answers_section(page: str) -> str:
    """The answers part of a page, with whitespace runs made single."""
    match = re.search(r'<section class="answers".*?</section>', page, re.S)
    assert match, "no answers section on the page"
    return re.sub(r"\s+", " ", match[0])


def displayed(client, submission) -> dict:
    page = client.get(f"{QUEUE}{submission.pk}/change/").content.decode()
    printed = client.get(f"{QUEUE}{submission.pk}/print/").content.decode()
    exported = client.post(QUEUE, {"action": "export_csv", "_selected_action": [submission.pk]})
    (row,) = csv.DictReader(io.StringIO(exported.content.decode()))
    return {
        "review_page_answers": answers_section(page),
        "print_view_answers": answers_section(printed),
        "csv_answers": {qid: row[qid] for qid in V1_ANSWERS},
        "csv_questionnaire_version": row["questionnaire_version"],
    }


def test_a_v1_submission_displays_exactly_as_before(provider_client, v1_submission):
    assert displayed(provider_client, v1_submission) == json.loads(SNAPSHOT.read_text())


def test_a_v1_submission_keeps_the_v1_label_of_non_ablative_or_fractional_laser(
    provider_client, v1_submission
):
    shown = displayed(provider_client, v1_submission)["review_page_answers"]
    assert "Non-ablative or fractional laser such as Fraxel, Clear + Brilliant or 1550 nm" in shown
    assert "Laser resurfacing such as CO2 or erbium" in shown
