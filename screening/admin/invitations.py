"""Invitations in the staff workspace: create one, upload a CSV, see who has started and sent,
unlock a locked one, send the email again.

Only a link's salt and hash are stored; the link is shown once, right after creating an
invitation without an email address, so the front desk can text it.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone

from screening.admin.base import AccessAdmin
from screening.invitations import service as invitations
from screening.invitations.forms import CSV_COLUMNS, InvitationForm, parse_csv
from screening.models import AuditEvent, Invitation, SavedDraft
from screening.questionnaire.date_display import clinic_time
from screening.records import audit
from screening.staff import access


class InvitationStateFilter(admin.SimpleListFilter):
    title = "progress"
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [(state, state.capitalize()) for state in invitations.State.ALL]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        cutoff = timezone.now() - timedelta(hours=settings.SCREENING_INVITATION_GRACE_HOURS)
        open_ = queryset.filter(submission__isnull=True)
        locked = Q(draft__locked_at__isnull=False)
        expired = Q(appointment_at__lte=cutoff)
        started = Q(draft__isnull=False) | Q(opened_at__isnull=False)
        return {
            invitations.State.SENT: queryset.filter(submission__isnull=False),
            invitations.State.LOCKED: open_.filter(locked),
            invitations.State.EXPIRED: open_.exclude(locked).filter(expired),
            invitations.State.STARTED: open_.exclude(locked).exclude(expired).filter(started),
            invitations.State.INVITED: open_.exclude(locked | expired | started),
        }.get(value, queryset)


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with a header row.")


@admin.register(Invitation)
class InvitationAdmin(AccessAdmin):
    form = InvitationForm
    list_display = [
        "__str__",
        "appointment",
        "last_name",
        "first_name",
        "progress",
        "email_state",
        "reference",
    ]
    list_filter = [InvitationStateFilter, "email_state", "appointment_at"]
    search_fields = ["last_name", "first_name", "email", "submission__reference"]
    # No date hierarchy: it moves the earliest and latest appointments to the clinic's zone, and
    # one stored at the edge of the calendar took the list down. The appointment filter stays.
    list_select_related = ["submission", "draft"]
    actions = ["unlock", "resend_email"]
    change_list_template = "admin/screening/invitation/change_list.html"
    readonly_when_changing = [
        "created_at",
        "created_by",
        "opened_at",
        "progress",
        "email_state",
        "email_error",
        "reminders_sent",
        "reference",
    ]

    def get_fields(self, request, obj=None):
        fields = ["first_name", "last_name", "email", "phone", "appointment_at", "provider"]
        fields.append("language")
        return fields + (self.readonly_when_changing if obj else [])

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_when_changing if obj else []

    @admin.display(description="appointment", ordering="appointment_at")
    def appointment(self, obj):
        return formats.date_format(clinic_time(obj.appointment_at), "DATETIME_FORMAT")

    @admin.display(description="progress")
    def progress(self, obj):
        return invitations.state(obj)

    @admin.display(description="submission")
    def reference(self, obj):
        return obj.submission.reference if obj.submission_id else "–"

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail refers to invitations

    def save_model(self, request, obj, form, change):
        if change:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                SavedDraft.objects.filter(invitation=obj).update(
                    expires_at=invitations.expires_at(obj)
                )
                audit.record(
                    action=AuditEvent.Action.CHANGED,
                    request=request,
                    detail=f"invitation #{obj.pk}: {', '.join(form.changed_data)}"[:200],
                )
            return
        created = invitations.invitation_create(
            actor=request.user, request=request, **form.cleaned_data
        )
        obj.pk = created.invitation.pk
        if not created.invitation.email:
            messages.warning(
                request,
                f"No email address: text this link to the patient now, it is not shown again: "
                f"{created.link}",
            )

    def log_addition(self, request, obj, message):
        return super().log_addition(request, Invitation.objects.get(pk=obj.pk), message)

    @admin.action(description="Unlock (after checking who the patient is)")
    def unlock(self, request, queryset):
        if not access.can_unlock_invitation(request.user):
            raise PermissionDenied
        count = sum(
            invitations.invitation_unlock(actor=request.user, invitation=item, request=request)
            for item in queryset
        )
        messages.info(request, f"Unlocked: {count}.")

    @admin.action(description="Send the invitation email again")
    def resend_email(self, request, queryset):
        count = 0
        for item in queryset.filter(submission__isnull=True).exclude(email=""):
            invitations.invitation_resend(actor=request.user, invitation=item, request=request)
            count += 1
        messages.info(request, f"Emails queued: {count}.")

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="screening_invitation_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        if not access.can_invite(request.user):
            raise PermissionDenied
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = parse_csv(upload.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
            errors = result.errors
            if not errors:
                with transaction.atomic():
                    for row in result.rows:
                        invitations.invitation_create(actor=request.user, request=request, **row)
                messages.success(request, f"Invitations created: {len(result.rows)}.")
                return redirect(reverse("admin:screening_invitation_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload invitations (CSV)",
            "form": form,
            "errors": errors,
            "columns": CSV_COLUMNS,
        }
        return TemplateResponse(request, "admin/screening/invitation/upload.html", context)
