"""Every patient page, fetched in one language: the walk that the Spanish page tests compare.

`patient_pages(language)` takes a patient through everything they can meet (landing, every step
of the current version with and without errors, a v1 draft's steps, save for later, review,
confirmation, their copy, privacy, the refusal pages, the invitation link's pages) with the
language cookie that the switch sets, and returns {page name: response}. Walked once in English
and once in Spanish with the same data, the two are compared text node by text node.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from screening.models import Invitation
from screening.questionnaire import current, definition_for
from tests.factories import many_followups_answers
from tests.invited import invite
from tests.patient_steps import SIGNED, post_data_for, start, step_url
from throttle.models import Bucket

V1 = "2026.11.1"
# Attributes a person meets as text (read aloud or shown on hover).
TEXT_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def client_in(language: str, **options) -> Client:
    client = Client(**options)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def answers() -> dict:
    return many_followups_answers()


def patient_pages(language: str) -> dict:
    """{name: response} of every patient page, in `language`."""
    pages = {}
    patient = client_in(language)
    pages["landing"] = patient.get("/")
    start(patient)
    given = answers()
    for section in current().first_visit_sections:
        url = step_url(section)
        pages[f"step {section.slug}"] = patient.get(url)
        refused = patient.post(url, {"nav": "next"})
        if refused.status_code == 200:  # a step with nothing required goes on instead
            pages[f"step {section.slug} with errors"] = refused
        patient.post(url, {**post_data_for(section, given), "nav": "next"})
        pages[f"step {section.slug} answered"] = patient.get(url)
    pages["landing with answers in progress"] = patient.get("/")
    pages["save for later"] = patient.get("/save/")
    pages["save for later with errors"] = patient.post("/save/", {"email": "not an address"})
    patient.post("/save/", {"email": "ana@example.org"})
    pages["saved for later"] = patient.get("/save/")
    pages["review"] = patient.get("/review/")
    pages["review with errors"] = patient.post("/review/", {})
    patient.post("/review/", SIGNED)
    pages["confirmation"] = patient.get("/thank-you/")
    pages["own copy"] = patient.get("/thank-you/your-answers/")
    pages["already sent"] = patient.get(step_url(current().first_visit_sections[0]))

    pages.update(_v1_draft_pages(language))
    pages.update(_refusal_pages(language))
    pages.update(_link_pages(language))
    pages.update(_check_in_pages(language))
    return pages


def _v1_draft_pages(language: str) -> dict:
    """A draft started on v1 before v2 was released is finished on v1: its steps' words too."""
    patient = client_in(language)
    start(patient)
    session = patient.session
    draft = session["screening_draft"]
    draft["questionnaire_version"] = V1
    session["screening_draft"] = draft
    session.save()
    pages = {}
    for section in definition_for(V1).sections:
        url = step_url(section)
        refused = patient.post(url, {"nav": "next"})
        if refused.status_code == 200:
            pages[f"v1 step {section.slug} with errors"] = refused
        patient.post(url, {**post_data_for(section, _v1_answers()), "nav": "next"})
    pages["v1 review"] = patient.get("/review/")
    return pages


def _v1_answers() -> dict:
    from tests.factories import full_answers_v2

    answers = full_answers_v2(
        prior_procedures=["ablative_laser", "eyelid_surgery"],
        prior_ablative_laser_last="2025-01",
        prior_eyelid_surgery_last="2019-04",
        eyelid_surgery_lower="yes",
        isotretinoin_ever="yes",
        isotretinoin_current="no",
        isotretinoin_last_dose="2026-08",
    )
    v1 = definition_for(V1).questions
    return {qid: value for qid, value in answers.items() if qid in v1}


def _refusal_pages(language: str) -> dict:
    pages = {
        "privacy": client_in(language).get("/privacy/"),
        "404": client_in(language).get("/no-such-page/"),
        "405": client_in(language).get("/start/"),
        "400": client_in(language).post("/start/", CONTENT_LENGTH="not a number"),
        "403 csrf": client_in(language, enforce_csrf_checks=True).post("/start/"),
        "link invalid": client_in(language).get("/i/" + "A" * 43 + "/"),
    }
    with override_settings(SCREENING_RATE_LIMIT_BURST=1):
        flooder = client_in(language)
        for _ in range(3):
            response = flooder.post("/start/")
    Bucket.objects.all().delete()  # the next walk starts with full buckets
    pages["429"] = response
    return pages


@override_settings(SCREENING_RESUME_MAX_FAILURES=2)
def _link_pages(language: str) -> dict:
    """An invitation's link: the date-of-birth gate on a new device, a wrong date, the lock,
    and the 410 of a link whose consultation has passed."""
    link = invite(email=f"{language}@example.org")
    starter = client_in(language)
    starter.get(link)
    first = current().first_visit_sections[0]
    starter.post(step_url(first), {**post_data_for(first, answers()), "nav": "next"})
    invited_step = starter.get(step_url(current().first_visit_sections[1]))
    other_device = client_in(language)
    other_device.get(link)
    pages = {
        "invited patient's step": invited_step,
        "resume gate": other_device.get("/continue/"),
        "resume gate wrong date": other_device.post("/continue/", {"date_of_birth": "1900-01-01"}),
    }
    other_device.post("/continue/", {"date_of_birth": "1900-01-01"})
    other_device.post("/continue/", {"date_of_birth": "1900-01-01"})
    pages["locked"] = other_device.get("/locked/")

    expired = invite(email=f"late-{language}@example.org")
    Invitation.objects.filter(email=f"late-{language}@example.org").update(
        appointment_at=timezone.now() - timedelta(days=2)
    )
    pages["410 link expired"] = client_in(language).get(expired)
    return pages


