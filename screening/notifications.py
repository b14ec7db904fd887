"""Emails to staff about new submissions. No name, no answers, no health data: a reference, a
link to the admin, the number of flags and the top severity, nothing more."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .models import Submission

logger = logging.getLogger(__name__)


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


def notify_new_submission(submission: Submission) -> None:
    """Send the message; a mail failure is logged (by reference) and never reaches the patient."""
    subject, body, recipients = new_submission_message(submission)
    if not recipients:
        logger.warning("No address to notify about submission %s", submission.reference)
        return
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # the submission is saved; staff still see it in the queue
        logger.exception("Could not send the notification for submission %s", submission.reference)
