"""Stored records: submissions and the flags raised for them."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: a reference is read aloud over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 9


def new_reference() -> str:
    """A random, unguessable reference like "K7P-X3M-Q9T" (about 44 bits)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


class Submission(models.Model):
    """A patient's finished questionnaire. `answers` is keyed by the questionnaire's ids."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CONSULTATION_BOOKED = "consultation_booked", _("Consultation booked")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    reference = models.CharField(max_length=16, unique=True, default=new_reference,
                                 editable=False)
    # One draft gives one submission, even for two submits at the same instant: a unique key,
    # not a check-then-insert.
    draft_key = models.UUIDField(unique=True, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    submitted_on = models.DateField(help_text="The date the flag rules measured from.")
    questionnaire_version = models.CharField(max_length=32)
    rules_version = models.CharField(max_length=64)
    answers = models.JSONField()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    email = models.CharField(max_length=254, db_index=True)
    phone = models.CharField(max_length=30)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        # Never a name or an answer: the admin log keeps str(obj) forever.
        return self.reference


class Flag(models.Model):
    """One flag raised for a submission. Stored once; later rule versions never rewrite it."""

    class Severity(models.TextChoices):
        INFO = "info", "Info"
        DISCUSS = "discuss", "Discuss"
        PRIORITY = "priority", "Priority"

    class RaisedBy(models.TextChoices):
        RULES = "rules", "Rules at submission"
        PROVIDER_INPUT = "provider_input", "Rules on the provider's input"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=64, db_index=True)
    severity = models.CharField(max_length=16, choices=Severity.choices, db_index=True)
    severity_rank = models.PositiveSmallIntegerField()
    reason = models.TextField()
    sources = models.JSONField(default=list)
    questions = models.JSONField(default=dict, help_text="Question id -> answer as shown.")
    rules_version = models.CharField(max_length=64)
    raised_by = models.CharField(max_length=16, choices=RaisedBy.choices, default=RaisedBy.RULES)
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-severity_rank", "id"]

    def __str__(self):
        return f"{self.code} ({self.severity})"
