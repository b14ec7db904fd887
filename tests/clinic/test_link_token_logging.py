"""A patient's link token never reaches gunicorn's access log nor the app's error log: gunicorn
really serves the request, with the production config (clinic/gunicorn_conf.py)."""

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
        stderr=subprocess.PIPE,
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
        _, errors = server.communicate(timeout=30)
    logged = access_log.read_text()
    assert '"GET /i/[token]/ HTTP/1.1" 500' in logged, logged
    assert TOKEN not in logged
    assert '"GET /staff/auth/user/reset/MQ/[token]/ HTTP/1.1"' in logged, logged
    assert RESET_TOKEN not in logged
    assert "Internal Server Error: /i/" in errors.decode(), errors.decode()[-2000:]
    assert TOKEN not in errors.decode() and RESET_TOKEN not in errors.decode()
