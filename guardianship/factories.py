import datetime

import factory
from django.utils import timezone

from guardianship.enums import (
    AssignmentStatus,
    Background,
    CustodianRelation,
    Language,
    Matter,
    State,
)
from guardianship.models import (
    Assignment,
    Child,
    Custodian,
    Guardian,
    GuardianshipRequest,
    LegalTrack,
)
from guardianship.models.tracks import CHILD_WELFARE, payer_of
from municipalities.models import Organisation, Unit

COUNTY = "satakunnan-hyvinvointialue"
# The county's team for each team key, and the child's home municipality by default.
TEAMS = {"pori": "Lastensuojelu, Pori", "rauma": "Lastensuojelu, Rauma"}


def organisation(slug):
    return Organisation.objects.get(slug=slug)


def team(key):
    """The county's child-protection team ("pori", "rauma") of the reference data."""
    return Unit.objects.get(name=TEAMS[key], organisation__slug=COUNTY)


def _unit(request):
    # A county request belongs to a team; one of a municipality is from before 2023.
    if request.organisation.slug == COUNTY and request.team:
        return team(request.team)
    return None


def _home(child):
    request = child.request
    if request.organisation.kind == "municipality":
        return request.organisation
    return organisation(getattr(request.unit, "name", TEAMS["pori"]).split(", ")[-1].lower())


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    email = factory.Sequence(lambda n: f"guardian{n}@example.invalid")
    background = Background.SOCIAL_WORK
    languages = factory.LazyFunction(lambda: [Language.FINNISH])
    capacity = 3

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class GuardianshipRequestFactory(factory.django.DjangoModelFactory):
    """A submitted request of the county's Pori team, in state `received` by default, on
    the child-welfare track (`track_codes=(CRIMINAL_INVESTIGATION,)` for the other or
    both; the payer follows).

    `team="rauma"` for the Rauma team; `organisation=organisation("rauma")` for a request
    Rauma filed before 2023 (no team: coordinators only, until transferred)."""

    class Meta:
        model = GuardianshipRequest
        skip_postgeneration_save = True

    class Params:
        team = "pori"

    state = State.RECEIVED
    organisation = factory.LazyFunction(lambda: organisation(COUNTY))
    unit = factory.LazyAttribute(_unit)
    created_by = factory.SubFactory("accounts.factories.UserFactory")
    worker_name = "Sanna Sosiaalityöntekijä"
    worker_phone = "040 123 4567"
    worker_email = "sanna@example.invalid"
    custodian_notes = "Äiti ja isä"
    conflict_reason = "Huoltajien ja lapsen edut ovat ristiriidassa huostaanottoasiassa."
    matter = Matter.CARE_ORDER
    # The legal tracks by code (issue 14); the payer follows from them, as in the service.
    track_codes = (CHILD_WELFARE,)
    payer = factory.LazyAttribute(
        lambda r: payer_of(LegalTrack.objects.filter(code__in=r.track_codes))
    )
    submitted_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("track_codes")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        codes = kwargs.pop("track_codes")
        request = super()._create(model_class, *args, **kwargs)
        request.tracks.set(LegalTrack.objects.filter(code__in=codes))
        return request

    @factory.post_generation
    def children(self, create, extracted, **kwargs):
        if not create:
            return
        for _ in range(extracted if isinstance(extracted, int) else 1):
            ChildFactory(request=self)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    request = factory.SubFactory(GuardianshipRequestFactory, children=0)
    first_name = factory.Faker("first_name", locale="fi_FI")
    last_name = factory.Faker("last_name", locale="fi_FI")
    date_of_birth = datetime.date(2015, 1, 1)
    home_municipality = factory.LazyAttribute(_home)
    mother_tongue = "fi"


class CustodianFactory(factory.django.DjangoModelFactory):
    """A custodian of a request (issue 14, part 4): its mother, in the conflict."""

    class Meta:
        model = Custodian

    request = factory.SubFactory(GuardianshipRequestFactory)
    name = factory.Faker("name", locale="fi_FI")
    relation = CustodianRelation.MOTHER
    phone = "050 123 4567"
    affected_by_conflict = True


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A guardian proposed for a request (a received Pori request with one child).

    `AssignmentFactory(appointed=True)` is a case the guardian serves: an active
    assignment on a request whose guardianship the court has decided, the case fee claims
    are made for (pass `request__payer=...` for another payer, `request__children=0` to
    make the children yourself).
    """

    class Meta:
        model = Assignment

    class Params:
        appointed = factory.Trait(
            status=AssignmentStatus.ACTIVE,
            request=factory.SubFactory(
                GuardianshipRequestFactory,
                state=State.APPOINTED,
                court="Satakunnan käräjäoikeus",
                decision_date=datetime.date(2026, 1, 10),
                case_number="H 26/1",
            ),
        )

    request = factory.SubFactory(GuardianshipRequestFactory)
    guardian = factory.SubFactory(GuardianFactory)
    proposed_by = factory.SubFactory("accounts.factories.UserFactory")
    status = AssignmentStatus.PROPOSED
    decline_reason = factory.LazyAttribute(
        lambda a: "Ei aikaa." if a.status == AssignmentStatus.DECLINED else ""
    )
