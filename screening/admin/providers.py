"""Provider records: display name, credential, qualification level, active or not (audited)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model

from screening.admin.base import AccessAdmin
from screening.models import Provider
from screening.records import audit
from screening.staff import access, accounts


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ("user", "display_name", "credential", "level", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = (
                get_user_model()
                .objects.filter(is_staff=True, is_superuser=False, groups__name=access.PROVIDER)
                .distinct()
            )

    def clean_level(self):
        level = self.cleaned_data["level"]
        if self.instance.pk:
            error = accounts.provider_level_error(provider=self.instance, level=level)
            if error:
                raise forms.ValidationError(error)
        return level


@admin.register(Provider)
class ProviderAdmin(AccessAdmin):
    form = ProviderForm
    list_display = ("display_name", "credential", "level", "is_active", "user")
    ordering = ("-is_active", "display_name")
    list_filter = ("level", "is_active")
    list_select_related = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        try:
            returned = accounts.provider_save(
                provider=obj, actor=request.user, address=audit.client_address(request)
            )
        except accounts.AccountRefused as refused:  # a race with the form's check
            messages.error(request, str(refused))
            return
        if change and not obj.is_active:
            held = f"{returned} open submission{'s' if returned != 1 else ''}"
            messages.warning(
                request,
                f'{obj.display_name} is deactivated: {held} went back to "Needs assignment"'
                f"{' (assign them from the queue)' if returned else ''}. They are no longer "
                "offered in any list to choose a provider from.",
            )

    def log_addition(self, request, obj, message):
        pass  # the audit trail records it

    def log_change(self, request, obj, message):
        pass
