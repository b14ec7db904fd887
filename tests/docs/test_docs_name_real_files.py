"""Every file or folder of the repository that the README and docs/ name exists: a moved or
renamed module fails here rather than leaving the documentation pointing at nothing."""

import re

import pytest

from tests.docs.environment import ROOT

DOCUMENTS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]
TOP = ("screening/", "clinic/", "tests/", "throttle/", "bench/", "assets/", "locale/",
       "templates/", "static/", "containers/", "docs/", ".ci/")  # fmt: skip
PATH = re.compile(r"`((?:{})[A-Za-z0-9_./-]*)`".format("|".join(re.escape(top) for top in TOP)))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_named_paths_exist(document):
    missing = []
    for path in PATH.findall(document.read_text()):
        target = path.split("::")[0].rstrip(".")
        if "<" in target or "*" in target:
            continue
        if not (ROOT / target).exists():
            missing.append(path)
    assert missing == []
