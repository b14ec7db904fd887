"""In-process measurements against one benchmark database (run by bench/run.py).

    DATABASE_URL=... python bench/measure.py --size 1000 [--ratios]

Seeds the database up to --size submissions (reusing what is there), then prints one JSON object
of figures. Ratios compare a page with an empty Django view in the same process, interleaved
(floor, target, floor, target ...) and take the median of the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from bench import seed as seeding  # noqa: E402
from bench.flags_bench import many_flags_answers, typical_answers  # noqa: E402
from screening import flags as flag_rules  # noqa: E402
from screening.models import Submission  # noqa: E402
from screening.questionnaire import current  # noqa: E402
from tests.factories import many_followups_answers  # noqa: E402
from tests.patient_steps import SIGNED, answer_all_steps  # noqa: E402
from tests.v2_to_v3 import to_v3  # noqa: E402

ROUNDS = 7
QUEUE = "/staff/screening/submission/"


def production_like() -> None:
    settings.ROOT_URLCONF = "bench.urls"
    settings.DEBUG = False  # no query log, as in production
    settings.SCREENING_PROVIDERS_SEE_ALL = True  # the provider sees the whole queue
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The rate limit still runs on every POST; the bench only raises its ceiling.
    settings.SCREENING_RATE_LIMIT_PER_MINUTE = 10**9
    settings.SCREENING_RATE_LIMIT_BURST = 10**9


def timed(request, count: int) -> float:
    """Requests per second of `count` calls of `request`."""
    start = time.perf_counter()
    for _ in range(count):
        response = request()
        assert response.status_code in (200, 302), response.status_code
    return count / (time.perf_counter() - start)


def ratio(floor, target, *, floor_count: int, target_count: int, before=None):
    """(median target rps, median floor rps, median ratio), interleaved rounds."""
    floors, targets, ratios = [], [], []
    for _ in range(ROUNDS):
        floor_rps = timed(floor, floor_count)
        if before is None:
            target_rps = timed(target, target_count)
        else:
            elapsed = 0.0
            for _ in range(target_count):
                before()
                start = time.perf_counter()
                response = target()
                elapsed += time.perf_counter() - start
                assert response.status_code == 302, response.status_code
            target_rps = target_count / elapsed
        floors.append(floor_rps)
        targets.append(target_rps)
        ratios.append(target_rps / floor_rps)
    return statistics.median(targets), statistics.median(floors), statistics.median(ratios)


def heaviest_section():
    """The step with the most controls to render (questions plus options)."""
    return max(
        current().first_visit_sections, key=lambda s: sum(1 + len(q.choices) for q in s.questions)
    )


def median_ms(request, count: int = 15) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def page_ratios() -> dict:
    floor_client = Client()
    floor = lambda: floor_client.get("/bench/empty/")  # noqa: E731
    patient = Client()
    answer_all_steps(patient, many_followups_answers())
    section = heaviest_section()
    step_url = f"/questions/{section.slug}/"
    step_rps, floor_rps, step_ratio = ratio(
        floor, lambda: patient.get(step_url), floor_count=400, target_count=60
    )
    review_rps, _, review_ratio = ratio(
        floor, lambda: patient.get("/review/"), floor_count=400, target_count=40
    )
    draft = dict(patient.session["screening_draft"])

    def fresh_draft():
        session = patient.session
        session["screening_draft"] = {**draft, "key": str(uuid.uuid4())}
        session.pop("screening_submitted", None)
        session.save()

    submit_rps, _, submit_ratio = ratio(
        floor,
        lambda: patient.post("/review/", SIGNED),
        floor_count=400,
        target_count=15,
        before=fresh_draft,
    )
    return {
        "floor_rps": round(floor_rps, 1),
        "heaviest_step": section.slug,
        "step_page_rps": round(step_rps, 1),
        "step_page_ratio": round(step_ratio, 4),
        "review_page_rps": round(review_rps, 1),
        "review_page_ratio": round(review_ratio, 4),
        "submit_rps": round(submit_rps, 1),
        "submit_ratio": round(submit_ratio, 4),
    }


# The queue pages a provider uses: the default (open submissions in the queue's order, with the
# attention panel above), the appointment filters, and the flag filter with a code every
# submission has (the self-reported skin type) and a rarer one (a cold sore now).
QUEUE_PAGES = {
    "queue": "",
    "today": "?appointment=today",
    "next_7_days": "?appointment=week",
    "no_appointment": "?appointment=none",
    "flag_common": "?flag=PHOTOTYPE_SELF_REPORT",
    "flag_rare": "?flag=HSV_ACTIVE",
}


def page_queries(client: Client, url: str) -> list[str]:
    reset_queries()  # a full query log (seeding ran in debug mode) would hide new queries
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return [query["sql"] for query in captured]


def explain(sql: str) -> str:
    """EXPLAIN ANALYZE of one captured query (PostgreSQL; the SQL holds its values)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def queue_figures(*, explain_to=None) -> dict:
    """Time (median ms) and query count of each queue page; with `explain_to`, the EXPLAIN
    ANALYZE of each page's SELECTs on the queue's tables is written to that stream."""
    staff = Client()
    staff.force_login(seeding.ensure_providers()[0].user)
    staff.get(QUEUE)  # the first page of a staff session also records its start
    figures = {}
    for name, query in QUEUE_PAGES.items():
        url = QUEUE + query
        queries = page_queries(staff, url)
        figures[f"{name}_queries"] = len(queries)
        figures[f"{name}_ms"] = round(median_ms(lambda url=url: staff.get(url)), 2)
        if explain_to is not None and connection.vendor == "postgresql":
            for sql in queries:
                if sql.startswith("SELECT") and '"screening_submission"' in sql:
                    print(f"-- {name}\n{sql}\n{explain(sql)}\n", file=explain_to)
    ten_flags = (
        Submission.objects.filter(priority_count__gte=0)
        .extra(where=["priority_count + discuss_count + info_count = 10"])
        .first()
    )
    target = ten_flags or Submission.objects.order_by("-info_count").first()
    figures["submission_page_ms"] = round(
        median_ms(lambda: staff.get(f"{QUEUE}{target.pk}/change/")), 2
    )
    figures["submission_page_flags"] = target.flags.count()
    return figures


