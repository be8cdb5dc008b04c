"""Enrolling the second factor is bound to the person (issue 13, part 7): an authenticator
is enrolled only with a one-time invitation link, sent by an admin's reset or printed by
`manage.py invite_2fa`, never with the password alone."""

import datetime
import hashlib
import io
import logging
import re
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.factories import make_user
from accounts.models import EnrolmentInvitation
from accounts.roles import Role
from accounts.tests.test_security import PASSWORD, current_code, login

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/2fa/enrol/([A-Za-z0-9_-]+)/")


def open_link(client, token):
    return client.get(reverse("two_factor_invitation", kwargs={"token": token}))


def enrol(client, user, token):
    """Open the link as a signed-in `user` and confirm with the app's code: the response
    to the code."""
    assert open_link(client, token)["Location"] == reverse("two_factor_enrol")
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200, page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("two_factor_enrol"), {"token": current_code(device)})


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).count()


class TestTheLink:
    def test_a_valid_link_enrols_once(self, client, sw_pori, require_2fa):
        invitation, token = services.create_invitation(sw_pori)
        login(client, sw_pori)
        done = enrol(client, sw_pori, token)
        assert done["Location"] == reverse("two_factor_backup_codes")
        assert len(client.get(done["Location"]).context["codes"]) == 10
        invitation.refresh_from_db()
        assert invitation.used_at is not None
        assert confirmed_devices(sw_pori) == 1
        assert client.get(reverse("home")).status_code == 200

        # The same link again, in another browser: refused, nothing enrolled.
        other = Client()
        login(other, sw_pori)
        assert open_link(other, token)["Location"] == reverse("two_factor_enrol")
        refused = other.get(reverse("two_factor_enrol"))
        assert refused.status_code == 404
        html = refused.content.decode()
        assert "Kutsulinkkiä ei voi käyttää" in html
        assert "Tämä kutsulinkki on jo käytetty." in html
        assert confirmed_devices(sw_pori) == 1
        assert not TOTPDevice.objects.filter(user=sw_pori, confirmed=False).exists()

    def test_a_double_submit_cannot_use_the_invitation_twice(self, client, sw_pori, require_2fa):
        _invitation, token = services.create_invitation(sw_pori)
        login(client, sw_pori)
        open_link(client, token)
        client.get(reverse("two_factor_enrol"))
        device = TOTPDevice.objects.get(user=sw_pori, confirmed=False)
        # The second submit starts from the session as it was before the first ended.
        session = client.session
        before = dict(session.items())
        first = client.post(reverse("two_factor_enrol"), {"token": current_code(device)})
        assert first.status_code == 302
        session = client.session
        session.update(before)
        session.save()
        second = client.post(reverse("two_factor_enrol"), {"token": current_code(device)})
        assert second.status_code == 404
        assert confirmed_devices(sw_pori) == 1
        assert StaticDevice.objects.filter(user=sw_pori).count() == 1

    @pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
    def test_a_link_works_until_it_expires(
        self, client, sw_pori, require_2fa, settings, minutes, works
    ):
        settings.TWO_FACTOR_INVITATION_HOURS = 1
        start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False) as clock:
            invitation, token = services.create_invitation(sw_pori)
            assert invitation.expires_at == start + datetime.timedelta(hours=1)
            clock.shift(datetime.timedelta(minutes=minutes))
            login(client, sw_pori)
            open_link(client, token)
            page = client.get(reverse("two_factor_enrol"))
        if works:
            assert page.status_code == 200
            assert "<svg" in page.content.decode()
        else:
            assert page.status_code == 404
            assert "Tämä kutsulinkki on vanhentunut." in page.content.decode()
            assert not TOTPDevice.objects.filter(user=sw_pori).exists()

    def test_the_default_lifetime_is_72_hours(self, sw_pori):
        invitation, _token = services.create_invitation(sw_pori)
        assert invitation.expires_at - invitation.created_at == datetime.timedelta(hours=72)

    def test_a_link_expiring_between_page_and_code_enrols_nothing(
        self, client, sw_pori, require_2fa, settings
    ):
        settings.TWO_FACTOR_INVITATION_HOURS = 1
        start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
        with time_machine.travel(start, tick=False) as clock:
            _invitation, token = services.create_invitation(sw_pori)
            clock.shift(datetime.timedelta(minutes=50))
            login(client, sw_pori)
            open_link(client, token)
            assert client.get(reverse("two_factor_enrol")).status_code == 200
            clock.shift(datetime.timedelta(minutes=11))
            device = TOTPDevice.objects.get(user=sw_pori, confirmed=False)
            response = client.post(reverse("two_factor_enrol"), {"token": current_code(device)})
        assert response.status_code == 404
        assert confirmed_devices(sw_pori) == 0

    def test_another_users_link_is_refused(self, client, sw_pori, sw_rauma, require_2fa):
        invitation, token = services.create_invitation(sw_rauma)
        login(client, sw_pori)
        open_link(client, token)
        refused = client.get(reverse("two_factor_enrol"))
        assert refused.status_code == 404
        html = refused.content.decode()
        assert "Tämä kutsulinkki ei kelpaa käyttäjätunnuksellesi." in html
        assert sw_rauma.username not in html and sw_rauma.last_name not in html
        assert not TOTPDevice.objects.filter(user__in=[sw_pori, sw_rauma]).exists()
        invitation.refresh_from_db()
        assert invitation.used_at is None  # still works for its own user
        rauma = Client()
        login(rauma, sw_rauma)
        assert enrol(rauma, sw_rauma, token).status_code == 302

    @pytest.mark.parametrize("token", ["no-such-token", "x" * 5000])
    def test_an_unknown_link_is_refused(self, client, sw_pori, require_2fa, token):
        login(client, sw_pori)
        open_link(client, token)
        assert client.get(reverse("two_factor_enrol")).status_code == 404
        assert not TOTPDevice.objects.filter(user=sw_pori).exists()

    def test_a_new_invitation_ends_the_earlier_one(self, client, sw_pori, require_2fa):
        _first, old_token = services.create_invitation(sw_pori)
        _second, new_token = services.create_invitation(sw_pori)
        login(client, sw_pori)
        open_link(client, old_token)
        assert client.get(reverse("two_factor_enrol")).status_code == 404
        assert enrol(client, sw_pori, new_token).status_code == 302

    def test_when_not_signed_in_the_link_leads_through_the_login(
        self, client, sw_pori, require_2fa
    ):
        _invitation, token = services.create_invitation(sw_pori)
        response = open_link(client, token)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert token not in response["Location"]  # the token is in the session only
        signed_in = client.post(
            response["Location"], {"username": sw_pori.username, "password": PASSWORD}
        )
        assert signed_in["Location"] == reverse("two_factor_enrol")
        # Wandering off and back: the link opened in this session is not forgotten.
        setup = client.get(client.get(reverse("home"))["Location"])
        assert setup["Location"] == reverse("two_factor_enrol")
        page = client.get(reverse("two_factor_enrol"))
        assert page.status_code == 200 and "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=sw_pori, confirmed=False)
        done = client.post(reverse("two_factor_enrol"), {"token": current_code(device)})
        assert done["Location"] == reverse("two_factor_backup_codes")

    def test_re_enrolment_replaces_the_older_devices(self, client, sw_pori, require_2fa):
        old = TOTPDevice.objects.create(user=sw_pori, name="old phone", confirmed=True)
        backup = StaticDevice.objects.create(user=sw_pori, name="Backup codes", confirmed=True)
        StaticToken.objects.create(device=backup, token="old12345")
        _invitation, token = services.create_invitation(sw_pori)
        login(client, sw_pori)
        page_link = open_link(client, token)
        page = client.get(page_link["Location"])
        assert "lakkaavat toimimasta" in page.content.decode()  # says what confirming does
        assert enrol(client, sw_pori, token).status_code == 302
        assert not TOTPDevice.objects.filter(pk=old.pk).exists()
        assert confirmed_devices(sw_pori) == 1
        assert not StaticToken.objects.filter(token="old12345").exists()
        assert StaticToken.objects.filter(device__user=sw_pori).count() == 10

    def test_a_key_made_before_the_invitation_is_never_offered(self, client, sw_pori, require_2fa):
        # Somebody with the password alone may have been shown this key before.
        seen = TOTPDevice.objects.create(user=sw_pori, name="Authenticator", confirmed=False)
        _invitation, token = services.create_invitation(sw_pori)
        login(client, sw_pori)
        open_link(client, token)
        page = client.get(reverse("two_factor_enrol"))
        assert seen.key not in page.content.decode()
        assert not TOTPDevice.objects.filter(pk=seen.pk).exists()

    def test_the_setup_page_says_when_an_invitation_is_waiting(self, client, sw_pori):
        client.force_login(sw_pori)
        assert "Pyydä kutsulinkki" in client.get(reverse("two_factor_setup")).content.decode()
        services.create_invitation(sw_pori)
        html = client.get(reverse("two_factor_setup")).content.decode()
        assert "Kutsulinkki on lähetetty sähköpostiisi" in html

    def test_the_token_is_stored_hashed_and_never_logged(
        self, client, sw_pori, require_2fa, caplog
    ):
        caplog.set_level(logging.INFO, logger="pikassos.security")
        invitation, token = services.create_invitation(sw_pori)
        assert len(token) >= 40
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        with connection.cursor() as cursor:
            cursor.execute("SELECT t::text FROM accounts_enrolmentinvitation t")
            assert token not in cursor.fetchone()[0]
        login(client, sw_pori)
        enrol(client, sw_pori, token)
        open_link(client, token)
        client.get(reverse("two_factor_enrol"))  # refused: used
        lines = [r.getMessage() for r in caplog.records if r.name == "pikassos.security"]
        assert any(line.startswith(f"2fa-invitation user={sw_pori.username}") for line in lines)
        assert any(line.startswith(f"2fa-enrolled user={sw_pori.username}") for line in lines)
        assert any("2fa-invitation-refused" in line and "reason=used" in line for line in lines)
        assert not any(token in line or invitation.token_hash in line for line in lines)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submits_at_once_use_the_invitation_once():
    """The invitation's row is locked while it is used: the second submit waits for the
    first to commit and then finds it used."""
    user = make_user()
    invitation, token = services.create_invitation(user)
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                held = services.check_invitation(user, token, lock=True)
                locked.set()
                release.wait(5)
                device = TOTPDevice.objects.create(user=user, name="first", confirmed=False)
                services.complete_enrolment(held, device)
        finally:
            connection.close()

    def second():
        try:
            with transaction.atomic():
                services.check_invitation(user, token, lock=True)
                outcome["second"] = "used it"
        except services.InvitationRefused as refusal:
            outcome["second"] = refusal.reason
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert locked.wait(5)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive(), "the second submit did not wait for the lock"
    release.set()
    one.join(5)
    two.join(5)
    assert outcome == {"second": "used"}
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


