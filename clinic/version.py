"""The installed version (pyproject.toml's), shown in the staff footer, /healthz and /readyz."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("laser-prescreen")
except PackageNotFoundError:  # a checkout run without being installed
    VERSION = "unknown"


def version_context(request) -> dict:
    """A context processor: `app_version` in every template (the staff footer shows it)."""
    return {"app_version": VERSION}
