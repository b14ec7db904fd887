"""`manage.py run_scheduler`: the periodic jobs on one schedule."""

import io
import logging
from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from django.contrib.sessions.models import Session
from django.core.management import call_command, get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.mail.notifications import NEW_SUBMISSION
from screening.mail.tasks import send_email
from screening.management.commands.run_scheduler import SCHEDULE


def test_every_job_is_a_command_on_a_valid_cron_schedule():
    for name, (when, _) in SCHEDULE.items():
        assert name in get_commands()
        CronTrigger.from_crontab(when)
    assert set(SCHEDULE) == {
        "recover_tasks",
        "send_reminders",
        "purge_expired",
        "prune_db_task_results",
    }


def test_list_prints_the_schedule():
    out = io.StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["*/15", "*", "*", "*", "*", "send_reminders"]
    assert len(lines) == len(SCHEDULE) == 4


@pytest.mark.django_db
def test_run_now_runs_every_job(caplog):
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    send_email.enqueue(kind=NEW_SUBMISSION, object_id=1, attempt=1)
    DBTaskResult.objects.update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=15)
    )
    with caplog.at_level(logging.INFO, logger="screening.management.commands.run_scheduler"):
        call_command("run_scheduler", "--run-now", stdout=io.StringIO())
    assert not Session.objects.exists()
    assert not DBTaskResult.objects.exists()
    done = [r.getMessage() for r in caplog.records if r.getMessage().endswith(" done")]
    assert done == [f"Scheduled job {name} done" for name in SCHEDULE]
