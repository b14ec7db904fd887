"""docs/configuration.md lists exactly the environment variables the code reads; .env.example
(the container stack's) lists every one of them too."""

import re

from tests.docs.environment import ROOT, variables_read

FOLDERS = ("clinic", "screening", "throttle")


def read_anywhere() -> set[str]:
    return set().union(*(variables_read(folder) for folder in FOLDERS))


def documented() -> set[str]:
    rows = [
        line for line in (ROOT / "docs" / "configuration.md").read_text().splitlines()
        if line.startswith("| `")
    ]  # fmt: skip
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_variable_read_is_documented():
    assert read_anywhere() - documented() == set()


def test_every_documented_variable_is_read():
    assert documented() - read_anywhere() == set()


def test_the_finder_sees_the_ways_settings_read_the_environment():
    found = read_anywhere()
    # env_int(...), a multi-line env_str(...), `"PGSSLMODE" in os.environ`, os.environ.get in
    # the gunicorn conf, dj_database_url.config(env=...)
    assert {"STAFF_SESSION_IDLE_MINUTES", "SCREENING_FHIR_BASE_URL", "PGSSLMODE", "PORT"} <= found
    assert "DATABASE_URL" in found


def test_env_example_names_every_variable():
    text = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert read_anywhere() - named == set()
