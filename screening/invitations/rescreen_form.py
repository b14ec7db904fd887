"""The front desk's form to invite a returning patient: why they come back, when, the clinic's
last treatment since their previous form, and how to reach them (filled in from that form)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from screening.invitations import rescreen
from screening.invitations.forms import APPOINTMENT_FORMATS, InvitationForm
from screening.models import Submission

VISIT_TYPE_LABELS = {
    rescreen.SERIES_SESSION: "Next session of a treatment series (from the provider's decision)",
    rescreen.NEW_CONSULTATION: "New consultation",
}


class RescreenInvitationForm(forms.Form):
    visit_type = forms.ChoiceField(widget=forms.RadioSelect, label="Why the patient comes back")
    appointment_at = forms.DateTimeField(
        label="Appointment (date and time)",
        input_formats=APPOINTMENT_FORMATS,
        help_text="Clinic's local time, e.g. 2026-12-03 10:30.",
    )
    treatment_date = forms.DateField(
        required=False,
        label="Date of the last treatment here",
        input_formats=["%Y-%m-%d"],
        help_text=(
            "Since the previous form, e.g. 2026-11-20. Filled in with the previous appointment's "
            "date when the provider decided to proceed; change it if the treatment was another "
            "day, empty it if the patient was not treated here."
        ),
    )
    email = forms.EmailField(required=False, max_length=254)
    phone = forms.CharField(required=False, max_length=30, label="Mobile")
    provider = forms.ModelChoiceField(queryset=None, required=False)
    language = forms.ChoiceField(
        required=False, choices=[("", "---------"), *settings.LANGUAGES], label="Preferred language"
    )

    def __init__(self, *args, previous: Submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        choices = rescreen.visit_types_for(previous)
        self.fields["visit_type"].choices = [(key, VISIT_TYPE_LABELS[key]) for key in choices]
        self.initial.setdefault("visit_type", choices[0])
        treated = rescreen.default_treatment_date(previous)
        if treated is not None:
            self.initial.setdefault("treatment_date", treated.isoformat())
        self.initial.setdefault("email", previous.email)
        self.initial.setdefault("phone", previous.phone)
        self.initial.setdefault("language", previous.language)
        self.initial.setdefault("provider", previous.assigned_provider_id)
        # The same checks and choices as every invitation's (names, phone, providers).
        shared = InvitationForm()
        self.fields["provider"].queryset = shared.fields["provider"].queryset
        self.fields["provider"].label_from_instance = shared.fields["provider"].label_from_instance
        for name in ("email", "phone"):
            own = self.fields[name].validators
            own += [check for check in shared.fields[name].validators if check not in own]

    clean_appointment_at = InvitationForm.clean_appointment_at

    def clean_treatment_date(self):
        treated = self.cleaned_data.get("treatment_date")
        if treated is None:
            return None
        if treated > timezone.localdate():
            raise forms.ValidationError(
                "The last treatment cannot be in the future: enter the day it was done, or "
                "leave it empty."
            )
        if treated < self.previous.submitted_on:
            raise forms.ValidationError(
                f"The last treatment here must be on or after the previous form "
                f"({self.previous.submitted_on:%Y-%m-%d}): an earlier one is in its answers."
            )
        return treated

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("email") or cleaned.get("phone")):
            raise forms.ValidationError("Give an email address or a mobile number.")
        return cleaned
