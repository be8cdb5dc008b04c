from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.validators import validate_portal_year
from common.widgets import DATE_INPUT
from fees.models import ClaimExpense, ContactEntry, FeeClaim
from municipalities.models import Organisation

RECEIPT_TYPES = {"pdf", "jpg", "jpeg", "png"}
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


class FeeClaimForm(forms.ModelForm):
    class Meta:
        model = FeeClaim
        fields = ["period_start", "period_end", "hours", "fee", "description"]
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("A fee can be claimed only for work already done."))
        for name in ("hours", "fee"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Give a positive amount."))
        return data


class ClaimExpenseForm(forms.ModelForm):
    class Meta:
        model = ClaimExpense
        fields = ["description", "amount", "receipt"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise ValidationError(_("Give a positive amount."))
        return amount

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if not receipt or not hasattr(receipt, "size"):
            return receipt
        suffix = receipt.name.rsplit(".", 1)[-1].lower() if "." in receipt.name else ""
        if suffix not in RECEIPT_TYPES:
            raise ValidationError(_("Attach the receipt as a PDF, JPEG or PNG file."))
        if receipt.size > RECEIPT_MAX_BYTES:
            raise ValidationError(_("The receipt file is over 10 MB."))
        return receipt


class BaseClaimExpenseFormSet(forms.BaseFormSet):
    legend = capfirst(ClaimExpense._meta.verbose_name)  # "Expense 2 – Amount: ..." in the summary


ClaimExpenseFormSet = forms.formset_factory(
    ClaimExpenseForm,
    formset=BaseClaimExpenseFormSet,
    extra=2,
    max_num=20,
    validate_max=True,
    absolute_max=20,
)


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return"))]
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("reason", "").strip():
            self.add_error("reason", _("Tell the guardian why the claim is returned."))
        return data


class ClaimExportForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Paying organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)

    def __init__(self, *args, payers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = payers

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data


class ContactEntryForm(forms.ModelForm):
    """One contact of the contact log, written down as it happens."""

    class Meta:
        model = ContactEntry
        fields = ["date", "mode", "minutes", "kilometres", "note"]
        widgets = {
            "date": DATE_INPUT,
            "minutes": forms.TextInput(attrs={"inputmode": "numeric"}),
            "kilometres": forms.TextInput(attrs={"inputmode": "decimal"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["kilometres"].localize = True
        self.fields["kilometres"].widget.is_localized = True

    def clean_date(self):
        date = self.cleaned_data["date"]
        validate_portal_year(date)
        if date > timezone.localdate():
            raise ValidationError(_("Record a contact once it has taken place."))
        started = self.assignment.started_at or self.assignment.proposed_at
        if started and date < timezone.localdate(started):
            raise ValidationError(_("The date is before your assignment began."))
        return date

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if not 1 <= minutes <= 24 * 60:
            raise ValidationError(_("Give the duration in minutes, at most 1 440 (a day)."))
        return minutes

    def clean_kilometres(self):
        kilometres = self.cleaned_data["kilometres"]
        if kilometres is not None and kilometres < 0:
            raise ValidationError(_("Give a positive amount."))
        return kilometres


class ClaimDraftForm(forms.Form):
    """The period of a claim to draft from the contact log's unclaimed entries."""

    start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data
