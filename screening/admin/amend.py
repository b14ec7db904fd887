"""A provider amends an answer the patient told in person, with a reason (the review page's
"Amend an answer"): pick a section, change its answers on the questionnaire's own fields,
give the reason, save. The original stays (visits.amendments keeps it); the flags are
re-evaluated and the page says what they raised and cleared.

Only a provider who may open the submission (access.can_amend_answers): the front desk and the
clinic admin never change clinical answers, the privacy officer reads. The page shows answers:
opening it is audited as a view.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from screening.models import Amendment, AuditEvent
from screening.patient.forms import StepForm
from screening.questionnaire import UnknownVersion, definition_for
from screening.questionnaire.text_policy import validate_long_text
from screening.records import audit
from screening.staff import access
from screening.visits.amendments import (
    AmendmentInvalid,
    AmendmentRefused,
    amend_answers,
    kept_lifetime_yeses,
    validate_amended,
)
from screening.visits.window import amendable_sections
from screening.workspace.banner import patient_banner

REASON_MAX = 1000


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (required): what the patient told you, and when",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX}),
        validators=[validate_long_text],
        error_messages={"required": "Give the reason for the amendment."},
    )


def _sections(submission):
    try:
        return amendable_sections(
            definition_for(submission.questionnaire_version), submission.visit()
        )
    except UnknownVersion:
        return ()


def _section_changes(submission, form, section, today):
    """(changes for amend_answers, errors by question id) for the section's posted answers."""
    proposed = {**submission.answers, **form.raw_answers()}
    validated = validate_amended(
        proposed,
        submission,
        today=today,
        only=section.step_question_ids,
        visit=submission.visit(),
    )
    if not validated.is_valid:
        return {}, validated.errors
    # Each question of the step as validated: None drops an answer the changes no longer ask.
    return {qid: validated.answers.get(qid) for qid in section.step_question_ids}, {}


def amend_view(model_admin, request, object_id):
    submission = model_admin._submission_for(
        request, object_id, "amend page", allowed=access.can_amend_answers
    )
    review_url = reverse("admin:screening_submission_change", args=[submission.pk])
    if submission.erased_at is not None or submission.status == submission.Status.WITHDRAWN:
        messages.error(request, "An erased or withdrawn submission cannot be amended.")
        return redirect(review_url)
    sections = _sections(submission)
    section = next((s for s in sections if s.slug == request.GET.get("section")), None)
    address = audit.client_address(request)
    if request.method == "GET":
        audit.record(
            action=AuditEvent.Action.VIEWED,
            actor=request.user,
            address=address,
            submission=submission,
            detail="amend page",
        )
    form = reason_form = None
    # Earlier lifetime yeses the patient removed on this re-screen, which the rules still read:
    # the provider may clear them here, with the reason (return-visit rule 3).
    kept = kept_lifetime_yeses(submission, section.step_question_ids) if section else []
    if section is not None:
        if request.method == "POST":
            form = StepForm(section, data=request.POST)
            reason_form = ReasonForm(request.POST)
            changes, errors = _section_changes(submission, form, section, timezone.localdate())
            for question_id, message in errors.items():
                if question_id in form.fields:
                    form.add_error(question_id, message)
            if reason_form.is_valid() and not errors:
                try:
                    amendment = amend_answers(
                        submission,
                        changes,
                        source=Amendment.Source.PROVIDER,
                        actor=request.user,
                        reason=reason_form.cleaned_data["reason"],
                        address=address,
                        clear_lifetime=[
                            token
                            for token, _words in kept
                            if token in request.POST.getlist("clear_lifetime")
                        ],
                    )
                except AmendmentInvalid as invalid:
                    # An answer of another section no longer holds with this change.
                    messages.error(
                        request,
                        f"This change makes {len(invalid.errors)} other answer(s) incomplete: "
                        "amend the section that asks them first, or together.",
                    )
                except AmendmentRefused as refused:
                    messages.error(request, str(refused))
                else:
                    messages.success(request, _saved_message(amendment))
                    return redirect(f"{review_url}#amendments-title")
        else:
            form = StepForm(section, initial=submission.answers)
            reason_form = ReasonForm()
    return TemplateResponse(
        request,
        "admin/screening/submission/amend.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "submission": submission,
            "title": f"Amend an answer of {submission.reference}",
            "banner": patient_banner(
                submission, user=request.user, visible=model_admin.get_queryset(request)
            ),
            "sections": sections,
            "section": section,
            "form": form,
            "fields": [
                {
                    "bound": form[qid],
                    "group": _is_group(form.fields[qid].widget),
                    # A follow-up says when it applies (the patient saw it only then).
                    "condition": str(form.questions[qid].condition_text or ""),
                }
                for qid in section.step_question_ids
            ]
            if form
            else [],
            "reason_form": reason_form,
            "kept_yeses": kept,
            "previous_form_date": submission.previous_submission.submitted_on if kept else None,
        },
    )


def _is_group(widget) -> bool:
    """Several controls (choices, a date's boxes): a fieldset and legend; one: a label."""
    return isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget))


def _saved_message(amendment) -> str:
    if amendment is None:
        return "Nothing changed: the answers are as they were."
    raised = ", ".join(flag.code for flag in amendment.raised_flags.all())
    cleared = ", ".join(flag.code for flag in amendment.cleared_flags.all())
    text = f"Amended ({len(amendment.changes)} answer(s)); the flags were re-evaluated."
    if amendment.lifetime_cleared:
        text += f" Earlier yes cleared: {', '.join(amendment.lifetime_cleared)}."
    if raised:
        text += f" New: {raised}."
    if cleared:
        text += f" Cleared: {cleared}."
    return text
