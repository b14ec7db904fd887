"""Invitations in the staff workspace: create one, upload a CSV, see who has started and sent,
unlock a locked one, send the email again.

Only a link's salt and hash are stored. A patient with a mobile and no email address gets their
link from the front desk: after adding or uploading such invitations (or "send again"), the
links page shows each one once, to text or read out. Which links are waiting is kept in the
server-side session (ids only), never in a cookie or an address; each showing is audited.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_POST, require_safe

from screening.admin import check_in
from screening.admin.base import AccessAdmin
from screening.admin.kept_search import KeptSearchMixin
from screening.invitations import rescreen
from screening.invitations import service as invitations
from screening.invitations.forms import CSV_COLUMNS, InvitationForm, parse_csv
from screening.invitations.rescreen_form import RescreenInvitationForm
from screening.invitations.series import series_to_book
from screening.models import AuditEvent, Invitation, SavedDraft, Submission
from screening.patient import amending
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


PENDING_LINKS = "invitation_links_pending"


def hand_over_links(request, invitation_ids) -> None:
    """Queue phone-only invitations for the links page (their ids, in the session)."""
    pending = set(request.session.get(PENDING_LINKS, ()))
    request.session[PENDING_LINKS] = sorted(pending | set(invitation_ids))


class AppointmentWhenFilter(admin.SimpleListFilter):
    """The front desk's days: today, tomorrow, the coming week, later, or past."""

    title = "appointment"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [
            ("today", "Today"),
            ("tomorrow", "Tomorrow"),
            ("week", "Next 7 days"),
            ("later", "Later"),
            ("past", "Past"),
        ]

    def queryset(self, request, queryset):
        start = _day_start(timezone.localdate())
        day = timedelta(days=1)
        ranges = {
            "today": (start, start + day),
            "tomorrow": (start + day, start + 2 * day),
            "week": (start, start + 7 * day),
            "later": (start + 7 * day, None),
            "past": (None, start),
        }
        if self.value() not in ranges:
            return queryset
        after, before = ranges[self.value()]
        if after is not None:
            queryset = queryset.filter(appointment_at__gte=after)
        if before is not None:
            queryset = queryset.filter(appointment_at__lt=before)
        return queryset


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, with a header row.")


