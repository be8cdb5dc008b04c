"""Browser tests: Playwright for Python driving Debian's chromium against the live server.

`make browser-deps` (a prerequisite of `make test`) installs /usr/bin/chromium with apt and
axe-core with npm into tests/browser/assets/node_modules; Playwright never downloads a
browser. One browser serves all the browser tests; every person gets a browser context of
their own (their own cookies), so a journey can switch people the way real users would.

Every module marks its tests `browser` and, as the live server's thread commits for real,
`django_db(transaction=True, serialized_rollback=True)` (the reference data comes back
after each test): see BROWSER below. Run only these tests with `pytest -m browser`, or
leave them out with `-m "not browser"`.
"""

import asyncio
import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import translation


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`make test` runs on every core) all browser tests go to one
    worker (`--dist loadgroup`): one browser, and one writer of artifacts/ (the screenshots
    folder is emptied at the start and the axe summary written at the end of a session).
    `make test` also passes --no-loadscope-reorder: xdist would otherwise send this
    largest group first, and its transactional tests, which empty the database after
    them, must run after the ordinary ones (pytest-django's order), as in a serial run."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# As root in a sandboxed machine with a closed network (see the machine notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ASSETS = Path(__file__).parent / "assets"
AXE_JS = ASSETS / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
DESKTOP = 1280
MOBILE = 360
PASSWORD = "correct horse battery staple"
# The portal is Finnish first: the browsers ask for Finnish as a Finnish user's would.
LANGUAGE = "fi"
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One chromium for all the browser tests, closed after the last of them.

    Package-scoped, not session-scoped: while Playwright's sync API runs, its event loop is
    marked as running in this thread, and Django refuses ORM calls from the thread (the
    factories, the assertions) as "async unsafe" unless DJANGO_ALLOW_ASYNC_UNSAFE is set.
    It is set here only while the browser runs: the other tests, and the programs they
    start (`manage.py check --deploy` refuses to pass with it), never see it. The browser
    tests share no connection between threads: the live server has its own.
    """
    if not (os.access(CHROMIUM, os.X_OK) and AXE_JS.exists()):
        pytest.fail(
            f"The browser tests need {CHROMIUM} and {AXE_JS.relative_to(settings.BASE_DIR)}: "
            'run `make browser-deps` (or leave the browser tests out with -m "not browser").',
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            _hand_over_connections(serialized)
            yield browser
            browser.close()
            connections.close_all()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def _hand_over_connections(serialized):
    """Between its calls, Playwright's sync API leaves its event loop marked as running in
    this thread. Django's connections (an asgiref Local) are then kept apart from the ones
    made before, so this thread gets new connection objects, without the reference data
    that `serialized_rollback` puts back after every transactional test: hand it over, or
    every transactional test after the first browser test would lose the organisations and
    roles. When the browser closes, the loop stops and the earlier connections come back.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # this Playwright release leaves no loop marked running: nothing to do
    for alias, contents in serialized.items():
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _live_server_settings(settings):
    # The live server speaks plain HTTP; a Secure cookie would not come back outside DEBUG.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


class Person:
    """One person's browser context and page, with the JavaScript errors they met."""

    def __init__(self, context, page, user=None):
        self.context = context
        self.page = page
        self.user = user
        self.errors = []
        page.on("pageerror", self._page_error)
        page.on("console", self._console)

    def _page_error(self, error):
        self.errors.append(f"page error: {error}")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def assert_no_errors(self):
        assert self.errors == [], "JavaScript errors or CSP violations:\n" + "\n".join(self.errors)


@pytest.fixture
def open_browser(browser, live_server):
    """open_browser(user=None, width=1280, ...) -> a Person with a context of their own.

    A given user is logged in by a session made on the server (force_login), for tests
    where logging in is not the point; the journey logs in through the form instead.
    `bypass_csp` only for the accessibility checks, which inject axe-core as a script.
    """
    contexts = []

    def open_(user=None, *, width=DESKTOP, height=900, bypass_csp=False, language=LANGUAGE):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale={"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[language],
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(15_000)
        # Chromium asks for /favicon.ico, which the portal does not have: not a test failure.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        contexts.append(context)
        if language != settings.LANGUAGE_CODE:
            # The browser's own language no longer picks the portal's (issue 16, part 7):
            # the choice made with the language button, kept in its cookie, does.
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "url": live_server.url,
                    }
                ]
            )
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        return Person(context, context.new_page(), user)

    yield open_
    for context in contexts:
        context.close()


def log_in(page, user, password=PASSWORD):
    """Log in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def t(text):
    """A message as the browsers' language shows it (robust to the translations to come)."""
    with translation.override(LANGUAGE):
        return str(translation.gettext(text))


def shown(obj):
    """str(obj) as the browsers' language shows it (e.g. "Pyyntö 1A2B3C4D")."""
    with translation.override(LANGUAGE):
        return str(obj)


def label(choice):
    """The shown label of a TextChoices member in the browsers' language."""
    with translation.override(LANGUAGE):
        return str(choice.label)


# Accessibility: axe-core, run on the page as it is, reports written into artifacts/axe/.

BLOCKING_IMPACTS = ("serious", "critical")


def run_axe(page, name):
    """Run axe-core on the page; write artifacts/axe/NAME.json and .md; return the summary."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
            return {url: r.url, testEngine: r.testEngine, violations: r.violations,
                    incomplete: r.incomplete, passes: r.passes.length};
        }"""
    )
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    violations = results["violations"]
    lines = [
        f"# axe-core {results['testEngine']['version']}: {name}",
        "",
        f"URL: {results['url']}",
        "",
        f"{results['passes']} rules passed, {len(violations)} violated, "
        f"{len(results['incomplete'])} to review by hand.",
        "",
    ]
    for violation in violations:
        lines.append(
            f"- **{violation['impact']}** `{violation['id']}`: {violation['help']} "
            f"({len(violation['nodes'])} elements)"
        )
        lines.extend(f"  - `{node['target']}`" for node in violation["nodes"][:5])
    (folder / f"{name}.md").write_text("\n".join(lines) + "\n")
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    return {
        "name": name,
        "url": results["url"],
        "violations": violations,
        "blocking": blocking,
        "incomplete": len(results["incomplete"]),
        "passes": results["passes"],
    }


def describe_violations(summaries):
    lines = []
    for summary in summaries:
        for violation in summary["blocking"]:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            lines.append(
                f"{summary['name']}: {violation['impact']} {violation['id']} "
                f"({violation['help']}): {targets}"
            )
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_summary():
    """Collects every page's axe summary; writes artifacts/axe/SUMMARY.md at the end."""
    rows = []
    yield rows
    if not rows:
        return
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Accessibility (axe-core) per page and role",
        "",
        "| page | serious/critical | other violations | to review | passed rules |",
        "|---|---|---|---|---|",
    ]
    for row in sorted(rows, key=lambda r: r["name"]):
        other = [f"{v['impact']} {v['id']}" for v in row["violations"] if v not in row["blocking"]]
        blocking = [f"{v['impact']} {v['id']}" for v in row["blocking"]]
        lines.append(
            f"| {row['name']} | {', '.join(blocking) or 0} | {', '.join(other) or 0} | "
            f"{row['incomplete']} | {row['passes']} |"
        )
    (folder / "SUMMARY.md").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
