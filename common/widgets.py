"""Widgets shared by the forms: the list pages' select, dates, decimal numbers."""

from decimal import Decimal

from django import forms
from django.forms.utils import flatatt
from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """Django's Select, rendered in Python.

    The same HTML as the template widget, whose include per option made the filter
    forms' selects the most expensive part of the list pages. Grouped choices are left
    to Django.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name for group_name, _, _ in groups):
            return super().render(name, value, attrs, renderer)
        # Plain string building: format_html() per option cost more than the rest.
        options = "".join(
            '<option value="{}"{}>{}</option>'.format(
                escape(str(option["value"])),
                " selected" if option["selected"] else "",
                escape(str(option["label"])),
            )
            for _, options, _ in groups
            for option in options
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe(options),  # every value and label escaped above
        )


# The browser's own date picker; the value is ISO, whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecimalInput(forms.TextInput):
    """A number as text with the phone's decimal keyboard: a `type="number"` input drops
    or misreads a decimal comma in some browsers ("3,5" became 35), and it cannot show
    "1 234,50". The value is shown as the active language writes it, in groups."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return formats.number_format(value, use_l10n=True, force_grouping=True)
        return super().format_value(value)
