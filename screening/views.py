"""The patient's path: landing, one page per section, review, submit, confirmation.

Views are thin: the questionnaire, validation, drafts and the submission service do the work.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from throttle.buckets import limit_posts

from . import drafts, honeypot
from .answer_types import answers_by_section
from .forms import StepForm
from .questionnaire import current
from .submission import AnswersInvalid, submission_create
from .validation import validate_answers


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
    """(draft, None), or (None, a redirect to the start page with a plain explanation)."""
    try:
        draft = drafts.load(request.session)
    except drafts.DraftExpired:
        _expired_message(request)
        return None, redirect("screening:landing")
    if draft is None:
        if request.session.get(drafts.SUBMITTED_KEY) and request.method == "POST":
            return None, redirect("screening:confirmation")
        _expired_message(request)
        return None, redirect("screening:landing")
    return draft, None


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
def start(request):
    draft = drafts.start(request.session)
    return redirect(_step_url(draft.definition.sections[0]))


@sensitive_post_parameters()
@allow_methods("GET", "POST")
@never_cache
@limit_posts
def step(request, slug):
    if slug not in current().sections_by_slug:
        raise Http404
    draft, go_back = _draft_or_redirect(request)
    if go_back:
        return go_back
    # The draft is asked and validated with the version it was started on, to the end.
    sections = draft.definition.sections
    section = draft.definition.sections_by_slug.get(slug)
    if section is None:
        raise Http404
    if not draft.may_open(section):
        return redirect(_step_url(draft.first_incomplete()))
    index = sections.index(section)

    if request.method == "POST":
        if honeypot.is_filled(request.POST):
            # Answered like a success, and nothing saved: a bot learns nothing from it.
            following = sections[index + 1] if index + 1 < len(sections) else None
            return redirect(_step_url(following) if following else "screening:review")
        form = StepForm(section, data=request.POST)
        raw = form.raw_answers()
        if request.POST.get("nav") == "back" and index > 0:
            draft.keep_unfinished(section, raw)
            drafts.save(request.session, draft)
            return redirect(_step_url(sections[index - 1]))
        validated = validate_answers(
            {**draft.answers, **raw},
            today=timezone.localdate(),
            version=draft.questionnaire_version,
            only=section.question_ids,
        )
        if validated.is_valid:
            draft.complete(section, validated.answers)
            drafts.save(request.session, draft)
            following = draft.next_after(section)
            return redirect(_step_url(following) if following else "screening:review")
        for question_id, message in validated.errors.items():
            form.add_error(question_id, message)
        drafts.save(request.session, draft)
    else:
        form = StepForm(section, initial=draft.pending.get(section.key) or draft.answers)

    return render(
        request,
        "screening/step.html",
        {
            "form": form,
            "section": section,
            "step_number": index + 1,
            "step_count": len(sections),
            "previous_section": sections[index - 1] if index else None,
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
    unfinished = draft.first_incomplete()
    if unfinished is not None:
        return redirect(_step_url(unfinished))
    if request.method == "POST":
        try:
            submission = submission_create(
                draft_key=draft.key,
                answers=draft.answers,
                today=timezone.localdate(),
                questionnaire_version=draft.questionnaire_version,
            )
        except AnswersInvalid as invalid:
            definition = draft.definition
            first_bad = definition.questions[next(iter(invalid.errors))]
            section = definition.sections_by_key[first_bad.section_key]
            draft.keep_unfinished(section, {})
            drafts.save(request.session, draft)
            messages.warning(request, _("Please check the answers on this page."))
            return redirect(_step_url(section))
        drafts.finish(request.session, draft, submission.reference)
        return redirect("screening:confirmation")
    sections = answers_by_section(draft.answers, version=draft.questionnaire_version)
    for item in sections:
        item["change_url"] = _step_url(item["section"])
    return render(request, "screening/review.html", {"sections": sections})


@allow_methods("GET")
@never_cache
def confirmation(request):
    submitted = request.session.get(drafts.SUBMITTED_KEY)
    if not submitted:
        # A reference alone reveals nothing: only the session that submitted sees this page.
        raise Http404
    return render(request, "screening/confirmation.html", {"reference": submitted["reference"]})


@allow_methods("GET")
def privacy_notice(request):
    return render(request, "screening/privacy.html")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
