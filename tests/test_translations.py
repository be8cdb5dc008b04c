"""The translations are complete, and pages show dates, times and numbers the Finnish way."""

import ast
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from fees.factories import FeeClaimFactory
from guardianship.factories import GuardianshipRequestFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass
class Entry:
    msgid: str = ""
    msgstr: list = field(default_factory=list)
    flags: set = field(default_factory=set)
    line: int = 0
    obsolete: bool = False

    @property
    def is_header(self):
        return self.msgid == ""


def read_po(path):
    """The entries of a .po file: enough of gettext's format for these checks."""
    entries, entry, keyword = [], None, None

    def start(number):
        nonlocal entry
        if entry is None or entry.msgstr:
            entry = Entry(line=number)
            entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            start(number).obsolete = True
            continue
        if line.startswith("#,"):
            start(number).flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            start(number)
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            keyword, text = match.group(1), ast.literal_eval(match.group(2))
            current = entry if keyword.startswith("msgstr") else start(number)
            if keyword == "msgid":
                current.msgid = text
            elif keyword.startswith("msgstr"):
                current.msgstr.append(text)
            continue
        if line.startswith('"'):  # a continuation of the last keyword's string
            text = ast.literal_eval(line)
            if keyword == "msgid":
                entry.msgid += text
            elif keyword and keyword.startswith("msgstr"):
                entry.msgstr[-1] += text
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return [e for e in entries if not e.obsolete]


def problems(language, *, empty_allowed):
    files = sorted((LOCALE / language / "LC_MESSAGES").glob("*.po"))
    assert files, f"no .po file for {language} under {LOCALE}"
    found = []
    for path in files:
        for entry in read_po(path):
            if entry.is_header:
                continue
            where = f"{path.relative_to(LOCALE)}:{entry.line} {entry.msgid[:60]!r}"
            if "fuzzy" in entry.flags:
                found.append(f"fuzzy: {where}")
            elif not empty_allowed and not all(entry.msgstr):
                found.append(f"untranslated: {where}")
    return found


def test_the_po_reader_sees_flags_plurals_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: fi\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Hei %(name)s"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Arvaus"\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n\n'
        'msgid "One child"\nmsgid_plural "%(n)s children"\nmsgstr[0] "Yksi lapsi"\n'
        'msgstr[1] ""\n\n#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    assert [e.msgid for e in entries] == ["", "Hello %(name)s", "Guess", "Long text", "One child"]
    assert entries[0].is_header and "fuzzy" in entries[0].flags
    assert entries[2].flags == {"fuzzy"}
    assert entries[3].msgstr == [""]
    assert entries[4].msgstr == ["Yksi lapsi", ""]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    found = problems(language, empty_allowed=False)
    assert found == [], f"{len(found)} problems in {language}:\n" + "\n".join(found[:50])


def test_english_the_source_language_has_no_fuzzy_entry():
    # English msgids are the English texts, so an empty msgstr is right; a fuzzy one is not.
    found = problems("en", empty_allowed=True)
    assert found == [], "\n".join(found)


# Dates, times and numbers: the Finnish formats in every language (pikassos_portal/formats,
# issue 16, part 7; Django's own Swedish and English would write 2026-11-23 and 11/23/2026).


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_finnish_formats_are_in_effect_in_every_language(language):
    assert settings.LANGUAGE_CODE == "fi"
    assert settings.USE_I18N and settings.USE_TZ
    assert settings.FORMAT_MODULE_PATH == ["pikassos_portal.formats"]
    with translation.override(language):
        assert formats.get_format("SHORT_DATE_FORMAT") == "j.n.Y"
        assert formats.get_format("SHORT_DATETIME_FORMAT") == "j.n.Y G.i"
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
        assert formats.get_format("THOUSAND_SEPARATOR") == "\xa0"
        assert formats.date_format(datetime.date(2026, 11, 23), "SHORT_DATE_FORMAT") == (
            "23.11.2026"
        )
        grouped = "1\xa0234\xa0567,50" if settings.USE_THOUSAND_SEPARATOR else "1234567,50"
        assert formats.number_format(Decimal("1234567.5"), 2) == grouped
        # Where a template asks for grouping (floatformat:"2g"), it is a no-break space.
        assert formats.number_format(Decimal("1234567.5"), 2, force_grouping=True) == (
            "1\xa0234\xa0567,50"
        )


@pytest.mark.django_db
def test_a_request_page_shows_finnish_dates_and_times(client, coordinator):
    request = GuardianshipRequestFactory(
        submitted_at=datetime.datetime(2026, 11, 23, 14, 5, tzinfo=HELSINKI),
        deadline=datetime.date(2026, 12, 24),
        hearing_date=datetime.date(2027, 1, 5),
    )
    client.force_login(coordinator)
    response = client.get(request.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fi")
    page = response.content.decode()
    assert '<html lang="fi">' in page
    assert "23.11.2026 14.05" in page  # submitted: j.n.Y G.i, local time
    assert "24.12.2026" in page  # deadline
    assert re.search(r"\b0?5\.0?1\.2027\b", page)  # hearing date, Finnish day.month.year
    assert not re.search(r"\b2026-11-23\b|\b11/23/2026\b|\bNov\. 23, 2026\b", page)


@pytest.mark.django_db
def test_a_claim_page_shows_finnish_numbers(client, coordinator):
    claim = FeeClaimFactory(
        assignment__proposed_by=coordinator, hours=Decimal("12.5"), fee=Decimal("1234.5")
    )
    client.force_login(coordinator)
    page = client.get(reverse("fees:claim_detail", args=[claim.uuid])).content.decode()
    assert "12,50" in page  # hours, decimal comma
    assert "1\xa0234,50" in page  # amounts in groups of thousands (the `amount` filter)
    assert "1234.50" not in page and "12.50" not in page
