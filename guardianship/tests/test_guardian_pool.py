"""The guardian pool: the list, its filters, matching a request, and the guardian form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from guardianship import services
from guardianship.enums import AssignmentStatus, Availability, Background, Language, State
from guardianship.factories import AssignmentFactory, GuardianFactory, GuardianshipRequestFactory
from guardianship.matching import rank_guardians
from guardianship.models import Guardian, GuardianTraining
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db


def in_english(client):
    """The pages in English, as chosen with the language button (the browser's
    Accept-Language no longer picks the language: issue 16, part 7)."""
    client.cookies["django_language"] = "en"


def org(slug):
    return Organisation.objects.get(slug=slug)


def today():
    return timezone.localdate()


def give_cases(guardian, coordinator, *statuses):
    """One assignment in each given status, each on a request of its own."""
    for status in statuses:
        AssignmentFactory(guardian=guardian, status=status, proposed_by=coordinator)


def ranked(request):
    with translation.override("en"):
        return rank_guardians(request)


def names(candidates):
    return [c.guardian.last_name for c in candidates]


# --- The list ------------------------------------------------------------------------------


def test_the_list_shows_the_load_against_capacity(client, coordinator):
    busy = GuardianFactory(last_name="Aalto", capacity=3)
    give_cases(
        busy,
        coordinator,
        AssignmentStatus.ACTIVE,
        AssignmentStatus.ACTIVE,
        # Only serving cases count towards the load.
        AssignmentStatus.PROPOSED,
        AssignmentStatus.ENDED,
        AssignmentStatus.DECLINED,
    )
    full = GuardianFactory(last_name="Berg", capacity=1)
    give_cases(full, coordinator, AssignmentStatus.ACTIVE)
    GuardianFactory(last_name="Castrén", capacity=2)

    client.force_login(coordinator)
    in_english(client)
    response = client.get(reverse("guardianship:guardian_list"))

    assert response.status_code == 200
    loads = {g.last_name: (g.load, g.capacity) for g in response.context["guardians"]}
    assert loads == {"Aalto": (2, 3), "Berg": (1, 1), "Castrén": (0, 2)}
    rows = response.content.decode().split("<tr>")[2:]
    row = {name: next(r for r in rows if name in r) for name in loads}
    assert "2 / 3" in row["Aalto"] and "full" not in row["Aalto"]
    assert "1 / 1" in row["Berg"] and "full" in row["Berg"]
    assert "0 / 2" in row["Castrén"]


def test_the_load_does_not_grow_with_the_trainings_done(client, coordinator):
    trained = GuardianFactory(last_name="Aalto", capacity=5)
    give_cases(trained, coordinator, AssignmentStatus.ACTIVE, AssignmentStatus.ACTIVE)
    for title in ("Peruskoulutus", "Lastensuojelulaki", "Vertaistapaaminen"):
        GuardianTraining.objects.create(
            guardian=trained, title=title, completed_on=datetime.date(2025, 3, 1)
        )

    client.force_login(coordinator)
    in_english(client)
    response = client.get(reverse("guardianship:guardian_list"))

    (shown,) = response.context["guardians"]
    assert shown.trainings_done == 3
    assert (shown.load, shown.capacity) == (2, 5)
    assert "2 / 5" in response.content.decode()


@pytest.fixture
def pool():
    return {
        "fi_pori": GuardianFactory(last_name="Aalto", languages=["fi"], areas=[org("pori")]),
        "sv_rauma": GuardianFactory(last_name="Berg", languages=["fi", "sv"], areas=[org("rauma")]),
        "en_both": GuardianFactory(
            last_name="Castrén", languages=["en"], areas=[org("pori"), org("rauma")]
        ),
        "paused": GuardianFactory(
            last_name="Duncker",
            languages=["sv"],
            availability=Availability.PAUSED,
            paused_until=today() + datetime.timedelta(days=30),
        ),
        "inactive": GuardianFactory(
            last_name="Eklund", languages=["fi"], availability=Availability.INACTIVE
        ),
    }


FILTERS = [
    ({}, ["Aalto", "Berg", "Castrén", "Duncker", "Eklund"]),
    ({"language": "sv"}, ["Berg", "Duncker"]),
    ({"language": "en"}, ["Castrén"]),
    ({"area": "rauma"}, ["Berg", "Castrén"]),
    ({"area": "pori", "language": "fi"}, ["Aalto"]),
    ({"availability": "paused"}, ["Duncker"]),
    ({"availability": "inactive"}, ["Eklund"]),
    ({"availability": "active", "language": "fi"}, ["Aalto", "Berg"]),
    ({"q": "berg"}, ["Berg"]),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param(params, expected, id="&".join(f"{k}={v}" for k, v in params.items()) or "all")
        for params, expected in FILTERS
    ],
)
def test_the_list_filters(client, coordinator, pool, params, expected):
    client.force_login(coordinator)
    in_english(client)
    response = client.get(reverse("guardianship:guardian_list"), params)
    assert response.status_code == 200
    assert [g.last_name for g in response.context["guardians"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"language": "klingon"}, "language"),
        ({"area": "atlantis"}, "area"),
        ({"availability": "asleep"}, "availability"),
        ({"area": "pori", "language": "xx"}, "language"),
    ],
    ids=["language", "area", "availability", "one-of-two"],
)
def test_an_invalid_filter_shows_a_form_error_not_a_500(client, coordinator, pool, params, field):
    client.force_login(coordinator)
    in_english(client)
    response = client.get(reverse("guardianship:guardian_list"), params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert list(response.context["guardians"]) == []
    assert str(form.errors[field][0]) in response.content.decode().replace("&#x27;", "'")


# --- Matching ------------------------------------------------------------------------------


def test_paused_and_inactive_guardians_are_hidden_from_matching(coordinator):
    request = GuardianshipRequestFactory()
    GuardianFactory(last_name="Aktiivinen")
    GuardianFactory(
        last_name="Lomalla",
        availability=Availability.PAUSED,
        paused_until=today() + datetime.timedelta(days=7),
    )
    GuardianFactory(
        last_name="Palannut",
        availability=Availability.PAUSED,
        paused_until=today() - datetime.timedelta(days=1),
    )
    GuardianFactory(last_name="Lopettanut", availability=Availability.INACTIVE)

    assert sorted(names(ranked(request))) == ["Aktiivinen", "Palannut"]


def test_the_matching_page_shows_only_the_available(client, coordinator):
    request = GuardianshipRequestFactory()
    back = GuardianFactory(
        last_name="Palannut",
        availability=Availability.PAUSED,
        paused_until=today() - datetime.timedelta(days=1),
    )
    away = GuardianFactory(
        last_name="Lomalla",
        availability=Availability.PAUSED,
        paused_until=today() + datetime.timedelta(days=7),
    )
    gone = GuardianFactory(last_name="Lopettanut", availability=Availability.INACTIVE)

    client.force_login(coordinator)
    page = client.get(
        reverse("guardianship:request_matching", kwargs={"uuid": request.uuid})
    ).content.decode()

    assert back.full_name in page
    assert away.full_name not in page
    assert gone.full_name not in page


def test_a_candidate_shows_who_they_are_why_and_a_button_to_propose_them(client, coordinator):
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    guardian = GuardianFactory(
        first_name="Linnea",
        last_name="<Holmberg>",
        background=Background.SOCIAL_WORK,
        languages=[Language.FINNISH, Language.SWEDISH],
        capacity=3,
    )
    client.force_login(coordinator)
    page = client.get(
        reverse("guardianship:request_matching", kwargs={"uuid": request.uuid})
    ).content.decode()

    detail = reverse("guardianship:guardian_detail", kwargs={"uuid": guardian.uuid})
    assert f'<a href="{detail}">Linnea &lt;Holmberg&gt;</a>' in page
    assert "Sosiaalityö – Suomi, Ruotsi – 0/3 asiaa" in page
    propose = reverse("guardianship:request_step", kwargs={"uuid": request.uuid, "step": "propose"})
    form = page[page.index(f'<form method="post" action="{propose}">') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<input type="hidden" name="guardian" value="{guardian.uuid}">' in form
    assert "Ehdota: Linnea &lt;Holmberg&gt;</button>" in form


@pytest.mark.parametrize(
    ("availability", "paused_days"), [(Availability.INACTIVE, None), (Availability.PAUSED, 7)]
)
def test_an_unavailable_guardian_cannot_be_proposed(coordinator, availability, paused_days):
    request = GuardianshipRequestFactory()
    guardian = GuardianFactory(
        availability=availability,
        paused_until=today() + datetime.timedelta(days=paused_days) if paused_days else None,
    )
    with pytest.raises(services.WorkflowError):
        services.propose_guardian(request, guardian, by=coordinator)
    request.refresh_from_db()
    assert request.state == State.RECEIVED
    assert not request.assignments.exists()


def test_a_guardian_back_from_a_pause_can_be_proposed(coordinator):
    request = GuardianshipRequestFactory()
    guardian = GuardianFactory(
        availability=Availability.PAUSED, paused_until=today() - datetime.timedelta(days=1)
    )
    assignment = services.propose_guardian(request, guardian, by=coordinator)
    assert assignment.status == AssignmentStatus.PROPOSED


def test_the_sibling_s_guardian_ranks_first_then_language_then_area(coordinator):
    sibling = GuardianshipRequestFactory()
    serving = GuardianFactory(last_name="Sisarus", languages=["sv"])
    services.accept_proposal(
        services.propose_guardian(sibling, serving, by=coordinator), by=coordinator
    )
    request = GuardianshipRequestFactory(sibling_request=sibling)  # a Finnish child of Pori

    GuardianFactory(last_name="Kieli", languages=["fi"], areas=[org("rauma")])
    GuardianFactory(last_name="KieliJaAlue", languages=["fi"], areas=[org("pori")])
    GuardianFactory(last_name="Alue", languages=["sv"], areas=[org("pori")])
    GuardianFactory(last_name="EiMitaan", languages=["en"], areas=[org("rauma")])

    candidates = ranked(request)

    assert names(candidates) == ["Sisarus", "KieliJaAlue", "Kieli", "Alue", "EiMitaan"]
    assert "Already the guardian of a sibling" in candidates[0].reasons
    assert "Does not speak every child's language" in candidates[0].warnings
    assert "Serves the child's home municipality" in candidates[1].reasons


def test_an_ended_sibling_assignment_gives_no_preference(coordinator):
    sibling = GuardianshipRequestFactory()
    former = GuardianFactory(last_name="Entinen", languages=["sv"])
    services.accept_proposal(
        services.propose_guardian(sibling, former, by=coordinator), by=coordinator
    )
    services.cancel_request(sibling, by=coordinator, reason="Asia raukesi.")
    request = GuardianshipRequestFactory(sibling_request=sibling)
    GuardianFactory(last_name="Kieli", languages=["fi"])

    candidates = ranked(request)

    assert names(candidates) == ["Kieli", "Entinen"]
    assert "Already the guardian of a sibling" not in candidates[1].reasons


def test_siblings_in_two_languages_want_a_guardian_who_speaks_both(coordinator):
    request = GuardianshipRequestFactory(children=0)
    request_children = [("fi", "Aino"), ("sv", "Elsa")]
    for language, first_name in request_children:
        request.children.create(
            first_name=first_name,
            last_name="Saloranta",
            date_of_birth=datetime.date(2016, 5, 1),
            home_municipality=org("pori"),
            mother_tongue=language,
        )
    GuardianFactory(last_name="Suomi", languages=["fi"])
    GuardianFactory(last_name="Kaksikielinen", languages=["sv", "fi"])

    assert names(ranked(request)) == ["Kaksikielinen", "Suomi"]


def test_an_over_capacity_guardian_is_warned_about_but_can_be_proposed(client, coordinator):
    request = GuardianshipRequestFactory()
    full = GuardianFactory(last_name="Täynnä", capacity=1, areas=[org("pori")])
    give_cases(full, coordinator, AssignmentStatus.ACTIVE)

    (candidate,) = ranked(request)
    assert candidate.guardian == full
    assert "Over capacity: 1 cases of 1" in candidate.warnings

    client.force_login(coordinator)
    in_english(client)
    page = client.get(
        reverse("guardianship:request_matching", kwargs={"uuid": request.uuid})
    ).content.decode()
    assert "Over capacity: 1 cases of 1" in page
    assert f"Propose {full.full_name}" in page

    client.post(
        reverse("guardianship:request_step", kwargs={"uuid": request.uuid, "step": "propose"}),
        {"guardian": full.uuid},
    )
    request.refresh_from_db()
    assert request.state == State.PROPOSED
    assert request.assignments.get().guardian == full


def test_the_over_capacity_guardian_ranks_below_one_with_room(coordinator):
    request = GuardianshipRequestFactory()
    full = GuardianFactory(last_name="Täynnä", capacity=1)
    give_cases(full, coordinator, AssignmentStatus.ACTIVE)
    GuardianFactory(last_name="Tilaa", capacity=1)

    candidates = ranked(request)

    assert names(candidates) == ["Tilaa", "Täynnä"]
    assert candidates[0].warnings == []
    assert services.propose_guardian(request, full, by=coordinator).guardian == full


def test_a_guardian_who_declined_is_not_offered_again(client, coordinator):
    request = GuardianshipRequestFactory()
    declined = GuardianFactory(last_name="Kieltäytyi")
    other = GuardianFactory(last_name="Toinen")
    services.decline_proposal(
        services.propose_guardian(request, declined, by=coordinator),
        by=coordinator,
        reason="Lomalla koko kevään.",
    )
    request.refresh_from_db()
    assert request.state == State.SEARCHING

    assert names(ranked(request)) == ["Toinen"]
    client.force_login(coordinator)
    page = client.get(
        reverse("guardianship:request_matching", kwargs={"uuid": request.uuid})
    ).content.decode()
    assert other.full_name in page
    assert declined.full_name not in page

    # On another request the same guardian is offered as usual.
    assert "Kieltäytyi" in names(ranked(GuardianshipRequestFactory()))


# --- The guardian form ---------------------------------------------------------------------


def guardian_form_data(**overrides):
    data = {
        "first_name": "Liisa",
        "last_name": "Lahtinen",
        "email": "liisa@example.invalid",
        "phone": "040 765 4321",
        "address": "",
        "background": Background.LAWYER,
        "languages": [Language.FINNISH, Language.SWEDISH],
        "areas": [org("pori").pk, org("rauma").pk],
        "capacity": "4",
        "availability": Availability.ACTIVE,
        "paused_until": "",
        "notes": "",
        "user": "",
    }
    data.update(overrides)
    return data


def test_a_paused_guardian_needs_the_date_the_pause_ends(client, coordinator):
    client.force_login(coordinator)
    in_english(client)
    response = client.post(
        reverse("guardianship:guardian_create"),
        guardian_form_data(availability=Availability.PAUSED),
    )
    assert response.status_code == 200
    assert "paused_until" in response.context["form"].errors
    assert "Give the date the pause ends." in response.content.decode()
    assert not Guardian.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"languages": []}, "languages"),
        ({"languages": ["klingon"]}, "languages"),
        ({"email": "ei-sahkopostia"}, "email"),
        ({"capacity": "60"}, None),
    ],
    ids=["no-language", "unknown-language", "bad-email", "capacity-over-50"],
)
def test_the_guardian_form_refuses_bad_input(client, coordinator, overrides, field):
    client.force_login(coordinator)
    response = client.post(reverse("guardianship:guardian_create"), guardian_form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors
    if field:
        assert field in errors
    assert not Guardian.objects.exists()


def test_creating_a_guardian_saves_languages_and_areas(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("guardianship:guardian_create"), guardian_form_data())

    guardian = Guardian.objects.get()
    assert response.status_code == 302
    assert response["Location"] == guardian.get_absolute_url()
    assert guardian.languages == [Language.FINNISH, Language.SWEDISH]
    assert set(guardian.areas.values_list("slug", flat=True)) == {"pori", "rauma"}
    assert (guardian.background, guardian.capacity) == (Background.LAWYER, 4)
    in_english(client)
    page = client.get(guardian.get_absolute_url()).content.decode()
    assert "Swedish" in page and "Rauma" in page


def test_editing_a_guardian_saves_languages_areas_and_a_pause(client, coordinator):
    guardian = GuardianFactory(languages=["fi"], areas=[org("pori")])
    url = reverse("guardianship:guardian_edit", kwargs={"uuid": guardian.uuid})
    until = today() + datetime.timedelta(days=14)
    client.force_login(coordinator)

    response = client.post(
        url,
        guardian_form_data(
            languages=[Language.SWEDISH],
            areas=[org("rauma").pk],
            availability=Availability.PAUSED,
            paused_until=until.isoformat(),
        ),
    )

    assert response.status_code == 302
    guardian.refresh_from_db()
    assert guardian.languages == [Language.SWEDISH]
    assert list(guardian.areas.values_list("slug", flat=True)) == ["rauma"]
    assert (guardian.availability, guardian.paused_until) == (Availability.PAUSED, until)
    assert guardian not in Guardian.objects.available()

    # Back to active: the old pause date is cleared, and matching offers the guardian again.
    client.post(url, guardian_form_data(paused_until=until.isoformat()))
    guardian.refresh_from_db()
    assert (guardian.availability, guardian.paused_until) == (Availability.ACTIVE, None)
    assert guardian in Guardian.objects.available()
