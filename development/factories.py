import factory
from django.utils import timezone

from development.models import PublishedAnswer, Question, QuestionStatus


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
