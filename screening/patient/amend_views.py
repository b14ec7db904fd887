"""The patient's pages to change answers after sending, through their own link (amending.py
does the work): the date-of-birth check, the sections, one section's step (the first visit's
step form, prefilled, with its validation, error summary and follow-ups without JavaScript),
the review of what changes, and a neutral confirmation. No flag is ever shown here; nothing in
the URLs but the section's slug.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from screening.patient import amending
from screening.patient.forms import BirthDateForm, StepForm
from screening.patient.views import _in_language, allow_methods
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.text_policy import without_nul
from screening.visits.amendments import AmendmentInvalid, AmendmentRefused, validate_amended
from throttle.buckets import limit_posts


def _closed(request):
    return render(request, "screening/amend/closed.html", status=410)


def _step_url(section) -> str:
    return reverse("screening:amend_step", args=[section.slug])


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def amend_start(request):
    """/change/: the date-of-birth check on this device, then the sections to change."""
    state = amending.load(request.session)
    if state is not None:
        return render(
            request,
            "screening/amend/sections.html",
            {
                "reference": state.submission.reference,
                "sections": [
                    {
                        "section": section,
                        "url": _step_url(section),
                        "changed": _changed_in(state, section),
                    }
                    for section in state.sections
                ],
                "change_count": len(state.changes),
            },
        )
    submission = amending.gated_submission(request.session)
    if submission is None:
        return _closed(request)
    if submission.amend_locked_at is not None:
        return render(request, "screening/amend/locked.html", status=403)
    if not amending.may_amend(submission):
        return _closed(request)
    form = BirthDateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if amending.confirm_birth_date(
            request.session, submission, form.cleaned_data["date_of_birth"], request=request
        ):
            return redirect("screening:amend")
        if submission.amend_locked_at is not None:
            return render(request, "screening/amend/locked.html", status=403)
        left = settings.SCREENING_RESUME_MAX_FAILURES - submission.amend_birth_date_failures
        form.add_error(
            "date_of_birth",
            _("This date of birth doesn't match the one in your answers.")
            + " "
            + ngettext(
                "You have %(count)s more try before we lock your answers to protect them.",
                "You have %(count)s more tries before we lock your answers to protect them.",
                left,
            )
            % {"count": left},
        )
    return render(request, "screening/amend/gate.html", {"form": form})


def _changed_in(state, section) -> int:
    return sum(1 for qid in section.step_question_ids if qid in state.changes)


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def amend_step(request, slug):
    """One section's answers, as sent (or as changed so far), on the first visit's step form."""
    state = amending.load(request.session)
    if state is None:
        return redirect("screening:amend")
    section = next((item for item in state.sections if item.slug == slug), None)
    if section is None:
        raise Http404
    submission = state.submission
    continued = False
    if request.method == "POST":
        form = StepForm(section, data=request.POST)
        raw = form.raw_answers()
        nav = request.POST.get("nav") or ""
        if nav == "back":
            return redirect("screening:amend")
        if nav.startswith("language-"):
            # As on the first visit: what is typed is kept, the page comes back in the language.
            state.pending[section.key] = without_nul(raw)
            amending.save(request.session, state)
            return _in_language(redirect(request.path), nav.removeprefix("language-"))
        asked = request.POST.getlist("asked")
        later = (
            StepForm(section, initial=raw).still_to_ask(raw, asked)
            if request.POST.get("js") != "1"
            else []
        )
        validated = validate_amended(
            {**state.proposed, **raw},
            submission,
            today=timezone.localdate(),
            only=[qid for qid in section.step_question_ids if qid not in later],
            visit=submission.visit(),
        )
        if validated.is_valid and later:
            # Without JavaScript the follow-ups the answers opened are asked now, on this page.
            form = StepForm(section, initial=raw)
            asked, continued = [*asked, *later], True
        elif validated.is_valid:
            amending.stage(state, section, validated.answers)
            amending.save(request.session, state)
            return redirect("screening:amend_review")
        else:
            for question_id, message in validated.errors.items():
                if question_id in form.fields:
                    form.add_error(question_id, message)
    else:
        amending.page_viewed(state, section.key, request=request)
        form = StepForm(section, initial=state.pending.get(section.key) or state.proposed)
        asked = form.asked()
    return render(
        request,
        "screening/amend/step.html",
        {
            "form": form,
            "section": section,
            "asked": asked,
            "continued": continued,
            "switch_form": "amend-form",
        },
    )


def change_rows(state) -> list[dict]:
    """What changes, in questionnaire order: the question, as sent, as it will be."""
    rows = []
    for section in state.sections:
        for question in section.step_questions:
            if question.id not in state.changes:
                continue
            before = state.submission.answers.get(question.id)
            after = state.changes[question.id]
            rows.append(
                {
                    "section": section,
                    "question": question,
                    "before": display_answer(question, before) if before is not None else None,
                    "after": display_answer(question, after) if after is not None else None,
                    "change_url": f"{_step_url(section)}#div_id_{question.id}",
                }
            )
    return rows


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def amend_review(request):
    """The changes side by side with the answers sent; Send, change more, or stop."""
    state = amending.load(request.session)
    if state is None:
        return redirect("screening:amend")
    if request.method == "POST":
        if request.POST.get("nav") == "cancel":
            amending.cancel(request.session)
            return render(request, "screening/amend/cancelled.html")
        if not state.changes:  # nothing to send: the page says so
            return redirect("screening:amend_review")
        problem = _first_problem(state)
        if problem is not None:
            messages.warning(request, _("Please check the answers on this page."))
            return redirect(_step_url(problem))
        try:
            amending.send(request.session, state, request=request)
        except AmendmentInvalid:  # the answers changed meanwhile: the same check as above
            messages.warning(request, _("Please check your answers again."))
            return redirect("screening:amend")
        except AmendmentRefused:
            return _closed(request)
        return redirect("screening:amend_sent")
    amending.page_viewed(state, "changes", request=request)
    return render(
        request,
        "screening/amend/review.html",
        {"rows": change_rows(state), "reference": state.submission.reference},
    )


def _first_problem(state):
    """The first section whose answers no longer hold together with the changes (a follow-up
    that a change in another section opened), or None."""
    validated = validate_amended(
        state.proposed,
        state.submission,
        today=timezone.localdate(),
        visit=state.submission.visit(),
    )
    for section in state.sections:
        if set(section.step_question_ids) & set(validated.errors):
            return section
    return None


@allow_methods("GET")
@never_cache
def amend_sent(request):
    reference = request.session.get(amending.SENT_KEY)
    if not reference:
        raise Http404
    return render(request, "screening/amend/sent.html", {"reference": reference})