class TestAdminReset:
    def reset(self, admin_client, *users):
        return admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_second_factor", "_selected_action": [u.pk for u in users]},
            follow=True,
        )

    def test_the_reset_deletes_the_devices_and_mails_one_link(
        self, admin_client, admin_user, sw_pori, settings, sent_mail
    ):
        # (REQUIRE_2FA is off here, as admin_client signs in with a password only.)
        TOTPDevice.objects.create(user=sw_pori, name="phone", confirmed=True)
        backup = StaticDevice.objects.create(user=sw_pori, name="Backup codes", confirmed=True)
        StaticToken.objects.create(device=backup, token="abcd1234")
        response = self.reset(admin_client, sw_pori)
        assert response.status_code == 200
        assert sw_pori.username in response.content.decode()
        assert not TOTPDevice.objects.filter(user=sw_pori).exists()
        assert not StaticDevice.objects.filter(user=sw_pori).exists()
        assert len(sent_mail()) == 1
        message = mail.outbox[0]
        assert message.to == [sw_pori.email]
        token = LINK.search(message.body).group(1)
        # The link and how long it works, nothing else about the person.
        for personal in (sw_pori.username, sw_pori.first_name, sw_pori.last_name, sw_pori.email):
            assert personal not in message.body and personal not in message.subject
        invitation = EnrolmentInvitation.objects.get(user=sw_pori)
        assert invitation.created_by == admin_user

        # The e-mailed link enrols the user again.
        settings.REQUIRE_2FA = True
        settings.OTP_TOTP_THROTTLE_FACTOR = 0
        user = Client()
        login(user, sw_pori)
        assert user.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
        assert enrol(user, sw_pori, token)["Location"] == reverse("two_factor_backup_codes")

    def test_a_user_without_an_address_is_left_alone(self, admin_client, sw_pori, sent_mail):
        sw_pori.email = ""
        sw_pori.save()
        TOTPDevice.objects.create(user=sw_pori, name="phone", confirmed=True)
        response = self.reset(admin_client, sw_pori)
        assert "sähköpostiosoitetta" in response.content.decode()
        assert TOTPDevice.objects.filter(user=sw_pori).exists()
        assert not EnrolmentInvitation.objects.exists()
        assert sent_mail() == []

    def test_a_new_user_with_a_role_gets_an_invitation(self, admin_client, sent_mail):
        response = admin_client.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "new-worker",
                "usable_password": "true",
                "password1": "Kolme iloista kissaa 2025",
                "password2": "Kolme iloista kissaa 2025",
            },
        )
        assert response.status_code == 302, response.content.decode()
        user = get_user_model().objects.get(username="new-worker")
        assert not EnrolmentInvitation.objects.exists()  # no role, no address yet
        data = {
            "username": "new-worker",
            "first_name": "Uusi",
            "last_name": "Työntekijä",
            "email": "new-worker@example.invalid",
            "is_active": "on",
            "groups": [Group.objects.get(name=Role.SOCIAL_WORKER).pk],
            "title": "",
            "phone": "",
            "date_joined_0": "2026-11-23",
            "date_joined_1": "09:00:00",
        }
        change = reverse("admin:accounts_user_change", args=[user.pk])
        saved = admin_client.post(change, data)
        assert saved.status_code == 302, saved.context["adminform"].form.errors
        assert EnrolmentInvitation.objects.filter(user=user).count() == 1
        assert len(sent_mail()) == 1 and LINK.search(mail.outbox[0].body)
        # Saving again sends nothing more: later links come from the reset.
        admin_client.post(change, data)
        assert len(sent_mail()) == 1

    def test_the_invitations_are_listed_read_only(self, admin_client, sw_pori):
        services.create_invitation(sw_pori)
        listing = admin_client.get(reverse("admin:accounts_enrolmentinvitation_changelist"))
        assert listing.status_code == 200
        assert sw_pori.get_full_name() in listing.content.decode()
        assert admin_client.get(reverse("admin:accounts_enrolmentinvitation_add")).status_code == (
            403
        )


