"""What every form of the portal shares."""

from django.contrib import messages


def form_errors_to_messages(request, form):
    """A bound form's errors as error messages, for forms that redirect instead of re-rendering.

    "Label: error" for a field's errors, the error alone for the form's own.
    """
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
