"""A patient's link token never reaches gunicorn's access log nor the app's error log: gunicorn
really serves the request, with the production config (clinic/gunicorn_conf.py)."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.http_patient import ROOT, _free_port

TOKEN = "6V_Qof7dS9kSl6BpKBvLqhp-Xo8li9ScfOYU0gfplvU"
RESET_TOKEN = "cz8k1a-5d2f0e8a9b7c6d5e4f3a2b1c0d9e8f7a"
RESET_PATH = f"/staff/auth/user/reset/MQ/{RESET_TOKEN}/"


def test_a_password_reset_token_is_masked_and_its_set_password_step_is_not():
    from clinic.log_masking import mask

    line = f'"GET {RESET_PATH} HTTP/1.1" 302'
    assert mask(line) == '"GET /staff/auth/user/reset/MQ/[token]/ HTTP/1.1" 302'
    kept = "/staff/auth/user/reset/MQ/set-password/"
    assert mask(kept) == kept


def test_gunicorn_masks_the_token_in_its_access_log_and_the_error_log(tmp_path):
    port = _free_port()
    access_log = tmp_path / "access.log"
    env = {
        **os.environ,
        # An empty database: the lookup fails with a server error, whose report names the path.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_LOG_LEVEL": "DEBUG",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "clinic/gunicorn_conf.py",
            "clinic.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s',
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for path in (f"/i/{TOKEN}/", RESET_PATH):
            url = f"http://127.0.0.1:{port}{path}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(
                        urllib.request.Request(url, headers={"Referer": url}), timeout=5
                    )
                    break
                except urllib.error.HTTPError:
                    break  # served (a 500 here): what this test needs
                except OSError:
                    time.sleep(0.1)
        for _ in range(50):
            if access_log.exists() and access_log.read_text().count("\n") >= 2:
                break
            time.sleep(0.1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        errors, _ = server.communicate(timeout=30)
    logged = access_log.read_text()
    assert '"GET /i/[token]/ HTTP/1.1" 500' in logged, logged
    assert TOKEN not in logged
    assert '"GET /staff/auth/user/reset/MQ/[token]/ HTTP/1.1"' in logged, logged
    assert RESET_TOKEN not in logged
    assert "Internal Server Error: /i/" in errors.decode(), errors.decode()[-2000:]
    assert TOKEN not in errors.decode() and RESET_TOKEN not in errors.decode()


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "log-test-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
}


def serve(arguments: list[str], env: dict, requests: list[tuple[str, dict]]) -> tuple[str, list]:
    """Start gunicorn with `arguments`, send the requests, stop it; its output and the responses'
    (status, X-Request-ID)."""
    port = _free_port()
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *arguments, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    answers = []
    try:
        for path, headers in requests:
            for _ in range(100):
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
                try:
                    opener = urllib.request.build_opener(NoRedirect)
                    with opener.open(request, timeout=5) as response:
                        answers.append((response.status, response.headers.get("X-Request-ID")))
                    break
                except urllib.error.HTTPError as error:
                    answers.append((error.code, error.headers.get("X-Request-ID")))
                    break
                except OSError:
                    time.sleep(0.1)
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    return output.decode(), answers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_gunicorn_without_the_conf_file_still_logs_no_token(tmp_path):
    """The HTTPS redirect answers before LinkTokenMiddleware; clinic.wsgi masks the environ
    that gunicorn's default access log reads."""
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    url = f"/i/{TOKEN}/"
    output, answers = serve(
        ["--access-logfile", "-", "clinic.wsgi"], env, [(url, {"Referer": "https://x" + url})]
    )
    assert answers[0][0] == 301
    assert "GET /i/[token]/ HTTP/1.1" in output, output
    assert TOKEN not in output


def test_production_logs_are_one_json_object_a_line_with_the_request_id(tmp_path):
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    output, answers = serve(
        ["-c", "python:clinic.gunicorn_conf", "--workers", "1", "clinic.wsgi"],
        env,
        [(f"/i/{TOKEN}/", {"X-Request-ID": "probe-request-000123"}), ("/healthz", {})],
    )
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert lines, output
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line), line
    assert TOKEN not in output
    assert answers[0] == (500, "probe-request-000123")  # an empty database: a server error
    app_error = [line for line in lines if line["logger"] == "django.request"]
    assert app_error[0]["request_id"] == "probe-request-000123"
    assert app_error[0]["message"] == "Internal Server Error: /i/"
    assert "exception" in app_error[0]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert access[0]["request_id"] == "probe-request-000123"
    assert access[0]["http"]["path"] == "/i/"  # as LinkTokenMiddleware left it
    assert access[0]["http"]["status"] == "500"
