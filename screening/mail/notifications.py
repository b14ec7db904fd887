"""Every email the app sends, built at sending time from ids, never holding health data.

- to staff about a new submission: a reference, a link to the admin, the number of flags and the
  top severity; no name, no answer;
- to the provider reviewing a submission whose answers the patient changed (their link, or at
  check-in): the reference and the link to the review page only; no name, no answer, no flag;
- to a staff member: the one-time link to choose their password (a new account, or a reset);
- to a patient: their invitation, its reminders, or the resume link of a draft they saved. Only
  the patient's own link (which is how the token reaches them), the clinic and the appointment
  time: no answer, no name. In the patient's language (the invitation's, the one they saved or
  answered in); staff emails are in English whatever the patient's language.

Messages are sent by the task queue (screening.mail.tasks), which retries a mail server that is down.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from screening.mail import link_tokens
from screening.models import Amendment, ApiToken, AuditEvent, Invitation, SavedDraft, Submission
from screening.questionnaire.date_display import clinic_time, moment_in_words

NEW_SUBMISSION = "new_submission"
# A patient's amendment (their link or check-in); its object is the Amendment.
ANSWERS_CHANGED = "answers_changed"
INVITATION = "invitation"
REMINDER = "reminder"
# The last reminder of an answered invitation whose answers are due for re-confirmation.
RECONFIRM_REMINDER = "reconfirm_reminder"
RESUME_LINK = "resume_link"
RECEIPT = "receipt"
SIGN_IN_LOCKED = "sign_in_locked"
TOKEN_REQUESTED = "token_requested"
PASSWORD_LINK = "password_link"
KINDS = (
    NEW_SUBMISSION,
    ANSWERS_CHANGED,
    INVITATION,
    REMINDER,
    RECONFIRM_REMINDER,
    RESUME_LINK,
    RECEIPT,
    SIGN_IN_LOCKED,
    TOKEN_REQUESTED,
    PASSWORD_LINK,
)
# The roles' groups (screening.staff.access.CLINIC_ADMIN and PRIVACY_OFFICER, a floor above).
CLINIC_ADMIN_GROUP = "Clinic admin"
PRIVACY_OFFICER_GROUP = "Privacy officer"

# What the mail queue's list says each kind is, and what its object id names.
KIND_LABELS = {
    NEW_SUBMISSION: ("New submission (to staff)", "submission"),
    ANSWERS_CHANGED: ("Answers changed by the patient (to staff)", "amendment"),
    INVITATION: ("Invitation (to a patient)", "invitation"),
    REMINDER: ("Reminder (to a patient)", "invitation"),
    RECONFIRM_REMINDER: ("Reminder to re-confirm answers (to a patient)", "invitation"),
    RESUME_LINK: ("Resume link (to a patient)", "saved draft"),
    RECEIPT: ("Receipt (to a patient)", "submission"),
    SIGN_IN_LOCKED: ("Sign-in locked (to staff)", "audit event"),
    TOKEN_REQUESTED: ("FHIR API token to approve (to privacy officers)", "API token"),
    PASSWORD_LINK: ("Password link (to staff)", "staff account"),
}


def wants_receipt(answers: dict) -> bool:
    """A patient gets an emailed receipt when they gave an email address and agreed that we use
    email (the unencrypted-contact consent): the receipt holds the reference and nothing else."""
    return bool(answers.get("email")) and answers.get("unencrypted_contact_consent") == "yes"


def receipt_message(submission: Submission) -> tuple[str, str, list[str]]:
    """The patient's receipt, in the language they answered in: the clinic, the reference and
    the phone; no name, no answer."""
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        subject = _("We've received your answers: %(clinic)s") % {"clinic": settings.CLINIC_NAME}
        body = "\n".join(
            [
                _("Thank you. We've received your answers before your consultation."),
                "",
                _("Your reference: %(reference)s") % {"reference": submission.reference},
                "",
                _(
                    "Questions, or has something changed? Call us at %(phone)s and give your reference."
                )
                % {"phone": settings.CLINIC_PHONE},
            ]
        )
    return subject, body, [submission.email] if submission.email else []


def _admin_link(submission: Submission) -> str:
    path = reverse("admin:screening_submission_change", args=[submission.pk])
    return f"{settings.SCREENING_STAFF_BASE_URL.rstrip('/')}{path}"


def _flag_summary(submission: Submission) -> str:
    total = submission.priority_count + submission.discuss_count + submission.info_count
    return f"Flags: {total} (top severity: {submission.top_severity or 'none'})."


def new_submission_message(submission: Submission) -> tuple[str, str, list[str]]:
    """(subject, body, recipients) for a new submission; the fallback address if unassigned."""
    if submission.assigned_provider is not None:
        subject = f"New pre-screening submission {submission.reference}"
        intro = "A new pre-screening submission has been assigned to you."
        recipients = [submission.assigned_provider.user.email]
    else:
        subject = f"Unassigned pre-screening submission {submission.reference}"
        intro = (
            "A new pre-screening submission could not be assigned: no active provider is "
            "eligible to review it. Please assign it."
        )
        recipients = [settings.SCREENING_FALLBACK_EMAIL]
    body = "\n".join(
        [
            intro,
            "",
            f"Reference: {submission.reference}",
            _flag_summary(submission),
            f"Open it in the provider workspace (login required): {_admin_link(submission)}",
        ]
    )
    return subject, body, [address for address in recipients if address]


def answers_changed_message(amendment: Amendment) -> tuple[str, str, list[str]]:
    """(subject, body, recipients): the patient changed answers of a submission this provider
    reviews (the fallback address when none is assigned). The reference and the review page's
    link only: not the name, not what changed, not the flags (the page shows those)."""
    submission = amendment.submission
    how = "at check-in" if amendment.source == Amendment.Source.CHECK_IN else "through their link"
    if submission.assigned_provider is not None:
        intro = f"A patient changed answers {how} on a pre-screening submission you review."
        recipients = [submission.assigned_provider.user.email]
    else:
        intro = (
            f"A patient changed answers {how} on a pre-screening submission that no provider is "
            "assigned to. Please assign it."
        )
        recipients = [settings.SCREENING_FALLBACK_EMAIL]
    body = "\n".join(
        [
            intro,
            "",
            f"Reference: {submission.reference}",
            f"Open it in the provider workspace (login required): {_admin_link(submission)}",
        ]
    )
    subject = f"Answers changed on pre-screening submission {submission.reference}"
    return subject, body, [address for address in recipients if address]


def patient_link(prefix: str, token: str) -> str:
    return f"{settings.SCREENING_PATIENT_BASE_URL.rstrip('/')}/{prefix}/{token}/"


def invitation_link(invitation: Invitation) -> str:
    """The patient's personal link, rebuilt from the stored salt (the token is not stored)."""
    token = link_tokens.token_for(purpose="invitation", salt=invitation.token_salt)
    return patient_link("i", token)


