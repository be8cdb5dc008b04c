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
    CustodianRelation,
    EndCondition,
    InvestigationApplicant,
    Language,
    Matter,
    State,
    StepName,
    Urgency,
)
from guardianship.models import (
    Child,
    Custodian,
    Guardian,
    GuardianshipRequest,
    GuardianTraining,
    LegalTrack,
)
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION, payer_of
from guardianship.services import mandate_end
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

LSL, ETL = CHILD_WELFARE, CRIMINAL_INVESTIGATION
# The criminal investigation of the demo's ETL 4:8 requests (synthetic).
INVESTIGATION = {
    "police_report_number": "5600/R/0000{n}/26",
    "investigating_unit": "Lounais-Suomen poliisilaitos, Porin pääpoliisiasema (demo)",
    "investigation_applicant": InvestigationApplicant.HEAD_OF_INVESTIGATION,
    "investigation_applicant_name": "Tutkinnanjohtaja Demo",
    "investigation_applicant_organisation": "Lounais-Suomen poliisilaitos",
    "investigation_applicant_contact": "029 000 0000, tutkinta@example.invalid",
}

# (organisation slug, children [(first, last, (day, month, age in years), mother tongue,
#  {other facts})], matter, legal tracks, urgency, target state). Birth dates follow
#  today, so the children stay under 18 whenever the demo is made.
REQUESTS = [
    (
        "pori",
        [("Aino", "Demo", (12, 3, 11), "fi", {}), ("Eino", "Demo", (4, 6, 9), "fi", {})],
        Matter.CARE_ORDER,
        [LSL],
        Urgency.URGENT,
        State.RECEIVED,
    ),
    (
        "pori",
        [
            (
                "Lilja",
                "Esimerkki",
                (23, 9, 16),
                "fi",
                # A non-disclosure for personal safety: the pages warn, addresses are hidden.
                {
                    "non_disclosure": True,
                    "placement": "Perhekoti Esimerkki, Esimerkkitie 1, Pori (demo)",
                    "child_view": "Haluaa asua perhekodissa ja tavata äitiään valvotusti (demo).",
                },
            )
        ],
        Matter.SUBSTITUTE_CARE,
        [LSL],
        Urgency.NORMAL,
        State.SEARCHING,
    ),
    (
        "pori",
        [("Oliver", "Testi", (11, 1, 14), "sv", {"child_view": "Vill bo kvar hos mormor (demo)."})],
        Matter.CRIMINAL,
        # A criminal investigation only: the state pays (ETL 4:8).
        [ETL],
        Urgency.URGENT,
        State.PROPOSED,
    ),
    (
        "pori",
        [("Helmi", "Kuvitteellinen", (30, 6, 15), "fi", {})],
        Matter.OPEN_CARE,
        [LSL],
        Urgency.NORMAL,
        State.CONSENT_GIVEN,
    ),
    (
        "pori",
        [("Leo", "Malli", (15, 9, 15), "fi", {})],
        Matter.CARE_ORDER,
        [LSL],
        Urgency.NORMAL,
        State.APPLICATION_FILED,
    ),
    (
        "pori",
        [("Venla", "Demo", (1, 1, 17), "fi", {})],
        Matter.AFTER_CARE,
        [LSL],
        Urgency.NORMAL,
        State.APPOINTED,
    ),
    (
        "pori",
        [("Onni", "Esimerkki", (22, 8, 16), "fi", {})],
        Matter.CARE_ORDER,
        [LSL],
        Urgency.NORMAL,
        State.ENDED,
    ),
    (
        "rauma",
        [("Ella", "Testinen", (5, 5, 13), "fi", {})],
        Matter.CARE_ORDER,
        [LSL],
        Urgency.NORMAL,
        State.RECEIVED,
    ),
    (
        "rauma",
        [
            # Newly arrived: Somali-speaking, heard through an interpreter.
            ("Elias", "Mallinen", (17, 7, 12), "so", {"interpreter_needed": True}),
            ("Aada", "Mallinen", (9, 2, 10), "so", {"interpreter_needed": True}),
        ],
        Matter.SUBSTITUTE_CARE,
        [LSL],
        Urgency.URGENT,
        State.SEARCHING,
    ),
    (
        "rauma",
        [("Iida", "Demo", (28, 2, 17), "fi", {})],
        Matter.OTHER,
        [LSL],
        Urgency.NORMAL,
        State.CONSENT_GIVEN,
    ),
    (
        "rauma",
        [("Niilo", "Kuvitelma", (13, 11, 16), "fi", {})],
        Matter.CRIMINAL,
        # Both: the custodian is suspected, and the child is also a child-welfare client.
        [LSL, ETL],
        Urgency.NORMAL,
        State.APPOINTED,
    ),
    (
        "rauma",
        [("Sara", "Esimerkki", (19, 9, 16), "fi", {})],
        Matter.OPEN_CARE,
        [LSL],
        Urgency.NORMAL,
        State.CANCELLED,
    ),
]


