"""`make bench`, the browser's view: Lighthouse 12 on every patient page, phone and desktop.

    python bench/lighthouse.py [--pages landing,review] [--presets mobile] [--runs 3]

Serves the app as production does (DJANGO_DEBUG=0, gunicorn, `collectstatic`'s hashed files served
compressed by WhiteNoise; bench/production_settings.py says what differs over loopback HTTP),
walks a patient through the questionnaire over HTTP and, at each page as the patient first meets
it, runs Lighthouse with the patient's session cookie: a cold load (Lighthouse empties the cache),
mobile (its default: a mid-range phone on a slow 4G link, simulated) and desktop presets.

Prints performance, accessibility and best-practices scores, the cumulative layout shift, the
largest contentful paint and total blocking time (simulated: what the performance score is made
of), the bytes transferred by the cold load and by its HTML alone, with the issue's goals; writes
bench-lighthouse.json. On a loaded machine a mobile score can drop a few points from one run to
the next: `--runs 3` shows the median run. Lighthouse comes from npm (bench/npm, installed with `npm ci` on first
use); without node or npm, or when `npm ci` fails, the bench stops with the cause and measures
nothing: it never falls back quietly. `--transfer-only` prints the transfer sizes Chromium
measures, on purpose.
Never part of `make test`: scores are measurements, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NPM_DIR = ROOT / "bench" / "npm"
LIGHTHOUSE = NPM_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
KIB = 1024
# The goals: (figure, preset or None for both, comparison, target).
GOALS = [
    ("performance", "desktop", ">=", 100),
    ("performance", "mobile", ">=", 98),
    ("accessibility", None, ">=", 100),
    ("best_practices", None, ">=", 100),
    ("cls", None, "<=", 0),
    ("total_kib", None, "<=", 20),
]


def production_env(database_url: str, static_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.production_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": static_root,
        "DATABASE_URL": database_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SCREENING_RATE_LIMIT_PER_MINUTE": "1000000",
        "SCREENING_RATE_LIMIT_BURST": "1000000",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


class LighthouseUnavailable(SystemExit):
    """Lighthouse cannot run here: the bench stops and says why, never reporting a score it did
    not measure (`--transfer-only` asks for Chromium's transfer sizes alone, on purpose)."""


def lighthouse_command(run=subprocess.run, which=shutil.which) -> list[str]:
    """Lighthouse from bench/npm, installed from its lockfile on first use; raises
    LighthouseUnavailable, naming the cause, when node, npm or the install fails."""
    missing = [tool for tool in ("node", "npm") if not which(tool)]
    if missing:
        raise LighthouseUnavailable(
            f"Lighthouse needs {' and '.join(missing)} (apt-get install nodejs npm); "
            "nothing was measured. `--transfer-only` measures transfer sizes without it."
        )
    if not LIGHTHOUSE.exists():
        installed = run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NPM_DIR,
            check=False,
        )
        if installed.returncode != 0 or not LIGHTHOUSE.exists():
            raise LighthouseUnavailable(
                f"`npm ci` in {NPM_DIR} failed (exit {installed.returncode}): fix "
                "bench/npm/package-lock.json (`npm install --package-lock-only` there); "
                "nothing was measured."
            )
    return [str(LIGHTHOUSE)]


def run_lighthouse(command: list[str], url: str, cookie: str, preset: str) -> dict:
    args = [
        *command,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility,best-practices",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    for _attempt in range(2):  # a headless Chromium on a busy machine now and then fails to start
        result = subprocess.run(
            args,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        if not result.returncode:
            break
    else:
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr.strip()[-2000:]}")
    report = json.loads(result.stdout)
    categories, audits = report["categories"], report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    document = next(item for item in requests if item["resourceType"] == "Document")
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "best_practices": round(categories["best-practices"]["score"] * 100),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "total_kib": round(audits["total-byte-weight"]["numericValue"] / KIB, 1),
        "html_kib": round(document["transferSize"] / KIB, 1),
        "failed_audits": sorted(
            audit_id
            for category in ("accessibility", "best-practices")
            for ref in categories[category]["auditRefs"]
            if ref["weight"] and (audit_id := ref["id"])
            if audits[audit_id]["score"] is not None and audits[audit_id]["score"] < 1
        ),
    }


def chromium_transfer(url: str, cookie: str, preset: str) -> dict:
    """Without Lighthouse: the bytes a cold load transfers, as Chromium counts them."""
    from playwright.sync_api import sync_playwright

    viewport = (
        {"width": 1350, "height": 940} if preset == "desktop" else {"width": 412, "height": 823}
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport=viewport, extra_http_headers={"Cookie": cookie})
        page = context.new_page()
        responses = []
        page.on("requestfinished", lambda request: responses.append(request))
        page.goto(url, wait_until="load")
        sizes = [(request.resource_type, request.sizes()) for request in responses]
        browser.close()
    transferred = {
        kind: size["responseBodySize"] + size["responseHeadersSize"] for kind, size in sizes
    }
    total = sum(size["responseBodySize"] + size["responseHeadersSize"] for _, size in sizes)
    return {
        "total_kib": round(total / KIB, 1),
        "html_kib": round(transferred.get("document", 0) / KIB, 1),
    }


