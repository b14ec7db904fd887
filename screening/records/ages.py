"""Ages from a stored date of birth: the exact age staff see beside a name, and the ten-year band
a de-identified export keeps instead of the date."""

from __future__ import annotations

from datetime import date


def age_on(born: date | None, today: date) -> int | None:
    """Whole years from `born` to `today` (None when unknown or erased)."""
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_band(age: int | None) -> str:
    """A ten-year band for de-identified exports ("30-39"; "90+"; "" when unknown)."""
    if age is None:
        return ""
    if age < 18:
        return "under 18"
    if age >= 90:
        return "90+"
    low = age // 10 * 10
    return f"{max(low, 18)}-{low + 9}"
