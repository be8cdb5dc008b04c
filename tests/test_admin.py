"""Django's admin has every model of every app, and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from guardianship.enums import EventKind
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import RequestEvent

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


def test_a_requests_state_changes_only_through_the_workflow(admin_client):
    request = GuardianshipRequestFactory()
    url = reverse("admin:guardianship_guardianshiprequest_change", args=[request.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="organisation"' in html  # the form is there, but without the state
    assert 'name="state"' not in html


def test_the_timeline_is_read_only_in_the_admin(admin_client):
    request = GuardianshipRequestFactory()
    event = RequestEvent.objects.create(
        request=request, kind=EventKind.NOTE, actor=request.created_by
    )
    url = reverse("admin:guardianship_requestevent_change", args=[event.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="text"' not in html
    assert admin_client.post(url, {"text": "muutettu"}).status_code == 403
    delete = reverse("admin:guardianship_requestevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert RequestEvent.objects.get(pk=event.pk).text == ""
