"""Sending a case and checking the answer: the request built from a form's valid data
and a hypothesis `Case`, the statuses it may get, the fingerprint of the database that a
refused request must leave alone, and the scope a successful one must stay within."""

from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from accounts.roles import Role
from fees.models import ClaimExpense, FeeClaim
from guardianship import enums
from guardianship.models import (
    AccessLog,
    Assignment,
    Child,
    GuardianshipRequest,
    RequestDocument,
    RequestEvent,
)
from projects import models as project_models
from support.models import SupportContact, TrainingSignup
from tests.hostile.strategies import DROP, XSS_TAGS, Malformed, Ref

# 429: the development desk's question form refuses a client over its hourly limit.
ALLOWED_STATUSES = {200, 302, 303, 400, 403, 404, 405, 429}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
MAX_FORMS = 25  # the most forms of one formset an example sends (see send())


@dataclass
class Shared:
    users: dict
    world: Any
    clients: dict  # role -> (plain client, client that enforces CSRF)
    sessions: dict  # role -> the cookies of the signed-in client
    scopes: dict  # role -> Scope
    baseline: dict  # the fingerprint every test and example starts from


@dataclass
class Clients:
    plain: Client
    strict: Client  # enforces CSRF and has no token
    user: Any
    scope: Any  # what the user may see when an example starts
    baseline: dict  # the fingerprint every example starts from
    errors: list = field(default_factory=list)  # tracebacks of server errors


# Sending a case ------------------------------------------------------------------------


@dataclass
class Sent:
    path: str
    method: str
    data: dict
    resolves: bool
    own_view: bool
    target_missing: bool
    url_length: int = 0


def build_path(form, world, target):
    kwargs = form.url_kwargs(world)
    path = reverse(form.url, kwargs=kwargs)
    if target == "own":
        return path, False
    if isinstance(target, Malformed):
        text = target.text
    elif isinstance(target, Ref):
        text = world.resolve(target)
    else:
        text = str(target)
    segment = quote(text, safe="")
    keys = [k for k in ("uuid", "assignment", "slug", "uidb64", "fmt", "token") if k in kwargs]
    if not keys:
        return f"{path}{segment}/", True
    own = str(kwargs[keys[0]])
    assert own in path
    # A Ref can name the form's own object; a random UUID or malformed text cannot.
    return path.replace(own, segment, 1), text != own and not isinstance(target, Ref)


def _capped(count):
    try:
        return str(min(int(count), MAX_FORMS))
    except ValueError:
        return count


def send(clients, form, world, case):
    user = clients.user
    client = clients.strict if case.csrf else clients.plain
    path, target_missing = build_path(form, world, case.target)
    method = (case.method or form.method).upper()
    data = dict(form.data(world, user))
    keys = list(data) or ["field"]
    for slot, value in case.mutations:
        key = slot if isinstance(slot, str) else keys[slot % len(keys)]
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = world.resolve(value)
    for key, value in case.extra:
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = world.resolve(value)
    data = {k: [str(v) for v in vs] if isinstance(vs, list) else str(vs) for k, vs in data.items()}
    for key in [k for k in data if k.endswith("-TOTAL_FORMS")]:
        # A huge form count makes Django build and render up to 1 000 extra forms (18 s
        # and 4 000 queries for the request form on this machine): a cost worth knowing
        # but not worth paying in every example. Counts over the formsets' limits stay.
        value = data[key]
        data[key] = [_capped(v) for v in value] if isinstance(value, list) else _capped(value)
    if case.flood == "fields":
        data.update({f"junk{i}": "x" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)})
    elif case.flood == "body" and method not in SAFE_METHODS:
        data["junk"] = "x" * django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    try:
        match = resolve(unquote(urlsplit(path).path))
        resolves, own_view = True, match.view_name == form.url
    except Resolver404:
        resolves, own_view = False, False
    url_length = len(path)
    if method in SAFE_METHODS:
        url_length += len(urlencode(data, doseq=True))
    sent = Sent(path, method, data, resolves, own_view, target_missing, url_length)

    if method in SAFE_METHODS:
        if case.encoding == "latin1":
            query = urlencode(data, doseq=True, encoding="latin-1", errors="xmlcharrefreplace")
            response = client.generic(method, f"{path}?{query}")
        else:
            response = getattr(client, method.lower())(path, data)
    elif case.encoding == "multipart" and method == "POST":
        files = {}
        if form.files:
            for slot, name, content in case.files:
                files[form.files[slot % len(form.files)]] = SimpleUploadedFile(name, content)
        response = client.post(path, {**data, **files})
    else:
        charset = "latin-1" if case.encoding == "latin1" else "utf-8"
        body = urlencode(data, doseq=True, encoding=charset, errors="xmlcharrefreplace")
        if case.encoding == "latin1":
            body = b"\xff\xfe%ff=%fe&" + body.encode("ascii")
        response = client.generic(
            method, path, body, content_type="application/x-www-form-urlencoded"
        )
    return response, sent


