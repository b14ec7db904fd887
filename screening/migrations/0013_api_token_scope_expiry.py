"""FHIR API tokens get a scope, an expiry and a second person's approval; the audit trail names
the token behind an API request; refused API requests are counted per address and window.

Tokens made before this read everything and never expired: they keep every scope, expire a year
after their creation, and read nothing until the privacy officer approves them. The permissions
granted are frozen here (see 0002_roles, 0006 and 0008): screening.roles.ROLE_PERMISSIONS is
0002's table plus 0006's, 0008's and these.
"""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations, models

GRANTED = {"Privacy officer": ["view_apitoken", "approve_apitoken"]}
EVERY_SCOPE = ["ClinicalImpression", "DetectedIssue", "Questionnaire", "QuestionnaireResponse"]
EXPIRY_OF_EARLIER_TOKENS = timedelta(days=365)


def earlier_tokens(apps, schema_editor):
    token_model = apps.get_model("screening", "ApiToken")
    for token in token_model.objects.all():
        token.scopes = EVERY_SCOPE
        token.expires_at = token.created_at + EXPIRY_OF_EARLIER_TOKENS
        token.save(update_fields=["scopes", "expires_at"])


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
        ('screening', '0012_email_dispatch_send_once'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='apitoken',
            options={'ordering': ['-created_at', '-id'], 'permissions': [('approve_apitoken', 'Can approve a FHIR API token another staff member created')], 'verbose_name': 'FHIR API token'},
        ),
        migrations.AddField(
            model_name='apitoken',
            name='approved_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='approved_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='scopes',
            field=models.JSONField(default=list, help_text='The FHIR resource types it may read.'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='api_token',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='screening.apitoken'),
        ),
        migrations.AlterField(
            model_name='apitoken',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('viewed', 'Viewed'), ('changed', 'Changed'), ('assigned', 'Assigned'), ('acknowledged', 'Acknowledged flag'), ('decided', 'Decided'), ('reviewed', 'Review done by a provider'), ('exported', 'Exported'), ('printed', 'Printed'), ('purged', 'Purged'), ('submitted', 'Submitted'), ('login_failed', 'Login failed'), ('signed_in', 'Signed in'), ('refused', 'Refused access'), ('decision_opened', 'Opened the decision page'), ('searched', 'Searched or filtered the queue'), ('account_added', 'Staff account added'), ('account_changed', 'Staff account changed'), ('roles_changed', 'Roles changed'), ('password_reset', 'Password reset link sent'), ('password_set', 'Password chosen by reset link'), ('provider_changed', 'Provider record changed'), ('invited', 'Invitation created'), ('link_opened', 'Patient link opened'), ('dob_failed', 'Date of birth not confirmed'), ('locked', 'Locked after wrong dates of birth'), ('unlocked', 'Unlocked by staff'), ('reminded', 'Reminder queued'), ('draft_saved', 'Draft saved for later'), ('email_failed', 'Email could not be sent'), ('email_recovered', 'Email task recovered after its worker stopped'), ('token_added', 'FHIR API token created'), ('token_revoked', 'FHIR API token revoked'), ('api_read', 'FHIR API request'), ('token_approved', 'FHIR API token approved'), ('sign_in_locked', 'Sign-in locked after failures')], max_length=16),
        ),
        migrations.CreateModel(
            name='RefusedApiRequests',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.CharField(blank=True, max_length=45)),
                ('window_start', models.DateTimeField()),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('address', 'window_start'), name='refused_api_window')],
            },
        ),
        migrations.RunPython(earlier_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(editable=False),
        ),
        migrations.RunPython(grant, revoke),
    ]
