"""`python manage.py ARGS` in a process of its own, with only the environment a test gives it:
its exit code, standard output and standard error, as a deploy script would see them.

Starting Python and importing Django's code is most of a command's time (half a second), so a
process that has imported the libraries, and neither the settings nor the project, serves the
whole test session (one per xdist worker): for each command it forks a child, which takes the
test's environment and runs manage.py as its main module. Settings, app registry, checks: all
of it happens afresh in the child, as in a new process.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Cleared from the inherited environment: only what a test names reaches the settings.
CLEARED = ("DJANGO_", "SCREENING_", "DATABASE_URL")
TIMEOUT_SECONDS = 120

# Runs in the long-lived process: one JSON request a line ({"args", "env"}), one JSON answer.
_SERVER = r"""
import json, os, runpy, signal, sys, tempfile, traceback

# Django's code and the heaviest libraries, none of which reads the settings on import.
import django, django.core.management, django.db.models, django.http, django.urls  # noqa
import django.contrib.admin.checks, django.test  # noqa
import fhir.resources.R4B.bundle, fhir.resources.R4B.questionnaire  # noqa
import fhir.resources.R4B.questionnaireresponse  # noqa


def child(args, env, out, err):
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    signal.alarm(TIMEOUT)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["manage.py", *args]
    code = 0
    try:
        runpy.run_path("manage.py", run_name="__main__")
    except SystemExit as exit:  # as the interpreter treats it
        if exit.code is None:
            code = 0
        elif isinstance(exit.code, int):
            code = exit.code
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


TIMEOUT = int(sys.argv[1])
for line in sys.stdin:
    request = json.loads(line)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            child(request["args"], request["env"], out, err)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        answer = {
            "returncode": os.waitstatus_to_exitcode(status),
            "stdout": out.read(),
            "stderr": err.read(),
        }
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
"""


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str


_server: subprocess.Popen | None = None


def _started() -> subprocess.Popen:
    global _server
    if _server is None or _server.poll() is not None:
        _server = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(TIMEOUT_SECONDS)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_base_environment(),
        )
        atexit.register(_stop, _server)
    return _server


def _stop(server: subprocess.Popen) -> None:
    server.stdin.close()  # its loop ends
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def _base_environment() -> dict:
    return {name: value for name, value in os.environ.items() if not name.startswith(CLEARED)}


def manage(*args: str, **environment: str) -> Completed:
    """Run `manage.py *args` with the test process's environment, less every DJANGO_,
    SCREENING_ and DATABASE_URL variable, plus `environment`."""
    server = _started()
    request = {"args": list(args), "env": {**_base_environment(), **environment}}
    server.stdin.write(json.dumps(request) + "\n")
    server.stdin.flush()
    answer = server.stdout.readline()
    assert answer, f"the manage.py server stopped (exit code {server.poll()})"
    return Completed(**json.loads(answer))
