"""The returning patient's short re-screen: welcome, three steps, check and send.

Opened through the invitation's normal link and date-of-birth check (the draft holds the date of
birth from the start, screening/patient/drafts.py), saved at every button like the first visit's
steps. Views are thin: `pages.Rescreen` says what a page holds, the carry-over rules
(screening/questionnaire/carry_over.py) what is carried, `submission_create` saves the result.
Every button is a submit button of one form per page, so nothing needs JavaScript and nothing
typed is lost: "Still true" and "Change" on a card keep the page's typing, like Back.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from screening.models import SavedDraft
from screening.patient import drafts
from screening.patient.forms import ReviewForm, summary_label
from screening.patient.rescreen import pages
from screening.patient.rescreen.forms import PageForm
from screening.patient.rescreen.links import first_unfinished as _first_unfinished
from screening.patient.rescreen.links import is_rescreen, step_url
from screening.patient.submission import AnswersInvalid, submission_create
from screening.patient.views import _draft_or_redirect, _in_language, allow_methods
from screening.questionnaire.answer_types import display_answer
from screening.questionnaire.validation import is_blank, validate_answers
from screening.questionnaire.visit import VISIT_KEY
from screening.visits import rescreen as rescreen_service
from throttle.buckets import limit_posts


def _load(request):
    """(Rescreen, None), or (None, the page to show instead)."""
    draft, go_back = _draft_or_redirect(request)
    if go_back:
        return None, go_back
    if not is_rescreen(draft) or draft.provisional:
        return None, redirect("screening:landing")
    saved = SavedDraft.objects.select_related("invitation__previous_submission").get(
        pk=draft.saved_id
    )
    return (
        pages.Rescreen(
            draft=draft,
            saved=saved,
            invitation=saved.invitation,
            today=timezone.localdate(),
            months=rescreen_service.carry_over_months(),
        ),
        None,
    )


def _save(request, screen: pages.Rescreen) -> None:
    drafts.save(request.session, screen.draft)
    SavedDraft.objects.filter(pk=screen.draft.saved_id).update(rescreen=screen.state)


def _context(screen: pages.Rescreen) -> dict:
    return {
        "form_date": screen.form_date_words,
        "idle_minutes": settings.SCREENING_DRAFT_IDLE_MINUTES,
        "saved_in_database": True,
        "invited": True,
        "may_save_for_later": False,
    }


@allow_methods("GET")
@never_cache
def welcome(request):
    screen, go_back = _load(request)
    if go_back:
        return go_back
    return render(
        request,
        "screening/rescreen/landing.html",
        {"start_url": step_url(_first_unfinished(screen.draft) or pages.SINCE), **_context(screen)},
    )


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def step(request, slug):
    chosen = pages.STEPS_BY_SLUG.get(slug)
    if chosen is None:
        raise Http404
    screen, go_back = _load(request)
    if go_back:
        return go_back
    draft = screen.draft
    index = pages.STEPS.index(chosen)
    unfinished = _first_unfinished(draft)
    if unfinished is not None and pages.STEPS.index(unfinished) < index:
        return redirect(step_url(unfinished))
    section_key = pages.step_section(chosen, ()).key
    pending = draft.pending.get(section_key)
    shown = screen.page(chosen, pending)

    def page_form(page, **kwargs):
        section = pages.step_section(chosen, page["questions"])
        answers = screen.merged(kwargs.pop("posted", None) or pending)
        context = {qid: value for qid, value in answers.items() if qid not in section.question_ids}
        return PageForm(
            section,
            definition=screen.definition,
            context={**context, VISIT_KEY: screen.visit},
            **kwargs,
        )

    if request.method == "POST":
        form = page_form(shown, data=request.POST)
        raw = form.raw_answers()
        nav = request.POST.get("nav") or "next"
        if nav != "next":
            draft.pending[section_key] = raw
            if section_key in draft.pending and chosen.key in draft.completed:
                draft.completed.remove(chosen.key)
            return _after_button(request, screen, chosen, nav)
        after = screen.page(chosen, raw)
        came_to_apply = [
            question.id
            for question in after["questions"]
            if question.id not in {q.id for q in shown["questions"]}
            and is_blank(raw.get(question.id))
        ]
        later = []
        if request.POST.get("js") != "1":
            later = form.still_to_ask(raw, request.POST.getlist("asked"))
        if came_to_apply or later:
            # Questions that apply now (follow-ups, the medicine list to edit): the page again,
            # with them, and nothing lost.
            draft.pending[section_key] = raw
            _save(request, screen)
            return redirect(step_url(chosen))
        form = page_form(after, data=request.POST, posted=raw)
        page_ids = [question.id for question in after["questions"]]
        validated = validate_answers(
            {**screen.merged(), **raw},
            today=screen.today,
            version=draft.questionnaire_version,
            only=page_ids,
            visit=screen.visit,
        )
        undecided = [card for card in after["cards"] if not card.state and card.lines]
        if validated.is_valid and not undecided:
            for qid in page_ids:
                if qid in validated.answers:
                    draft.answers[qid] = validated.answers[qid]
                else:
                    draft.answers.pop(qid, None)
            draft.pending.pop(section_key, None)
            if chosen.key not in draft.completed:
                draft.completed.append(chosen.key)
            _save(request, screen)
            following = _first_unfinished(draft)
            return redirect(step_url(following) if following else "screening:rescreen_check")
        for qid, message in validated.errors.items():
            if qid in form.fields:
                form.add_error(qid, message)
        for card in undecided:
            form.card_undecided(card.key, card.title)
            card.error = True
        shown = after
        asked = request.POST.getlist("asked")
    else:
        form = page_form(shown, initial=screen.initial(chosen, shown["questions"]))
        asked = form.asked()
    return render(
        request,
        "screening/rescreen/step.html",
        {
            "form": form,
            "step": chosen,
            "step_number": index + 1,
            "step_count": len(pages.STEPS),
            "summary": form.summary_errors()
            if (form.is_bound and (form.errors or form.card_errors))
            else [],
            "cards": [_card_context(form, card) for card in shown["cards"]],
            "before": [form.question_html(question) for question in shown["before"]],
            "after": [form.question_html(question) for question in shown["after"]],
            "medicine_list": shown["medicine_list"],
            "asked": asked,
            "back_url": step_url(pages.STEPS[index - 1])
            if index
            else reverse("screening:rescreen"),
            "still_true_step": chosen is pages.STILL_TRUE,
            "switch_form": "step-form",  # the language switch keeps what is typed
            **_context(screen),
        },
    )


def _card_context(form: PageForm, card: pages.CardView) -> dict:
    return {
        "key": card.key,
        "title": card.title,
        "lines": card.lines,
        "state": card.state,
        "error": getattr(card, "error", False),
        "questions": [form.question_html(question) for question in card.questions],
    }


def _after_button(request, screen: pages.Rescreen, chosen: pages.Step, nav: str):
    """Back, the language switch, a card's Still true or Change: the page's typing is kept."""
    state = screen.state
    if nav == "back":
        _save(request, screen)
        index = pages.STEPS.index(chosen)
        return redirect(step_url(pages.STEPS[index - 1]) if index else "screening:rescreen")
    if nav.startswith("language-"):
        _save(request, screen)
        language = nav.removeprefix("language-")
        if language in dict(settings.LANGUAGES):
            drafts.language_chosen(request.session, language)
        return _in_language(redirect(step_url(chosen)), language)
    action, _sep, key = nav.partition("-")
    keys = [card.key for card in screen.cards_of(chosen)]
    if key not in keys or action not in ("confirm", "change"):
        _save(request, screen)
        return redirect(step_url(chosen))
    confirmed = [k for k in state[pages.CONFIRMED] if k != key]
    opened = [k for k in state[pages.OPENED] if k != key]
    if action == "confirm":
        confirmed.append(key)
        following = keys[keys.index(key) + 1 :]
        anchor = f"#card-{following[0]}" if following else "#after-cards"
    else:
        opened.append(key)
        anchor = f"#card-{key}"
    screen.state = {pages.CONFIRMED: confirmed, pages.OPENED: opened}
    _save(request, screen)
    return redirect(step_url(chosen) + anchor)


def _declaration_questions(screen: pages.Rescreen):
    """The declaration, and the privacy acknowledgement only when it is not carried over."""
    return tuple(
        question
        for question in screen.definition.review_questions
        if screen.plan.outcomes.get(question.id) is not pages.co.Outcome.UNSHOWN
    )


def _today_rows(screen: pages.Rescreen) -> list[dict]:
    """What the patient told us today, in questionnaire order, each with its step to change it."""
    rows = []
    for qid, question in screen.definition.questions.items():
        value = screen.answered.get(qid)
        if is_blank(value) or question.asked_at_review:
            continue
        worded = screen.worded(question)
        rows.append(
            {
                "label": summary_label(worded),
                "answer": display_answer(question, value),
                "change_url": step_url(screen.step_of(qid)),
            }
        )
    return rows


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def check(request):
    screen, go_back = _load(request)
    if go_back:
        return go_back
    draft = screen.draft
    unfinished = _first_unfinished(draft)
    if unfinished is not None:
        return redirect(step_url(unfinished))
    declaration = SimpleNamespace(review_questions=_declaration_questions(screen))
    if request.method == "POST":
        form = ReviewForm(declaration, data=request.POST)
        signed = form.raw_answers()
        declared = validate_answers(
            {**screen.merged(), **signed},
            today=screen.today,
            version=draft.questionnaire_version,
            only=[question.id for question in declaration.review_questions],
            visit=screen.visit,
        )
        for qid, message in declared.errors.items():
            form.add_error(qid, message)
        if form.check_signature() and declared.is_valid:
            answers, provenance = screen.result(extra=signed)
            try:
                submission = submission_create(
                    draft_key=draft.key,
                    answers=answers,
                    today=screen.today,
                    appointment_at=draft.appointment_at,
                    questionnaire_version=draft.questionnaire_version,
                    signature_name=form.signature(),
                    language=get_language(),
                    previous_submission=screen.previous,
                    visit_type=rescreen_service.visit_type_of(screen.invitation),
                    treatment_date=screen.invitation.treatment_date,
                    provenance=provenance,
                )
            except AnswersInvalid as invalid:
                # An answer no longer holds (a date has passed, a follow-up now applies).
                first_bad = next(iter(invalid.errors))
                back_to = screen.step_of(first_bad)
                card = pages.co.CARD_OF.get(first_bad)
                if card and card not in screen.state[pages.OPENED]:
                    # A carried answer that no longer holds: its card opens to correct it.
                    screen.state = {
                        pages.CONFIRMED: [k for k in screen.state[pages.CONFIRMED] if k != card],
                        pages.OPENED: [*screen.state[pages.OPENED], card],
                    }
                if back_to.key in draft.completed:
                    draft.completed.remove(back_to.key)
                _save(request, screen)
                messages.warning(request, _("Please check the answers on this page."))
                return redirect(step_url(back_to))
            drafts.finish(request.session, draft, submission)
            return redirect("screening:confirmation")
    else:
        form = ReviewForm(declaration, initial={})
    confirmed = [
        screen.card_title(card)
        for card in pages.co.CARDS
        if screen.card_state(card) == pages.CONFIRMED
    ]
    return render(
        request,
        "screening/rescreen/check.html",
        {
            "form": form,
            "rows": _today_rows(screen),
            "confirmed_cards": confirmed,
            # The privacy acknowledgement is asked again: the clinic's notice changed since.
            "notice_changed": screen.plan.reasons.get("privacy_notice_ack")
            is pages.co.Reason.NOTICE_CHANGED,
            "back_url": step_url(pages.STILL_TRUE),
            **_context(screen),
        },
    )
