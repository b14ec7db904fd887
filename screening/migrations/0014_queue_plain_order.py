"""The queue of roles that may not see flags is ordered by appointment and age alone: its index."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0013_api_token_scope_expiry'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='submission',
            index=models.Index(fields=['appointment_at', 'submitted_at'], name='queue_plain'),
        ),
    ]
