import datetime

import factory
from django.utils import timezone

from development import bulletin
from development.models import (
    Bulletin,
    ContactBasis,
    IdeaState,
    Network,
    NetworkContact,
    NetworkMeeting,
    ProjectIdea,
    PublishedAnswer,
    Question,
    QuestionStatus,
    Subscriber,
)
from projects.factories import EventFactory

# The bulletin (issue 19, part 5) -------------------------------------------------------


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber; `pending=True` for one that has not confirmed."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"tilaaja{n:04d}@example.invalid")
    email_hash = factory.LazyAttribute(lambda o: bulletin.address_hash(o.email))
    language = "fi"
    consent_text_version = "2026-11"
    consent_language = "fi"
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(confirmed_at=None)


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tiedote {n:04d}")
    title_sv = factory.Sequence(lambda n: f"Nyhetsbrev {n:04d}")
    intro = "Tervetuloa lukemaan Pikassoksen tiedotetta."
    intro_sv = "Välkommen att läsa Pikassos nyhetsbrev."

    @factory.post_generation
    def news_items(self, create, extracted, **kwargs):
        if create and extracted:
            self.news_items.set(extracted)

    @factory.post_generation
    def events(self, create, extracted, **kwargs):
        if create and extracted:
            self.events.set(extracted)


# The question desk ---------------------------------------------------------------------


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    organisation_name = "Harjavallan perhekeskus"
    contact_name = "Sanna Kysyjä"
    contact_email = "sanna.kysyja@example.invalid"
    text = "Miten rakenteellista sosiaalityötä kannattaa kehittää kunnassamme?"
    status = QuestionStatus.NEW

    class Params:
        answered = factory.Trait(
            status=QuestionStatus.ANSWERED,
            answer="Aloittakaa sosiaalisen raportoinnin kokeilusta.",
            answered_at=factory.LazyFunction(timezone.now),
        )


class PublishedAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublishedAnswer

    source = factory.SubFactory(QuestionFactory, answered=True)
    question = factory.Sequence(lambda n: f"Kysymys kehittämisestä {n:04d}?")
    answer = "Pikassos tukee kehittämistä."
    published_at = factory.LazyFunction(timezone.now)


class ProjectIdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectIdea
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hankeidea {n:04d}")
    description = "Lastensuojelun jälkihuollon kehittäminen Satakunnassa."
    state = IdeaState.IDEA

    class Params:
        with_call = factory.Trait(
            call="STEA:n yleisavustukset 2027",
            call_deadline=factory.LazyFunction(
                lambda: timezone.localdate() + datetime.timedelta(days=30)
            ),
        )


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Satakunnan lastensuojeluverkosto {n:04d}")
    description = "Alueellinen lastensuojelun verkosto."
    is_public = True

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class NetworkContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkContact

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Yhteyshenkilö {n:04d}")
    work_role = "Lastensuojelun johtava sosiaalityöntekijä"
    work_email = factory.Sequence(lambda n: f"yhteys{n:04d}@example.invalid")
    basis = ContactBasis.LEGITIMATE_INTEREST
    retention_note = "Poistetaan, kun henkilö lähtee verkostosta."


class NetworkMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMeeting

    network = factory.SubFactory(NetworkFactory)
    event = factory.SubFactory(EventFactory)
