import datetime

import factory
from django.utils import timezone

from municipalities.factories import OrganisationFactory
from projects.models import (
    Event,
    EventKind,
    NewsItem,
    Partnership,
    Project,
    ProjectRole,
    Tag,
    Theme,
)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"teema-{n:04d}")
    name = factory.Sequence(lambda n: f"Teema {n:04d}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testihanke {n:04d}")
    slug = factory.Sequence(lambda n: f"testihanke-{n:04d}")
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2027, 12, 31)
    is_public = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.add(*extracted)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ProjectRole.PARTNER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Verkostotapaaminen {n:04d}")
    kind = EventKind.NETWORK_MEETING
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=2))
    place = "Pori, Pikassoksen toimisto"
    is_public = True

    @factory.post_generation
    def target_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_organisations.add(*extracted)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"aihe {n:04d}")
    slug = factory.Sequence(lambda n: f"aihe-{n:04d}")


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Uutinen {n:04d}")
    body = "Pikassos **tiedottaa** alueen sote-toimijoille."
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    is_public = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        if create and extracted:
            self.projects.add(*extracted)
