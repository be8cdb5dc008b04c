"""Error pages, and a database outage: every page answers without a traceback or details,
503 while the database is away, and the portal recovers by itself when it returns.

The outage tests break the portal's own database connection, so they run outside the
usual test transaction (`transaction=True`); `serialized_rollback` puts the reference data
(groups, organisations) back afterwards.
"""

import contextlib
import io
import sys
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.core.handlers.wsgi import WSGIHandler
from django.db import IntegrityError, InterfaceError, OperationalError, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from common import errors

outage = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNAVAILABLE = "The service is temporarily unavailable"
HEADINGS = {
    400: "Bad request",
    403: "Access denied",
    404: "Page not found",
    500: "Server error",
    503: UNAVAILABLE,
}
SECRET = "secret detail from the exception"


@contextlib.contextmanager
def database_unreachable():
    """Points the portal's connection at a closed port, as if the server had gone away."""
    connection = connections["default"]
    unreachable = {**connection.get_connection_params(), "host": "127.0.0.1", "port": 1}
    connection.close()
    try:
        with mock.patch.object(connection, "get_connection_params", return_value=unreachable):
            yield
    finally:
        connection.close()


@pytest.fixture
def database_down():
    with database_unreachable():
        yield


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    client.raise_request_exception = False
    return client


def assert_no_details(html):
    for leak in (
        "Traceback",
        "Error:",
        "OperationalError",
        "PermissionDenied",
        "RuntimeError",
        "psycopg",
        "127.0.0.1",
        SECRET,
    ):
        assert leak not in html, leak


def open_error_page(status, client, user):
    """The page Django shows for `status`, reached the way a visitor would reach it."""
    client.raise_request_exception = False
    if status == 400:
        return client.get(reverse("home"), headers={"host": "attacker.example"})
    if status == 404:
        return client.get("/no-such-page/")
    client.force_login(user)
    raised = {403: PermissionDenied, 500: RuntimeError, 503: OperationalError}[status]
    with mock.patch("pikassos_portal.views.render", side_effect=raised(SECRET)):
        return client.get(reverse("home"))


