"""`make bench`: how fast the app is against the floor of Django itself, and how it scales.

    python bench/run.py [--sizes SMALL,LARGE] [--explain]

Uses DATABASE_URL's PostgreSQL database when set (one schema per size, bench_<size>, created
when missing; sizes 1000,1000000 by default), else SQLite files in bench/ (1000,100000 by
default; SQLite is refused above 200,000). Seeded data is reused between runs. Prints a table
and writes bench-results.json; --explain also writes the EXPLAIN ANALYZE of every queue query
at each size to bench-explain-<size>.txt (PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {  # key: (comparison, target) -- the targets, in-process medians
    "step_page_ratio": (">=", 0.05),
    "review_page_ratio": (">=", 0.03),
    "submit_ratio": (">=", 0.04),
    "queue_queries": ("<=", 10),
    "queue_growth": ("<=", 1.5),
    "flags_per_s": (">=", 20000),
    "worker_rss_mb": ("<=", 80),
}


SQLITE_LARGEST = 200_000
QUEUE_ROUNDS = 3
QUEUE_PAGES = ("queue", "today", "next_7_days", "no_appointment", "flag_common", "flag_rare")


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def database_url_for(size: int) -> str:
    base = postgres_url()
    if not base:
        return f"sqlite:///{ROOT / 'bench' / f'bench-{size}.sqlite3'}"
    # One schema per size in the one database (the search path selects it): a 1,000,000-row
    # seed is kept beside the 1,000-row one, and nothing is created outside that database.
    schema = f"bench_{size}"
    ensure_postgres_schema(base, schema)
    parts = urlsplit(base)
    query = "&".join(filter(None, [parts.query, f"options=-c%20search_path%3D{schema}"]))
    return urlunsplit(parts._replace(query=query))


def ensure_postgres_schema(base_url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def label(size: int) -> str:
    """1000 -> "1k", 1000000 -> "1m" (the figures' names)."""
    for unit, name in ((1_000_000, "m"), (1_000, "k")):
        if size >= unit and size % unit == 0:
            return f"{size // unit}{name}"
    return str(size)


def measure(size: int, *, ratios: bool, explain: bool) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "measure.py"), "--size", str(size)]
    if ratios:
        command.append("--ratios")
    if explain and postgres_url():
        command += ["--explain", str(ROOT / f"bench-explain-{size}.txt")]
    env = {**os.environ, "DATABASE_URL": database_url_for(size)}
    # Seeding progress (stderr) shows as it goes; the figures are the last line of stdout.
    output = subprocess.run(
        command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def queue_rounds(sizes: tuple[int, int], rounds: int = QUEUE_ROUNDS) -> dict[int, dict]:
    """The queue pages at both sizes, alternately (small, large, small, large ...), each page's
    median over the rounds: on a shared machine the load changes from minute to minute, and the
    growth compares the two sizes under the same load."""
    runs: dict[int, list[dict]] = {size: [] for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            command = [sys.executable, str(ROOT / "bench" / "measure.py"), "--size", str(size)]
            env = {**os.environ, "DATABASE_URL": database_url_for(size)}
            output = subprocess.run(
                [*command, "--queue-only"],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            runs[size].append(json.loads(output.strip().splitlines()[-1]))
    medians = {}
    for size, figures in runs.items():
        medians[size] = {
            key: (
                max(run[key] for run in figures)  # queries: the most any round made
                if key.endswith("_queries")
                else round(statistics.median(run[key] for run in figures), 2)
            )
            for key in figures[0]
            if key.endswith(("_ms", "_queries"))
        }
    return medians


def http_view(size: int) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url_for(size)}
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "http_mode.py")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def verdict(key: str, value: float) -> str:
    if key.endswith("_growth"):
        key = "queue_growth"  # every queue page is held to it
    if key not in TARGETS:
        return ""
    comparison, target = TARGETS[key]
    met = value >= target if comparison == ">=" else value <= target
    return f"{'ok ' if met else 'MISS'} (target {comparison} {target})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes",
        help="SMALL,LARGE submissions (default 1000,1000000 on PostgreSQL, 1000,100000 on SQLite)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="write the queue's EXPLAIN ANALYZE (PostgreSQL)"
    )
    options = parser.parse_args()
    sizes = options.sizes or ("1000,1000000" if postgres_url() else "1000,100000")
    small, large = (int(size) for size in sizes.split(","))
    if not postgres_url() and large > SQLITE_LARGEST:
        parser.error(
            f"SQLite is seeded through the ORM: {large:,} rows would take hours. Use PostgreSQL "
            "(DATABASE_URL=postgres://...) for sizes above "
            f"{SQLITE_LARGEST:,}."
        )
    started = time.perf_counter()
    at_small = measure(small, ratios=True, explain=options.explain)
    at_large = measure(large, ratios=False, explain=options.explain)
    queue = queue_rounds((small, large))
    s, l = label(small), label(large)  # noqa: E741
    results = {
        "database": at_small["vendor"],
        "floor_rps": at_small["floor_rps"],
        "step_page_rps": at_small["step_page_rps"],
        "step_page_ratio": at_small["step_page_ratio"],
        "review_page_rps": at_small["review_page_rps"],
        "review_page_ratio": at_small["review_page_ratio"],
        "submit_rps": at_small["submit_rps"],
        "submit_ratio": at_small["submit_ratio"],
    }
    # Each queue page at both sizes: time, queries, and how much the large size costs more.
    for page in QUEUE_PAGES:
        small_ms, large_ms = queue[small][f"{page}_ms"], queue[large][f"{page}_ms"]
        results[f"{page}_{s}_ms"] = small_ms
        results[f"{page}_{l}_ms"] = large_ms
        results[f"{page}_queries_{s}"] = queue[small][f"{page}_queries"]
        results[f"{page}_queries_{l}"] = queue[large][f"{page}_queries"]
        results[f"{page}_growth"] = round(large_ms / small_ms, 3)
    results["queue_queries"] = max(
        figures[f"{page}_queries"] for figures in queue.values() for page in QUEUE_PAGES
    )
    results["queue_growth"] = max(results[f"{page}_growth"] for page in QUEUE_PAGES)
    results.update(
        {
            "submission_page_ms": at_large["submission_page_ms"],
            "flags_per_s": at_small["flags_per_s"],
            "flags_per_s_worst": at_small["flags_per_s_worst"],
            f"seed_{l}_seconds": at_large["seed_seconds"] if at_large["seeded"] else None,
        }
    )
    results.update(http_view(small))
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    (ROOT / "bench-results.json").write_text(json.dumps(results, indent=2) + "\n")
    width = max(len(key) for key in results)
    print(f"{'figure':<{width}}  {'value':>12}  verdict")
    for key, value in results.items():
        shown = "-" if value is None else value
        print(f"{key:<{width}}  {shown!s:>12}  {verdict(key, value) if value is not None else ''}")


if __name__ == "__main__":
    main()
