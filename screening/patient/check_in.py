"""The patient's re-confirmation before the visit: the date-of-birth check, the answers to
re-confirm (Still true · Change, and the since-questions), the questions of what changed, and
the page that closes it.

Reached two ways, with the same pages: the reminder's link (`views.open_invitation`, when the
invitation's submission is due) and the check-in tablet the front desk opens
(`screening.admin.check_in`). The session holds which submission (check_in_session); no
reference, name or answer is ever in a URL. On the tablet each page closes itself after
SCREENING_CHECK_IN_IDLE_MINUTES without activity (a meta refresh, no JavaScript needed, to the
closing page; and the session refuses to show answers after that time whatever the browser
does). Views are thin: questionnaire.reconfirm says what is asked, visits.reconfirmation
records it.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from screening.models import Submission
from screening.patient import amending, check_in_session
from screening.patient.check_in_forms import ReconfirmForm, change_section
from screening.patient.forms import BirthDateForm, StepForm
from screening.patient.views import allow_methods
from screening.questionnaire import definition_for, reconfirm
from screening.questionnaire.date_display import month_day_in_words
from screening.questionnaire.v2027_02 import MEDICINES_ON_FORM_DATE
from screening.questionnaire.validation import is_blank
from screening.visits import reconfirmation
from screening.visits.amendments import AmendmentInvalid, AmendmentRefused
from throttle.buckets import limit_posts


def _open(request):
    """(state, submission) of this session's open re-confirmation, or (None, None): closed,
    idle, done elsewhere, or past its day (the session is then closed)."""
    state = check_in_session.current(request.session)
    if state is None:
        return None, None
    submission = (
        Submission.objects.select_related("previous_submission")
        .filter(pk=state["submission"])
        .first()
    )
    if submission is None or not reconfirmation.may_reconfirm(submission):
        check_in_session.close(request.session)
        return None, None
    return state, submission


def _page(request, template, context=None, *, state=None, status=200):
    """A re-confirmation page; on the tablet, one that leaves itself when idle."""
    via = state["via"] if state else check_in_session.closed_via(request.session)
    tablet = via == check_in_session.TABLET
    return render(
        request,
        template,
        {
            **(context or {}),
            "tablet": tablet,
            "idle_seconds": int(check_in_session.idle_limit(via).total_seconds())
            if state
            else None,
            "idle_minutes": int(check_in_session.idle_limit(via).total_seconds() // 60),
        },
        status=status,
    )


def _closed(request):
    return _page(request, "screening/check_in/closed.html")


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def gate(request):
    """The date of birth, before any answer is shown; locked after too many wrong ones."""
    state, submission = _open(request)
    if state is None:
        return _closed(request)
    if reconfirmation.is_locked(submission):
        check_in_session.close(request.session)
        return _page(request, "screening/check_in/locked.html", status=403)
    if state["verified"]:
        return redirect("screening:check_in_answers")
    form = BirthDateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if reconfirmation.check_birth_date(
            submission, form.cleaned_data["date_of_birth"], request=request
        ):
            request.session.cycle_key()  # the session now shows answers: a fresh id for it
            state["verified"] = True
            check_in_session.save(request.session, state)
            return redirect("screening:check_in_answers")
        if reconfirmation.is_locked(submission):
            check_in_session.close(request.session)
            return _page(request, "screening/check_in/locked.html", status=403)
        left = reconfirmation.tries_left(submission)
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
    check_in_session.save(request.session, state)
    return _page(request, "screening/check_in/gate.html", {"form": form}, state=state)


def _verified(request):
    state, submission = _open(request)
    if state is None or not state["verified"]:
        return state, submission, redirect("screening:check_in")
    return state, submission, None


def _complete(request, state, submission, changes):
    # Done meanwhile (a replayed POST, another device), or withdrawn: nothing more to record.
    with suppress(reconfirmation.AlreadyReconfirmed, AmendmentRefused):
        reconfirmation.reconfirmation_complete(
            submission=submission,
            via=state["via"],
            confirmed_items=state["confirmed"],
            since_answers=state["since"],
            changes=changes,
            request=request,
        )
    check_in_session.close(request.session)
    if state["via"] != check_in_session.TABLET:
        # On the patient's own device (the reminder's link) the other answers can be changed as
        # through the link: the same date-of-birth check, and lock, first (amending.offer). Never
        # on the tablet, which goes back to the front desk.
        amending.offer(request.session, submission)
    return redirect("screening:check_in_done")


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def answers(request):
    """Each item with its answer: Still true · Change; the since-questions asked afresh."""
    state, submission, go_back = _verified(request)
    if go_back:
        return go_back
    definition = definition_for(submission.questionnaire_version)
    form = ReconfirmForm(
        request.POST if request.method == "POST" else None,
        initial={
            **{f"item_{key}": "still_true" for key in state["confirmed"]},
            **{f"item_{key}": "change" for key in state["changed"]},
            **state["since"],
        },
        answers=submission.answers,
        definition=definition,
        since=submission.submitted_on,
    )
    if request.method == "POST" and form.is_valid():
        state.update(confirmed=form.confirmed(), changed=form.changed(), since=form.since_answers())
        check_in_session.save(request.session, state)
        if not reconfirm.change_ids(state["changed"], state["since"], definition):
            return _complete(request, state, submission, {})
        return redirect("screening:check_in_changes")
    check_in_session.save(request.session, state)
    return _page(
        request,
        "screening/check_in/answers.html",
        {
            "form": form,
            "medicines_heading": str(MEDICINES_ON_FORM_DATE)
            % {"form_date": month_day_in_words(submission.submitted_on)},
        },
        state=state,
    )


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def changes(request):
    """The questions of what changed, as the form asks them, filled in with the answers given;
    sent, they amend the submission (re-flagged) and the re-confirmation is done."""
    state, submission, go_back = _verified(request)
    if go_back:
        return go_back
    definition = definition_for(submission.questionnaire_version)
    ids = reconfirm.change_ids(state["changed"], state["since"], definition)
    if not ids:
        return redirect("screening:check_in_answers")
    section = change_section(ids, definition, submission.visit())
    if request.method == "POST" and request.POST.get("nav") == "back":
        return redirect("screening:check_in_answers")
    if request.method == "POST":
        form = StepForm(section, data=request.POST)
        raw = form.raw_answers()
        asked = request.POST.getlist("asked")
        # Without JavaScript, follow-ups that came to apply are shown now, before any error.
        later = [] if request.POST.get("js") == "1" else form.still_to_ask(raw, asked)
        if later:
            asked = [*asked, *later]
        else:
            try:
                return _complete(
                    request,
                    state,
                    submission,
                    {qid: None if is_blank(raw.get(qid)) else raw.get(qid) for qid in ids},
                )
            except AmendmentInvalid as invalid:
                for question_id, message in invalid.errors.items():
                    if question_id in form.fields:
                        form.add_error(question_id, message)
                if not set(invalid.errors) & set(form.fields):
                    # An answer this page does not ask no longer holds: the clinic helps.
                    messages.warning(
                        request,
                        _("Some of your other answers need checking. Please ask us at the visit."),
                    )
    else:
        form = StepForm(section, initial=submission.answers)
        asked = form.asked()
    check_in_session.save(request.session, state)
    return _page(
        request,
        "screening/check_in/changes.html",
        {"form": form, "section": section, "asked": asked},
        state=state,
    )


@allow_methods("GET")
@never_cache
def done(request):
    """Sent: thanks, and on the tablet "Please hand the tablet back"; on the patient's own
    device, the offer to change other answers (after the date of birth). Shows no answer."""
    if check_in_session.current(request.session) is not None:
        return redirect("screening:check_in")
    offered = amending.gated_submission(request.session)
    return _page(
        request,
        "screening/check_in/done.html",
        {"amend_offered": offered is not None and amending.may_amend(offered)},
    )


@allow_methods("GET")
@never_cache
def still_here(request):
    """The tablet's "I'm still here" (and activity on its page): keeps the re-confirmation
    open; 410 once it is closed."""
    state, _submission = _open(request)
    if state is None:
        return HttpResponse(status=410)
    check_in_session.save(request.session, state)
    return HttpResponse(status=204)


@allow_methods("GET")
@never_cache
def closed(request):
    """Where an idle tablet goes by itself (and "I'm done" leads): the re-confirmation is
    closed, and this session can no longer show its answers."""
    check_in_session.close(request.session)
    return _closed(request)
