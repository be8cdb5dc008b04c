"""Pages in Swedish and English: the language a user picks is kept (set_language)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_rendered_in_swedish(client, planner):
    client.force_login(planner)
    client.cookies["django_language"] = "sv"
    html = client.get(reverse("municipalities:directory")).content.decode()
    assert '<html lang="sv">' in html
    assert "Organisationer" in html
    assert "Björneborg" in html


def test_language_switch_stores_the_choice(client, planner):
    client.force_login(planner)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Organisations" in client.get(reverse("municipalities:directory")).content.decode()
