import datetime

import factory
from django.utils import timezone

from development.models import (
    ContactBasis,
    IdeaState,
    Network,
    NetworkContact,
    NetworkMeeting,
    ProjectIdea,
    PublishedAnswer,
    Question,
    QuestionStatus,
)
from projects.factories import EventFactory


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
