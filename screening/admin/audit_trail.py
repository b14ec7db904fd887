"""The audit trail and the decision history: read-only lists, written by the services only."""

from django.contrib import admin

from screening.admin.base import AccessAdmin
from screening.models import AuditEvent, Decision, Submission
from screening.staff import access

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

    list_display = ("submission", "outcome", "modality", "provider", "decided_at")
    list_select_related = ("submission", "provider")

    def get_queryset(self, request):
        visible = access.visible_submissions(request.user, Submission.objects.all())
        return super().get_queryset(request).filter(submission__in=visible)
