"""The privacy acknowledgement on a re-screen: carried while the clinic's notice is the one the
patient acknowledged (SCREENING_PRIVACY_NOTICE_VERSION), asked again on the check page, beside
the declaration, once it changed; each submission keeps the version it acknowledged."""

import pytest
from django.utils import timezone

from screening.models import Submission
from tests import factories
from tests.patient.rescreen_helpers import CHECK, open_rescreen, walk_nothing_changed

pytestmark = pytest.mark.django_db

SIGNED = {"attest_accurate": "yes", "signature_name": "Ana Ruiz"}


@pytest.fixture
def previous():
    today = timezone.localdate()
    return factories.submission(today=today.replace(day=1) if today.day > 1 else today)


def test_a_first_visit_stores_the_notice_version_it_acknowledged(settings):
    settings.SCREENING_PRIVACY_NOTICE_VERSION = "2027-01"
    sent = factories.submission()
    assert sent.answers["privacy_notice_ack"]
    assert sent.privacy_notice_version == "2027-01"


def test_the_same_notice_is_carried_with_its_version(client, previous, settings):
    Submission.objects.filter(pk=previous.pk).update(privacy_notice_version="2027-01")
    settings.SCREENING_PRIVACY_NOTICE_VERSION = "2027-01"
    open_rescreen(client, previous)
    walk_nothing_changed(client)
    page = client.get(CHECK).content.decode()
    assert 'name="privacy_notice_ack"' not in page
    assert 'id="notice-changed"' not in page
    client.post(CHECK, SIGNED)
    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.provenance["privacy_notice_ack"]["provenance"] == "carried"
    assert sent.privacy_notice_version == "2027-01"


def test_a_changed_notice_is_asked_again_beside_the_declaration(client, previous, settings):
    Submission.objects.filter(pk=previous.pk).update(privacy_notice_version="2027-01")
    settings.SCREENING_PRIVACY_NOTICE_VERSION = "2027-03"
    open_rescreen(client, previous)
    walk_nothing_changed(client)
    page = client.get(CHECK).content.decode()
    assert 'name="privacy_notice_ack"' in page
    assert 'id="notice-changed"' in page
    ack = previous.answers["privacy_notice_ack"]
    response = client.post(CHECK, {**SIGNED, "privacy_notice_ack": ack})
    assert response["Location"] == "/thank-you/"
    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.provenance["privacy_notice_ack"]["provenance"] == "answered"
    assert sent.provenance["privacy_notice_ack"]["from_submission"] == sent.reference
    assert sent.privacy_notice_version == "2027-03"


def test_the_note_speaks_spanish(client, previous, settings):
    settings.SCREENING_PRIVACY_NOTICE_VERSION = "2027-03"
    open_rescreen(client, previous)
    walk_nothing_changed(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(CHECK).content.decode()
    assert "Nuestro Aviso de Prácticas de Privacidad ha cambiado" in page


def test_a_changed_notice_left_unticked_is_not_carried(client, previous, settings):
    """Offered, as on the first visit (optional): left unticked, the old acknowledgement is not
    carried into the new submission, which acknowledges no version."""
    settings.SCREENING_PRIVACY_NOTICE_VERSION = "2027-03"
    open_rescreen(client, previous)
    walk_nothing_changed(client)
    response = client.post(CHECK, SIGNED)
    assert response["Location"] == "/thank-you/"
    sent = Submission.objects.exclude(pk=previous.pk).get()
    assert sent.answers.get("privacy_notice_ack") != "yes"
    assert sent.privacy_notice_version == ""
