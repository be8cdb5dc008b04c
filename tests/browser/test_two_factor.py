"""Two-factor enrolment with an invitation link and a later login with a code, in a real
browser."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import services
from tests.browser.conftest import BROWSER, PASSWORD, log_in

pytestmark = BROWSER


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True
    # django-otp delays the next try after a wrong code; nothing here should wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_enrolment_by_invitation_then_a_login_with_a_code(
    open_browser, sw_pori, require_2fa, settings, live_server, sent_mail
):
    settings.PORTAL_URL = live_server.url
    person = open_browser()
    page = person.page
    log_in(page, sw_pori)
    # The portal holds children's data, so a second factor comes first; the password
    # alone enrols none: the page says how to get an invitation link.
    expect(page).to_have_url(re.compile(re.escape(reverse("two_factor_setup"))))
    expect(page.locator("main")).to_contain_text(
        "Pyydä kutsulinkki ylläpidolta tai koordinaattorilta"
    )
    expect(page.locator("figure.qr")).to_have_count(0)
    page.locator(f'header form[action="{reverse("logout")}"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))

    # An admin's reset e-mails a link; opened signed out, it leads through the login.
    services.reset_second_factor(sw_pori)
    link = re.search(r"http\S+/accounts/2fa/enrol/\S+/", sent_mail()[-1].body).group(0)
    page.goto(link)
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    assert link.rsplit("/", 2)[-2] not in page.url  # the token stayed out of the address
    page.fill("#id_username", sw_pori.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("two_factor_enrol")) + "$"))
    expect(page.locator("figure.qr svg")).to_be_visible()
    key = page.locator("figure.qr code").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{40}", key), key

    page.fill("#id_token", "000000")
    page.locator("main form button[type=submit]").click()
    # The error summary takes the focus and names the code field.
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary a[href='#id_token']")).to_be_visible()

    # What an authenticator app shows for the key (RFC 6238, 30 s, six digits).
    page.fill("#id_token", f"{totp(bytes.fromhex(key)):06d}")
    page.locator("main form button[type=submit]").click()
    codes = page.locator("ul.backup-codes li code")
    expect(codes).to_have_count(10)
    assert len(set(codes.all_inner_texts())) == 10
    assert TOTPDevice.objects.get(user=sw_pori).confirmed
    expect(page).to_have_url(re.compile(re.escape(reverse("two_factor_backup_codes"))))
    page.locator("main a.button").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("home")) + "$"))

    # The link works once.
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Kutsulinkkiä ei voi käyttää")
    assert TOTPDevice.objects.filter(user=sw_pori).count() == 1

    page.locator(f'header form[action="{reverse("logout")}"] button[type=submit]').click()
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))

    # Logging in again asks for a code. The code just used cannot be used twice, so the
    # app's next code is typed (django-otp accepts one step of clock difference). When the
    # enrolment's code crossed a 30 s boundary on its way (a loaded machine), django-otp
    # recorded a drift of one step and would refuse it: the drift is reset and the step
    # after the last one used is typed, whatever the clock did meanwhile.
    log_in(page, sw_pori)
    expect(page).to_have_url(re.compile(re.escape(reverse("two_factor_verify"))))
    device = TOTPDevice.objects.get(user=sw_pori)
    TOTPDevice.objects.filter(pk=device.pk).update(drift=0)
    next_code = hotp(bytes.fromhex(key), max(int(time.time()) // 30, device.last_t + 1))
    page.fill("#id_token", f"{next_code:06d}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("home")) + "$"))
    expect(page.locator("h1")).to_contain_text(sw_pori.first_name)
    # The used link's page answers 404, which the browser notes in its console, once.
    refused = "console: Failed to load resource: the server responded with a status of 404"
    assert [e for e in person.errors if e.startswith(refused)] == [f"{refused} (Not Found)"]
    person.errors = [e for e in person.errors if not e.startswith(refused)]
    person.assert_no_errors()
