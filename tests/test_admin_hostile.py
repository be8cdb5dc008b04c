"""Hostile input to Django admin's lists never reaches a 500 (issue 17, part 5): every
changelist's search, filters, date hierarchy and ordering, and every autocomplete, with
the hostile-input harness's odd values, NUL bytes and numbers past every column's range."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR
from django.urls import resolve, reverse

from fees.factories import FeeClaimFactory
from guardianship.factories import ChildFactory
from tests.hostile.strategies import ODD_UNICODE, ODD_VALUES, SQL

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999999"
# Each filter gets a number past every range and one more of these in turn (all of them
# for every filter made the test cost minutes).
HOSTILE = ("-" + HUGE, "\x00", "2026-13-45", "1e309", SQL[0], ODD_UNICODE[2], *ODD_VALUES[1:4])
OK_STATUSES = {200, 302, 400}


def model_admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def filter_parameters(model_admin, request):
    """The query parameters the changelist's filters and date hierarchy understand."""
    changelist = model_admin.get_changelist_instance(request)
    names = set()
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        names.update(f"{field}__{part}" for part in ("year", "month", "day"))
    return sorted(names)


@pytest.fixture
def world():
    ChildFactory()
    FeeClaimFactory()


@pytest.mark.parametrize(
    ("model", "model_admin"), model_admins(), ids=lambda x: getattr(x, "__name__", "")
)
def test_no_changelist_answers_500_to_hostile_filters(
    admin_client, rf, admin_user, world, model, model_admin
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    request = rf.get(url)
    request.user, request.resolver_match = admin_user, resolve(url)
    sent = [(SEARCH_VAR, value) for value in ("\x00", HUGE, SQL[0])] + [(ORDER_VAR, HUGE)]
    for i, name in enumerate(filter_parameters(model_admin, request)):
        sent += [(name, HUGE), (name, HOSTILE[i % len(HOSTILE)])]
    failures = []
    for name, value in sent:
        response = admin_client.get(url, {name: value})
        if response.status_code not in OK_STATUSES:
            failures.append((name, value, response.status_code))
    assert failures == []


def autocompletes():
    """(model, field) of every autocomplete field of every registered admin."""
    found = []
    for model, model_admin in model_admins():
        for name in model_admin.autocomplete_fields:
            found.append((model, name))
    return found


@pytest.mark.parametrize(("model", "field"), autocompletes(), ids=lambda x: str(x))
def test_no_autocomplete_answers_500_to_hostile_terms(admin_client, world, model, field):
    failures = []
    for term in ("\x00", HUGE, SQL[0], ODD_UNICODE[2]):
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
                "term": term,
            },
        )
        if response.status_code not in OK_STATUSES | {403, 404}:
            failures.append((term, response.status_code))
    assert failures == []