def walk(base: str, measure) -> None:
    """A new patient from the landing page to the confirmation; `measure(name, path, cookie)` at
    each page, before the patient answers it (the state a patient first sees)."""
    from screening.questionnaire import current
    from tests.factories import full_answers
    from tests.http_patient import HttpPatient
    from tests.patient_steps import SIGNED, post_data_for

    measure("landing", "/", "")
    measure("privacy", "/privacy/", "")
    patient = HttpPatient(base)
    answers = full_answers()
    assert patient.post("/start/", {}, token_from="/") == 302

    def cookie() -> str:
        return "; ".join(f"{c.name}={c.value}" for c in patient.jar)

    for section in current().first_visit_sections:
        path = f"/questions/{section.slug}/"
        measure(f"step {section.slug}", path, cookie())
        data = {**post_data_for(section, answers), "nav": "next"}
        assert patient.post(path, data, token_from=path) == 302, section.key
    measure("review", "/review/", cookie())
    assert patient.post("/review/", SIGNED, token_from="/review/") == 302
    measure("confirmation", "/thank-you/", cookie())


def verdicts(rows: list[dict]) -> list[str]:
    missed = []
    for figure, preset, comparison, target in GOALS:
        for row in rows:
            value = row.get(figure)
            if value is None or (preset and row["preset"] != preset):
                continue
            met = value >= target if comparison == ">=" else value <= target
            if not met:
                missed.append(
                    f"{row['page']} ({row['preset']}): {figure} {value}, goal {comparison} {target}"
                )
    return missed


def print_table(rows: list[dict], with_scores: bool) -> None:
    columns = ["page", "preset"]
    if with_scores:
        columns += ["performance", "accessibility", "best_practices", "cls", "lcp_ms", "tbt_ms"]
    columns += ["total_kib", "html_kib"]
    widths = {c: max(len(c), *(len(str(row.get(c, "-"))) for row in rows)) for c in columns}
    print("  ".join(f"{c:<{widths[c]}}" for c in columns))
    for row in rows:
        print("  ".join(f"{row.get(c, '-')!s:<{widths[c]}}" for c in columns))
    for row in rows:
        if row.get("failed_audits"):
            print(
                f"{row['page']} ({row['preset']}): audits below 100: {', '.join(row['failed_audits'])}"
            )
    goals = ", ".join(f"{f}{f' ({p})' if p else ''} {c} {t}" for f, p, c, t in GOALS)
    missed = verdicts(rows)
    print(f"goals: {goals} (KiB)")
    if missed:
        print("MISSED:\n  " + "\n  ".join(missed))
    elif with_scores:
        print("all goals met")
    else:
        print("transfer goal met; the scores were not measured (no Lighthouse)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--presets", default="mobile,desktop")
    parser.add_argument(
        "--runs",
        type=int,
        default=1,
        help="Lighthouse runs per page and preset; the run of median performance is shown",
    )
    parser.add_argument(
        "--transfer-only",
        action="store_true",
        help="no Lighthouse: only the bytes a cold load transfers, as Chromium counts them",
    )
    options = parser.parse_args()
    only = {name.strip() for name in options.pages.split(",") if name.strip()}
    presets = options.presets.split(",")

    command = None if options.transfer_only else lighthouse_command()

    with tempfile.TemporaryDirectory() as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'lighthouse.sqlite3'}"
        env = production_env(database_url, str(Path(scratch) / "staticfiles"))
        manage(env, "migrate", "--noinput")
        manage(env, "compile_translations")  # production's step too (docs/deploy.md)
        manage(env, "collectstatic", "--noinput")
        os.environ.update(env)
        import django

        django.setup()
        from tests.http_patient import gunicorn

        rows = []
        with gunicorn("clinic.wsgi", env, workers=1, ready_path="/privacy/") as (base, _server):

            def measure(name: str, path: str, cookie: str) -> None:
                if only and name not in only and name.removeprefix("step ") not in only:
                    return
                for preset in presets:
                    if command:
                        runs = sorted(
                            (
                                run_lighthouse(command, base + path, cookie, preset)
                                for _ in range(options.runs)
                            ),
                            key=lambda figures: figures["performance"],
                        )
                        figures = runs[len(runs) // 2]
                    else:
                        figures = chromium_transfer(base + path, cookie, preset)
                    rows.append({"page": name, "preset": preset, **figures})
                    print(f"  measured {name} ({preset})", file=sys.stderr, flush=True)

            walk(base, measure)

    (ROOT / "bench-lighthouse.json").write_text(json.dumps(rows, indent=2) + "\n")
    print_table(rows, with_scores=command is not None)


if __name__ == "__main__":
    main()
