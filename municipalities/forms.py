from django import forms
from django.utils.translation import gettext_lazy as _

from common.widgets import Select
from municipalities.models import OrganisationKind


class DirectoryFilterForm(forms.Form):
    STATUS_CURRENT = "current"
    STATUS_FORMER = "former"
    STATUS_CHOICES = [
        ("", _("All")),
        (STATUS_CURRENT, _("Current")),
        (STATUS_FORMER, _("Former")),
    ]

    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    kind = forms.ChoiceField(
        widget=Select,
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
    status = forms.ChoiceField(
        widget=Select, label=_("Status"), required=False, choices=STATUS_CHOICES
    )

    def filter(self, queryset):
        """Apply the valid filters; an invalid value is reported on the form, not ignored."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        queryset = queryset.search(data["q"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["status"] == self.STATUS_CURRENT:
            queryset = queryset.current()
        elif data["status"] == self.STATUS_FORMER:
            queryset = queryset.former()
        return queryset
