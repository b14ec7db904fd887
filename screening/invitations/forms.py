"""Checking an invitation's details, the same way for the admin, the CSV upload and the command."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils import timezone

from screening.models import Invitation, Provider
from screening.questionnaire.date_ranges import appointment_error, form_initial
from screening.questionnaire.text_policy import validate_phone, validate_short_text

# The CSV layout a scheduling system exports (docs/invitations.md): a header row with these
# names, in any order; `email` or `mobile` must be filled in; `provider` and `language` may be
# left out. Times are the clinic's local time (TIME_ZONE).
CSV_COLUMNS = ("first_name", "last_name", "email", "mobile", "appointment", "provider", "language")
CSV_REQUIRED_COLUMNS = ("first_name", "last_name", "appointment")
APPOINTMENT_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
MAX_CSV_ROWS = 2000


class InvitationForm(forms.ModelForm):
    """An invitation's details: a name, an email or mobile, an appointment still to come."""

    appointment_at = forms.DateTimeField(
        label="Appointment (date and time)",
        input_formats=APPOINTMENT_FORMATS,
        help_text="Clinic's local time, e.g. 2026-12-03 10:30.",
    )

    class Meta:
        model = Invitation
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "appointment_at",
            "provider",
            "language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "provider" in self.fields:
            # A deactivated provider is no one's choice any more (their records keep them).
            self.fields["provider"].queryset = Provider.objects.filter(
                is_active=True, user__is_active=True
            ).order_by("display_name")
            self.fields["provider"].label_from_instance = lambda provider: (
                f"{provider.display_name}, {provider.credential} ({provider.get_level_display()})"
            )
        self.initial["appointment_at"] = form_initial(self.initial.get("appointment_at"))
        # The policy of every typed text, for the admin's form and the CSV's rows alike.
        for name in ("first_name", "last_name", "email", "phone"):
            if validate_short_text not in self.fields[name].validators:
                self.fields[name].validators.append(validate_short_text)
        self.fields["phone"].validators.append(validate_phone)

    def clean_appointment_at(self):
        appointment = self.cleaned_data["appointment_at"]
        if appointment <= timezone.now():
            raise forms.ValidationError("The appointment must be in the future.")
        error = appointment_error(appointment)
        if error:
            raise forms.ValidationError(error)
        return appointment

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("email") or cleaned.get("phone")):
            raise forms.ValidationError("Give an email address or a mobile number.")
        return cleaned


def _provider(value: str) -> Provider | str | None:
    """An active provider by username (or display name); an error message when none matches."""
    if not value:
        return None
    active = Provider.objects.filter(is_active=True, user__is_active=True)
    match = active.filter(user__username=value).first()
    match = match or active.filter(display_name__iexact=value).first()
    return match or f"no active provider {value!r}"


@dataclass
class CsvResult:
    rows: list[dict]  # cleaned data, ready for invitation_create
    errors: list[str]  # "row 3: ..." (row 1 is the header)


def parse_csv(data: bytes) -> CsvResult:
    """Check every row of an upload; nothing is created unless every row is right."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CsvResult([], ["The file is not UTF-8 text: export it as CSV (UTF-8)."])
    # newline="": a line may end in CR LF, LF or a lone CR (old Mac exports), and a quoted
    # field may hold a line break.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _parse_rows(reader)
    except csv.Error as error:
        # "field larger than field limit (131072)", a NUL ...: the message quotes no data.
        return CsvResult([], [f"line {reader.line_num + 1}: not readable as CSV ({error})"])


def _parse_rows(reader: csv.DictReader) -> CsvResult:
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        return CsvResult([], [f"row 1 (header): {'; '.join(problems)}"])
    reader.fieldnames = header
    rows, errors = [], []
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_CSV_ROWS:
            errors.append(f"more than {MAX_CSV_ROWS} rows: split the file")
            break
        values = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(values.values()):
            continue
        provider = _provider(values.get("provider", ""))
        if isinstance(provider, str):
            errors.append(f"row {number}: {provider}")
            continue
        form = InvitationForm(
            data={
                "first_name": values.get("first_name", ""),
                "last_name": values.get("last_name", ""),
                "email": values.get("email", ""),
                "phone": values.get("mobile", ""),
                "appointment_at": values.get("appointment", ""),
                "provider": provider.pk if provider else "",
                "language": values.get("language", ""),
            }
        )
        if form.is_valid():
            rows.append(form.cleaned_data)
        else:
            messages = "; ".join(
                f"{'' if field == '__all__' else field + ': '}{' '.join(errs)}"
                for field, errs in form.errors.items()
            )
            errors.append(f"row {number}: {messages}")
    if not rows and not errors:
        errors.append("The file has no rows under its header.")
    return CsvResult(rows, errors)


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
