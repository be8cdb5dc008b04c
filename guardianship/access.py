"""The access log and the scoped lookups that feed it.

Every view that shows a child's personal data goes through `get_request_for_user`
(or logs a list with `log_list`), so no view can forget the scope or the log entry.
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import Http404

from guardianship.enums import AccessAction, AccessOutcome
from guardianship.models import AccessLog, Child, GuardianshipRequest
from guardianship.policies import access_basis, bases_for

# Who wrote a row that no signed-in user caused (a scheduled digest).
SYSTEM_USERNAME = "system"


def _role(user):
    if user.is_superuser:
        return "admin"
    return ",".join(sorted(user.roles))


def _insert(user, action, outcome, path, rows):
    """Write `rows` of (request id, [child ids], basis, recipient) for one user and action,
    in a single INSERT: one row per page view and basis, naming the children shown."""
    if user is None:
        who = [None, SYSTEM_USERNAME, ""]
    elif user.is_authenticated:
        who = [user.pk, user.get_username(), _role(user)]
    else:
        who = [None, "", ""]
    table = AccessLog._meta.db_table
    # Each row's children as an array literal ('{1,2}'): PostgreSQL has no array of
    # arrays of different lengths to unnest, and the rows' lists differ.
    children = ["{" + ",".join(str(int(c)) for c in ids) + "}" for _r, ids, _b, _t in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # the table name is the model's own, not input
            "(at, user_id, username, role, action, outcome, path, recipient, basis, "
            "request_id, children) "
            "SELECT clock_timestamp(), %s, %s, %s, %s, %s, %s, t, b, r, c::bigint[] "
            "FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::text[]) AS x(t, b, r, c)",
            [
                *who,
                action,
                outcome or AccessOutcome.ALLOWED,
                path[:300],
                [recipient[:254] for _r, _c, _b, recipient in rows],
                [basis for _r, _c, basis, _t in rows],
                [r for r, _c, _b, _t in rows],
                children,
            ],
        )


def log_access(
    http_request,
    action,
    *,
    guardianship_request=None,
    children=(),
    outcome=None,
    basis="",
    recipient="",
):
    """Write one row per basis naming the children shown (one row without children when
    there are none), in a single INSERT: a list page of 50 children writes one row.

    `basis` (an `AccessBasis`) is why the user was let in: one value for every child, or
    a {request id: basis} mapping for a list of several requests. A refusal has none.
    `recipient` is to whom the data went, for an export made for someone else. A row is
    about one request (`request`) when its children all belong to it.
    """
    groups = {}  # basis -> ([child ids], {request ids}), in the order shown
    for child in children:
        if outcome == AccessOutcome.REFUSED:
            b = ""  # nothing let the user in
        elif isinstance(basis, dict):
            b = basis.get(child.request_id, "")
        else:
            b = basis
        ids, requests = groups.setdefault(b, ([], set()))
        ids.append(child.pk)
        requests.add(child.request_id)
    if not groups:
        one = guardianship_request.pk if guardianship_request else None
        if outcome == AccessOutcome.REFUSED:
            b = ""
        elif isinstance(basis, dict):
            b = basis.get(one, "")
        else:
            b = basis
        rows = [(one, [], b, recipient)]
    else:
        rows = [
            (next(iter(requests)) if len(requests) == 1 else None, ids, b, recipient)
            for b, (ids, requests) in groups.items()
        ]
    _insert(http_request.user, action, outcome, http_request.path, rows)


def log_disclosure(requests, recipients, *, basis, by=None, path=""):
    """Data handed on outside the portal, such as an e-mail naming requests: one DISCLOSE
    row per request and recipient (an e-mail address), with the recipient's part as the
    basis, in a single INSERT. `by` is the user whose action caused it; None for a
    scheduled job, written as the user "system". Call it where the data leaves, e.g. in
    the transaction that queues the e-mail in the outbox."""
    rows = [
        (getattr(r, "pk", r), [], basis, recipient) for r in requests for recipient in recipients
    ]
    if rows:
        _insert(by, AccessAction.DISCLOSE, AccessOutcome.ALLOWED, path, rows)


def children_in_order(request_ids):
    """The children of the requests as (pk, request_id) pairs, each request's (once per
    time it is named) in the order of `request_ids` and by id within it, as the log
    names them: read as tuples, not models, for the exports' tens of thousands of rows
    (issue 18)."""
    by_request = {pk: [] for pk in request_ids}
    for child in (
        # One array parameter, not one per request: psycopg spent a tenth of a second
        # splitting a query of 10 000 placeholders.
        Child.objects.filter(
            RawSQL("request_id = ANY(%s)", (list(by_request),), output_field=BooleanField())
        )
        .order_by("id")
        .values_list("pk", "request_id", named=True)
    ):
        by_request[child.request_id].append(child)
    return [child for pk in request_ids for child in by_request[pk]]


def log_list(http_request, requests, action=AccessAction.LIST, basis=None):
    """One row per basis naming the children of a list page or an export (a single
    INSERT), each with the basis that let the user see its requests."""
    requests = list(requests)
    children = [child for r in requests for child in r.children.all()]
    if children:
        log_access(
            http_request,
            action,
            children=children,
            basis=bases_for(http_request.user, requests) if basis is None else basis,
        )


class AccessRefused(Http404):
    """A refused look at a request. The view's transaction rolls back on this exception,
    so `AccessLogMiddleware` writes the refusal after the rollback."""

    def __init__(self, guardianship_request, action):
        super().__init__()
        self.guardianship_request = guardianship_request
        self.action = action


def get_request_for_user(http_request, uuid, *, action=AccessAction.VIEW, queryset=None, log=True):
    """The request if the user may see it, logged; otherwise a refused entry and 404."""
    queryset = queryset if queryset is not None else GuardianshipRequest.objects.all()
    try:
        found = queryset.for_user(http_request.user).get(uuid=uuid)
    except GuardianshipRequest.DoesNotExist:
        existing = GuardianshipRequest.objects.filter(uuid=uuid).first()
        if existing is not None:
            raise AccessRefused(existing, action) from None
        raise Http404 from None
    if log:
        log_access(
            http_request,
            action,
            guardianship_request=found,
            children=found.children.all(),
            basis=access_basis(http_request.user, found),
        )
    return found
