"""Development projects and the region's shared knowledge: events and news.

Every project, event and news item is internal unless marked public; `visible_to(user)`
is the one place where that rule is applied to a queryset.
"""

import re

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, TranslatedNameMixin, UUIDModel, VersionedModel
from municipalities.models import Organisation
from projects.policies import can_edit, can_read_internal


class ProjectRole(models.TextChoices):
    """An organisation's part in a project, Pikassos' own included."""

    COORDINATOR = "coordinator", _("Coordinator")
    CO_IMPLEMENTER = "co_implementer", _("Co-implementer")
    PARTNER = "partner", _("Partner")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Ongoing")
    ENDED = "ended", _("Ended")


class PeriodPrecision(models.TextChoices):
    DAY = "day", _("Exact dates")
    YEAR = "year", _("Years only")


class OutputKind(models.TextChoices):
    REPORT = "report", _("Report")
    PUBLICATION = "publication", _("Publication")
    MATERIAL = "material", _("Material or tool")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    TRAINING = "training", _("Training")
    SEMINAR = "seminar", _("Seminar")
    OTHER = "other", _("Other")


# The documents of the site search (development/search.py), in Finnish and, where a model
# has Swedish text, in Swedish; each model stores them in generated columns (search_fi,
# search_sv) that the GIN indexes in its Meta are built on.
PROJECT_SEARCH_VECTOR_FI = (
    SearchVector("name", weight="A", config="finnish")
    + SearchVector("acronym", weight="A", config="finnish")
    + SearchVector("description", weight="B", config="finnish")
)
PROJECT_SEARCH_VECTOR_SV = SearchVector("name_sv", weight="A", config="swedish")
EVENT_SEARCH_VECTOR_FI = SearchVector("title", weight="A", config="finnish") + SearchVector(
    "place", "description", weight="B", config="finnish"
)
NEWS_SEARCH_VECTOR_FI = SearchVector("title", weight="A", config="finnish") + SearchVector(
    "body", weight="B", config="finnish"
)


class VisibleQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        """Everything for readers with a role; only public rows for anybody else."""
        return self if can_read_internal(user) else self.public()


class Theme(TranslatedNameMixin, models.Model):
    """A theme of development work: a small vocabulary kept by Pikassos."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name


class Project(TranslatedNameMixin, TimeStampedModel, VersionedModel):
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(
        _("address name"),
        max_length=100,
        unique=True,
        help_text=_("Part of the page address, e.g. top. Made from the name when left empty."),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    period_precision = models.CharField(
        _("precision of the period"),
        max_length=8,
        choices=PeriodPrecision.choices,
        default=PeriodPrecision.DAY,
        help_text=_("Choose “Years only” when only the years are known, e.g. 2020–2022."),
    )
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, blank=True)
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_projects",
    )
    programme = models.CharField(
        _("programme"),
        max_length=200,
        blank=True,
        help_text=_("The programme the project is part of, e.g. LAPE."),
    )
    pikassos_role = models.CharField(
        _("Pikassos' role"), max_length=16, choices=ProjectRole.choices, blank=True
    )
    responsible_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff"),
        related_name="responsible_projects",
        blank=True,
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="projects", blank=True
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        through="Partnership",
        related_name="partner_projects",
        blank=True,
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, [links](https://…).")
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public projects can be read without logging in."),
    )

    # The search documents stored (development/search.py): ranking and filtering read
    # them instead of computing each row's vectors (issue 18).
    search_fi = models.GeneratedField(
        expression=PROJECT_SEARCH_VECTOR_FI, output_field=SearchVectorField(), db_persist=True
    )
    search_sv = models.GeneratedField(
        expression=PROJECT_SEARCH_VECTOR_SV, output_field=SearchVectorField(), db_persist=True
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["status", "name"]),
            models.Index(fields=["pikassos_role", "name"]),
            models.Index(fields=["is_public", "name"]),
            GinIndex(fields=["search_fi"], name="project_search_fi_idx"),
            GinIndex(fields=["search_sv"], name="project_search_sv_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_period_ordered",
                violation_error_message=_("The project cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})


class Partnership(models.Model):
    """A partner organisation of a project and its role there."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=16, choices=ProjectRole.choices, blank=True)
    contribution = models.CharField(
        _("contribution"),
        max_length=300,
        blank=True,
        help_text=_("What the organisation does in the project."),
    )

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="partnership_unique_organisation",
                violation_error_message=_("This organisation is already a partner."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self):
        return f"{self.organisation} – {self.project}"


