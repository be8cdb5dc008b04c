import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guardianship.enums import State
from guardianship.factories import ChildFactory, GuardianshipRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_new(coordinator):
    coordinator.email = "coord@pikassos.example.invalid"
    coordinator.save()
    old = GuardianshipRequestFactory(
        state=State.SEARCHING,
        submitted_at=timezone.now() - datetime.timedelta(days=30),
        children=0,
    )
    ChildFactory(request=old, first_name="Salainen", last_name="Lapsi", identity_code="010115A998H")
    new = GuardianshipRequestFactory(state=State.SEARCHING)
    done = GuardianshipRequestFactory(
        state=State.CONSENT_GIVEN, submitted_at=timezone.now() - datetime.timedelta(days=60)
    )
    return old, new, done


def test_the_weekly_digest_lists_requests_waiting_too_long_without_child_data(
    old_and_new, sent_mail, settings
):
    settings.GUARDIANSHIP_UNMATCHED_DAYS = 14
    old, new, done = old_and_new
    call_command("send_digest")
    sent = sent_mail()
    assert len(sent) == 1
    mail = sent[0]
    assert mail.to == ["coord@pikassos.example.invalid"]
    assert old.reference in mail.body and str(old.uuid) in mail.body
    assert new.reference not in mail.body and done.reference not in mail.body
    for secret in ("Salainen", "Lapsi", "010115A998H"):
        assert secret not in mail.body + mail.subject


def test_no_digest_when_nothing_waits(coordinator, sent_mail):
    call_command("send_digest")
    assert sent_mail() == []


def test_the_queue_flags_requests_unmatched_too_long(client, coordinator, old_and_new, settings):
    settings.GUARDIANSHIP_UNMATCHED_DAYS = 14
    old, new, _ = old_and_new
    client.force_login(coordinator)
    response = client.get(reverse("guardianship:request_list"))
    flagged = {r.reference for r in response.context["requests"] if r.waiting_too_long}
    assert flagged == {old.reference}
    assert "row--flagged" in response.content.decode()