def resume_link(saved: SavedDraft) -> str:
    token = link_tokens.token_for(purpose="resume", salt=saved.token_salt)
    return patient_link("r", token)


def _when(moment) -> str:
    """The moment in the clinic's time zone, named, in the email's language."""
    return moment_in_words(clinic_time(moment))


def invitation_message(invitation: Invitation, *, reminder: bool) -> tuple[str, str, list[str]]:
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        clinic = settings.CLINIC_NAME
        when = _when(invitation.appointment_at)
        if reminder:
            subject = _("Reminder: a few questions before your consultation at %(clinic)s") % {
                "clinic": clinic
            }
            intro = _(
                "If you haven't yet, please answer a few questions before your consultation; "
                "your answers so far are saved."
            )
        else:
            subject = _("A few questions before your consultation at %(clinic)s") % {
                "clinic": clinic
            }
            intro = _(
                "Please answer a few questions before your consultation; it takes about 10 "
                "minutes. Your answers are saved as you go, and you can finish on any device."
            )
        body = "\n".join(
            [
                _("Your consultation at %(clinic)s: %(when)s") % {"clinic": clinic, "when": when},
                "",
                intro,
                "",
                invitation_link(invitation),
                "",
                _(
                    "This link is personal: please don't forward it. It works until you send "
                    "your answers or the consultation has passed."
                ),
                _("Questions? Call us at %(phone)s.") % {"phone": settings.CLINIC_PHONE},
            ]
        )
    return subject, body, [invitation.email] if invitation.email else []


