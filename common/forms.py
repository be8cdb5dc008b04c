"""What every form of the portal shares: its markup, its error summary, its messages,
and its decimal numbers."""

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import renderers
from django.forms.models import ModelChoiceIterator
from django.template import TemplateDoesNotExist, loader
from django.utils import formats, translation
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.widgets import DecimalInput

# Django's widget templates that the project writes its own way (templates/includes/
# widgets/): each of Django's includes another per widget, per attribute list and per
# choice, and an include cost more than the markup it writes; the request form's rows
# made some 350 template renders a page (issue 18). The same HTML, but an attribute whose
# value is None is left out (flatatt) where Django would write "None".
_INPUTS = ("input", "text", "number", "email", "url", "tel", "search", "password", "hidden")
WIDGET_TEMPLATES = {
    **{
        f"django/forms/widgets/{name}.html": "includes/widgets/input.jinja"
        for name in (*_INPUTS, "date", "datetime", "time", "color", "checkbox", "file")
    },
    "django/forms/widgets/select.html": "includes/widgets/select.jinja",
    "django/forms/widgets/textarea.html": "includes/widgets/textarea.jinja",
    **{
        f"django/forms/widgets/{name}.html": "includes/widgets/multiple_input.jinja"
        for name in ("multiple_input", "radio", "checkbox_select")
    },
}


class FormRenderer(renderers.Jinja2):
    """Every form's fields and widgets through Jinja2 (settings.FORM_RENDERER): the one
    markup of a field is templates/includes/field.jinja, the widgets Django's own Jinja2
    templates. Through Django's engine, the fields were most of a form page's time: the
    project's form 45 ms of 50 in one process (issue 18)."""

    field_template_name = "includes/field.jinja"

    @cached_property
    def engine(self):
        return self.backend(
            {
                "NAME": "forms",
                "DIRS": [settings.BASE_DIR / "templates"],
                "APP_DIRS": False,
                "OPTIONS": {"environment": "common.jinja2.form_environment", "autoescape": True},
            }
        )

    def get_template(self, template_name):
        try:
            return self.engine.get_template(WIDGET_TEMPLATES.get(template_name, template_name))
        except TemplateDoesNotExist:
            # The admin's widgets and other apps' are written for Django's engine only.
            return loader.get_template(template_name)


# Rendered field groups by what makes them differ (common.forms.field_groups): a list's
# filter form and a new record's form render the same few variants all day. Bounded;
# emptied when full.
_FIELD_GROUPS = {}
FIELD_GROUPS_KEPT = 2048


def field_groups(form, *, visible_only=False):
    """`{% for field in form %}{{ field.as_field_group }}{% endfor %}` (of its visible
    fields only with `visible_only`), each field through `field_group`."""
    fields = form.visible_fields() if visible_only else list(form)
    return mark_safe("".join(field_group(bound) for bound in fields))


def field_group(bound):
    """`{{ field.as_field_group }}`, from this process's memory when a field of the same
    form class, name, choices, value and language was rendered before. The queue's
    filter form through the template engine cost about a sixth of the page, the request
    form's rows of children and custodians, each with a list of 180 languages, most of
    the new request's page, and a form's fields about half of a form page (issue 18). A
    form with errors is always rendered anew, and so is a field with any text or date in
    it, typed or an instance's: a name searched for or a child's details are never kept
    in memory."""
    form = bound.form
    if (form.is_bound and form.errors) or _not_kept(bound):
        return bound.as_field_group()
    # Everything a field's HTML is made of that a form may set per instance, too.
    key = (
        type(form),
        form.prefix,
        form.auto_id,
        translation.get_language(),
        bound.html_name,
        type(bound.field.widget),
        str(bound.value()),
        str(bound.label),
        str(bound.help_text),
        bound.field.required,
        bound.field.disabled,
        repr(sorted(bound.field.widget.attrs.items())),
        tuple((str(v), str(label)) for v, label in getattr(bound.field, "choices", ())),
    )
    rendered = _FIELD_GROUPS.get(key)
    if rendered is None:
        rendered = mark_safe(str(bound.as_field_group()))
        if len(_FIELD_GROUPS) >= FIELD_GROUPS_KEPT:
            _FIELD_GROUPS.clear()
        _FIELD_GROUPS[key] = rendered
    return rendered


def _not_kept(bound):
    """A value in a field without choices (text, a date: typed, or an instance's; a
    tick is no one's data), or choices read from the database each time (a
    ModelChoiceField's queryset: the key would cost the query it saves)."""
    choices = getattr(bound.field, "choices", None)
    if choices is None:
        value = bound.value()
        return not (value in (None, "") or isinstance(value, bool))
    # municipalities.choices.from_memory gives a field its entries from memory.
    return isinstance(choices, ModelChoiceIterator) and not hasattr(bound.field, "entries")


def field_anchor(field):
    """The id of the input a link to this field should focus: the first choice of a group
    of radios or checkboxes, which has no id of its own."""
    return f"{field.auto_id}_0" if field.use_fieldset else field.id_for_label


