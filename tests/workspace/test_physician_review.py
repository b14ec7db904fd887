"""Fully ablative resurfacing recorded for a patient on isotretinoin, or of skin type IV-VI,
raises a priority flag (ISO_FULLY_ABLATIVE, PHOTOTYPE_IV_VI_ABLATIVE). A provider whose level
may not review priority flags who records it is stopped with a plain message, and the
submission goes to a qualified provider ("Needs physician review"), audited; the qualified one
records the decision. Tested through the decision page."""

import pytest

from screening.models import AuditEvent, Decision, Flag, Submission
from screening.staff.decisions import PHYSICIAN_REVIEW_MESSAGE

QUEUE = "/staff/screening/submission/"
ON_ISOTRETINOIN = dict(
    isotretinoin_ever="yes", oral_retinoid_type=["isotretinoin"], isotretinoin_current="yes"
)


def decide(client, submission, modality, **data):
    """Post the decision page twice, as a provider does: the first post shows the flags the
    modality raises, the second (the modality now shown) records the decision."""
    form = {
        "outcome": "proceed",
        "modality": modality,
        "provider_skin_type": "II",
        "notes": "",
        **data,
    }
    url = f"{QUEUE}{submission.pk}/decide/"
    first = client.post(url, form)
    if first.status_code != 200 or "modality-flags-title" not in first.content.decode():
        return first
    return client.post(url, {**form, "shown_modality": modality}, follow=True)


@pytest.fixture
def aesthetician_holds(make_staff, submit_answers):
    """submit(**answers) -> (aesthetician, physician, submission) with the submission routed to
    the aesthetician (no priority flag at submission), and a physician present."""

    def make(**answers):
        aesthetician = make_staff("Provider", level="aesthetician")
        submission = submit_answers(**answers)
        assert submission.priority_count == 0
        assert submission.assigned_provider.user == aesthetician
        physician = make_staff("Provider", level="physician")
        return aesthetician, physician, submission

    return make


def test_fully_ablative_on_isotretinoin_by_an_aesthetician_goes_to_physician_review(
    client, aesthetician_holds
):
    aesthetician, physician, submission = aesthetician_holds(**ON_ISOTRETINOIN)
    client.force_login(aesthetician)
    response = decide(client, submission, "ablative")
    assert response.status_code == 200
    assert PHYSICIAN_REVIEW_MESSAGE in response.content.decode()
    assert not Decision.objects.exists()
    submission.refresh_from_db()
    assert submission.assigned_provider.user == physician
    assert submission.priority_count == 1
    flag = Flag.objects.get(submission=submission, code="ISO_FULLY_ABLATIVE")
    assert (flag.severity, flag.raised_by, flag.decision) == ("priority", "provider_input", None)
    assert flag.questions == {"isotretinoin_current": "Yes"}
    event = AuditEvent.objects.filter(submission=submission, action="assigned").last()
    assert event.actor == aesthetician and "needs physician review" in event.detail
    assert "ISO_FULLY_ABLATIVE" in event.detail

    # The physician sees why, acknowledges the flag and records the decision.
    client.force_login(physician)
    page = client.get(f"{QUEUE}{submission.pk}/change/").content.decode()
    assert "Needs physician review" in page
    refused = decide(client, submission, "ablative")
    assert "Acknowledge every priority flag" in refused.content.decode()
    recorded = decide(client, submission, "ablative", acknowledge=[flag.pk])
    assert recorded.redirect_chain, recorded.content.decode()[:300]
    decision = Decision.objects.get()
    assert decision.provider.user == physician and decision.modality == "ablative"
    # The flag is not raised a second time with the decision.
    assert Flag.objects.filter(submission=submission, code="ISO_FULLY_ABLATIVE").count() == 1


def test_fractional_ablative_on_isotretinoin_is_decided_by_the_aesthetician(
    client, aesthetician_holds
):
    aesthetician, _physician, submission = aesthetician_holds(**ON_ISOTRETINOIN)
    client.force_login(aesthetician)
    response = decide(client, submission, "fractional_ablative")
    assert response.redirect_chain
    assert Decision.objects.get().provider.user == aesthetician
    assert not Flag.objects.filter(code="ISO_FULLY_ABLATIVE").exists()
    submission.refresh_from_db()
    assert submission.assigned_provider.user == aesthetician


def test_fully_ablative_in_self_reported_type_v_goes_to_physician_review_unless_assessed_lighter(
    client, aesthetician_holds
):
    aesthetician, physician, submission = aesthetician_holds(skin_type_self="V")
    client.force_login(aesthetician)
    # The provider's own assessment overrides the self-report: type III raises nothing.
    response = decide(client, submission, "ablative", provider_skin_type="III")
    assert response.redirect_chain
    assert not Flag.objects.filter(code="PHOTOTYPE_IV_VI_ABLATIVE").exists()
    assert Decision.objects.get().provider.user == aesthetician
    # A new decision, fully ablative with the provider assessing type V: physician review.
    Submission.objects.filter(pk=submission.pk).update(status="in_review")
    response = decide(client, submission, "ablative", provider_skin_type="V")
    assert PHYSICIAN_REVIEW_MESSAGE in response.content.decode()
    flag = Flag.objects.get(code="PHOTOTYPE_IV_VI_ABLATIVE")
    assert "The provider assessed skin type V." in flag.reason
    submission.refresh_from_db()
    assert submission.assigned_provider.user == physician


def test_a_physician_recording_fully_ablative_decides_with_the_flag_tied_to_the_decision(
    client, make_staff, submit_answers
):
    physician = make_staff("Provider", level="physician")
    submission = submit_answers(**ON_ISOTRETINOIN)
    client.force_login(physician)
    response = decide(client, submission, "ablative")
    assert response.redirect_chain
    decision = Decision.objects.get()
    flag = Flag.objects.get(code="ISO_FULLY_ABLATIVE")
    assert flag.decision == decision
