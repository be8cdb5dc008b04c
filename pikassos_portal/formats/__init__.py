"""Finnish dates and numbers in every language of the portal (FORMAT_MODULE_PATH; issue
16, part 7). A reader in Finland writes 30.11.2026 and 17.48 whatever the language of the
page: Finnish without leading zeros (Kielikello, Kotus: "Miten päivämäärä merkitään?",
https://kielikello.fi/miten-paivamaara-merkitaan/), and Finland-Swedish texts the same
way (e.g. the Institute for the Languages of Finland's own pages, "14.12.2017",
https://www.sprakinstitutet.fi/sv/publikationer/sprakspalter/finland_100_ar). Django's own
Swedish gives 2026-11-30 and its English 11/30/2026 and "5:48 a.m.", which nobody here
writes. Only the month names follow the page's language.

Each language's module takes what is shared from NUMERIC and adds its own long forms;
whatever a module leaves out comes from Django's formats of that language.
"""

NUMERIC = {
    "SHORT_DATE_FORMAT": "j.n.Y",
    "SHORT_DATETIME_FORMAT": "j.n.Y G.i",
    "TIME_FORMAT": "G.i",
    "FIRST_DAY_OF_WEEK": 1,  # Monday
    # Typed dates are read the Finnish way first (Django adds the ISO forms that
    # <input type="date"> sends).
    "DATE_INPUT_FORMATS": ["%d.%m.%Y", "%d.%m.%y"],
    "DATETIME_INPUT_FORMATS": ["%d.%m.%Y %H.%M", "%d.%m.%Y %H.%M.%S", "%d.%m.%Y"],
    "TIME_INPUT_FORMATS": ["%H.%M", "%H.%M.%S", "%H:%M"],
    "DECIMAL_SEPARATOR": ",",
    "THOUSAND_SEPARATOR": "\xa0",  # a no-break space: 12 345,50
    "NUMBER_GROUPING": 3,
}
