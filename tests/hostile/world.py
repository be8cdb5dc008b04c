"""The objects every example works on: the users of each role and a World of requests,
claims, trainings and projects around them, made once for the test module."""

import datetime
import uuid
from decimal import Decimal
from operator import attrgetter

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from development.bulletin import token_hash
from development.factories import (
    BulletinFactory,
    NetworkContactFactory,
    NetworkFactory,
    NetworkMeetingFactory,
    ProjectIdeaFactory,
    PublishedAnswerFactory,
    QuestionFactory,
    SubscriberFactory,
)
from development.models import ContactBasis, IdeaState, QuestionStatus
from fees.enums import ClaimStatus
from fees.factories import FeeClaimFactory, PayeeFactory
from guardianship import enums
from guardianship.factories import AssignmentFactory, GuardianFactory, GuardianshipRequestFactory
from guardianship.models import Child, LegalTrack
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION
from municipalities.models import Organisation, OrganisationKind, Unit
from projects import models as project_models
from projects.factories import (
    EventFactory,
    NewsItemFactory,
    ProjectFactory,
    TagFactory,
    ThemeFactory,
)
from support.enums import SupportKind
from support.factories import TrainingEventFactory, TrainingSignupFactory
from tests.hostile.strategies import Ref

# The users and objects are made once for the module, inside a transaction that is rolled
# back when the module is done (never committed): each test then runs in a savepoint, and
# each example in a savepoint of its own. Made once per (form, role) they would take
# longer than all the examples (about 130 queries each time, for over 300 cells).
COUNTY = "satakunnan-hyvinvointialue"
USERS = {
    # role: (role group, organisations, username, units), as in the root conftest's fixtures
    "coordinator": (Role.COORDINATOR, ["pikassos"], "alice-coordinator", []),
    "planner": (Role.PLANNER, ["pikassos"], "paula-planner", []),
    "sw_pori": (Role.SOCIAL_WORKER, [COUNTY], "bob-pori", ["Lastensuojelu, Pori"]),
    "sw_rauma": (Role.SOCIAL_WORKER, [COUNTY], "charlie-rauma", ["Lastensuojelu, Rauma"]),
    "guardian": (Role.GUARDIAN, [], "gina-guardian", []),
}


# A temporary code (individual number 900-999): no real person has it.
IDENTITY_CODE = "010115A998H"
# The confirmation link of the world's pending bulletin subscriber (issue 19, part 5).
BULLETIN_CONFIRM_TOKEN = "hostile-world-confirmation-token"


def today(days=0):
    return timezone.localdate() + datetime.timedelta(days=days)


# The objects every example works on ------------------------------------------------------


