"""Every response carries the security headers, and production settings add HSTS and
Secure cookies; `manage.py check --deploy` finds nothing to warn about."""

import json
import os
import secrets
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from accounts import services
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from guardianship.factories import AssignmentFactory, GuardianFactory
from tests.url_walk import all_urls

pytestmark = pytest.mark.django_db

PROJECT_DIR = settings.BASE_DIR
URLS = all_urls()
PASSWORD = "correct horse battery staple"  # accounts.factories.UserFactory
HSTS = "max-age=31536000; includeSubDomains; preload"


def csp_directives(response):
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response, frame_options=True):
    where = response.request["PATH_INFO"]
    directives = csp_directives(response)
    assert "'self'" in directives["script-src"], where
    assert "'unsafe-inline'" not in directives["script-src"], where
    assert "'unsafe-eval'" not in directives["script-src"], where
    assert directives["frame-ancestors"] == ["'none'"], where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    if frame_options:
        assert response.get("X-Frame-Options") == "DENY", where


@pytest.fixture
def as_coordinator(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(("name", "url"), URLS, ids=[name for name, _ in URLS])
def test_every_url_sends_the_security_headers_to_anonymous_users(client, name, url):
    client.raise_request_exception = False
    assert_security_headers(client.get(url))


@pytest.mark.parametrize(("name", "url"), URLS, ids=[name for name, _ in URLS])
def test_every_url_sends_the_security_headers_to_a_coordinator(as_coordinator, name, url):
    as_coordinator.raise_request_exception = False
    response = as_coordinator.get(url)
    assert response.status_code < 500, name
    assert_security_headers(response)


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/municipalities/organisation/"], ids=["index", "changelist"]
)
def test_the_admin_sends_the_security_headers(client, superuser, url):
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(("name", "url"), URLS, ids=[name for name, _ in URLS])
def test_nothing_shown_to_a_signed_in_user_is_cached(as_coordinator, name, url):
    as_coordinator.raise_request_exception = False
    assert no_store(as_coordinator.get(url)), name


@pytest.fixture
def appointed_case(guardian_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assignment = AssignmentFactory(appointed=True, guardian=GuardianFactory(user=guardian_user))
    claim = FeeClaimFactory(assignment=assignment, approved=True)
    receipt = SimpleUploadedFile("kuitti.pdf", b"%PDF-1.4 kuitti")
    return ClaimExpenseFactory(claim=claim, receipt=receipt)


@pytest.mark.parametrize(
    ("who", "address"),
    [
        ("coordinator", lambda e: e.claim.assignment.request.get_absolute_url()),
        ("coordinator", lambda e: reverse("guardianship:request_export")),
        (
            "coordinator",
            lambda e: (
                reverse(
                    "guardianship:child_access_report",
                    kwargs={"uuid": e.claim.assignment.request.children.get().uuid},
                )
                + "?format=csv"
            ),
        ),
        (
            "guardian_user",
            lambda e: reverse(
                "fees:claim_receipt", kwargs={"uuid": e.claim.uuid, "expense": e.uuid}
            ),
        ),
        (
            "payer",
            lambda e: (
                reverse("fees:claim_export", kwargs={"fmt": "csv"})
                + "?payer=satakunnan-hyvinvointialue&start=2026-01-01&end=2026-12-31"
            ),
        ),
    ],
    ids=["request", "request-export", "access-report-csv", "receipt", "claim-export"],
)
def test_childrens_data_exports_and_receipts_are_never_cached(
    client, appointed_case, who, address, request
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(address(appointed_case))
    assert response.status_code == 200
    assert no_store(response)
    assert "private" in response["Cache-Control"]


def test_the_two_factor_pages_are_never_cached(client, sw_pori, settings):
    settings.REQUIRE_2FA = True
    client.force_login(sw_pori)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 200
    assert no_store(response)
    # The enrolment page shows the authenticator's secret key.
    _invitation, token = services.create_invitation(sw_pori)
    client.get(reverse("two_factor_invitation", kwargs={"token": token}))
    response = client.get(reverse("two_factor_enrol"))
    assert response.status_code == 200 and "<svg" in response.content.decode()
    assert no_store(response)


def test_public_pages_for_visitors_may_be_cached(client):
    response = client.get(reverse("news:list"))
    assert response.status_code == 200
    assert not no_store(response)


def test_the_404_page_sends_the_security_headers(client, as_coordinator):
    for visitor in (client, as_coordinator):
        response = visitor.get("/no-such-page/")
        assert response.status_code == 404
        assert_security_headers(response)


@pytest.mark.parametrize(("raised", "status"), [(RuntimeError, 500), (OperationalError, 503)])
def test_the_500_and_503_pages_send_the_security_headers(as_coordinator, raised, status):
    as_coordinator.raise_request_exception = False
    with mock.patch("pikassos_portal.views.render", side_effect=raised("boom")):
        response = as_coordinator.get(reverse("home"))
    assert response.status_code == status
    assert_security_headers(response)


def bad_host_400(client):
    # CommonMiddleware refuses the host before any view runs.
    response = client.get(reverse("home"), headers={"host": "attacker.example"})
    assert response.status_code == 400
    return response


def middleware_503(client):
    client.raise_request_exception = False
    # SessionLimitMiddleware reads the session before any view runs.
    with mock.patch.object(SessionStore, "_get_session_from_db", side_effect=OperationalError):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    return response


@pytest.mark.parametrize("make_error", [bad_host_400, middleware_503])
def test_an_error_raised_in_middleware_sends_the_security_headers(as_coordinator, make_error):
    assert_security_headers(make_error(as_coordinator))


@pytest.mark.parametrize("make_error", [bad_host_400, middleware_503])
def test_an_error_raised_in_middleware_sends_x_frame_options(as_coordinator, make_error):
    assert make_error(as_coordinator).get("X-Frame-Options") == "DENY"


# Production: the values the settings module computes with DEBUG off.

PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
    "ALLOWED_HOSTS": "portal.example.fi",
    "SECURE_SSL_REDIRECT": "True",
    "SECURE_HSTS_SECONDS": "31536000",
    # A shared cache, as production has (accounts.checks warns without one); never
    # connected to by these subprocesses.
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SETTINGS_MODULE": "pikassos_portal.settings",
}
# Let the module's own defaults decide these.
UNSET = {"REQUIRE_2FA", "USE_X_FORWARDED_PROTO"}
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
]


