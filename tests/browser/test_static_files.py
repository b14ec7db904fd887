"""Static files as production serves them: collected, hashed, compressed, served by WhiteNoise.

`live_server` serves static files itself (Django's StaticFilesHandler, from the finders), which
would hide a file that `collectstatic` misses or a reference the manifest cannot resolve. Here the
live server runs the app with no static handler in front, so WhiteNoise serves `collectstatic`'s
output with the production storage (hashed, compressed), and the browser loads the pages.
"""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg)$")


@pytest.fixture
def whitenoise_serves_static(settings, tmp_path, live_server):
    """For one test, the live server runs the app as production does: no static files handler
    in front of it, so WhiteNoise (a middleware) serves what `collectstatic` collected."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    server = live_server.thread.httpd
    usual = server.get_app()
    server.set_app(WSGIHandler())  # built now: its WhiteNoise reads the settings above
    yield
    server.set_app(usual)


def test_pages_load_their_collected_static_files_through_whitenoise(whitenoise_serves_static, page):
    static = []
    page.on(
        "response", lambda response: static.append(response) if "/static/" in response.url else None
    )

    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(r"/questions/about-you/$"))
    # followups.js ran: the follow-up is hidden until its condition holds.
    expect(page.locator(".followup").first).to_be_hidden()
    page.locator('[name="preferred_contact_method"][value="email"]').check()
    expect(page.locator(".followup").first).to_be_visible()

    loaded = {response.url.rsplit("/", 1)[-1]: response for response in static}
    assert {name.split(".")[0] for name in loaded} >= {"bootstrap", "site", "followups"}, loaded
    for name, response in loaded.items():
        assert HASHED.search(name), f"{name}: not the manifest's hashed name"
        assert response.status in (200, 304), f"{name}: HTTP {response.status}"
        if response.status == 200:
            headers = response.all_headers()
            assert "immutable" in headers.get("cache-control", ""), (name, headers)
            assert headers.get("content-encoding") in ("gzip", "br"), (name, headers)


def test_a_missing_static_file_or_a_third_party_resource_fails_the_test(page, browser_problems):
    """The `page` fixture's watch is real: each of these would fail the test that caused it."""
    page.goto("/privacy/")
    cdn_refused = page.expect_event("requestfailed", lambda request: "cdn.example" in request.url)
    with cdn_refused, page.expect_response("**/static/no-such-file.css"):
        page.evaluate("""() => {
            const css = document.createElement("link");
            css.rel = "stylesheet";
            css.href = "/static/no-such-file.css";
            document.head.append(css);
            const cdn = document.createElement("img");
            cdn.src = "https://cdn.example.com/pixel.png";
            document.body.append(cdn);
        }""")
    problems = "\n".join(browser_problems)
    assert "HTTP 404: GET http://localhost" in problems and "no-such-file.css" in problems
    assert "request failed: GET https://cdn.example.com/pixel.png" in problems
    browser_problems.clear()  # expected here: let the test pass