class ProjectLink(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="links"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("project link")
        verbose_name_plural = _("project links")
        ordering = ["title"]

    def __str__(self):
        return self.title


class ProjectOutput(models.Model):
    """A result of a project: a report, a publication, a tool."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="outputs"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=OutputKind.choices, default=OutputKind.REPORT
    )
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("project output")
        verbose_name_plural = _("project outputs")
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title


class EventQuerySet(VisibleQuerySet):
    def upcoming(self, now=None):
        """Events not yet over, the next first (an event under way is still upcoming)."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(UUIDModel, TimeStampedModel, VersionedModel):
    """A workshop, network meeting, training... held in a place, remotely or both."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.WORKSHOP
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Address or room.")
    )
    remote_url = models.URLField(
        _("remote link"),
        max_length=500,
        blank=True,
        help_text=_("Teams, Zoom or another remote meeting link."),
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    target_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("target organisations"),
        related_name="targeted_events",
        blank=True,
    )
    registration_url = models.URLField(_("registration link"), max_length=500, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, [links](https://…).")
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public events can be read without logging in and are in the calendar feed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The search document stored (development/search.py; see Project.search_fi).
    search_fi = models.GeneratedField(
        expression=EVENT_SEARCH_VECTOR_FI, output_field=SearchVectorField(), db_persist=True
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["ends_at", "starts_at"]),
            models.Index(fields=["is_public", "ends_at", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
            GinIndex(fields=["search_fi"], name="event_search_fi_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(remote_url=""),
                name="event_has_place_or_remote_link",
                violation_error_message=_("Give a place or a remote link."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"uuid": self.uuid})

    @property
    def is_over(self):
        return self.ends_at < timezone.now()


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


# The search document of a news item; the GIN index below is built on the same expression.
# The "simple" configuration does not stem, so Finnish and Swedish texts search alike.
NEWS_SEARCH_VECTOR = SearchVector("title", "body", config="simple")
MAX_SEARCH_WORDS = 8


class NewsItemQuerySet(VisibleQuerySet):
    def published(self, now=None):
        return self.filter(published_at__lte=now or timezone.now())

    def visible_to(self, user):
        """Editors also see scheduled items; readers the published ones; others public ones."""
        if can_edit(user):
            return self
        return super().visible_to(user).published()

    def search(self, text):
        """Every word must start a word of the title or body (prefix match, any language)."""
        words = re.findall(r"\w+", text)[:MAX_SEARCH_WORDS]
        if not words:
            return self
        query = SearchQuery(" & ".join(f"{w}:*" for w in words), config="simple", search_type="raw")
        return self.alias(search=NEWS_SEARCH_VECTOR).filter(search=query)


class NewsItem(UUIDModel, TimeStampedModel, VersionedModel):
    """A news or knowledge item for the region's social-services actors."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Markdown: **bold**, lists, ## headings, [links](https://…).")
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), related_name="news_items", blank=True
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("related projects"), related_name="news_items", blank=True
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("related organisations"),
        related_name="news_items",
        blank=True,
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A future date keeps the item hidden from readers until then."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public items can be read without logging in and are in the news feed."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The site search's document stored (development/search.py; see Project.search_fi).
    search_fi = models.GeneratedField(
        expression=NEWS_SEARCH_VECTOR_FI, output_field=SearchVectorField(), db_persist=True
    )

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["-published_at"], name="newsitem_published_idx"),
            models.Index(fields=["is_public", "-published_at"], name="newsitem_public_idx"),
            GinIndex(NEWS_SEARCH_VECTOR, name="newsitem_search_idx"),
            GinIndex(fields=["search_fi"], name="newsitem_search_fi_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"uuid": self.uuid})

    @property
    def is_published(self):
        return self.published_at <= timezone.now()