class TestCommand:
    def test_it_prints_a_link_that_enrols(self, client, superuser, require_2fa, sent_mail):
        out = io.StringIO()
        call_command("invite_2fa", superuser.username, stdout=out)
        token = LINK.search(out.getvalue()).group(1)
        assert sent_mail() == []
        login(client, superuser)
        assert enrol(client, superuser, token).status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_with_email_it_mails_the_link_instead(self, sw_pori, sent_mail):
        out = io.StringIO()
        call_command("invite_2fa", sw_pori.username, "--email", stdout=out)
        assert not LINK.search(out.getvalue())
        assert len(sent_mail()) == 1 and LINK.search(mail.outbox[0].body)

    def test_reset_deletes_the_devices(self, sw_pori):
        TOTPDevice.objects.create(user=sw_pori, name="phone", confirmed=True)
        call_command("invite_2fa", sw_pori.username, "--reset", stdout=io.StringIO())
        assert not TOTPDevice.objects.filter(user=sw_pori).exists()
        assert EnrolmentInvitation.objects.filter(user=sw_pori).count() == 1

    def test_an_unknown_user_is_an_error(self, db):
        with pytest.raises(CommandError, match="No user"):
            call_command("invite_2fa", "nobody", stdout=io.StringIO())


def test_the_admin_cannot_add_or_change_an_authenticator_only_delete_one(client, superuser):
    """Adding a device in the admin would bind someone's second factor to another phone."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=superuser, name="Puhelin", confirmed=True)
    client.force_login(superuser)
    add = client.get(reverse("admin:otp_totp_totpdevice_add"))
    assert add.status_code == 403
    change = client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]), {"name": "Toinen"}
    )
    assert change.status_code == 403
    device.refresh_from_db()
    assert device.name == "Puhelin"
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
