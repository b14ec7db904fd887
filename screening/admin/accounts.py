"""Staff accounts: a clinic admin adds and changes accounts and their roles, nothing more.

Replaces Django's user admin, which lets anyone with "change user" tick superuser status,
grant single permissions, change their own groups and set another person's password. Here:
roles are our groups only, never your own; no superuser box (`manage.py createsuperuser`
only); no permission list; no password field: the holder gets a one-time link by email.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import PasswordResetCompleteView, PasswordResetConfirmView
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html, format_html_join

from screening.admin.base import AccessAdmin
from screening.models import AuditEvent
from screening.records import audit
from screening.staff import access, accounts, two_factor

User = get_user_model()

QUEUED_NOTE = (
    "It goes out within a minute; if the mail server is down it is tried again, and an email "
    "that cannot be sent shows as failed in the mail queue."
)


class StaffAccountForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=[(role, role) for role in access.ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "is_active")

    actor = None  # set per request by StaffAccountAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].required = True  # the password link goes there
        if "roles" in self.fields:
            if self.instance.pk:
                self.fields["roles"].initial = list(
                    self.instance.groups.filter(name__in=access.ROLES).values_list(
                        "name", flat=True
                    )
                )
            if not access.can_change_roles(self.actor, self.instance if self.instance.pk else None):
                self.fields["roles"].disabled = True
                self.fields["roles"].help_text = "Nobody changes the roles of their own account."
        if "is_active" in self.fields and self.instance.pk == getattr(self.actor, "pk", None):
            self.fields["is_active"].disabled = True


class SetPasswordByLinkView(PasswordResetConfirmView):
    """The account holder chooses their password from the emailed link (audited)."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("admin:staff_password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            action=AuditEvent.Action.PASSWORD_SET,
            actor=form.user,
            address=audit.client_address(self.request),
            detail=f"account {form.user.get_username()}",
        )
        return response


class StaffAccountAdmin(AccessAdmin):
    form = StaffAccountForm
    add_form = StaffAccountForm
    fields = ("username", "first_name", "last_name", "email", "is_active", "roles", "two_factor")
    readonly_fields = ("two_factor",)
    list_display = ("username", "first_name", "last_name", "email", "role_names", "is_active")
    list_filter = ("is_active",)
    ordering = ("username",)
    actions = ["send_password_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [name for name in fields if name != "two_factor"]

    @admin.display(description="Two-factor sign-in")
    def two_factor(self, account):
        if two_factor.is_enrolled(account):
            state = "Authenticator set up."
        else:
            state = "No authenticator yet: set up by its holder at their next sign-in."
        # The link for everyone who sees this page; the reset page itself refuses your own.
        return format_html(
            '{} <a href="{}">Reset (lost or replaced phone)</a>',
            state,
            reverse("admin:staff_two_factor_reset", args=[account.pk]),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def two_factor_reset_view(self, request, object_id):
        """Confirm, then remove the account's authenticator and recovery codes (audited)."""
        account = self.get_object(request, object_id)
        if account is None:
            raise Http404
        if not access.can_reset_two_factor(request.user, account):
            raise PermissionDenied
        if request.method == "POST":
            two_factor.two_factor_reset(
                account=account, actor=request.user, address=audit.client_address(request)
            )
            messages.success(
                request,
                f"Two-factor sign-in of {account.get_username()} is reset: at their next sign-in "
                "they set up their authenticator again, with new recovery codes.",
            )
            return redirect("admin:auth_user_change", account.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reset two-factor sign-in of {account.get_username()}",
            "account": account,
            "enrolled": two_factor.is_enrolled(account),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/two_factor_reset.html", context)

    @admin.display(description="Roles")
    def role_names(self, account):
        names = [group.name for group in account.groups.all() if group.name in access.ROLES]
        if account.is_superuser:
            names.insert(0, "Superuser")
        return format_html_join(", ", "{}", ((name,) for name in names))

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in accounts.ACCOUNT_FIELDS}
        roles = None if form.fields["roles"].disabled else form.cleaned_data["roles"]
        address = audit.client_address(request)
        if change:
            obj.refresh_from_db()  # the service compares with what is stored
            accounts.account_update(
                account=obj, fields=fields, roles=roles, actor=request.user, address=address
            )
        else:
            created = accounts.account_create(
                fields=fields,
                roles=roles or (),
                actor=request.user,
                address=address,
            )
            obj.pk = created.pk
            if created.is_active:
                messages.info(
                    request,
                    f"A link to choose a password is queued for {created.email}. {QUEUED_NOTE}",
                )

    def save_related(self, request, form, formsets, change):
        pass  # roles are saved (and audited) by the service

    def log_addition(self, request, obj, message):
        pass  # the audit trail records it

    def log_change(self, request, obj, message):
        pass

    @admin.action(description="Email a link to choose a new password", permissions=["change"])
    def send_password_link(self, request, queryset):
        sent = 0
        for account in queryset:
            try:
                accounts.password_reset_send(
                    account=account,
                    actor=request.user,
                    address=audit.client_address(request),
                )
                sent += 1
            except accounts.AccountRefused as refused:
                messages.error(request, f"{account.get_username()}: {refused}")
        if sent:
            messages.success(
                request, f"Queued {sent} password link{'s' if sent != 1 else ''}. {QUEUED_NOTE}"
            )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/two-factor-reset/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="staff_two_factor_reset",
            ),
            path(
                "reset/<uidb64>/<token>/",
                SetPasswordByLinkView.as_view(),
                name="staff_password_reset_confirm",
            ),
            path(
                "reset/done/",
                PasswordResetCompleteView.as_view(
                    template_name="registration/password_reset_complete.html",
                    extra_context={"login_url": reverse_lazy("admin:login")},
                ),
                name="staff_password_reset_complete",
            ),
            *super().get_urls(),
        ]


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffAccountAdmin)


def _audited_password_change(password_change):
    """The admin's own "change my password" page, with an audit event when it succeeds."""

    def view(request, extra_context=None):
        response = password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            audit.record(
                action=AuditEvent.Action.PASSWORD_SET,
                actor=request.user,
                address=audit.client_address(request),
                detail=f"account {request.user.get_username()}: changed by its holder",
            )
        return response

    return view


# Before the site's URLs are built (clinic/urls.py), which bind the site's password_change.
admin.site.password_change = _audited_password_change(admin.site.password_change)
