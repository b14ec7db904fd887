"""Staff accounts and provider records: created, changed and reset through audited services.

A clinic admin manages other staff members' accounts and roles (never their own roles, never a
superuser, never single permissions); superusers are made only with `manage.py
createsuperuser`. Nobody sets another person's password: the account holder gets a one-time
link (Django's password reset token) by email and chooses it. That email goes through the task
queue like every other: a mail server that is down, refuses or never answers costs retries and,
after the last, a failed task in the mail queue and an audit event, never the request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from screening.mail import notifications
from screening.mail.tasks import queue_email
from screening.models import ApiToken, AuditEvent, Provider, Submission
from screening.records import audit
from screening.staff import access, routing


class AccountRefused(Exception):
    """The account change is not allowed; the message says why."""


ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


def _roles_of(account) -> list[str]:
    return sorted(account.groups.filter(name__in=access.ROLES).values_list("name", flat=True))


def _set_roles(*, account, roles, actor) -> str:
    """Replace the account's roles; returns the audit text ("" when unchanged)."""
    roles = sorted(set(roles))
    if not set(roles) <= set(access.ROLES):
        raise AccountRefused("Unknown role.")
    before = _roles_of(account)
    if roles == before:
        return ""
    if not access.can_change_roles(actor, account):
        raise AccountRefused("You cannot change the roles of this account.")
    account.groups.set(Group.objects.filter(name__in=roles))
    return f"roles [{', '.join(before)}] -> [{', '.join(roles)}]"


def account_create(*, fields: dict, roles, actor, address: str | None = None) -> object:
    """A new staff account with no usable password; its holder gets a link to choose one."""
    if not actor.has_perm("auth.add_user"):
        raise AccountRefused("You cannot add staff accounts.")
    user_model = get_user_model()
    with transaction.atomic():
        account = user_model(is_staff=True, is_superuser=False, **fields)
        account.set_unusable_password()
        account.save()
        role_text = _set_roles(account=account, roles=roles, actor=actor)
        audit.record(
            action=AuditEvent.Action.ACCOUNT_ADDED,
            actor=actor,
            address=address,
            detail=f"account {account.get_username()}; {role_text or 'no role'}",
        )
        if account.is_active:  # a deactivated one gets its link when activated and sent one
            password_reset_send(account=account, actor=actor, address=address)
    return account


def account_update(*, account, fields: dict, roles, actor, address: str | None = None) -> None:
    """Change the account's names, email, active flag and roles (audited, field names only)."""
    if not access.can_manage_account(actor, account):
        raise AccountRefused("You cannot change this account.")
    if account.pk == actor.pk and fields.get("is_active") is False:
        raise AccountRefused("You cannot deactivate your own account.")
    with transaction.atomic():
        changed = [
            name
            for name in ACCOUNT_FIELDS
            if name in fields and fields[name] != getattr(account, name)
        ]
        for name in changed:
            setattr(account, name, fields[name])
        if changed:
            account.save(update_fields=changed)
            audit.record(
                action=AuditEvent.Action.ACCOUNT_CHANGED,
                actor=actor,
                address=address,
                detail=f"account {account.get_username()}: {', '.join(changed)}",
            )
            if "is_active" in changed and not account.is_active:
                _revoke_tokens_of(account=account, actor=actor, address=address)
        if roles is not None:
            role_text = _set_roles(account=account, roles=roles, actor=actor)
            if role_text:
                audit.record(
                    action=AuditEvent.Action.ROLES_CHANGED,
                    actor=actor,
                    address=address,
                    detail=f"account {account.get_username()}: {role_text}",
                )


