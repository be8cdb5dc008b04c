"""Synthetic guardianship data at volume, for benchmarks and load tests.

Realistic shapes (Finnish names from Faker's fi_FI, requests spread over the years,
municipalities, states and matters, with their steps, assignments, access-log rows
and fee claims), written with bulk_create in batches. Identity codes use the
temporary range 900-999, which no real person has.
"""

import datetime
import random
from decimal import Decimal

import pgtrigger
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from faker import Faker

from accounts.roles import Role
from demo.scenario import synthetic_code
from fees.enums import ClaimStatus
from fees.models import FeeClaim
from guardianship.enums import (
    AccessAction,
    AssignmentStatus,
    Availability,
    Background,
    EventKind,
    Language,
    Matter,
    State,
    StepName,
    Urgency,
)
from guardianship.models import (
    AccessLog,
    Assignment,
    Child,
    Custodian,
    Guardian,
    GuardianshipRequest,
    LegalTrack,
    RequestEvent,
    RequestTrack,
)
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION
from municipalities.models import Organisation, Unit, UnitKind

BATCH = 5000
START = datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)  # Pikassos' coordination began
# The wellbeing services county took child protection over from the municipalities.
COUNTY_START = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)
# A payer pays monthly: an approved claim older than this has been paid (issue 18).
PAID_WITHIN = datetime.timedelta(days=60)
PATH = [
    (StepName.SUBMIT, State.RECEIVED),
    (StepName.START_SEARCH, State.SEARCHING),
    (StepName.PROPOSE, State.PROPOSED),
    (StepName.ACCEPT, State.CONSENT_GIVEN),
    (StepName.FILE_APPLICATION, State.APPLICATION_FILED),
    (StepName.RECORD_APPOINTMENT, State.APPOINTED),
    (StepName.END, State.ENDED),
]
MATTERS = (
    [Matter.CARE_ORDER] * 4
    + [Matter.SUBSTITUTE_CARE] * 3
    + [
        Matter.OPEN_CARE,
        Matter.AFTER_CARE,
        Matter.CRIMINAL,
        Matter.OTHER,
    ]
)
# The steps of the path the social worker takes (the others the coordinator or guardian).
WORKER_STEPS = {
    StepName.SUBMIT,
    StepName.FILE_APPLICATION,
    StepName.RECORD_APPOINTMENT,
    StepName.END,
}
# Children's mother tongues (ISO 639-1), roughly as common as in Finland: mostly Finnish,
# then Swedish and the common mother tongues of children who moved to Finland.
MOTHER_TONGUES = ["fi"] * 16 + ["sv", "ru", "ar", "so", "et", "uk", "fa", "ku", "en"]


def _batched(objects, model, progress):
    created = []
    for start in range(0, len(objects), BATCH):
        chunk = model.objects.bulk_create(objects[start : start + BATCH], batch_size=BATCH)
        created.extend(chunk)
        if progress is not None:
            progress.update(len(chunk))
    return created


def create_guardians(count, rng, fake, progress=None):
    municipalities = list(Organisation.objects.municipalities().current())
    guardians = []
    for _ in range(count):
        availability = rng.choices(
            [Availability.ACTIVE, Availability.PAUSED, Availability.INACTIVE], [85, 10, 5]
        )[0]
        languages = [Language.FINNISH]
        if rng.random() < 0.12:
            languages.append(Language.SWEDISH)
        if rng.random() < 0.25:
            languages.append(Language.ENGLISH)
        guardians.append(
            Guardian(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                email=f"edunvalvoja{rng.randrange(10**9)}@example.invalid",
                background=rng.choice(Background.values),
                languages=languages,
                capacity=rng.randint(2, 8),
                availability=availability,
                paused_until=timezone.localdate() + datetime.timedelta(days=rng.randint(1, 60))
                if availability == Availability.PAUSED
                else None,
            )
        )
    guardians = _batched(guardians, Guardian, progress)
    Areas = Guardian.areas.through
    areas = [
        Areas(guardian_id=g.pk, organisation_id=m.pk)
        for g in guardians
        for m in rng.sample(municipalities, rng.randint(1, 5))
    ]
    _batched(areas, Areas, None)
    return guardians


def teams_by_municipality():
    """{municipality id: the county team serving it} (municipalities.Unit.municipalities)."""
    return dict(
        Unit.objects.filter(kind=UnitKind.TEAM, municipalities__isnull=False).values_list(
            "municipalities", "pk"
        )
    )


