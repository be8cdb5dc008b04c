"""Two people editing one record at once (issue 16, part 5).

A record that two people can edit through the portal's forms carries a `version`
(`common.models.VersionedModel`), and its form carries the version it was loaded at in
a hidden field
(`VersionedFormMixin`). On save the form locks the row (`SELECT ... FOR UPDATE`) and
compares: if someone saved it meanwhile, nothing is written; the form is shown again
with a message and what the other person saved, beside what this person typed, so
neither change is lost without anyone seeing it. Saving again after that replaces the
other version knowingly (the hidden field then holds the version just seen).

Every full save of an existing row moves the version on (the admin's too), so an edit
loaded before any other save is caught. Saves of named fields (`update_fields`: the
workflow's steps, timestamps) leave it as it is: they are not edits of the form's fields.
"""

import datetime

from django import forms
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils import formats
from django.utils.translation import gettext as _

VERSION = "version"


class EditConflict(Exception):
    """The record was saved by someone else after the form was loaded; `current` is the
    record as it is now."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


class VersionedFormMixin:
    """For a ModelForm of a VersionedModel: the hidden version, its check on save, and
    the form shown again after a conflict (`show_conflict`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        )
        if self.instance.pk is not None:
            self.initial.setdefault(VERSION, self.instance.version)
        # (label, what is saved now, what this person sent) of the fields that differ.
        self.changed_meanwhile = []

    def check_current(self, current):
        """More to check on the locked row before saving (a subclass's): raise to stop."""

    def _check_version(self):
        model = type(self.instance)
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)
        self.check_current(current)
        posted = self.cleaned_data.get(VERSION)
        # A form sent without it (a script, a page loaded before versions existed) is
        # saved as before; the portal's own forms always carry it.
        if posted is not None and posted != current.version:
            raise EditConflict(current)
        # The save moves it on by one from the version now saved.
        self.instance.version = current.version

    def save(self, commit=True):
        if self.instance.pk is None or self.instance._state.adding:
            return super().save(commit)
        if not commit:
            # The caller saves the instance itself: the lock must last until it has.
            if not transaction.get_connection().in_atomic_block:
                raise RuntimeError("A versioned form saved with commit=False needs a transaction.")
            self._check_version()
            return super().save(commit=False)
        with transaction.atomic():
            self._check_version()
            return super().save(commit=True)

    def show_conflict(self, current):
        """Ready the form to be shown again after EditConflict: the message, the fields the
        other person saved differently, and the version now saved, so that saving again
        replaces it knowingly."""
        self.changed_meanwhile = changed_fields(self, current)
        data = self.data.copy()
        data[self.add_prefix(VERSION)] = str(current.version)
        self.data = data
        self.add_error(
            None,
            _(
                "Someone else saved this record while you were editing it, so your changes "
                "were not saved. Their version is shown below beside yours: check the form "
                "and save again to keep yours."
            ),
        )


def changed_fields(form, current):
    """[(label, saved value, sent value)] of the form's fields whose value saved in
    `current` differs from what the form sent, as text a person reads."""
    names = [name for name in form.fields if name != VERSION]
    saved = model_to_dict(current, fields=names)
    sent = getattr(form, "cleaned_data", {})
    rows = []
    for name in names:
        if name not in saved:
            continue  # not a field of the record (the form's own)
        field = form.fields[name]
        if field.has_changed(saved[name], form[name].data):
            rows.append((form[name].label, shown(field, saved[name]), shown(field, sent.get(name))))
    return rows


def _labels(choices):
    labels = {}
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # a group of choices
            labels.update(_labels(label))
        else:
            labels[str(key)] = str(label)
    return labels


def shown(field, value):
    """A field's value as text: labels of choices, names of related records, dates the
    Finnish way; a dash for nothing."""
    if value is None or value == "" or (isinstance(value, (list, tuple, QuerySet)) and not value):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        found = field.queryset.model._default_manager.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if getattr(field, "choices", None):
        labels = _labels(field.choices)
        if isinstance(value, (list, tuple)):
            return ", ".join(labels.get(str(item), str(item)) for item in value)
        return labels.get(str(value), str(value))
    return str(value)
