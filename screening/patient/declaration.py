"""The declaration a patient signs on the review page, and the record of the signature.

The patient types their full name under the declaration (the typed-name signature of ESIGN/UETA
practice, as IntakeQ and REDCap's e-Consent use). A submission stores four plain fields, which
the provider's page, the print view, the CSV export and the FHIR mapping read:

- `signature_name`: the name as typed (NFC, trimmed);
- `signed_at`: when the answers were sent with it (the server's clock, UTC);
- `declaration_version`: which declaration text was signed, e.g. "2026.12-1";
- `declaration_sha256`: the SHA-256 (hex) of that text, UTF-8, in its English source wording
  (the text every translation renders), so that the wording signed can be proven later;
- `language` and `declaration_text_sha256`: the language the patient answered and signed in, and
  the SHA-256 of the declaration exactly as shown in it (for English, the same as the source's).
  A patient answering in Spanish signs the Spanish text: the version says which declaration,
  the language and this hash say which wording of it. The Spanish wording of a signed version is
  frozen like the English (tests/test_declaration_language.py holds its hash).

The typed name is not required to match the patient's first and last name: a parent or guardian
may fill in the form for the patient, and people sign with middle names, initials or another
script. Staff see the signature beside the patient's name. A declaration text, once signed by a
patient, is never edited: a new wording comes with a new questionnaire version (or REVISION).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from screening.questionnaire import definition_for

SIGNATURE_MAX_LENGTH = 200


SIGNING_SENTENCE = _("By typing my full name below, I sign this declaration electronically.")


@dataclass(frozen=True)
class Declaration:
    """What a patient signs: the questionnaire's attestation, then the signing sentence."""

    version: str
    statement: object  # the attestation's wording (lazy: the patient's language on the page)

    def text_in(self, language: str) -> str:
        """The whole declaration as a patient reading `language` is shown it."""
        with override(language):
            return f"{self.statement} {SIGNING_SENTENCE}"

    @property
    def source_text(self) -> str:
        """The English source wording of the whole declaration: what the hash is taken of."""
        return self.text_in("en")

    @property
    def sha256(self) -> str:
        return _sha256(self.source_text)

    def sha256_in(self, language: str) -> str:
        """The SHA-256 of the declaration as shown in `language`."""
        return _sha256(self.text_in(language))


def _sha256(text: str) -> str:
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


# The declaration of each questionnaire version: its `attest_accurate` wording. v1 asks that tick
# box on its last step and v2 on the review page; both sign at the review. The revision after the
# dash changes if the signing sentence ever does.
ATTESTATION_ID = "attest_accurate"
REVISION = 1


def declaration_for(questionnaire_version: str) -> Declaration:
    """The declaration signed with answers given on `questionnaire_version`."""
    statement = definition_for(questionnaire_version).questions[ATTESTATION_ID].label
    return Declaration(version=f"{questionnaire_version}-{REVISION}", statement=statement)


def clean_signature(raw: str) -> str:
    """A typed name as stored: NFC, inner runs of spaces made one, trimmed. Which characters it
    may hold is the policy of every typed text (questionnaire.text_policy), checked by the
    review's form and the submission service."""
    return " ".join(unicodedata.normalize("NFC", raw).split())
