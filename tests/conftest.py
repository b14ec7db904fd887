"""Shared fixtures: a fast password hasher, a fixed 'today', answers, staff and submissions.

The data itself comes from tests/factories.py; a fixture here is the factory bound to the test's
database. One name, one meaning: `doctor` is the physician-level provider signed in as "doctor"
with STAFF_PASSWORD; `ready_to_submit` is a patient's client with every step finished.

Hypothesis runs the "default" profile, fast and the same examples on every run (so a run can't
fail by luck); `HYPOTHESIS_PROFILE=deep` runs many more, freshly random, with the failure database.
"""

import gc
import os
import sys

import pytest
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from tests import factories
from tests.factories import TODAY, full_answers, many_followups_answers
from tests.patient_steps import put_draft

# Compiled test modules (and their rewritten asserts) are cached in __pycache__ even where the
# environment says PYTHONDONTWRITEBYTECODE: pytest otherwise rewrites every test module's asserts
# on every run, about 1.5 s of CPU in each process (the main one and each xdist worker). The cache
# is checked against each source file's size and time, so it never runs stale code.
sys.dont_write_bytecode = False

hypothesis_settings.register_profile("default", max_examples=25, deadline=None, derandomize=True)
hypothesis_settings.register_profile("deep", max_examples=2_000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    """The Spanish catalogue, compiled from the committed .po before any test reads it (once,
    by the xdist controller or the lone process): a plain `pytest` tests the current text.

    With -n, each worker is handed the next test as it finishes one (--maxschedchunk 1), so
    the browser tests (minutes, side by side in the order) are shared out evenly. By default a
    worker is handed a quarter of its share at once, and one worker ran all 51 of them while the
    other sat idle. Set here rather than in addopts, which `-p no:xdist` would then refuse."""
    if config.pluginmanager.hasplugin("xdist") and config.getoption("maxschedchunk") is None:
        config.option.maxschedchunk = 1
    if hasattr(config, "workerinput"):
        return
    from pathlib import Path

    from clinic.translations import compile_catalogues

    compile_catalogues(Path(__file__).resolve().parents[1] / "locale")


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
def _each_test_starts_in_the_default_language():
    """Django keeps the language a request activated in the thread after the response, so a
    Spanish request in one test would make the next test's forms speak Spanish: each test
    starts from settings.LANGUAGE_CODE, whatever ran before it in the worker."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Passwords hashed in microseconds, not the production hasher's tenth of a second. Once for
    the session: a per-test override costs each of the 1,400 tests a settings change."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def answers():
    """A complete, valid answers dict of a patient with no follow-ups and no risk answers."""
    return full_answers()


@pytest.fixture
def make_staff(db):
    """make_staff("Provider", level="physician") -> a staff user in that role group, whose
    password is STAFF_PASSWORD; a name is made up unless `username` is given."""
    counter = {"n": 0}

    def make(role, *, level=None, is_active=True, username=None):
        counter["n"] += 1
        name = username or f"{role.lower().replace(' ', '-')}-{counter['n']}"
        return factories.staff_user(role, username=name, level=level, is_active=is_active)

    return make


@pytest.fixture
def doctor(make_staff):
    """A physician-level provider, username "doctor", password STAFF_PASSWORD."""
    return make_staff("Provider", level="physician", username="doctor")


@pytest.fixture
def ready_to_submit(client, db):
    """The test client of a patient whose draft has every step finished (many follow-ups open),
    not yet submitted; the draft is put in place by the drafts service, without posting a step."""
    put_draft(client, many_followups_answers())
    return client


@pytest.fixture
def submit_answers(db):
    """submit_answers(**overrides) -> a Submission of full_answers(**overrides), saved through
    the service (factories.submission)."""

    def submit(**overrides):
        return factories.submission(**overrides)

    return submit


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The database tests first, then the transactional ones (the browser tests among them),
    then those without a database: pytest-django sorts them so before pytest's own reordering,
    which groups the browser tests (parametrized by a session-wide browser) and moved them among
    the database tests. A transactional test's flush empties every table, the migrations' staff
    groups included, so a database test after it in the same worker could fail (seed_demo's did),
    and with -n the first worker was handed every browser test at once. Sorted again, last:
    the sort is stable, so pytest's grouping holds within each kind."""
    from pytest_django.plugin import pytest_collection_modifyitems as in_djangos_order

    in_djangos_order(items)


def pytest_collection_finish(session):
    """Move what exists after collection (Django, the app, every test module: long-lived all)
    out of the garbage collector's sight: its full collections then walk only what the tests
    allocate, which makes the suite about a third cheaper in CPU."""
    gc.freeze()
