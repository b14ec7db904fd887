"""The patient's path: landing, one page per section, review, submit, confirmation; the
personal links of invitations and saved drafts, the date-of-birth gate, "save and continue later".

Views are thin: the questionnaire, validation, drafts, invitations and the submission service do
the work. A link's token never reaches a view through the path (clinic.log_masking): it is
`request.link_token`, and the view answers with a redirect to a token-free page.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from screening.invitations import service as invitations
from screening.mail import notifications
from screening.models import Submission
from screening.patient import amending, check_in_session, drafts, honeypot
from screening.patient.forms import (
    BirthDateForm,
    ReviewForm,
    SaveForLaterForm,
    StepForm,
    summary_label,
)
from screening.patient.rescreen import full as rescreen_full
from screening.patient.rescreen import links as rescreen_links
from screening.patient.submission import AnswersInvalid, submission_create
from screening.questionnaire import DEFINITIONS
from screening.questionnaire.answer_types import answers_by_section
from screening.questionnaire.validation import validate_answers
from screening.visits import reconfirmation
from throttle.buckets import limit_posts


def allow_methods(*methods):
    """Like require_http_methods, but answers other methods with a page a person can read."""

    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                refused = render(request, "405.html", status=405)
                refused["Allow"] = ", ".join(sorted(allowed))
                return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _expired_message(request):
    messages.info(
        request,
        _(
            "For your privacy, answers are removed after a while without activity. Please start "
            "again; it takes about 10 minutes."
        ),
    )


def _draft_or_redirect(request):
    """(draft, None), or (None, the page to show instead): "already sent" after sending (Back,
    reload, a replayed POST), else the start page with a plain explanation."""
    try:
        draft = drafts.load(request.session)
    except drafts.DraftExpired:
        _expired_message(request)
        return None, redirect("screening:landing")
    if draft is None:
        if request.session.get(drafts.GATE_KEY):  # a link opened here; the birth date first
            return None, redirect("screening:resume")
        reference = drafts.submitted_reference(request.session)
        if reference:
            if request.method == "POST":  # a replayed send: the confirmation, as the first time
                return None, redirect("screening:confirmation")
            return None, _already_sent(request, reference)
        _expired_message(request)
        return None, redirect("screening:landing")
    return draft, None


def _already_sent(request, reference, *, may_amend=False):
    return render(
        request, "screening/already_sent.html", {"reference": reference, "may_amend": may_amend}
    )


def _sent_through_link(request, submission):
    """A link of a sent submission: "already sent", and while the patient still may, the
    offer to change answers (screening/patient/amending.py; the date of birth first)."""
    offered = amending.offer(request.session, submission)
    return _already_sent(request, submission.reference, may_amend=offered)


def _draft_context(draft) -> dict:
    """What every step and the review say about where the answers are kept."""
    return {
        "saved_in_database": bool(draft.saved_id),
        "invited": bool(draft.invitation_id),
        "may_save_for_later": not draft.saved_id and bool(draft.answers.get(drafts.BIRTH_DATE_ID)),
        "idle_minutes": settings.SCREENING_DRAFT_IDLE_MINUTES,
    }


FOLLOWUPS_KEY = "screening_followups"


def _step_url(section):
    return reverse("screening:step", args=[section.slug])


@allow_methods("GET")
@never_cache
def landing(request):
    try:
        draft = drafts.load(request.session)
    except drafts.DraftExpired:
        draft = None
        _expired_message(request)
    if rescreen_links.is_rescreen(draft):
        return redirect(rescreen_links.continue_url(draft))
    resume = draft.first_incomplete() if draft else None
    return render(
        request,
        "screening/landing.html",
        {
            "draft": draft,
            "resume_url": (_step_url(resume) if resume else reverse("screening:review"))
            if draft
            else None,
        },
    )


@allow_methods("POST")
@never_cache
@limit_posts(scope="start")  # each start from a new visitor is a session row: a flood is refused
def start(request):
    """A fresh draft. Where answers are in progress, "Start again" erases them: it asks first, on
    a page of its own (a plain form, so that it works without JavaScript)."""
    if request.POST.get("erase") != "yes":
        try:
            in_progress = drafts.load(request.session)
        except drafts.DraftExpired:
            in_progress = None
        if in_progress is not None:
            first = in_progress.first_incomplete()
            return render(
                request,
                "screening/start_again.html",
                {"resume_url": _step_url(first) if first else reverse("screening:review")},
            )
    draft = drafts.start(request.session)
    return redirect(_step_url(draft.definition.first_visit_sections[0]))


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def step(request, slug):
    # Any version's step: a draft started on an older version (v2's "confirm" step, which 2027.01
    # folded into Health history) is finished on it.
    if not any(slug in definition.sections_by_slug for definition in DEFINITIONS.values()):
        raise Http404
    draft, go_back = _draft_or_redirect(request)
    if go_back:
        return go_back
    if rescreen_links.is_rescreen(draft):  # a returning patient's short form has its own pages
        return redirect(rescreen_links.continue_url(draft))
    # The draft is asked and validated with the version it was started on, to the end.
    # The steps of a first visit: the re-screen's own section is never one of them (but for a
    # returning patient's full questionnaire, which opens with it: rescreen/full.py).
    sections = draft.steps
    visit = rescreen_full.visit_of(draft)
    section = draft.definition.sections_by_slug.get(slug)
    if section is None or section not in sections:
        raise Http404
    if not draft.may_open(section):
        return redirect(_step_url(draft.first_incomplete()))
    index = sections.index(section)

    # Without JavaScript, the follow-ups that come to apply are asked on a next page of the
    # step (`?more=1`): which ones, and those already shown, are kept in the session.
    more = request.session.get(FOLLOWUPS_KEY) if request.GET.get("more") == "1" else None
    if more and more.get("step") != section.key:
        more = None
    if request.GET.get("more") == "1" and not more:
        return redirect(_step_url(section))
    # The first page's answers travel with the record (a draft not yet taken by this device
    # keeps no pending answers of its own).
    base = more.get("base", {}) if more else {}
    page_questions = [draft.definition.questions[qid] for qid in more["ask"]] if more else None

    def step_form(**kwargs):
        return StepForm(
            section,
            questions=page_questions or (rescreen_full.worded(section, visit) if visit else None),
            context={**base, **rescreen_full.context(visit)},
            continued=bool(more),
            **kwargs,
        )

    if request.method == "POST":
        if honeypot.is_filled(request.POST):
            # Answered like a success, and nothing saved: a bot learns nothing from it.
            following = sections[index + 1] if index + 1 < len(sections) else None
            return redirect(_step_url(following) if following else "screening:review")
        form = step_form(data=request.POST)
        raw = {**base, **form.raw_answers()} if more else form.raw_answers()
        if request.POST.get("nav") == "back" and (index > 0 or more):
            draft.keep_unfinished(section, raw)
            drafts.save(request.session, draft)
            request.session.pop(FOLLOWUPS_KEY, None)
            return redirect(_step_url(section if more else sections[index - 1]))
        nav = request.POST.get("nav") or ""
        if nav.startswith("language-"):
            # The language switch of a step sends the step's form: what is typed is kept, as
            # with Back, and the same page comes back in the chosen language.
            draft.keep_unfinished(section, raw)
            drafts.save(request.session, draft)
            if more:
                request.session[FOLLOWUPS_KEY] = {**more, "base": raw}
            language = nav.removeprefix("language-")
            if language in dict(settings.LANGUAGES):
                drafts.language_chosen(request.session, language)
            return _in_language(redirect(request.get_full_path()), language)
        if request.POST.get("nav") == "save" and not draft.saved_id:
            # What is typed on this page is kept as it is, like Back; then where to send the link.
            draft.keep_unfinished(section, raw)
            drafts.save(request.session, draft)
            return redirect("screening:save_for_later")
        later = []
        if request.POST.get("js") != "1":
            asked = request.POST.getlist("asked")
            later = StepForm(
                section, initial=raw, context=rescreen_full.context(visit)
            ).still_to_ask(raw, asked)
        validated = validate_answers(
            {**draft.answers, **raw},
            today=timezone.localdate(),
            version=draft.questionnaire_version,
            only=[qid for qid in section.step_question_ids if qid not in later],
            visit=visit,
        )
        if validated.is_valid and later:
            draft.keep_unfinished(section, raw)
            drafts.save(request.session, draft)
            request.session[FOLLOWUPS_KEY] = {
                "step": section.key,
                "ask": later,
                "asked": [*request.POST.getlist("asked"), *later],
                "base": raw,
            }
            return redirect(f"{_step_url(section)}?more=1")
        if validated.is_valid:
            draft.complete(section, validated.answers)
            try:
                drafts.save(request.session, draft)
            except drafts.DraftTaken:  # another device started this invitation first
                return redirect("screening:resume")
            request.session.pop(FOLLOWUPS_KEY, None)
            following = draft.next_after(section)
            return redirect(_step_url(following) if following else "screening:review")
        for question_id, message in validated.errors.items():
            if question_id in form.fields:
                form.add_error(question_id, message)
        if more and not form.errors:  # an answer of the page before no longer holds
            draft.keep_unfinished(section, raw)
            drafts.save(request.session, draft)
            request.session.pop(FOLLOWUPS_KEY, None)
            return redirect(_step_url(section))
        drafts.save(request.session, draft)
    else:
        form = step_form(
            initial=base
            if more
            else draft.pending.get(section.key) or {**draft.prefill, **draft.answers}
        )

    # What the page asked before an error is still all it asked: a follow-up it shows now only
    # because the answers sent opened it, if left empty, comes on the next page.
    if request.method == "POST":
        asked = request.POST.getlist("asked")
    else:
        asked = [*more["asked"]] if more else form.asked()
    return render(
        request,
        "screening/step.html",
        {
            "form": form,
            "section": section,
            "step_number": index + 1,
            "step_count": len(sections),
            "previous_section": sections[index - 1] if index else None,
            "continued": bool(more),
            "asked": asked,
            "switch_form": "step-form",
            **_draft_context(draft),
        },
    )


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def review(request):
    draft, go_back = _draft_or_redirect(request)
    if go_back:
        return go_back
    if rescreen_links.is_rescreen(draft):
        return redirect(rescreen_links.continue_url(draft))
    unfinished = draft.first_incomplete()
    if unfinished is not None:
        return redirect(_step_url(unfinished))
    definition = draft.definition
    visit = rescreen_full.visit_of(draft)
    if request.method == "POST":
        form = ReviewForm(definition, data=request.POST)
        answers = {**draft.answers, **form.raw_answers()}
        declared = validate_answers(
            answers,
            today=timezone.localdate(),
            version=draft.questionnaire_version,
            only=[question.id for question in definition.review_questions],
            visit=visit,
        )
        for question_id, message in declared.errors.items():
            form.add_error(question_id, message)
        if form.check_signature() and declared.is_valid:
            try:
                submission = submission_create(
                    draft_key=draft.key,
                    answers=answers,
                    today=timezone.localdate(),
                    appointment_at=draft.appointment_at,
                    questionnaire_version=draft.questionnaire_version,
                    signature_name=form.signature(),
                    language=get_language(),
                    **rescreen_full.linked(draft, answers, today=timezone.localdate()),
                )
            except AnswersInvalid as invalid:
                # An answer of a step no longer holds (a date has passed since): back to it.
                first_bad = definition.questions[next(iter(invalid.errors))]
                section = definition.sections_by_key[first_bad.section_key]
                draft.keep_unfinished(section, {})
                drafts.save(request.session, draft)
                messages.warning(request, _("Please check the answers on this page."))
                return redirect(_step_url(section))
            drafts.finish(request.session, draft, submission)
            return redirect("screening:confirmation")
    else:
        form = ReviewForm(definition, initial=draft.answers)
    return render(
        request,
        "screening/review.html",
        {"sections": review_rows(draft), "form": form, **_draft_context(draft)},
    )


def review_rows(draft) -> list[dict]:
    """The review page's answers by section, each with a Change link to its question; optional
    questions the patient was shown and skipped are listed as not answered."""
    steps = draft.steps
    sections = [
        item
        for item in answers_by_section(
            draft.answers, version=draft.questionnaire_version, include_unanswered=True
        )
        if item["section"] in steps  # a re-screen's own section is no step of this form
    ]
    questions = draft.definition.questions
    for item in sections:
        step_url = _step_url(item["section"])
        item["change_url"] = step_url
        for row in item["rows"]:
            row["change_url"] = f"{step_url}#div_id_{row['question_id']}"
            # A Change link is read as "Change" and the question's short name, not its whole text.
            row["short_label"] = summary_label(questions[row["question_id"]])
        # A section answered "No" or "None" throughout is one line, its answers shown on demand.
        item["all_no"] = bool(item["rows"]) and all(
            _is_no(draft.answers.get(row["question_id"])) for row in item["rows"]
        )
    return sections


_NO_KEYS = frozenset({"no", "none"})


def _is_no(value) -> bool:
    if isinstance(value, list):
        return bool(value) and set(value) <= _NO_KEYS
    return value in _NO_KEYS


@allow_methods("GET")
@never_cache
def confirmation(request):
    submitted = request.session.get(drafts.SUBMITTED_KEY)
    if not submitted:
        # A reference alone reveals nothing: only the session that submitted sees this page.
        raise Http404
    answers = (
        Submission.objects.filter(
            reference=submitted["reference"], draft_key=submitted["draft_key"]
        )
        .values_list("answers", flat=True)
        .first()
    )
    return render(
        request,
        "screening/confirmation.html",
        {
            "reference": submitted["reference"],
            "review_target_hours": settings.SCREENING_REVIEW_TARGET_HOURS,
            # A receipt goes by email only with the patient's consent to email: the page says
            # whether one was sent, so that a patient contacted by phone writes the reference down.
            "receipt_emailed": bool(answers) and notifications.wants_receipt(answers),
        },
    )


@allow_methods("GET")
@never_cache
def own_copy(request):
    """The patient's own answers, to print or save, from the session that sent them only: a
    reference alone shows nothing, and the session ends when the browser closes or idles."""
    submitted = request.session.get(drafts.SUBMITTED_KEY)
    submission = (
        Submission.objects.filter(
            reference=submitted["reference"],
            draft_key=submitted["draft_key"],
            erased_at__isnull=True,
        ).first()
        if submitted
        else None
    )
    if submission is None:
        raise Http404
    return render(
        request,
        "screening/own_copy.html",
        {
            "submission": submission,
            "sections": [
                item
                for item in answers_by_section(
                    submission.answers,
                    version=submission.questionnaire_version,
                    visit=submission.visit(),
                )
                if item["rows"]
            ],
        },
    )


# --- Personal links: invitations and saved drafts -------------------------------------------------


def _link_page(request, template, status):
    return render(request, template, status=status)


@allow_methods("GET")
@never_cache
def open_invitation(request):
    """/i/<token>/: audit the opening, bind the invitation to this session, leave the token."""
    invitation = invitations.find(getattr(request, "link_token", ""))
    if invitation is None:
        return _link_page(request, "screening/link_invalid.html", 404)
    invitations.link_opened(invitation=invitation, request=request)
    if invitation.submission_id and reconfirmation.may_reconfirm(invitation.submission):
        # Sent, and the visit is far enough from it: the link re-confirms (check_in.py).
        check_in_session.start(
            request.session, submission_id=invitation.submission_id, via=check_in_session.LINK
        )
        return _in_language(redirect("screening:check_in"), invitation.language)
    if invitation.submission_id:
        return _sent_through_link(request, invitation.submission)
    if invitations.is_expired(invitation):
        return _link_page(request, "screening/link_expired.html", 410)
    outcome = drafts.open_invitation(request.session, invitation)
    return _in_language(_after_opening(outcome), invitation.language)


def _in_language(response, language: str):
    """The pages after a link in the draft's language (the invitation's, or the one the patient
    saved in), over the browser's: a Spanish draft resumed on an English browser stays Spanish,
    to its receipt. The language switch still changes it."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@allow_methods("GET")