def reconfirm_reminder_message(invitation: Invitation) -> tuple[str, str, list[str]]:
    """The last reminder of an answered invitation whose answers are due for re-confirmation:
    the appointment and the patient's own link (it leads to the re-confirmation, after the
    date of birth). No answer, no name."""
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        clinic = settings.CLINIC_NAME
        subject = _("Before your visit: please check a few answers for %(clinic)s") % {
            "clinic": clinic
        }
        body = "\n".join(
            [
                _("Your consultation at %(clinic)s: %(when)s")
                % {"clinic": clinic, "when": _when(invitation.appointment_at)},
                "",
                _(
                    "Some answers can change in a few weeks. Please check them before your "
                    "visit; it takes about a minute."
                ),
                "",
                invitation_link(invitation),
                "",
                _(
                    "This link is personal: please don't forward it. For your privacy we will "
                    "ask for your date of birth."
                ),
                _("Questions? Call us at %(phone)s.") % {"phone": settings.CLINIC_PHONE},
            ]
        )
    return subject, body, [invitation.email] if invitation.email else []


def resume_link_message(saved: SavedDraft) -> tuple[str, str, list[str]]:
    """The walk-in's resume link, in the language they were answering in when they saved."""
    with translation.override(saved.language or settings.LANGUAGE_CODE):
        subject = _("Continue your questions for %(clinic)s") % {"clinic": settings.CLINIC_NAME}
        body = "\n".join(
            [
                _("You saved your answers to finish later. Continue here:"),
                "",
                resume_link(saved),
                "",
                _(
                    "For your privacy we will ask for your date of birth. The link works until "
                    "%(until)s. If you didn't ask for this, you can ignore this email."
                )
                % {"until": _when(saved.expires_at)},
                _("Questions? Call us at %(phone)s.") % {"phone": settings.CLINIC_PHONE},
            ]
        )
    return subject, body, [saved.email] if saved.email else []


