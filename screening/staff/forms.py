"""Forms of the provider workspace: staff sign-in, and the decision page."""

from django import forms
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice

from screening.flags.labels import flag_label
from screening.flags.provider_checks import FITZPATRICK_CHOICES
from screening.models import Decision, Flag
from screening.questionnaire.text_policy import validate_long_text
from screening.records import audit
from screening.staff import two_factor
from screening.staff.decisions import SERIES_WEEKS_MAX, SERIES_WEEKS_MIN, series_weeks_error

SECOND_FACTOR_FAILED = "second factor"


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Username, password and authenticator code in one step, on one page.

    The code is tried against the account's authenticator (six digits) or, failing that shape,
    its recovery codes: no device to choose, no challenge button. Trying a six-digit code only
    against the authenticator, and anything else only against the recovery codes, keeps a
    typo from counting as a failure against the other device (django-otp's caution).

    An account with no second factor yet signs in with its password alone and is then held on
    the enrolment page until it has one (StaffAdminSite and screening.staff.two_factor).

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
    otp_device = None
    otp_challenge = None
    otp_token = forms.CharField(
        required=False,
        label="Authenticator code",
        help_text=(
            "The 6-digit code the app on your phone shows now, or one of your recovery codes. "
            "Signing in for the first time? Leave it empty: you set up the app next."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def clean_otp(self, user):
        if user is None:
            return
        user.otp_device = None
        if not two_factor.has_second_factor(user):
            return  # first sign-in: the enrolment page is all this session may open
        token = "".join((self.cleaned_data.get("otp_token") or "").split()).lower()
        error = None
        with transaction.atomic():  # a refused code's throttling count is kept
            try:
                user.otp_device = self._matching_device(user, token)
            except forms.ValidationError as refused:
                error = refused
        if error is not None:
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.cleaned_data.get("username", "")},
                request=self.request,
                reason=SECOND_FACTOR_FAILED,
            )
            # The page as a wrong password leaves it: no password typed back.
            self.fields["password"].widget.render_value = False
            raise self.get_invalid_login_error() from None
        if isinstance(user.otp_device, StaticDevice):
            two_factor.recovery_code_used(
                account=user, address=audit.client_address(self.request) if self.request else None
            )

    def _matching_device(self, user, token):
        """The device the code is right for; a ValidationError (its words never shown: the page
        says what it says for a wrong password) when none is, or when too many were wrong."""
        if not token:
            raise forms.ValidationError("no code", code="token_required")
        recovery = not (token.isdigit() and len(token) == 6)
        devices = [
            device
            for device in devices_for_user(user, confirmed=True, for_verify=True)
            if isinstance(device, StaticDevice) == recovery
        ]
        for device in devices:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                raise forms.ValidationError("throttled", code="throttled")
            if device.verify_token(token):
                return device
        raise forms.ValidationError("wrong code", code="invalid_token")


class EnrolmentForm(forms.Form):
    """The first code of a new authenticator, which proves it was set up right."""

    code = forms.CharField(
        label="Code from the app",
        max_length=12,
        help_text="The 6-digit code the app shows for this account.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


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
    # Bounds are checked in clean() with the service's own words (decisions.series_weeks_error),
    # so the form and the service cannot disagree.
    next_session_weeks = forms.IntegerField(
        required=False,
        label="Series: next session in about … weeks",
        help_text=(
            f"For a treatment series only ({SERIES_WEEKS_MIN} to {SERIES_WEEKS_MAX} weeks). "
            "The front desk sees the patient on its list of series patients to book; "
            "leave it empty otherwise."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "vSmallField"}),
        error_messages={"invalid": "Enter the weeks as a whole number, e.g. 6."},
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
        if "outcome" in cleaned:
            error = series_weeks_error(
                cleaned.get("next_session_weeks"), outcome=cleaned["outcome"]
            )
            if error:
                self.add_error("next_session_weeks", error)
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
