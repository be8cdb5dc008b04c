"""A child's mother tongue as a language code, with its name in the user's language.

The codes are ISO 639-1 (two letters: "fi", "sv", "so", "ar", "uk" ...), plus the few
ISO 639-3 codes of Finland's own languages that ISO 639-1 lacks: the Inari and Skolt Sami
languages, Karelian and Romani, and the two sign languages (Constitution 731/1999 17 §,
Sign Language Act 359/2015 1 §). North Sami is ISO 639-1 "se".

The names come from the Unicode CLDR through Babel, not from a list of our own. Why not
the other candidates (checked with pycountry 26.2.16, Babel 2.19 and Django 5.2):
- pycountry's iso-codes catalogue leaves common languages untranslated in Finnish
  ("Northern Sami", "Modern Greek (1453-)", "Nepali (macrolanguage)"), and capitalises
  the Swedish names;
- Django's `django.conf.locale.LANG_INFO` knows only the languages Django is translated
  into: no Somali, no Tigrinya, two mother tongues common among children newly arrived in
  Finland.
CLDR names every ISO 639-1 language in Finnish and Swedish (the two-letter codes of its
list are exactly ISO 639-1's 184) the way the languages write them (lower-case "suomi",
"pohjoissaame", "svenska"), and is what browsers and operating systems show. The two
sign languages are not in CLDR, so their names are translated here.
"""

import functools

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Finland's own languages without an ISO 639-1 code, by their ISO 639-3 code; None: the
# name comes from CLDR.
FINLAND_EXTRA = {
    "smn": None,  # Inari Sami
    "sms": None,  # Skolt Sami
    "krl": None,  # Karelian
    "rom": None,  # Romani
    "fse": _("Finnish Sign Language"),
    "fss": _("Finland-Swedish Sign Language"),
}

ISO_639_1 = frozenset(code for code in Locale("en").languages if len(code) == 2)
CODES = ISO_639_1 | frozenset(FINLAND_EXTRA)


@functools.cache
def _cldr_names(language):
    return Locale.parse(language or "fi").languages


def _active():
    # "fi", "sv", "en" (a regional variant such as "en-gb" falls back to its language).
    return (get_language() or "fi").split("-")[0]


def name(code, language=None):
    """The name of the language `code` in `language` (default: the active one); the code
    itself when it is not one of CODES (never raises: old rows show what they hold)."""
    if not code:
        return ""
    language = language or _active()
    own = FINLAND_EXTRA.get(code)
    if own is not None:
        with translation.override(language):
            return str(own)
    return _cldr_names(language).get(code, code)


@functools.cache
def _choices(language):
    rows = [(code, name(code, language)) for code in CODES]
    return tuple(sorted(rows, key=lambda row: row[1].casefold()))


def choices():
    """[(code, name)] of every language, sorted by its name in the active language."""
    return list(_choices(_active()))


def validate_language_code(value):
    """A code of CODES (ISO 639-1, or one of Finland's own languages in ISO 639-3)."""
    if value and value not in CODES:
        raise ValidationError(
            _("Choose the language from the list (an ISO 639 code such as “fi” or “so”)."),
            code="unknown_language",
        )