def _revoke_tokens_of(*, account, actor, address) -> None:
    """A deactivated account's FHIR API tokens stop: those it owns and those it approved (a token
    stands on both people; `access.token_is_live` refuses them already, this says so for good)."""
    tokens = ApiToken.objects.select_for_update().filter(
        Q(created_by=account) | Q(approved_by=account), revoked_at__isnull=True
    )
    for token in tokens:
        role = "owner" if token.created_by_id == account.pk else "approver"
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            action=AuditEvent.Action.TOKEN_REVOKED,
            actor=actor,
            address=address,
            api_token=token,
            detail=f"token #{token.pk} {token.prefix}: {role} {account.get_username()} deactivated",
        )


def password_reset_send(*, account, actor, address: str | None = None) -> None:
    """Queue the email of a one-time link to choose a password for the account holder
    (audited); the link itself is made when the email is sent."""
    if actor is not None and not access.can_manage_account(actor, account):
        raise AccountRefused("You cannot reset the password of this account.")
    if not account.email:
        raise AccountRefused("This account has no email address to send the link to.")
    if not account.is_active:
        raise AccountRefused("This account is deactivated: activate it first.")
    with transaction.atomic():
        queue_email(kind=notifications.PASSWORD_LINK, object_id=account.pk)
        audit.record(
            action=AuditEvent.Action.PASSWORD_RESET,
            actor=actor,
            address=address,
            detail=f"account {account.get_username()}: reset link queued",
        )


# --- provider records -------------------------------------------------------------------------

PROVIDER_FIELDS = ("user", "display_name", "credential", "level", "is_active")


def provider_level_error(*, provider: Provider, level: str) -> str:
    """Why `provider` cannot take `level` ("" if they can): a level that may not review
    priority flags is refused while they hold open priority-flagged submissions."""
    if provider.pk is None or routing.level_reviews_priority(level):
        return ""
    held = routing.priority_submissions_held(provider).count()
    if not held:
        return ""
    return (
        f"This provider holds {held} open submission{'s' if held != 1 else ''} with a priority "
        "flag, which this level may not review: reassign them first."
    )


def provider_save(*, provider: Provider, actor, address: str | None = None) -> int:
    """Create or change a provider record (audited by name).

    A level change that would leave them holding priority submissions they may not review is
    refused; deactivating them sends their open submissions back to "Needs assignment". Returns
    how many went back."""
    if not actor.has_perm("screening.change_provider" if provider.pk else "screening.add_provider"):
        raise AccountRefused("You cannot change providers.")
    with transaction.atomic():
        before = Provider.objects.select_for_update().filter(pk=provider.pk).first()
        if before is not None and before.level != provider.level:
            error = provider_level_error(provider=before, level=provider.level)
            if error:
                raise AccountRefused(error)
        changed = [
            name
            for name in PROVIDER_FIELDS
            if before is None or getattr(before, name) != getattr(provider, name)
        ]
        provider.save()
        if before is None:
            audit.record(
                action=AuditEvent.Action.PROVIDER_CHANGED,
                actor=actor,
                address=address,
                detail=f"provider added: {audit.provider_label(provider)}, level {provider.level}",
            )
        elif changed:
            level = f" (level {before.level} -> {provider.level})" if "level" in changed else ""
            audit.record(
                action=AuditEvent.Action.PROVIDER_CHANGED,
                actor=actor,
                address=address,
                detail=f"provider {audit.provider_label(provider)}: {', '.join(changed)}{level}",
            )
        if before is not None and before.is_active and not provider.is_active:
            return _unassign_open(provider=provider, actor=actor, address=address)
    return 0


def _unassign_open(*, provider: Provider, actor, address) -> int:
    held = list(
        Submission.objects.select_for_update().filter(
            assigned_provider=provider, status__in=routing.OPEN_STATUSES
        )
    )
    for submission in held:
        submission.assigned_provider = None
        submission.save(update_fields=["assigned_provider"])
        audit.record(
            action=AuditEvent.Action.ASSIGNED,
            actor=actor,
            address=address,
            submission=submission,
            detail=f"{audit.provider_label(provider)} -> nobody (provider deactivated)",
        )
    return len(held)
