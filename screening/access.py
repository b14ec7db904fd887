"""What each staff role may see and do (minimum necessary), in one place.

Roles are Django groups (screening/roles.py, made by migration 0002): a provider sees the
medical answers of submissions assigned to them (all, with SCREENING_PROVIDERS_SEE_ALL or the
view_all_submissions permission), acknowledges flags and records decisions; the front desk sees
the queue, contact details and status, never answers or flags; a clinic admin manages providers
and assignments.
"""

from __future__ import annotations

from django.conf import settings

PROVIDER = "Provider"
FRONT_DESK = "Front desk"
CLINIC_ADMIN = "Clinic admin"
PRIVACY_OFFICER = "Privacy officer"


def provider_of(user):
    """The user's active Provider record, or None."""
    provider = getattr(user, "provider", None)
    return provider if provider is not None and provider.is_active else None


def can_view_medical(user) -> bool:
    return user.has_perm("screening.view_medical_answers")


def can_decide(user) -> bool:
    return user.has_perm("screening.record_decision") and provider_of(user) is not None


def sees_all_submissions(user) -> bool:
    return (
        user.has_perm("screening.view_all_submissions")
        or settings.SCREENING_PROVIDERS_SEE_ALL
        or not can_view_medical(user)
    )  # the front desk arranges every consultation


def visible_submissions(user, queryset):
    """Narrow `queryset` to what `user` may open."""
    if sees_all_submissions(user):
        return queryset
    provider = provider_of(user)
    if provider is None:
        return queryset.none()
    return queryset.filter(assigned_provider=provider)


def can_view_submission(user, submission) -> bool:
    if sees_all_submissions(user):
        return user.has_perm("screening.view_submission")
    provider = provider_of(user)
    return provider is not None and submission.assigned_provider_id == provider.pk


def can_invite(user) -> bool:
    """Front desk and clinic admin create invitations (and upload them as CSV)."""
    return user.has_perm("screening.add_invitation")


def can_unlock_invitation(user) -> bool:
    return user.has_perm("screening.unlock_invitation")
