"""Where a re-screen's draft continues (read by the first visit's views too, which send a
re-screen's draft here rather than to the whole questionnaire's steps)."""

from __future__ import annotations

from django.urls import reverse

from screening.patient.rescreen import pages


def is_rescreen(draft) -> bool:
    """A short re-screen's draft, bound to this device. (One still provisional had no date of
    birth to hold, its previous submission erased: it is answered as a whole questionnaire; so
    is the full questionnaire of screening/patient/rescreen/full.py.)"""
    return bool(
        draft
        and draft.previous_submission_id
        and draft.saved_id
        and not draft.provisional
        and not draft.full_questionnaire  # everything stale: the first visit's steps ask it
    )


def step_url(step: pages.Step) -> str:
    return reverse("screening:rescreen_step", args=[step.slug])


def first_unfinished(draft) -> pages.Step | None:
    return next((step for step in pages.STEPS if step.key not in draft.completed), None)


def continue_url(draft) -> str:
    """The welcome page before anything is answered, else the first unfinished step, else the
    check page."""
    if not any(step.key in draft.completed for step in pages.STEPS) and not draft.pending:
        return reverse("screening:rescreen")
    unfinished = first_unfinished(draft)
    return step_url(unfinished) if unfinished else reverse("screening:rescreen_check")
