"""Watching the gateways: does a "Do any of these apply?" list draw fewer "yes" answers than the
yes/no questions it replaced?

Checklists draw fewer endorsements than forced yes/no questions (respondents read the items less
deeply), so 2027.01's gateways are watched: for the first N submissions of 2027.01, each
gateway item's endorsement rate is compared with the rate of the v2 question it replaced over
the last N submissions of 2026.12. An item whose rate fell by more than a third goes back to a
question of its own in the next version (the one-third threshold is the clinical lead's
expert opinion). Pure: takes answer dicts, returns rows; `manage.py gateway_endorsement` reads
the submissions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from screening.flags.derivation import FROM_ITEMS, NOT_SHOWN

FELL_BY_MORE_THAN = 1 / 3


def _yes(question_id: str) -> Callable[[Mapping], bool]:
    return lambda answers: answers.get(question_id) == "yes"


def _listed(question_id: str, *not_counted: str) -> Callable[[Mapping], bool]:
    def endorsed(answers: Mapping) -> bool:
        value = answers.get(question_id)
        return isinstance(value, list) and any(key not in not_counted for key in value)

    return endorsed


def _has(question_id: str, key: str) -> Callable[[Mapping], bool]:
    def endorsed(answers: Mapping) -> bool:
        value = answers.get(question_id)
        return isinstance(value, list) and key in value

    return endorsed


@dataclass(frozen=True)
class Item:
    """One row: the gateway items ticked in 2027.01, and the v2 answer they replaced."""

    name: str
    gateway: str
    items: tuple[str, ...]
    v2_endorsed: Callable[[Mapping], bool] | None  # None: nothing asked it in v2


def _items() -> tuple[Item, ...]:
    rows = []
    for question_id, source in FROM_ITEMS.items():
        if question_id == "allergies_any":
            continue  # "any allergy" is the whole list, not an item
        rows.append(Item(question_id, source.gateway, source.items, _yes(question_id)))
    for question_id, source in NOT_SHOWN.items():
        not_counted = {
            "skin_conditions": ("none", "light_patches"),
            "diabetes": ("no",),
        }.get(question_id, ("none", "unsure", "other_unsure"))
        if question_id == "diabetes":
            endorsed = lambda answers: answers.get("diabetes") not in (None, "no")  # noqa: E731
        else:
            endorsed = _listed(question_id, *not_counted)
        rows.append(Item(question_id, source.gateway, (source.item,), endorsed))
    rows.append(
        Item(
            "skin_conditions: light_patches",
            "skin_history",
            ("light_patches",),
            _has("skin_conditions", "light_patches"),
        )
    )
    # Already a list in v2 (not a forced choice): compared all the same, for the record.
    for key in ("open_wound", "infection", "acne_breakout", "rash_flare", "sunburn"):
        rows.append(
            Item(
                f"current_skin_problems_area: {key} (a list in v2 too)",
                "current_skin_problems_area",
                (key,),
                _has("current_skin_problems_area", key),
            )
        )
    rows.append(
        Item("health_conditions: kidney_liver (new)", "health_conditions", ("kidney_liver",), None)
    )
    return tuple(rows)


ITEMS = _items()


@dataclass(frozen=True)
class Row:
    item: Item
    v2_rate: float | None
    v3_rate: float

    @property
    def fell_by_more_than_a_third(self) -> bool:
        if self.v2_rate is None or self.v2_rate == 0:
            return False
        return self.v3_rate < self.v2_rate * (1 - FELL_BY_MORE_THAN)


def endorsement_rows(v3_answers: Iterable[Mapping], v2_answers: Iterable[Mapping]) -> list[Row]:
    """Each item's endorsement rate among the 2027.01 answer sets (ticked in its gateway; a
    "not sure" is not an endorsement) and the rate of the v2 answer it replaced."""
    v3 = [answers for answers in v3_answers if answers]
    v2 = [answers for answers in v2_answers if answers]
    rows = []
    for item in ITEMS:
        ticked = sum(
            1
            for answers in v3
            if isinstance(answers.get(item.gateway), list)
            and any(key in answers[item.gateway] for key in item.items)
        )
        v3_rate = ticked / len(v3) if v3 else 0.0
        v2_rate = None
        if item.v2_endorsed is not None and v2:
            v2_rate = sum(1 for answers in v2 if item.v2_endorsed(answers)) / len(v2)
        rows.append(Row(item, v2_rate, v3_rate))
    return rows
