"""The support contacts about a request that apply_retention anonymises lose their notes;
when and what kind of support was given, which the statistics count, stays."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from guardianship.enums import State
from guardianship.factories import GuardianshipRequestFactory
from support.enums import SupportKind
from support.factories import SupportContactFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=7 * 365)


def ended_request(at):
    return GuardianshipRequestFactory(
        state=State.ENDED, state_changed_at=at, submitted_at=at - datetime.timedelta(days=400)
    )


def test_contacts_about_an_anonymised_request_lose_their_notes():
    old = SupportContactFactory(
        request=ended_request(LONG_AGO), kind=SupportKind.PEER_MEETING, notes="Ainon asiat."
    )
    recent = SupportContactFactory(
        request=ended_request(timezone.now() - datetime.timedelta(days=30)), notes="Einon asiat."
    )
    general = SupportContactFactory(notes="Yleistä neuvontaa.")

    call_command("apply_retention", years=6, log_years=12)

    for contact in (old, recent, general):
        contact.refresh_from_db()
    assert (old.notes, old.kind) == ("", SupportKind.PEER_MEETING)
    assert recent.notes == "Einon asiat."
    assert general.notes == "Yleistä neuvontaa."
