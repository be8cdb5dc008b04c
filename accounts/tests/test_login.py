"""Signing in and out, and the password pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_and_logout(client, sw_pori):
    response = client.post(
        reverse("login"), {"username": sw_pori.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logout is POST only
    client.post(reverse("logout"))
    assert client.get(reverse("guardianship:request_list")).status_code == 302
    # Signed out, the start page is the public front page again.
    assert "state_counts" not in client.get(reverse("home")).context


def test_a_wrong_password_shows_an_error(client, sw_pori):
    response = client.post(reverse("login"), {"username": sw_pori.username, "password": "nope"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_password_reset_sends_a_link_by_email(client, sw_pori, sent_mail):
    response = client.post(reverse("password_reset"), {"email": sw_pori.email})
    assert response.status_code == 302
    sent = sent_mail()
    assert len(sent) == 1
    assert "/accounts/reset/" in sent[0].body


def test_password_change(client, sw_pori):
    client.force_login(sw_pori)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "uusi-salasana-2026!",
            "new_password2": "uusi-salasana-2026!",
        },
    )
    assert response.status_code == 302
    sw_pori.refresh_from_db()
    assert sw_pori.check_password("uusi-salasana-2026!")
