import re

from django import template

register = template.Library()


@register.filter
def tel_uri(number):
    """The `tel:` URI of a phone number as written in Finland: "02 627 7111" gives
    "tel:+35826277111"; a service number such as 116 117 stays national."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+358" + digits[1:]
    return f"tel:{digits}"
