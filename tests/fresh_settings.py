"""Django's settings as a fresh process loads them from an environment, for the tests of the
production settings, whose point is what the environment alone decides.

Starting Python and Django costs about a second a process, so one subprocess serves a whole test
session (one per xdist worker): it executes `clinic/settings.py` once per environment of
`ENVIRONMENTS` (plus any other a test asks for), then sets Django up with the production
environment and runs `check --deploy` and the URL configuration there. An environment no test
named in advance costs one more subprocess, once. The test process's own settings are never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Cleared from the inherited environment: only what a test names reaches the settings.
CLEARED = ("DJANGO_", "DATABASE_URL", "PGSSLMODE", "SCREENING_", "STAFF_", "CLINIC_")
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "p" * 20 + "-a-real-secret-key-for-the-tests-only-" + "q" * 20,
    "DJANGO_ALLOWED_HOSTS": "prescreen.clinic.example",
    # The clinic's own details: with the demo's, `check --deploy` fails (screening.E009).
    "CLINIC_NAME": "Harbour Dermatology",
    "CLINIC_PHONE": "+1 617 555 0142",
    "CLINIC_PRIVACY_NOTICE_URL": "https://harbour-derm.example.org/privacy",
    "CLINIC_CONTACT_EMAIL": "privacy@harbour-derm.example.org",
    "SCREENING_PUBLIC_BASE_URL": "https://prescreen.clinic.example",
    "SCREENING_FALLBACK_EMAIL": "lead@harbour-derm.example.org",
    "DJANGO_DEFAULT_FROM_EMAIL": "prescreen@harbour-derm.example.org",
}
POSTGRES = "postgres://app@db.clinic.example/prescreen"

# Loaded together in the session's one subprocess: every environment the tests use.
ENVIRONMENTS = [
    PRODUCTION,
    {**PRODUCTION, "DJANGO_SECRET_KEY": ""},
    {**PRODUCTION, "DJANGO_SECRET_KEY": "insecure-local-development-key-not-for-production"},
    {**PRODUCTION, "SCREENING_DRAFT_IDLE_MINUTES": "15"},
    {**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "1"},
    {"DJANGO_BEHIND_TLS_PROXY": "1"},
    {
        **PRODUCTION,
        "SCREENING_RATE_LIMIT_PER_MINUTE": "10",
        "SCREENING_RATE_LIMIT_BURST": "20",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",
    },
    {**PRODUCTION, "DATABASE_URL": POSTGRES},
    {**PRODUCTION, "DATABASE_URL": f"{POSTGRES}?sslmode=verify-full"},
    {**PRODUCTION, "DATABASE_URL": POSTGRES, "PGSSLMODE": "verify-ca"},
    {"DATABASE_URL": "postgres://app@127.0.0.1/prescreen"},
    {**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/prescreen.sqlite3"},
]

# Runs in the subprocess: reads [base environment, environments to load, environment to start
# Django with or null] as JSON on stdin; prints what it found as JSON.
_SCRIPT = r"""
import io, json, os, runpy, sys, traceback

base, environments, startup_environment = json.load(sys.stdin)
from django.conf import global_settings

def run_with(environment):
    os.environ.clear()
    os.environ.update({**base, **environment, "DJANGO_SETTINGS_MODULE": "clinic.settings"})

def load(environment):
    run_with(environment)
    try:
        module = runpy.run_path("clinic/settings.py")
    except Exception as error:
        return {"refused": f"{type(error).__name__}: {error}"}
    names = {name: getattr(global_settings, name) for name in dir(global_settings) if name.isupper()}
    names.update({name: value for name, value in module.items() if name.isupper()})
    return {"settings": names}

loaded = [load(environment) for environment in environments]
startup = None
if startup_environment is not None:
    import tempfile
    # Production as docs/deploy.md deploys it: static files collected (a deploy check needs them).
    static_root = tempfile.mkdtemp(prefix="prescreen-static-")
    run_with({**startup_environment, "DJANGO_STATIC_ROOT": static_root})
    import django
    from django.core.management import call_command
    django.setup()
    out = io.StringIO()
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
        passed = True
    except Exception:
        passed = False
        out.write(traceback.format_exc())
    import clinic.urls  # noqa: F401  (it chooses the admin site class)
    from django.contrib import admin
    startup = {
        "check_deploy_passed": passed,
        "check_deploy_output": out.getvalue(),
        "admin_site": admin.site.__class__.__name__,  # through the lazy object
    }
    import shutil
    shutil.rmtree(static_root, ignore_errors=True)
# default=repr never evaluates a lazy translation.
print(json.dumps({"loaded": loaded, "startup": startup}, default=object.__repr__))
"""


class SettingsRefused(Exception):
    """The settings module raised on import with this environment (the message says why)."""


def _key(environment: dict) -> str:
    return json.dumps(environment, sort_keys=True)


def _base_environment() -> dict:
    return {name: value for name, value in os.environ.items() if not name.startswith(CLEARED)}


def _run(environments: list[dict], startup_environment: dict | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        input=json.dumps([_base_environment(), environments, startup_environment]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_base_environment(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


_loaded: dict[str, dict] = {}
_startup: dict = {}


def _load_session_environments() -> None:
    if _startup:
        return
    found = _run(ENVIRONMENTS, startup_environment=PRODUCTION)
    _startup.update(found["startup"])
    for environment, loaded in zip(ENVIRONMENTS, found["loaded"], strict=True):
        _loaded[_key(environment)] = loaded


def load_settings(**environment) -> dict:
    """Django's settings (with its defaults) as a fresh process loads them with `environment`;
    raises SettingsRefused when the settings module refuses that environment."""
    _load_session_environments()
    key = _key(environment)
    if key not in _loaded:
        _loaded[key] = _run([environment])["loaded"][0]
    loaded = _loaded[key]
    if "refused" in loaded:
        raise SettingsRefused(loaded["refused"])
    return loaded["settings"]


def production_startup() -> dict:
    """What Django does when it starts with the production environment: `check --deploy`
    (`check_deploy_passed`, `check_deploy_output`) and the admin site class (`admin_site`)."""
    _load_session_environments()
    return dict(_startup)
