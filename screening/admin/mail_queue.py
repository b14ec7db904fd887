"""The mail queue (django-tasks' results) as the clinic admin reads it: which kind of email,
about which reference, which attempt, and whether it went; not a task's UUID and "send_email".

Arguments are a kind and an id (screening.mail.tasks): the reference is looked up here, and is
never a name or an address.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from screening.mail import notifications
from screening.models import Submission

STATUS_WORDS = {
    "READY": "Waiting to be sent",
    "RUNNING": "Sending",
    "SUCCESSFUL": "Done",
    "FAILED": "Failed for good: see the audit trail, and call or tell the person",
}


def describe(task) -> tuple[str, str, str]:
    """(kind of email, what it is about, attempt) of one queued email."""
    kwargs = (task.args_kwargs or {}).get("kwargs", {})
    kind = kwargs.get("kind", "")
    object_id = kwargs.get("object_id")
    label, noun = notifications.KIND_LABELS.get(kind, (task.task_name, "object"))
    about = f"{noun} #{object_id}"
    if noun == "submission":
        reference = Submission.objects.filter(pk=object_id).values_list("reference", flat=True)
        about = f"submission {reference.first() or f'#{object_id} (gone)'}"
    elif noun == "staff account":
        username = get_user_model().objects.filter(pk=object_id).values_list("username", flat=True)
        about = f"staff account {username.first() or f'#{object_id} (gone)'}"
    return label, about, str(kwargs.get("attempt", ""))


def add_descriptions(model_admin_class):
    """The wrapped third-party admin, with the email's kind, subject and attempt first."""

    class MailQueueAdmin(model_admin_class):
        list_display = (
            "email_kind",
            "about",
            "attempt",
            "state",
            "enqueued_at",
            "run_after",
            "finished_at",
        )
        list_display_links = ("email_kind",)

        @admin.display(description="email")
        def email_kind(self, task):
            return describe(task)[0]

        @admin.display(description="about")
        def about(self, task):
            return describe(task)[1]

        @admin.display(description="attempt")
        def attempt(self, task):
            return describe(task)[2]

        @admin.display(description="state", ordering="status")
        def state(self, task):
            return STATUS_WORDS.get(task.status, task.status)

    MailQueueAdmin.__name__ = model_admin_class.__name__
    return MailQueueAdmin


MODEL = DBTaskResult
