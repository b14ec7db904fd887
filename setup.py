"""Build step that pyproject.toml cannot say: the wheel carries compiled message catalogues.

The .mo files are build outputs, never committed (clinic/translations.py); an installed app has no
checkout to compile them in, so the wheel gets them compiled from locale/*.po, with Babel, as
`manage.py compile_translations` does in a checkout.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogues(build_py):
    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target = Path(self.build_lib) / "clinic" / "locale"
        for po_path in sorted(Path("locale").glob("*/LC_MESSAGES/*.po")):
            language = po_path.parent.parent.name
            with po_path.open("rb") as source:
                catalogue = read_po(source, locale=language)
            mo_path = target / po_path.relative_to("locale").with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as out:
                write_mo(out, catalogue, use_fuzzy=False)


setup(cmdclass={"build_py": BuildPyWithCatalogues})
