"""The front desk and clinic admin may create invitations and see the mail queue."""

from django.db import migrations

from screening.roles import ensure_roles


def grant(apps, schema_editor):
    for app_label in ("auth", "contenttypes", "screening", "django_tasks_database"):
        apps.get_app_config(app_label).models_module = True
    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_issue14_invitations_saved_drafts"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
