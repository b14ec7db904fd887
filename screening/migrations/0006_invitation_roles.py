"""The front desk and clinic admin may create invitations and see the mail queue.

The permissions granted are frozen here, as they were when this migration was written (see
0002_roles): screening.roles.ROLE_PERMISSIONS is 0002's table plus these.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

GRANTED = {
    "Front desk": [
        "view_invitation",
        "add_invitation",
        "change_invitation",
        "unlock_invitation",
    ],
    "Clinic admin": [
        "view_invitation",
        "add_invitation",
        "change_invitation",
        "unlock_invitation",
        "django_tasks_database.view_dbtaskresult",
    ],
}


def _permission(apps, name):
    app_label, codename = name.split(".") if "." in name else ("screening", name)
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_label in ("auth", "contenttypes", "screening", "django_tasks_database"):
        apps.get_app_config(app_label).models_module = True
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    for app_label in ("screening", "django_tasks_database"):
        app_config = apps.get_app_config(app_label)
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    group_model = apps.get_model("auth", "Group")
    for role, names in GRANTED.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.add(*(_permission(apps, name) for name in names))


def revoke(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for role, names in GRANTED.items():
        group = group_model.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*(_permission(apps, name) for name in names))


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0005_invitations_saved_drafts"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
