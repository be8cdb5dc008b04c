"""The request form's autosave, the session warning and a form restored after the session
ended (issue 16, part 1), in a real browser with its JavaScript and the CSP."""

import re
import time

from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect

from accounts.middleware import SEEN_AT
from guardianship.enums import State
from guardianship.models import GuardianshipRequest
from tests.browser.conftest import BROWSER, t

pytestmark = BROWSER

NEW = reverse("guardianship:request_create")


def eventually(check, seconds=15):
    """Wait for `check()` (a look at the database) to come true while the page works."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("did not happen in time")


def test_the_draft_saves_itself_and_the_page_keeps_editing_it(open_browser, sw_pori, settings):
    settings.DRAFT_AUTOSAVE_SECONDS = 1
    person = open_browser(sw_pori)
    page = person.page
    page.goto(NEW)
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")
    page.fill("#id_children-0-first_name", "Aino")
    expect(status).to_contain_text(re.compile(r"Luonnos tallennettu klo \d{1,2}\.\d{2}"))
    draft = GuardianshipRequest.objects.get()
    assert draft.state == State.DRAFT
    assert list(draft.children.values_list("first_name", flat=True)) == ["Aino"]
    # Later typing goes to the same draft, its child and its version.
    page.fill("#id_children-0-last_name", "Saloranta")
    eventually(lambda: draft.children.filter(last_name="Saloranta").exists())
    page.fill("#id_custodians-0-name", "Maija Mallikas")
    eventually(lambda: draft.custodians.filter(name="Maija Mallikas").exists())
    # The button, too, saves that draft: one request, one child, one custodian.
    page.get_by_role("button", name=t("Save as draft")).click()
    expect(page).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    assert GuardianshipRequest.objects.count() == 1
    assert draft.children.count() == 1 and draft.custodians.count() == 1
    person.assert_no_errors()


def test_the_session_warning_offers_to_stay_signed_in(open_browser, sw_pori, settings):
    # The warning comes 2 s after the page is loaded.
    settings.SESSION_IDLE_SECONDS = 62
    settings.SESSION_WARNING_SECONDS = 60
    person = open_browser(sw_pori)
    page = person.page
    page.goto(reverse("home"))
    dialog = page.get_by_role("dialog", name=t("Your session is about to end"))
    stay = dialog.get_by_role("button", name=t("Stay signed in"))
    expect(dialog).to_be_visible(timeout=10_000)
    expect(stay).to_be_focused()
    # Staying signed in asks the server, which starts the idle time again.
    with page.expect_response(lambda r: r.url.endswith(reverse("keepalive"))) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    assert answer.value.json()["remaining"] == 62
    expect(dialog).to_be_hidden()
    # It comes again before the new end; Escape closes it and the focus goes back.
    expect(dialog).to_be_visible(timeout=10_000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    person.assert_no_errors()


def test_a_form_sent_after_the_session_ended_is_restored_after_the_login(
    open_browser, sw_pori, settings
):
    settings.DRAFT_AUTOSAVE_SECONDS = 3600  # only the button sends the form here
    person = open_browser()
    page = person.page
    page.goto(reverse("login"))
    page.fill("#id_username", sw_pori.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.goto(NEW)
    page.fill("#id_children-0-first_name", "Aino")
    page.fill("#id_conflict_reason", "Huoltajat vastustavat huostaanottoa.")
    # The session ends while the form is being filled (idle for too long).
    cookie = next(c for c in person.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session[SEEN_AT] = time.time() - settings.SESSION_IDLE_SECONDS - 60
    session.save()
    page.get_by_role("button", name=t("Save as draft")).click()
    expect(page.locator("#id_username")).to_be_visible()
    assert not GuardianshipRequest.objects.exists()
    page.fill("#id_username", sw_pori.username)
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(NEW) + "$"))
    expect(page.locator(".messages")).to_contain_text(
        "Lomakkeen tiedot palautettiin — tarkista ja lähetä uudelleen."
    )
    expect(page.locator("#id_children-0-first_name")).to_have_value("Aino")
    expect(page.locator("#id_conflict_reason")).to_have_value(
        "Huoltajat vastustavat huostaanottoa."
    )
    page.get_by_role("button", name=t("Save as draft")).click()
    eventually(lambda: GuardianshipRequest.objects.filter(children__first_name="Aino").exists())
    person.assert_no_errors()
