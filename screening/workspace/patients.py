"""The same person across submissions: a returning patient, and their other submissions.

Two submissions are the same person when they share a date of birth and either the same name
(first and last, normalized: case, accents, spaces, hyphens and apostrophes ignored) or the
same email (case ignored). Each pair alone is weak (two patients share a birthday; a couple
share an email; a name is common), a birth date with either is what a front desk would accept.
The date of birth narrows first (it is indexed), the names are compared here: a database
cannot compare names without accents the same way on SQLite and PostgreSQL. Retention-erased
submissions (no date of birth) match nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from screening.models import Submission
from screening.staff.routing import OPEN_STATUSES

# A birthday shared by this many others is not worth comparing further on one page.
CANDIDATES_PER_BIRTH_DATE = 200


def normalized_name(first: str, last: str) -> str:
    """ "José  María-O'Neil" -> "jose maria o neil": what a person types differently each time."""
    text = unicodedata.normalize("NFKD", f"{first} {last}")
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _key_fields(row) -> tuple[str, str]:
    return normalized_name(row.first_name, row.last_name), (row.email or "").strip().casefold()


def is_same_person(one, other) -> bool:
    if one.pk == other.pk or one.date_of_birth is None or one.date_of_birth != other.date_of_birth:
        return False
    name, email = _key_fields(one)
    other_name, other_email = _key_fields(other)
    return bool(name and name == other_name) or bool(email and email == other_email)


@dataclass(frozen=True)
class Related:
    """Another submission of the same person, as a link."""

    pk: int
    reference: str
    submitted_at: object
    status: str
    is_open: bool
    earlier: bool

    @property
    def status_label(self) -> str:
        return Submission.Status(self.status).label


_FIELDS = ("id", "reference", "submitted_at", "status", "first_name", "last_name", "email")


def related_by_submission(rows, visible) -> dict[int, list[Related]]:
    """For each of `rows`: the other submissions of the same person that the user may open
    (`visible`), newest first. One query for a whole page of the queue."""
    births = {row.date_of_birth for row in rows if row.date_of_birth is not None}
    if not births:
        return {}
    candidates = defaultdict(list)
    for other in (
        visible.filter(date_of_birth__in=births)
        .only(*_FIELDS, "date_of_birth")
        .order_by("-submitted_at", "-id")[: CANDIDATES_PER_BIRTH_DATE * len(births)]
    ):
        candidates[other.date_of_birth].append(other)
    result = {}
    for row in rows:
        result[row.pk] = [
            Related(
                pk=other.pk,
                reference=other.reference,
                submitted_at=other.submitted_at,
                status=other.status,
                is_open=other.status in OPEN_STATUSES,
                earlier=(other.submitted_at, other.pk) < (row.submitted_at, row.pk),
            )
            for other in candidates.get(row.date_of_birth, ())
            if is_same_person(row, other)
        ]
    return result


def earlier_of_same_person(submission, visible):
    """The same person's submissions before this one that the user may open, newest first
    (full rows: their answers are compared)."""
    earlier = [
        related.pk
        for related in related_by_submission([submission], visible).get(submission.pk, [])
        if related.earlier
    ]
    rows = visible.filter(pk__in=earlier).order_by("-submitted_at", "-id")
    return list(rows[:10])
