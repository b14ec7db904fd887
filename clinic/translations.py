"""Compile the message catalogues (locale/<lang>/LC_MESSAGES/*.po -> .mo) with Python alone.

Django's `compilemessages` needs GNU gettext's msgfmt, which a machine with only Python lacks;
Babel reads and writes the same formats. Fuzzy entries are left out, as msgfmt does: a fuzzy
translation is a guess nobody has checked (tests/clinic/test_translations.py refuses them anyway).
The .mo files are build outputs, never committed: `make run`, `make test` and the test suite
compile them first.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def _compiled(po_path: Path) -> bytes:
    """The .mo of the .po at `po_path`, as `compile_catalogues` writes it."""
    with po_path.open("rb") as source:
        catalogue = read_po(source, locale=po_path.parent.parent.name)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


def stale_catalogues(locale_dir: Path) -> list[Path]:
    """The .mo files under `locale_dir` that are missing or not compiled from the .po beside
    them as it is now (a process reading them would speak older words)."""
    return [
        po_path.with_suffix(".mo")
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po"))
        if not po_path.with_suffix(".mo").is_file()
        or po_path.with_suffix(".mo").read_bytes() != _compiled(po_path)
    ]


def compile_catalogues(locale_dir: Path) -> list[Path]:
    """Write the .mo beside every .po under `locale_dir`; returns the .mo paths written.

    Each file is written to a temporary name and renamed, so a process reading the catalogue
    (another test worker, a running server) never sees half a file.
    """
    written = []
    for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
        language = po_path.parent.parent.name
        with po_path.open("rb") as source:
            catalogue = read_po(source, locale=language)
        mo_path = po_path.with_suffix(".mo")
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(handle, "wb") as target:
                write_mo(target, catalogue, use_fuzzy=False)
            os.replace(temporary, mo_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(mo_path)
    return written
