"""Real-browser tests: Playwright (sync API) drives Debian's Chromium against `live_server`.

Chromium is Debian's (`/usr/bin/chromium`), never Playwright's
own download; when it is missing every `browser` test is skipped with the install command.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would then refuse database
# access there (at set-up and at the flush after a test). Tests only: never in the app's settings.
# Set at import, before any database access: the loop outlives a test (the browser is per
# session), so later tests in the same xdist worker need it too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "apt-get update && apt-get install -y chromium chromium-driver"
SKIP_REASON = (
    f"browser tests skipped: Chromium is not installed at {CHROMIUM} "
    f"(install it with: {INSTALL_HINT})"
)

# Quiet and offline: no Google hosts, no component updates; a page that pulls anything from a
# CDN fails visibly (and the `page` fixture below turns that into a test failure).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]

# Fail fast: a control that never appears (say, a follow-up JavaScript did not show) should fail
# in seconds, not after Playwright's default 30 s.
TIMEOUT_MS = 5_000
DESKTOP = {"width": 1280, "height": 800}

# pytest-playwright deletes its --output folder (default: test-results/) at the start of every
# run, in every xdist worker. Its own artifacts go to a subfolder, so that the screenshots this
# suite writes to test-results/screenshots/ are never deleted by a worker that starts late.
PLAYWRIGHT_OUTPUT = "test-results/playwright"


def pytest_configure(config):
    if config.getoption("--output", default=None) == "test-results":
        config.option.output = str(config.rootpath / PLAYWRIGHT_OUTPUT)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-US",  # the order of a date input's fields when typed by keyboard
        # Bootstrap scrolls smoothly unless reduced motion is preferred: a control scrolled into
        # view would still be moving when clicked (see helpers.answer).
        "reduced_motion": "reduce",
    }


class BrowserProblems(list):
    """What went wrong in the browser, as readable lines: failed requests, bad responses, errors."""

    def watch(self, page):
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("pageerror", lambda error: self.append(f"JavaScript error: {error}"))
        page.on("console", self._console)
        return page

    def _request_failed(self, request):
        # ERR_ABORTED: the page stopped waiting for it (it navigated away while an image loaded,
        # or the answer was an HTTP error, which `_response` records). Not a failure in itself.
        if request.failure != "net::ERR_ABORTED":
            self.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response):
        path = response.url.split("?", 1)[0]
        if (response.status >= 400 and "/static/" in path) or response.status >= 500:
            self.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _console(self, message):
        # Chromium reports CSP refusals and script errors on the console. "Failed to load
        # resource" repeats an HTTP error, judged by `_response` (the browser's own /favicon.ico
        # request is a 404 here, and not the app's business).
        # A message with no source URL comes from a script the test itself evaluated (axe, which
        # sets inline styles while it measures colour contrast), not from the app's pages.
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        if message.location.get("url") == "":
            return
        self.append(f"console error: {message.text}")

    def check(self):
        assert not self, "The browser reported problems:\n  " + "\n  ".join(self)


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def open_page(new_context, browser_problems, transactional_db, django_db_serialized_rollback):
    """open_page(**context_options) -> a new page in a new context, watched for problems.

    The database is a real one (`transactional_db`: the live server's thread sees what a test
    saves) with what the migrations put there (serialized rollback: staff groups, content
    types), emptied and restored around each test, so that the browser tests and other
    transactional tests can run in any order in the same xdist worker.

    The test fails if any page it opened had a failed request, a static file answered with an
    HTTP error, any 5xx, a JavaScript error or a console error (e.g. a CSP refusal).
    """

    def open_(**context_options):
        context = new_context(**{"viewport": DESKTOP, **context_options})
        context.set_default_timeout(TIMEOUT_MS)
        return browser_problems.watch(context.new_page())

    yield open_
    browser_problems.check()


@pytest.fixture
def fast_forward(live_server):
    """fast_forward(page, answers, before=None): a draft with the steps before `before` (or all)
    answered, in the page's browser context. See helpers.fast_forward."""
    from tests.browser.helpers import fast_forward

    def fast_forward_(page, answers, *, before=None):
        fast_forward(page, live_server.url, answers, before=before)

    return fast_forward_


@pytest.fixture
def page(open_page):
    """A desktop page (1280 x 800) with JavaScript, watched for problems."""
    return open_page()
