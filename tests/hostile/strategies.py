"""Hostile form input for `tests/hostile/test_hostile_input.py`, as hypothesis strategies.

A drawn `Case` is symbolic, so it can be written out in an `@example`: which fields of
the form's valid data to replace (by position, or by name in a hand-written example) and
with what, which junk fields to add, where to point the URL, and how to send it. `Ref(n)`
stands for the n-th identifier of an existing object (a key, UUID or slug from any table,
the user's own or somebody else's), `Ref("draft.uuid")` for an attribute of the test's
objects; the test resolves them against the objects it made.
"""

from dataclasses import dataclass

from hypothesis import strategies as st

# Tags an escaping bug would let through; any of them raw in a page is a failure.
XSS_TAGS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
)
XSS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
)
SQL = (
    "' OR 1=1 --",
    "'; DROP TABLE guardianship_child; --",
    "; DROP TABLE accounts_user",
    '" OR ""="',
    "1 OR 1=1",
    "%' UNION SELECT username, password FROM accounts_user --",
    "1; SELECT pg_sleep(5)",
    "\\'; --",
    "%",
    "_",
)
ODD_UNICODE = (
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e",  # RTL and LTR marks
    "👨\u200d👩\u200d👧",  # zero-width joiners
    "\u200b\ufeff",  # zero-width space, byte order mark
    "e\u0301" * 30,  # combining accents
    "ﬁ ｓｃｒｉｐｔ İ ß",  # ligature, full width, case-mapping oddities
    "\u0085\u2028\u2029",  # line and paragraph separators
    "\r\nSet-Cookie: evil=1",
    "١٢٣",  # Arabic-Indic digits
    "²³",  # superscript digits: str.isdigit() but not int()
    "𝟗𝟗",  # mathematical digits
    "Ⅻ",
    "\U0010ffff\ufffe",  # non-characters
    "\x1b[31m\x07\x08",
)
ODD_VALUES = (
    "",
    " ",
    "\t\n",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "%s%s%n%x",
    "{0.__class__}",
    "${7*7}",
    "../../../../etc/passwd",
    "\\\\evil.example\\share",
    "//evil.example/",
    "https://evil.example/",
    "None",
    "null",
    "undefined",
    "true",
    "on",
    "NaN",
    "-Infinity",
    "-0",
    "1e309",
    "1e-999999999",
    "0x1F",
    "9" * 5000,  # over Python's 4300-digit int() limit
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "-99999999999999999999",
    "12.345678901234567890",
)
ODD_DATES = (
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "31.12.2024",
    "12/31/2024",
    "0000-00-00",
    "-2024-01-01",
    "1970-01-01T00:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2025-03-30T03:30",  # does not exist in Helsinki (clocks go forward)
    "2025-10-26T03:30",  # happens twice in Helsinki (clocks go back)
    "2024-01-01T25:61",
    "2024-01-01 00:00:00+99:00",
)
ODD_UUIDS = (
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "00000000-0000-0000-0000-00000000000g",
    "{12345678-1234-5678-1234-567812345678}",
    "urn:uuid:12345678-1234-5678-1234-567812345678",
    "12345678123456781234567812345678",
    "12345678-1234-5678-1234-5678123456789",
)
# Redirect targets for `next` fields: other sites, and names that are not addresses.
ODD_NEXT = (
    "/accounts/login/",
    "//evil.example/",
    "https://evil.example/",
    "http://testserver@evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
    "home",
    "foo",
    "guardianship:request_detail",
    "/%0d%0aSet-Cookie:%20evil=1",
)
NAMED = XSS + SQL + ODD_UNICODE + ODD_VALUES + ODD_DATES + ODD_UUIDS + ODD_NEXT

# Field names a mass-assignment attempt would try, and formset bookkeeping fields.
ODD_KEYS = (
    "id",
    "pk",
    "uuid",
    "state",
    "status",
    "created_by",
    "organisation_id",
    "user",
    "user_id",
    "is_superuser",
    "is_staff",
    "groups",
    "decided_by",
    "recorded_by",
    "author",
    "guardian",
    "assignment",
    "request",
    "submitted_at",
    "idempotency_key",
    "submit",
    "confirm",
    "next",
    "csrfmiddlewaretoken",
    "children-TOTAL_FORMS",
    "children-INITIAL_FORMS",
    "children-0-id",
    "children-0-request",
    "children-0-DELETE",
    "children-12-first_name",
    "expenses-TOTAL_FORMS",
    "expenses-0-receipt",
    "partners-TOTAL_FORMS",
    "partners-0-project",
    "form-TOTAL_FORMS",
    "__proto__",
    "a[b]",
    "",
)


