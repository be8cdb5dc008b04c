"""What every form of the portal shares: its markup, its error summary, its messages."""

from django.contrib import messages
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Django's form rendering through the project's templates (settings.FORM_RENDERER), so
    that `{{ field.as_field_group }}` renders templates/includes/field.html."""

    field_template_name = "includes/field.html"


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