def error_summary_items(form, formsets=()):
    """(anchor, text) of every error of a form and of its formsets, in the page's order.

    The anchor is the id of the field to focus, or "" for an error of a whole form. The
    rows of a formset are named by its `legend` and their number: "Child 2 – Name: ...".
    """
    items = [("", error) for error in form.non_field_errors()]
    items += [(field_anchor(f), f"{f.label}: {error}") for f in form for error in f.errors]
    for formset in formsets:
        items += [("", f"{formset.legend}: {error}") for error in formset.non_form_errors()]
        for number, subform in enumerate(formset.forms, 1):
            row = f"{formset.legend} {number}"
            items += [("", f"{row}: {error}") for error in subform.non_field_errors()]
            items += [
                (field_anchor(f), f"{row} – {f.label}: {error}")
                for f in subform
                for error in f.errors
            ]
    return items


def form_errors_to_messages(request, form):
    """A bound form's errors as error messages, for forms that redirect instead of re-rendering.

    "Label: error" for a field's errors, the error alone for the form's own.
    """
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# Spaces people put between thousands: a space, a no-break space (what Finnish formats
# write), a narrow no-break space (what some keyboards and copied figures have), a thin space.
GROUP_SPACES = " \u00a0\u202f\u2009"


class LocalizedDecimalField(forms.DecimalField):
    """A decimal number as people type it in the active language: in Finnish "3,5" and
    "1 234,50", with any kind of space between thousands, a trailing "€" allowed.

    Django's localisation reads the decimal separator (`localize=True`,
    `formats.sanitize_separators`); the thousands are removed here only when they really
    are groups of three, so "12 34" or "3,5" in English is an error that shows an
    example, never a number ten or a hundred times too big. A decimal point is read as a
    decimal point in every language. The value is a Decimal.
    """

    widget = DecimalInput

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def invalid(self):
        example = {
            "short": formats.number_format(Decimal("3.5")),
            "long": formats.number_format(Decimal("1234.50"), force_grouping=True),
        }
        return ValidationError(
            _("Give a number such as %(short)s or %(long)s."), code="invalid", params=example
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = self._ungrouped(value.strip().removesuffix("€").strip())
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid":
                raise self.invalid() from None
            raise

    def _ungrouped(self, text):
        separators = set(GROUP_SPACES) | {formats.get_format("THOUSAND_SEPARATOR")}
        if not separators & set(text):
            return text
        whole, point, fraction = text.partition(formats.get_format("DECIMAL_SEPARATOR"))
        groups = re.split("[" + re.escape("".join(separators)) + "]", whole)
        grouped = re.fullmatch(r"[+-]?[0-9]{1,3}", groups[0]) and all(
            re.fullmatch("[0-9]{3}", group) for group in groups[1:]
        )
        if not grouped or separators & set(fraction):
            raise self.invalid()
        return "".join(groups) + point + fraction


class DraftFormMixin:
    """A form that can also be saved as a draft (issue 16, part 1), given `draft=True`.

    A draft is saved with what is typed: no field is required (they are checked when the
    record is submitted), and a value that cannot be stored (an impossible date, a
    malformed identity code) is left out of the save, its error kept in `kept_out` and
    shown again with `show_kept_out()`, while the rest is saved. Errors of the whole form
    (`clean()`'s own) still stop the save. `draft_required` names the fields a row cannot
    be stored without (a select without an empty choice, say)."""

    draft_required = ()

    def __init__(self, *args, draft=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.kept_out = {}

    def full_clean(self):
        if not self.draft:
            return super().full_clean()
        # Not required while cleaning only: the page still marks the fields required.
        relaxed = [
            field
            for name, field in self.fields.items()
            if field.required and name not in self.draft_required
        ]
        for field in relaxed:
            field.required = False
        try:
            super().full_clean()
        finally:
            for field in relaxed:
                field.required = True
        # A hidden field's error (a row's id, the version, the form key) is no typing
        # to keep out: it still stops the save.
        typed = [
            name
            for name in self._errors
            if name in self.fields and not self.fields[name].widget.is_hidden
        ]
        for name in typed:
            self.kept_out[name] = self._errors.pop(name)

    def show_kept_out(self):
        """Put the errors of the values left out of the draft back on their fields."""
        _ = self.errors  # cleans once, if not yet
        for name, errors in self.kept_out.items():
            self._errors.setdefault(name, errors)


class InlineFormSet(forms.BaseInlineFormSet):
    """Django's inline formset, without reading the rows of a record not saved yet.

    A new record's formset still evaluates `queryset.none()`, which Django compiles to
    SQL before it finds there is nothing to ask: about a millisecond a formset on every
    page that creates a request or a project with their rows (issue 18)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.instance.pk is None and queryset._result_cache is None:
            queryset._result_cache = []  # what the empty query would have returned
        return queryset


class KnownChoices(BaseChoiceIterator):
    """Choices already in Django's normalised form, shared by every form that offers
    them: Django normalises a plain list again for each form and copies it with each
    field (the request form's 180 languages per row of children and custodians); a
    BaseChoiceIterator it takes as it is. Never changed once made."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __deepcopy__(self, memo):
        return self


class DraftFormSetMixin:
    """A formset of DraftFormMixin forms saved with a draft: no minimum number of rows,
    and its rows' own checks across rows (`clean()`) wait for the submit."""

    def __init__(self, *args, draft=False, **kwargs):
        kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "draft": draft}
        super().__init__(*args, **kwargs)
        self.draft = draft

    def full_clean(self):
        if self.draft:
            self.validate_min = False
        super().full_clean()

    def show_kept_out(self):
        for form in self.forms:
            form.show_kept_out()

    @property
    def kept_out(self):
        return [form.kept_out for form in self.forms if form.kept_out]