def flags_per_second(answers: dict) -> float:
    """Full evaluations of the catalogue per second on one core (median of 5 half-seconds)."""
    translation.activate("en")  # as in a request; without it get_language() takes a slow path
    policy = flag_rules.current_policy()
    today = seeding.TODAY
    rates = []
    for _ in range(5):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < 0.5:
            flag_rules.flags_for(answers, today, policy)
            count += 1
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def progress(done: int) -> None:
    print(f"seeded {done:,}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--ratios", action="store_true", help="also measure the page ratios")
    parser.add_argument(
        "--explain", metavar="FILE", help="write EXPLAIN ANALYZE of the queue's queries to FILE"
    )
    parser.add_argument(
        "--queue-only", action="store_true", help="only the queue pages (the data seeded before)"
    )
    options = parser.parse_args()
    production_like()
    if options.queue_only:
        print(json.dumps({"size": options.size, **queue_figures()}))
        return
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    added = seeding.seed(options.size, progress=progress)
    figures = {
        "size": options.size,
        "seeded": added,
        "seed_seconds": round(time.perf_counter() - start, 1),
        "vendor": connection.vendor,
    }
    if options.explain:
        with open(options.explain, "w") as stream:
            figures.update(queue_figures(explain_to=stream))
    else:
        figures.update(queue_figures())
    if options.ratios:
        figures.update(page_ratios())
        # A typical patient (6 flags) and the worst case (47 of the 62 rules raised).
        # The same patients on the current questionnaire (2027.01, read through its gateways).
        figures["flags_per_s"] = round(flags_per_second(to_v3(typical_answers())))
        figures["flags_per_s_worst"] = round(flags_per_second(to_v3(many_flags_answers())))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
