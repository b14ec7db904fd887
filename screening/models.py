"""Stored records: submissions and the flags raised for them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from screening.flags import RULES_BY_CODE, Severity
from screening.flags.labels import flag_label
from screening.flags.provider_checks import PROVIDER_RULES
from screening.questionnaire import CONTACT_MAX_LENGTHS, CURRENT_VERSION
from screening.questionnaire.visit import Visit

# No 0/O, 1/I/L: a reference is read aloud over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 9


def questionnaire_version_now() -> str:
    """The questionnaire version a new draft starts on (drafts keep the one they started on)."""
    return CURRENT_VERSION


def new_reference() -> str:
    """A random, unguessable reference like "K7P-X3M-Q9T" (about 44 bits)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:3]}-{code[3:6]}-{code[6:]}"


# The provider's queue order: unreviewed with a priority flag first (nearest appointment first),
# then the rest by appointment, then the oldest submission. A sort key, not a boolean column, so
# nothing has to keep it in step with `reviewed` and `priority_count`.
NEEDS_FIRST = models.Case(
    models.When(priority_count__gt=0, reviewed=False, then=models.Value(0)),
    default=models.Value(1),
)
QUEUE_ORDER = (
    NEEDS_FIRST.asc(),
    models.F("appointment_at").asc(nulls_last=True),
    models.F("submitted_at").asc(),
)
# The order for those who may not see flags (front desk, clinic admin): nothing in it depends on
# a flag, or the rows' order would tell them which patients have a priority flag.
PLAIN_QUEUE_ORDER = (
    models.F("appointment_at").asc(nulls_last=True),
    models.F("submitted_at").asc(),
)
# Their indexes: PostgreSQL's ASC already puts NULLs last (so this matches the ORDER BY there), and
# SQLite refuses NULLS LAST in an index.
QUEUE_INDEX = (NEEDS_FIRST.asc(), models.F("appointment_at").asc(), models.F("submitted_at").asc())


