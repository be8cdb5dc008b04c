import re
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu

from accounts.roles import Role
from common.widgets import DATE_INPUT, Select
from guardianship.enums import QUEUE_STATES, Availability, Language, Matter, State
from guardianship.models import Child, Guardian, GuardianshipRequest, mask_identity_code
from municipalities.models import Organisation, OrganisationKind, Unit, UnitKind


def validate_identity_code(value):
    """A Finnish identity code with any century sign of 2023, temporary codes accepted.

    Returned whole and upper-cased: the sign is part of the identity, so
    100190-999P and 100190Y999P stay different people.
    """
    try:
        return hetu.validate(value, allow_temporary=True)
    except StdnumError:
        raise ValidationError(
            _(
                "This is not a valid personal identity code. Check the date, the century "
                "sign and the check character, e.g. 010115A123B."
            ),
            code="invalid_hetu",
        ) from None


class GuardianshipRequestForm(forms.ModelForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = GuardianshipRequest
        fields = [
            "organisation",
            "unit",
            "worker_name",
            "worker_title",
            "worker_phone",
            "worker_email",
            "matter",
            "matter_details",
            "custodian_names",
            "custodians",
            "conflict_reason",
            "urgency",
            "deadline",
            "hearing_date",
            "wants_lawyer",
            "wants_social_work_background",
            "payer",
            "sibling_request",
        ]
        widgets = {
            "deadline": DATE_INPUT,
            "hearing_date": DATE_INPUT,
            "custodians": forms.Textarea(attrs={"rows": 3}),
            "conflict_reason": forms.Textarea(attrs={"rows": 4}),
            "matter_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A request belongs to its responsible worker's team (issue 13); its organisation
        # is the team's. A worker with no team (before 2023) chooses an organisation.
        units = list(Unit.objects.filter(members=user).select_related("organisation"))
        if units:
            del self.fields["organisation"]
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
            self.fields["unit"].label = _("Responsible team")
        else:
            del self.fields["unit"]
            self.fields["organisation"].queryset = user.organisations.all()
            self.fields["organisation"].empty_label = None
        self.fields["payer"].queryset = (
            Organisation.objects.current()
            .exclude(kind__in=[OrganisationKind.STATE_AGENCY, OrganisationKind.UNIVERSITY])
            # Counties of other regions (Pikassos' owners) pay for no child here.
            .exclude(kind=OrganisationKind.WELLBEING_COUNTY, area__isnull=True)
        )
        self.fields["payer"].help_text = _(
            "The organisation responsible for the child; since 2023 the wellbeing services county."
        )
        if not self.instance.pk and not self.is_bound:
            # The region's county, not the first county by name: Pikassos' owners in
            # Kanta-Häme and Pirkanmaa are counties too (issue 14, part 5).
            self.initial.setdefault("payer", Organisation.objects.region_county())
        self.fields["sibling_request"].queryset = (
            GuardianshipRequest.objects.for_user(user)
            .exclude(state__in=[State.DRAFT])
            .exclude(pk=self.instance.pk)
            .order_by("-submitted_at")
        )
        self.fields["sibling_request"].label_from_instance = lambda r: r.reference

    def clean(self):
        data = super().clean()
        if data.get("unit") is not None:
            self.instance.organisation = data["unit"].organisation
        return data


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "identity_code",
            "date_of_birth",
            "home_municipality",
            "language",
            "placement",
        ]
        widgets = {"date_of_birth": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_municipality"].queryset = Organisation.objects.municipalities().current()
        # A saved child's code is shown masked, like everywhere (issue 13, part 3); sent
        # back unchanged, the masked code keeps the saved one.
        if self.instance.identity_code:
            self.initial["identity_code"] = self.instance.masked_identity_code

    def clean_identity_code(self):
        code = self.cleaned_data["identity_code"].strip()
        saved = self.instance.identity_code
        if saved and code.upper() == mask_identity_code(saved):
            return saved
        return validate_identity_code(code) if code else ""

    def clean(self):
        data = super().clean()
        if (
            not data.get("identity_code")
            and not data.get("date_of_birth")
            and "identity_code" not in self.errors
            and not data.get("DELETE")
        ):
            self.add_error(
                "date_of_birth",
                _("Give the personal identity code or, if the child has none, the date of birth."),
            )
        return data


class BaseChildFormSet(forms.BaseInlineFormSet):
    legend = capfirst(Child._meta.verbose_name)  # "Child 2 – Name: ..." in the error summary

    def clean(self):
        super().clean()
        codes = [
            f.cleaned_data.get("identity_code")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        codes = [c for c in codes if c]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("The same identity code is given for two children."))


ChildFormSet = inlineformset_factory(
    GuardianshipRequest,
    Child,
    form=ChildForm,
    formset=BaseChildFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=12,
    validate_max=True,
    # A forged TOTAL_FORMS must not make the server build thousands of forms.
    absolute_max=12,
    # Nothing is deleted: a child's rows are referenced by the access log. A draft with a
    # wrong child is cancelled and made again.
    can_delete=False,
)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    for_guardian = forms.BooleanField(label=_("Show to the guardian too"), required=False)

    def __init__(self, *args, ask_for_guardian=True, **kwargs):
        """`ask_for_guardian=False` for a guardian, whose own notes always reach them."""
        super().__init__(*args, **kwargs)
        if not ask_for_guardian:
            del self.fields["for_guardian"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProposeForm(forms.Form):
    guardian = forms.ModelChoiceField(
        label=_("Guardian"), queryset=Guardian.objects.all(), to_field_name="uuid"
    )
    text = forms.CharField(label=_("Message"), required=False, max_length=2000)


class ReassignForm(forms.Form):
    guardian = forms.ModelChoiceField(
        label=_("Guardian"), queryset=Guardian.objects.all(), to_field_name="uuid"
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class TransferForm(forms.Form):
    """Hand a request to another team and, optionally, a named social worker of it."""

    unit = forms.ModelChoiceField(
        label=_("Responsible team"),
        queryset=Unit.objects.filter(kind=UnitKind.TEAM).select_related("organisation"),
        widget=Select,
    )
    responsible_worker = forms.ModelChoiceField(
        label=_("Responsible social worker"),
        queryset=get_user_model()
        .objects.filter(groups__name=Role.SOCIAL_WORKER, is_active=True, units__isnull=False)
        .distinct()
        .order_by("last_name", "first_name"),
        required=False,
        widget=Select,
        help_text=_("A member of the team. Leave empty to give the request to the whole team."),
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FileApplicationForm(forms.Form):
    court = forms.CharField(
        label=_("District court"), max_length=200, initial="Satakunnan käräjäoikeus"
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_INPUT)


class AppointmentForm(forms.Form):
    court = forms.CharField(label=_("District court"), max_length=200, required=False)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE_INPUT)
    case_number = forms.CharField(label=_("Case number"), max_length=100)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# A request's reference: the first 8 hexadecimal digits of its uuid (short_reference).
REFERENCE = re.compile(r"[0-9a-f]{8}", re.IGNORECASE)


def reference_range(text):
    """The uuids whose reference is `text` as an index-friendly range (a Q), or None when
    `text` is no reference."""
    if not REFERENCE.fullmatch(text):
        return None
    prefix = text.lower()
    return Q(uuid__gte=uuid.UUID(prefix + "0" * 24), uuid__lte=uuid.UUID(prefix + "f" * 24))


class RequestFilterForm(forms.Form):
    # Never identity codes: this form is sent by GET, so what is typed lands in URLs and
    # server logs. Codes are searched with IdentityCodeSearchForm, by POST.
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(
        widget=Select,
        label=_("State"),
        required=False,
        choices=[("", _("Open requests")), ("all", _("All")), *State.choices],
    )
    municipality = forms.ModelChoiceField(
        widget=Select,
        label=_("Municipality"),
        required=False,
        queryset=Organisation.objects.municipalities().only("slug", "name", "name_sv"),
        to_field_name="slug",
    )
    matter = forms.ChoiceField(
        widget=Select, label=_("Matter"), required=False, choices=[("", _("All")), *Matter.choices]
    )
    language = forms.ChoiceField(
        widget=Select,
        label=_("Language"),
        required=False,
        choices=[("", _("All")), *Language.choices],
    )

    def filter(self, queryset):
        """The requests narrowed by the filters, in the queue's order. Unfiltered, the open
        requests and drafts; an invalid value is reported on the form and shows none."""
        if self.is_bound and not self.is_valid():
            return queryset.none()
        data = self.cleaned_data if self.is_bound else {}
        state = data.get("state", "")
        if state == "":
            # Exactly this list, so that the partial indexes apply.
            queryset = queryset.filter(state__in=QUEUE_STATES)
        elif state != "all":
            queryset = queryset.filter(state=state)
        children = Child.objects.filter(request=OuterRef("pk"))
        if data.get("municipality"):
            queryset = queryset.filter(
                Exists(children.filter(home_municipality=data["municipality"]))
            )
        if data.get("matter"):
            queryset = queryset.filter(matter=data["matter"])
        if data.get("language"):
            queryset = queryset.filter(Exists(children.filter(language=data["language"])))
        if text := data.get("q", "").strip():
            matches = (
                Exists(
                    children.filter(Q(first_name__icontains=text) | Q(last_name__icontains=text))
                )
                | Q(case_number__icontains=text)
                | Q(worker_name__icontains=text)
            )
            if (reference := reference_range(text)) is not None:
                matches |= reference
            queryset = queryset.filter(matches)
        # The queue: urgent first, then the longest waiting.
        # "urgent" sorts after "normal", so descending puts urgent requests first.
        return queryset.order_by("-urgency", "submitted_at", "pk")


class UnechoedTextInput(forms.TextInput):
    """A text input that never shows its value again: a searched identity code is not
    written back into the page."""

    def format_value(self, value):
        return None


class IdentityCodeSearchForm(forms.Form):
    """The requests of a child found by identity code: sent by POST only, so the code
    never lands in a URL, a redirect or a server access log (issue 13, part 3)."""

    identity_code = forms.CharField(
        label=_("Personal identity code"),
        max_length=20,
        widget=UnechoedTextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_identity_code(self):
        return validate_identity_code(self.cleaned_data["identity_code"].strip())

    @property
    def masked_code(self):
        return mask_identity_code(self.cleaned_data.get("identity_code", ""))

    def filter(self, queryset):
        """The requests with a child of exactly this code, in every state, in the queue's
        order; none while the code is not valid."""
        if not self.is_valid():
            return queryset.none()
        with_code = Child.objects.filter(identity_code=self.cleaned_data["identity_code"])
        return queryset.filter(pk__in=with_code.values("request_id")).order_by(
            "-urgency", "submitted_at", "pk"
        )


class GuardianForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Guardian
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "background",
            "languages",
            "areas",
            "capacity",
            "availability",
            "paused_until",
            "notes",
            "user",
        ]
        widgets = {"paused_until": DATE_INPUT, "areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Organisation.objects.municipalities().current()
        self.fields["user"].queryset = get_user_model().objects.filter(groups__name=Role.GUARDIAN)

    def clean(self):
        data = super().clean()
        if data.get("availability") == Availability.PAUSED and not data.get("paused_until"):
            self.add_error("paused_until", _("Give the date the pause ends."))
        if data.get("availability") != Availability.PAUSED:
            data["paused_until"] = None
        return data


class GuardianFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    language = forms.ChoiceField(
        widget=Select,
        label=_("Language"),
        required=False,
        choices=[("", _("All")), *Language.choices],
    )
    area = forms.ModelChoiceField(
        widget=Select,
        label=_("Area"),
        required=False,
        queryset=Organisation.objects.municipalities().only("slug", "name", "name_sv"),
        to_field_name="slug",
    )
    availability = forms.ChoiceField(
        widget=Select,
        label=_("Availability"),
        required=False,
        choices=[("", _("All")), *Availability.choices],
    )

    def filter(self, queryset):
        """The guardians narrowed by the filters; an invalid value shows none."""
        if not self.is_bound:
            return queryset
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(
                Q(first_name__icontains=data["q"]) | Q(last_name__icontains=data["q"])
            )
        if data["language"]:
            queryset = queryset.filter(languages__contains=[data["language"]])
        if data["area"]:
            queryset = queryset.filter(areas=data["area"])
        if data["availability"] == Availability.ACTIVE:
            # A pause that has already ended counts as active, as in matching.
            queryset = queryset.available()
        elif data["availability"] == Availability.PAUSED:
            queryset = queryset.filter(
                availability=Availability.PAUSED, paused_until__gte=timezone.localdate()
            )
        elif data["availability"]:
            queryset = queryset.filter(availability=data["availability"])
        return queryset
