"""Clinic policy: the ⚙ windows of the flag rules, read from settings, and the rules version.

A non-default window changes what the rules raise, so the rules version stamped on every flag
carries a hash of it (`rules_version`).
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# 2026.11.1: the first rules; 2026.12.1: the rules of questionnaire 2026.12 (new and changed
# flags, new windows); 2027.01.1: the rules of questionnaire 2027.01 (gateways read through
# flags/derivation.py, modality-aware isotretinoin and phototype flags, quieter flags for
# ordinary patients); 2027.02.1: the rules of questionnaire 2027.02 (return visits: the course
# of the last treatment here, a lifetime yes kept, a series session's modality flags at
# submission, changes since the previous form: flags/return_visit.py). The data dictionary
# (docs/data-dictionary) lists each version's rules.
RULES_VERSION = "2027.02.1"


@dataclass(frozen=True)
class Policy:
    """The clinic-policy windows (marked ⚙ in the rules' plain words), with their defaults.

    A field's unit is the end of its name (`_months`, `_weeks`, `_years`). Four fields are
    informational only, because the question wording fixes the window the patient answered for:
    `recent_sun_weeks` and `sun_caution_months` (the `last_significant_sun` choices say "within
    the last 4 weeks" and "1–2 months ago") and `self_tanner_weeks` (the question says "in the
    last 2 weeks"), and `hair_removal_weeks` (v2: "In the last 2 weeks, have you waxed ...").
    They are kept so that the clinic's policy is recorded and versioned; changing
    them needs a change of question wording too.
    """

    isotretinoin_priority_months: int = 6
    isotretinoin_discuss_months: int = 12
    recent_sun_weeks: int = 4
    sun_caution_months: int = 2
    self_tanner_weeks: int = 2
    recent_resurfacing_months: int = 6
    ablative_after_ablative_months: int = 12
    filler_toxin_weeks: int = 2
    event_horizon_months: int = 3
    adult_age_years: int = 18
    # New in rules 2026.12.1.
    recent_light_procedure_weeks: int = 4
    facial_surgery_months: int = 6
    recent_quit_weeks: int = 4
    acitretin_years: int = 3
    hair_removal_weeks: int = 2
    # New in rules 2027.01.1: how long after field treatment for precancers (5-FU, imiquimod,
    # PDT) the skin may still be inflamed; it adds a sentence, it raises nothing by itself.
    precancer_treatment_weeks: int = 4

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            # bool is an int subclass; `true` in a JSON setting is a mistake, not 1 month.
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{field.name} must be a whole number of 0 or more, got {value!r}")
        if self.isotretinoin_priority_months > self.isotretinoin_discuss_months:
            raise ValueError(
                "isotretinoin_priority_months cannot exceed isotretinoin_discuss_months"
            )
        # The ablative-after-ablative window is the longer, more cautious one: a second ablative
        # treatment on skin still remodelling from the first risks scarring.
        if self.ablative_after_ablative_months < self.recent_resurfacing_months:
            raise ValueError(
                "ablative_after_ablative_months cannot be shorter than recent_resurfacing_months"
            )

    def overrides(self) -> dict[str, int]:
        """The fields that differ from the defaults."""
        return {
            field.name: getattr(self, field.name)
            for field in fields(self)
            if getattr(self, field.name) != field.default
        }


POLICY_KEYS = tuple(field.name for field in fields(Policy))
DEFAULT_POLICY = Policy()


def policy_fields_in(text: str) -> tuple[str, ...]:
    """The Policy fields a text names as `{policy.<field>}` (a rule's description, a note), in
    order, without repeats. A name that is not a Policy field raises ValueError."""
    named = []
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is None:
            continue
        name = field.removeprefix("policy.")
        if name == field or name not in POLICY_KEYS:
            raise ValueError(f"{{{field}}} in {text!r} names no Policy field")
        named.append(name)
    return tuple(dict.fromkeys(named))


def current_policy() -> Policy:
    """The clinic's policy: the defaults with `settings.SCREENING_FLAG_POLICY` applied on top.

    The setting is a dict of overrides keyed by `Policy` field names; absent or empty means the
    defaults. Unknown keys or bad values raise ImproperlyConfigured, because a misspelt window
    that silently fell back to the default would hide a policy decision.
    """
    overrides = getattr(settings, "SCREENING_FLAG_POLICY", None)
    if not overrides:  # the common case, on every evaluation: skip building the cache key
        return DEFAULT_POLICY
    if not isinstance(overrides, Mapping):
        raise ImproperlyConfigured("SCREENING_FLAG_POLICY must be a dict of Policy fields.")
    try:
        # Cached by content, so a test's settings override is seen at once. The key holds each
        # value's type, because True == 1 and 6.0 == 6 would otherwise share a valid entry.
        key = tuple(sorted((name, type(value), value) for name, value in overrides.items()))
        return _policy_from_items(key)
    except TypeError:  # unhashable or unsortable: build uncached so that the checks report it
        return _build_policy(dict(overrides))


@lru_cache(maxsize=16)
def _policy_from_items(items: tuple) -> Policy:
    return _build_policy({name: value for name, _type, value in items})


def _build_policy(overrides: dict) -> Policy:
    unknown = sorted(set(overrides) - set(POLICY_KEYS))
    if unknown:
        raise ImproperlyConfigured(
            f"SCREENING_FLAG_POLICY has unknown keys {unknown}; allowed: {list(POLICY_KEYS)}"
        )
    try:
        return Policy(**overrides)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(f"SCREENING_FLAG_POLICY: {error}") from None


def _rules_version(policy: Policy) -> str:
    # Hashing a Policy hashes all its fields: the defaults, read on every evaluation, skip that.
    return RULES_VERSION if policy is DEFAULT_POLICY else _versioned(policy)


@lru_cache(maxsize=64)
def _versioned(policy: Policy) -> str:
    changed = policy.overrides()
    if not changed:
        return RULES_VERSION
    canonical = json.dumps(changed, sort_keys=True, separators=(",", ":"))
    return f"{RULES_VERSION}+policy.{hashlib.sha256(canonical.encode()).hexdigest()[:8]}"


def rules_version(policy: Policy | None = None) -> str:
    """The version stamped on flags: RULES_VERSION, plus a hash of any non-default ⚙ window.

    Changing a window changes what the rules raise, so flags produced under it must say so.
    The hash depends only on the non-default values, so it is stable across processes.
    """
    return _rules_version(policy if policy is not None else current_policy())
