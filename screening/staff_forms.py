"""Forms of the provider workspace."""

from django import forms

from .models import Decision, Flag


class DecisionForm(forms.Form):
    """Acknowledge the priority flags, then record the outcome and the modality considered."""

    acknowledge = forms.ModelMultipleChoiceField(
        queryset=Flag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="I have reviewed these priority flags",
    )
    modality = forms.ChoiceField(
        choices=Decision.Modality.choices, label="Modality under consideration"
    )
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    # The modality whose dependent flags the provider has already been shown.
    shown_modality = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unacknowledged, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acknowledge"].queryset = unacknowledged
        self.fields["acknowledge"].label_from_instance = lambda flag: f"{flag.code}: {flag.reason}"
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
