"""Django's admin has every model of every app, and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Every app of ours with models (common, stats and demo have none).
PORTAL_APPS = {"accounts", "municipalities", "projects", "guardianship", "fees", "support"}


def portal_models():
    return [m for m in apps.get_models() if m._meta.app_label in PORTAL_APPS]


def test_every_portal_model_is_registered_in_admin():
    missing = [m.__name__ for m in portal_models() if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.parametrize("model", portal_models(), ids=lambda m: m._meta.label)
def test_admin_changelist_and_add_pages_open(admin_client, model, django_assert_max_num_queries):
    opts = model._meta
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    assert admin_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    ).status_code in (
        200,
        403,
    )


def test_admin_search_finds_an_organisation(admin_client):
    response = admin_client.get(
        reverse("admin:municipalities_organisation_changelist"), {"q": "609"}
    )
    assert "Pori" in response.content.decode()