@admin.register(Invitation)
class InvitationAdmin(KeptSearchMixin, AccessAdmin):
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
    list_filter = [AppointmentWhenFilter, InvitationStateFilter, "email_state"]
    # No date hierarchy: it moves the earliest and latest appointments to the clinic's zone, and
    # one stored at the edge of the calendar took the list down. The appointment filter stays.
    change_form_template = "admin/screening/invitation/change_form.html"
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
        "return_visit",
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

    @admin.display(description="return visit")
    def return_visit(self, obj):
        """A re-screen's context (never answers): why, from which form, the last treatment."""
        if obj.previous_submission_id is None:
            return "–"
        treated = (
            f"; last treatment here {obj.treatment_date:%Y-%m-%d}"
            if obj.treatment_date
            else "; not treated here since"
        )
        return f"{obj.get_visit_type_display()} from {obj.previous_submission.reference}{treated}"

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
            hand_over_links(request, [obj.pk])

    def response_add(self, request, obj, post_url_continue=None):
        if request.session.get(PENDING_LINKS):
            return redirect(reverse("admin:screening_invitation_links"))
        return super().response_add(request, obj, post_url_continue)

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

    @admin.action(description="Send again (email, or the link to give by phone)")
    def resend_email(self, request, queryset):
        """Says, for each selected row, what was done: emailed, link to give, or nothing."""
        outcomes = [
            (
                item,
                invitations.invitation_send_again(
                    actor=request.user, invitation=item, request=request
                ),
            )
            for item in queryset.select_related("submission").order_by("appointment_at", "pk")
        ]
        links = [item.pk for item, outcome in outcomes if outcome == invitations.Resent.LINK]
        hand_over_links(request, links)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Send again: what was done",
            "outcomes": outcomes,
            "links": len(links),
        }
        return TemplateResponse(request, "admin/screening/invitation/sent_again.html", context)

    def get_urls(self):
        return [
            path(
                "today/",
                self.admin_site.admin_view(require_safe(self.today_view)),
                name="screening_invitation_today",
            ),
            path(
                "return-visit/<int:submission_id>/",
                self.admin_site.admin_view(self.return_visit_view),
                name="screening_invitation_return_visit",
            ),
            path(
                "<path:object_id>/unlock/",
                self.admin_site.admin_view(require_POST(self.unlock_view)),
                name="screening_invitation_unlock",
            ),
            *self.search_urls(),
            *check_in.urls(self.admin_site),
            path(
                "links/",
                self.admin_site.admin_view(self.links_view),
                name="screening_invitation_links",
            ),
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
                    created = [
                        invitations.invitation_create(actor=request.user, request=request, **row)
                        for row in result.rows
                    ]
                by_phone = [item.invitation.pk for item in created if not item.invitation.email]
                messages.success(
                    request,
                    f"Invitations created: {len(created)}; emailed: {len(created) - len(by_phone)}"
                    f"; to give by phone: {len(by_phone)}.",
                )
                if by_phone:
                    hand_over_links(request, by_phone)
                    return redirect(reverse("admin:screening_invitation_links"))
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

    def return_visit_view(self, request, submission_id):
        """Invite a returning patient (the patient of submission `submission_id`) to a
        re-screen: a series session or a new consultation. Contact details and the visit's
        context only, never answers or flags."""
        previous = Submission.objects.filter(pk=submission_id).first()
        if previous is None:
            raise Http404
        if not access.can_invite_returning(request.user, previous):
            audit.record(
                action=AuditEvent.Action.REFUSED,
                request=request,
                actor=request.user,
                submission=previous,
                detail="return-visit invitation",
            )
            raise PermissionDenied
        form = RescreenInvitationForm(request.POST or None, previous=previous)
        if request.method == "POST" and form.is_valid():
            created = rescreen.rescreen_invitation_create(
                actor=request.user, request=request, previous=previous, **form.cleaned_data
            )
            invitation = created.invitation
            if created.scheduled:
                due = clinic_time(rescreen.email_due_at(invitation.appointment_at))
                messages.success(
                    request,
                    f"Return-visit invitation created. Its email goes on {due:%a %-d %b %Y}, "
                    f"{settings.SCREENING_RESCREEN_LEAD_DAYS} days before the appointment.",
                )
            elif invitation.email:
                messages.success(request, "Return-visit invitation created and emailed.")
            else:
                messages.success(request, "Return-visit invitation created.")
            if not invitation.email:
                hand_over_links(request, [invitation.pk])
                return redirect(reverse("admin:screening_invitation_links"))
            return redirect(reverse("admin:screening_invitation_change", args=[invitation.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Invite {previous.first_name} {previous.last_name} for a return visit",
            "previous": previous,
            "form": form,
            "lead_days": settings.SCREENING_RESCREEN_LEAD_DAYS,
            "patient_form": rescreen.form_for(previous),
        }
        return TemplateResponse(request, "admin/screening/invitation/return_visit.html", context)

    def links_view(self, request):
        """The waiting phone-only links, shown once: to print, text or read out."""
        if not access.can_invite(request.user):
            raise PermissionDenied
        pending = request.session.pop(PENDING_LINKS, [])
        shown = invitations.links_show(actor=request.user, invitation_ids=pending, request=request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Links to give by phone",
            "shown": shown,
        }
        return TemplateResponse(request, "admin/screening/invitation/links.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        invitation = self.get_object(request, object_id)
        may_unlock = invitation is not None and access.can_unlock_invitation(request.user)
        extra_context = {
            **(extra_context or {}),
            "can_unlock": may_unlock and invitations.state(invitation) == invitations.State.LOCKED,
            # Answered, then the link to change the answers locked by wrong dates of birth.
            "can_unlock_amending": may_unlock
            and invitation.submission is not None
            and invitation.submission.amend_locked_at is not None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def unlock_view(self, request, object_id):
        """Unlock from the invitation's own page, after checking who the patient is."""
        if not access.can_unlock_invitation(request.user):
            raise PermissionDenied
        invitation = self.get_object(request, object_id)
        if invitation is None:
            raise Http404
        unlocked = invitations.invitation_unlock(
            actor=request.user, invitation=invitation, request=request
        )
        if invitation.submission is not None:
            unlocked |= amending.unlock(
                actor=request.user,
                submission=invitation.submission,
                request=request,
                where="from the invitation's page",
            )
        if unlocked:
            messages.success(request, "Unlocked: the patient can go on with their date of birth.")
        else:
            messages.info(request, "This invitation was not locked: nothing to unlock.")
        return redirect(reverse("admin:screening_invitation_change", args=[invitation.pk]))

    def today_view(self, request):
        """The front desk's day: invitations and submissions by appointment time, with how far
        each patient has got; never an answer, a flag or an order that would reveal one."""
        if not access.can_invite(request.user):
            raise PermissionDenied
        try:
            day = date.fromisoformat(request.GET.get("day", ""))
        except ValueError:
            day = timezone.localdate()
        start, end = _day_start(day), _day_start(day + timedelta(days=1))
        rows = []
        for invitation in Invitation.objects.filter(
            appointment_at__gte=start, appointment_at__lt=end
        ).select_related("submission", "draft"):
            rows.append(
                {
                    "at": invitation.appointment_at,
                    "name": f"{invitation.last_name}, {invitation.first_name}",
                    "phone": invitation.phone,
                    "invitation": invitation,
                    "progress": invitations.state(invitation),
                    "submission": invitation.submission,
                }
            )
        walk_ins = access.visible_submissions(
            request.user,
            Submission.objects.filter(
                appointment_at__gte=start, appointment_at__lt=end, invitation__isnull=True
            ),
        )
        for submission in walk_ins:
            rows.append(
                {
                    "at": submission.appointment_at,
                    "name": f"{submission.last_name}, {submission.first_name}",
                    "phone": submission.phone,
                    "invitation": None,
                    "progress": "answered without an invitation",
                    "submission": submission,
                }
            )
        for row in rows:  # re-confirmation before the visit: due, done or missed (no answer)
            row["check_in"] = check_in.day_check_in(row["submission"], request.user)
        rows.sort(key=lambda row: (row["at"], row["name"].lower()))
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Appointments on {day:%A %-d %B %Y}",
            "day": day,
            "rows": rows,
            "days": [today + timedelta(days=n) for n in range(7)],
            "series": series_to_book(
                access.visible_submissions(request.user, Submission.objects.all())
            ),
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        }
        return TemplateResponse(request, "admin/screening/invitation/today.html", context)