def password_link(account) -> str:
    """The account holder's one-time link to choose a password (Django's reset token, made at
    sending time: it stops working once the password is set or the account signs in)."""
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    path = reverse("admin:staff_password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SCREENING_STAFF_BASE_URL.rstrip('/')}{path}"


def password_link_message(account) -> tuple[str, str, list[str]]:
    context = {
        "username": account.get_username(),
        "link": password_link(account),
        "clinic_name": settings.CLINIC_NAME,
    }
    subject = f"Choose your password for the {settings.CLINIC_NAME} pre-screening workspace"
    body = render_to_string("admin/accounts/password_reset_email.txt", context)
    return subject, body, [account.email] if account.email else []


def _addresses_of(group: str) -> list[str]:
    user_model = get_user_model()
    return sorted(
        user_model.objects.filter(is_active=True, groups__name=group, email__gt="")
        .values_list("email", flat=True)
        .distinct()
    )


def clinic_admin_addresses() -> list[str]:
    return _addresses_of(CLINIC_ADMIN_GROUP)


def token_requested_message(token: ApiToken) -> tuple[str, str, list[str]]:
    """(subject, body, recipients): the privacy officers learn that a FHIR API token waits for
    their approval. Its name, prefix, scope and who asked; never the token."""
    path = reverse("admin:screening_apitoken_changelist")
    owner = token.created_by.get_username() if token.created_by else "unknown"
    body = "\n".join(
        [
            f'{owner} asked for a FHIR API token for the integration "{token.name}" '
            f"(prefix {token.prefix}), to read: {', '.join(token.scopes)}.",
            "",
            "It reads nothing until a privacy officer approves it (FHIR API tokens, action "
            '"Approve selected tokens"); approve it only if the clinic means that integration '
            "to read these records.",
            f"The list (login required): {settings.SCREENING_STAFF_BASE_URL.rstrip('/')}{path}",
        ]
    )
    subject = "A FHIR API token awaits your approval"
    return subject, body, _addresses_of(PRIVACY_OFFICER_GROUP)


def sign_in_locked_message(event: AuditEvent) -> tuple[str, str, list[str]]:
    """(subject, body, recipients) of a staff sign-in lockout: to the staff member and the
    clinic admins. The username, the address and the time; never a password or a code."""
    account = event.actor
    username = account.get_username() if account is not None else "(no such account)"
    subject = "Staff sign-in locked after failed attempts"
    body = "\n".join(
        [
            f"Sign-in to the pre-screening staff workspace as {username} was locked after "
            f"repeated failed attempts from the address {event.client_address or 'unknown'} "
            f"at {timezone.localtime(event.at):%Y-%m-%d %H:%M %Z}.",
            "",
            "The lock holds for that username from that address; a sign-in with the right "
            "password and code from an address it has signed in from before still works.",
            "If these attempts were not yours, tell the clinic admin: someone may be trying to "
            "guess the password.",
        ]
    )
    recipients = clinic_admin_addresses()
    if account is not None and account.is_active and account.email:
        recipients = [account.email, *(a for a in recipients if a != account.email)]
    return subject, body, recipients


@dataclass(frozen=True)
class Outgoing:
    """One email to send, and the invitation whose delivery state it updates (if any)."""

    message: EmailMessage
    invitation: Invitation | None = None
    submission: Submission | None = None


def build(kind: str, object_id: int) -> Outgoing | None:
    """The email of `kind` about object `object_id`; None when there is nothing to send any more
    (the record is gone, the invitation was answered or has no address)."""
    if kind == NEW_SUBMISSION:
        submission = (
            Submission.objects.select_related("assigned_provider__user")
            .filter(pk=object_id)
            .first()
        )
        if submission is None:
            return None
        subject, body, recipients = new_submission_message(submission)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients), submission=submission)
    elif kind == ANSWERS_CHANGED:
        amendment = (
            Amendment.objects.select_related("submission__assigned_provider__user")
            .filter(pk=object_id, submission__erased_at__isnull=True)
            .first()
        )
        if amendment is None:
            return None
        subject, body, recipients = answers_changed_message(amendment)
        outgoing = Outgoing(
            EmailMessage(subject, body, None, recipients), submission=amendment.submission
        )
    elif kind in (INVITATION, REMINDER):
        invitation = Invitation.objects.filter(pk=object_id).first()
        if invitation is None or (kind == REMINDER and invitation.submission_id):
            return None
        subject, body, recipients = invitation_message(invitation, reminder=kind == REMINDER)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients), invitation=invitation)
    elif kind == RECONFIRM_REMINDER:
        invitation = Invitation.objects.select_related("submission").filter(pk=object_id).first()
        if invitation is None or invitation.submission is None:
            return None
        if invitation.submission.reconfirmed_at is not None:
            return None  # re-confirmed meanwhile (at the desk, say): nothing to remind
        subject, body, recipients = reconfirm_reminder_message(invitation)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients), invitation=invitation)
    elif kind == RECEIPT:
        submission = Submission.objects.filter(pk=object_id, erased_at__isnull=True).first()
        if submission is None or not wants_receipt(submission.answers):
            return None
        subject, body, recipients = receipt_message(submission)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients), submission=submission)
    elif kind == SIGN_IN_LOCKED:
        event = (
            AuditEvent.objects.select_related("actor")
            .filter(pk=object_id, action=AuditEvent.Action.SIGN_IN_LOCKED)
            .first()
        )
        if event is None:
            return None
        subject, body, recipients = sign_in_locked_message(event)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients))
    elif kind == TOKEN_REQUESTED:
        token = (
            ApiToken.objects.select_related("created_by")
            .filter(pk=object_id, approved_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if token is None:
            return None
        subject, body, recipients = token_requested_message(token)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients))
    elif kind == RESUME_LINK:
        saved = SavedDraft.objects.filter(pk=object_id).first()
        if saved is None:
            return None
        subject, body, recipients = resume_link_message(saved)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients))
    elif kind == PASSWORD_LINK:
        account = get_user_model().objects.filter(pk=object_id, is_active=True).first()
        if account is None:
            return None
        subject, body, recipients = password_link_message(account)
        outgoing = Outgoing(EmailMessage(subject, body, None, recipients))
    else:
        raise ValueError(f"unknown email kind {kind!r}")
    return outgoing if outgoing.message.to else None
