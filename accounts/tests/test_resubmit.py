"""A form sent after the session ended is kept and restored to its sender after the login
(issue 16, part 1: accounts.resubmit), and the session warning's keepalive."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import ExpiredSubmission
from accounts.resubmit import RESUBMIT_COOKIE
from guardianship.models import GuardianshipRequest
from guardianship.tests.helpers import request_form_data

pytestmark = pytest.mark.django_db

NEW = reverse("guardianship:request_create")
PASSWORD = "correct horse battery staple"
START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


def login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def form_data():
    return request_form_data(**{"children-0-first_name": "Salainen-Aino"})


def sent_after_the_idle_limit(client, user, clock, data=None):
    login(client, user)
    clock.shift(datetime.timedelta(minutes=31))
    return client.post(NEW, data or form_data())


def test_a_form_sent_after_the_idle_limit_is_restored_to_its_sender(client, sw_pori):
    with time_machine.travel(START, tick=False) as clock:
        response = sent_after_the_idle_limit(client, sw_pori, clock)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not GuardianshipRequest.objects.exists()
        kept = ExpiredSubmission.objects.get()
        assert kept.user == sw_pori and kept.path == NEW
        # Encrypted: what was typed is not readable in the database, nor in the cookie.
        assert b"Salainen-Aino" not in bytes(kept.data)
        assert "Salainen" not in client.cookies[RESUBMIT_COOKIE].value
        assert "Salainen" not in response["Location"]

        login(client, sw_pori)
        html = client.get(NEW).content.decode()
        assert "Lomakkeen tiedot palautettiin — tarkista ja lähetä uudelleen." in html
        assert 'value="Salainen-Aino"' in html
        assert "Huoltajat vastustavat huostaanottoa." in html
        assert not ExpiredSubmission.objects.exists()  # deleted as it was restored
        # Shown once: the next visit is an empty form.
        assert 'value="Salainen-Aino"' not in client.get(NEW).content.decode()
        # Sent again from the restored form, the request is made.
        assert client.post(NEW, form_data()).status_code == 302
    assert GuardianshipRequest.objects.count() == 1


def test_it_is_never_shown_to_another_user_on_the_same_browser(client, sw_pori, sw_rauma):
    with time_machine.travel(START, tick=False) as clock:
        sent_after_the_idle_limit(client, sw_pori, clock)
        sw_rauma.set_password(PASSWORD)
        sw_rauma.save()
        login(client, sw_rauma)
        html = client.get(NEW).content.decode()
    assert "Salainen-Aino" not in html
    assert "palautettiin" not in html
    assert ExpiredSubmission.objects.get().user == sw_pori


def test_another_browser_cannot_claim_it(client, sw_pori):
    with time_machine.travel(START, tick=False) as clock:
        sent_after_the_idle_limit(client, sw_pori, clock)
        other = Client()
        login(other, sw_pori)
        # Even the same user elsewhere lacks the key; a forged cookie is refused.
        other.cookies[RESUBMIT_COOKIE] = client.cookies[RESUBMIT_COOKIE].value + "x"
        html = other.get(NEW).content.decode()
    assert "Salainen-Aino" not in html
    assert ExpiredSubmission.objects.exists()


def test_a_session_already_gone_is_kept_for_the_user_who_logged_in_last(client, sw_pori):
    login(client, sw_pori)
    client.cookies.pop("sessionid")  # the session row is gone, e.g. ended by its age
    response = client.post(NEW, form_data())
    assert response["Location"].startswith(reverse("login"))
    assert ExpiredSubmission.objects.get().user == sw_pori
    login(client, sw_pori)
    assert 'value="Salainen-Aino"' in client.get(NEW).content.decode()


def test_nothing_is_kept_for_a_browser_nobody_logged_in_on(client):
    response = client.post(NEW, form_data())
    assert response.status_code == 302
    assert not ExpiredSubmission.objects.exists()


def test_a_post_from_another_site_is_not_kept(sw_pori):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(START, tick=False) as clock:
        client.get(reverse("login"))
        token = client.cookies["csrftoken"].value
        client.post(
            reverse("login"),
            {"username": sw_pori.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        token = client.cookies["csrftoken"].value  # a new one at login
        clock.shift(datetime.timedelta(minutes=31))
        client.post(NEW, form_data())  # no token: as another site's page would send it
        assert not ExpiredSubmission.objects.exists()
        client.post(NEW, {**form_data(), "csrfmiddlewaretoken": token})
        assert ExpiredSubmission.objects.exists()


def test_it_expires_and_the_worker_deletes_it(client, sw_pori, settings):
    settings.RESUBMIT_HOURS = 24
    with time_machine.travel(START, tick=False) as clock:
        sent_after_the_idle_limit(client, sw_pori, clock)
        clock.shift(datetime.timedelta(hours=25))
        login(client, sw_pori)
        # Past its time it is not restored, even to its sender.
        assert "Salainen-Aino" not in client.get(NEW).content.decode()
        call_command("purge_expired_submissions")
    assert not ExpiredSubmission.objects.exists()
    assert "purge_expired_submissions" in settings.WORKER_SCHEDULE


def test_keepalive_starts_the_idle_time_again(client, sw_pori, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    with time_machine.travel(START, tick=False) as clock:
        login(client, sw_pori)
        page = client.get(reverse("home")).content.decode()
        assert 'data-session-remaining="1800"' in page
        assert 'data-session-warning="120"' in page
        clock.shift(datetime.timedelta(minutes=29))
        answer = client.post(reverse("keepalive"))
        assert answer.json() == {"remaining": 1800}
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("keepalive")).status_code == 405
        clock.shift(datetime.timedelta(minutes=31))
        assert client.post(reverse("keepalive")).status_code == 302


def test_no_session_warning_for_anonymous_visitors(client):
    assert "data-session-remaining" not in client.get(reverse("home")).content.decode()
