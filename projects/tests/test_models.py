import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from municipalities.models import Organisation
from projects.factories import EventFactory, PartnershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_a_project_cannot_end_before_it_starts():
    refused(
        ProjectFactory, start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2023, 1, 1)
    )


def test_an_organisation_is_a_partner_of_a_project_once():
    project = ProjectFactory()
    pori = Organisation.objects.get(slug="pori")
    PartnershipFactory(project=project, organisation=pori)
    refused(PartnershipFactory, project=project, organisation=pori)


def test_an_event_cannot_end_before_it_starts():
    now = timezone.now()
    refused(EventFactory, starts_at=now, ends_at=now - datetime.timedelta(minutes=1))


def test_an_event_needs_a_place_or_a_remote_link():
    refused(EventFactory, place="", remote_url="")
    assert EventFactory(place="", remote_url="https://teams.example/meet").pk
