"""Shared fixtures: a fast password hasher, a fixed 'today', and answer factories."""

from datetime import date

import pytest

from tests.factories import full_answers

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True, scope="session")
def _audit_truncate_allowed_for_the_test_flush():
    """PostgreSQL refuses TRUNCATE of the audit trail (migration 0003) unless the session says
    so; the flush between transactional tests truncates every table."""
    from django.db import connections
    from django.db.backends.signals import connection_created

    def allow(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET screening.allow_audit_truncate = 'on'")

    connection_created.connect(allow, weak=False)
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            allow(None, connection)
    yield
    connection_created.disconnect(allow)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def answers():
    """A complete, valid answers dict of a patient with no follow-ups and no risk answers."""
    return full_answers()


@pytest.fixture
def make_staff(db, django_user_model):
    """make_staff("Provider", level="physician") -> a staff user in that role group."""
    from django.contrib.auth.models import Group

    from screening.models import Provider
    from screening.roles import ensure_roles

    counter = {"n": 0}

    def make(role, *, level=None, is_active=True, username=None):
        counter["n"] += 1
        name = username or f"{role.lower().replace(' ', '-')}-{counter['n']}"
        user = django_user_model.objects.create_user(
            name, f"{name}@clinic.example", "pw", is_staff=True
        )
        if not Group.objects.filter(name=role).exists():
            ensure_roles()  # a transactional test's flush may have removed the migration's
        user.groups.add(Group.objects.get(name=role))
        if level:
            Provider.objects.create(
                user=user,
                display_name=f"Dr {name}",
                credential="MD",
                level=level,
                is_active=is_active,
            )
        return user

    return make


@pytest.fixture
def submit_answers(db):
    """submit_answers(**overrides) -> a saved Submission made through the service."""
    import uuid

    from screening.submission import submission_create

    def submit(**overrides):
        return submission_create(
            draft_key=str(uuid.uuid4()), answers=full_answers(**overrides), today=TODAY
        )

    return submit