class Submission(models.Model):
    """A patient's finished questionnaire. `answers` is keyed by the questionnaire's ids."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")  # nobody has started the review
        IN_REVIEW = "in_review", _("In review")
        CONSULTATION_BOOKED = "consultation_booked", _("Consultation booked")
        DECIDED = "decided", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class VisitType(models.TextChoices):
        FIRST_VISIT = "first_visit", "First visit"
        SERIES_SESSION = "series_session", "Series: next session"
        NEW_CONSULTATION = "new_consultation", "New consultation after a treatment"

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    # One draft gives one submission, even for two submits at the same instant: a unique key,
    # not a check-then-insert.
    draft_key = models.UUIDField(unique=True, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    submitted_on = models.DateField(help_text="The date the flag rules measured from.")
    questionnaire_version = models.CharField(max_length=32)
    rules_version = models.CharField(max_length=64)
    answers = models.JSONField()
    first_name = models.CharField(max_length=CONTACT_MAX_LENGTHS["first_name"])
    last_name = models.CharField(max_length=CONTACT_MAX_LENGTHS["last_name"])
    preferred_name = models.CharField(max_length=CONTACT_MAX_LENGTHS["preferred_name"], blank=True)
    date_of_birth = models.DateField(null=True, blank=True)  # empty once retention erased it
    email = models.CharField(max_length=CONTACT_MAX_LENGTHS["email"], db_index=True)
    phone = models.CharField(max_length=CONTACT_MAX_LENGTHS["phone"])
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    assigned_provider = models.ForeignKey(
        "Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    # Counts of the stored flags, kept with the row so the queue never counts per row.
    priority_count = models.PositiveSmallIntegerField(default=0)
    discuss_count = models.PositiveSmallIntegerField(default=0)
    info_count = models.PositiveSmallIntegerField(default=0)
    top_severity_rank = models.SmallIntegerField(default=-1, help_text="-1: no flags.")
    # Clinical review, apart from scheduling: set only by a provider's review action (marking
    # the review done, acknowledging every priority flag, or recording a decision;
    # staff.decisions.submission_mark_reviewed). Booking, assigning or any other status change
    # never sets it. `reviewed` is the indexed flag the queue orders by; who and when beside it.
    reviewed = models.BooleanField(default=False)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="When retention erased the answers and contact."
    )
    # The booked consultation this questionnaire was for: from its invitation, or entered by the
    # front desk when they book it (status "Consultation booked" asks for it).
    appointment_at = models.DateTimeField("appointment", null=True, blank=True)
    # The declaration the patient signed by typing their name (screening/patient/declaration.py says how
    # each field is made). Empty on submissions made before signatures existed.
    signature_name = models.CharField(max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    declaration_version = models.CharField(max_length=32, blank=True)
    declaration_sha256 = models.CharField(max_length=64, blank=True)
    # The language the patient answered in (the pages' language when they sent their answers);
    # staff read everything in English whatever it is, and free text as typed.
    language = models.CharField(
        "answered in", max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # SHA-256 of the declaration exactly as shown in `language` (declaration_sha256 is of the
    # English source): what the patient read when they signed.
    declaration_text_sha256 = models.CharField(max_length=64, blank=True)
    # The clinic's privacy notice version (SCREENING_PRIVACY_NOTICE_VERSION) in force when the
    # patient acknowledged it (a re-screen that carried the acknowledgement keeps the one it
    # carried): a re-screen asks it again only when the clinic's version has changed since.
    # db_default: rows written by raw SQL (bench/seed.py) have none.
    privacy_notice_version = models.CharField(max_length=64, blank=True, db_default="")
    # SHA-256 of the "continue later" link's token of the saved draft this was sent from (its row
    # is deleted on sending): that link, opened again, says "already sent" with the reference.
    resume_link_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # A return visit (screening.flags.visit.Visit): the submission it re-screens from, and the
    # context stored with it (never answers). Empty on a first visit.
    visit_type = models.CharField(
        max_length=24,
        choices=VisitType.choices,
        default=VisitType.FIRST_VISIT,
        db_default=VisitType.FIRST_VISIT,  # rows written by raw SQL (bench/seed.py) too
    )
    previous_submission = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_submissions"
    )
    treatment_date = models.DateField(
        null=True, blank=True, help_text="The clinic's last treatment since the previous form."
    )
    carried_modality = models.CharField(max_length=32, blank=True, db_default="")
    carried_provider_skin_type = models.CharField(max_length=3, blank=True, db_default="")
    # The date of that decision ("Modality from the decision of …"); null: none, or not known.
    carried_decision_date = models.DateField(null=True, blank=True)
    # Earlier lifetime yeses (return-visit rule 3) a provider amendment with a reason cleared,
    # which the rules stop keeping: a question id ("isotretinoin_ever") or one item
    # ("skin_history=keloid"); screening.visits.amendments sets it, never a patient's change.
    lifetime_cleared = models.JSONField(
        default=list, blank=True, db_default=models.Value([], models.JSONField())
    )
    # Question id -> {"provenance": answered|confirmed|carried, "from_submission": reference,
    # "answered_on": ISO date, "confirmed_on": ISO date or null}. Empty on a first visit (every
    # answer then was answered on `submitted_on`).
    provenance = models.JSONField(
        default=dict, blank=True, db_default=models.Value({}, models.JSONField())
    )
    # 1 as sent; each amendment (patient, provider or at check-in) adds one. FHIR's versionId.
    answers_version = models.PositiveIntegerField(default=1, db_default=1)
    # When the patient re-confirmed the time-sensitive answers before the appointment (through
    # the reminder's link or the check-in tablet); null if not (yet).
    reconfirmed_at = models.DateTimeField(null=True, blank=True)
    # The patient's link to amend after sending asks for the date of birth first: wrong tries
    # counted, and the amending locked at SCREENING_RESUME_MAX_FAILURES (the clinic amends then,
    # told in person). A right date resets the count.
    amend_birth_date_failures = models.PositiveSmallIntegerField(default=0, db_default=0)
    amend_locked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reviewed", "-top_severity_rank", "submitted_at"]
        indexes = [
            models.Index(
                fields=["reviewed", "-top_severity_rank", "submitted_at"], name="queue_order"
            ),
            # The same expressions as the queue's ORDER BY, so the database reads it in order.
            models.Index(*QUEUE_INDEX, name="queue_by_appointment"),
            models.Index(fields=["appointment_at", "submitted_at"], name="queue_plain"),
            models.Index(fields=["status", "submitted_at"], name="status_submitted"),
            models.Index(fields=["status", "assigned_provider"], name="status_provider"),  # routing
            # Another submission of the same person (workspace.patients): found by birth date.
            models.Index(fields=["date_of_birth"], name="submission_birth_date"),
        ]
        permissions = [
            ("view_medical_answers", "Can see medical answers and flags"),
            ("view_all_submissions", "Can see submissions assigned to others"),
            ("record_decision", "Can acknowledge flags and record candidacy decisions"),
            ("export_submissions", "Can export submissions (CSV) and print them"),
        ]

    def __str__(self):
        # Never a name or an answer: the admin log keeps str(obj) forever.
        return self.reference

    def visit(self) -> Visit | None:
        """The re-screen's context for the questions and rules; None on a first visit.
        (Reads `previous_submission`: select it with the row where this is called per row.)"""
        if self.visit_type == self.VisitType.FIRST_VISIT or self.previous_submission is None:
            return None
        previous = self.previous_submission
        return Visit(
            visit_type=self.visit_type,
            previous_reference=previous.reference,
            previous_version=previous.questionnaire_version,
            form_date=previous.submitted_on,
            previous_answers=previous.answers,
            treatment_date=self.treatment_date,
            carried_modality=self.carried_modality,
            carried_provider_skin_type=self.carried_provider_skin_type,
            carried_decision_date=self.carried_decision_date,
            lifetime_cleared=frozenset(self.lifetime_cleared or ()),
        )

    @property
    def top_severity(self) -> str:
        """The most severe stored flag's severity ("info", "discuss", "priority"); "" if none."""
        return (
            "" if self.top_severity_rank < 0 else Severity.from_rank(self.top_severity_rank).value
        )


