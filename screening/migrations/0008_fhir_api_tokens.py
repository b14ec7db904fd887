"""FHIR API tokens, the audit actions of the API, and the clinic admin's permissions
on the tokens.

The permissions granted are frozen here, as they were when this migration was written (see
0002_roles and 0006): screening.roles.ROLE_PERMISSIONS is 0002's table plus 0006's and these.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GRANTED = {"Clinic admin": ["view_apitoken", "add_apitoken", "change_apitoken"]}


def _permission(apps, codename):
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="screening", codename=codename
    )


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    for app_label in ("auth", "contenttypes", "screening"):
        apps.get_app_config(app_label).models_module = True
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    app_config = apps.get_app_config("screening")
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
        ('screening', '0007_review_workspace'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('viewed', 'Viewed'), ('changed', 'Changed'), ('assigned', 'Assigned'), ('acknowledged', 'Acknowledged flag'), ('decided', 'Decided'), ('exported', 'Exported'), ('printed', 'Printed'), ('purged', 'Purged'), ('submitted', 'Submitted'), ('login_failed', 'Login failed'), ('signed_in', 'Signed in'), ('refused', 'Refused access'), ('decision_opened', 'Opened the decision page'), ('searched', 'Searched or filtered the queue'), ('account_added', 'Staff account added'), ('account_changed', 'Staff account changed'), ('roles_changed', 'Roles changed'), ('password_reset', 'Password reset link sent'), ('password_set', 'Password chosen by reset link'), ('provider_changed', 'Provider record changed'), ('invited', 'Invitation created'), ('link_opened', 'Patient link opened'), ('dob_failed', 'Date of birth not confirmed'), ('locked', 'Locked after wrong dates of birth'), ('unlocked', 'Unlocked by staff'), ('reminded', 'Reminder queued'), ('draft_saved', 'Draft saved for later'), ('email_failed', 'Email could not be sent'), ('token_added', 'FHIR API token created'), ('token_revoked', 'FHIR API token revoked'), ('api_read', 'FHIR API request')], max_length=16),
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The integration, e.g. "OpenEMR".', max_length=100)),
                ('prefix', models.CharField(editable=False, help_text='To recognise a token.', max_length=16)),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revoked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'FHIR API token',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
