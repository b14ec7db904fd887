"""`make container-test`: the container stack of compose.yaml, brought up as a clinic would, and
walked over HTTP.

1. builds the app image (Containerfile) and, unless POSTGRES_IMAGE names one to use, the
   PostgreSQL image of containers/postgres-debian (for machines that cannot pull the official one);
2. starts compose.yaml with podman-compose, plus containers/compose.test.yaml (an SMTP sink);
   the settings come from a throwaway env file, as a clinic's `.env`;
3. waits for /readyz (database, migrations, the worker's heartbeat);
4. a patient fills in the whole questionnaire and sends it, over HTTP, as behind a TLS proxy;
5. the staff email about the submission reaches the SMTP sink, sent by the worker;
6. a FHIR API token (made in the web container) reads the response through the API;
7. tears the stack down, volumes included, whatever happened.

Environment: CONTAINER_BASE (the base image to build on; default: localhost/debian:bookworm when
it exists, else the Containerfile's), PIP_CERT_FILE (a CA bundle for pip during the build, e.g.
/etc/ssl/certs/ca-certificates.crt), POSTGRES_IMAGE, KEEP_STACK=1 (leave it running).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_IMAGE = "localhost/laser-prescreen:latest"
LOCAL_POSTGRES = "localhost/postgres-debian:15"
LOCAL_BASE = "localhost/debian:bookworm"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r'class="reference-code">([^<]+)<')


def say(text: str) -> None:
    print(f"== {text}", flush=True)


def run(*command: str, check: bool = True, capture: bool = False, **kwargs):
    return subprocess.run(
        command, check=check, text=True, capture_output=capture, cwd=ROOT, **kwargs
    )


def image_exists(name: str) -> bool:
    return run("podman", "image", "exists", name, check=False).returncode == 0


def build_images() -> str:
    base = os.environ.get("CONTAINER_BASE") or (LOCAL_BASE if image_exists(LOCAL_BASE) else "")
    cert = os.environ.get("PIP_CERT_FILE", "")
    arguments = ["podman", "build", "--format", "docker", "--network=host", "-t", APP_IMAGE]
    if base:
        arguments += ["--build-arg", f"BASE={base}"]
    if cert:
        arguments += ["--volume", f"{cert}:/run/host-ca.crt:ro"]
        arguments += ["--build-arg", "PIP_CERT=/run/host-ca.crt"]
    say(f"building {APP_IMAGE} on {base or 'the Containerfile base'}")
    started = time.monotonic()
    run(*arguments, ".")
    say(f"built in {time.monotonic() - started:.0f} s")
    postgres = os.environ.get("POSTGRES_IMAGE", "")
    if not postgres:
        postgres = LOCAL_POSTGRES
        arguments = ["podman", "build", "--network=host", "-t", postgres]
        if base:
            arguments += ["--build-arg", f"BASE={base}"]
        say(f"building {postgres}")
        run(*arguments, "containers/postgres-debian")
    return postgres


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def env_file(folder: Path, port: int, postgres_image: str) -> Path:
    """A clinic's .env: .env.example with the required values filled in."""
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SCREENING_PUBLIC_BASE_URL": f"https://127.0.0.1:{port}",
        "CLINIC_NAME": "Stack Test Dermatology",
        "CLINIC_PHONE": "+1 617 555 0142",
        "CLINIC_PRIVACY_NOTICE_URL": "https://stack-test.example.org/privacy",
        "CLINIC_CONTACT_EMAIL": "privacy@stack-test.example.org",
        "SCREENING_FALLBACK_EMAIL": "lead@stack-test.example.org",
        "DJANGO_DEFAULT_FROM_EMAIL": "prescreen@stack-test.example.org",
        "DJANGO_ADMINS": "it@stack-test.example.org",
        # The sink of containers/compose.test.yaml, on the stack's network.
        "DJANGO_EMAIL_HOST": "smtp",
        "DJANGO_EMAIL_PORT": "1025",
        "DJANGO_EMAIL_USE_TLS": "0",
        "DJANGO_EMAIL_HOST_USER": "",
        "DJANGO_EMAIL_HOST_PASSWORD": "",
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "POSTGRES_IMAGE": postgres_image,
        "PORT": str(port),
        "SCREENING_WORKER_HEARTBEAT_SECONDS": "5",
    }
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0].lstrip("# ").strip() if "=" in line else None
        if name in values:
            lines.append(f"{name}={values.pop(name)}")
        else:
            lines.append(line)
    lines += [f"{name}={value}" for name, value in values.items()]
    path = folder / ".env"
    path.write_text("\n".join(lines) + "\n")
    return path


