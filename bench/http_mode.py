"""HTTP view of the benchmark: gunicorn (2 workers) on 127.0.0.1, a small load generator.

Reports requests per second through the server for the floor and the heaviest step, and the peak
resident memory of one worker after 1,000 mixed requests. Only loopback traffic; bounded counts.
"""

from __future__ import annotations

import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIXED_REQUESTS = 1000


def requests_per_second(fetch, count: int, concurrency: int = 4) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: fetch(), range(count)))
    return count / (time.perf_counter() - start)


def worker_peak_rss_mb(master_pid: int) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024)
    return max(peaks)


def run(database_url: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()
    from bench.measure import heaviest_section
    from tests.factories import many_followups_answers
    from tests.http_patient import HttpPatient, gunicorn

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCREENING_RATE_LIMIT_PER_MINUTE": "1000000000",
        "SCREENING_RATE_LIMIT_BURST": "1000000000",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    with gunicorn("bench.wsgi", env, workers=2, ready_path="/bench/empty/") as (base, server):
        patient = HttpPatient(base)
        patient.answer_everything(many_followups_answers())
        step_path = f"/questions/{heaviest_section().slug}/"
        floor_rps = requests_per_second(lambda: patient.get("/bench/empty/"), 400)
        step_rps = requests_per_second(lambda: patient.get(step_path), 200)
        mixed = [
            "/",
            step_path,
            "/review/",
            "/bench/empty/",
            "/privacy/",
            "/questions/about-you/",
            "/questions/medicines/",
        ]
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda n: patient.get(mixed[n % len(mixed)]), range(MIXED_REQUESTS)))
        rss = worker_peak_rss_mb(server.pid)
    return {
        "http_floor_rps": round(floor_rps, 1),
        "http_step_page_rps": round(step_rps, 1),
        "http_step_page_ratio": round(step_rps / floor_rps, 4),
        "worker_rss_mb": round(rss, 1),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(os.environ["DATABASE_URL"])))
