"""The Nu Html Checker (vnu.jar, the W3C validator) over every main page as every role.

The HTML is fetched as each role's browser gets it (the pages and roles of test_pages.py),
written into one folder and checked by ONE run of the checker: the JVM takes seconds to
start, so a run per page would cost minutes. `make browser-deps` installs vnu.jar with npm
(tests/browser/assets/package.json) and a Java runtime from Debian when `java` is missing.
"""

import json
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, ASSETS, BROWSER
from tests.browser.test_pages import ROLES, pages_for, portal  # noqa: F401 (a fixture)

pytestmark = BROWSER

# The forms behind the main pages, checked here too (the checker reads HTML, no browser
# layout, so they cost little): where the "Public" checkbox and its help text live.
FORMS = {
    "coordinator": [
        ("guardian-new", "guardianship:guardian_create"),
        ("training-new", "support:training_create"),
    ],
    "planner": [
        ("project-new", "projects:create"),
        ("event-new", "events:create"),
        ("news-new", "news:create"),
    ],
}

VNU_JAR = ASSETS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def run_checker(folder):
    """[(file name, line, message)] of every error the checker finds in the folder."""
    java = shutil.which("java")
    if not (java and VNU_JAR.exists()):
        pytest.fail(
            f"The Nu Html Checker needs java and {VNU_JAR.name}: run `make browser-deps`.",
            pytrace=False,
        )
    finished = subprocess.run(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", folder],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker exits 1 when it found errors; its JSON report is on stderr.
    report = json.loads(finished.stderr or finished.stdout)
    return [
        (
            re.sub(r"^.*/", "", message.get("url", "")),
            message.get("lastLine", message.get("firstLine", 0)),
            message["message"],
        )
        for message in report["messages"]
        if message["type"] in ("error", "non-document-error")
    ]


def test_main_pages_have_no_html_errors(portal, open_browser, tmp_path):  # noqa: F811
    """Every main page that every role sees is valid HTML (0 errors of the Nu Html Checker)."""
    folder = tmp_path / "html"
    folder.mkdir()
    for role in ROLES:
        person = open_browser(portal.users[role])
        forms = [(name, reverse(url_name)) for name, url_name in FORMS.get(role, [])]
        for name, url in [*pages_for(role, portal), *forms]:
            # The page as served, before any script runs: what the checker should see.
            response = person.page.request.get(url)
            assert response.status == 200, f"{name} ({url}) answered {response.status}"
            (folder / f"{name}-{role}.html").write_text(response.text())
    checked = sorted(path.name for path in folder.iterdir())
    errors = run_checker(folder)
    report = ARTIFACTS / "vnu"
    report.mkdir(parents=True, exist_ok=True)
    (report / "SUMMARY.md").write_text(
        "# Nu Html Checker: errors per page and role\n\n"
        + "".join(f"- {page}\n" for page in checked)
        + "\n"
        + ("".join(f"- {f}:{line}: {msg}\n" for f, line, msg in errors) or "0 errors\n")
    )
    assert len(checked) > 40
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(
        f"{f}:{line}: {msg}" for f, line, msg in errors
    )