class Flag(models.Model):
    """One flag raised for a submission. Stored once; later rule versions never rewrite it."""

    Severity = Severity  # the one definition, screening.flags.Severity

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
    decision = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="modality_flags",
        help_text="For flags raised by a provider's modality.",
    )
    acknowledged_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The provider's note when acknowledging (health data: retention erases it).
    acknowledgement_comment = models.TextField(blank=True)
    # Answers amended after sending re-run the rules: a flag they raise names its amendment; a
    # flag they no longer raise stays, marked cleared (shown as such, no longer counted).
    raised_by_amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="raised_flags"
    )
    cleared_by_amendment = models.ForeignKey(
        "Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="cleared_flags"
    )
    # "New since {form_date} (was: …)" on a re-screen whose answer behind the flag changed.
    change_note = models.TextField(blank=True, db_default="")

    class Meta:
        ordering = ["-severity_rank", "id"]

    def __str__(self):
        return f"{self.code} ({self.severity})"

    @classmethod
    def from_raised(
        cls, raised, *, submission, decision=None, raised_by=RaisedBy.RULES, raised_amendment=None
    ) -> "Flag":
        """The row for a flag the engine raised (`flags.RaisedFlag`): the one place that maps
        one to the other, for the flags of a submission and those of a provider's modality."""
        return cls(
            submission=submission,
            decision=decision,
            code=raised.code,
            severity=raised.severity,
            severity_rank=raised.severity.rank,
            reason=raised.reason,
            sources=list(raised.sources),
            questions=raised.questions,
            rules_version=raised.rules_version,
            raised_by=raised_by,
            raised_by_amendment=raised_amendment,
            change_note=getattr(raised, "change_note", ""),
        )

    @property
    def label(self) -> str:
        """The flag in plain words ("Cold sore now"), as every staff page names it."""
        return flag_label(self.code)

    @property
    def rule_description(self) -> str:
        """The rule in plain words with the clinic's windows (looked up by code)."""
        return self.rule.describe() if self.rule else ""

    @property
    def rule(self):
        """The catalogue's rule of this code (its plain-words description and standing note),
        or None for a code the current catalogue no longer has."""
        return RULES_BY_CODE.get(self.code) or PROVIDER_RULES.get(self.code)

    @property
    def is_superseded(self) -> bool:
        """Raised by a decision that a later decision replaced: shown, no longer counted.
        (Reads `decision.superseded_by`; select it with the flags to keep the page's queries.)"""
        if self.decision_id is None:
            return False
        try:
            return self.decision.superseded_by is not None
        except Decision.superseded_by.RelatedObjectDoesNotExist:
            return False