@never_cache
def open_saved_draft(request):
    """/r/<token>/: a walk-in's "continue later" link; the same gate as an invitation's."""
    token = getattr(request, "link_token", "")
    saved = drafts.find_saved(token)
    if saved is None:
        sent = amending.sent_submission(token)
        if sent is not None:
            amending.link_opened(sent, request=request)
            return _sent_through_link(request, sent)
        return _link_page(request, "screening/link_invalid.html", 404)
    drafts.link_opened(saved=saved, request=request)
    return _in_language(_after_opening(drafts.open_saved(request.session, saved)), saved.language)


def _after_opening(outcome):
    if outcome == drafts.Opened.LOCKED:
        return redirect("screening:locked")
    return redirect("screening:resume")


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def resume(request):
    """Where a link lands: the date-of-birth check on a new device, else where the patient stopped."""
    gated = drafts.gated_draft(request.session)
    if gated is None:
        request.session.pop(drafts.GATE_KEY, None)  # past its date meanwhile
        draft, go_back = _draft_or_redirect(request)
        if go_back:
            return go_back
        if rescreen_links.is_rescreen(draft):
            return redirect(rescreen_links.continue_url(draft))
        unfinished = draft.first_incomplete()
        return redirect(_step_url(unfinished) if unfinished else "screening:review")
    if gated.locked_at:
        return redirect("screening:locked")
    form = BirthDateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if drafts.confirm_birth_date(
            request.session, gated, form.cleaned_data["date_of_birth"], request=request
        ):
            return redirect("screening:resume")
        if gated.locked_at:
            return redirect("screening:locked")
        left = settings.SCREENING_RESUME_MAX_FAILURES - gated.birth_date_failures
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
    # A return visit's link: nothing was started elsewhere; the answers to protect are last time's.
    returning = gated.invitation is not None and gated.invitation.previous_submission_id
    return render(
        request, "screening/resume_gate.html", {"form": form, "returning": bool(returning)}
    )


