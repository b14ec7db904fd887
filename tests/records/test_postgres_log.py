"""PostgreSQL's own log holds no patient value after what the app expects to happen.

PostgreSQL writes a statement it refused into its log whole (`log_min_error_statement`, `error`
by default): a double submit's INSERT put the patient's name, email, phone, date of birth and
answers there, and so did a draft holding a NUL. These tests read the server's log (the file
`pg_current_logfile()` names, else Debian's /var/log/postgresql/postgresql-<major>-main.log) and
skip, saying why, when it cannot be read or the server does not log statements anyway.
"""

import os
import secrets
import string
import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from screening.models import SavedDraft, Submission
from screening.patient.submission import submission_create
from screening.questionnaire import current
from tests.concurrency import at_the_same_moment
from tests.factories import full_answers
from tests.invited import invite
from tests.patient_steps import post_data_for, step_url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _setting(cursor, name: str) -> str:
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


def server_log_path() -> Path | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_logfile()")
        current_file = cursor.fetchone()[0]
        if current_file:
            return Path(_setting(cursor, "data_directory")) / current_file
        major = int(_setting(cursor, "server_version_num")) // 10000
    return Path(f"/var/log/postgresql/postgresql-{major}-main.log")


@pytest.fixture
def server_log():
    """A function that returns what the server logged since the test began."""
    with connection.cursor() as cursor:
        level = _setting(cursor, "log_min_error_statement")
    if level in ("log", "fatal", "panic"):
        pytest.skip(f"log_min_error_statement is {level}: the server logs no failed statement")
    path = server_log_path()
    if not os.access(path, os.R_OK):
        pytest.skip(f"the server's log ({path}) is not readable by this user")
    start = path.stat().st_size

    def logged_since() -> str:
        with path.open("rb") as log:
            log.seek(start)
            return log.read().decode("utf-8", "replace")

    yield logged_since


def a_marker() -> str:
    """A made-up surname, unique to this run (letters only: it must pass as a name)."""
    return "Zq" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))


def assert_logged_nothing_of(marker: str, logged_since) -> None:
    # The log is read for real: a refused statement of our own, with its marker, is in it.
    control = a_marker()
    with transaction.atomic(), connection.cursor() as cursor:
        sid = transaction.savepoint()
        with pytest.raises(DatabaseError):
            cursor.execute(f"SELECT 1 / 0 AS {control}")
        transaction.savepoint_rollback(sid)
    logged = logged_since()
    assert control in logged, "the server did not log our control statement: check the test"
    assert marker not in logged
    assert marker.lower() not in logged.lower()


@pytest.mark.django_db
def test_a_double_submit_leaves_nothing_of_the_patient_in_the_servers_log(server_log, today):
    marker = a_marker()
    answers = full_answers(last_name=marker, email=f"{marker.lower()}@example.com")
    key = str(uuid.uuid4())
    first = submission_create(signature_name="Ana R", draft_key=key, answers=answers, today=today)
    # The second click's request, which passed the view's draft check before the first was saved.
    second = submission_create(signature_name="Ana R", draft_key=key, answers=answers, today=today)
    assert first.pk == second.pk
    assert Submission.objects.count() == 1
    assert_logged_nothing_of(marker, server_log)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sends_of_one_draft_at_the_same_instant_log_nothing_of_the_patient(
    server_log, today, make_staff
):
    make_staff("Provider", level="physician")
    marker = a_marker()
    answers = full_answers(last_name=marker)
    keys = [str(uuid.uuid4()) for _ in range(5)]
    for key in keys:  # five drafts, each sent four times at once
        ids = at_the_same_moment(
            4,
            lambda _, key=key: (
                submission_create(
                    signature_name="Ana R", draft_key=key, answers=answers, today=today
                ).pk
            ),
        )
        assert len(set(ids)) == 1
    assert Submission.objects.count() == 5
    assert_logged_nothing_of(marker, server_log)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_opened_on_several_devices_at_once_logs_nothing_of_it(server_log):
    from django.test import Client

    marker = a_marker()
    links = [invite(last_name=marker, email=f"p{n}@example.org") for n in range(4)]
    for link in links:
        at_the_same_moment(4, lambda _, link=link: Client().get(link).status_code)
    assert SavedDraft.objects.count() == 4
    assert_logged_nothing_of(marker, server_log)


@pytest.mark.django_db
def test_a_nul_typed_in_an_invitations_draft_and_left_with_back_logs_nothing(client, server_log):
    marker = a_marker()
    client.get(invite(last_name=marker))
    first, second = current().first_visit_sections[:2]
    answers = full_answers(last_name=marker)
    assert (
        client.post(step_url(first), {**post_data_for(first, answers), "nav": "next"}).status_code
        == 302
    )
    typed = {**post_data_for(second, answers), "nav": "back"}
    name = next(key for key, value in typed.items() if isinstance(value, str) and key != "nav")
    typed[name] = f"{marker}\x00"
    response = client.post(step_url(second), typed)
    assert response.status_code == 302
    pending = SavedDraft.objects.get().pending[second.key]
    assert pending[name] == marker  # kept as typed, but for the NUL
    assert_logged_nothing_of(marker, server_log)
