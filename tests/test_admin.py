"""Django's admin has every model of every app, and its pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from fees.factories import FeeClaimFactory
from guardianship.enums import AccessAction, AccessBasis, EventKind
from guardianship.factories import ChildFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog, RequestEvent

pytestmark = pytest.mark.django_db

# Every app of ours with models (stats and demo have none), and the e-mail outbox's.
PORTAL_APPS = {
    "common",
    "accounts",
    "municipalities",
    "projects",
    "guardianship",
    "fees",
    "support",
    "mailer",
}


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


# The access log of admin pages that show children ---------------------------------------


def admin_rows(action=None):
    rows = AccessLog.objects.filter(role="admin").order_by("id")
    return rows.filter(action=action) if action else rows


def test_an_admin_look_at_a_request_is_logged_page_by_page_on_the_admin_basis(admin_client):
    request = GuardianshipRequestFactory(children=2)
    children = set(request.children.values_list("pk", flat=True))
    pages = {
        AccessAction.VIEW: [
            reverse("admin:guardianship_guardianshiprequest_change", args=[request.pk]),
            reverse("admin:guardianship_guardianshiprequest_history", args=[request.pk]),
            reverse("admin:guardianship_guardianshiprequest_delete", args=[request.pk]),
        ],
    }
    for url in pages[AccessAction.VIEW]:
        before = admin_rows().count()
        assert admin_client.get(url).status_code == 200
        new = admin_rows()[before:]
        (row,) = new  # one row naming both children
        assert (row.action, set(row.children), row.request_id, row.basis, row.path) == (
            AccessAction.VIEW,
            children,
            request.pk,
            AccessBasis.ADMIN,
            url,
        )
    # Saving the change form is an update of the children's data.
    url = pages[AccessAction.VIEW][0]
    admin_client.post(url, {"organisation": request.organisation_id})
    assert {c for r in admin_rows(AccessAction.UPDATE) for c in r.children} == children


def test_admin_lists_searches_and_autocomplete_log_the_children_they_show(admin_client):
    shown = GuardianshipRequestFactory(children=0)
    ChildFactory(request=shown, last_name="Löydettävä")
    other = GuardianshipRequestFactory(children=1)

    admin_client.get(reverse("admin:guardianship_child_changelist"), {"q": "Löydettävä"})
    assert [(r.request_id, r.basis) for r in admin_rows(AccessAction.LIST)] == [
        (shown.pk, AccessBasis.ADMIN)
    ]

    # Another admin page's request field, searching requests by case number.
    shown.case_number = "H 26/77"
    shown.save()
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "guardianship",
            "model_name": "child",
            "field_name": "request",
            "term": "26/77",
        },
    )
    assert [r["id"] for r in response.json()["results"]] == [str(shown.pk)]
    listed = admin_rows(AccessAction.LIST).filter(path=reverse("admin:autocomplete"))
    assert [(r.request_id, r.basis) for r in listed] == [(shown.pk, AccessBasis.ADMIN)]
    assert not AccessLog.objects.filter(request=other).exists()


def test_the_admin_histories_and_claims_that_name_a_child_are_logged(admin_client):
    claim = FeeClaimFactory()
    request = claim.assignment.request
    child = request.children.get()
    urls = [
        reverse("admin:guardianship_childevent_changelist"),
        reverse("admin:guardianship_guardianshiprequestevent_changelist"),
        reverse("admin:guardianship_assignmentevent_changelist"),
        reverse("admin:fees_feeclaim_changelist"),
        reverse("admin:fees_feeclaim_change", args=[claim.pk]),
        reverse("admin:guardianship_assignment_change", args=[claim.assignment.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200
        logged = admin_rows().filter(path=url, children__contains=[child.pk])
        assert logged.filter(basis=AccessBasis.ADMIN).exists(), url
    assert set(admin_rows().values_list("basis", flat=True)) == {AccessBasis.ADMIN}
