"""Forms of the provider workspace: staff sign-in, and the decision page."""

from django import forms
from django.contrib.auth.signals import user_login_failed
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm

from screening.flags.labels import flag_label
from screening.flags.provider_checks import FITZPATRICK_CHOICES
from screening.models import Decision, Flag
from screening.questionnaire.text_policy import validate_long_text

SECOND_FACTOR_FAILED = "second factor"


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Username, password and authenticator code in one step.

    django-otp no longer picks the device when none is chosen ("Please select a device."), so a
    staff member with one authenticator would have to submit twice; with exactly one confirmed
    device that device is the choice. With several, the page still asks which one.

    A wrong code after a right password is a failed sign-in like a wrong password: the lockout
    (django-axes) counts it and the audit trail records it, through `user_login_failed`, and the
    page says exactly what it says for a wrong password. django-otp's own answer ("Invalid
    token", the password typed back into its field, the user's devices listed) would tell
    whoever guessed the password that it is right.
    """

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct %(username)s, password and authenticator code for a "
            "staff account. Note that each may be case-sensitive."
        ),
    }

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and not self.cleaned_data.get("otp_device"):
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def clean_otp(self, user):
        try:
            super().clean_otp(user)
        except forms.ValidationError as refused:
            # Being asked which of several devices is a question, not a failed attempt.
            asked = refused.code == "device_required" or self.cleaned_data.get("otp_challenge")
            if asked:
                raise
            if user is not None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username", "")},
                    request=self.request,
                    reason=SECOND_FACTOR_FAILED,
                )
            # The page as a wrong password leaves it: no password typed back, no device list.
            self.fields["password"].widget.render_value = False
            if "otp_device" in self.fields:
                self.fields["otp_device"].widget.choices = []
            raise self.get_invalid_login_error() from None


class DecisionForm(forms.Form):
    """Acknowledge the priority flags, then record the outcome and the modality considered."""

    acknowledge = forms.ModelMultipleChoiceField(
        queryset=Flag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="I have reviewed these priority flags",
    )
    # Radio buttons with nothing chosen in advance: a decision is the provider's own choice.
    provider_skin_type = forms.ChoiceField(
        choices=FITZPATRICK_CHOICES,
        widget=forms.RadioSelect,
        label="Your skin type assessment (Fitzpatrick)",
        help_text="Assessed in person; the patient's self-report is shown beside it.",
    )
    modality = forms.ChoiceField(
        choices=Decision.Modality.choices,
        widget=forms.RadioSelect,
        label="Modality under consideration",
    )
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        validators=[validate_long_text],
    )
    # The modality whose dependent flags the provider has already been shown.
    shown_modality = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unacknowledged, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledge"].queryset = unacknowledged
        self.fields["acknowledge"].label_from_instance = lambda flag: (
            f"{flag_label(flag.code)} ({flag.code}): {flag.reason}"
        )
        if not unacknowledged.exists():
            del self.fields["acknowledge"]

    def clean(self):
        cleaned = super().clean()
        if "acknowledge" in self.fields:
            missing = set(self.fields["acknowledge"].queryset) - set(
                cleaned.get("acknowledge") or ()
            )
            if missing:
                self.add_error(
                    "acknowledge", "Acknowledge every priority flag before recording a decision."
                )
        return cleaned


class AcknowledgeForm(forms.Form):
    """Acknowledge one or several flags (any severity) of a submission, with an optional
    comment that is kept with each of them."""

    flags = forms.ModelMultipleChoiceField(
        queryset=Flag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Flags to acknowledge",
        error_messages={"required": "Choose at least one flag to acknowledge."},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="Comment (optional)",
        validators=[validate_long_text],
    )

    def __init__(self, *args, open_flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flags"].queryset = open_flags
        self.fields["flags"].label_from_instance = lambda flag: (
            f"{flag.get_severity_display()}: {flag_label(flag.code)}"
        )