@allow_methods("GET")
@never_cache
def locked(request):
    gated = drafts.gated_draft(request.session)
    invited = gated is None or gated.invitation_id is not None
    return render(request, "screening/locked.html", {"invited": invited}, status=403)


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def save_for_later(request):
    """A walk-in gives an email address and gets a link to continue on any device."""
    draft, go_back = _draft_or_redirect(request)
    if go_back:
        return go_back
    resume_url = _step_url(draft.first_incomplete()) if draft.first_incomplete() else None
    if draft.saved_id:
        return render(
            request,
            "screening/saved_for_later.html",
            {"resume_url": resume_url or reverse("screening:review"), **_draft_context(draft)},
        )
    if not draft.answers.get(drafts.BIRTH_DATE_ID):
        return redirect(_step_url(draft.definition.first_visit_sections[0]))
    form = SaveForLaterForm(
        request.POST if request.method == "POST" else None,
        initial={"email": draft.answers.get("email", "")},
    )
    if request.method == "POST" and form.is_valid():
        drafts.save_for_later(
            request.session,
            draft,
            email=form.cleaned_data["email"],
            request=request,
            language=get_language(),
        )
        return redirect("screening:save_for_later")
    return render(
        request,
        "screening/save_for_later.html",
        {
            "form": form,
            "resume_url": resume_url or reverse("screening:review"),
            "saved_draft_days": settings.SCREENING_SAVED_DRAFT_DAYS,
        },
    )


@allow_methods("GET")
@never_cache
def still_here(request):
    """The idle warning's "Stay" button: a read of the draft keeps the session alive."""
    try:
        drafts.load(request.session)
    except drafts.DraftExpired:
        return HttpResponse(status=410)
    return HttpResponse(status=204)


@allow_methods("POST")
@never_cache
def choose_language(request):
    """The language switch of every patient page, a plain form (no JavaScript needed): Django's
    `set_language` keeps the choice in a cookie that ends with the browser and sends the patient
    back to `next`, a page of this site only. The draft is untouched: answers are keys, numbers,
    dates and free text, the same in every language; a saved draft's emails follow the choice."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        drafts.language_chosen(request.session, language)
    return response


@allow_methods("GET")
def privacy_notice(request):
    return render(request, "screening/privacy.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
