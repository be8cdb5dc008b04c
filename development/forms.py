import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_portal_year
from common.versioning import VersionedFormMixin
from common.widgets import Select
from development.models import (
    IDEA_STATES_WITH_CALL,
    Network,
    NetworkContact,
    ProjectIdea,
    PublishedAnswer,
    Question,
    QuestionStatus,
)
from municipalities import choices
from municipalities.models import Organisation
from projects.forms import DateInput
from projects.models import Event, Project, Theme
from projects.policies import EDITOR_ROLES

# The honeypot: a field people never see (the `hidden` attribute of its wrapper hides it
# from screen readers too) and bots fill in. Its name looks like a real field to them.
HONEYPOT = "website"


class QuestionForm(forms.ModelForm):
    """The question form of a visitor or a signed-in user of any organisation."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Question
        fields = [
            "topic",
            "organisation",
            "organisation_name",
            "contact_name",
            "contact_email",
            "text",
        ]
        widgets = {
            "topic": Select,
            "organisation": Select,
            "text": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"text": _("Your question")}
        help_texts = {
            "contact_email": _("We send the answer to this address and use it for nothing else."),
            "text": _(
                "Do not write clients' names or other personal data: ask about development, "
                "not about a client's case."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Theme.objects.all()
        self.fields["topic"].empty_label = _("Other or not sure")
        self.fields["organisation"].queryset = Organisation.objects.current().order_by("name")
        choices.from_memory(self.fields["organisation"], choices.current_organisations)
        self.fields["organisation"].empty_label = _("Not in the list")
        self.fields["organisation"].help_text = _(
            "Choose from the list, or write the name below if it is not there."
        )
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.setdefault("contact_name", user.get_full_name())
            self.initial.setdefault("contact_email", user.email)
            own = user.organisations.order_by("name").first()
            if own is not None:
                self.initial.setdefault("organisation", own.pk)

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get(HONEYPOT))

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != HONEYPOT]

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Write your question in a few words at least."))
        return text

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("organisation_name") or "").strip():
            self.add_error("organisation_name", _("Choose your organisation or write its name."))
        return data


def staff_users():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=EDITOR_ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Handled by"),
        queryset=None,
        required=False,
        empty_label=_("Nobody"),
        widget=Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff_users()


class LinkForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["topic", "project"]
        widgets = {"topic": Select, "project": Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Theme.objects.all()
        self.fields["project"].queryset = Project.objects.order_by("name")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Sent by e-mail to the asker; not public."),
    )


class PublishForm(forms.ModelForm):
    class Meta:
        model = PublishedAnswer
        fields = ["question", "answer", "question_sv", "answer_sv"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 8}),
            "question_sv": forms.Textarea(attrs={"rows": 3}),
            "answer_sv": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        data = super().clean()
        if bool((data.get("question_sv") or "").strip()) != bool(
            (data.get("answer_sv") or "").strip()
        ):
            self.add_error("answer_sv", _("Give both the Swedish question and answer, or neither."))
        return data


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open")), *QuestionStatus.choices, ("all", _("All"))],
        widget=Select,
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def filter(self, queryset, user):
        if not self.is_valid():
            return queryset.none()
        status = self.cleaned_data["status"]
        if status == "":
            queryset = queryset.open()
        elif status != "all":
            queryset = queryset.filter(status=status)
        if self.cleaned_data["mine"]:
            queryset = queryset.filter(assigned_to=user)
        return queryset


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), max_length=200, required=False)


# Project planning and networks (issue 19, parts 3 and 4) ----------------------------------

IDEA_FIELDS = [
    "name",
    "description",
    "themes",
    "funder",
    "call",
    "call_deadline",
    "partners",
    "pikassos_role",
    "planner",
]


class ProjectIdeaForm(VersionedFormMixin, forms.ModelForm):
    """The idea's own fields; its state moves by the steps of development.services."""

    class Meta:
        model = ProjectIdea
        fields = IDEA_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple(),
            "funder": Select,
            "call_deadline": DateInput(),
            "partners": forms.CheckboxSelectMultiple(),
            "pikassos_role": Select,
            "planner": Select,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["funder"].queryset = Organisation.objects.order_by("name")
        choices.from_memory(self.fields["funder"], choices.organisations)
        self.fields["partners"].queryset = Organisation.objects.current().order_by("name")
        choices.from_memory(self.fields["partners"], choices.current_organisations)
        self.fields["planner"].queryset = staff_users()

    def clean_call_deadline(self):
        validate_portal_year(self.cleaned_data["call_deadline"])
        return self.cleaned_data["call_deadline"]

    def clean(self):
        data = super().clean()
        # Once the funding is applied for, the call and its deadline stay known.
        if self.instance.state in IDEA_STATES_WITH_CALL:
            if not (data.get("call") or "").strip() and "call" not in self.errors:
                self.add_error("call", _("Give the funder's call: the funding is applied for."))
            if data.get("call_deadline") is None and "call_deadline" not in self.errors:
                self.add_error(
                    "call_deadline", _("Give the call's deadline: the funding is applied for.")
                )
        return data


class NetworkForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "name_sv", "description", "members", "is_public"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "members": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Organisation.objects.current().order_by("name")
        choices.from_memory(self.fields["members"], choices.current_organisations)


class NetworkContactForm(forms.ModelForm):
    class Meta:
        model = NetworkContact
        fields = [
            "name",
            "organisation",
            "work_role",
            "work_email",
            "work_phone",
            "basis",
            "retention_note",
        ]
        widgets = {"organisation": Select, "basis": Select}
        help_texts = {
            "name": _("Only work details: no home address, private phone or the like."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.current().order_by("name")
        choices.from_memory(self.fields["organisation"], choices.current_organisations)
        self.fields["work_email"].widget.attrs["autocomplete"] = "off"
        self.fields["work_phone"].widget.attrs["autocomplete"] = "off"
        self.initial.setdefault(
            "retention_note",
            _("Removed when the person leaves the network; reviewed once a year."),
        )

    def clean(self):
        data = super().clean()
        if (
            not (data.get("work_email") or "").strip()
            and not (data.get("work_phone") or "").strip()
            and "work_email" not in self.errors
        ):
            self.add_error("work_email", _("Give a work e-mail address or a work phone."))
        return data


class MeetingForm(forms.Form):
    """An event to mark as a meeting of the network: events of the past year and to come
    that are no network's meeting yet."""

    event = forms.ModelChoiceField(label=_("Event"), queryset=None, widget=Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        since = timezone.now() - datetime.timedelta(days=365)
        self.fields["event"].queryset = Event.objects.filter(
            ends_at__gte=since, network_meeting__isnull=True
        ).order_by("starts_at", "pk")
