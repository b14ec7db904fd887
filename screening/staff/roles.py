"""Staff roles: the groups and the permissions each holds (minimum necessary; see access.py).

Migration 0002 created them from a frozen copy of this table; a change here needs a new
migration (a test compares the two). `ensure_roles()` re-creates whatever is missing (after a
test database flush, or by hand after someone deleted a group).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

from screening.staff.access import CLINIC_ADMIN, FRONT_DESK, PRIVACY_OFFICER, PROVIDER

ROLE_PERMISSIONS = {
    PROVIDER: [
        "view_submission",
        "change_submission",
        "view_medical_answers",
        "record_decision",
        "export_submissions",
        "view_decision",
    ],
    FRONT_DESK: [
        "view_submission",
        "change_submission",
        "view_invitation",
        "add_invitation",
        "change_invitation",
        "unlock_invitation",
    ],
    CLINIC_ADMIN: [
        "view_submission",
        "change_submission",
        "view_all_submissions",
        "view_provider",
        "add_provider",
        "change_provider",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "view_invitation",
        "add_invitation",
        "change_invitation",
        "unlock_invitation",
        "django_tasks_database.view_dbtaskresult",  # the mail queue: failed emails
        "view_apitoken",  # the EHR's keys to the FHIR API
        "add_apitoken",
        "change_apitoken",  # revoke
    ],
    PRIVACY_OFFICER: [
        "view_auditevent",
        "view_apitoken",  # a token reads health data only once the privacy officer approves it
        "approve_apitoken",
    ],
}


def ensure_roles(apps=global_apps) -> None:
    """Create the role groups with their permissions (and any missing permission)."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    content_type_model.objects.clear_cache()
    for app_label in ("auth", "screening", "django_tasks_database"):
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:  # an app a migration state does not hold yet
            continue
        if not getattr(app_config, "models_module", None):  # nor its models, in a migration
            continue
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for name in codenames:
            app_label, codename = name.split(".") if "." in name else ("screening", name)
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            # None: a model a later migration creates; its migration calls ensure_roles again.
            if permission is not None:
                group.permissions.add(permission)