def wsgi_get(path, cookies):
    """One request as a WSGI server sends it: through WSGIHandler, which (unlike the test
    client) fires request_started and request_finished, where Django drops a broken or
    failing connection."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "HTTP_COOKIE": "; ".join(f"{m.key}={m.value}" for m in cookies.values()),
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    setup_testing_defaults(environ)
    status = []
    response = WSGIHandler()(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        body = b"".join(response)
    finally:
        response.close()  # what the server does at the end: fires request_finished
    return int(status[0].split()[0]), body.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(HEADINGS))
def test_error_pages_are_generic_accessible_and_in_finnish(client, coordinator, status):
    response = open_error_page(status, client, coordinator)
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="fi">' in html
    with translation.override("fi"):
        heading = translation.gettext(HEADINGS[status])
    assert html.count("<h1") == 1
    assert f"<h1>{heading}</h1>" in html
    assert f"<title>{heading} – " in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert 'href="/static/css/portal.css"' in html
    assert '<a href="/">' in html  # back to the home page
    assert "<script" not in html and "<style" not in html and "style=" not in html
    assert_no_details(html)
    # Standalone: no user, no navigation, no language form (no CSRF token to make).
    assert coordinator.username not in html
    assert "<nav" not in html and "csrfmiddlewaretoken" not in html
    assert ("Retry-After" in response) == (status == 503)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "finnish"), [(404, "Sivua ei löydy"), (500, "Palvelinvirhe")])
def test_error_pages_speak_finnish_by_default(client, coordinator, status, finnish):
    # Settled wording (Django's own catalogue has these two headings too).
    html = open_error_page(status, client, coordinator).content.decode()
    assert f"<h1>{finnish}</h1>" in html


@pytest.mark.parametrize("status", sorted(HEADINGS))
def test_every_error_heading_has_a_finnish_translation(status):
    # Needs the compiled catalogue (make messages), as every Finnish page test does.
    with translation.override("fi"):
        assert translation.gettext(HEADINGS[status]) != HEADINGS[status]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("sv", "Sidan kunde inte hittas"), ("en", "Page not found")]
)
def test_error_pages_follow_the_chosen_language(client, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/no-such-page/").content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("server closed the connection"), True),
        (InterfaceError("connection already closed"), True),
        (connections["default"].Database.OperationalError("refused"), True),
        (IntegrityError("duplicate key"), False),
        (RuntimeError("a bug"), False),
    ],
)
def test_only_a_lost_database_makes_a_503(error, unavailable):
    assert errors.is_database_unavailable(error) is unavailable
    wrapped = RuntimeError("while rendering")
    wrapped.__cause__ = error
    assert errors.is_database_unavailable(wrapped) is unavailable


def test_the_500_handler_answers_503_for_a_database_error(rf):
    for raised, status in ((RuntimeError(SECRET), 500), (OperationalError(SECRET), 503)):
        try:
            raise raised
        except Exception:
            response = errors.server_error(rf.get("/"))
        assert response.status_code == status
        assert_no_details(response.content.decode())


def test_an_error_page_that_cannot_render_falls_back_to_plain_text(rf):
    broken = ValueError("Missing staticfiles manifest entry for 'css/portal.css'")
    with mock.patch("common.errors.render_to_string", side_effect=broken):
        response = errors.page_not_found(rf.get("/"), PermissionDenied(SECRET))
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "404" in response.content.decode()
    assert "manifest" not in response.content.decode()


@outage
def test_error_pages_render_while_the_database_is_unreachable(rf, database_down):
    views = {
        400: errors.bad_request,
        403: errors.permission_denied,
        404: errors.page_not_found,
    }
    for status, view in views.items():
        assert view(rf.get("/"), PermissionDenied(SECRET)).status_code == status
    for raised, status in ((RuntimeError(SECRET), 500), (OperationalError(SECRET), 503)):
        try:
            raise raised
        except Exception:
            response = errors.server_error(rf.get("/"))
        assert response.status_code == status
        assert response.content.decode().count("<h1>") == 1
    # And through the whole stack, as an anonymous visitor.
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
    # The database really was unreachable.
    assert Client().get(reverse("healthz")).status_code == 503


@outage
def test_pages_answer_503_in_finnish_while_the_database_is_down(signed_in, database_down):
    response = signed_in.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert '<html lang="fi">' in html
    with translation.override("fi"):
        assert f"<h1>{translation.gettext(UNAVAILABLE)}</h1>" in html
    assert "Palvelu" in html and "tilapäisesti" in html
    assert_no_details(html)

    # The load balancer's probe carries no session cookie.
    health = Client().get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "down"}
    # A browser's session lookup fails first: still 503, as the page above.
    assert signed_in.get(reverse("healthz")).status_code == 503


@outage
def test_the_portal_answers_again_when_the_database_returns(signed_in):
    with database_unreachable():
        assert signed_in.get(reverse("home")).status_code == 503
        assert signed_in.get(reverse("healthz")).status_code == 503
    assert signed_in.get(reverse("home")).status_code == 200
    health = signed_in.get(reverse("healthz")).json()
    assert (health["status"], health["database"]) == ("ok", "ok")


@outage
def test_a_database_error_in_middleware_ends_on_the_503_page(signed_in):
    # The session is read by SessionLimitMiddleware, before any view runs.
    with mock.patch.object(
        SessionStore, "_get_session_from_db", side_effect=OperationalError("server closed")
    ) as load:
        response = signed_in.get(reverse("municipalities:directory"))
    assert load.called
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert_no_details(response.content.decode())


@outage
@pytest.mark.parametrize("health_checks", [True, False], ids=["health-check", "request-finished"])
def test_a_terminated_connection_is_replaced_without_a_restart(signed_in, health_checks):
    """With CONN_HEALTH_CHECKS the first request already finds the connection dead and
    opens another; without, that request answers 503 and request_finished drops the
    connection, so the next one succeeds."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    assert signed_in.get(reverse("home")).status_code == 200
    portal = connections["default"]
    with portal.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()

    admin = connections.create_connection("default")
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        admin.close()

    statuses = []
    with mock.patch.object(portal, "health_check_enabled", health_checks):
        for _ in range(5):
            status, html = wsgi_get(reverse("home"), signed_in.cookies)
            statuses.append(status)
            if status == 200:
                break
            assert status == 503, statuses
            assert_no_details(html)
    assert statuses == ([200] if health_checks else [503, 200])
    with portal.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
    assert signed_in.get(reverse("home")).status_code == 200
