"""The rest of the portal at the benchmark's volume (issue 18, part 4): events, news,
trainings with sign-ups, support contacts, development questions and published answers,
project ideas, networks with contact persons and meetings, in proportion to the
guardianship requests, so the pages that list them are measured on
data of the same age as the queue's.

Per 100 000 requests (twelve years of a region at the benchmark's stress scale): 2 000
events, 2 000 news items, 1 000 trainings with ten sign-ups each, 30 000 support contacts
(about fifteen per guardian), 5 000 questions of which 1 000 are published, 500 project
ideas (half with a funding call), 50 networks with ten contact persons and twenty
meetings each, and 300 bulletins (one a fortnight) of which one is still a draft. Built
with the
apps' factories (factory-boy's build) and written with bulk_create.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from development.factories import ProjectIdeaFactory, QuestionFactory
from development.models import (
    Bulletin,
    IdeaState,
    Network,
    NetworkContact,
    NetworkMeeting,
    ProjectIdea,
    PublishedAnswer,
    Question,
    QuestionStatus,
)
from guardianship.models import Guardian
from projects.factories import EventFactory, NewsItemFactory
from projects.models import Event, NewsItem
from support.enums import SupportKind
from support.factories import TrainingEventFactory
from support.models import SupportContact, TrainingEvent, TrainingSignup

PER_100_000 = {
    "events": 2_000,
    "news": 2_000,
    "trainings": 1_000,
    "support_contacts": 30_000,
    "questions": 5_000,
    "published": 1_000,
    "ideas": 500,
    "networks": 50,
    "bulletins": 300,
}
CONTACTS_PER_NETWORK = 10
MEETINGS_PER_NETWORK = 20
SIGNUPS_PER_TRAINING = 10
BATCH = 2_000
YEARS = 12


def counts_for(requests):
    """How many of each, for `requests` requests (at least two of each: a draft bulletin
    and a sent one, say)."""
    return {name: max(2, round(n * requests / 100_000)) for name, n in PER_100_000.items()}


def seed(requests, *, seed_value=2026):
    """Create the regional data in proportion to `requests`; returns the counts."""
    rng = random.Random(seed_value)
    counts = counts_for(requests)
    now = timezone.now()
    span = datetime.timedelta(days=365 * YEARS)

    def when():  # most of it in the past, some still to come (upcoming events, trainings)
        return now - span + datetime.timedelta(seconds=rng.uniform(0, span.total_seconds() * 1.02))

    staff = get_user_model().objects.filter(groups__name=Role.COORDINATOR).first()
    guardians = list(Guardian.objects.values_list("pk", flat=True))
    with transaction.atomic():
        events = []
        for event in EventFactory.build_batch(counts["events"]):
            event.starts_at = when()
            event.ends_at = event.starts_at + datetime.timedelta(hours=2)
            events.append(event)
        Event.objects.bulk_create(events, batch_size=BATCH)
        news = []
        for item in NewsItemFactory.build_batch(counts["news"]):
            item.published_at = min(when(), now)
            news.append(item)
        NewsItem.objects.bulk_create(news, batch_size=BATCH)
        trainings = []
        for training in TrainingEventFactory.build_batch(counts["trainings"]):
            training.starts_at = when()
            trainings.append(training)
        trainings = TrainingEvent.objects.bulk_create(trainings, batch_size=BATCH)
        if guardians:
            TrainingSignup.objects.bulk_create(
                [
                    TrainingSignup(event=training, guardian_id=guardian)
                    for training in trainings
                    for guardian in rng.sample(guardians, min(SIGNUPS_PER_TRAINING, len(guardians)))
                ],
                batch_size=BATCH,
            )
            SupportContact.objects.bulk_create(
                [
                    SupportContact(
                        guardian_id=rng.choice(guardians),
                        kind=rng.choice(SupportKind.values),
                        date=when().date(),
                        notes="Puhelinneuvonta (synteettinen).",
                        recorded_by=staff,
                    )
                    for _ in range(counts["support_contacts"])
                ],
                batch_size=BATCH,
            )
        questions = []
        for index, question in enumerate(QuestionFactory.build_batch(counts["questions"])):
            if index < counts["published"]:
                question.status = QuestionStatus.ANSWERED
                question.answer = "Pikassos vastasi (synteettinen)."
                question.answered_at = now
            questions.append(question)
        questions = Question.objects.bulk_create(questions, batch_size=BATCH)
        PublishedAnswer.objects.bulk_create(
            [
                PublishedAnswer(
                    source=question,
                    question=f"Miten lastensuojelua kehitetään alueella? ({index})",
                    answer="Pikassos tukee lastensuojelun kehittämistä koko maakunnassa.",
                    published_at=now - datetime.timedelta(days=index),
                )
                for index, question in enumerate(questions[: counts["published"]])
            ],
            batch_size=BATCH,
        )
        ideas = []
        for index, idea in enumerate(ProjectIdeaFactory.build_batch(counts["ideas"])):
            if index % 2:  # half have applied for funding, with a call and its deadline
                idea.state = IdeaState.APPLIED
                idea.call = "STEA:n avustushaku (synteettinen)"
                idea.call_deadline = when().date()
            ideas.append(idea)
        ProjectIdea.objects.bulk_create(ideas, batch_size=BATCH)
        networks = Network.objects.bulk_create(
            [
                Network(name=f"Verkosto {n:04d} (synteettinen)", is_public=bool(n % 2))
                for n in range(counts["networks"])
            ]
        )
        NetworkContact.objects.bulk_create(
            [
                NetworkContact(
                    network=network,
                    name=f"Yhteyshenkilö {n}",
                    work_role="Johtava sosiaalityöntekijä",
                    work_email=f"yhteys{network.pk}-{n}@example.invalid",
                )
                for network in networks
                for n in range(CONTACTS_PER_NETWORK)
            ],
            batch_size=BATCH,
        )
        NetworkMeeting.objects.bulk_create(
            [
                NetworkMeeting(network=network, event=event)
                for network, event in zip(
                    (n for n in networks for _ in range(MEETINGS_PER_NETWORK)), events, strict=False
                )
            ],
            batch_size=BATCH,
        )
        bulletins = Bulletin.objects.bulk_create(
            [
                Bulletin(
                    title=f"Tiedote {n:04d}",
                    title_sv=f"Nyhetsbrev {n:04d}",
                    intro="Pikassoksen tiedote alueen toimijoille (synteettinen).",
                    intro_sv="Pikassos nyhetsbrev (syntetiskt).",
                    # The newest is still a draft; the others went out a fortnight apart.
                    sent_at=None if n == 0 else now - datetime.timedelta(days=14 * n),
                    recipient_count=0 if n == 0 else 400,
                )
                for n in range(counts["bulletins"])
            ]
        )
        Bulletin.news_items.through.objects.bulk_create(
            [
                Bulletin.news_items.through(bulletin=bulletin, newsitem=item)
                for bulletin, start in zip(bulletins, range(0, len(news), 3), strict=False)
                for item in news[start : start + 3]
            ],
            batch_size=BATCH,
        )
    return counts
