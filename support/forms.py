from django import forms

from common.validators import validate_portal_year
from common.widgets import DATE_INPUT
from guardianship.models import Assignment, GuardianshipRequest
from support.models import SupportContact, TrainingEvent


class SupportContactForm(forms.ModelForm):
    class Meta:
        model = SupportContact
        fields = ["kind", "date", "request", "notes"]
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, guardian, **kwargs):
        super().__init__(*args, **kwargs)
        # The guardian's cases by id, read for their references only: a DISTINCT over
        # every column of the requests joined to the assignments cost 6 ms (issue 18).
        self.fields["request"].queryset = GuardianshipRequest.objects.filter(
            pk__in=Assignment.objects.filter(guardian=guardian).values("request_id")
        ).only("pk", "uuid")
        self.fields["request"].label_from_instance = lambda r: r.reference
        self.fields["request"].required = False


class TrainingEventForm(forms.ModelForm):
    def clean_starts_at(self):
        validate_portal_year(self.cleaned_data["starts_at"])
        return self.cleaned_data["starts_at"]

    class Meta:
        model = TrainingEvent
        fields = ["title", "starts_at", "place", "description", "capacity"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
