from django import template
from django.template.defaultfilters import floatformat

from common.forms import error_summary_items

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


@register.filter
def amount(value):
    """An amount (euros, hours) with two decimals, as the active language writes it and
    in groups of thousands: "21 000,00" in Finnish. One filter for every amount shown."""
    if value is None or value == "":
        return ""
    return floatformat(value, "2g")
