"""bench/lighthouse.py stops with the cause when Lighthouse cannot run, never printing scores it
did not measure; its lockfile installs (`npm ci`)."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench import lighthouse


def test_without_node_or_npm_it_stops_and_says_so():
    with pytest.raises(lighthouse.LighthouseUnavailable, match="needs node and npm"):
        lighthouse.lighthouse_command(which=lambda tool: None)


def test_a_failing_npm_ci_stops_it(monkeypatch, tmp_path):
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", tmp_path / "missing" / "lighthouse")
    failed = SimpleNamespace(returncode=1)
    with pytest.raises(lighthouse.LighthouseUnavailable, match=r"`npm ci` .* failed \(exit 1\)"):
        lighthouse.lighthouse_command(run=lambda *a, **k: failed, which=lambda tool: "/usr/bin/x")


def test_an_installed_lighthouse_is_used(monkeypatch, tmp_path):
    binary = tmp_path / "lighthouse"
    binary.write_text("")
    monkeypatch.setattr(lighthouse, "LIGHTHOUSE", binary)
    assert lighthouse.lighthouse_command(which=lambda tool: "/usr/bin/x") == [str(binary)]


def test_the_lockfile_has_every_package_lighthouse_needs():
    """`npm ci` refused the lockfile ("Missing: third-party-web@0.30.0"): the nested copy that
    @paulirish/trace_engine asks for must be locked."""
    lock = json.loads((Path(lighthouse.NPM_DIR) / "package-lock.json").read_text())
    packages = lock["packages"]
    assert "node_modules/@paulirish/trace_engine/node_modules/third-party-web" in packages
    for path, package in packages.items():
        for name in package.get("dependencies", {}):
            nested = f"{path}/node_modules/{name}" if path else f"node_modules/{name}"
            parent, found = path, nested in packages
            while not found and parent:
                parent = parent.rsplit("/node_modules/", 1)[0] if "/node_modules/" in parent else ""
                found = (f"{parent}/node_modules/{name}" if parent else f"node_modules/{name}") in (
                    packages
                )
            assert found, f"{path or 'root'} needs {name}, which the lockfile lacks"
