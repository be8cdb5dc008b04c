import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from guardianship.enums import AssignmentStatus
from guardianship.factories import AssignmentFactory, GuardianFactory
from guardianship.models import GuardianTraining
from support.factories import TrainingEventFactory, TrainingSignupFactory
from support.models import SupportContact, TrainingEvent, TrainingSignup

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian(guardian_user):
    return GuardianFactory(user=guardian_user)


def training(days, capacity=None, title="Edunvalvojan peruskoulutus"):
    """A training `days` from now (before now when negative)."""
    return TrainingEventFactory(
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        capacity=capacity,
    )


def test_a_guardian_signs_up_once_and_a_full_training_is_refused(client, guardian):
    event = training(10, capacity=1)
    client.force_login(guardian.user)
    url = reverse("support:training_signup", kwargs={"uuid": event.uuid})
    client.post(url)
    response = client.post(url, follow=True)
    assert TrainingSignup.objects.filter(event=event).count() == 1
    assert "already" in response.content.decode() or "jo" in response.content.decode()
    other = make_user("guardian", username="late-guardian")
    GuardianFactory(user=other)
    client.force_login(other)
    response = client.post(url, follow=True)
    assert TrainingSignup.objects.filter(event=event).count() == 1
    assert "full" in response.content.decode() or "täynnä" in response.content.decode()


def test_a_past_training_cannot_be_signed_up_for(client, guardian):
    event = training(-1)
    client.force_login(guardian.user)
    client.post(reverse("support:training_signup", kwargs={"uuid": event.uuid}))
    assert not TrainingSignup.objects.exists()


def test_attendance_records_the_training_done_and_the_pool_shows_it(client, guardian, coordinator):
    event = training(-2)
    absent = GuardianFactory()
    TrainingSignupFactory(event=event, guardian=guardian)
    TrainingSignupFactory(event=event, guardian=absent)
    client.force_login(coordinator)
    client.post(
        reverse("support:training_attendance", kwargs={"uuid": event.uuid}),
        {"attended": [str(guardian.pk)]},
    )
    assert list(GuardianTraining.objects.values_list("guardian", flat=True)) == [guardian.pk]
    assert TrainingSignup.objects.get(guardian=absent).attended is False
    pool = client.get(reverse("guardianship:guardian_list"))
    done = {g.pk: g.trainings_done for g in pool.context["guardians"]}
    assert done[guardian.pk] == 1 and done[absent.pk] == 0
    # Saving the same attendance again records nothing twice.
    client.post(
        reverse("support:training_attendance", kwargs={"uuid": event.uuid}),
        {"attended": [str(guardian.pk)]},
    )
    assert GuardianTraining.objects.count() == 1


def test_the_guardian_page_shows_upcoming_trainings_history_and_support(
    client, guardian, coordinator
):
    upcoming = training(5, title="Vertaistapaaminen syksy")
    past = training(-30, title="Kevään koulutus")
    TrainingSignupFactory(event=upcoming, guardian=guardian)
    TrainingSignupFactory(event=past, guardian=guardian, attended=True)
    request = AssignmentFactory(
        guardian=guardian, proposed_by=coordinator, status=AssignmentStatus.ACTIVE
    ).request
    client.force_login(coordinator)
    response = client.post(
        reverse("support:support_contact_create", kwargs={"uuid": guardian.uuid}),
        {"kind": "consultation", "date": "2026-11-20", "request": request.pk, "notes": "Neuvoin."},
    )
    assert response.status_code == 302
    contact = SupportContact.objects.get()
    assert (contact.request, contact.recorded_by) == (request, coordinator)
    html = client.get(guardian.get_absolute_url()).content.decode()
    assert "Vertaistapaaminen syksy" in html and "Kevään koulutus" in html
    assert "Neuvoin." in html


def test_a_support_contact_with_bad_input_is_explained(client, guardian, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("support:support_contact_create", kwargs={"uuid": guardian.uuid}),
        {"kind": "party", "date": "not a date"},
        follow=True,
    )
    assert not SupportContact.objects.exists()
    assert response.status_code == 200
    assert 'class="message message--error"' in response.content.decode()


def test_trainings_page_for_guardians_and_coordinators(client, guardian, coordinator, sw_pori):
    training(3, title="Tuleva koulutus")
    client.force_login(guardian.user)
    assert "Tuleva koulutus" in client.get(reverse("support:training_list")).content.decode()
    client.force_login(sw_pori)
    assert client.get(reverse("support:training_list")).status_code == 403
    client.force_login(coordinator)
    response = client.post(
        reverse("support:training_create"),
        {"title": "Uusi", "starts_at": "2026-12-01T09:00", "place": "Teams"},
    )
    assert response.status_code == 302
    assert TrainingEvent.objects.filter(title="Uusi").exists()


def test_the_training_list_shows_places_sign_up_and_what_the_guardian_has_chosen(
    client, guardian, coordinator
):
    """Its items through Jinja2 (support.rows): a guardian signs up with a form that carries
    the CSRF token, sees the places taken and the trainings chosen; a coordinator links to
    each training's page and has no sign-up button."""
    full = training(5, capacity=3, title="Kurssi A")
    TrainingSignupFactory(event=full, guardian=guardian)
    open_one = training(6, title="Kurssi B")
    training(-30, title="Mennyt kurssi")
    client.force_login(guardian.user)
    html = client.get(reverse("support:training_list")).content.decode()
    a = html.split("Kurssi A", 1)[1].split("</li>", 1)[0]
    b = html.split("Kurssi B", 1)[1].split("</li>", 1)[0]
    assert "(1/3 paikkaa varattu)" in a and "Olet ilmoittautunut." in a and "<form" not in a
    signup = reverse("support:training_signup", kwargs={"uuid": open_one.uuid})
    assert f'<form method="post" action="{signup}">' in b
    assert 'name="csrfmiddlewaretoken"' in b
    assert client.post(signup).status_code == 302
    assert TrainingSignup.objects.filter(event=open_one, guardian=guardian).exists()
    assert "Mennyt kurssi" in html
    client.force_login(coordinator)
    html = client.get(reverse("support:training_list")).content.decode()
    detail = reverse("support:training_detail", kwargs={"uuid": full.uuid})
    assert f'<a href="{detail}">Kurssi A</a>' in html
    assert signup not in html and 'class="button">Ilmoittaudu</button>' not in html


def test_a_support_contact_names_only_a_case_of_that_guardian(client, guardian, coordinator):
    """The form offers the guardian's own cases, each once, by reference; another
    guardian's case is refused."""
    own = AssignmentFactory(guardian=guardian, proposed_by=coordinator).request
    AssignmentFactory(
        guardian=guardian, proposed_by=coordinator, request=own, status=AssignmentStatus.DECLINED
    )
    other = AssignmentFactory(proposed_by=coordinator).request
    client.force_login(coordinator)
    html = client.get(guardian.get_absolute_url()).content.decode()
    assert html.count(f'<option value="{own.pk}">{own.reference}</option>') == 1
    assert f'value="{other.pk}"' not in html
    response = client.post(
        reverse("support:support_contact_create", kwargs={"uuid": guardian.uuid}),
        {"kind": "consultation", "date": "2026-11-20", "request": other.pk},
        follow=True,
    )
    assert not SupportContact.objects.exists()
    assert 'class="message message--error"' in response.content.decode()