def social_workers(organisations):
    """One synthetic social worker per municipality, a member of the county team serving
    it (the demo's sw-pori and sw-rauma kept)."""
    User = get_user_model()
    group = Group.objects.get(name=Role.SOCIAL_WORKER)
    teams = teams_by_municipality()
    workers = {}
    for organisation in organisations:
        username = {"pori": "sw-pori", "rauma": "sw-rauma"}.get(
            organisation.slug, f"sw-{organisation.slug}"
        )
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": "Synteettinen", "last_name": organisation.name},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(group)
        user.organisations.add(organisation)
        if organisation.pk in teams:
            user.units.add(teams[organisation.pk])
        workers[organisation.pk] = user
    return workers


class Names:
    """Faker's fi_FI names, drawn once: Faker per row would dominate the run time."""

    def __init__(self, rng, seed_value, size=800):
        fake = Faker("fi_FI")
        fake.seed_instance(seed_value)
        self.rng = rng
        self.first = [fake.first_name() for _ in range(size)]
        self.last = [fake.last_name() for _ in range(size)]

    def first_name(self):
        return self.rng.choice(self.first)

    def last_name(self):
        return self.rng.choice(self.last)

    def name(self):
        return f"{self.first_name()} {self.last_name()}"

    def date_between(self, start, end):
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))


def seed(requests, guardian_count, *, seed_value=2026, progress_factory=None):
    """Create `requests` requests and `guardian_count` guardians; returns the counts.

    The rows are inserted without django-pghistory's per-row history events (they would
    only copy the synthetic rows and triple the time); real changes are recorded.
    """
    with pgtrigger.ignore(*HISTORY_TRIGGERS):
        counts = _seed(requests, guardian_count, seed_value, progress_factory)
    # Fresh statistics, or the planner misjudges the new rows until autovacuum comes by;
    # VACUUM also marks the pages all-visible, so counts can be index-only scans, as on a
    # database that has lived for a while. (Outside pgtrigger.ignore, which would wrap it
    # in a transaction; and VACUUM cannot run inside one, as in tests: ANALYZE there.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return counts