@dataclass(frozen=True)
class Ref:
    """The n-th identifier of an existing object, or a named attribute of the test's
    objects (e.g. "draft.uuid"), resolved by the test."""

    key: int | str


@dataclass(frozen=True)
class Drop:
    """Leave the field out."""


@dataclass(frozen=True)
class Malformed:
    """A URL whose object identifier is this text (percent-encoded): it cannot resolve."""

    text: str


DROP = Drop()


@dataclass(frozen=True)
class Case:
    # (field position in the valid data or field name, value); a position wraps around.
    mutations: tuple = ()
    # Junk fields added to the data: (name, value).
    extra: tuple = ()
    # "own" (the object made for the form), a random UUID, a Ref, or Malformed.
    target: object = "own"
    # Send the request without a CSRF token to a client that enforces the check.
    csrf: bool = False
    # "" is the form's own method (POST, or GET for filters).
    method: str = ""
    # "multipart", "urlencoded", or "latin1" (a body that is not valid UTF-8).
    encoding: str = "multipart"
    # "" or "fields" (over DATA_UPLOAD_MAX_NUMBER_FIELDS) or "body" (over the size limit).
    flood: str = ""
    # Files for the form's file fields: (field position, name, content).
    files: tuple = ()


def _utf8(text):
    # The test client encodes with UTF-8; lone surrogates are not encodable.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


any_text = st.text(st.characters(codec="utf-8"), max_size=60).filter(_utf8)
long_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).map(
    lambda s: (s * (10_000 // len(s) + 1))[:12_000]
)
named = st.sampled_from(NAMED)
mixed = st.lists(st.one_of(named, any_text), min_size=2, max_size=4).map("".join)
text_values = st.one_of(named, any_text, mixed, long_text)

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**15, 2**31, 2**63, -(2**63) - 1, 10**100]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
    st.sampled_from(ODD_DATES),
)
uuids = st.one_of(st.uuids().map(str), st.sampled_from(ODD_UUIDS))
refs = st.integers(min_value=0, max_value=200).map(Ref)
scalars = st.one_of(text_values, numbers, dates, uuids, refs, st.booleans())

# A value for any field: a scalar, a list where a scalar goes, or nothing at all.
values = st.one_of(
    scalars,
    st.lists(st.one_of(scalars, refs), min_size=2, max_size=4),
    st.just(DROP),
    st.just(""),
)

mutation = st.tuples(st.integers(min_value=0, max_value=60), values)
extra_field = st.tuples(st.one_of(st.sampled_from(ODD_KEYS), any_text), values)

file_names = st.one_of(
    st.sampled_from(
        [
            "kuitti.pdf",
            "KUITTI.PDF",
            "receipt.jpeg",
            "x.exe",
            "noextension",
            ".pdf",
            "<script>alert(1)</script>.pdf",
            "../../../etc/passwd.pdf",
            "a" * 300 + ".pdf",
            "Äiti ja isä ‮fdp.exe",
            "kuitti.pdf.exe",
        ]
    ),
    any_text.map(lambda s: s + ".png"),
)
file_contents = st.one_of(
    st.just(b"%PDF-1.4\n%fuzz\n"),
    st.just(b""),
    st.just(b"<script>alert(1)</script>"),
    st.binary(max_size=200),
)
upload = st.tuples(st.integers(min_value=0, max_value=10), file_names, file_contents)

targets = st.one_of(
    st.just("own"),
    st.just("own"),
    st.just("own"),
    st.uuids(),
    refs,
    text_values.filter(bool).map(Malformed),
)


def cases(*, files=False):
    """Mostly valid data with a few hostile changes, sometimes sent in hostile ways."""
    return st.builds(
        Case,
        mutations=st.lists(mutation, max_size=4).map(tuple),
        extra=st.lists(extra_field, max_size=3).map(tuple),
        target=targets,
        csrf=st.sampled_from([False, False, False, False, True]),
        method=st.sampled_from(["", "", "", "", "", "", "GET", "POST", "PUT", "DELETE", "HEAD"]),
        encoding=st.sampled_from(["multipart", "multipart", "urlencoded", "latin1"]),
        flood=st.sampled_from([""] * 30 + ["fields", "body"]),
        files=st.lists(upload, max_size=2).map(tuple) if files else st.just(()),
    )
