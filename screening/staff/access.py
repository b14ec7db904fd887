"""Who may see and do what, in one place: the admin, the services and the views all ask here.

Roles are Django groups (the table is frozen in migration 0002; `roles.py` re-creates it): a
provider sees the medical answers of submissions assigned to them (all, with
SCREENING_PROVIDERS_SEE_ALL or the view_all_submissions permission), acknowledges flags and
records decisions; the front desk sees the queue, contact details and status, never answers or
flags; a clinic admin manages staff accounts, providers and assignments; the privacy officer
reads the audit trail. A superuser (made only with `createsuperuser`) holds every permission
but not past the rules that hold for everyone (submissions are never added or deleted through
the admin, the audit trail is append-only, "Decided" comes only from a decision).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from screening.models import ApiToken, AuditEvent, Decision, Invitation, Provider, Submission
from screening.staff import routing

PROVIDER = "Provider"
FRONT_DESK = "Front desk"
CLINIC_ADMIN = "Clinic admin"
PRIVACY_OFFICER = "Privacy officer"
ROLES = (PROVIDER, FRONT_DESK, CLINIC_ADMIN, PRIVACY_OFFICER)

Status = Submission.Status
_OPEN = (Status.SUBMITTED, Status.IN_REVIEW, Status.CONSULTATION_BOOKED)
_STAFF = frozenset({PROVIDER, FRONT_DESK, CLINIC_ADMIN})

# Which role may move a submission from one status to another. "Decided" is missing on purpose:
# it is reached only by recording a decision (decisions.decision_record), and left only by a
# new decision superseding it.
STATUS_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.SUBMITTED, Status.IN_REVIEW): frozenset({PROVIDER, CLINIC_ADMIN}),
    (Status.SUBMITTED, Status.CONSULTATION_BOOKED): _STAFF,
    (Status.IN_REVIEW, Status.CONSULTATION_BOOKED): _STAFF,
    (Status.CONSULTATION_BOOKED, Status.IN_REVIEW): _STAFF,  # the booking was cancelled
    **{(status, Status.WITHDRAWN): _STAFF for status in _OPEN},  # the patient withdrew
    (Status.WITHDRAWN, Status.SUBMITTED): frozenset({CLINIC_ADMIN}),  # withdrawn by mistake
}

# The fields a role's search box reads, per model; a model missing here offers no search.
SEARCH_FIELDS = {
    Submission: ("=reference", "last_name", "first_name", "=email"),
    Provider: ("display_name", "user__username"),
    AuditEvent: ("=submission__reference", "actor__username"),
    Decision: ("=submission__reference",),
    Invitation: ("last_name", "first_name", "=email", "=submission__reference"),
    "auth.user": ("username", "first_name", "last_name", "=email"),
    "otp_totp.totpdevice": ("user__username", "name"),
    "axes.accessattempt": ("username", "ip_address"),
    "axes.accesslog": ("username", "ip_address"),
    "axes.accessfailurelog": ("username", "ip_address"),
}


def roles_of(user) -> frozenset[str]:
    """The user's staff roles (group names among ROLES); every role for a superuser."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(ROLES)
    cached = getattr(user, "_screening_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._screening_roles = cached
    return cached


def provider_of(user):
    """The user's active Provider record, or None."""
    provider = getattr(user, "provider", None)
    return provider if provider is not None and provider.is_active else None


# --- submissions: who sees which, and what of it --------------------------------------------


def can_view_medical(user) -> bool:
    return user.has_perm("screening.view_medical_answers")


def can_export(user) -> bool:
    """Print and CSV export: the medical answers leave the screen."""
    return can_view_medical(user) and user.has_perm("screening.export_submissions")


def sees_all_submissions(user) -> bool:
    return (
        user.has_perm("screening.view_all_submissions")
        or settings.SCREENING_PROVIDERS_SEE_ALL
        or not can_view_medical(user)
    )  # the front desk arranges every consultation


def visible_submissions(user, queryset):
    """Narrow `queryset` to what `user` may open."""
    if not user.has_perm("screening.view_submission"):
        return queryset.none()
    if sees_all_submissions(user):
        return queryset
    provider = provider_of(user)
    if provider is None:
        return queryset.none()
    return queryset.filter(assigned_provider=provider)


def can_view_submission(user, submission) -> bool:
    if not user.has_perm("screening.view_submission"):
        return False
    if sees_all_submissions(user):
        return True
    provider = provider_of(user)
    return provider is not None and submission.assigned_provider_id == provider.pk


def offers_medical_filters(user) -> bool:
    """Severity and flag filters narrow by health data: only for those who see it."""
    return can_view_medical(user)


# --- what changes a submission ---------------------------------------------------------------


def allowed_statuses(user, submission) -> list[str]:
    """The statuses `user` may move `submission` to from its current one (in choice order)."""
    if not (can_view_submission(user, submission) and user.has_perm("screening.change_submission")):
        return []
    roles = roles_of(user)
    return [
        status
        for status in Status.values
        if roles & STATUS_TRANSITIONS.get((submission.status, status), frozenset())
    ]


def can_set_status(user, submission, status) -> bool:
    return status in allowed_statuses(user, submission)


def can_set_appointment(user, submission) -> bool:
    """The booked consultation's time: whoever may book it (move it to "Consultation booked"),
    or move it on from there."""
    if not (can_view_submission(user, submission) and user.has_perm("screening.change_submission")):
        return False
    roles = roles_of(user)
    return any(
        roles & allowed
        for (_, target), allowed in STATUS_TRANSITIONS.items()
        if target == Status.CONSULTATION_BOOKED
    )


def can_assign(user) -> bool:
    """Choosing who reviews: those who see every submission and may change them (clinic admin)."""
    return user.has_perm("screening.view_all_submissions") and user.has_perm(
        "screening.change_submission"
    )


def can_decide(user) -> bool:
    """An active provider with the decision permission (on some submission)."""
    return user.has_perm("screening.record_decision") and provider_of(user) is not None


def can_decide_on(user, submission) -> bool:
    """Acknowledge flags and record a decision on this submission: an active provider who may
    open it and is qualified for its priority flags, if any."""
    provider = provider_of(user)
    return (
        can_decide(user)
        and can_view_submission(user, submission)
        and routing.is_qualified(provider, submission=submission)
    )


def can_amend_answers(user, submission) -> bool:
    """Amend a clinical answer a patient told in person (with a reason): an active provider
    who may open the submission and see its answers. The front desk and the clinic admin
    never change clinical answers; the privacy officer reads."""
    return (
        provider_of(user) is not None
        and can_view_medical(user)
        and user.has_perm("screening.record_decision")
        and can_view_submission(user, submission)
    )


# --- accounts -------------------------------------------------------------------------------


def can_manage_account(user, account) -> bool:
    """Change a staff account: never a superuser's unless you are one."""
    if account is None:  # a new account
        return user.has_perm("auth.add_user")
    return user.has_perm("auth.change_user") and (user.is_superuser or not account.is_superuser)


def can_reset_two_factor(user, account) -> bool:
    """Remove someone's authenticator (a lost phone) so they enrol again: whoever manages the
    account, never for their own (that would skip the second factor they signed in with)."""
    return can_manage_account(user, account) and account.pk != user.pk


def can_change_roles(user, account) -> bool:
    """Roles of someone else's account (nobody raises their own)."""
    return can_manage_account(user, account) and (account is None or account.pk != user.pk)


# --- the admin's generic machinery ----------------------------------------------------------

# Records written by services only: the admin never adds, changes or deletes them.
_WRITTEN_BY_SERVICES = {Submission: {"add", "delete"}, AuditEvent: {"add", "change", "delete"}}
_WRITTEN_BY_SERVICES[Decision] = {"add", "change", "delete"}
_WRITTEN_BY_SERVICES[Provider] = {"delete"}  # deactivate instead: decisions keep naming them
_WRITTEN_BY_SERVICES[ApiToken] = {"delete"}  # revoke instead: the audit trail names them


def admin_permission(user, action: str, model, obj=None) -> bool:
    """May `user` do `action` ("view", "add", "change", "delete") on `model` (or `obj`) in the
    admin. Django's model permission first, then the rules of ours that hold for everyone."""
    opts = model._meta
    if action in _WRITTEN_BY_SERVICES.get(model, ()):
        return False
    if opts.label_lower == "auth.user" and action == "delete":
        return False  # deactivate: the audit trail keeps naming the account
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        return False
    if obj is None:
        return True
    if model is Submission:
        return can_view_submission(user, obj)
    if model is Decision:
        return can_view_submission(user, obj.submission)
    if opts.label_lower == "auth.user" and action == "change":
        return can_manage_account(user, obj)
    return True


def search_fields(model) -> tuple[str, ...]:
    """The fields the admin's search box may read for `model` (none for a model not listed)."""
    return SEARCH_FIELDS.get(model, SEARCH_FIELDS.get(model._meta.label_lower, ()))


def lookup_allowed(lookup: str, *, offered: set[str]) -> bool:
    """A query-string lookup narrows a list only when it is a parameter of a filter the page
    offers to this user; anything else (answers__..., counts, ranks) is refused."""
    return lookup in offered


def can_search_trail(user) -> bool:
    """Find a patient's events by name and date of birth: whoever reads the audit trail."""
    return user.has_perm("screening.view_auditevent")


def can_invite(user) -> bool:
    """Front desk and clinic admin create invitations (and upload them as CSV)."""
    return user.has_perm("screening.add_invitation")


def can_invite_returning(user, submission) -> bool:
    """Invite the patient of `submission` back for a re-screen (a series session or a new
    consultation): whoever invites, for a submission they may open whose answers are kept.
    The page shows contact details and the visit's context, never answers or flags."""
    return (
        can_invite(user)
        and can_view_submission(user, submission)
        and submission.erased_at is None
        and submission.status != Status.WITHDRAWN
    )


def can_unlock_invitation(user) -> bool:
    return user.has_perm("screening.unlock_invitation")


def can_open_check_in(user, submission=None) -> bool:
    """Open the check-in tablet for a patient at the desk (re-confirmation before the visit):
    those who keep the day's appointments (front desk, clinic admin). The tablet shows the
    answers to the patient only; the one who opens it sees none."""
    if not can_invite(user):
        return False
    return submission is None or can_view_submission(user, submission)


# --- the FHIR API (screening/fhir) ------------------------------------------------------------
#
# A token reads health data for as long as it lives, without a person at the keyboard, so making
# one is a privileged act of its own: the clinic admin asks for it (names the integration and what
# it may read), and a second person, the privacy officer, approves it before it reads anything.
# Nobody approves a token they asked for, so no one role or account reaches the records alone
# (a clinic admin never sees answers in the workspace either). A token dies when it expires, is
# revoked, or its owner or approver is deactivated.


def can_request_api_token(user) -> bool:
    """Ask for a token for an integration (it reads nothing until approved)."""
    return user.has_perm("screening.add_apitoken")


def can_approve_api_token(user, token=None) -> bool:
    """Approve `token` (or some token): someone other than its owner, with the permission."""
    if not user.has_perm("screening.approve_apitoken"):
        return False
    if token is None:
        return True
    return token.created_by_id != user.pk and token.approved_at is None and token.revoked_at is None


def can_revoke_api_token(user) -> bool:
    """Stop a token at once: whoever may ask for one or approve one."""
    return (
        user.has_perm("screening.add_apitoken") and user.has_perm("screening.change_apitoken")
    ) or user.has_perm("screening.approve_apitoken")


def token_is_live(token, *, now=None) -> bool:
    """May `token` be used now: approved by a second person, not revoked, not expired, and its
    owner and approver both still active staff in the roles that made it (deactivating either,
    or taking their role away, stops it, whatever path the change took)."""
    if token is None or token.revoked_at is not None or token.approved_at is None:
        return False
    if token.expires_at <= (now or timezone.now()):
        return False
    owner, approver = token.created_by, token.approved_by
    if owner is None or approver is None or owner.pk == approver.pk:
        return False
    # Both still hold the roles that made the token: taking either role away stops it too.
    return (
        owner.is_active
        and approver.is_active
        and can_request_api_token(owner)
        and approver.has_perm("screening.approve_apitoken")
    )


def token_reads(token, resource_type: str) -> bool:
    """Does `token`'s scope include `resource_type` ("QuestionnaireResponse", "DetectedIssue"...)."""
    return token_is_live(token) and resource_type in (token.scopes or ())


def integration_submissions(token, queryset):
    """The submissions an integration's token reads through the FHIR API: the clinic's chart
    takes every submission, so a live token whose scope holds QuestionnaireResponse reads them
    all; any other nothing."""
    return queryset if token_reads(token, ApiToken.Scope.RESPONSE) else queryset.none()
