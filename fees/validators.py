"""The payee's account and business ID, checked with python-stdnum (its IBAN check digits
and country formats; the Finnish business ID's check digit, `stdnum.fi.ytunnus`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban
from stdnum.exceptions import ValidationError as InvalidNumber
from stdnum.fi import ytunnus


def clean_iban(value):
    """The IBAN in its compact form (`FI2112345600000785`), or ValidationError."""
    try:
        return iban.validate(value)
    except InvalidNumber:
        raise ValidationError(
            _("Check the account number: give an IBAN such as FI21 1234 5600 0007 85."),
            code="invalid_iban",
        ) from None


def clean_business_id(value):
    """The business ID (Y-tunnus) as it is written (`2077474-0`), or ValidationError."""
    try:
        return ytunnus.format(ytunnus.validate(value))
    except InvalidNumber:
        raise ValidationError(
            _("Check the business ID: give a Y-tunnus such as 2077474-0."),
            code="invalid_business_id",
        ) from None


def validate_iban(value):
    clean_iban(value)


def validate_business_id(value):
    if value:
        clean_business_id(value)


def format_iban(value):
    """An IBAN in groups of four, as it is printed: `FI21 1234 5600 0007 85`."""
    return iban.format(value) if value else ""


def mask_iban(value):
    """An IBAN for lists: the country and the last four characters only
    (`FI•• •••• •••• •••• 0785` becomes `FI… 0785`)."""
    if not value:
        return ""
    compact = iban.compact(value)
    return f"{compact[:2]}… {compact[-4:]}"
