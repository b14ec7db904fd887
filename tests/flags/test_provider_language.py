"""Provider-facing text is in the clinic's language, whatever language the patient used.

Issue 11, item 9: with `Accept-Language: es` the stored flag answers read "Sí". The flag answers
are provider data: they are rendered in `settings.LANGUAGE_CODE` (English).
"""

import uuid
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from screening.flags import flags_for
from screening.patient.submission import submission_create
from tests.factories import full_answers

TODAY = date(2026, 11, 24)


COLD_SORE = "A cold sore on your lips or face, or the tingling before one"
KELOID = "A keloid, or a scar that grew thick and raised past the wound"


@pytest.fixture
def spanish_labels(monkeypatch):
    """A few Spanish labels, as the Spanish catalogue has them (it may not be compiled here)."""
    spanish = trans_real.translation("es")
    added = {
        "Yes": "Sí",
        "Not sure": "No estoy seguro/a",
        "August": "agosto",
        COLD_SORE: "Un herpes labial en los labios o la cara, o el hormigueo antes de uno",
        KELOID: "Un queloide, o una cicatriz que se volvió gruesa y elevada",
    }
    original = spanish.gettext
    monkeypatch.setattr(spanish, "gettext", lambda message: added.get(message) or original(message))


def test_flag_answers_are_in_english_when_the_patient_uses_spanish(spanish_labels):
    answers = full_answers(
        current_skin_problems_area=["cold_sore"],
        skin_history=["not_sure"],
        skin_history_unsure=["keloid"],
    )
    with translation.override("es"):
        assert str(translation.gettext(KELOID)).startswith("Un queloide")  # the patient's pages
        raised = {flag.code: flag for flag in flags_for(answers, TODAY)}
    assert raised["HSV_ACTIVE"].questions == {"current_skin_problems_area": COLD_SORE}
    assert raised["KELOID_HYPERTROPHIC"].questions == {"skin_history_unsure": KELOID}


@pytest.mark.django_db
def test_stored_flag_answers_are_in_english_after_a_spanish_submission(spanish_labels):
    with translation.override("es"):
        submission = submission_create(
            signature_name="Ana Ruiz",
            draft_key=str(uuid.uuid4()),
            answers=full_answers(
                current_skin_problems_area=["cold_sore"],
                isotretinoin_ever="yes",
                oral_retinoid_type=["isotretinoin"],
                isotretinoin_current="no",
                isotretinoin_last_dose="2026-08",
            ),
            today=TODAY,
        )
    stored = {flag.code: flag.questions for flag in submission.flags.all()}
    assert stored["HSV_ACTIVE"] == {"current_skin_problems_area": COLD_SORE}
    assert stored["ISO_WITHIN_6M"] == {"isotretinoin_last_dose": "August 2026"}
