"""Once only (issue 15, part 6): the claim form carries an idempotency key like the
request form, so a double click, or two simultaneous posts of the same form, make one
claim."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.factories import make_user
from fees import services
from fees.factories import PayeeFactory
from fees.models import FeeClaim
from fees.tests.conftest import claim_form_data
from fees.tests.test_claims import appointed_case
from guardianship.factories import GuardianFactory


@pytest.mark.django_db
def test_a_double_click_answers_with_the_one_claim(client, guardian, case, media):
    client.force_login(guardian.user)
    url = reverse("fees:claim_create", args=[case.uuid])
    form = client.get(url).context["form"]
    key = form["idempotency_key"].value()
    assert uuid.UUID(str(key))
    data = claim_form_data(key=key)
    first = client.post(url, data)
    second = client.post(url, data)
    claim = FeeClaim.objects.get()
    assert first["Location"] == second["Location"] == claim.get_absolute_url()


@pytest.mark.django_db
def test_somebody_elses_form_key_makes_a_claim_of_ones_own(client, guardian, case):
    other = GuardianFactory(user=make_user("guardian", username="otto"))
    PayeeFactory(guardian=other)
    key = uuid.uuid4()
    client.force_login(other.user)
    client.post(
        reverse("fees:claim_create", args=[appointed_case(other).uuid]), claim_form_data(key=key)
    )
    theirs = FeeClaim.objects.get()
    client.force_login(guardian.user)
    response = client.post(reverse("fees:claim_create", args=[case.uuid]), claim_form_data(key=key))
    # Not redirected to the other guardian's claim: the form asks to send it again.
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["idempotency_key"].value() != str(key)
    assert list(FeeClaim.objects.all()) == [theirs]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_identical_submissions_create_one_claim(guardian, case, monkeypatch):
    """Both posts look for an earlier claim before either has made one (the barrier),
    then both insert: the unique key lets one through and the other finds it."""
    barrier = threading.Barrier(2, timeout=20)
    looked_up = services.earlier_claim
    waited = set()

    def earlier_claim_then_wait(*args, **kwargs):
        found = looked_up(*args, **kwargs)
        if threading.get_ident() not in waited:  # the view's look, not the service's
            waited.add(threading.get_ident())
            barrier.wait()
        return found

    monkeypatch.setattr(services, "earlier_claim", earlier_claim_then_wait)
    url = reverse("fees:claim_create", args=[case.uuid])
    data = claim_form_data(key=uuid.uuid4())
    answers, errors = [], []

    def post():
        try:
            client = Client()
            client.force_login(guardian.user)
            answers.append(client.post(url, data))
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    claim = FeeClaim.objects.get()
    assert [a.status_code for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {claim.get_absolute_url()}


@pytest.mark.django_db
def test_a_second_post_checked_after_the_first_committed_answers_with_the_one_claim(
    client, guardian, case, monkeypatch
):
    """The window the threaded test above can hit: the second post looked for an earlier
    claim before the first committed, and its form then finds the first claim covering
    the same days. That is the double click, not an overlap to report."""
    client.force_login(guardian.user)
    url = reverse("fees:claim_create", args=[case.uuid])
    data = claim_form_data(key=uuid.uuid4())
    client.post(url, data)
    claim = FeeClaim.objects.get()
    looked_up, looks = services.earlier_claim, []

    def too_early_the_first_time(*args, **kwargs):
        looks.append(args)
        return None if len(looks) == 1 else looked_up(*args, **kwargs)

    monkeypatch.setattr(services, "earlier_claim", too_early_the_first_time)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == claim.get_absolute_url()
    assert FeeClaim.objects.count() == 1
