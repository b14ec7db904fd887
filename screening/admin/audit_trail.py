"""The audit trail and the decision history: read-only lists, written by the services only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.debug import sensitive_post_parameters

from screening.admin.base import AccessAdmin
from screening.models import AuditEvent, Decision, Submission
from screening.records import audit, trail
from screening.staff import access


class TrailSearchForm(forms.Form):
    """Sent by POST only: a name and a date of birth never go in an address."""

    first_name = forms.CharField(max_length=100, required=False, label="First name (optional)")
    last_name = forms.CharField(max_length=100, label="Last name")
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text="YYYY-MM-DD",
    )


# Events written before detail was kept free of health data named flag codes and outcomes.
_CLINICAL_DETAIL = {AuditEvent.Action.ACKNOWLEDGED, AuditEvent.Action.DECIDED}


@admin.register(AuditEvent)
class AuditEventAdmin(AccessAdmin):
    list_display = (
        "at",
        "action",
        "actor",
        "api_token",
        "submission",
        "client_address",
        "shown_detail",
    )
    list_filter = ("action", "at")
    list_select_related = ("actor", "api_token", "submission")
    date_hierarchy = "at"
    fields = (
        "at",
        "action",
        "actor",
        "api_token",
        "submission",
        "client_address",
        "shown_detail",
    )
    readonly_fields = fields
    change_list_template = "admin/screening/auditevent/change_list.html"

    def get_urls(self):
        return [
            path(
                "trail/",
                self.admin_site.admin_view(sensitive_post_parameters()(self.trail_view)),
                name="screening_auditevent_trail",
            ),
            *super().get_urls(),
        ]

    def trail_view(self, request):
        """Find a patient's trail by name and date of birth (POST; the search is audited)."""
        if not access.can_search_trail(request.user):
            raise PermissionDenied
        form = TrailSearchForm(request.POST if request.method == "POST" else None)
        found = None
        if form.is_valid():
            found = trail.patient_trail(
                actor=request.user, address=audit.client_address(request), **form.cleaned_data
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "A patient's trail",
            "form": form,
            "trail": found,
            "rows": [(event, self.shown_detail(event)) for event in found.events] if found else [],
        }
        return TemplateResponse(request, "admin/screening/auditevent/trail.html", context)

    @admin.display(description="Detail")
    def shown_detail(self, event):
        if event.action in _CLINICAL_DETAIL and not event.detail.startswith(
            ("flag #", "decision #")
        ):
            return "—"  # an older event naming a flag or an outcome: health data
        return event.detail


@admin.register(Decision)
class DecisionAdmin(AccessAdmin):
    """Read-only history; decisions are recorded from a submission's decision page."""

    list_display = (
        "submission",
        "patient",
        "outcome",
        "modality",
        "provider",
        "decided_at",
        "answers_decided_on",
    )
    list_select_related = ("submission", "provider")

    @admin.display(description="Answers")
    def answers_decided_on(self, decision):
        """Which version of the answers the provider decided on; "Made on earlier answers" once
        an amendment came after (the review page says what changed)."""
        if decision.made_on_earlier_answers:
            return (
                f"Made on earlier answers (version {decision.answers_version}; now "
                f"{decision.submission.answers_version})"
            )
        return f"Version {decision.answers_version} (current)"

    @admin.display(description="Patient", ordering="submission__last_name")
    def patient(self, decision):
        submission = decision.submission
        return f"{submission.last_name}, {submission.first_name}"

    def get_queryset(self, request):
        visible = access.visible_submissions(request.user, Submission.objects.all())
        return super().get_queryset(request).filter(submission__in=visible)
