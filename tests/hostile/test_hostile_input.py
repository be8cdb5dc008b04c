"""The tests of the fuzzing (the package's docstring, tests/hostile/__init__.py, says what
they check); the world, the forms' data, the forms and the harness are its other modules."""

import os

import markupsafe
import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, example, given
from hypothesis import settings as fuzz_settings

from guardianship.steps import STEPS
from tests.hostile.forms import (
    FORMS,
    FORMS_BY_ID,
    NOT_FUZZED,
    ROLES,
    SKIPPED_NAMESPACES,
    changed,
)
from tests.hostile.harness import describe, run_case, send
from tests.hostile.strategies import XSS_TAGS, Case, cases
from tests.url_walk import url_names

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = fuzz_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no .hypothesis/ directory in the project
    print_blob=True,
)


def examples(form, role):
    """FUZZ_EXAMPLES for each form, shared by the roles its view lets in; a role the view
    refuses gets a few, as its answer cannot depend on the data."""
    if role in form.roles:
        return max(EXAMPLES // len(form.roles), 10)
    return max(EXAMPLES // 40, 3)


# Bugs the fuzzing found in the application: (form, role) -> (what fails, an example that
# shows it, run first so the expected failure is certain). Remove an entry when the bug
# is fixed: the strict xfail then fails and says so.
# Bugs this test found, now fixed; their cases stay among the forms' examples:
# - an authenticated login POST with next=/accounts/login/ looped (LoginView);
# - 2FA verify redirected with redirect(), which reversed next=foo as a view name;
# - attendance took "²" as a digit; cancelling a draft broke a check constraint;
# - deleting a draft's child hit the access log's PROTECT; another user's form key
#   raised IntegrityError instead of a form error; a training or event dated year 1
#   was stored but could not be read back; a login with a username over 255 characters
#   reached django-axes, which could not store it (accounts.forms.LoginForm).
KNOWN_BUGS = {}


def _cells():
    for form in FORMS:
        for role in ROLES:
            bug = KNOWN_BUGS.get((form.id, role))
            marks = [pytest.mark.xfail(strict=True, reason=bug[0])] if bug else []
            yield pytest.param(form, role, marks=marks, id=f"{form.id}-{role}")


@pytest.mark.parametrize(("form", "role"), list(_cells()))
def test_hostile_input(form, role, world, clients):
    @fuzz_settings(FUZZ, max_examples=examples(form, role))
    @given(case=cases(files=bool(form.files)))
    def fuzz(case):
        run_case(form, role, world, clients, case)

    bug = KNOWN_BUGS.get((form.id, role))
    for case in (bug[1],) if bug else ():
        fuzz = example(case=case)(fuzz)
    for case in form.examples if role in form.roles else ():
        fuzz = example(case=case)(fuzz)
    fuzz()


@pytest.mark.parametrize(
    ("form", "role"), [pytest.param(f, f.primary, id=f.id) for f in FORMS if f.primary]
)
def test_valid_data_succeeds(form, role, world, clients):
    """The fuzzing starts from data that works, so it reaches the code behind the form."""
    response, sent = send(clients, form, world, Case())
    why = describe(form, role, Case(), sent, response, clients.errors)
    if form.id == "two_factor_enrol":  # on to the backup codes, without a message
        assert response.status_code == 302, why
        assert TOTPDevice.objects.filter(user=clients.user, confirmed=True).exists()
        return
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302, f"{why}\n{messages}"
    if not form.success_without_message:
        levels = [m.level for m in get_messages(response.wsgi_request)]
        assert message_levels.SUCCESS in levels, f"{why}\n{messages}"


# Saved hostile text is escaped where it is shown ------------------------------------------

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
# (form, field, escaped form expected on the page: False for Markdown, which removes tags)
SHOWN = [
    ("request_create", "worker_name", True),
    ("request_create", "custodian_notes", True),
    ("request_create", "custodians-0-name", True),
    ("request_create", "conflict_reason", True),
    ("request_create", "matter_details", True),
    ("request_create", "children-0-first_name", True),
    ("request_create", "children-1-placement", True),
    ("request_note", "text", True),
    ("step-cancel", "reason", True),
    ("step-file_application", "court", True),
    ("step-record_appointment", "case_number", True),
    ("guardian_create", "first_name", True),
    ("guardian_create", "address", True),
    ("guardian_create", "notes", True),
    ("support_contact", "notes", True),
    ("training_create", "title", True),
    ("training_create", "place", True),
    ("training_create", "description", True),
    ("claim_create", "description", True),
    ("claim_create", "expenses-0-description", True),
    ("claim_decide", "reason", True),
    ("project_create", "name", True),
    ("project_create", "description", False),
    ("event_create", "title", True),
    ("event_create", "place", True),
    ("event_create", "description", False),
    ("news_create", "title", True),
    ("news_create", "body", False),
    ("question_answer", "answer", True),
    ("question_publish", "question", True),
]


@pytest.mark.parametrize(
    ("form", "role", "name", "payload", "escaped"),
    [
        pytest.param(
            FORMS_BY_ID[form_id],
            FORMS_BY_ID[form_id].primary,
            name,
            payload,
            escaped,
            id=f"{form_id}-{name}-{i}",
        )
        for form_id, name, escaped in SHOWN
        for i, payload in enumerate(PAYLOADS)
    ],
)
def test_saved_hostile_text_is_escaped(form, role, name, payload, escaped, world, clients):
    assert name in form.data(world, clients.user)
    case = changed({name: f"Ennen {payload} jälkeen"})
    response, sent = send(clients, form, world, case)
    assert response.status_code == 302, describe(form, role, case, sent, response, [])
    page = clients.plain.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    for tag in XSS_TAGS:
        assert tag not in html
    if escaped:
        # Escaped by Django's engine or, in a form's field, by Jinja2's MarkupSafe, which
        # writes a quote as &#34; or &#39; where Django writes &quot; or &#x27;.
        assert escape(payload) in html or str(markupsafe.escape(payload)) in html, (
            f"{name} is not shown on {response['Location']}"
        )


# Every form is fuzzed ----------------------------------------------------------------


def test_every_url_is_fuzzed_or_has_no_form():
    names = {n for n in url_names() if not n.startswith(SKIPPED_NAMESPACES)}
    fuzzed = {form.url for form in FORMS}
    assert names - fuzzed - set(NOT_FUZZED) == set(), "add the new URL to FORMS or NOT_FUZZED"
    assert set(NOT_FUZZED) & fuzzed == set()
    assert set(NOT_FUZZED) <= names, "NOT_FUZZED names a URL that no longer exists"


def test_every_workflow_step_is_fuzzed():
    steps = {f.id.removeprefix("step-") for f in FORMS if f.url == "guardianship:request_step"}
    assert steps == {name for name, step in STEPS.items() if not step.on_assignment}
