"""Networks (issue 19, part 4): who sees a network and its contact persons (the policy in
development/policies.py), the staff's management of members, contact persons (work details
only, with the basis and retention noted) and meetings (the portal's events)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from common.exceptions import WorkflowError
from development import services
from development.factories import NetworkContactFactory, NetworkFactory, NetworkMeetingFactory
from development.models import ContactBasis, Network, NetworkContact, NetworkMeeting
from municipalities.models import Organisation
from projects.factories import EventFactory

pytestmark = pytest.mark.django_db

COUNTY = "satakunnan-hyvinvointialue"


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def county():
    return Organisation.objects.get(slug=COUNTY)


@pytest.fixture
def internal(county):
    """An internal network whose member is the county (sw_pori's organisation)."""
    network = NetworkFactory(name="Lastensuojelun alueverkosto", is_public=False, members=[county])
    NetworkContactFactory(network=network, name="Maija Verkostolainen")
    return network


@pytest.fixture
def public():
    network = NetworkFactory(name="Avoin perhetyön verkosto", is_public=True)
    NetworkContactFactory(network=network, name="Pekka Yhteyshenkilö")
    return network


# Who sees what ------------------------------------------------------------------------------


def test_a_visitor_sees_the_public_network_without_its_contact_persons(client, internal, public):
    listing = client.get(reverse("development:network_list")).content.decode()
    assert "Avoin perhetyön verkosto" in listing
    assert "Lastensuojelun alueverkosto" not in listing

    page = client.get(public.get_absolute_url()).content.decode()
    assert "Avoin perhetyön verkosto" in page
    assert "Pekka Yhteyshenkilö" not in page
    assert client.get(internal.get_absolute_url()).status_code == 404


def test_a_member_organisations_user_sees_the_network_and_its_contacts(
    client, sw_pori, internal, public
):
    client.force_login(sw_pori)

    listing = client.get(reverse("development:network_list")).content.decode()
    assert "Lastensuojelun alueverkosto" in listing
    assert "Avoin perhetyön verkosto" in listing
    page = client.get(internal.get_absolute_url()).content.decode()
    assert "Maija Verkostolainen" in page
    assert "Lastensuojelun johtava sosiaalityöntekijä" in page  # the work role
    # Not a member of the public network: its page without the contact persons.
    assert "Pekka Yhteyshenkilö" not in client.get(public.get_absolute_url()).content.decode()


def test_a_user_of_another_organisation_does_not_know_the_internal_network(
    client, guardian_user, internal
):
    client.force_login(guardian_user)
    assert client.get(internal.get_absolute_url()).status_code == 404
    listing = client.get(reverse("development:network_list")).content.decode()
    assert "Lastensuojelun alueverkosto" not in listing


def test_the_staff_see_every_network_with_the_basis_and_retention(client, planner, internal):
    client.force_login(planner)
    page = client.get(internal.get_absolute_url()).content.decode()
    assert "Maija Verkostolainen" in page
    assert "Poistetaan, kun henkilö lähtee verkostosta." in page
    assert "Oikeutettu etu" in page  # the basis, in Finnish


def test_a_member_sees_no_management_forms(client, sw_pori, internal):
    client.force_login(sw_pori)
    page = client.get(internal.get_absolute_url()).content.decode()
    assert reverse("development:network_contact_add", kwargs={"uuid": internal.uuid}) not in page


# Managing -----------------------------------------------------------------------------------


def test_the_staff_create_and_edit_a_network(client, coordinator, county):
    client.force_login(coordinator)
    response = client.post(
        reverse("development:network_create"),
        {"name": "Satakunnan LAPE-verkosto", "description": "", "members": [county.pk]},
    )
    network = Network.objects.get()
    assert response["Location"] == network.get_absolute_url()
    assert list(network.members.all()) == [county]
    assert not network.is_public

    client.post(
        reverse("development:network_edit", kwargs={"uuid": network.uuid}),
        {
            "name": "Satakunnan LAPE-verkosto",
            "name_sv": "Satakunta LAPE-nätverk",
            "members": [],
            "is_public": "on",
            "version": network.version,
        },
    )
    network.refresh_from_db()
    assert network.is_public
    assert network.name_sv == "Satakunta LAPE-nätverk"
    assert not network.members.exists()


def test_a_contact_person_is_added_with_work_details_and_basis(client, planner, internal):
    client.force_login(planner)
    url = reverse("development:network_contact_add", kwargs={"uuid": internal.uuid})

    response = client.post(
        url,
        {
            "name": "Ville Verkko",
            "organisation": "",
            "work_role": "Perhekeskuksen koordinaattori",
            "work_email": "ville.verkko@example.invalid",
            "work_phone": "",
            "basis": ContactBasis.LEGITIMATE_INTEREST,
            "retention_note": "Poistetaan, kun tehtävä päättyy.",
        },
    )

    assert response.status_code == 302
    contact = NetworkContact.objects.get(name="Ville Verkko")
    assert contact.network == internal
    assert contact.added_by == planner
    assert contact.basis == ContactBasis.LEGITIMATE_INTEREST


def test_a_contact_person_needs_a_work_contact(client, planner, internal):
    client.force_login(planner)
    response = client.post(
        reverse("development:network_contact_add", kwargs={"uuid": internal.uuid}),
        {
            "name": "Ville Verkko",
            "work_role": "Koordinaattori",
            "work_email": "",
            "work_phone": "",
            "basis": ContactBasis.CONSENT,
            "retention_note": "Vuoden loppuun.",
        },
    )
    assert response.status_code == 200
    assert "work_email_error" in response.content.decode()
    assert not NetworkContact.objects.filter(name="Ville Verkko").exists()


def test_a_contact_person_is_removed(client, planner, internal):
    contact = internal.contacts.get()
    client.force_login(planner)
    client.post(
        reverse(
            "development:network_contact_remove",
            kwargs={"uuid": internal.uuid, "contact": contact.uuid},
        )
    )
    assert not internal.contacts.exists()


def test_a_contact_of_another_network_is_not_removed_through_this_one(planner, internal, public):
    contact = public.contacts.get()
    with pytest.raises(WorkflowError):
        services.remove_contact(internal, contact.uuid, by=planner)
    assert NetworkContact.objects.filter(pk=contact.pk).exists()


# Meetings -----------------------------------------------------------------------------------


def test_an_event_becomes_a_meeting_and_is_listed(client, planner, internal):
    event = EventFactory(title="Verkoston kevättapaaminen")
    client.force_login(planner)

    client.post(
        reverse("development:network_meeting_add", kwargs={"uuid": internal.uuid}),
        {"event": event.pk},
    )

    assert NetworkMeeting.objects.get().event == event
    assert "Verkoston kevättapaaminen" in client.get(internal.get_absolute_url()).content.decode()

    client.post(
        reverse(
            "development:network_meeting_remove",
            kwargs={"uuid": internal.uuid, "event": event.uuid},
        )
    )
    assert not NetworkMeeting.objects.exists()


def test_an_event_belongs_to_one_network_at_most(planner, internal, public):
    meeting = NetworkMeetingFactory(network=public)
    with pytest.raises(WorkflowError):
        services.add_meeting(internal, meeting.event, by=planner)
    assert NetworkMeeting.objects.get().network == public


def test_a_visitor_sees_only_the_public_meetings(client, public):
    NetworkMeetingFactory(network=public, event__title="Avoin seminaari", event__is_public=True)
    NetworkMeetingFactory(network=public, event__title="Sisäinen palaveri", event__is_public=False)

    page = client.get(public.get_absolute_url()).content.decode()

    assert "Avoin seminaari" in page
    assert "Sisäinen palaveri" not in page


def test_only_staff_manage_in_the_service(sw_pori, internal):
    with pytest.raises(WorkflowError):
        services.add_meeting(internal, EventFactory(), by=sw_pori)
