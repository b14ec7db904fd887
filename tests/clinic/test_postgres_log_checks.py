"""`manage.py check --deploy` reads PostgreSQL's log settings as the app's connection sees them,
and warns of each that would copy patients' values into the server's log."""

import pytest
from django.db import connection

from screening.checks import postgres_log_settings_check

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")


def warned():
    return {
        message.msg.split(" has ")[1].split(" = ")[0]
        for message in postgres_log_settings_check(databases=["default"])
        if message.id == "screening.W023"
    }


@pytest.mark.django_db
def test_nothing_to_say_on_sqlite_where_there_is_no_server_log():
    if connection.vendor == "postgresql":
        pytest.skip("on SQLite only")
    assert postgres_log_settings_check(databases=["default"]) == []


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db
def test_the_defaults_are_warned_of_and_the_safe_settings_pass():
    with connection.cursor() as cursor:
        for name in ("log_min_error_statement", "log_error_verbosity", "log_statement"):
            cursor.execute(f"SET {name} TO DEFAULT")
        cursor.execute("SET log_min_duration_statement = 250")
    assert warned() == {
        "log_min_error_statement",
        "log_error_verbosity",
        "log_min_duration_statement",
    }
    with connection.cursor() as cursor:
        cursor.execute("SET log_min_error_statement = panic")
        cursor.execute("SET log_error_verbosity = terse")
        cursor.execute("SET log_statement = 'all'")
        cursor.execute("SET log_min_duration_statement = -1")
    assert warned() == {"log_statement"}
    with connection.cursor() as cursor:
        cursor.execute("SET log_statement = none")
    assert postgres_log_settings_check(databases=["default"]) == []
