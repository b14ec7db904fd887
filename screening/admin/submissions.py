"""The provider's workspace: the queue, a submission's flags and answers, decisions, print, export.

What a user sees follows `access` (minimum necessary): the front desk gets contact details and
status only; a provider gets the medical answers and flags of the submissions they may open.
Every view of a submission page, print view, export, change and decision is audited.
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from screening import flags as flag_rules
from screening.admin import amend
from screening.admin.base import AccessAdmin
from screening.fhir.export import exportable, fhir_export
from screening.flags import labels as flag_labels
from screening.flags import provider_checks
from screening.flags.provider_checks import SELF_REPORT_NOTE
from screening.models import Amendment, AuditEvent, Decision, Flag, Submission
from screening.patient import amending
from screening.questionnaire.answer_types import answers_by_section
from screening.questionnaire.date_display import clinic_time
from screening.questionnaire.date_ranges import appointment_error, form_initial
from screening.questionnaire.text_policy import without_refused_characters
from screening.records import audit
from screening.records.ages import age_on
from screening.records.export import deidentified_csv, submissions_csv
from screening.staff import access, routing
from screening.staff.decisions import (
    DecisionRefused,
    SentForPhysicianReview,
    assignment_error,
    decision_record,
    flags_acknowledge,
    modality_flag_preview,
    needs_physician_review,
    submission_assign,
    submission_mark_reviewed,
    submission_set_status,
    unacknowledged_priority_flags,
)
from screening.staff.forms import AcknowledgeForm, DecisionForm
from screening.workspace import amended, patients, queue, review
from screening.workspace.banner import patient_banner
from screening.workspace.visit_changes import mark_provenance, visit_changes, visit_label

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
    """Plain labels grouped by the catalogue's sections (the code stays the URL's value)."""

    title = "flag"
    parameter_name = "flag"
    template = "admin/screening/submission/flag_filter.html"

    def lookups(self, request, model_admin):
        return [
            (code, label)
            for _, rows in flag_labels.SECTIONS
            for code, label in rows
            if code in flag_rules.RULES_BY_CODE or code in provider_checks.PROVIDER_RULES
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        offered = dict(self.lookup_choices)
        for section, rows in flag_labels.SECTIONS:
            yield {"section": section}
            for code, _ in rows:
                if code in offered:
                    yield {
                        "selected": self.value() == code,
                        "query_string": changelist.get_query_string({self.parameter_name: code}),
                        "display": offered[code],
                    }

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookup_choices):
            return queryset.filter(flags__code=self.value()).distinct()
        return queryset


class AppointmentFilter(admin.SimpleListFilter):
    title = "appointment"
    parameter_name = "appointment"

    def lookups(self, request, model_admin):
        return [("today", "Today"), ("week", "Next 7 days"), ("none", "No appointment yet")]

    def queryset(self, request, queryset):
        window = queue.appointment_window(self.value() or "", timezone.now())
        return queryset if window is None else queryset.filter(window)


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


# The values each filter offers whose value the audit trail may name.
QUEUE_FILTER_VALUES = {
    "status": {StatusFilter.OPEN, StatusFilter.ALL, *Submission.Status.values},
    "appointment": {"today", "week", "none"},
    "assigned": {"me", "none"},
}

SEARCH_KEY = "search"  # the opaque key of a search kept in the session (item: names in URLs)
SEARCHES_KEPT = 20


class SubmissionForm(forms.ModelForm):
    """Status offers only the moves the user may make from the current status; the provider
    list only those who may hold this submission (qualified for its priority flags)."""

    actor = None  # set per request by SubmissionAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        if "status" in self.fields:
            allowed = [current, *access.allowed_statuses(self.actor, self.instance)]
            self.fields["status"].choices = [
                (value, label) for value, label in Submission.Status.choices if value in allowed
            ]
        if "appointment_at" in self.fields:
            self.initial["appointment_at"] = form_initial(self.initial.get("appointment_at"))
            # The admin's split widget labels only the pair: name each box (screen readers, axe).
            date_box, time_box = self.fields["appointment_at"].widget.widgets
            date_box.attrs["aria-label"] = "Appointment date (YYYY-MM-DD)"
            time_box.attrs["aria-label"] = "Appointment time (HH:MM, 24-hour)"
            time_box.format = "%H:%M"  # a consultation's time has no seconds
        if "assigned_provider" in self.fields:
            field = self.fields["assigned_provider"]
            field.queryset = routing.assignable_providers(self.instance)
            field.label_from_instance = routing.chooser_label

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status != self.instance.status and not access.can_set_status(
            self.actor, self.instance, status
        ):
            raise forms.ValidationError("You cannot move this submission to that status.")
        return status

    def clean_appointment_at(self):
        appointment = self.cleaned_data["appointment_at"]
        if appointment is not None and "appointment_at" in self.changed_data:
            error = appointment_error(appointment)
            if error:
                raise forms.ValidationError(error)
        return appointment

    def clean(self):
        cleaned = super().clean()
        booked = Submission.Status.CONSULTATION_BOOKED
        if (
            cleaned.get("status") == booked
            and "appointment_at" in self.fields
            and not cleaned.get("appointment_at")
        ):
            self.add_error("appointment_at", "Enter the consultation's date and time to book it.")
        return cleaned

    def clean_assigned_provider(self):
        provider = self.cleaned_data["assigned_provider"]
        error = assignment_error(submission=self.instance, provider=provider)
        if error and provider != self.instance.assigned_provider:
            raise forms.ValidationError(error)
        return provider


class SearchKeyChangeList(ChangeList):
    """The search term stays in the session; the URL carries only its opaque key."""

    def __init__(self, request, *args, **kwargs):
        self.kept_search = getattr(request, "_kept_search", "")
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        lookup_params.pop(SEARCH_KEY, None)
        return lookup_params

    def get_ordering_field_columns(self):
        # The queue's own order is clinical (unreviewed priority first, then by appointment),
        # not any one column's: no header claims it with an arrow until one is clicked.
        if ORDER_VAR not in self.params:
            return {}
        return super().get_ordering_field_columns()

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        # Per page, a constant number of queries: the same person's other submissions (the
        # returning mark and links), and for those who see health data the flags' names.
        related = patients.related_by_submission(rows, self.model_admin.get_queryset(request))
        for row in rows:
            row.related = related.get(row.pk, [])
        if access.can_view_medical(request.user):
            prefetch_related_objects(rows, queue.current_flags())
        self.result_list = rows


FLAG_NAMES_SHOWN = 4


def flag_names(submission) -> str:
    """The row's flags by name, each marked with its severity (the first few, then how many
    more)."""
    flags = getattr(submission, "current_flags", [])
    amended_mark = (
        format_html(' <span class="amended-mark">{}</span>', "Amended")
        if submission.answers_version > 1
        else ""
    )
    if not flags:
        return format_html('<span class="quiet">{}</span>{}', "None", amended_mark)
    shown = format_html_join(
        " ",
        '<span class="flag-name sev-{}"><span class="sr-only">{}: </span>{}</span>',
        (
            (flag.severity, flag.get_severity_display(), flag.label)
            for flag in flags[:FLAG_NAMES_SHOWN]
        ),
    )
    more = len(flags) - FLAG_NAMES_SHOWN
    if more > 0:
        shown = format_html('{} <span class="quiet">and {} more</span>', shown, more)
    # Answers changed after sending: the row says so (the review page says which and how).
    return format_html("{}{}", shown, amended_mark)


@admin.register(Submission)
class SubmissionAdmin(AccessAdmin):
    list_display = (
        "reference",
        "patient",
        "age",
        "appointment",
        "waiting",
        "status",
        "provider",
        "flag_names",
        "top_severity",
    )
    list_display_links = ("reference",)
    list_select_related = ("assigned_provider",)
    list_filter = (
        StatusFilter,
        AppointmentFilter,
        TopSeverityFilter,
        FlagCodeFilter,
        AssignmentFilter,
    )
    # The review page opens with the patient and the flags; its Save follows the controls.
    save_on_top = False
    search_help_text = "Reference (exact), name, or email (exact)."
    list_per_page = 50
    show_full_result_count = False  # a second COUNT(*) over the whole history, on every page
    actions = ["export_csv", "export_deidentified", "export_fhir"]
    form = SubmissionForm
    change_form_template = "admin/screening/submission/change_form.html"

    # --- who sees what (access decides) -------------------------------------------------------

    def get_queryset(self, request):
        return access.visible_submissions(request.user, super().get_queryset(request))

    def get_list_display(self, request):
        if access.can_view_medical(request.user):
            return self.list_display
        return ("reference", "patient", "age", "appointment", "waiting", "status", "provider")

    def get_list_filter(self, request):
        if access.offers_medical_filters(request.user):
            return self.list_filter
        return (StatusFilter, AppointmentFilter, AssignmentFilter)

    def get_ordering(self, request):
        return queue.order_for(request.user)

    def get_fields(self, request, obj=None):
        # The header above shows the reference, name, date of birth and submission time: the
        # form holds what changes (status, appointment, provider) and how to reach the patient.
        return ["status", "appointment_at", "assigned_provider", "phone", "email"]

    def get_readonly_fields(self, request, obj=None):
        editable = set()
        if obj is not None and access.allowed_statuses(request.user, obj):
            editable.add("status")
        if obj is not None and access.can_set_appointment(request.user, obj):
            editable.add("appointment_at")
        if access.can_assign(request.user):
            editable.add("assigned_provider")
        return [field for field in self.get_fields(request, obj) if field not in editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not access.can_export(request.user):
            actions.pop("export_csv", None)
            actions.pop("export_deidentified", None)
            actions.pop("export_fhir", None)
        return actions

    # --- the queue ----------------------------------------------------------------------------

    @admin.display(description="Patient", ordering="last_name")
    def patient(self, submission):
        if submission.erased_at:
            return "(erased)"
        name = f"{submission.last_name}, {submission.first_name}"
        if submission.preferred_name:
            name += f" ({submission.preferred_name})"
        if submission.language != settings.LANGUAGE_CODE:
            name = format_html(
                '{} <span class="quiet answered-in">answered in {}</span>',
                name,
                submission.get_language_display(),
            )
        related = getattr(submission, "related", [])
        rescreen = visit_label(submission)
        if rescreen:
            name = format_html(
                '{} <span class="returning-mark rescreen-mark">{}</span>', name, rescreen
            )
        elif any(other.earlier for other in related):
            name = format_html('{} <span class="returning-mark">Returning</span>', name)
        # Linked, not listed: the reference of the newest other open submission is one click
        # away (the banner lists them all).
        also_open = [other for other in related if other.is_open]
        if also_open:
            name = format_html(
                '{} <a class="also-open" href="{}">{}</a>',
                name,
                reverse("admin:screening_submission_change", args=[also_open[0].pk]),
                "another open submission"
                if len(also_open) == 1
                else f"{len(also_open)} other open submissions",
            )
        return name

    @admin.display(description="Age", ordering="-date_of_birth")
    def age(self, submission):
        age = age_on(submission.date_of_birth, timezone.localdate())
        return "—" if age is None else age

    @admin.display(description="Appointment", ordering="appointment_at")
    def appointment(self, submission):
        if submission.appointment_at is None:
            return format_html('<span class="quiet">{}</span>', "Not booked")
        local = clinic_time(submission.appointment_at)
        return format_html(
            '<time datetime="{}">{}</time>', local.isoformat(), local.strftime("%a %d %b %H:%M")
        )

    @admin.display(description="Waiting", ordering="submitted_at")
    def waiting(self, submission):
        now = timezone.now()
        submitted = clinic_time(submission.submitted_at).strftime("%Y-%m-%d %H:%M")
        if submission.reviewed:
            return format_html('<span title="Submitted {}">{}</span>', submitted, "Reviewed")
        return format_html(
            '<span class="{}" title="Submitted {}">{}</span>',
            "overdue" if queue.is_overdue(submission, now) else "waiting",
            submitted,
            queue.waited(submission.submitted_at, now),
        )

    @admin.display(description="Provider", ordering="assigned_provider__display_name")
    def provider(self, submission):
        if submission.assigned_provider is None:
            return format_html('<span class="unassigned">{}</span>', "Needs assignment")
        return submission.assigned_provider.display_name

    @admin.display(description="Flags")
    def flag_names(self, submission):
        return flag_names(submission)

    @admin.display(description="Top severity", ordering="-top_severity_rank")
    def top_severity(self, submission):
        name = submission.top_severity
        return format_html('<span class="severity sev-{}">{}</span>', name or "none", name or "—")

    def get_changelist(self, request, **kwargs):
        return SearchKeyChangeList

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term or getattr(request, "_kept_search", "")
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request, extra_context=None):
        # A search typed into the URL moves into the session at once: only the first request's
        # log line holds it; the search box itself posts (search_view).
        if request.method == "GET" and request.GET.get("q"):
            return self._redirect_to_kept_search(request, request.GET)
        kept = request.session.get("staff_searches", {}).get(request.GET.get(SEARCH_KEY, ""), "")
        request._kept_search = kept
        self._audit_queue_query(request, searched=bool(kept))
        extra_context = {**(extra_context or {}), "kept_search": kept, "title": "Queue"}
        extra_context["attention"] = queue.attention_panel(
            self.get_queryset(request),
            timezone.now(),
            medical=access.can_view_medical(request.user),
        )
        if access.sees_all_submissions(request.user):
            extra_context["needs_assignment"] = Submission.objects.filter(
                assigned_provider__isnull=True
            ).count()
        return super().changelist_view(request, extra_context)

    def search_view(self, request):
        """The queue's search box posts here: the term goes to the session, never to a URL."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(reverse("admin:screening_submission_changelist"))
        return self._redirect_to_kept_search(request, request.POST)

    def _redirect_to_kept_search(self, request, data):
        params = data.copy()
        # Characters no typed text keeps (NUL, controls ...) can match nothing: dropped.
        term = without_refused_characters(params.pop("q", [""])[-1]).strip()[:200]
        params.pop("csrfmiddlewaretoken", None)
        params.pop(SEARCH_KEY, None)
        if term:
            searches = request.session.get("staff_searches", {})
            key = secrets.token_urlsafe(8)
            searches = dict(list(searches.items())[-(SEARCHES_KEPT - 1) :])
            searches[key] = term
            request.session["staff_searches"] = searches
            params[SEARCH_KEY] = key
        url = reverse("admin:screening_submission_changelist")
        return HttpResponseRedirect(f"{url}?{params.urlencode()}" if params else url)

    def _audit_queue_query(self, request, *, searched: bool):
        """Which filters narrowed the queue (values only for status, appointment and assignment:
        a flag code or severity is health data), and whether a search was used (never its text).
        A value the filter does not offer is recorded as "?": the URL is the user's to type, the
        audit trail is not."""
        used = []
        for name, value in sorted(request.GET.items()):
            if name in QUEUE_FILTER_VALUES:
                used.append(f"{name}={value if value in QUEUE_FILTER_VALUES[name] else '?'}")
            elif name in ("severity", "flag"):
                used.append(name)
        if searched:
            used.append("search")
        if used:
            audit.record(
                action=AuditEvent.Action.SEARCHED,
                actor=request.user,
                address=audit.client_address(request),
                detail="queue: " + ", ".join(used),
            )

    # --- one submission -----------------------------------------------------------------------

    @method_decorator(sensitive_post_parameters())
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, object_id)
        if submission is None or not self.has_view_or_change_permission(request, submission):
            self._audit_refused(request, object_id, "submission page")
            return super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET":
            audit.record(
                action=AuditEvent.Action.VIEWED,
                actor=request.user,
                address=audit.client_address(request),
                submission=submission,
            )
        extra_context = {
            **(extra_context or {}),
            **self._medical_context(request, submission),
            "can_unlock_amending": submission.amend_locked_at is not None
            and access.can_unlock_invitation(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        """The history page names the patient too (the banner), and is audited as a view."""
        submission = self.get_object(request, object_id)
        if submission is not None and self.has_view_or_change_permission(request, submission):
            audit.record(
                action=AuditEvent.Action.VIEWED,
                actor=request.user,
                address=audit.client_address(request),
                submission=submission,
                detail="history",
            )
            extra_context = {
                **(extra_context or {}),
                "banner": patient_banner(
                    submission, user=request.user, visible=self.get_queryset(request)
                ),
            }
        return super().history_view(request, object_id, extra_context)

    def _audit_refused(self, request, object_id, page):
        """A staff member asked for a submission they may not open: record who and which."""
        try:
            submission = Submission.objects.filter(pk=int(object_id)).first()
        except (TypeError, ValueError):
            submission = None
        if submission is not None:
            audit.record(
                action=AuditEvent.Action.REFUSED,
                actor=request.user,
                address=audit.client_address(request),
                submission=submission,
                detail=page,
            )

    def _medical_context(self, request, submission):
        visible = self.get_queryset(request)
        header = {"skin_type_self": ""}
        if not access.can_view_medical(request.user):
            return {
                "show_medical": False,
                "header": header,
                "banner": patient_banner(submission, user=request.user, visible=visible),
            }
        flags = list(
            submission.flags.select_related(
                "acknowledged_by__provider", "decision__superseded_by", *amended.FLAG_RELATED
            ).order_by("-severity_rank", "id")
        )
        views = review.flag_views(
            flags,
            questionnaire_version=submission.questionnaire_version,
            visit=submission.visit(),
        )
        current = [view for view in views if view.counts]
        flagged_ids = {qid for view in current for qid in view.flag.questions}
        can_decide = access.can_decide_on(request.user, submission)
        open_flags = [view.flag for view in current if view.flag.acknowledged_at is None]
        open_priority = any(flag.severity == Flag.Severity.PRIORITY for flag in open_flags)
        header["skin_type_self"] = review.self_reported_skin_type(submission)
        header["skin_type_note"] = SELF_REPORT_NOTE
        header["needs_physician_review"] = needs_physician_review(submission)
        sections = answers_by_section(
            submission.answers,
            flagged_ids,
            version=submission.questionnaire_version,
            visit=submission.visit(),
        )
        for section in sections:
            section["flagged_count"] = sum(1 for row in section["rows"] if row["flagged"])
        # A re-screen: what changed since the previous form first, carried answers marked.
        changes = visit_changes(submission, visible=visible, flags=flags)
        mark_provenance(sections, submission, changes)
        earlier = review.earlier_submissions(submission, visible)
        return {
            **amended.amendment_context(submission, flags, sections),
            "can_amend": access.can_amend_answers(request.user, submission)
            and submission.erased_at is None,
            "show_medical": True,
            "header": header,
            "banner": patient_banner(submission, user=request.user, visible=visible, flags=flags),
            "flag_views": views,
            "current_flag_count": len(current),
            "no_flags_note": NO_FLAGS_NOTE,
            "answer_sections": sections,
            "decisions": submission.decisions.select_related("provider"),
            "can_decide": can_decide,
            "can_mark_reviewed": can_decide and not submission.reviewed and not open_priority,
            "can_export": access.can_export(request.user),
            "acknowledge_form": AcknowledgeForm(
                open_flags=Flag.objects.filter(pk__in=[flag.pk for flag in open_flags])
            )
            if can_decide and open_flags
            else None,
            "earlier": earlier,
            "visit_changes": changes,
            # The newest earlier submission's changes, shown near the top for a returning patient
            # (a re-screen shows its own panel instead: visit_changes).
            "changes_since": earlier[0] if earlier and changes is None else None,
            # Read-only: what today's rules and policy would flag differently (stored flags stay).
            "rules_today": flag_rules.submission_flag_diff(submission)
            if submission.status in routing.OPEN_STATUSES
            else None,
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["title"] = f"Review {obj.reference}"
            context["subtitle"] = None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        address = audit.client_address(request)
        appointment_at = obj.appointment_at if "appointment_at" in form.changed_data else None
        if "appointment_at" in form.changed_data:
            obj.appointment_at = form.initial["appointment_at"]
        if "status" in form.changed_data or appointment_at is not None:
            new_status = obj.status
            obj.status = form.initial["status"]
            submission_set_status(
                submission=obj,
                status=new_status,
                actor=request.user,
                address=address,
                appointment_at=appointment_at,
            )
        if "assigned_provider" in form.changed_data:
            provider = obj.assigned_provider
            obj.assigned_provider_id = form.initial["assigned_provider"]
            submission_assign(
                submission=obj, provider=provider, actor=request.user, address=address
            )

    def log_change(self, request, obj, message):
        pass  # the audit trail records changes; Django's admin log would duplicate it

    # --- extra pages --------------------------------------------------------------------------

    def get_urls(self):
        extra = [
            path(
                "my-day/",
                self.admin_site.admin_view(self.my_day_view),
                name="screening_submission_my_day",
            ),
            path(
                "search/",
                self.admin_site.admin_view(self.search_view),
                name="screening_submission_search",
            ),
            path(
                "<path:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="screening_submission_decide",
            ),
            path(
                "<path:object_id>/acknowledge/",
                self.admin_site.admin_view(self.acknowledge_view),
                name="screening_submission_acknowledge",
            ),
            path(
                "<path:object_id>/amend/",
                self.admin_site.admin_view(self.amend_view),
                name="screening_submission_amend",
            ),
            path(
                "<path:object_id>/unlock-amending/",
                self.admin_site.admin_view(require_POST(self.unlock_amending_view)),
                name="screening_submission_unlock_amending",
            ),
            path(
                "<path:object_id>/print/",
                self.admin_site.admin_view(self.print_view),
                name="screening_submission_print",
            ),
        ]
        return extra + super().get_urls()

    def my_day_view(self, request):
        """A provider's home: their patients today and the next days by appointment, what
        needs them first, and those still without an appointment."""
        provider = access.provider_of(request.user)
        if provider is None or not access.can_view_medical(request.user):
            raise PermissionDenied
        now = timezone.now()
        visible = self.get_queryset(request)
        mine = queue.mine(visible, provider)
        days = queue.my_days(mine, now)
        unbooked = list(
            queue.ordered(
                mine.filter(status__in=routing.OPEN_STATUSES, appointment_at__isnull=True),
                request.user,
            ).prefetch_related(queue.current_flags())[: queue.PANEL_ROWS]
        )
        rows = [row for day in days for row in day.rows] + unbooked
        related = patients.related_by_submission(rows, visible)
        for row in rows:
            row.related = related.get(row.pk, [])
            row.returning = any(other.earlier for other in row.related)
            row.rescreen = visit_label(row)
            row.attention = queue.needs_attention(row, now)
            row.age = age_on(row.date_of_birth, timezone.localdate(now))
        return TemplateResponse(
            request,
            "admin/screening/submission/my_day.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "My day",
                "provider": provider,
                "days": days,
                "today": timezone.localdate(now),
                "unbooked": unbooked,
                "attention": queue.attention_panel(mine, now, medical=True),
            },
        )

    def _submission_for(self, request, object_id, page, *, allowed):
        """The submission if `allowed(user, submission)`; refusals are audited."""
        submission = (
            self.get_queryset(request).filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if submission is None:
            self._audit_refused(request, object_id, page)
            raise Http404
        if not allowed(request.user, submission):
            self._audit_refused(request, object_id, page)
            raise PermissionDenied
        return submission

    def unlock_amending_view(self, request, object_id):
        """Unlock the patient's link to change answers, locked by wrong dates of birth (whoever
        may unlock an invitation, after checking who the patient is)."""
        submission = self._submission_for(
            request,
            object_id,
            "unlock amending",
            allowed=lambda user, _submission: access.can_unlock_invitation(user),
        )
        if amending.unlock(
            actor=request.user,
            submission=submission,
            request=request,
            where="from the submission's page",
        ):
            messages.success(request, "Unlocked: the patient can change their answers again.")
        else:
            messages.info(request, "Changing answers was not locked: nothing to unlock.")
        return redirect(reverse("admin:screening_submission_change", args=[submission.pk]))

    @method_decorator(sensitive_post_parameters())
    def amend_view(self, request, object_id):
        """A provider amends an answer told in person (screening/admin/amend.py)."""
        return amend.amend_view(self, request, object_id)

    @method_decorator(sensitive_post_parameters())
    def decide_view(self, request, object_id):
        submission = self._submission_for(
            request, object_id, "decision page", allowed=access.can_decide_on
        )
        address = audit.client_address(request)
        if request.method == "GET":
            audit.record(
                action=AuditEvent.Action.DECISION_OPENED,
                actor=request.user,
                address=address,
                submission=submission,
            )
        unacknowledged = unacknowledged_priority_flags(submission)
        form = DecisionForm(request.POST or None, unacknowledged=unacknowledged)
        modality_flags = []
        if request.method == "POST" and form.is_valid():
            modality = form.cleaned_data["modality"]
            modality_flags = review.raised_flag_views(
                modality_flag_preview(
                    submission=submission,
                    modality=modality,
                    provider_skin_type=form.cleaned_data["provider_skin_type"],
                ),
                questionnaire_version=submission.questionnaire_version,
                visit=submission.visit(),
            )
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
                        actor=request.user,
                        address=address,
                        flags=form.cleaned_data.get("acknowledge", ()),
                    )
                    decision_record(
                        submission=submission,
                        actor=request.user,
                        address=address,
                        outcome=form.cleaned_data["outcome"],
                        modality=modality,
                        notes=form.cleaned_data["notes"],
                        provider_skin_type=form.cleaned_data["provider_skin_type"],
                        next_session_weeks=form.cleaned_data.get("next_session_weeks"),
                    )
                except SentForPhysicianReview as sent:
                    messages.warning(request, str(sent))
                    return redirect(reverse("admin:screening_submission_changelist"))
                except DecisionRefused as refused:
                    messages.error(request, str(refused))
                else:
                    following = queue.next_patient(
                        self.get_queryset(request),
                        access.provider_of(request.user),
                        after=submission,
                    )
                    if following is None:
                        messages.success(request, "Decision recorded. No other open patient.")
                    else:
                        messages.success(
                            request,
                            format_html(
                                'Decision recorded. Next patient: <a class="next-patient" '
                                'href="{}">{} · {} {}{}</a>',
                                reverse("admin:screening_submission_change", args=[following.pk]),
                                following.reference,
                                following.first_name,
                                following.last_name,
                                clinic_time(following.appointment_at).strftime(" · %a %d %b %H:%M")
                                if following.appointment_at
                                else "",
                            ),
                        )
                    return redirect(
                        reverse("admin:screening_submission_change", args=[submission.pk])
                    )
        flags = list(
            submission.flags.select_related(
                "acknowledged_by__provider", "decision__superseded_by", *amended.FLAG_RELATED
            ).order_by("-severity_rank", "id")
        )
        return TemplateResponse(
            request,
            "admin/screening/submission/decide.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "submission": submission,
                "form": form,
                "modality_flags": modality_flags,
                "title": f"Decide on {submission.reference}",
                "banner": patient_banner(
                    submission, user=request.user, visible=self.get_queryset(request), flags=flags
                ),
                "flag_views": [
                    view
                    for view in review.flag_views(
                        flags,
                        questionnaire_version=submission.questionnaire_version,
                        visit=submission.visit(),
                    )
                    if view.counts
                ],
                # Shown struck through, not counted: the decision is on today's answers.
                "cleared_flag_views": [
                    view
                    for view in review.flag_views(
                        flags,
                        questionnaire_version=submission.questionnaire_version,
                        visit=submission.visit(),
                    )
                    if view.cleared and not view.superseded
                ],
                **amended.amendment_context(submission, flags),
                "key_answers": review.key_answers(submission),
                # A re-screen: what changed since the previous form, above the decision.
                "visit_changes": visit_changes(
                    submission, visible=self.get_queryset(request), flags=flags
                ),
                "skin_type_self": review.self_reported_skin_type(submission),
                "skin_type_note": SELF_REPORT_NOTE,
                "decisions": submission.decisions.select_related("provider"),
            },
        )

    def acknowledge_view(self, request, object_id):
        """The review page's acknowledgement form posts here (one or several flags, a comment)."""
        submission = self._submission_for(
            request, object_id, "acknowledge", allowed=access.can_decide_on
        )
        page = reverse("admin:screening_submission_change", args=[submission.pk])
        if request.method != "POST":
            return redirect(page)
        if "mark_reviewed" in request.POST and not request.POST.getlist("flags"):
            try:
                submission_mark_reviewed(
                    submission=submission,
                    actor=request.user,
                    address=audit.client_address(request),
                )
            except DecisionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, "Review marked done.")
            return redirect(page)
        open_flags = submission.flags.filter(
            acknowledged_at__isnull=True, cleared_by_amendment__isnull=True
        ).exclude(decision__superseded_by__isnull=False)
        form = AcknowledgeForm(request.POST, open_flags=open_flags)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(page)
        try:
            done = flags_acknowledge(
                submission=submission,
                flags=form.cleaned_data["flags"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
                address=audit.client_address(request),
            )
        except DecisionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{done} flag{'s' if done != 1 else ''} acknowledged.")
        return redirect(f"{page}#flags-title")

    def print_view(self, request, object_id):
        submission = self._submission_for(
            request, object_id, "print view", allowed=lambda user, _: access.can_export(user)
        )
        audit.record(
            action=AuditEvent.Action.PRINTED,
            actor=request.user,
            address=audit.client_address(request),
            submission=submission,
        )
        return TemplateResponse(
            request,
            "admin/screening/submission/print.html",
            {
                "submission": submission,
                **self._medical_context(request, submission),
                "acknowledge_form": None,
                "print": True,
                "printed_at": timezone.now(),
            },
        )

    @admin.action(description="Export selected submissions to CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, submissions_csv, "CSV", "submissions")

    @admin.action(
        description="Export selected, de-identified, for quality review (CSV)",
        permissions=["export"],
    )
    def export_deidentified(self, request, queryset):
        return self._export(
            request, queryset, deidentified_csv, "de-identified CSV", "quality-review"
        )

    def _export(self, request, queryset, render, detail, name):
        submissions = list(
            queryset.order_by("submitted_at", "id")
            .select_related("previous_submission")  # a re-screen's visit columns
            .prefetch_related(
                Prefetch(
                    "flags",
                    queryset=Flag.objects.select_related(
                        "acknowledged_by", "decision__superseded_by"
                    ),
                ),
                Prefetch("decisions", queryset=Decision.objects.select_related("provider")),
                Prefetch("amendments", queryset=Amendment.objects.select_related("actor")),
            )
        )
        address = audit.client_address(request)
        for submission in submissions:
            audit.record(
                action=AuditEvent.Action.EXPORTED,
                actor=request.user,
                address=address,
                submission=submission,
                detail=detail,
            )
        response = HttpResponse(render(submissions), content_type="text/csv")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response

    @admin.action(description="Export selected submissions as FHIR (JSON)", permissions=["export"])
    def export_fhir(self, request, queryset):
        bundle = fhir_export(
            submissions=exportable(queryset.order_by("submitted_at")),
            actor=request.user,
            address=audit.client_address(request),
            channel="admin",
        )
        response = JsonResponse(
            bundle, content_type="application/fhir+json", json_dumps_params={"indent": 2}
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="submissions-{stamp}.fhir.json"'
        return response

    def has_export_permission(self, request):
        return access.can_export(request.user)