class Provider(models.Model):
    """A staff member who reviews submissions and records candidacy decisions."""

    class Level(models.TextChoices):
        PHYSICIAN = "physician", "Physician (MD/DO)"
        NURSE_PRACTITIONER = "nurse_practitioner", "Nurse practitioner / physician assistant"
        NURSE = "nurse", "Registered nurse"
        AESTHETICIAN = "aesthetician", "Licensed aesthetician"

    user = models.OneToOneField("auth.User", on_delete=models.PROTECT, related_name="provider")
    display_name = models.CharField(max_length=120)
    credential = models.CharField(max_length=120, help_text='For example "MD, dermatologist".')
    level = models.CharField("qualification level", max_length=32, choices=Level.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name}, {self.credential}"


class Decision(models.Model):
    """A provider's candidacy decision. Never edited: a new one supersedes, history is kept.

    The flag rules never write one; only a provider, through the admin's decision page.
    """

    class Outcome(models.TextChoices):
        PROCEED = "proceed", "Proceed to treatment planning"
        PROCEED_WITH_CONDITIONS = "proceed_with_conditions", "Proceed with conditions"
        NEEDS_IN_PERSON = "needs_in_person", "Needs in-person assessment first"
        NOT_RECOMMENDED_NOW = "not_recommended_now", "Not recommended at this time"

    class Modality(models.TextChoices):
        ABLATIVE = "ablative", "Ablative"
        FRACTIONAL_ABLATIVE = "fractional_ablative", "Fractional ablative"
        NON_ABLATIVE = "non_ablative", "Non-ablative"
        NONE = "none", "None"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="decisions")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=32, choices=Outcome.choices)
    modality = models.CharField(
        "modality under consideration", max_length=32, choices=Modality.choices
    )
    notes = models.TextField(blank=True)
    provider_skin_type = models.CharField(
        "provider's skin type assessment",
        max_length=3,
        blank=True,
        help_text="Fitzpatrick I-VI, assessed in person (the patient's answer is self-reported).",
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    # The submission's answers_version the provider decided on: lower than the submission's
    # once an amendment came after ("made on earlier answers").
    answers_version = models.PositiveIntegerField(default=1, db_default=1)
    # "Series: next session in about N weeks" (a fractional series); null for none.
    next_session_weeks = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.submission.reference}: {self.get_outcome_display()}"

    @property
    def made_on_earlier_answers(self) -> bool:
        """An amendment came after it: the answers the provider decided on are not today's.
        (Reads `submission`: a submission's `decisions` manager gives it without a query.)"""
        return self.answers_version < self.submission.answers_version


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk writes that go around Model.save()/delete() (the database refuses too,
    on PostgreSQL: migration 0003's trigger)."""

    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")

    def _raw_delete(self, using):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what to which submission, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CHANGED = "changed", "Changed"
        ASSIGNED = "assigned", "Assigned"
        ACKNOWLEDGED = "acknowledged", "Acknowledged flag"
        DECIDED = "decided", "Decided"
        REVIEWED = "reviewed", "Review done by a provider"
        EXPORTED = "exported", "Exported"
        PRINTED = "printed", "Printed"
        PURGED = "purged", "Purged"
        SUBMITTED = "submitted", "Submitted"
        LOGIN_FAILED = "login_failed", "Login failed"
        SIGNED_IN = "signed_in", "Signed in"
        REFUSED = "refused", "Refused access"
        DECISION_OPENED = "decision_opened", "Opened the decision page"
        SEARCHED = "searched", "Searched or filtered the queue"
        ACCOUNT_ADDED = "account_added", "Staff account added"
        ACCOUNT_CHANGED = "account_changed", "Staff account changed"
        ROLES_CHANGED = "roles_changed", "Roles changed"
        PASSWORD_RESET = "password_reset", "Password reset link sent"
        PASSWORD_SET = "password_set", "Password chosen by reset link"
        PROVIDER_CHANGED = "provider_changed", "Provider record changed"
        INVITED = "invited", "Invitation created"
        LINK_OPENED = "link_opened", "Patient link opened"
        BIRTH_DATE_FAILED = "dob_failed", "Date of birth not confirmed"
        LOCKED = "locked", "Locked after wrong dates of birth"
        UNLOCKED = "unlocked", "Unlocked by staff"
        REMINDED = "reminded", "Reminder queued"
        DRAFT_SAVED = "draft_saved", "Draft saved for later"
        EMAIL_FAILED = "email_failed", "Email could not be sent"
        EMAIL_RECOVERED = "email_recovered", "Email task recovered after its worker stopped"
        TOKEN_ADDED = "token_added", "FHIR API token created"
        TOKEN_REVOKED = "token_revoked", "FHIR API token revoked"
        API_READ = "api_read", "FHIR API request"
        TWO_FACTOR_ENROLLED = "2fa_enrolled", "Authenticator set up"
        TWO_FACTOR_RESET = "2fa_reset", "Authenticator reset by an admin"
        RECOVERY_USED = "recovery_used", "Signed in with a recovery code"
        LINK_SHOWN = "link_shown", "Patient link shown to staff"
        TRAIL_SEARCHED = "trail_searched", "Audit trail searched for a patient"
        TOKEN_APPROVED = "token_approved", "FHIR API token approved"
        SIGN_IN_LOCKED = "sign_in_locked", "Sign-in locked after failures"
        AMENDED = "amended", "Answers amended after sending"
        RECONFIRMED = "reconfirmed", "Answers re-confirmed before the visit"
        CHECK_IN_OPENED = "check_in_opened", "Check-in page opened for a patient"
        RESCREEN_INVITED = "rescreen_invited", "Invited to a return-visit re-screen"

    actor = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    detail = models.CharField(max_length=200, blank=True, help_text="Never health data.")
    client_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The integration whose token made the request: the API's reads are that token's, named in
    # the trail as a staff member's reads are theirs.
    api_token = models.ForeignKey(
        "ApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")


class Invitation(models.Model):
    """A patient invited to answer before a booked consultation, through a personal link.

    The link's token is never stored: only its salt and hash (screening.mail.link_tokens).
    """

    class EmailState(models.TextChoices):
        NONE = "", "No email"
        QUEUED = "queued", "Queued"
        RETRYING = "retrying", "Retrying"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: call the patient"
        # The mail server may have taken it and never said so: not sent again (no duplicate).
        UNCONFIRMED = "unconfirmed", "Not confirmed: check with the patient"
        # A re-screen's email waits until SCREENING_RESCREEN_LEAD_DAYS before the appointment
        # (screening.invitations.rescreen).
        SCHEDULED = "scheduled", "Scheduled: sent nearer the appointment"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True, db_index=True)
    phone = models.CharField("mobile", max_length=30, blank=True)
    appointment_at = models.DateTimeField("appointment", db_index=True)
    provider = models.ForeignKey(
        "Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    language = models.CharField(
        "preferred language", max_length=8, blank=True, choices=settings.LANGUAGES
    )
    token_salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True, help_text="First time the link opened.")
    submission = models.OneToOneField(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )
    reminders_sent = models.JSONField(
        default=list, blank=True, help_text="Hours before the appointment already reminded."
    )
    email_state = models.CharField(
        max_length=12, choices=EmailState.choices, blank=True, default=EmailState.NONE
    )
    email_error = models.CharField(max_length=200, blank=True)
    # A return visit's invitation (a re-screen, not the whole questionnaire): the submission it
    # re-screens from and why the patient comes back. Empty for a first visit.
    previous_submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visit_type = models.CharField(
        max_length=24,
        choices=Submission.VisitType.choices,
        default=Submission.VisitType.FIRST_VISIT,
    )
    # The clinic's record of its last treatment since the previous form (none: not treated).
    treatment_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["appointment_at", "id"]
        permissions = [("unlock_invitation", "Can unlock an invitation locked by wrong dates")]

    def __str__(self):
        # Never a name: the admin log keeps str(obj) forever.
        return f"Invitation #{self.pk}"


