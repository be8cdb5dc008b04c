import datetime

import factory
from django.utils import timezone

from guardianship.factories import GuardianFactory
from support.enums import SupportKind
from support.models import SupportContact, TrainingEvent, TrainingSignup


class TrainingEventFactory(factory.django.DjangoModelFactory):
    """A training for guardians two weeks from now, with room for everybody."""

    class Meta:
        model = TrainingEvent

    title = factory.Sequence(lambda n: f"Edunvalvojan koulutus {n:04d}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    place = "Pori, Pikassos"
    capacity = None


class TrainingSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSignup

    event = factory.SubFactory(TrainingEventFactory)
    guardian = factory.SubFactory(GuardianFactory)


class SupportContactFactory(factory.django.DjangoModelFactory):
    """A consultation Pikassos gave a guardian, about no request in particular."""

    class Meta:
        model = SupportContact

    guardian = factory.SubFactory(GuardianFactory)
    request = None
    kind = SupportKind.CONSULTATION
    notes = "Puhelinneuvonta."
    recorded_by = factory.SubFactory("accounts.factories.UserFactory")
