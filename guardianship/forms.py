import datetime
import functools
import re
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu

from accounts.roles import Role
from common.exceptions import WorkflowError
from common.forms import DraftFormMixin, DraftFormSetMixin, InlineFormSet, KnownChoices
from common.uploads import ACCEPT_ATTRIBUTE, MB, check_upload
from common.versioning import VersionedFormMixin
from common.widgets import DATE_INPUT, Select
from guardianship import dates, languages, listing, policies
from guardianship.enums import (
    QUEUE_STATES,
    Availability,
    CustodianRelation,
    EndCondition,
    Language,
    Matter,
    State,
)
from guardianship.models import (
    Child,
    Custodian,
    DocumentKind,
    Guardian,
    GuardianshipRequest,
    LegalTrack,
    mask_identity_code,
)
from guardianship.models.requests import birth_date_of, short_reference
from guardianship.models.tracks import DEFAULT_COURT
from municipalities import choices
from municipalities.models import Organisation, Unit, UnitKind

# The fields of the criminal investigation (ETL 4:8) on the request form; the first three
# are required on a track that records the investigation.
INVESTIGATION_FIELDS = (
    "police_report_number",
    "investigating_unit",
    "investigation_applicant",
    "investigation_applicant_name",
    "investigation_applicant_organisation",
    "investigation_applicant_contact",
)
INVESTIGATION_REQUIRED = INVESTIGATION_FIELDS[:3]


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


class GuardianshipRequestForm(DraftFormMixin, VersionedFormMixin, forms.ModelForm):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    # A request cannot be stored without its organisation (the team's), or created twice.
    draft_required = ("organisation", "unit", "idempotency_key")

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
            "custodian_notes",
            "conflict_reason",
            "urgency",
            "deadline",
            "hearing_date",
            "wants_lawyer",
            "wants_social_work_background",
            "tracks",
            *INVESTIGATION_FIELDS,
            "sibling_request",
        ]
        widgets = {
            "tracks": forms.CheckboxSelectMultiple,
            "deadline": DATE_INPUT,
            "hearing_date": DATE_INPUT,
            "custodian_notes": forms.Textarea(attrs={"rows": 3}),
            "conflict_reason": forms.Textarea(attrs={"rows": 4}),
            "matter_details": forms.Textarea(attrs={"rows": 3}),
        }

    def check_current(self, current):
        """A draft submitted meanwhile (by a colleague of the team) is no longer edited:
        the save would turn it back into a draft (issue 16, part 5)."""
        if current.state != State.DRAFT:
            raise WorkflowError(_("Only a draft can be edited."))

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
        # The legal track replaces the free choice of payer (issue 14): who pays follows
        # from it (services.save_request). A track no longer offered stays on a draft.
        tracks = self.fields["tracks"]
        chosen = Q(pk__in=self.instance.tracks.all()) if self.instance.pk else Q(pk__in=[])
        tracks.queryset = LegalTrack.objects.filter(Q(is_active=True) | chosen).select_related(
            "payer"
        )
        tracks.label_from_instance = lambda track: (
            _("%(track)s – paid by %(payer)s")
            % {
                "track": track.display_name,
                "payer": track.payer.display_name,
            }
        )
        tracks.help_text = _(
            "Child welfare when the guardian is needed in a child-protection matter, criminal "
            "investigation when the child is an injured party whose custodian cannot act "
            "impartially; both when both apply. Who pays the fee follows from the track."
        )
        for name in INVESTIGATION_FIELDS:
            self.fields[name].required = False
        self.fields["investigation_applicant"].widget = Select(
            choices=self.fields["investigation_applicant"].choices
        )
        # Typed as its reference: a list of every request the worker may see ran to tens
        # of thousands of options at the region's volume (issue 18).
        self.fields["sibling_request"] = RequestReferenceField(
            GuardianshipRequest.objects.for_user(user)
            .exclude(state__in=[State.DRAFT])
            .exclude(pk=self.instance.pk),
            required=False,
            label=capfirst(GuardianshipRequest._meta.get_field("sibling_request").verbose_name),
            help_text=_(
                "The reference of a sibling's earlier request, such as 9F81F46B. If the "
                "sibling already has a guardian, the same guardian is preferred."
            ),
        )

    def clean(self):
        data = super().clean()
        if data.get("unit") is not None:
            self.instance.organisation = data["unit"].organisation
        if "tracks" in data:
            if self.draft:
                pass  # the investigation's details are required on submit only
            elif any(track.records_investigation for track in data["tracks"]):
                for name in INVESTIGATION_REQUIRED:
                    if not data.get(name) and name not in self.errors:
                        self.add_error(
                            name, _("Give this on the criminal-investigation track (ETL 4:8).")
                        )
            else:
                # Only a track that records the investigation keeps its details.
                for name in INVESTIGATION_FIELDS:
                    data[name] = ""
        return data


