"""Shared fixtures: a fast password hasher, a fixed 'today', answers, staff and submissions.

Hypothesis runs the "default" profile, fast and the same examples on every run (so a run can't
fail by luck); `HYPOTHESIS_PROFILE=deep` runs many more, freshly random, with the failure database.
"""

import os
from datetime import date

import pytest
from hypothesis import settings as hypothesis_settings

from tests.factories import full_answers, many_followups_answers
from tests.patient import put_draft

hypothesis_settings.register_profile("default", max_examples=25, deadline=None, derandomize=True)
hypothesis_settings.register_profile("deep", max_examples=2_000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TODAY = date(2026, 11, 24)


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
def ready_to_submit(client, db):
    """The test client of a patient whose draft has every step finished (many follow-ups open),
    not yet submitted; the draft is put in place by the drafts service, without posting a step."""
    put_draft(client, many_followups_answers())
    return client


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
