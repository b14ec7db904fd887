"""Production settings, security headers and the request size limit.

Production settings are loaded by a fresh process with a production environment
(tests/fresh_settings.py: one subprocess for the session), so the settings of this test process
are never touched.
"""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from clinic.middleware import RequestSizeLimitMiddleware
from screening.questionnaire import current
from tests.factories import full_answers
from tests.fresh_settings import (
    POSTGRES,
    PRODUCTION,
    SettingsRefused,
    load_settings,
    production_startup,
)
from tests.patient_steps import SIGNED, post_data_for, put_draft, start, step_url


@pytest.fixture(scope="module")
def production():
    return load_settings(**PRODUCTION)


def test_check_deploy_reports_no_issues_in_production():
    startup = production_startup()
    assert startup["check_deploy_passed"], startup["check_deploy_output"]
    assert "no issues" in startup["check_deploy_output"]


@pytest.mark.parametrize("key", ["", "insecure-local-development-key-not-for-production"])
def test_production_refuses_a_missing_or_default_secret_key(key):
    with pytest.raises(SettingsRefused, match="DJANGO_SECRET_KEY"):
        load_settings(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})


def test_production_is_https_only_with_hsts(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True


def test_production_cookies_are_host_only_secure_and_same_site(production):
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    for cookie in ("SESSION", "CSRF"):
        # The browser drops a __Host- cookie unless it is Secure, on path "/", with no Domain.
        assert production[f"{cookie}_COOKIE_SECURE"] is True
        assert production[f"{cookie}_COOKIE_PATH"] == "/"
        assert production[f"{cookie}_COOKIE_DOMAIN"] is None
        assert production[f"{cookie}_COOKIE_HTTPONLY"] is True
        assert production[f"{cookie}_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_the_session_times_out_after_the_draft_idle_period(production):
    assert production["SESSION_COOKIE_AGE"] == 60 * 60
    # Written when changed; drafts.load refreshes an active draft (tested in test_views).
    assert production["SESSION_SAVE_EVERY_REQUEST"] is False
    assert production["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert production["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    shorter = load_settings(**PRODUCTION, SCREENING_DRAFT_IDLE_MINUTES="15")
    assert shorter["SESSION_COOKIE_AGE"] == 15 * 60


def test_the_proxy_ssl_header_is_trusted_only_behind_a_tls_proxy(production):
    assert production["SECURE_PROXY_SSL_HEADER"] is None
    behind = load_settings(**PRODUCTION, DJANGO_BEHIND_TLS_PROXY="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert load_settings(DJANGO_BEHIND_TLS_PROXY="1")["SECURE_PROXY_SSL_HEADER"] is None


@pytest.mark.parametrize(
    ("environment", "sslmode"),
    [
        ({**PRODUCTION, "DATABASE_URL": POSTGRES}, "require"),
        ({**PRODUCTION, "DATABASE_URL": f"{POSTGRES}?sslmode=verify-full"}, "verify-full"),
        (
            {**PRODUCTION, "DATABASE_URL": POSTGRES, "PGSSLMODE": "verify-ca"},
            None,
        ),  # libpq's own variable decides
        ({"DATABASE_URL": "postgres://app@127.0.0.1/prescreen"}, None),  # debug: a local server
        ({**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/prescreen.sqlite3"}, None),
    ],
)
def test_postgresql_needs_tls_in_production(environment, sslmode):
    database = load_settings(**environment)["DATABASES"]["default"]
    assert database.get("OPTIONS", {}).get("sslmode") == sslmode


def test_rate_limit_and_proxy_settings_come_from_the_environment(production):
    assert production["SCREENING_RATE_LIMIT_PER_MINUTE"] == 30
    assert production["SCREENING_RATE_LIMIT_BURST"] == 60
    assert production["TRUSTED_PROXY_COUNT"] == 0
    tuned = load_settings(
        **PRODUCTION,
        SCREENING_RATE_LIMIT_PER_MINUTE="10",
        SCREENING_RATE_LIMIT_BURST="20",
        DJANGO_TRUSTED_PROXY_COUNT="1",
    )
    assert (
        tuned["SCREENING_RATE_LIMIT_PER_MINUTE"],
        tuned["SCREENING_RATE_LIMIT_BURST"],
        tuned["TRUSTED_PROXY_COUNT"],
    ) == (10, 20, 1)


def test_request_bodies_are_limited_sanely(production):
    assert 64 * 1024 <= production["DATA_UPLOAD_MAX_MEMORY_SIZE"] <= 256 * 1024
    assert 50 <= production["DATA_UPLOAD_MAX_NUMBER_FIELDS"] <= 1000


# --- Headers, as a browser receives them ---------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.django_db
def test_the_content_security_policy_allows_only_our_own_files(client):
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    for name, sources in policy.items():
        for source in sources:
            # No inline code, no eval, no wildcard, no other origin: only 'self', 'none', data:.
            assert source in ("'self'", "'none'", "data:"), (name, source)


def _patient_pages(client) -> dict[str, str]:
    """Every patient-facing page, rendered, by name."""
    pages = {
        "landing": client.get("/"),
        "privacy": client.get("/privacy/"),
        "404": client.get("/questions/no-such-step/"),
    }
    start(client)
    pages["step 1 with errors"] = client.post(
        step_url(current().first_visit_sections[0]), {"nav": "next"}
    )
    put_draft(client, full_answers())
    pages.update(
        {section.slug: client.get(step_url(section)) for section in current().first_visit_sections}
    )
    pages["review"] = client.get("/review/")
    client.post("/review/", SIGNED)
    pages["thank-you"] = client.get("/thank-you/")
    pages["405"] = client.post("/thank-you/")
    pages["403"] = Client(enforce_csrf_checks=True).post("/start/")
    pages["already sent"] = client.get("/review/")
    pages.update(_link_pages())
    return pages


def _link_pages() -> dict:
    """The pages of invitations and saved drafts."""
    from screening.models import SavedDraft
    from tests.invited import invite

    pages = {"link invalid": Client().get(f"/i/{'x' * 43}/")}
    walk_in = Client()
    start(walk_in)
    walk_in.post(
        step_url(current().first_visit_sections[0]),
        {**post_data_for(current().first_visit_sections[0], full_answers()), "nav": "next"},
    )
    pages["save for later"] = walk_in.get("/save/")
    pages["save for later with errors"] = walk_in.post("/save/", {"email": "x"})
    walk_in.post("/save/", {"email": "me@example.org"})
    pages["saved for later"] = walk_in.get("/save/")
    link = invite()
    starter = Client()
    starter.get(link)
    starter.post(
        step_url(current().first_visit_sections[0]),
        {**post_data_for(current().first_visit_sections[0], full_answers()), "nav": "next"},
    )
    other = Client()
    other.get(link)
    pages["birth date gate"] = other.get("/continue/")
    pages["birth date gate with errors"] = other.post("/continue/", {"date_of_birth": ""})
    SavedDraft.objects.update(locked_at=timezone.now())
    pages["locked"] = other.get("/locked/")
    from screening.models import Invitation

    Invitation.objects.update(appointment_at=timezone.now() - timedelta(days=1))
    pages["link expired"] = Client().get(link)
    return pages


@pytest.mark.django_db
def test_patient_pages_have_no_inline_script_style_or_event_handler(client):
    for name, response in _patient_pages(client).items():
        page = response.content.decode()
        assert not re.search(r"\sstyle\s*=", page, re.IGNORECASE), name
        assert not re.search(r"<style", page, re.IGNORECASE), name
        assert not re.search(r"\son[a-z]+\s*=", page, re.IGNORECASE), name
        for script in re.findall(r"<script[^>]*>", page, re.IGNORECASE):
            assert re.search(r'\ssrc="/static/', script), (name, script)
        assert not re.search(r'(src|href)="(https?:)?//', page), name  # no third-party origin


@pytest.mark.django_db
def test_every_patient_page_has_the_security_headers_and_no_server_banner(client):
    for name, response in _patient_pages(client).items():
        assert "no-store" in response["Cache-Control"], name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert "Content-Security-Policy" in response, name
        assert "Server" not in response, name
        assert "X-Powered-By" not in response, name


@pytest.mark.django_db
def test_staff_pages_are_not_cached(client, admin_user):
    assert "no-store" in client.get("/staff/login/")["Cache-Control"]
    client.force_login(admin_user)
    assert "no-store" in client.get("/staff/")["Cache-Control"]


@pytest.mark.django_db
def test_static_files_are_cacheable(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/screening/site.css")  # a new client: a new WhiteNoise
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


class _UnreadableBody(BytesIO):
    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")


def test_an_oversized_body_is_refused_before_it_is_read():
    request = RequestFactory().post("/start/", data=b"", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = str(10 * 1024 * 1024)
    request.META["wsgi.input"] = _UnreadableBody()
    request._stream = _UnreadableBody()
    response = RequestSizeLimitMiddleware(lambda request: pytest.fail("view reached"))(request)
    assert response.status_code == 413


@pytest.mark.parametrize("length", ["ten", "-1"])
def test_a_malformed_content_length_is_a_400(length):
    request = RequestFactory().post("/start/")
    request.META["CONTENT_LENGTH"] = length
    response = RequestSizeLimitMiddleware(lambda request: pytest.fail("view reached"))(request)
    assert response.status_code == 400
