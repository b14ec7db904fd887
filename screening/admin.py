"""The provider's workspace: the queue, a submission's flags and answers, decisions, print, export.

What a user sees follows `access` (minimum necessary): the front desk gets contact details and
status only; a provider gets the medical answers and flags of the submissions they may open.
Every view of a submission page, print view, export, change and decision is audited.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.debug import sensitive_post_parameters

from . import access, audit, routing
from . import flags as flag_rules
from .answer_types import answers_by_section
from .decisions import (
    DecisionRefused,
    decision_record,
    flags_acknowledge,
    modality_flag_preview,
    submission_set_status,
    unacknowledged_priority_flags,
)
from .export import submissions_csv
from .models import AuditEvent, Decision, Provider, Submission
from .staff_forms import DecisionForm

NO_FLAGS_NOTE = (
    "No flag does not mean cleared: the rules read only the structured answers, "
    "the patient's answers are self-reported, and free text is not parsed."
)


class StatusFilter(admin.SimpleListFilter):
    """Open submissions by default: the clinic's history grows, its open work does not."""

    title = "status"
    parameter_name = "status"
    OPEN = "open"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [
            (self.OPEN, "Open (not decided or withdrawn)"),
            *Submission.Status.choices,
            (self.ALL, "All, including decided"),
        ]

    def value(self):
        return super().value() or self.OPEN

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.OPEN:
            return queryset.filter(status__in=routing.OPEN_STATUSES)
        if self.value() in Submission.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class TopSeverityFilter(admin.SimpleListFilter):
    title = "top severity"
    parameter_name = "severity"

    def lookups(self, request, model_admin):
        by_rank = sorted(flag_rules.Severity, key=lambda severity: -severity.rank)
        return [(str(s.rank), s.label) for s in by_rank] + [("-1", "No flags")]

    def queryset(self, request, queryset):
        if self.value() in {str(s.rank) for s in flag_rules.Severity} | {"-1"}:
            return queryset.filter(top_severity_rank=int(self.value()))
        return queryset


class FlagCodeFilter(admin.SimpleListFilter):
    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [(rule.code, rule.code) for rule in flag_rules.CATALOGUE]

    def queryset(self, request, queryset):
        if self.value() in flag_rules.RULES_BY_CODE:
            return queryset.filter(flags__code=self.value()).distinct()
        return queryset


class AssignmentFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("none", "Needs assignment")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_provider=access.provider_of(request.user))
        if self.value() == "none":
            return queryset.filter(assigned_provider__isnull=True)
        return queryset


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("reference", "submitted", "status", "provider", "flag_counts", "top_severity")
    list_display_links = ("reference",)
    list_select_related = ("assigned_provider",)
    list_filter = (StatusFilter, TopSeverityFilter, FlagCodeFilter, AssignmentFilter)
    search_fields = ("=reference", "last_name", "first_name", "=email")
    search_help_text = "Reference (exact), name, or email (exact)."
    list_per_page = 50
    show_full_result_count = False  # a second COUNT(*) over the whole history, on every page
    actions = ["export_csv"]
    change_form_template = "admin/screening/submission/change_form.html"

    # --- who sees what ------------------------------------------------------------------------

    def get_queryset(self, request):
        return access.visible_submissions(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # submissions come from patients only

    def has_delete_permission(self, request, obj=None):
        return False  # retention is handled by purge_expired, audited

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or access.can_view_submission(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_view_submission(request.user, obj))

    def get_list_display(self, request):
        if access.can_view_medical(request.user):
            return self.list_display
        return ("reference", "submitted", "status", "provider")

    def get_list_filter(self, request):
        if access.can_view_medical(request.user):
            return self.list_filter
        return (StatusFilter, AssignmentFilter)

    def get_fields(self, request, obj=None):
        fields = ["reference", "submitted_at", "status", "assigned_provider"]
        contact = ["first_name", "last_name", "preferred_name", "date_of_birth", "email", "phone"]
        return fields + contact

    def get_readonly_fields(self, request, obj=None):
        editable = {"status"}
        if request.user.has_perm("screening.view_all_submissions"):
            editable.add("assigned_provider")
        return [field for field in self.get_fields(request, obj) if field not in editable]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("screening.export_submissions"):
            actions.pop("export_csv", None)
        return actions

    # --- the queue ----------------------------------------------------------------------------

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted(self, submission):
        return timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description="Provider", ordering="assigned_provider__display_name")
    def provider(self, submission):
        if submission.assigned_provider is None:
            return format_html('<span class="unassigned">{}</span>', "Needs assignment")
        return submission.assigned_provider.display_name

    @admin.display(description="Flags (P / D / I)")
    def flag_counts(self, submission):
        return format_html(
            '<span class="flag-counts"><span class="sev-priority">{}</span> / '
            '<span class="sev-discuss">{}</span> / <span class="sev-info">{}</span></span>',
            submission.priority_count,
            submission.discuss_count,
            submission.info_count,
        )

    @admin.display(description="Top severity", ordering="-top_severity_rank")
    def top_severity(self, submission):
        name = submission.top_severity
        return format_html('<span class="severity sev-{}">{}</span>', name or "none", name or "—")

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if access.sees_all_submissions(request.user):
            extra_context["needs_assignment"] = Submission.objects.filter(
                assigned_provider__isnull=True
            ).count()
        return super().changelist_view(request, extra_context)

    # --- one submission -----------------------------------------------------------------------

    @method_decorator(sensitive_post_parameters())
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        if submission is None or not self.has_view_or_change_permission(request, submission):
            return super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            audit.record(action=AuditEvent.Action.VIEWED, request=request, submission=submission)
        extra_context = {**(extra_context or {}), **self._medical_context(request, submission)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _medical_context(self, request, submission):
        if not access.can_view_medical(request.user):
            return {"show_medical": False}
        flags = list(submission.flags.select_related("acknowledged_by"))
        flagged_ids = {qid for flag in flags for qid in flag.questions}
        return {
            "show_medical": True,
            "flags": flags,
            "no_flags_note": NO_FLAGS_NOTE,
            "iso_sources_note": flag_rules.ISO_SOURCES_NOTE,
            "has_iso_flag": any(flag.code.startswith("ISO_") for flag in flags),
            "answer_sections": answers_by_section(
                submission.answers, flagged_ids, version=submission.questionnaire_version
            ),
            "decisions": submission.decisions.select_related("provider"),
            "can_decide": access.can_decide(request.user),
            "can_export": request.user.has_perm("screening.export_submissions"),
            # Read-only: what today's rules and policy would flag differently (stored flags stay).
            "rules_today": flag_rules.submission_flag_diff(submission)
            if submission.status in routing.OPEN_STATUSES
            else None,
        }

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            submission_set_status(submission=obj, status=new_status, request=request)
        if "assigned_provider" in form.changed_data:
            obj.save(update_fields=["assigned_provider"])
            audit.record(
                action=AuditEvent.Action.ASSIGNED,
                request=request,
                submission=obj,
                detail=f"provider #{obj.assigned_provider_id}",
            )

    def log_change(self, request, obj, message):
        pass  # the audit trail records changes; Django's admin log would duplicate it

    # --- extra pages --------------------------------------------------------------------------

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="screening_submission_decide",
            ),
            path(
                "<path:object_id>/print/",
                self.admin_site.admin_view(self.print_view),
                name="screening_submission_print",
            ),
        ]
        return extra + super().get_urls()

    def _submission_for(self, request, object_id):
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, submission):
            raise PermissionDenied
        return submission

    @method_decorator(sensitive_post_parameters())
    def decide_view(self, request, object_id):
        submission = self._submission_for(request, object_id)
        if not access.can_decide(request.user):
            raise PermissionDenied
        unacknowledged = unacknowledged_priority_flags(submission)
        form = DecisionForm(request.POST or None, unacknowledged=unacknowledged)
        modality_flags = []
        if request.method == "POST" and form.is_valid():
            modality = form.cleaned_data["modality"]
            modality_flags = modality_flag_preview(submission=submission, modality=modality)
            if modality_flags and form.cleaned_data["shown_modality"] != modality:
                # Show the flags this modality raises before anything is saved.
                form.data = form.data.copy()
                form.data["shown_modality"] = modality
                messages.warning(
                    request,
                    "This modality raises the flags below. Review them, then record the decision.",
                )
            else:
                try:
                    flags_acknowledge(
                        submission=submission,
                        request=request,
                        flags=form.cleaned_data.get("acknowledge", ()),
                    )
                    decision_record(
                        submission=submission,
                        request=request,
                        outcome=form.cleaned_data["outcome"],
                        modality=modality,
                        notes=form.cleaned_data["notes"],
                    )
                except DecisionRefused as refused:
                    messages.error(request, str(refused))
                else:
                    messages.success(request, "Decision recorded.")
                    return redirect(
                        reverse("admin:screening_submission_change", args=[submission.pk])
                    )
        return TemplateResponse(
            request,
            "admin/screening/submission/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Decision for {submission.reference}",
                "submission": submission,
                "form": form,
                "modality_flags": modality_flags,
                "flags": submission.flags.filter(decision__isnull=True),
                "decisions": submission.decisions.select_related("provider"),
            },
        )

    def print_view(self, request, object_id):
        submission = self._submission_for(request, object_id)
        if not (
            access.can_view_medical(request.user)
            and request.user.has_perm("screening.export_submissions")
        ):
            raise PermissionDenied
        audit.record(action=AuditEvent.Action.PRINTED, request=request, submission=submission)
        return TemplateResponse(
            request,
            "admin/screening/submission/print.html",
            {
                "submission": submission,
                **self._medical_context(request, submission),
                "printed_at": timezone.now(),
            },
        )

    @admin.action(description="Export selected submissions to CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        submissions = list(queryset.prefetch_related("flags", "decisions"))
        for submission in submissions:
            audit.record(
                action=AuditEvent.Action.EXPORTED,
                request=request,
                submission=submission,
                detail="CSV",
            )
        response = HttpResponse(submissions_csv(submissions), content_type="text/csv")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.csv"'
        return response

    def has_export_permission(self, request):
        return request.user.has_perm("screening.export_submissions") and access.can_view_medical(
            request.user
        )


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("display_name", "credential", "level", "is_active", "user")
    list_filter = ("level", "is_active")
    list_select_related = ("user",)
    search_fields = ("display_name", "user__username")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written by the app's services only, never edited through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "actor", "submission", "client_address", "detail")
    list_filter = ("action", "at")
    list_select_related = ("actor", "submission")
    search_fields = ("submission__reference", "actor__username")
    date_hierarchy = "at"


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Read-only history; decisions are recorded from a submission's decision page."""

    list_display = ("submission", "outcome", "modality", "provider", "decided_at")
    list_select_related = ("submission", "provider")

    def get_queryset(self, request):
        visible = access.visible_submissions(request.user, Submission.objects.all())
        return super().get_queryset(request).filter(submission__in=visible)
