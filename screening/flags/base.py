"""The vocabulary every part of the flag package shares: severity, how dates are read, notes.

The lowest module of `screening.flags`: policy, conditions, catalogue and engine import from
here and never the other way round, so the pieces cannot import each other in a circle.

How dates are read:
- everything is measured from `today`, the submission date;
- a `month_year` answer "YYYY-MM" stands for the 15th of that month, and because it is only
  approximate, when that day lies within 31 days either side of a ⚙ boundary the more cautious
  side applies and the reason says the date is near the boundary;
- `date_of_birth` is exact;
- a missing, "unknown", "unsure" or "prefer not" answer never counts as "no".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

# A month_year answer stands for this day of its month: the middle, so the error is at most half
# a month either way.
MONTH_ANCHOR_DAY = 15
# An approximate date this close to a ⚙ boundary (either side) takes the cautious side.
NEAR_BOUNDARY_DAYS = 31

# Shown for a question that should have been answered but was not (old data, a changed form).
NO_ANSWER = "(no answer)"


class Severity(models.TextChoices):
    """How soon a provider should look at a flag: the one definition, used by the engine, the
    `Flag` model and the admin. Compare with `.rank`, not with `<` on strings."""

    INFO = "info", "Info"
    DISCUSS = "discuss", "Discuss"
    PRIORITY = "priority", "Priority"

    @property
    def rank(self) -> int:
        """0 for info, 1 for discuss, 2 for priority: sort by `-rank` for most severe first."""
        return _SEVERITY_RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> Severity:
        return _BY_RANK[rank]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.DISCUSS: 1, Severity.PRIORITY: 2}
_BY_RANK = {rank: severity for severity, rank in _SEVERITY_RANK.items()}
INFO, DISCUSS, PRIORITY = Severity.INFO, Severity.DISCUSS, Severity.PRIORITY

# A condition takes the evaluation context and returns None (not raised) or a hit: (question ids
# that raised it, extra reason sentences).
Hit = tuple[tuple[str, ...], tuple[str, ...]]
Condition = Callable[[Any], Hit | None]

# Modalities (as recorded by a provider on the review screen) that make HSV_PROPHYLAXIS_POLICY
# apply: fully and fractionally ablative resurfacing.
ABLATIVE_MODALITIES = frozenset({"ablative", "fractional_ablative"})
# Fully ablative (non-fractional) resurfacing: the modality the isotretinoin and phototype
# consensus still advises against (mechanical dermabrasion is treated the same way).
FULLY_ABLATIVE_MODALITIES = frozenset({"ablative"})

ISO_SOURCES_NOTE = (
    "Where sources disagree. 6 months: US isotretinoin package insert, as described by S1; "
    "Health Canada monograph 5–6 months (S3); Italian clinic list 6 months (S33). 12 months: "
    "Mayo Clinic (S5), Sydney consent form (S22). 18 months: some UK surgeons (S32). 1–2 years: "
    "textbook Box 6.2 (S7). No delay is needed for superficial peels, non-ablative lasers and "
    "non-ablative fractional devices (ASDS 2017, S1); JAMA Dermatology 2017 also covers "
    "fractional ablative lasers, manual dermabrasion and cutaneous surgery (S2). Both still "
    "advise against fully ablative laser and mechanical dermabrasion. A 2020 systematic review "
    'found the risk "small to absent" (S4). A 2017 split-face RCT found 1550 nm NAFL safe '
    "within 1 month of stopping (https://pubmed.ncbi.nlm.nih.gov/28853175/)."
)

ANTICOAGULANT_NOTE = (
    "Sources disagree. S9 (textbook-derived) suggests stopping aspirin or anticoagulants 10 days "
    "before if possible. S22 (one clinic's consent form) lists current anticoagulants as a "
    "contraindication to fractional CO2. S27 (a dermatologist's Q&A) reports routinely treating "
    "anticoagulated patients with fractional lasers, with only longer pinpoint bleeding, and "
    "stresses never stopping an anticoagulant without the prescribing doctor. The difference is "
    "largest between fractional and fully ablative (non-fractional) CO2. The software must never "
    "tell the patient to stop any medicine."
)

ABLATIVE_WINDOW_NOTE = (
    "For previous ablative laser the {policy.ablative_after_ablative_months}-month "
    "ablative-after-ablative window is applied, because the modality being considered is not "
    "known at submission."
)
TREATMENT_DATE_UNKNOWN_NOTE = (
    "The patient does not remember when a previous treatment was, so it is treated as possibly "
    "recent: an unknown date never counts as outside the window."
)
EVENT_DATE_UNKNOWN_NOTE = (
    "No event date was given, so the event is treated as possibly within the window."
)
