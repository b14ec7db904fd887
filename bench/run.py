"""`make bench`: how fast the app is against the floor of Django itself, and how it scales.

    python bench/run.py [--sizes 1000,100000]

Uses DATABASE_URL's server when set (PostgreSQL: one database per size, named
<name>_bench_<size>, created when missing), else SQLite files in bench/. Seeded databases are
reused between runs. Prints a table and writes bench-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
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


def database_url_for(size: int) -> str:
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{ROOT / 'bench' / f'bench-{size}.sqlite3'}"
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'prescreen'}_bench_{size}"
    ensure_postgres_database(base, name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_postgres_database(base_url: str, name: str) -> None:
    import psycopg

    parts = urlsplit(base_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def measure(size: int, *, ratios: bool) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "measure.py"), "--size", str(size)]
    if ratios:
        command.append("--ratios")
    env = {**os.environ, "DATABASE_URL": database_url_for(size)}
    output = subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


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
    if key not in TARGETS:
        return ""
    comparison, target = TARGETS[key]
    met = value >= target if comparison == ">=" else value <= target
    return f"{'ok ' if met else 'MISS'} (target {comparison} {target})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    options = parser.parse_args()
    small, large = (int(size) for size in options.sizes.split(","))
    started = time.perf_counter()
    at_small = measure(small, ratios=True)
    at_large = measure(large, ratios=False)
    results = {
        "database": at_small["vendor"],
        "floor_rps": at_small["floor_rps"],
        "step_page_rps": at_small["step_page_rps"],
        "step_page_ratio": at_small["step_page_ratio"],
        "review_page_rps": at_small["review_page_rps"],
        "review_page_ratio": at_small["review_page_ratio"],
        "submit_rps": at_small["submit_rps"],
        "submit_ratio": at_small["submit_ratio"],
        "queue_1k_ms": at_small["queue_ms"],
        "queue_100k_ms": at_large["queue_ms"],
        "queue_queries": max(at_small["queue_queries"], at_large["queue_queries"]),
        "queue_queries_1k": at_small["queue_queries"],
        "queue_queries_100k": at_large["queue_queries"],
        "queue_growth": round(at_large["queue_ms"] / at_small["queue_ms"], 3),
        "submission_page_ms": at_large["submission_page_ms"],
        "flags_per_s": at_small["flags_per_s"],
        "flags_per_s_worst": at_small["flags_per_s_worst"],
        "seed_100k_seconds": at_large["seed_seconds"] if at_large["seeded"] else None,
    }
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
