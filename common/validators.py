from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def validate_portal_year(value):
    """Dates and times of the portal's work fall in this century. Year 1 in Helsinki is
    before year 1 in UTC, which PostgreSQL cannot even return: refuse it at the form."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