# Checks ------------------------------------------------------------------------------

FINGERPRINT_APPS = (
    "accounts",
    "municipalities",
    "projects",
    "guardianship",
    "fees",
    "support",
    "development",
)
# Rows of these are compared one by one, to check who may have changed them.
SCOPED = (
    GuardianshipRequest,
    Child,
    Assignment,
    RequestEvent,
    RequestDocument,
    FeeClaim,
    ClaimExpense,
    SupportContact,
    TrainingSignup,
    project_models.Event,
    project_models.NewsItem,
)
NEVER_DELETED = (GuardianshipRequest, Assignment, RequestEvent, FeeClaim, SupportContact)
# The access log records refused looks at children's data by design.
NOT_FINGERPRINTED = (AccessLog,)


def _fingerprinted():
    for label in FINGERPRINT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if not (meta.proxy or not meta.managed or model in NOT_FINGERPRINTED):
                yield model


def _fingerprint_sql():
    q = connection.ops.quote_name
    parts = []
    for model in _fingerprinted():
        meta = model._meta
        if model in SCOPED:
            parts.append(
                f"SELECT '{meta.label}', t.{q(meta.pk.column)}::text, md5(t::text) "
                f"FROM {q(meta.db_table)} t"
            )
        else:
            parts.append(
                f"SELECT '{meta.label}', NULL, count(*) || ':' || "
                f"md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                f"FROM {q(meta.db_table)} t"
            )
    return " UNION ALL ".join(parts)


_SQL = {}


def fingerprint():
    """{(model label, primary key or None): hash} of every row or table of the portal."""
    if "fingerprint" not in _SQL:
        _SQL["fingerprint"] = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(_SQL["fingerprint"])
        return {(label, key): digest for label, key, digest in cursor.fetchall()}


def writes():
    """Rows this transaction has inserted, updated or deleted in the fingerprinted tables,
    rolled-back savepoints included: if it has not grown, nothing can have changed."""
    if "tables" not in _SQL:
        _SQL["tables"] = [model._meta.db_table for model in _fingerprinted()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
            [_SQL["tables"]],
        )
        return cursor.fetchone()[0]


@dataclass
class Diff:
    new: set = field(default_factory=set)
    changed: set = field(default_factory=set)
    deleted: set = field(default_factory=set)


def changes(before, after):
    """{model label: Diff} of the rows and tables that differ."""
    out = {}
    for key in before.keys() | after.keys():
        if before.get(key) != after.get(key):
            label, pk = key
            diff = out.setdefault(label, Diff())
            if key not in before:
                diff.new.add(pk)
            elif key not in after:
                diff.deleted.add(pk)
            else:
                diff.changed.add(pk)
    return out


SCOPED_LABELS = {model._meta.label for model in SCOPED}


@dataclass
class Scope:
    """What a user may see before an example: the yardstick for what it may change."""

    requests: set
    claims: set
    organisations: set
    coordinator: bool

    @classmethod
    def of(cls, user):
        if user is None:
            return None
        return cls(
            set(GuardianshipRequest.objects.for_user(user).values_list("pk", flat=True)),
            set(FeeClaim.objects.for_user(user).values_list("pk", flat=True)),
            set(user.organisations.values_list("pk", flat=True)),
            user.is_superuser or user.has_role(Role.COORDINATOR),
        )


def check_scope(user, scope, diff):
    """Whatever a successful request changed, the user may change."""
    if user is None:
        touched = sorted(SCOPED_LABELS & set(diff))
        assert not touched, f"an anonymous request changed {touched}"
        return
    for model in NEVER_DELETED:
        assert not diff.get(model._meta.label, Diff()).deleted, f"{model.__name__} deleted"

    def keys(model, new_only=False):
        d = diff.get(model._meta.label, Diff())
        return {int(pk) for pk in (d.new if new_only else d.new | d.changed)}

    def column(model, pks, name):
        return set(model.objects.filter(pk__in=pks).values_list(name, flat=True))

    new_requests = keys(GuardianshipRequest, new_only=True)
    outside = keys(GuardianshipRequest) - new_requests - scope.requests
    assert not outside, f"changed requests {outside} outside the user's scope"
    for r in GuardianshipRequest.objects.filter(pk__in=new_requests):
        assert r.created_by_id == user.pk, "a request made in somebody else's name"
        assert r.organisation_id in scope.organisations, (
            f"{user} made a request for {r.organisation}"
        )
        assert r.state in (enums.State.DRAFT, enums.State.RECEIVED), r.state
        assert r.sibling_request_id in scope.requests | {None}, "a foreign sibling request"
    requests = scope.requests | new_requests
    for model in (Child, Assignment, RequestEvent):
        outside = column(model, keys(model), "request_id") - requests
        assert not outside, f"{model.__name__} changed on requests {outside} outside the scope"
    actors = column(RequestEvent, keys(RequestEvent, new_only=True), "actor_id")
    assert actors <= {user.pk}, "a timeline entry in somebody else's name"
    new_documents = keys(RequestDocument, new_only=True)
    outside = column(RequestDocument, new_documents, "request_id") - requests
    assert not outside, f"documents added to requests {outside} outside the scope"
    uploaders = column(RequestDocument, new_documents, "uploaded_by_id")
    assert uploaders <= {user.pk}, "a document uploaded in somebody else's name"

    new_claims = keys(FeeClaim, new_only=True)
    outside = keys(FeeClaim) - new_claims - scope.claims
    assert not outside, f"changed claims {outside} outside the user's scope"
    owners = column(FeeClaim, new_claims, "assignment__guardian__user_id")
    assert owners <= {user.pk}, "a claim for another guardian"
    outside = column(ClaimExpense, keys(ClaimExpense), "claim_id") - scope.claims - new_claims
    assert not outside, f"expenses on claims {outside} outside the scope"
    for contact in SupportContact.objects.filter(pk__in=keys(SupportContact, new_only=True)):
        assert contact.recorded_by_id == user.pk
        assert (
            contact.request is None
            or contact.request.assignments.filter(guardian_id=contact.guardian_id).exists()
        ), "a support contact about a request of another guardian"
    if not scope.coordinator:
        signups = keys(TrainingSignup, new_only=True)
        owners = column(TrainingSignup, signups, "guardian__user_id")
        assert owners <= {user.pk}, "signed up another guardian"
    creators = column(project_models.Event, keys(project_models.Event, True), "created_by_id")
    assert creators <= {user.pk}
    authors = column(project_models.NewsItem, keys(project_models.NewsItem, True), "author_id")
    assert authors <= {user.pk}


