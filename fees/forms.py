from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.forms import InlineFormSet, LocalizedDecimalField
from common.uploads import check_upload
from common.validators import validate_portal_year
from common.widgets import DATE_INPUT
from fees import scale
from fees.enums import PayeeKind
from fees.models import ClaimExpense, ContactEntry, FeeClaim, Payee
from fees.validators import clean_business_id, clean_iban, format_iban
from municipalities.models import Organisation

# Expenses of one claim; their receipts together at most FEE_CLAIM_RECEIPTS_MAX_MB.
MAX_EXPENSES = 20
MB = 1024 * 1024


class FeeClaimForm(forms.ModelForm):
    """A claim of one case: its period inside the guardian's assignment and overlapping
    no other claim of the case, the hours and kilometres, and the fee, which the fee scale
    computes (fees.scale) and which needs a reason when it differs from the scale's.
    Hours over FEE_CLAIM_HOURS_CONFIRM ask for a confirmation."""

    # The form's key (like the request form's): a second post of the same form, a double
    # click, answers with the claim the first one made (fees.services.create_claim).
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    confirm_hours = forms.BooleanField(
        label=_("I confirm the hours: the work took this long."), required=False
    )

    class Meta:
        model = FeeClaim
        fields = [
            "period_start",
            "period_end",
            "hours",
            "kilometres",
            "fee",
            "fee_reason",
            "description",
        ]
        field_classes = {
            "hours": LocalizedDecimalField,
            "kilometres": LocalizedDecimalField,
            "fee": LocalizedDecimalField,
        }
        widgets = {
            "period_start": DATE_INPUT,
            "period_end": DATE_INPUT,
            "fee_reason": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kilometres": _("Driven with your own car for the case in this period."),
            "fee": _("Leave it empty to claim the fee of the scale."),
            "fee_reason": _("Only when the fee differs from the scale's."),
        }

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.assessment = scale.Assessment()
        # Asked for only when the hours are many (`clean`), or when already answered.
        self.asks_to_confirm_hours = bool(self.data.get("confirm_hours"))
        if self.instance.pk:  # a correction keeps the claim it corrects
            del self.fields["idempotency_key"]
        for name in ("period_start", "period_end"):
            self.fields[name].validators.append(validate_portal_year)
        self.fields["fee"].required = False
        self.fields["kilometres"].required = False

    @property
    def hours_limit(self):
        return settings.FEE_CLAIM_HOURS_CONFIRM

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("A fee can be claimed only for work already done."))
        for name in ("hours", "fee", "kilometres"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Give a positive amount."))
        if data.get("kilometres") is None:
            data["kilometres"] = Decimal("0.0")
        self._check_hours(data)
        if start and end and not ({"period_start", "period_end"} & set(self.errors)):
            self._check_period(start, end)
        if not self.errors:
            self._check_fee(data)
        return data

    def _check_hours(self, data):
        hours = data.get("hours")
        if hours is not None and hours > self.hours_limit:
            self.asks_to_confirm_hours = True
            if not data.get("confirm_hours"):
                self.add_error(
                    "confirm_hours",
                    _(
                        "%(hours)s hours is more than %(limit)s hours in one claim. Check "
                        "the hours and confirm them."
                    )
                    % {"hours": formats.number_format(hours), "limit": self.hours_limit},
                )

    def _check_period(self, start, end):
        first, last = scale.claimable_days(self.assignment)
        if first and start < first:
            self.add_error(
                "period_start",
                _("Your assignment began on %(date)s: the period cannot start before it.")
                % {"date": formats.date_format(first, "SHORT_DATE_FORMAT")},
            )
        if end > last and end <= timezone.localdate():
            self.add_error(
                "period_end",
                _("Your assignment ended on %(date)s: the period cannot end after it.")
                % {"date": formats.date_format(last, "SHORT_DATE_FORMAT")},
            )
        other = (
            FeeClaim.objects.filter(
                assignment=self.assignment, period_start__lte=end, period_end__gte=start
            )
            .exclude(pk=self.instance.pk)
            .order_by("period_start")
            .first()
        )
        if other is not None:
            self.add_error("period_start", overlap_message(other))

    def _check_fee(self, data):
        self.assessment = assessment = scale.assess(
            self.assignment,
            data["period_start"],
            data["period_end"],
            data["hours"],
            data["kilometres"],
        )
        if assessment.changes_on:
            self.add_error(
                "period_end",
                _(
                    "The fee scale changes on %(date)s: claim the days before it and the "
                    "days from it in two claims."
                )
                % {"date": formats.date_format(assessment.changes_on, "SHORT_DATE_FORMAT")},
            )
            return
        computed, fee = assessment.computed, data.get("fee")
        if fee is None:
            if computed is None:
                self.add_error(
                    "fee", _("Give the fee: the scale has no hourly fee for this period.")
                )
                return
            data["fee"] = fee = computed
        reason = (data.get("fee_reason") or "").strip()
        if computed is None or fee == computed:
            data["fee_reason"] = reason if computed is None else ""
        elif not reason:
            rate = assessment.rate
            self.add_error(
                "fee_reason",
                _(
                    "The scale gives %(computed)s € (%(hours)s h × %(hourly)s € and "
                    "%(km)s km × %(allowance)s €). Tell why you claim %(fee)s €, or claim "
                    "the scale's fee."
                )
                % {
                    "computed": formats.number_format(computed, 2, force_grouping=True),
                    "hours": formats.number_format(data["hours"]),
                    "hourly": formats.number_format(rate.hourly_fee, 2),
                    "km": formats.number_format(data["kilometres"]),
                    "allowance": formats.number_format(rate.kilometre_allowance, 2),
                    "fee": formats.number_format(fee, 2, force_grouping=True),
                },
            )
        else:
            data["fee_reason"] = reason

    def claim_fields(self):
        """The claim's own fields, for the service."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def overlap_message(other):
    return _(
        "Claim %(ref)s already covers %(start)s–%(end)s of this case. Claim the other "
        "days, or correct that claim."
    ) % {
        "ref": other.reference,
        "start": formats.date_format(other.period_start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(other.period_end, "SHORT_DATE_FORMAT"),
    }


class PayeeForm(forms.ModelForm):
    """The guardian's payee details: who the fees are paid to, checked with python-stdnum."""

    class Meta:
        model = Payee
        fields = ["kind", "name", "iban", "business_id", "vat_registered", "tax_note"]
        widgets = {
            "kind": forms.RadioSelect,
            "iban": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "business_id": forms.TextInput(attrs={"autocomplete": "off"}),
            "tax_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["iban"] = format_iban(self.instance.iban)

    def clean_iban(self):
        return clean_iban(self.cleaned_data["iban"])

    def clean_business_id(self):
        value = self.cleaned_data["business_id"].strip()
        return clean_business_id(value) if value else ""

    def clean(self):
        data = super().clean()
        if data.get("kind") == PayeeKind.BUSINESS:
            if not data.get("business_id") and "business_id" not in self.errors:
                self.add_error("business_id", _("Give the business ID of your business."))
        elif data.get("kind") == PayeeKind.PERSON:
            if data.get("business_id"):
                self.add_error(
                    "business_id",
                    _("A private person has no business ID: choose “Business”, or empty it."),
                )
            if data.get("vat_registered"):
                self.add_error("vat_registered", _("Only a business can be VAT-registered."))
        return data


class ClaimExpenseForm(forms.ModelForm):
    class Meta:
        model = ClaimExpense
        fields = ["description", "amount", "receipt"]
        field_classes = {"amount": LocalizedDecimalField}
        # Not Django's ClearableFileInput: its link would point at the storage, and
        # receipts are served only through the permission check (fees:claim_receipt).
        widgets = {"receipt": forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.receipt:
            self.fields["receipt"].label = _("Replace the receipt")
        if "DELETE" in self.fields:
            self.fields["DELETE"].label = _("Remove this expense")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise ValidationError(_("Give a positive amount."))
        return amount

    def clean_receipt(self):
        """A PDF, JPEG or PNG of at most 10 MB, by its name and by its bytes
        (common.uploads)."""
        receipt = self.cleaned_data.get("receipt")
        if not receipt or not hasattr(receipt, "size"):
            return receipt
        check_upload(receipt)
        return receipt


class BaseClaimExpenseFormSet(InlineFormSet):
    """The claim's expenses: the existing ones (of a returned claim) to change or remove,
    and empty rows for new ones (formset.js adds more)."""

    legend = capfirst(ClaimExpense._meta.verbose_name)  # "Expense 2 – Amount: ..." in the summary
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "A claim can have at most %(num)d expense. Combine small ones, such as the "
            "trips of one month, into one row with one receipt.",
            "A claim can have at most %(num)d expenses. Combine small ones, such as the "
            "trips of one month, into one row with one receipt.",
            "num",
        ),
    }

    @property
    def receipts_max_mb(self):
        return settings.FEE_CLAIM_RECEIPTS_MAX_MB

    def kept_forms(self):
        """The rows the claim keeps: neither removed nor left empty."""
        return [
            form
            for form in self.forms
            if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]

    def clean(self):
        super().clean()
        limit = self.receipts_max_mb * MB
        total = sum(_receipt_size(form) for form in self.kept_forms())
        if total > limit:
            raise ValidationError(
                _(
                    "The receipts of one claim can be at most %(limit)s MB together; these "
                    "are %(total)s MB. Scan them smaller (e.g. in black and white) or "
                    "attach fewer."
                ),
                code="receipts_too_large",
                params={
                    "limit": self.receipts_max_mb,
                    "total": formats.number_format(total / MB, 1),
                },
            )


def _receipt_size(form):
    """The size of the receipt the row keeps: a new upload's, or the stored one's."""
    receipt = getattr(form, "cleaned_data", {}).get("receipt")
    if isinstance(receipt, UploadedFile):
        return receipt.size
    stored = form.instance.receipt
    try:
        return stored.size if stored else 0
    except OSError:  # a file lost from the storage takes no room
        return 0


ClaimExpenseFormSet = forms.inlineformset_factory(
    FeeClaim,
    ClaimExpense,
    form=ClaimExpenseForm,
    formset=BaseClaimExpenseFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_EXPENSES,
    validate_max=True,
    absolute_max=MAX_EXPENSES,
)


class ClaimDecisionForm(forms.Form):
    """The coordinator's decision. Nothing is chosen beforehand; returning needs a reason,
    and a reason is never dropped by an approval. Approving takes two posts: the first
    shows the amounts (fees/claim_confirm.html), the second, with `confirm` and the
    submission that was checked, approves."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    submitted = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    @classmethod
    def confirmation(cls, claim):
        """The second step's form: approve the submission of `claim` now shown."""
        return cls(
            initial={"decision": cls.APPROVE, "confirm": True, "submitted": _submission(claim)}
        )

    def confirms(self, claim):
        """Whether this approval was confirmed on the amounts the claim has now."""
        data = self.cleaned_data
        return data["confirm"] and data["submitted"] == _submission(claim)

    def clean(self):
        data = super().clean()
        reason = data.get("reason", "").strip()
        if data.get("decision") == self.RETURN and not reason:
            self.add_error("reason", _("Tell the guardian why the claim is returned."))
        if data.get("decision") == self.APPROVE and reason:
            self.add_error(
                "reason",
                _(
                    "You wrote a reason for returning but chose to approve. Choose "
                    "“Return for correction”, or empty the reason."
                ),
            )
        return data


def _submission(claim):
    return claim.submitted_at.isoformat()


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


class ClaimPaymentForm(forms.Form):
    """The payer's official marks a batch of approved claims paid: the claims ticked, the
    day the money went and their own reference for the payment. `claims` are those the
    official may mark, and those already paid, so that one somebody else marked meanwhile
    is reported rather than refused as an unknown choice (fees.services.mark_paid)."""

    claims = forms.ModelMultipleChoiceField(
        label=_("Claims paid"),
        queryset=FeeClaim.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the claims that were paid.")},
    )
    paid_at = forms.DateField(label=_("Payment date"), widget=DATE_INPUT)
    payment_reference = forms.CharField(
        label=_("Your reference"),
        max_length=50,
        help_text=_("The payment batch or voucher number in your accounts."),
    )

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = claims

    def clean_paid_at(self):
        paid_at = self.cleaned_data["paid_at"]
        validate_portal_year(paid_at)
        if paid_at > timezone.localdate():
            raise ValidationError(_("Mark a claim paid once the money has been paid."))
        return paid_at

    def clean_payment_reference(self):
        reference = self.cleaned_data["payment_reference"].strip()
        if not reference:
            raise ValidationError(_("Give your reference for the payment."))
        return reference


class ContactEntryForm(forms.ModelForm):
    """One contact of the contact log, written down as it happens."""

    class Meta:
        model = ContactEntry
        fields = ["date", "mode", "minutes", "kilometres", "note"]
        field_classes = {"kilometres": LocalizedDecimalField}
        widgets = {
            "date": DATE_INPUT,
            "minutes": forms.TextInput(attrs={"inputmode": "numeric"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment

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