class Client:
    """A browser behind the clinic's TLS proxy: the proxy says https (X-Forwarded-Proto), so the
    app's cookies are Secure, and they are sent back over the plain hop to the container."""

    def __init__(self, base: str):
        self.base = base
        self.origin = base.replace("http://", "https://")
        policy = http.cookiejar.DefaultCookiePolicy()
        policy.return_ok_secure = lambda cookie, request: True
        self.jar = http.cookiejar.CookieJar(policy)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={
                "X-Forwarded-Proto": "https",
                "Referer": self.origin + path,
                **(headers or {}),
            },
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def post(self, path, data, token_from):
        status, page, _ = self.request(token_from)
        assert status == 200, (token_from, status)
        token = CSRF.search(page)[1]
        return self.request(path, {**data, "csrfmiddlewaretoken": token})


def wait_ready(client: Client, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        try:
            status, text, _ = client.request("/readyz")
            body = json.loads(text)
            if status == 200:
                return body
        except (OSError, ValueError):
            pass
        time.sleep(2)
    raise AssertionError(f"/readyz never became ready: {body}")


def walk_patient(client: Client) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from screening.demo import no_risk_answers
    from screening.questionnaire import current
    from tests.patient_steps import SIGNED, post_data_for

    answers = no_risk_answers()
    status, _, _ = client.post("/start/", {}, token_from="/")
    assert status == 302, status
    for section in current().first_visit_sections:
        path = f"/questions/{section.slug}/"
        status, _, _ = client.post(
            path, {**post_data_for(section, answers), "nav": "next"}, token_from=path
        )
        assert status == 302, (section.key, status)
    status, _, headers = client.post("/review/", SIGNED, token_from="/review/")
    assert status == 302 and headers["Location"].endswith("/thank-you/"), status
    status, page, _ = client.request("/thank-you/")
    assert status == 200
    return REFERENCE.search(page)[1].strip()


def make_token(compose: list[str]) -> str:
    # Asked for by one person, approved by another (screening.fhir.tokens).
    code = (
        "from django.contrib.auth.models import User; "
        "from screening.models import ApiToken; "
        "from screening.fhir.tokens import api_token_create, api_token_approve; "
        "admin = User.objects.create_superuser('stack-admin', None, None); "
        "officer = User.objects.create_superuser('stack-privacy', None, None); "
        "new = api_token_create(name='Stack test EHR', scopes=ApiToken.Scope.values, actor=admin); "
        "api_token_approve(token=new.token, actor=officer); "
        "print(new.secret)"
    )
    result = run(*compose, "exec", "-T", "web", "laser-prescreen", "shell", "-c", code,
                 capture=True)  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    if not shutil.which("podman"):
        print("podman is not installed (apt-get install podman runc; see docs/deploy.md)")
        return 1
    compose_tool = shutil.which("podman-compose") or str(
        Path(sys.executable).parent / "podman-compose"
    )
    postgres_image = build_images()
    port = free_port()
    project = f"prescreen-test-{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="stack-test-"))
    env = env_file(folder, port, postgres_image)
    compose = [
        compose_tool, "--project-name", project, "--env-file", str(env),
        "-f", str(ROOT / "compose.yaml"), "-f", str(ROOT / "containers" / "compose.test.yaml"),
    ]  # fmt: skip
    os.environ["APP_ENV_FILE"] = str(env)
    started = time.monotonic()
    try:
        say(f"starting the stack {project} on port {port}")
        run(*compose, "up", "-d")
        client = Client(f"http://127.0.0.1:{port}")
        ready = wait_ready(client, timeout=240)
        say(f"ready after {time.monotonic() - started:.0f} s: {ready}")

        reference = walk_patient(client)
        say(f"a patient sent the questionnaire: reference {reference}")

        deadline = time.monotonic() + 90
        while True:
            mail = run(*compose, "logs", "smtp", capture=True, check=False).stdout
            if reference in mail and "lead@stack-test.example.org" in mail:
                break
            assert time.monotonic() < deadline, f"no staff email in the sink:\n{mail[-3000:]}"
            time.sleep(2)
        say("the staff email reached the SMTP sink through the worker")

        token = make_token(compose)
        status, text, _ = client.request(
            "/fhir/R4/QuestionnaireResponse", headers={"Authorization": f"Bearer {token}"}
        )
        assert status == 200, (status, text[:500])
        bundle = json.loads(text)
        assert bundle["resourceType"] == "Bundle" and bundle["total"] == 1, bundle
        assert reference in text
        say(f"the FHIR API returned the response ({len(text)} bytes)")
        say(f"container test passed in {time.monotonic() - started:.0f} s")
        return 0
    except BaseException:
        run(*compose, "logs", "--tail", "40", check=False)
        raise
    finally:
        if os.environ.get("KEEP_STACK") != "1":
            say("tearing down")
            run(*compose, "down", "-v", check=False, capture=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
