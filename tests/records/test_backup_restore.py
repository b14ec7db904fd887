"""The backup procedure of docs/backups-and-upgrades.md, on PostgreSQL: `pg_dump` of a running
install, `pg_restore` into a fresh database, and the app on the restored copy serves the same
submissions, with the audit trail whole and still append-only (its trigger restored)."""

from __future__ import annotations

import json
import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from screening.models import AuditEvent, Submission
from tests.manage_py import manage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore"),
]

SERVE = """
import json
from django.contrib.auth.models import User
from django.test import Client
from screening.models import AuditEvent, Submission
admin = User.objects.create_superuser("restore-check", None, None)
client = Client()
client.force_login(admin)
pages = {}
for submission in Submission.objects.order_by("pk"):
    page = client.get(f"/staff/screening/submission/{submission.pk}/change/")
    pages[submission.reference] = [page.status_code, submission.last_name in page.text]
print(json.dumps({"pages": pages, "viewed": AuditEvent.objects.filter(action="viewed").count()}))
"""


def libpq_arguments(settings_dict: dict, name: str) -> list[str]:
    arguments = ["--host", settings_dict["HOST"] or "127.0.0.1", "--dbname", name]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        arguments += ["--username", settings_dict["USER"]]
    return arguments


def url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}?sslmode=disable"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dump_restored_into_a_fresh_database_serves_the_same_submissions(
    submit_answers, tmp_path
):
    for last_name in ("Quenby", "Marchetti", "Okonkwo"):
        submit_answers(last_name=last_name)
    references = sorted(Submission.objects.values_list("reference", flat=True))
    trail = list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "detail"))
    assert len(trail) >= 3

    live = connection.settings_dict
    source = live["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "prescreen.dump"
    environment = {"PGPASSWORD": live.get("PASSWORD") or ""}
    # The documented commands: a consistent snapshot of the running database, then a restore
    # into an empty one.
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--file",
            str(dump),
            *libpq_arguments(live, source),
        ],
        check=True,
        env={**environment, "PATH": "/usr/bin:/bin"},
    )
    admin = {**live, "NAME": "postgres"}
    with psycopg.connect(url(admin, "postgres"), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        server.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                *libpq_arguments(live, restored),
                str(dump),
            ],
            check=True,
            env={**environment, "PATH": "/usr/bin:/bin"},
        )
        with psycopg.connect(url(live, restored), autocommit=True) as copy:
            copied = copy.execute(
                "SELECT id, action, detail FROM screening_auditevent ORDER BY id"
            ).fetchall()
            assert copied == trail
            for statement in (
                "UPDATE screening_auditevent SET detail = 'rewritten'",
                "DELETE FROM screening_auditevent",
                "TRUNCATE screening_auditevent",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    copy.execute(statement)

        served = manage("shell", "-c", SERVE, DATABASE_URL=url(live, restored))
        assert served.returncode == 0, served.stderr
        result = json.loads(served.stdout.strip().splitlines()[-1])
        assert sorted(result["pages"]) == references
        assert all(page == [200, True] for page in result["pages"].values()), result
        assert result["viewed"] == len(references)  # each view audited on the copy too
        check = manage("migrate", "--check", DATABASE_URL=url(live, restored))
        assert check.returncode == 0, check.stdout + check.stderr  # nothing left to migrate
    finally:
        with psycopg.connect(url(admin, "postgres"), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