def describe(form, role, case, sent, response, errors):
    lines = [
        f"{form.id} as {role}: {sent.method} {sent.path[:300]} -> {response.status_code}",
        f"case: {case!r}"[:2000],
    ]
    if errors:
        lines.append(errors[-1][-4000:])
    return "\n".join(lines)


def expected_statuses(form, role, case, sent):
    """The statuses this case may get when the data cannot matter; else None."""
    if not sent.resolves:
        return {404}
    if not sent.own_view:
        return None
    if case.csrf and sent.method not in SAFE_METHODS and not form.csrf_exempt:
        return {403}
    if role == "anonymous" and not form.public:
        # To the login page with ?next=<this address>; Django answers 400 instead
        # when that redirect would be longer than 16 384 characters.
        return {302, 400} if sent.url_length > 1800 else {302}
    if sent.method != form.method:
        return None
    if role not in form.roles:
        return {403}
    if sent.target_missing:
        # A view that shows a form for a missing object reads the flood and answers 400.
        return {form.missing, 400} if case.flood else {form.missing}
    return None


def run_case(form, role, world, clients, case):
    clients.errors.clear()
    client = clients.strict if case.csrf else clients.plain
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    try:
        with transaction.atomic():
            written = writes()
            response, sent = send(clients, form, world, case)
            status = response.status_code
            why = describe(form, role, case, sent, response, clients.errors)
            assert status < 500 and not clients.errors, why
            assert status in ALLOWED_STATUSES, why
            expected = expected_statuses(form, role, case, sent)
            if expected is not None:
                assert status in expected, f"expected {expected}\n{why}"
                if status == 302 and role == "anonymous" and not form.public:
                    assert response["Location"].startswith(reverse("login")), why
            location = response.get("Location", "")
            if status in (301, 302, 303):
                # (url_has_allowed_host_and_scheme refuses any URL over 2048 characters.)
                target = urlsplit(location.replace("\\", "/"))
                assert target.netloc in ("", "testserver") and target.scheme in ("", "http"), (
                    f"a redirect off the site: {location[:300]}\n{why}"
                )
            for tag in XSS_TAGS:
                assert tag.encode() not in response.content, f"raw {tag} in the page\n{why}"

            messages = list(get_messages(response.wsgi_request))
            succeeded = (
                status in (302, 303)
                and sent.method not in SAFE_METHODS
                and (
                    form.success_without_message
                    or any(m.level == message_levels.SUCCESS for m in messages)
                )
            )
            saved_in_part = (
                form.saves_in_part
                and status == 200
                and sent.method not in SAFE_METHODS
                and any(m.level == message_levels.WARNING for m in messages)
            )
            diff = changes(clients.baseline, fingerprint()) if writes() != written else {}
            if saved_in_part:
                check_scope(clients.user, clients.scope, diff)
            elif succeeded:
                check_scope(clients.user, clients.scope, diff)
                shown = client.get(location)
                assert shown.status_code < 500 and not clients.errors, (
                    f"the page after the success fails: {location}\n{why}\n"
                    + "".join(clients.errors[-1:])[-4000:]
                )
                for tag in XSS_TAGS:
                    assert tag.encode() not in shown.content, f"raw {tag} at {location}\n{why}"
            else:
                assert not diff, f"a refused request changed {sorted(diff)}\n{why}"
            transaction.set_rollback(True)
    finally:
        client.cookies = SimpleCookie(cookies)
