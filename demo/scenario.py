"""A living demo: a few guardians and a dozen synthetic requests in different states.

Identity codes use the temporary range 900-999, so they never belong to a real person.
Requests are moved through the real workflow services, so their timelines are real.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from guardianship.enums import (
    OPEN_STATES,
    Availability,
    Background,
    Language,
    Matter,
    State,
    StepName,
    Urgency,
)
from guardianship.models import Child, Guardian, GuardianshipRequest, GuardianTraining
from guardianship.steps import STEPS
from municipalities.models import Organisation

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# (email, first, last, background, languages, capacity, availability, username)
GUARDIANS = [
    (
        "eeva.edunvalvoja@example.invalid",
        "Eeva",
        "Edunvalvoja",
        Background.SOCIAL_WORK,
        [Language.FINNISH, Language.SWEDISH],
        4,
        Availability.ACTIVE,
        "guardian",
    ),
    (
        "lauri.lakimies@example.invalid",
        "Lauri",
        "Lakimies",
        Background.LAWYER,
        [Language.FINNISH, Language.ENGLISH],
        3,
        Availability.ACTIVE,
        None,
    ),
    (
        "sofia.sjoberg@example.invalid",
        "Sofia",
        "Sjöberg",
        Background.SOCIAL_WORK,
        [Language.SWEDISH, Language.FINNISH],
        2,
        Availability.ACTIVE,
        None,
    ),
    (
        "matti.makinen@example.invalid",
        "Matti",
        "Mäkinen",
        Background.OTHER,
        [Language.FINNISH],
        2,
        Availability.PAUSED,
        None,
    ),
    (
        "anna.aalto@example.invalid",
        "Anna",
        "Aalto",
        Background.LAWYER,
        [Language.FINNISH],
        3,
        Availability.INACTIVE,
        None,
    ),
]

# (organisation slug, children [(first, last, birth date, language)], matter, urgency,
#  target state)
REQUESTS = [
    (
        "pori",
        [("Aino", "Demo", "120315", "fi"), ("Eino", "Demo", "040617", "fi")],
        Matter.CARE_ORDER,
        Urgency.URGENT,
        State.RECEIVED,
    ),
    (
        "pori",
        [("Lilja", "Esimerkki", "230910", "fi")],
        Matter.SUBSTITUTE_CARE,
        Urgency.NORMAL,
        State.SEARCHING,
    ),
    (
        "pori",
        [("Oliver", "Testi", "110112", "sv")],
        Matter.CRIMINAL,
        Urgency.URGENT,
        State.PROPOSED,
    ),
    (
        "pori",
        [("Helmi", "Kuvitteellinen", "300608", "fi")],
        Matter.OPEN_CARE,
        Urgency.NORMAL,
        State.CONSENT_GIVEN,
    ),
    (
        "pori",
        [("Leo", "Malli", "150911", "fi")],
        Matter.CARE_ORDER,
        Urgency.NORMAL,
        State.APPLICATION_FILED,
    ),
    (
        "pori",
        [("Venla", "Demo", "010107", "fi")],
        Matter.AFTER_CARE,
        Urgency.NORMAL,
        State.APPOINTED,
    ),
    (
        "pori",
        [("Onni", "Esimerkki", "220806", "fi")],
        Matter.CARE_ORDER,
        Urgency.NORMAL,
        State.ENDED,
    ),
    (
        "rauma",
        [("Ella", "Testinen", "050513", "fi")],
        Matter.CARE_ORDER,
        Urgency.NORMAL,
        State.RECEIVED,
    ),
    (
        "rauma",
        [("Elias", "Mallinen", "170714", "en"), ("Aada", "Mallinen", "090216", "en")],
        Matter.SUBSTITUTE_CARE,
        Urgency.URGENT,
        State.SEARCHING,
    ),
    (
        "rauma",
        [("Iida", "Demo", "280209", "fi")],
        Matter.OTHER,
        Urgency.NORMAL,
        State.CONSENT_GIVEN,
    ),
    (
        "rauma",
        [("Niilo", "Kuvitelma", "131110", "fi")],
        Matter.CRIMINAL,
        Urgency.NORMAL,
        State.APPOINTED,
    ),
    (
        "rauma",
        [("Sara", "Esimerkki", "190905", "fi")],
        Matter.OPEN_CARE,
        Urgency.NORMAL,
        State.CANCELLED,
    ),
]

# The states a request passes on its way when nothing goes wrong.
PATH = [*OPEN_STATES, State.ENDED]


def synthetic_code(ddmmyy, serial):
    """A valid temporary identity code (individual number 900-999) of the 2000s."""
    number = f"{900 + serial % 100:03d}"
    return f"{ddmmyy}A{number}{CHECK[int(ddmmyy + number) % 31]}"


def create_guardians():
    User = get_user_model()
    municipalities = list(Organisation.objects.municipalities().current())
    guardians = []
    for email, first, last, background, languages, capacity, availability, username in GUARDIANS:
        guardian, created = Guardian.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "background": background,
                "languages": languages,
                "capacity": capacity,
                "availability": availability,
                "paused_until": datetime.date.today() + datetime.timedelta(days=30)
                if availability == Availability.PAUSED
                else None,
                "user": User.objects.filter(username=username).first() if username else None,
            },
        )
        if created:
            guardian.areas.set(municipalities)
            GuardianTraining.objects.create(
                guardian=guardian,
                title="Lastensuojelun edunvalvojan peruskoulutus",
                completed_on=datetime.date(2024, 3, 15),
            )
        guardians.append(guardian)
    return guardians


@transaction.atomic
def create_demo_requests(coordinator, workers):
    """Create the demo requests once; returns how many were created."""
    if GuardianshipRequest.objects.filter(created_by__in=workers.values()).exists():
        return 0
    guardians = create_guardians()
    county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
    serial = 0
    for index, (slug, children, matter, urgency, target) in enumerate(REQUESTS):
        worker = workers[slug]
        home = Organisation.objects.get(slug=slug)
        request = GuardianshipRequest.objects.create(
            organisation=county,
            # The worker's own team (sw-pori: Pori, sw-rauma: Rauma).
            unit=worker.units.first(),
            created_by=worker,
            responsible_worker=worker,
            worker_name=worker.get_full_name(),
            worker_title="sosiaalityöntekijä",
            worker_phone="040 000 0000",
            worker_email=worker.email,
            custodians="Huoltajat (demo)",
            custodian_names="Huoltajat (demo)",
            conflict_reason="Huoltajien ja lapsen edut ovat ristiriidassa (demo).",
            matter=matter,
            urgency=urgency,
            payer=county,
        )
        for first, last, born, language in children:
            serial += 1
            Child.objects.create(
                request=request,
                first_name=first,
                last_name=last,
                identity_code=synthetic_code(born, serial),
                home_municipality=home,
                language=language,
            )
        STEPS[StepName.SUBMIT].take(request, by=worker)
        _advance(request, target, coordinator, worker, guardians[index % 3])
    return len(REQUESTS)


def _advance(request, target, coordinator, worker, guardian):
    """Take the registry's steps (guardianship.steps) along the path up to `target`."""
    if target == State.CANCELLED:
        STEPS[StepName.CANCEL].take(
            request, by=worker, data={"reason": "Asia ratkesi muuten (demo)."}
        )
        return
    today = datetime.date.today()
    court = "Satakunnan käräjäoikeus"
    # The step leading to each state of the path, who takes it and with what data.
    path = {
        State.SEARCHING: (StepName.START_SEARCH, coordinator, {}),
        State.PROPOSED: (StepName.PROPOSE, coordinator, {"guardian": guardian}),
        State.CONSENT_GIVEN: (StepName.ACCEPT, coordinator, {}),
        State.APPLICATION_FILED: (
            StepName.FILE_APPLICATION,
            worker,
            {"court": court, "filed_on": today},
        ),
        State.APPOINTED: (
            StepName.RECORD_APPOINTMENT,
            worker,
            {"court": court, "decision_date": today, "case_number": f"H 26/{1000 + request.pk}"},
        ),
        State.ENDED: (StepName.END, worker, {"ended_on": today, "reason": "Asia päättyi (demo)."}),
    }
    assignment = None
    for state in PATH[1 : PATH.index(target) + 1]:
        name, by, data = path[state]
        step = STEPS[name]
        result = step.take(assignment if step.on_assignment else request, by=by, data=data)
        if name == StepName.PROPOSE:
            assignment = result
        request.refresh_from_db()
