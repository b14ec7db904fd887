"""FHIR API tokens: a clinic admin asks for one per integration, choosing what it may read (the
token is shown once, on the page that answers); the privacy officer approves it before it reads
anything; both see when each was last used and revoke it (all audited)."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from screening.admin.base import AccessAdmin
from screening.fhir import mapping
from screening.fhir.tokens import (
    TokenRefused,
    api_token_approve,
    api_token_create,
    api_token_revoke,
    name_taken,
)
from screening.models import ApiToken
from screening.records import audit
from screening.staff import access


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the integration may read: nothing else.",
    )

    class Meta:
        model = ApiToken
        fields = ("name", "scopes")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name_taken(name):
            raise forms.ValidationError(
                "A token with this name is in use: revoke it first, or choose another name "
                "(the list must tell each integration's token apart)."
            )
        return name


@admin.register(ApiToken)
class ApiTokenAdmin(AccessAdmin):
    form = ApiTokenForm
    list_display = (
        "name",
        "prefix",
        "scopes",
        "created_by",
        "approved_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("created_by", "approved_by")
    actions = ["approve", "revoke"]
    readonly_fields = (
        "name",
        "prefix",
        "scopes",
        "created_at",
        "created_by",
        "approved_at",
        "approved_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ("name", "scopes")

    def has_change_permission(self, request, obj=None):
        # The change page is read-only; "change" is the revoke action's permission.
        return obj is None and super().has_change_permission(request, obj)

    def has_revoke_permission(self, request):
        return access.can_revoke_api_token(request.user)

    def has_approve_permission(self, request):
        return access.can_approve_api_token(request.user)

    def save_model(self, request, obj, form, change):
        created = api_token_create(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            actor=request.user,
            address=audit.client_address(request),
        )
        obj.pk = created.token.pk
        request._new_api_token = created

    def response_add(self, request, obj, post_url_continue=None):
        created = request._new_api_token
        return TemplateResponse(
            request,
            "admin/screening/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "token": created.token,
                "secret": created.secret,
                "title": "FHIR API token created",
                "fhir_base": mapping.base_url(),
            },
        )

    @admin.action(description="Approve selected tokens", permissions=["approve"])
    def approve(self, request, queryset):
        address = audit.client_address(request)
        approved = refused = 0
        for token in queryset:
            try:
                api_token_approve(token=token, actor=request.user, address=address)
                approved += 1
            except TokenRefused:
                refused += 1
        if approved:
            messages.success(request, f"Approved {approved}: they read their scope from now on.")
        if refused:
            messages.error(
                request,
                f"Not approved: {refused} (your own request, already approved, or revoked).",
            )

    @admin.action(description="Revoke selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        address = audit.client_address(request)
        for token in queryset:
            api_token_revoke(token=token, actor=request.user, address=address)
        messages.success(request, "Revoked: requests with these tokens now get 401.")

    def log_addition(self, request, obj, message):
        pass  # the audit trail records it

    def log_change(self, request, obj, message):
        pass
