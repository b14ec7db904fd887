"""Shared fixtures: a fast password hasher, a fixed 'today', and answer factories."""

from datetime import date

import pytest

from tests.factories import full_answers

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