@override_settings(SCREENING_RESUME_MAX_FAILURES=2)
def _check_in_pages(language: str) -> dict:
    """Re-confirmation before the visit: through the reminder's link (gate, a wrong date, the
    answers with and without errors, the questions of what changed, done) and on the check-in
    tablet (gate, the lock, the closing page)."""
    from screening.invitations.service import invitation_create
    from screening.models import Submission
    from tests import factories

    sent = factories.submission(
        answers(), today=timezone.localdate() - timedelta(days=20), first_name=f"Re{language}"
    )
    Submission.objects.filter(pk=sent.pk).update(appointment_at=timezone.now() + timedelta(hours=3))
    desk = factories.staff_user("Front desk", username=f"desk-{language}")
    created = invitation_create(
        actor=desk,
        first_name="Ana",
        last_name="Ruiz",
        email=f"checkin-{language}@example.org",
        appointment_at=timezone.now() + timedelta(hours=3),
        language=language,
    )
    Invitation.objects.filter(pk=created.invitation.pk).update(submission=sent)
    patient = client_in(language)
    patient.get(created.link[created.link.index("/i/") :])
    pages = {
        "check-in gate": patient.get("/check-in/"),
        "check-in gate wrong date": patient.post("/check-in/", {"date_of_birth": "1900-01-01"}),
    }
    patient.post("/check-in/", {"date_of_birth": sent.date_of_birth.isoformat()})
    pages["check-in answers"] = patient.get("/check-in/answers/")
    pages["check-in answers with errors"] = patient.post("/check-in/answers/", {})
    patient.post(
        "/check-in/answers/",
        {
            "item_pregnancy": "change",
            "item_skin_now": "still_true",
            "item_sun": "still_true",
            "item_skin_prep": "still_true",
            "item_isotretinoin": "change",
            "item_skin_condition": "still_true",
            "item_vitiligo": "still_true",
            "since_last_medicines": "yes",
            "since_last_treatments": "unsure",
        },
    )
    pages["check-in changes"] = patient.get("/check-in/changes/")
    pages["check-in changes with errors"] = patient.post(
        "/check-in/changes/", {"nav": "next", "js": "1"}
    )
    tablet = client_in(language)
    tablet.force_login(desk)
    tablet.post(f"/staff/screening/invitation/check-in/{sent.pk}/open/")
    pages["check-in tablet gate"] = tablet.get("/check-in/")
    tablet.post("/check-in/", {"date_of_birth": "1900-01-01"})
    pages["check-in locked"] = tablet.post("/check-in/", {"date_of_birth": "1900-01-01"})
    pages["check-in closed"] = tablet.get("/check-in/closed/")
    done = client_in(language)
    done.force_login(desk)
    from screening.models import Reconfirmation

    Reconfirmation.objects.filter(submission=sent).update(locked_at=None, birth_date_failures=0)
    done.post(f"/staff/screening/invitation/check-in/{sent.pk}/open/")
    done.post("/check-in/", {"date_of_birth": sent.date_of_birth.isoformat()})
    done.post(
        "/check-in/answers/",
        {
            "item_pregnancy": "still_true",
            "item_skin_now": "still_true",
            "item_sun": "still_true",
            "item_skin_prep": "still_true",
            "item_isotretinoin": "still_true",
            "item_skin_condition": "still_true",
            "item_vitiligo": "still_true",
            "since_last_medicines": "no",
            "since_last_treatments": "no",
        },
    )
    pages["check-in done"] = done.get("/check-in/done/")
    return pages


# --- Reading a page's text ------------------------------------------------------------------------


class _TextNodes(HTMLParser):
    """The text a person meets on a page: text nodes and text attributes, with the `lang` that
    applies to each (an element's own, else its parent's). Scripts and styles are not text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.nodes: list[tuple[str, str | None]] = []
        self.skipping = 0

    VOID = frozenset({"meta", "link", "input", "br", "img", "hr", "source", "wbr"})

    def _lang(self):
        return next((lang for _tag, lang in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        if tag in ("script", "style"):
            self.skipping += 1
        inherited = lang or self._lang()
        for name in TEXT_ATTRIBUTES:
            if attributes.get(name):
                self.nodes.append((attributes[name].strip(), inherited))
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skipping:
            self.nodes.append((text, self._lang()))


def text_nodes(html: str) -> list[tuple[str, str | None]]:
    """[(text, lang)] of a page, in order."""
    parser = _TextNodes()
    parser.feed(html)
    return parser.nodes
