"""Small helpers for forms shared by every app."""

from django.contrib import messages


def form_errors_to_messages(request, form):
    """Each error of a bound form as an error message ("Label: error"), for views that
    redirect back to the page the form was on instead of showing it again."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