class World:
    """Pori requests with two children in each state a form needs (the guardian proposed
    on one, serving on the later ones), a Pori draft, a Rauma request, a submitted and a
    returned fee claim of the appointed request's guardian, another guardian, a training,
    and a project with an event and a news item."""

    STATES = (
        enums.State.RECEIVED,
        enums.State.PROPOSED,
        enums.State.CONSENT_GIVEN,
        enums.State.APPLICATION_FILED,
        enums.State.APPOINTED,
    )

    def __init__(self, users):
        self.users = users
        orgs = Organisation.objects.in_bulk(
            ["pori", "rauma", "satakunnan-hyvinvointialue"], field_name="slug"
        )
        self.pori, self.rauma, self.county = (
            orgs["pori"],
            orgs["rauma"],
            orgs["satakunnan-hyvinvointialue"],
        )
        coordinator, sw_pori = users["coordinator"], users["sw_pori"]
        now = timezone.now()
        self.guardian = GuardianFactory(user=users["guardian"], areas=[self.pori])
        self.other_guardian = GuardianFactory(areas=[self.pori, self.rauma])
        self.rauma_team = Unit.objects.get(name="Lastensuojelu, Rauma")
        # The legal tracks (issue 14), and one no longer offered.
        tracks = LegalTrack.objects.in_bulk(field_name="code")
        self.child_welfare = tracks[CHILD_WELFARE]
        self.criminal_investigation = tracks[CRIMINAL_INVESTIGATION]
        self.retired_track = LegalTrack.objects.create(
            code="vanha",
            name="Vanha peruste",
            law_reference="–",
            applicant_kinds=["custodian"],
            payer=self.county,
            end_conditions=["age_of_majority"],
            is_active=False,
        )
        self.mains, self.assignments = {}, {}
        for state in self.STATES:
            self.mains[state] = GuardianshipRequestFactory(
                created_by=sw_pori,
                children=2,
                state=state,
                court="Satakunnan käräjäoikeus" if state != enums.State.RECEIVED else "",
                decision_date=today(-90) if state == enums.State.APPOINTED else None,
            )
            if state != enums.State.RECEIVED:
                proposed = state == enums.State.PROPOSED
                self.assignments[state] = AssignmentFactory(
                    request=self.mains[state],
                    guardian=self.guardian,
                    proposed_by=coordinator,
                    status=enums.AssignmentStatus.PROPOSED
                    if proposed
                    else enums.AssignmentStatus.ACTIVE,
                    started_at=None if proposed else now,
                )
        self.main = self.mains[enums.State.RECEIVED]
        self.proposal = self.assignments[enums.State.PROPOSED]
        self.appointed = self.mains[enums.State.APPOINTED]
        self.active = self.assignments[enums.State.APPOINTED]
        self.consent = self.assignments[enums.State.CONSENT_GIVEN]
        self.draft = GuardianshipRequestFactory(
            state=enums.State.DRAFT,
            submitted_at=None,
            created_by=sw_pori,
            idempotency_key=uuid.uuid4(),
            children=2,
        )
        self.rauma_request = GuardianshipRequestFactory(
            team="rauma", created_by=users["sw_rauma"], idempotency_key=uuid.uuid4()
        )
        # The guardian's payee details, which a claim needs (issue 15, part 3).
        self.payee = PayeeFactory(guardian=self.guardian)
        claim = {
            "assignment": self.active,
            "hours": Decimal("2.00"),
            "fee": Decimal("50.00"),
        }
        # Two claims of one case never overlap (issue 15, part 2): claim_data's period
        # (today) is free for a new claim and for the returned one's correction.
        self.submitted_claim = FeeClaimFactory(
            **claim, period_start=today(-60), period_end=today(-31)
        )
        self.returned_claim = FeeClaimFactory(
            **claim,
            period_start=today(-90),
            period_end=today(-61),
            returned=True,
            return_reason="Liite puuttuu.",
            decided_by=coordinator,
            decided_at=now,
        )
        self.training = TrainingEventFactory(
            title="Edunvalvojan perehdytys",
            starts_at=now + datetime.timedelta(days=7),
            place="Pori",
            capacity=5,
        )
        TrainingSignupFactory(event=self.training, guardian=self.other_guardian)
        self.theme = ThemeFactory()
        self.tag = TagFactory()
        self.project = ProjectFactory(themes=[self.theme])
        self.event = EventFactory(project=self.project)
        self.news = NewsItemFactory(tags=[self.tag], projects=[self.project])
        # The development question desk (issue 19): a question in each state a form needs.
        self.question = QuestionFactory(asked_by=sw_pori)
        self.question_in_progress = QuestionFactory(status=QuestionStatus.IN_PROGRESS)
        self.question_answered = QuestionFactory(answered=True)
        self.published_answer = PublishedAnswerFactory()
        # Project planning and networks (issue 19, parts 3 and 4): an idea in each state a
        # step needs, an internal network of the county with a contact and a meeting.
        self.idea = ProjectIdeaFactory()
        self.idea_planning = ProjectIdeaFactory(with_call=True, state=IdeaState.PLANNING)
        self.idea_applied = ProjectIdeaFactory(with_call=True, state=IdeaState.APPLIED)
        self.idea_funded = ProjectIdeaFactory(with_call=True, state=IdeaState.FUNDED)
        self.network = NetworkFactory(is_public=False, members=[self.county])
        self.network_contact = NetworkContactFactory(network=self.network)
        self.network_meeting = NetworkMeetingFactory(network=self.network)
        # The bulletin (issue 19, part 5): a draft and a sent one, a confirmed subscriber
        # and one waiting to confirm with the link of BULLETIN_CONFIRM_TOKEN.
        self.bulletin_draft = BulletinFactory(news_items=[self.news], events=[self.event])
        self.bulletin_sent = BulletinFactory(news_items=[self.news], sent_at=now)
        self.subscriber = SubscriberFactory()
        self.pending_subscriber = SubscriberFactory(
            pending=True,
            confirm_token_hash=token_hash(BULLETIN_CONFIRM_TOKEN),
            confirm_token_expires_at=now + datetime.timedelta(days=1),
        )
        self.form_key = uuid.uuid4()
        self.claim_form_key = uuid.uuid4()
        # For hand-written examples: Ref("rauma_child.pk"), Ref("sw_pori.pk") ...
        self.rauma_child = self.rauma_request.children.first()
        # A child with an identity code to reveal (guardian serving) and one whose
        # guardian is only proposed, who may not see it.
        self.coded_child = self.appointed.children.first()
        Child.objects.filter(pk=self.coded_child.pk).update(identity_code=IDENTITY_CODE)
        self.proposed_child = self.mains[enums.State.PROPOSED].children.first()
        for role, user in users.items():
            setattr(self, f"{role}_user", user)
        self.pool = self._pool()

    def _pool(self):
        """Identifiers of existing objects, own and foreign, and choice values: `Ref(n)`."""
        objects = [
            self.pori,
            self.rauma,
            self.county,
            Organisation.objects.filter(kind=OrganisationKind.STATE_AGENCY).first(),
            self.child_welfare,
            self.criminal_investigation,
            self.retired_track,
            self.draft,
            self.rauma_request,
            *self.mains.values(),
            *Child.objects.filter(request__in=[self.main, self.draft, self.rauma_request]),
            self.guardian,
            self.other_guardian,
            *self.assignments.values(),
            self.submitted_claim,
            self.returned_claim,
            self.training,
            self.theme,
            self.tag,
            self.project,
            self.event,
            self.news,
            self.question,
            self.question_in_progress,
            self.question_answered,
            self.published_answer,
            self.published_answer.source,
            self.idea,
            self.idea_planning,
            self.idea_applied,
            self.idea_funded,
            self.network,
            self.network_contact,
            self.network_meeting.event,
            self.bulletin_draft,
            self.bulletin_sent,
            self.subscriber,
            *[u for u in self.users.values() if u is not None],
        ]
        pool = []
        for obj in objects:
            if obj is None:
                continue
            pool.append(str(obj.pk))
            for attr in ("uuid", "slug", "idempotency_key"):
                if getattr(obj, attr, None):
                    pool.append(str(getattr(obj, attr)))
        for choices in (
            enums.State,
            enums.Matter,
            enums.Urgency,
            enums.Language,
            enums.Availability,
            enums.Background,
            enums.EndCondition,
            enums.InvestigationApplicant,
            SupportKind,
            ClaimStatus,
            project_models.ProjectStatus,
            project_models.ProjectRole,
            project_models.PeriodPrecision,
            project_models.EventKind,
            project_models.OutputKind,
            QuestionStatus,
            IdeaState,
            ContactBasis,
        ):
            pool.extend(choices.values)
        pool.extend(["approve", "return", "accept", "decline", "fi", "sv", "en", "start", "close"])
        pool.extend(["plan", "apply", "fund", "reject"])
        # Addresses of the site, for `next` fields.
        pool.extend(
            [
                "/",
                reverse("login"),
                reverse("logout"),
                reverse("two_factor_verify"),
                self.main.get_absolute_url(),
                self.rauma_request.get_absolute_url(),
            ]
        )
        return pool

    def resolve(self, value):
        if isinstance(value, Ref) and isinstance(value.key, str):
            return str(attrgetter(value.key)(self))
        if isinstance(value, Ref):
            return self.pool[value.key % len(self.pool)]
        if isinstance(value, list | tuple):
            return [self.resolve(v) for v in value]
        return value