def run_in_production(*args, database_url=None):
    environment = {k: v for k, v in os.environ.items() if k not in UNSET}
    environment.update(PRODUCTION_ENV)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production_values():
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {SECURITY_SETTINGS!r}}}))"
    )
    # Importing the settings opens no connection; any PostgreSQL URL will do.
    result = run_in_production("-c", script, database_url="postgres://u@127.0.0.1/x")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return production_values


def test_production_settings_are_strict(production_values):
    assert production_values["DEBUG"] is False
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert production_values["SECURE_HSTS_SECONDS"] == 31536000
    assert production_values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_values["SECURE_HSTS_PRELOAD"] is True
    assert production_values["SESSION_COOKIE_SECURE"] is True
    assert production_values["CSRF_COOKIE_SECURE"] is True


def test_plain_http_is_redirected_to_https_except_the_health_check(client, production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
    assert client.get(reverse("healthz")).status_code == 200


def test_https_responses_carry_hsts(client, production):
    for url in (reverse("login"), reverse("projects:list"), "/no-such-page/"):
        response = client.get(url, secure=True)
        assert response["Strict-Transport-Security"] == HSTS, url
        assert_security_headers(response)


def assert_cookie(response, name, *, httponly):
    cookie = response.cookies[name]
    assert cookie.value, name
    assert cookie["secure"] is True, name
    assert bool(cookie["httponly"]) is httponly, name
    assert cookie["samesite"] == "Lax", name


def test_session_and_csrf_cookies_are_secure(client, sw_pori, production):
    page = client.get(reverse("login"), secure=True)
    assert page.status_code == 200
    assert_cookie(page, settings.CSRF_COOKIE_NAME, httponly=True)

    response = client.post(
        reverse("login"), {"username": sw_pori.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == HSTS
    assert_cookie(response, settings.SESSION_COOKIE_NAME, httponly=True)
    # The login rotates the CSRF token, so its cookie is set again.
    assert_cookie(response, settings.CSRF_COOKIE_NAME, httponly=True)


def test_check_deploy_finds_nothing_to_warn_about():
    # DATABASE_URL as the tests have it; unset means the embedded server, as in `make check`.
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