def analyze_stale():
    """ANALYZE every table changed by more than autovacuum's threshold since its last
    statistics (50 rows and a tenth of the table, PostgreSQL's defaults); returns their
    names. What autovacuum would have done by the time a page is read: the machines'
    PostgreSQL here runs without it, and rows seeded after `seed`'s own ANALYZE (the
    regional lists) were planned as empty tables, the trainings' page as a sort of all
    its sign-ups (issue 18)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables"
            " WHERE n_mod_since_analyze > 50 + 0.1 * GREATEST(n_live_tup, 0)"
            " ORDER BY relname"
        )
        stale = [name for (name,) in cursor.fetchall()]
        for name in stale:
            cursor.execute(f"ANALYZE {name}")  # quoted by format() above
    return stale


HISTORY_TRIGGERS = [
    f"{model}:{event}"
    for model in (
        "guardianship.Guardian",
        "guardianship.GuardianshipRequest",
        "guardianship.Child",
        "guardianship.Custodian",
        "guardianship.Assignment",
        "fees.FeeClaim",  # fees owns the claims since issue 9
    )
    for event in ("insert_insert", "update_update")
]


def _seed(requests, guardian_count, seed_value, progress_factory):
    rng = random.Random(seed_value)
    fake = Names(rng, seed_value)
    progress = progress_factory or (lambda total, desc: None)
    now = timezone.now()
    span = (now - START).total_seconds()
    municipalities = list(Organisation.objects.municipalities().current().order_by("name"))
    weights = [6 if m.slug == "pori" else 3 if m.slug == "rauma" else 1 for m in municipalities]
    county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
    tracks = LegalTrack.objects.select_related("payer").in_bulk(field_name="code")
    coordinator = get_user_model().objects.filter(groups__name=Role.COORDINATOR).first()

    teams = teams_by_municipality()
    with transaction.atomic():
        workers = social_workers(municipalities)
        bar = progress(guardian_count, "guardians")
        guardians = create_guardians(guardian_count, rng, fake, bar)
        active_guardians = [g for g in guardians if g.availability == Availability.ACTIVE]

        bar = progress(requests, "requests")
        plans, objects, track_of = [], [], []
        for _ in range(requests):
            municipality = rng.choices(municipalities, weights)[0]
            submitted = START + datetime.timedelta(seconds=rng.random() * span)
            matter = rng.choice(MATTERS)
            age_days = (now - submitted).days
            # Old requests have run their course; recent ones are still open.
            if rng.random() < 0.04:
                depth = rng.randint(0, 4)
                cancelled = True
            else:
                cancelled = False
                reach = min(len(PATH) - 1, age_days // 20)
                depth = rng.randint(max(0, reach - 2), reach)
                # The court takes weeks and a guardian's task months to a couple of
                # years, so nearly every request older than that has ended.
                if depth == 4 and age_days > 365:
                    depth = 6
                if depth == 5 and age_days > 2 * 365 and rng.random() < 0.95:
                    depth = 6
            steps = PATH[: depth + 1]
            state = State.CANCELLED if cancelled else steps[-1][1]
            times, moment = [], submitted
            for _step in steps:
                times.append(moment)
                moment = min(now, moment + datetime.timedelta(hours=rng.uniform(4, 24 * 25)))
            worker = workers[municipality.pk]
            # A criminal matter on the criminal-investigation track, paid by the state;
            # every other on the child-welfare track, paid by the county (issue 14).
            track = tracks[CRIMINAL_INVESTIGATION if matter == Matter.CRIMINAL else CHILD_WELFARE]
            objects.append(
                GuardianshipRequest(
                    state=state,
                    # Filed by the municipality until 2023, by the county since; each
                    # belongs to the team now serving the municipality (as migrated).
                    organisation=county if submitted >= COUNTY_START else municipality,
                    unit_id=teams.get(municipality.pk),
                    created_by=worker,
                    responsible_worker=worker,
                    worker_name=worker.get_full_name(),
                    worker_phone="040 000 0000",
                    worker_email=f"{worker.username}@example.invalid",
                    custodian_notes="Synteettinen testiaineisto.",
                    conflict_reason="Synteettinen testiaineisto.",
                    matter=matter,
                    urgency=Urgency.URGENT if rng.random() < 0.15 else Urgency.NORMAL,
                    payer=track.payer,
                    submitted_at=submitted,
                    state_changed_at=moment if cancelled else times[-1],
                    decision_date=times[5].date() if depth >= 5 else None,
                    case_number=f"H {times[5]:%y}/{rng.randint(1, 9999)}" if depth >= 5 else "",
                    court="Satakunnan käräjäoikeus" if depth >= 4 else "",
                    ended_on=times[6].date() if depth >= 6 else None,
                )
            )
            plans.append((steps, times, cancelled, moment, municipality.pk))
            track_of.append(track)
        created = _batched(objects, GuardianshipRequest, bar)
        # Created a couple of hours before submitting, not at seeding time (auto_now_add):
        # a child's access report starts at its request's creation (issue 18).
        GuardianshipRequest.objects.filter(pk__in=[r.pk for r in created]).update(
            created_at=F("submitted_at") - datetime.timedelta(hours=2)
        )
        RequestTrack.objects.bulk_create(
            (
                RequestTrack(request_id=request.pk, track=track)
                for request, track in zip(created, track_of, strict=True)
            ),
            batch_size=BATCH,
        )

        children, custodians, events, assignments, logs = [], [], [], [], []
        serial = 0
        for request, (steps, times, cancelled, cancelled_at, home) in zip(
            created, plans, strict=True
        ):
            siblings = rng.choices([1, 2, 3], [80, 15, 5])[0]
            language = rng.choice(MOTHER_TONGUES)
            interpreter = language not in ("fi", "sv") and rng.random() < 0.6
            protected = rng.random() < 0.02
            for relation in rng.choices(
                [["mother", "father"], ["mother"], ["father"]], [70, 25, 5]
            )[0]:
                custodians.append(
                    Custodian(
                        request_id=request.pk,
                        name=fake.name(),
                        relation=relation,
                        phone="040 000 0000",
                        affected_by_conflict=True,
                        non_disclosure=protected,
                    )
                )
            for _ in range(siblings):
                serial += 1
                born = fake.date_between(datetime.date(2006, 1, 1), datetime.date(2024, 12, 31))
                children.append(
                    Child(
                        request_id=request.pk,
                        first_name=fake.first_name(),
                        last_name=fake.last_name(),
                        identity_code=synthetic_code(born.strftime("%d%m%y"), serial),
                        home_municipality_id=home,
                        mother_tongue=language,
                        interpreter_needed=interpreter,
                        non_disclosure=protected,
                    )
                )
            for (action, to_state), at, previous in zip(
                steps, times, [("", "")] + steps, strict=False
            ):
                events.append(
                    RequestEvent(
                        request_id=request.pk,
                        kind=EventKind.STEP,
                        action=action,
                        from_state=previous[1] or State.DRAFT,
                        to_state=to_state,
                        actor_id=request.created_by_id
                        if action in WORKER_STEPS
                        else coordinator.pk,
                        at=at,
                    )
                )
            if cancelled:
                events.append(
                    RequestEvent(
                        request_id=request.pk,
                        kind=EventKind.STEP,
                        action=StepName.CANCEL,
                        from_state=steps[-1][1],
                        to_state=State.CANCELLED,
                        actor_id=request.created_by_id,
                        at=cancelled_at,
                        text="Synteettinen peruutus.",
                    )
                )
            depth = len(steps) - 1
            if depth >= 2 and active_guardians:
                if rng.random() < 0.1:
                    assignments.append(
                        Assignment(
                            request_id=request.pk,
                            guardian=rng.choice(active_guardians),
                            status=AssignmentStatus.DECLINED,
                            proposed_by_id=coordinator.pk,
                            proposed_at=times[2],
                            responded_at=times[2],
                            decline_reason="Ei aikaa.",
                        )
                    )
                if cancelled:
                    status = AssignmentStatus.WITHDRAWN
                elif depth == 2:
                    status = AssignmentStatus.PROPOSED
                elif depth == 6:
                    status = AssignmentStatus.ENDED
                else:
                    status = AssignmentStatus.ACTIVE
                assignments.append(
                    Assignment(
                        request_id=request.pk,
                        guardian=rng.choice(active_guardians),
                        status=status,
                        proposed_by_id=coordinator.pk,
                        proposed_at=times[2],
                        responded_at=times[3] if depth >= 3 else None,
                        started_at=times[3] if depth >= 3 else None,
                        ended_at=times[6] if depth >= 6 else None,
                    )
                )
        bar = progress(len(children), "children")
        children = _batched(children, Child, bar)
        _batched(custodians, Custodian, progress(len(custodians), "custodians"))
        bar = progress(len(events), "steps")
        _batched(events, RequestEvent, bar)
        bar = progress(len(assignments), "assignments")
        assignments = _batched(assignments, Assignment, bar)

        for child in children[:: max(1, len(children) // (requests * 3) or 1)]:
            logs.append(
                AccessLog(
                    user_id=coordinator.pk,
                    username=coordinator.username,
                    role=Role.COORDINATOR,
                    action=AccessAction.VIEW,
                    request_id=child.request_id,
                    children=[child.pk],
                    at=now - datetime.timedelta(days=rng.randint(0, 900)),
                )
            )
        bar = progress(len(logs), "access log")
        _batched(logs, AccessLog, bar)

        claims = []
        for a in assignments:
            if a.status not in (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED):
                continue
            if rng.random() >= 0.5:
                continue
            status = rng.choice(ClaimStatus.values)
            period_end = min(a.started_at.date() + datetime.timedelta(days=90), now.date())
            # Decided a few weeks after the period, and paid within a month or so: the payer
            # pays monthly, so a claim approved more than two months ago has been paid and
            # only the recent ones wait (issue 18: not 11 000 approved unpaid claims).
            decided_at = min(
                now,
                datetime.datetime.combine(period_end, datetime.time(12), tzinfo=datetime.UTC)
                + datetime.timedelta(days=rng.randint(3, 30)),
            )
            if status == ClaimStatus.APPROVED and decided_at < now - PAID_WITHIN:
                status = ClaimStatus.PAID
            paid = status == ClaimStatus.PAID  # a paid claim has its date and reference
            paid_on = min(now, decided_at + datetime.timedelta(days=rng.randint(5, 45)))
            claims.append(
                FeeClaim(
                    assignment=a,
                    period_start=a.started_at.date(),
                    period_end=period_end,
                    hours=Decimal(rng.randint(2, 40)) / 2,
                    fee=Decimal(rng.randint(5000, 90000)) / 100,
                    status=status,
                    return_reason="Tarkenna tunnit.",
                    decided_by_id=coordinator.pk,
                    decided_at=decided_at,
                    paid_at=paid_on.date() if paid else None,
                    payment_reference=f"MAKSU-{paid_on:%Y%m}" if paid else "",
                )
            )
        bar = progress(len(claims), "claims")
        _batched(claims, FeeClaim, bar)
    return {
        "requests": len(created),
        "children": len(children),
        "guardians": len(guardians),
        "steps": len(events),
        "assignments": len(assignments),
        "claims": len(claims),
        "access_log": len(logs),
    }
