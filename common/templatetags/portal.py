import datetime

from django import template
from django.template.defaultfilters import floatformat
from django.utils.timezone import template_localtime

from common.forms import error_summary_items, field_group, field_groups

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL's query string with `page` replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.inclusion_tag("includes/form_errors.html")
def error_summary(form, *formsets):
    """The form's error summary: `{% error_summary form %}`, or with the formsets whose
    rows it saves, `{% error_summary form formset %}`. Each error links to its field."""
    return {"errors": error_summary_items(form, formsets)}


@register.filter(name="field_groups")
def field_groups_filter(form):
    """`{{ form|field_groups }}`: every field of a form as its field group, each
    rendered once per variant in each process (common.forms.field_group)."""
    return field_groups(form)


@register.filter(name="field_group")
def field_group_filter(field):
    """`{{ form.name|field_group }}`: `{{ form.name.as_field_group }}`, rendered once
    per variant in each process (common.forms.field_group)."""
    return field_group(field)


@register.filter(name="visible_field_groups")
def visible_field_groups_filter(form):
    """`{{ form|visible_field_groups }}`: the visible fields of a form as their field
    groups, each rendered once per variant in each process (the request form's rows of
    children and custodians; common.forms.field_group)."""
    return field_groups(form, visible_only=True)


@register.filter
def amount(value):
    """An amount (euros, hours) with two decimals, as the active language writes it and
    in groups of thousands: "21 000,00" in Finnish. One filter for every amount shown."""
    if value is None or value == "":
        return ""
    return floatformat(value, "2g")


@register.filter
def machine_datetime(value):
    """The `datetime` attribute of a <time>: ISO 8601 in local time, to the second. The
    `date:"c"` filter writes microseconds, which HTML does not allow (at most three
    decimals of a second; the Nu Html Checker rejects more)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        return template_localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


@register.simple_tag(takes_context=True)
def filters_active(context):
    """Whether the list is filtered (a filter of the query string has a value): its
    filters, folded behind a button on a phone, then show open."""
    query = context["request"].GET
    return any(value for key, values in query.lists() if key != "page" for value in values)
