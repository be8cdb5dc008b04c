import datetime
import logging

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def login(client, user, password=PASSWORD, address="10.0.0.1", **extra):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class TestTwoFactor:
    def test_a_password_alone_enrols_nothing(self, client, sw_pori, require_2fa):
        login(client, sw_pori)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))
        page = client.get(response["Location"])
        assert page.status_code == 200
        html = page.content.decode()
        assert "<svg" not in html
        assert "Pyydä kutsulinkki ylläpidolta tai koordinaattorilta" in html
        # Neither the enrolment page nor the old setup form takes a code without a link.
        assert client.get(reverse("two_factor_enrol"))["Location"] == reverse("two_factor_setup")
        assert client.post(reverse("two_factor_enrol"), {"token": "123456"}).status_code == 302
        assert client.post(reverse("two_factor_setup"), {"token": "123456"}).status_code == 405
        assert not TOTPDevice.objects.filter(user=sw_pori).exists()
        assert client.get(reverse("home")).status_code == 302

    def test_enrolment_with_an_invitation_a_qr_code_then_backup_codes(
        self, client, sw_pori, require_2fa
    ):
        _invitation, token = services.create_invitation(sw_pori)
        login(client, sw_pori)
        link = client.get(reverse("two_factor_invitation", kwargs={"token": token}))
        assert link["Location"] == reverse("two_factor_enrol")
        page = client.get(link["Location"])
        assert "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=sw_pori, confirmed=False)
        wrong = client.post(reverse("two_factor_enrol"), {"token": "000000"})
        assert wrong.context["form"].errors["token"]
        done = client.post(reverse("two_factor_enrol"), {"token": current_code(device)})
        assert done["Location"] == reverse("two_factor_backup_codes")
        codes = client.get(done["Location"]).context["codes"]
        assert len(codes) == 10
        assert client.get(reverse("two_factor_backup_codes"))["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200

    def test_login_needs_the_code_and_a_backup_code_works_once(self, client, sw_pori, require_2fa):
        device = TOTPDevice.objects.create(user=sw_pori, name="phone", confirmed=True)
        static = sw_pori.staticdevice_set.create(name="backup", confirmed=True)
        StaticToken.objects.create(device=static, token="abcd1234")
        login(client, sw_pori)
        assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
        assert client.post(reverse("two_factor_verify"), {"token": "abcd1234"}).status_code == 302
        assert client.get(reverse("home")).status_code == 200
        other = Client()
        login(other, sw_pori)
        reused = other.post(reverse("two_factor_verify"), {"token": "abcd1234"})
        assert reused.status_code == 200 and reused.context["form"].errors
        assert (
            other.post(reverse("two_factor_verify"), {"token": current_code(device)}).status_code
            == 302
        )

    @pytest.mark.parametrize(
        "url",
        [
            "/admin/",
            "/admin/guardianship/guardianshiprequest/",
            "/admin/auth/group/",
            "/admin/axes/accessattempt/",
        ],
    )
    def test_staff_without_a_verified_device_reach_no_admin_page(
        self, client, superuser, require_2fa, url
    ):
        login(client, superuser)
        response = client.get(url)
        assert response.status_code == 302
        assert (
            "/admin/" not in response["Location"].split("?")[0] or "login" in response["Location"]
        )
        # Even the admin's own login page does not let them in with a password alone.
        client.post("/admin/login/", {"username": superuser.username, "password": PASSWORD})
        assert client.get(url).status_code == 302

    def test_the_admin_opens_after_verification(self, client, superuser, require_2fa):
        device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
        login(client, superuser)
        client.post(reverse("two_factor_verify"), {"token": current_code(device)})
        assert client.get("/admin/").status_code == 200

    def test_a_planner_without_child_data_needs_no_second_factor(
        self, client, planner, require_2fa
    ):
        login(client, planner)
        assert client.get(reverse("home")).status_code == 200


class TestLockout:
    def test_five_failures_lock_that_username_from_that_address(self, client, sw_pori):
        for _ in range(4):
            assert login(client, sw_pori, password="wrong").status_code == 200
        assert login(client, sw_pori, password="wrong").status_code == 429  # the fifth locks
        locked = login(client, sw_pori)  # even the right password now
        assert locked.status_code == 429
        assert "Liian monta" in locked.content.decode() or "Too many" in locked.content.decode()

    def test_another_user_behind_the_same_proxy_is_not_locked(
        self, client, sw_pori, sw_rauma, settings
    ):
        for _ in range(5):
            login(client, sw_pori, password="wrong", address="192.0.2.10")
        assert login(Client(), sw_pori, address="192.0.2.10").status_code == 429
        assert login(Client(), sw_rauma, address="192.0.2.10").status_code == 302

    def test_an_admin_unlocks_by_deleting_the_attempts(self, client, sw_pori):
        from axes.models import AccessAttempt

        for _ in range(5):
            login(client, sw_pori, password="wrong")
        assert login(client, sw_pori).status_code == 429
        AccessAttempt.objects.all().delete()
        assert login(client, sw_pori).status_code == 302


class TestSessions:
    def test_a_new_session_key_at_login(self, client, sw_pori):
        client.get(reverse("login"))
        client.cookies["sessionid"] = "attacker-chosen"
        login(client, sw_pori)
        assert client.cookies["sessionid"].value != "attacker-chosen"

    def test_idle_timeout(self, client, sw_pori, settings):
        settings.SESSION_IDLE_SECONDS = 30 * 60
        with time_machine.travel(
            datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False
        ) as clock:
            login(client, sw_pori)
            clock.shift(datetime.timedelta(minutes=29))
            assert client.get(reverse("home")).status_code == 200
            clock.shift(datetime.timedelta(minutes=29))
            assert client.get(reverse("home")).status_code == 200
            clock.shift(datetime.timedelta(minutes=31))
            response = client.get(reverse("home"))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))

    def test_absolute_limit(self, client, sw_pori, settings):
        settings.SESSION_ABSOLUTE_SECONDS = 10 * 3600
        with time_machine.travel(
            datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC), tick=False
        ) as clock:
            login(client, sw_pori)
            for _ in range(21):  # busy all day, never idle: 10 h 9 min in all
                clock.shift(datetime.timedelta(minutes=29))
                response = client.get(reverse("home"))
            assert response.status_code == 302

    def test_deactivating_a_user_ends_their_sessions(self, client, sw_pori):
        login(client, sw_pori)
        assert client.get(reverse("home")).status_code == 200
        get_user_model().objects.filter(pk=sw_pori.pk).update(is_active=False)
        # Signed out: the start page is the public front page, every other page asks to log in.
        assert client.get(reverse("guardianship:request_list")).status_code == 302
        assert "state_counts" not in client.get(reverse("home")).context


def test_logins_logouts_and_failures_go_to_the_security_log(client, sw_pori, caplog):
    caplog.set_level(logging.INFO, logger="pikassos.security")
    login(client, sw_pori, password="wrong")
    login(client, sw_pori)
    client.post(reverse("logout"))
    messages = [r.getMessage() for r in caplog.records if r.name == "pikassos.security"]
    assert any(m.startswith(f"login-failed user={sw_pori.username!r}") for m in messages)
    assert any(m.startswith("login user=" + sw_pori.username) for m in messages)
    assert any(m.startswith("logout user=" + sw_pori.username) for m in messages)
    assert not any(PASSWORD in m or "wrong" in m.split("user=")[0] for m in messages)


@pytest.mark.parametrize("url", [reverse("login"), "/admin/login/"])
def test_an_over_long_username_is_a_failed_login_not_an_error(client, url):
    response = client.post(url, {"username": "a" * 12000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_a_username_with_a_newline_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="pikassos.security")
    forged = "x\nlogin user=alice-coordinator address=10.0.0.1"
    client.post(reverse("login"), {"username": forged, "password": "wrong"})
    lines = [r.getMessage() for r in caplog.records if r.name == "pikassos.security"]
    assert all("\n" not in line for line in lines)