class LanguageField(forms.ChoiceField):
    """A language chosen by its name in the user's language, kept as its ISO 639 code
    (guardianship.languages); the choices are read when the form is made."""

    def __init__(self, *, blank_label="---------", **kwargs):
        super().__init__(choices=(), widget=Select, **kwargs)
        self.blank_label = blank_label

    def with_choices(self):
        self.choices = _language_choices(translation.get_language(), str(self.blank_label))
        return self


@functools.lru_cache(maxsize=16)
def _language_choices(language, blank_label):
    """The languages in `language` (the active one), after the blank choice; made once."""
    return KnownChoices([("", blank_label), *languages.choices()])


class ChildForm(DraftFormMixin, forms.ModelForm):
    mother_tongue = LanguageField(label=_("Mother tongue"))

    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "identity_code",
            "date_of_birth",
            "home_municipality",
            "mother_tongue",
            "interpreter_needed",
            "non_disclosure",
            "placement",
            "child_view",
        ]
        widgets = {"date_of_birth": DATE_INPUT, "child_view": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "non_disclosure": _(
                "The child has a non-disclosure for personal safety in the population "
                "register. Everyone who sees the request is warned, and the placement is "
                "shown only to the child's own social workers."
            ),
            "placement": _("Hidden from everyone else when the child has a non-disclosure."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mother_tongue"].with_choices()
        self.fields["home_municipality"].queryset = Organisation.objects.municipalities().current()
        choices.from_memory(self.fields["home_municipality"], choices.current_municipalities)
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
        if self.draft:
            # What a draft holds is checked when it is submitted (a code or a date of birth,
            # a child's age); only what cannot be stored at all is refused now.
            return data
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
        # A child, born neither in the future nor 18 or more years ago (issue 14), by the
        # date of birth and by the date the identity code gives, each next to its field.
        born = {
            "identity_code": birth_date_of(data.get("identity_code") or ""),
            "date_of_birth": data.get("date_of_birth"),
        }
        for name, day in born.items():
            error = dates.birth_date_error(day) if day is not None else ""
            if error and name not in self.errors:
                self.add_error(name, error)
        return data


class BaseChildFormSet(DraftFormSetMixin, InlineFormSet):
    legend = capfirst(Child._meta.verbose_name)  # "Child 2 – Name: ..." in the error summary

    def clean(self):
        super().clean()
        if self.draft:
            return
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


class CustodianForm(DraftFormMixin, forms.ModelForm):
    class Meta:
        model = Custodian
        fields = [
            "name",
            "relation",
            "phone",
            "email",
            "address",
            "affected_by_conflict",
            "suspect",
            "non_disclosure",
        ]
        widgets = {"relation": Select}
        help_texts = {
            "non_disclosure": _(
                "Everyone who sees the request is warned, and the custodian's address and "
                "contacts are shown only to the child's own social workers."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty is only for the rows made of names given before the custodians were rows.
        self.fields["relation"].required = True
        self.fields["relation"].choices = [("", "---------"), *CustodianRelation.choices]


class BaseCustodianFormSet(DraftFormSetMixin, InlineFormSet):
    legend = capfirst(Custodian._meta.verbose_name)  # "Custodian 2 – Name: ..."

    def clean(self):
        super().clean()
        if self.draft:
            return
        names = [
            f.cleaned_data.get("name", "").strip().casefold()
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        names = [n for n in names if n]
        if len(names) != len(set(names)):
            raise ValidationError(_("The same custodian is given twice."))


CustodianFormSet = inlineformset_factory(
    GuardianshipRequest,
    Custodian,
    form=CustodianForm,
    formset=BaseCustodianFormSet,
    # One custodian at least, and an empty row more: without JavaScript the form still
    # offers a row for a second custodian (empty rows are left out).
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=6,
    validate_max=True,
    absolute_max=6,
    # A draft's custodian typed by mistake can be removed; nothing refers to the rows.
    can_delete=True,
    can_delete_extra=False,
)


class StepForm(forms.Form):
    """The form of a workflow step (guardianship.steps). Given the request the step is
    taken on (`guardianship_request`), it checks its dates against the request's, each
    error next to its field (guardianship.dates); the service checks them again."""

    def __init__(self, *args, guardianship_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardianship_request = guardianship_request

    def date_errors(self, data):
        return {}

    def clean(self):
        data = super().clean()
        if self.guardianship_request is not None and not self.errors:
            for name, error in self.date_errors(data).items():
                self.add_error(name, error)
        return data


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


class ReasonForm(StepForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProposeForm(StepForm):
    guardian = forms.ModelChoiceField(
        label=_("Guardian"), queryset=Guardian.objects.all(), to_field_name="uuid"
    )
    text = forms.CharField(label=_("Message"), required=False, max_length=2000)


class ReassignForm(StepForm):
    """Another guardian for the request. An appointed guardian is replaced by the court,
    which releases them: its release decision is recorded on the ended assignment."""

    guardian = forms.ModelChoiceField(
        label=_("Guardian"), queryset=Guardian.objects.all(), to_field_name="uuid"
    )
    reason = forms.CharField(label=_("Reason for the reassignment"), max_length=2000)
    released_on = forms.DateField(
        label=_("Released by the court on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("The date of the court's decision releasing the replaced guardian."),
    )
    release_decision = forms.CharField(
        label=_("Release decision"),
        max_length=200,
        required=False,
        help_text=_("The case number of the court's release decision."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Before the appointment there is nobody for the court to release.
        request = self.guardianship_request
        if request is not None and request.state != State.APPOINTED:
            del self.fields["released_on"]
            del self.fields["release_decision"]

    def date_errors(self, data):
        return dates.release_errors(
            self.guardianship_request, data.get("released_on"), data.get("release_decision", "")
        )


class TransferForm(StepForm):
    """Hand a request to another team and, optionally, a named social worker of it."""

    unit = choices.from_memory(
        forms.ModelChoiceField(
            label=_("Responsible team"),
            queryset=Unit.objects.filter(kind=UnitKind.TEAM).select_related("organisation"),
            widget=Select,
        ),
        choices.teams,
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


class FileApplicationForm(StepForm):
    court = forms.CharField(label=_("District court"), max_length=200, initial=DEFAULT_COURT)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_INPUT)

    def date_errors(self, data):
        return dates.filing_errors(self.guardianship_request, data["filed_on"])


class AppointmentForm(StepForm):
    """The appointment order as a record (issue 14, part 2)."""

    court = forms.CharField(
        label=_("Appointing court or authority"),
        max_length=200,
        required=False,
        help_text=_(
            "The district court; in agreed cases the guardianship authority (Digital and "
            "Population Data Services Agency)."
        ),
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE_INPUT)
    case_number = forms.CharField(
        label=_("Case number"), max_length=100, help_text=_("The diary number (diaarinumero).")
    )
    final_on = forms.DateField(
        label=_("Final on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("The day the decision became final (lainvoimainen); empty until it has."),
    )
    interim_order = forms.BooleanField(
        label=_("Interim order (väliaikainen määräys)"), required=False
    )
    mandate_scope = forms.CharField(
        label=_("Scope of the mandate"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("As the order words it."),
    )
    end_condition = forms.ChoiceField(
        label=_("End condition of the order"),
        choices=[("", "---------"), *EndCondition.choices],
        required=False,
        widget=Select,
    )
    mandate_ends_on = forms.DateField(
        label=_("The mandate ends on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_(
            "Only if the order gives an end date. Otherwise the portal counts the day the "
            "oldest child turns 18."
        ),
    )

    def date_errors(self, data):
        return dates.appointment_errors(
            self.guardianship_request,
            data["decision_date"],
            data.get("final_on"),
            data.get("mandate_ends_on"),
        )


class EndForm(StepForm):
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason for ending"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
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


class RequestReferenceField(forms.ModelChoiceField):
    """A request chosen by typing its reference (such as 9F81F46B), one of `queryset`
    (those the user may see): found through the uuid index, never listed."""

    widget = forms.TextInput(
        attrs={"autocomplete": "off", "spellcheck": "false", "size": 10, "maxlength": 8}
    )
    default_error_messages = {
        "invalid_choice": _(
            "No request you may see has this reference. A reference is eight characters, "
            "such as 9F81F46B."
        ),
    }

    def prepare_value(self, value):
        if isinstance(value, GuardianshipRequest):
            return value.reference
        if isinstance(value, int):  # the initial value of a saved request: its id
            found = self.queryset.model.objects.filter(pk=value).values_list("uuid", flat=True)
            return next((short_reference(u) for u in found), "")
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if text in self.empty_values:
            return None
        where = reference_range(text)
        found = list(self.queryset.filter(where)[:2]) if where is not None else []
        if len(found) != 1:  # two of one reference: too rare to guess between them
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found[0]

    def has_changed(self, initial, data):
        return (self.prepare_value(initial) or "") != (data or "").strip().upper()


class RequestFilterForm(forms.Form):
    # Never identity codes: this form is sent by GET, so what is typed lands in URLs and
    # server logs. Codes are searched with IdentityCodeSearchForm, by POST.
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A reference (such as 9F81F46B), a child's name or a case number."),
    )
    state = forms.ChoiceField(
        widget=Select,
        label=_("State"),
        required=False,
        choices=[("", _("Open requests")), ("all", _("All")), *State.choices],
    )
    # Offered from memory, validated by the queryset (municipalities.choices).
    municipality = choices.from_memory(
        forms.ModelChoiceField(
            widget=Select,
            label=_("Municipality"),
            required=False,
            queryset=Organisation.objects.municipalities().only("slug", "name", "name_sv"),
            to_field_name="slug",
        ),
        choices.municipalities,
    )
    matter = forms.ChoiceField(
        widget=Select, label=_("Matter"), required=False, choices=[("", _("All")), *Matter.choices]
    )
    # A child's mother tongue (the parameter kept its name, "language", for saved links).
    language = LanguageField(label=_("Mother tongue"), required=False, blank_label=_("All"))
    # What needs the coordinator (the home page's "needs action" links here).
    needs = forms.ChoiceField(
        widget=Select,
        label=_("Needs action"),
        required=False,
        choices=[("", _("All"))],  # the rest in __init__: they name the settings' days
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].with_choices()
        self.fields["needs"].choices = [("", _("All")), *listing.needs_choices()]

    def filter(self, queryset, *, user, sort=listing.DEFAULT_SORT):
        """The requests narrowed by the filters, in the order of `sort` (a key of
        listing.SORTS). Unfiltered, the open requests and drafts; an invalid value is
        reported on the form and shows none. A reference is looked for in every state:
        it is what e-mails and fee claims quote, of ended requests too."""
        if self.is_bound and not self.is_valid():
            return queryset.none()
        data = self.cleaned_data if self.is_bound else {}
        state = data.get("state", "")
        text = data.get("q", "").strip()
        reference = reference_range(text) if text else None
        if state == "" and reference is None:
            # Exactly this list, so that the partial indexes apply.
            queryset = queryset.filter(state__in=QUEUE_STATES)
        elif state not in ("", "all"):
            queryset = queryset.filter(state=state)
        children = Child.objects.filter(request=OuterRef("pk"))
        if data.get("municipality"):
            queryset = queryset.filter(
                Exists(children.filter(home_municipality=data["municipality"]))
            )
        if data.get("matter"):
            queryset = queryset.filter(matter=data["matter"])
        if data.get("language"):
            queryset = queryset.filter(Exists(children.filter(mother_tongue=data["language"])))
        if data.get("needs"):
            queryset = queryset.filter(listing.NEEDS[data["needs"]]())
        if reference is not None:
            # Eight hexadecimal digits are a reference, of any request the user may see
            # (every phase of a guardian sees it): an index range, no name scan.
            queryset = queryset.filter(reference)
        elif text:
            first_name = Exists(children.filter(first_name__icontains=text))
            everything = (
                first_name
                | Exists(children.filter(last_name__icontains=text))
                | Q(case_number__icontains=text)
                | Q(worker_name__icontains=text)
            )
            queryset = queryset.filter(policies.search_condition(user, everything, first_name))
        return queryset.order_by(*listing.SORTS[sort].order)


class UnechoedTextInput(forms.TextInput):
    """A text input that never shows its value again: a searched identity code is not
    written back into the page."""

    def format_value(self, value):
        return None


class RequestExportForm(forms.Form):
    """The period of a queue export: the requests of the filtered list submitted in it
    (a draft has not been), at most a year. Unbounded, the coordinator's export of every
    request ever ran to tens of thousands of rows and took seconds (issue 18)."""

    start = forms.DateField(label=_("Submitted from"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Submitted to"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The last twelve months, today included.
        today = timezone.localdate()
        a_year_ago = dates.a_year_after(today, years=-1)
        self.fields["start"].initial = a_year_ago + datetime.timedelta(days=1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period cannot end before it starts."))
            elif end >= dates.a_year_after(start):
                self.add_error("end", _("The period can be at most a year."))
        return data

    def filter(self, queryset):
        """The requests submitted from the first day's start to the last day's end in
        Finnish time, as bounds on `submitted_at` itself so that its indexes apply."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.cleaned_data["start"], datetime.time(), zone)
        end = datetime.datetime.combine(
            self.cleaned_data["end"] + datetime.timedelta(days=1), datetime.time(), zone
        )
        return queryset.filter(submitted_at__gte=start, submitted_at__lt=end)


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


class GuardianForm(VersionedFormMixin, forms.ModelForm):
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
        choices.from_memory(self.fields["areas"], choices.current_municipalities)
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
    area = choices.from_memory(
        forms.ModelChoiceField(
            widget=Select,
            label=_("Area"),
            required=False,
            queryset=Organisation.objects.municipalities().only("slug", "name", "name_sv"),
            to_field_name="slug",
        ),
        choices.municipalities,
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


class DocumentForm(forms.Form):
    """A document added to a request: its kind (those the user may add) and the file,
    checked by its bytes and against the request's total (guardianship.documents)."""

    kind = forms.ChoiceField(label=_("Kind of document"))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, guardianship_request, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardianship_request = guardianship_request
        labels = dict(DocumentKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        total = filesizeformat(settings.GUARDIANSHIP_DOCUMENTS_MAX_MB * MB)
        self.fields["file"].help_text = _(
            "A PDF, JPEG or PNG file of at most 10 MB; the request's documents at most "
            "%(total)s in all."
        ) % {"total": total}

    def clean_file(self):
        # Imported here: guardianship.documents asks the policies, which read the steps,
        # which read these forms.
        from guardianship.documents import check_total

        upload = self.cleaned_data["file"]
        check_upload(upload)
        check_total(self.guardianship_request, upload.size)
        return upload
