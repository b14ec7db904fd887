"""The environment variables the project's code reads, found in its source (clinic/): calls of
the settings' env_* helpers, os.environ.get, os.getenv, os.environ[...], `"X" in os.environ`, and
dj_database_url.config(env=...)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = {"env_str", "env_bool", "env_int", "env_list", "getenv"}


def _name_of(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name_of(node.value)}.{node.attr}"
    return ""


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isupper():
        return node.value
    return None


def variables_read(folder: str = "clinic") -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                called = _name_of(node.func)
                reads = called.split(".")[-1] in READERS or called.endswith("environ.get")
                if reads and node.args and _literal(node.args[0]):
                    found.add(node.args[0].value)
                for keyword in node.keywords:
                    if keyword.arg == "env" and _literal(keyword.value):
                        found.add(keyword.value.value)
            elif isinstance(node, ast.Subscript) and _name_of(node.value).endswith("environ"):
                if _literal(node.slice):
                    found.add(node.slice.value)
            elif (
                isinstance(node, ast.Compare)
                and _literal(node.left)
                and any(_name_of(c).endswith("environ") for c in node.comparators)
            ):
                found.add(node.left.value)
    found.discard("DJANGO_SETTINGS_MODULE")  # set by the entry points, not by a deployer
    return found