# The custodians of a request, by the children's last name: the mother and the father,
# both in the conflict. On a criminal-investigation track the father is the suspect; where
# the first child has a non-disclosure, so has the mother.
def custodians_of(last_name, tracks, protected):
    investigation = any(t.records_investigation for t in tracks)
    return [
        Custodian(
            name=f"Maija {last_name}",
            relation=CustodianRelation.MOTHER,
            phone="040 000 0001",
            email="huoltaja@example.invalid",
            address="" if protected else "Demokatu 1, Pori",
            affected_by_conflict=True,
            non_disclosure=protected,
        ),
        Custodian(
            name=f"Matti {last_name}",
            relation=CustodianRelation.FATHER,
            phone="040 000 0002",
            address="Demokatu 2, Pori",
            affected_by_conflict=True,
            suspect=investigation,
        ),
    ]


# The states a request passes on its way when nothing goes wrong.
PATH = [*OPEN_STATES, State.ENDED]


def birth_ddmmyy(day, month, age, today=None):
    """DDMMYY of a child who is `age` (or, before the birthday this year, `age` - 1)."""
    today = today or datetime.date.today()
    return f"{day:02d}{month:02d}{(today.year - age) % 100:02d}"


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
    for index, (slug, children, matter, codes, urgency, target) in enumerate(REQUESTS):
        worker = workers[slug]
        home = Organisation.objects.get(slug=slug)
        tracks = list(LegalTrack.objects.filter(code__in=codes))
        investigation = (
            {k: str(v).format(n=index) for k, v in INVESTIGATION.items()}
            if any(t.records_investigation for t in tracks)
            else {}
        )
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
            custodian_notes="Tavoitettavissa parhaiten arkisin (demo).",
            conflict_reason="Huoltajien ja lapsen edut ovat ristiriidassa (demo).",
            matter=matter,
            urgency=urgency,
            # Who pays follows from the tracks, as services.save_request sets it.
            payer=payer_of(tracks),
            **investigation,
        )
        request.tracks.set(tracks)
        for first, last, born, mother_tongue, facts in children:
            serial += 1
            Child.objects.create(
                request=request,
                first_name=first,
                last_name=last,
                identity_code=synthetic_code(birth_ddmmyy(*born), serial),
                home_municipality=home,
                mother_tongue=mother_tongue,
                **facts,
            )
        first = children[0]
        for custodian in custodians_of(first[1], tracks, first[4].get("non_disclosure", False)):
            custodian.request = request
            custodian.save()
        request.mandate_ends_on = mandate_end(request)
        request.save(update_fields=["mandate_ends_on"])
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
            {
                "court": court,
                "decision_date": today,
                "case_number": f"H 26/{1000 + request.pk}",
                "mandate_scope": "Lapsen puhevallan käyttö huoltajan sijasta asiassa (demo).",
                "end_condition": EndCondition.AGE_OF_MAJORITY,
            },
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
