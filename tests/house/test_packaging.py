"""The app as a clinic installs it: a wheel, in a fresh environment away from the checkout.

The slow test builds the wheel, installs it with the locked runtime dependencies into a new venv
in a temporary folder, and serves pages from it with gunicorn in production mode: if a template,
a static file, a migration, a sub-package or the compiled Spanish catalogue were missing from the
wheel, a page would fail. It runs in `make test` (and so in CI); `-m "not slow"` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
CODE_PACKAGES = ("clinic", "screening", "throttle")
DATA_FOLDERS = {
    "templates": "clinic/templates",
    "static": "clinic/static",
    "locale": "clinic/locale",
}


def tracked_files(*folders: str) -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *folders], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def test_every_package_of_the_tree_is_listed_for_the_wheel():
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for name in CODE_PACKAGES
        for path in (ROOT / name).rglob("__init__.py")
    }
    assert on_disk - set(SETUPTOOLS["packages"]) == set()


def test_the_data_folders_map_into_the_clinic_package():
    mapped = SETUPTOOLS["package-dir"]
    assert {
        folder: mapped[target.replace("/", ".")] for folder, target in DATA_FOLDERS.items()
    } == {folder: folder for folder in DATA_FOLDERS}


def test_python_has_no_upper_bound():
    assert "<" not in PYPROJECT["project"]["requires-python"]


def test_runtime_lock_holds_no_development_tool():
    locked = (ROOT / "requirements.txt").read_text()
    for tool in ("pytest", "playwright", "hypothesis", "fhirpy", "mkdocs"):
        assert f"\n{tool}==" not in locked
    assert "--hash=sha256:" in locked
    assert "\ndjango==" in locked.lower()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def build_wheel(out: Path) -> Path:
    # setuptools builds in the checkout's build/ and never empties it: a module renamed since the
    # last build would still be in the wheel (a renumbered migration, a second leaf).
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--wheel-dir", str(out), str(ROOT)], check=True, capture_output=True)
    (built,) = out.glob("laser_prescreen-*.whl")
    return built


def assert_the_wheel_holds_every_file_the_app_needs(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {path for path in tracked_files(*CODE_PACKAGES) if path.endswith(".py")}
    for folder, target in DATA_FOLDERS.items():
        expected |= {
            target + path[len(folder) :]
            for path in tracked_files(folder)
            if not path.endswith(".md")  # the translators' glossary is for the repository
        }
    expected.add("clinic/locale/es/LC_MESSAGES/django.mo")
    assert expected - names == set()
    # and no module the tree no longer has
    packaged_code = {name for name in names if name.endswith(".py")}
    assert packaged_code - expected == set()


@pytest.mark.slow
def test_the_installed_wheel_serves_a_patient_page_and_the_staff_sign_in(tmp_path):
    # One test, so that two test workers never build in the checkout's build/ at once.
    wheel = build_wheel(tmp_path)
    assert_the_wheel_holds_every_file_the_app_needs(wheel)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run(
        [*pip, "--require-hashes", "-r", str(ROOT / "requirements.txt")],
        check=True,
        capture_output=True,
    )
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True)
    site = tmp_path / "site"
    site.mkdir()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CLINIC_", "SCREENING_", "PYTHON", "VIRTUAL_ENV"))
        and key != "DATABASE_URL"
    } | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "wheel-test-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{site / 'app.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(site / "staticfiles"),
        "CLINIC_NAME": "Wheel Test Clinic",
    }
    command = str(venv / "bin" / "laser-prescreen")
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import clinic; print(clinic.__file__)"],
        cwd=site,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(venv))  # the installed copy, not the checkout
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        done = subprocess.run(
            [command, *step], cwd=site, env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
    port = _free_port()
    server = subprocess.Popen(
        [
            str(venv / "bin" / "gunicorn"),
            "-c",
            "python:clinic.gunicorn_conf",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "clinic.wsgi",
        ],
        cwd=site,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, landing = _get(base + "/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 200
        assert "Wheel Test Clinic" in landing
        assert 'lang="en"' in landing
        status, spanish = _get(base + "/", {"Accept-Language": "es"})
        assert status == 200
        assert 'lang="es"' in spanish
        assert "Empezar" in spanish
        stylesheet = landing.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert _get(base + stylesheet)[0] == 200
        status, sign_in = _get(base + "/staff/login/")
        assert status == 200
        assert 'name="password"' in sign_in
    finally:
        server.terminate()
        server.wait(timeout=10)