class SavedDraft(models.Model):
    """Answers in progress kept in the database: an invitation's, or a walk-in's saved for later.

    Health data: never logged, erased by `purge_expired` once `expires_at` has passed.
    """

    key = models.UUIDField(unique=True, editable=False, help_text="The submission's draft key.")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="draft"
    )
    questionnaire_version = models.CharField(max_length=32, default=questionnaire_version_now)
    answers = models.JSONField(default=dict)
    completed = models.JSONField(default=list)
    pending = models.JSONField(default=dict)
    # A walk-in's resume link (an invitation's draft opens through the invitation's link).
    email = models.EmailField(max_length=254, blank=True)
    # The patient's language when they saved: the resume link's email is written in it.
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES)
    token_salt = models.CharField(max_length=64, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    birth_date_failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    # A returning patient's re-screen (its invitation names a previous submission): the cards
    # confirmed with "Still true" and those opened with "Change" (screening/patient/rescreen).
    rescreen = models.JSONField(
        default=dict, blank=True, db_default=models.Value({}, models.JSONField())
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Saved draft #{self.pk}"


class ApiToken(models.Model):
    """A clinic integration's (its EHR's) key to the read-only FHIR API (screening.fhir.tokens).

    The token is shown once when created; only its SHA-256 is stored (a random 256-bit secret
    needs no salt or slow hash). It reads only the resources of its scope, only once a second
    person (the privacy officer) has approved it, until it expires, and only while its owner and
    its approver are active staff (`screening.staff.access.token_is_live`). Revoked, never
    deleted: the audit trail names it.
    """

    class Scope(models.TextChoices):
        QUESTIONNAIRE = "Questionnaire", "Questionnaire (the questions; no patient data)"
        RESPONSE = "QuestionnaireResponse", "QuestionnaireResponse (answers and contact)"
        FLAGS = "DetectedIssue", "DetectedIssue (flags)"
        DECISIONS = "ClinicalImpression", "ClinicalImpression (decisions)"

    name = models.CharField(max_length=100, help_text='The integration, e.g. "OpenEMR".')
    prefix = models.CharField(max_length=16, editable=False, help_text="To recognise a token.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list, help_text="The FHIR resource types it may read.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User",
        verbose_name="owner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "FHIR API token"
        permissions = [
            ("approve_apitoken", "Can approve a FHIR API token another staff member created"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Not revoked (approval, expiry and the people behind it: access.token_is_live)."""
        return self.revoked_at is None


class RefusedApiRequests(models.Model):
    """Requests to the FHIR API without a valid token, counted per client address and window.

    The audit trail gets one event when an address's window opens and one with the count when it
    has closed (screening.fhir.refusals), not one per request: a scanner's burst is two rows, and
    the trail stays readable.
    """

    address = models.CharField(max_length=45, blank=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "window_start"], name="refused_api_window")
        ]

    def __str__(self):
        return f"{self.count} refused from {self.address or '?'} at {self.window_start:%H:%M}"


class EmailDispatch(models.Model):
    """One email the app means to send, and how far its sending got: the send-once record.

    Made in the transaction that queues the email, with the Message-ID the email carries. Every
    attempt (a retry, or the task queued again after its worker was killed) works on this row, so
    the message is handed to the mail server at most once, unless the clinic accepts a duplicate
    for its kind (screening.mail.dispatch). Ids only: no address, no name.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"  # nothing handed over yet: safe to (re)try
        SENDING = "sending", "Sending"  # an attempt holds it, before handing the message over
        HANDED_OVER = "handed_over", "Handed to the mail server, not confirmed"
        SENT = "sent", "Sent"
        UNCONFIRMED = "unconfirmed", "Not confirmed, not sent again"
        FAILED = "failed", "Failed"
        NOTHING = "nothing", "Nothing to send"

    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    message_id = models.CharField(max_length=200, unique=True, editable=False)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    # The attempt that holds the row (a random value per attempt) and since when.
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    # A message handed over more than once: only where the clinic accepts duplicates.
    resent_unconfirmed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id"], name="emaildispatch_kind_object")]

    def __str__(self):
        return f"{self.kind} #{self.object_id} ({self.state})"


class WorkerHeartbeat(models.Model):
    """The last time each running mail worker (`manage.py run_worker`) was seen alive.

    `/readyz` is unready when no worker has beaten within SCREENING_READY_WORKER_MINUTES: queued
    email would otherwise wait, unseen, for a worker that is gone. A worker that stops cleanly
    deletes its row; one that dies leaves it to age out.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"worker {self.worker_id} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"


class Amendment(models.Model):
    """An answer changed after sending: the original stays in the trail, this is its own record.

    Who (the patient through their link, at check-in, or a provider told in person with a
    reason), when, what (question id -> before/after) and why. `answers_before` is the whole
    answer set it replaced (FHIR `_history` reads earlier versions from it). Health data:
    retention erases `changes`, `answers_before` and `reason`.
    """

    class Source(models.TextChoices):
        PATIENT = "patient", "The patient, through their link"
        CHECK_IN = "check_in", "The patient, re-confirming before the visit"
        PROVIDER = "provider", "A provider, told in person"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="amendments")
    source = models.CharField(max_length=16, choices=Source.choices)
    actor = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, help_text="Question id -> {before, after}.")
    answers_before = models.JSONField(default=dict)
    # The submission's answers_version this amendment made (2 for the first amendment).
    answers_version = models.PositiveIntegerField()
    # The earlier lifetime yeses this provider's amendment cleared (return-visit rule 3), as in
    # Submission.lifetime_cleared: "isotretinoin_ever", "skin_history=keloid". Never a patient's.
    lifetime_cleared = models.JSONField(
        default=list, blank=True, db_default=models.Value([], models.JSONField())
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "answers_version"], name="one_amendment_per_version"
            )
        ]

    def __str__(self):
        # Never an answer: the admin log keeps str(obj) forever.
        return f"Amendment #{self.pk}"


class Reconfirmation(models.Model):
    """A patient's re-confirmation of the time-sensitive answers before the visit
    (screening.questionnaire.reconfirm), one per submission: its date-of-birth check (tries
    and lock, through the reminder's link or the check-in tablet) and its outcome.

    `since_answers` holds the two since-questions asked at check-in ("Since {since_date}, …?"):
    they are asked of every submission, first visit or re-screen, and kept here rather than in
    the answers, where a re-screen's `since_last_*` mean "since the previous form". What changed
    in the answers is the `amendment`'s (source check-in). Health data: retention erases
    `since_answers` and `changed_ids`.
    """

    class Via(models.TextChoices):
        LINK = "link", "The reminder's link"
        TABLET = "tablet", "The check-in tablet"

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="reconfirmation"
    )
    birth_date_failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices, blank=True)
    since_date = models.DateField(null=True, blank=True)
    since_answers = models.JSONField(default=dict, blank=True)
    # The question ids the patient changed (the amendment's), and the items they confirmed.
    changed_ids = models.JSONField(default=list, blank=True)
    confirmed_items = models.JSONField(default=list, blank=True)
    amendment = models.OneToOneField(
        "Amendment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        # Never an answer: the admin log keeps str(obj) forever.
        return f"Re-confirmation #{self.pk}"
