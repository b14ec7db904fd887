"""The app over real HTTP, for scale-out tests and the benchmark's HTTP mode: gunicorn on a
loopback port, and a patient (cookies, CSRF) whose requests may alternate between processes."""

from __future__ import annotations

import http.cookiejar
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from screening.questionnaire import current
from tests.patient_steps import post_data_for

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpPatient:
    def __init__(self, *bases: str):
        self.bases = itertools.cycle(bases)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        base = next(self.bases)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str) -> str:
        return self.request(path)[1]

    def post(self, path: str, data: dict, token_from: str) -> int:
        token = TOKEN.search(self.get(token_from))[1]
        return self.request(path, {**data, "csrfmiddlewaretoken": token})[0]

    def answer_everything(self, answers: dict) -> None:
        assert self.post("/start/", {}, token_from="/") == 302
        for section in current().first_visit_sections:
            path = f"/questions/{section.slug}/"
            status = self.post(
                path, {**post_data_for(section, answers), "nav": "next"}, token_from=path
            )
            assert status == 302, (section.key, status)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(wsgi_module: str, env: dict, *, workers: int = 1, ready_path: str = "/"):
    """Serve the app with gunicorn on a free loopback port; yields (base URL, master process)."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            wsgi_module,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + ready_path, timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        yield base, server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
