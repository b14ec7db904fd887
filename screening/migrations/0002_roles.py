"""Staff roles as groups with minimum-necessary permissions (screening.roles, screening.access).

The role-to-permission table is frozen here, as it was when this migration was written: a later
edit of screening/roles.py must come with a new migration, not rewrite what this one did.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

ROLE_PERMISSIONS = {
    "Provider": [
        "view_submission",
        "change_submission",
        "view_medical_answers",
        "record_decision",
        "export_submissions",
        "view_decision",
    ],
    "Front desk": ["view_submission", "change_submission"],
    "Clinic admin": [
        "view_submission",
        "change_submission",
        "view_all_submissions",
        "view_provider",
        "add_provider",
        "change_provider",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
    ],
    "Privacy officer": ["view_auditevent"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_label in ("auth", "contenttypes", "screening"):
        apps.get_app_config(app_label).models_module = True
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    for app_label in ("auth", "screening"):
        app_config = apps.get_app_config(app_label)
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        for name in codenames:
            app_label, codename = name.split(".") if "." in name else ("screening", name)
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
