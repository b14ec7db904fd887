"""The installed version (pyproject.toml's), shown in the staff footer, /healthz and /readyz."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("laser-prescreen")
except PackageNotFoundError:  # a checkout run without being installed
    VERSION = "unknown"
