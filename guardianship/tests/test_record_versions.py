"""Two people editing one record at once (issue 16, part 5): the second save does not undo
the first; it is shown the first one's change instead, and nothing is overwritten."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.factories import make_user
from accounts.roles import Role
from common.tests.edit_forms import CONFLICT, as_post, loaded
from guardianship import services
from guardianship.enums import State
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import Guardian, GuardianshipRequest


def coordinators():
    return (
        make_user(Role.COORDINATOR, ["pikassos"], username="alice-c"),
        make_user(Role.COORDINATOR, ["pikassos"], username="bob-c"),
    )


@pytest.mark.django_db
def test_the_second_save_shows_the_first_instead_of_undoing_it():
    alice, bob = coordinators()
    guardian = GuardianFactory(phone="040 111 1111", notes="")
    url = reverse("guardianship:guardian_edit", kwargs={"uuid": guardian.uuid})
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(bob)
    alices = loaded(first, url)
    bobs = loaded(second, url)
    assert alices["version"] == bobs["version"] == "1"

    assert first.post(url, {**alices, "phone": "040 222 2222"}).status_code == 302
    response = second.post(url, {**bobs, "notes": "Lomalla heinäkuun."})

    assert response.status_code == 200
    html = response.content.decode()
    assert CONFLICT in html
    # What Alice saved is shown beside what Bob sent, field by field.
    assert response.context["form"].changed_meanwhile == [
        ("Puhelin", "040 222 2222", "040 111 1111"),
        ("Muistiinpanot", "—", "Lomalla heinäkuun."),
    ]
    assert "Toinen käyttäjä muutti sillä välin" in html and "040 222 2222" in html
    # Nothing of Bob's was saved; Alice's change stays.
    guardian.refresh_from_db()
    assert (guardian.phone, guardian.notes, guardian.version) == ("040 222 2222", "", 2)
    # Bob's form keeps what he typed and now carries the version he has seen: saving it
    # again replaces Alice's version knowingly.
    assert response.context["form"]["notes"].value() == "Lomalla heinäkuun."
    assert 'name="version" value="2"' in html
    again = as_post(response.context["form"])
    assert second.post(url, again).status_code == 302
    guardian.refresh_from_db()
    assert (guardian.notes, guardian.version) == ("Lomalla heinäkuun.", 3)


@pytest.mark.django_db
def test_a_save_in_the_admin_is_noticed_too(admin_client):
    alice, _bob = coordinators()
    guardian = GuardianFactory(phone="040 111 1111")
    url = reverse("guardianship:guardian_edit", kwargs={"uuid": guardian.uuid})
    client = Client()
    client.force_login(alice)
    data = loaded(client, url)
    guardian.phone = "040 333 3333"
    guardian.save()  # the admin's save, or anyone's: a full save moves the version on

    response = client.post(url, {**data, "capacity": "5"})

    assert CONFLICT in response.content.decode()
    guardian.refresh_from_db()
    assert (guardian.phone, guardian.capacity) == ("040 333 3333", 3)


# The request draft: two social workers of one team ------------------------------------


@pytest.fixture
def pori_workers(db):
    return (
        make_user(
            Role.SOCIAL_WORKER,
            ["satakunnan-hyvinvointialue"],
            units=["Lastensuojelu, Pori"],
            username="sw-a",
        ),
        make_user(
            Role.SOCIAL_WORKER,
            ["satakunnan-hyvinvointialue"],
            units=["Lastensuojelu, Pori"],
            username="sw-b",
        ),
    )


def draft_form(client, url):
    """The draft's edit form as loaded, with the custodian a request needs filled in."""
    data = loaded(client, url, "formset", "custodians")
    data.update({"custodians-0-name": "Maija Mallikas", "custodians-0-relation": "mother"})
    return data


def draft_of(worker):
    return GuardianshipRequestFactory(
        state=State.DRAFT, submitted_at=None, created_by=worker, responsible_worker=worker
    )


@pytest.mark.django_db
def test_two_workers_editing_one_draft(pori_workers):
    anna, ben = pori_workers
    draft = draft_of(anna)
    url = reverse("guardianship:request_edit", kwargs={"uuid": draft.uuid})
    first, second = Client(), Client()
    first.force_login(anna)
    second.force_login(ben)
    annas = draft_form(first, url)
    bens = draft_form(second, url)

    assert first.post(url, {**annas, "worker_phone": "040 999 9999"}).status_code == 302
    response = second.post(url, {**bens, "custodian_notes": "Isä tavoittaa aamuisin."})

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    rows = response.context["form"].changed_meanwhile
    assert [(saved, sent) for _label, saved, sent in rows] == [
        ("040 999 9999", "040 123 4567"),
        ("Äiti ja isä", "Isä tavoittaa aamuisin."),
    ]
    draft.refresh_from_db()
    assert draft.worker_phone == "040 999 9999"
    assert draft.custodian_notes != "Isä tavoittaa aamuisin."
    assert draft.state == State.DRAFT


@pytest.mark.django_db
def test_a_draft_submitted_meanwhile_is_not_turned_back_into_a_draft(pori_workers):
    anna, ben = pori_workers
    draft = draft_of(anna)
    url = reverse("guardianship:request_edit", kwargs={"uuid": draft.uuid})
    client = Client()
    client.force_login(ben)
    data = draft_form(client, url)
    services.submit_request(draft, by=anna)

    response = client.post(url, {**data, "worker_phone": "040 999 9999"}, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Vain luonnosta voi muokata."]
    draft.refresh_from_db()
    assert draft.state == State.RECEIVED
    assert draft.worker_phone != "040 999 9999"


# Two real people at the same moment: two threads, two connections ----------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_at_the_same_moment_keep_exactly_one():
    alice, bob = coordinators()
    guardian = GuardianFactory(phone="040 111 1111", notes="")
    url = reverse("guardianship:guardian_edit", kwargs={"uuid": guardian.uuid})
    clients = {"alice": Client(), "bob": Client()}
    clients["alice"].force_login(alice)
    clients["bob"].force_login(bob)
    sent = {
        "alice": {**loaded(clients["alice"], url), "phone": "040 222 2222"},
        "bob": {**loaded(clients["bob"], url), "phone": "040 333 3333"},
    }
    barrier = threading.Barrier(2)
    answers = {}

    def save(name):
        try:
            barrier.wait()
            response = clients[name].post(url, sent[name])
            answers[name] = (response.status_code, CONFLICT in response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in sent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers.values()) == [(200, True), (302, False)]
    winner = next(name for name, (status, _c) in answers.items() if status == 302)
    guardian = Guardian.objects.get(pk=guardian.pk)
    assert guardian.phone == sent[winner]["phone"]
    assert guardian.version == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_draft_saves_at_the_same_moment_keep_exactly_one(pori_workers):
    anna, ben = pori_workers
    draft = draft_of(anna)
    url = reverse("guardianship:request_edit", kwargs={"uuid": draft.uuid})
    clients = {"anna": Client(), "ben": Client()}
    clients["anna"].force_login(anna)
    clients["ben"].force_login(ben)
    sent = {
        name: {**draft_form(client, url), "worker_phone": f"040 {name}"}
        for name, client in clients.items()
    }
    barrier = threading.Barrier(2)
    answers = {}

    def save(name):
        try:
            barrier.wait()
            response = clients[name].post(url, sent[name])
            answers[name] = (response.status_code, CONFLICT in response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in sent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answers.values()) == [(200, True), (302, False)]
    winner = next(name for name, (status, _c) in answers.items() if status == 302)
    assert GuardianshipRequest.objects.get(pk=draft.pk).worker_phone == f"040 {winner}"
