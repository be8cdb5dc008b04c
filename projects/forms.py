import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from common.forms import InlineFormSet
from common.validators import validate_portal_year
from common.versioning import VersionedFormMixin
from common.widgets import Select
from municipalities import choices
from municipalities.models import Organisation
from projects.models import (
    Event,
    EventKind,
    NewsItem,
    Partnership,
    PeriodPrecision,
    Project,
    ProjectLink,
    ProjectOutput,
    ProjectRole,
    ProjectStatus,
    Tag,
    Theme,
)
from projects.policies import EDITOR_ROLES
from projects.reference import PIKASSOS

# Path segments the URL configuration uses beside the slugs.
RESERVED_SLUGS = {"new"}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def organisations(field):
    """Every organisation as the choices of `field`: offered from memory, validated by the
    queryset (municipalities.choices)."""
    field.queryset = Organisation.objects.order_by("name")
    return choices.from_memory(field, choices.organisations)


# Filters of the list pages --------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(
        widget=Select,
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *ProjectStatus.choices],
    )
    theme = forms.ModelChoiceField(
        widget=Select,
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    role = forms.ChoiceField(
        widget=Select,
        label=_("Pikassos' role"),
        required=False,
        choices=[("", _("All")), *ProjectRole.choices],
    )

    def filter(self, queryset):
        """Apply the valid filters; an invalid value is reported on the form, not ignored."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["theme"]:
            queryset = queryset.filter(themes=data["theme"])
        if data["role"]:
            queryset = queryset.filter(pikassos_role=data["role"])
        return queryset


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        widget=Select,
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *EventKind.choices],
    )
    project = forms.ModelChoiceField(
        widget=Select,
        label=_("Project"),
        required=False,
        queryset=Project.objects.none(),
        to_field_name="slug",
        empty_label=_("All projects"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("name")

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        if self.cleaned_data["kind"]:
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data["project"]:
            queryset = queryset.filter(project=self.cleaned_data["project"])
        return queryset


class NewsFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tag = forms.ModelChoiceField(
        widget=Select,
        label=_("Tag"),
        required=False,
        queryset=Tag.objects.all(),
        to_field_name="slug",
        empty_label=_("All tags"),
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        queryset = queryset.search(self.cleaned_data["q"])
        if self.cleaned_data["tag"]:
            queryset = queryset.filter(tags=self.cleaned_data["tag"])
        return queryset


# Projects ------------------------------------------------------------------------------


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "name_sv",
            "acronym",
            "slug",
            "programme",
            "funder",
            "pikassos_role",
            "status",
            "start_date",
            "end_date",
            "period_precision",
            "themes",
            "responsible_staff",
            "description",
            "is_public",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "themes": forms.CheckboxSelectMultiple(),
            "responsible_staff": forms.CheckboxSelectMultiple(),
        }
        labels = {"pikassos_role": _("Pikassos' role"), "status": _("Status")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        organisations(self.fields["funder"])
        self.fields["pikassos_role"].choices = [("", _("Not recorded")), *ProjectRole.choices]
        self.fields["status"].choices = [("", _("Not recorded")), *ProjectStatus.choices]
        # Active planners and coordinators, and whoever is already responsible (so that
        # saving the form never drops a person who has since changed role).
        staff = Q(groups__name__in=EDITOR_ROLES, is_active=True)
        if self.instance.pk:
            staff |= Q(responsible_projects=self.instance)
        self.fields["responsible_staff"].queryset = (
            get_user_model()
            .objects.filter(staff)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["responsible_staff"].help_text = _("Pikassos planners and coordinators.")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address name is reserved; choose another."))
        if not slug:
            slug = self._free_slug(
                slugify(self.cleaned_data.get("acronym") or self.cleaned_data.get("name", ""))
            )
        return slug

    def _free_slug(self, base):
        base = (base or "project")[:90]
        if base in RESERVED_SLUGS:
            base = f"{base}-project"
        taken = set(
            Project.objects.filter(slug__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if data.get("period_precision") == PeriodPrecision.YEAR:
            # Only the years are known: the period covers them whole.
            if start:
                start = data["start_date"] = datetime.date(start.year, 1, 1)
            if end:
                end = data["end_date"] = datetime.date(end.year, 12, 31)
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return data


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["organisation", "role", "contribution"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations(self.fields["organisation"])
        self.fields["role"].choices = [("", _("Not recorded")), *ProjectRole.choices]


class BasePartnershipFormSet(InlineFormSet):
    """Partners of a project; Pikassos' row, if any, must agree with Pikassos' role."""

    def __init__(self, *args, pikassos_role="", **kwargs):
        self.pikassos_role = pikassos_role
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            organisation = form.cleaned_data.get("organisation")
            role = form.cleaned_data.get("role")
            if (
                organisation is not None
                and organisation.slug == PIKASSOS
                and role
                and self.pikassos_role
                and role != self.pikassos_role
            ):
                form.add_error(
                    "role", _("Pikassos' role here differs from Pikassos' role of the project.")
                )


PartnershipFormSet = forms.inlineformset_factory(
    Project,
    Partnership,
    form=PartnershipForm,
    formset=BasePartnershipFormSet,
    extra=1,
    can_delete=True,
    # A forged TOTAL_FORMS must not make the server build thousands of forms.
    max_num=100,
    absolute_max=100,
)

ProjectLinkFormSet = forms.inlineformset_factory(
    Project,
    ProjectLink,
    formset=InlineFormSet,
    fields=["title", "url"],
    extra=1,
    can_delete=True,
    max_num=100,
    absolute_max=100,
)

ProjectOutputFormSet = forms.inlineformset_factory(
    Project,
    ProjectOutput,
    formset=InlineFormSet,
    fields=["kind", "title", "url", "published_on"],
    widgets={"published_on": DateInput()},
    max_num=100,
    absolute_max=100,
    extra=1,
    can_delete=True,
)


def project_formsets(data, project):
    """The partner, link and output formsets of the project form, by prefix."""
    pikassos_role = data.get("pikassos_role", "") if data is not None else ""
    formsets = {
        "partners": PartnershipFormSet(
            data, instance=project, prefix="partners", pikassos_role=pikassos_role
        ),
        "links": ProjectLinkFormSet(data, instance=project, prefix="links"),
        "outputs": ProjectOutputFormSet(data, instance=project, prefix="outputs"),
    }
    # Headings of the formset sections and of each row's fieldset.
    for name, title, legend in [
        ("partners", _("Partner organisations"), _("Partner")),
        ("links", _("Links"), _("Link")),
        ("outputs", _("Outputs"), _("Output")),
    ]:
        formsets[name].title = title
        formsets[name].legend = legend
    return formsets


# Events --------------------------------------------------------------------------------


class EventForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "remote_url",
            "organiser",
            "project",
            "target_organisations",
            "registration_url",
            "description",
            "is_public",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "target_organisations": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations(self.fields["organiser"])
        organisations(self.fields["target_organisations"])
        self.fields["project"].queryset = Project.objects.order_by("name")

    def clean_starts_at(self):
        validate_portal_year(self.cleaned_data["starts_at"])
        return self.cleaned_data["starts_at"]

    def clean_ends_at(self):
        validate_portal_year(self.cleaned_data["ends_at"])
        return self.cleaned_data["ends_at"]

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        if not data.get("place") and not data.get("remote_url") and "remote_url" not in self.errors:
            # On the field, so the error summary links to it (and the model's
            # constraint, which says the same, is not checked twice).
            self.add_error("place", _("Give a place, a remote link or both."))
        return data


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete it"), required=True)


# News ----------------------------------------------------------------------------------


class NewsItemForm(VersionedFormMixin, forms.ModelForm):
    new_tags = forms.CharField(
        label=_("New tags"),
        required=False,
        max_length=300,
        help_text=_("Separate with commas, e.g. child protection, training."),
    )

    class Meta:
        model = NewsItem
        fields = [
            "title",
            "body",
            "published_at",
            "is_public",
            "tags",
            "new_tags",
            "projects",
            "organisations",
        ]
        widgets = {
            "published_at": DateTimeInput(),
            "tags": forms.CheckboxSelectMultiple(),
            "projects": forms.CheckboxSelectMultiple(),
            "organisations": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.order_by("name")
        organisations(self.fields["organisations"])
        # The model's default (now) would add a hidden copy of the initial value, which
        # Django gives the field's aria-describedby: invalid HTML on a hidden input, and
        # nothing here reads the copy.
        self.fields["published_at"].show_hidden_initial = False
        if not Tag.objects.exists():
            # Nothing to choose yet: the first tags come from "New tags".
            del self.fields["tags"]

    def clean_published_at(self):
        value = self.cleaned_data["published_at"]
        validate_portal_year(value)
        return value

    def clean_new_tags(self):
        names = []
        for name in self.cleaned_data["new_tags"].split(","):
            name = " ".join(name.split())
            if not name:
                continue
            if len(name) > Tag._meta.get_field("name").max_length:
                raise forms.ValidationError(
                    _("A tag can be at most %(limit)d characters long."),
                    params={"limit": Tag._meta.get_field("name").max_length},
                )
            if not slugify(name):
                raise forms.ValidationError(
                    _("“%(name)s” is not a usable tag: use letters or digits."),
                    params={"name": name},
                )
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        return names
