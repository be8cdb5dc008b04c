"""The development question desk: questions to Pikassos and their published answers.

A `Question` holds the asker's personal data (name, e-mail, organisation, own words):
only the staff and the signed-in asker see it, and the e-mail address is used only to
send the answer. A `PublishedAnswer` is what the public sees: a question and an answer
reworded by the staff without personal data, in a table of its own so that no public page
or search ever reads the asker's row.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, UUIDModel, VersionedModel
from municipalities.models import Organisation
from projects.models import Event, NewsItem, Project, ProjectRole, Theme

# The bulletin (issue 19, part 5) -------------------------------------------------------
# Kept in one block near the top of this module; the question desk follows it.
#
# A subscriber's address is kept only while it is needed: from the subscription until its
# confirmation link expires (an unconfirmed one is then deleted whole: no consent was
# given), and from the confirmation until the unsubscription. When a subscriber
# unsubscribes the address is erased, and what stays is the record of consent, which the
# controller must be able to show (GDPR art. 7(1) and 5(2), accountability): when consent
# was asked and given, which version of the consent text in which language, the language
# of the bulletin, and when it was withdrawn, tied to the person only by a keyed hash of
# the address (HMAC with the portal's secret key): Pikassos can answer "did this address
# consent, and when did it withdraw?" when the person asks, and nobody can read the
# addresses back from the table.

BULLETIN_LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish"))]
# The version of the consent text on the subscription form (templates/development/
# bulletin_subscribe.html): change it when the text changes, so each record names the
# text its subscriber agreed to.
CONSENT_TEXT_VERSION = "2026-11"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def current(self):
        """Pending and confirmed subscriptions: the rows that still hold an address."""
        return self.filter(unsubscribed_at__isnull=True)


class Subscriber(UUIDModel, TimeStampedModel):
    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        blank=True,
        help_text=_("Erased when the subscriber unsubscribes."),
    )
    email_hash = models.CharField(_("address hash"), max_length=64, db_index=True)
    language = models.CharField(
        _("language of the bulletin"), max_length=2, choices=BULLETIN_LANGUAGES, default="fi"
    )
    consent_text_version = models.CharField(_("version of the consent text"), max_length=20)
    consent_language = models.CharField(_("language of the consent text"), max_length=8)
    # The confirmation link's token is never stored, only its SHA-256; it is cleared when
    # used, so a link works once.
    confirm_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirm_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("consent confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulletin subscriber")
        verbose_name_plural = _("bulletin subscribers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["confirmed_at"],
                condition=Q(unsubscribed_at__isnull=True),
                name="devsubscriber_active_idx",
            ),
        ]
        constraints = [
            # One current subscription per address; the records of past ones stay.
            models.UniqueConstraint(
                fields=["email_hash"],
                condition=Q(unsubscribed_at__isnull=True),
                name="devsubscriber_one_current",
            ),
            models.UniqueConstraint(
                fields=["confirm_token_hash"],
                condition=~Q(confirm_token_hash=""),
                name="devsubscriber_token_unique",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fi", "sv"]), name="devsubscriber_language_valid"
            ),
            # An unsubscribed row has no address; a current one has.
            models.CheckConstraint(
                condition=(Q(unsubscribed_at__isnull=True) & ~Q(email=""))
                | (Q(unsubscribed_at__isnull=False) & Q(email="") & Q(confirm_token_hash="")),
                name="devsubscriber_erased_when_unsubscribed",
            ),
        ]

    def __str__(self):
        return _("Subscriber of %(date)s") % {"date": self.created_at.strftime("%d.%m.%Y")}

    @property
    def status_display(self):
        if self.unsubscribed_at:
            return _("Unsubscribed")
        if self.confirmed_at:
            return _("Confirmed")
        return _("Waiting for confirmation")


class Bulletin(UUIDModel, TimeStampedModel):
    """A bulletin composed by the staff from news and upcoming events, sent once."""

    title = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    intro = models.TextField(_("introduction in Finnish"), max_length=5000)
    intro_sv = models.TextField(_("introduction in Swedish"), max_length=5000)
    news_items = models.ManyToManyField(
        NewsItem, verbose_name=_("news"), related_name="bulletins", blank=True
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("events"), related_name="bulletins", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("composed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(_("messages queued"), default=0)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["-sent_at"], condition=Q(sent_at__isnull=False), name="devbulletin_sent_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=False) | Q(recipient_count=0),
                name="devbulletin_count_when_sent",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("development:bulletin_detail", kwargs={"uuid": self.uuid})

    @property
    def is_sent(self):
        return self.sent_at is not None

    def title_in(self, language):
        return self.title_sv if language == "sv" and self.title_sv else self.title

    def intro_in(self, language):
        return self.intro_sv if language == "sv" and self.intro_sv else self.intro


# The question desk ---------------------------------------------------------------------


class QuestionStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class QuestionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=QuestionStatus.CLOSED)


class Question(UUIDModel, TimeStampedModel):
    topic = models.ForeignKey(
        Theme,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_questions",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_questions",
    )
    organisation_name = models.CharField(
        _("organisation (if not in the list)"), max_length=200, blank=True
    )
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail address"), max_length=254)
    text = models.TextField(_("question"), max_length=5000)
    # The language the asker used the portal in: the answer's e-mail is in it.
    language = models.CharField(_("language"), max_length=8, default="fi")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_questions",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_development_questions",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("related project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_questions",
    )
    answer = models.TextField(_("answer"), blank=True, max_length=10000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("development question")
        verbose_name_plural = _("development questions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="devquestion_status_idx"),
            # The desk's queue (all but the closed, newest first): a page read in index
            # order, not every open question joined and sorted (7 ms at 5 000, issue 18).
            models.Index(
                fields=["-created_at", "-id"],
                condition=~Q(status=QuestionStatus.CLOSED),
                name="devquestion_open_idx",
            ),
            models.Index(fields=["assigned_to", "status"], name="devquestion_assigned_idx"),
            models.Index(fields=["asked_by", "-created_at"], name="devquestion_asker_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QuestionStatus.values),
                name="devquestion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="devquestion_has_organisation",
                violation_error_message=_("Choose your organisation or write its name."),
            ),
            # An answered question has its answer; a closed one may have been closed unanswered.
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="devquestion_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.CLOSED) | Q(closed_at__isnull=False),
                name="devquestion_closed_has_date",
            ),
        ]

    def __str__(self):
        return _("Question of %(date)s") % {"date": self.created_at.strftime("%d.%m.%Y")}

    def get_absolute_url(self):
        return reverse("development:question_detail", kwargs={"uuid": self.uuid})

    @property
    def organisation_display(self):
        return str(self.organisation) if self.organisation_id else self.organisation_name


# The search documents of a published answer, Finnish and Swedish; the GIN indexes below
# are built on the same expressions, which development/search.py queries.
ANSWER_VECTOR_FI = SearchVector("question", weight="A", config="finnish") + SearchVector(
    "answer", weight="B", config="finnish"
)
ANSWER_VECTOR_SV = SearchVector("question_sv", weight="A", config="swedish") + SearchVector(
    "answer_sv", weight="B", config="swedish"
)


class PublishedAnswerQuerySet(models.QuerySet):
    def public(self):
        return self.filter(withdrawn_at__isnull=True)


class PublishedAnswer(UUIDModel, TimeStampedModel):
    """A question and its answer as the public reads them, reworded by the staff."""

    source = models.OneToOneField(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="published",
    )
    question = models.TextField(
        _("public question in Finnish"),
        max_length=2000,
        help_text=_("Reworded without names, contact details or anything else personal."),
    )
    answer = models.TextField(_("public answer in Finnish"), max_length=10000)
    question_sv = models.TextField(_("public question in Swedish"), max_length=2000, blank=True)
    answer_sv = models.TextField(_("public answer in Swedish"), max_length=10000, blank=True)
    topic = models.ForeignKey(
        Theme,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_answers",
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    # The search documents stored (development/search.py): ranking and filtering read
    # them instead of computing each row's vectors (issue 18).
    search_fi = models.GeneratedField(
        expression=ANSWER_VECTOR_FI, output_field=SearchVectorField(), db_persist=True
    )
    search_sv = models.GeneratedField(
        expression=ANSWER_VECTOR_SV, output_field=SearchVectorField(), db_persist=True
    )

    objects = PublishedAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("published answer")
        verbose_name_plural = _("published answers")
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["-published_at"], name="devanswer_published_idx"),
            GinIndex(fields=["search_fi"], name="devanswer_search_fi_idx"),
            GinIndex(fields=["search_sv"], name="devanswer_search_sv_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(question_sv="", answer_sv="") | (~Q(question_sv="") & ~Q(answer_sv="")),
                name="devanswer_swedish_complete",
                violation_error_message=_("Give both the Swedish question and answer, or neither."),
            ),
        ]

    def __str__(self):
        return self.display_question[:80]

    def get_absolute_url(self):
        return reverse("development:answer_detail", kwargs={"uuid": self.uuid})

    @property
    def in_swedish(self):
        return get_language() == "sv" and bool(self.question_sv)

    @property
    def display_question(self):
        return self.question_sv if self.in_swedish else self.question

    @property
    def display_answer(self):
        return self.answer_sv if self.in_swedish else self.answer


# ----------------------------------------------------------------------------------------
# Project planning and networks (issue 19, parts 3 and 4). The ideas live here, not in
# `projects`: development sits above projects, so an idea may create and link a Project
# while projects knows nothing of ideas.
# ----------------------------------------------------------------------------------------


class IdeaState(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNING = "planning", _("Planning")
    APPLIED = "applied", _("Funding applied")
    FUNDED = "funded", _("Funded")
    NOT_FUNDED = "not_funded", _("Not funded")


# States in which the funder's call and its deadline must be known.
IDEA_STATES_WITH_CALL = (IdeaState.APPLIED, IdeaState.FUNDED, IdeaState.NOT_FUNDED)


class ProjectIdea(UUIDModel, TimeStampedModel, VersionedModel):
    """A project before it is funded: who plans it, with whom, for which funder's call."""

    name = models.CharField(_("working name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), related_name="project_ideas", blank=True
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_project_ideas",
    )
    call = models.CharField(
        _("funder's call"),
        max_length=200,
        blank=True,
        help_text=_("The call or programme applied to, e.g. STEA's general grants 2027."),
    )
    call_deadline = models.DateField(_("deadline of the call"), null=True, blank=True)
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        related_name="project_ideas",
        blank=True,
    )
    pikassos_role = models.CharField(
        _("Pikassos' intended role"), max_length=16, choices=ProjectRole.choices, blank=True
    )
    planner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible planner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_project_ideas",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=IdeaState.choices, default=IdeaState.IDEA
    )
    # The project made of a funded idea (development.services.create_project).
    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")
        ordering = ["call_deadline", "name"]
        indexes = [
            models.Index(fields=["state", "call_deadline"], name="devidea_pipeline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=IdeaState.values), name="devidea_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=IDEA_STATES_WITH_CALL)
                | (~Q(call="") & Q(call_deadline__isnull=False)),
                name="devidea_applied_has_call",
                violation_error_message=_("Give the funder's call and its deadline."),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(state=IdeaState.FUNDED),
                name="devidea_project_only_when_funded",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("development:idea_detail", kwargs={"uuid": self.uuid})


class ProjectIdeaStep(models.Model):
    """One change of an idea's state: who moved it and when (shown on the idea's page)."""

    idea = models.ForeignKey(
        ProjectIdea, verbose_name=_("project idea"), on_delete=models.CASCADE, related_name="steps"
    )
    from_state = models.CharField(_("from"), max_length=16, choices=IdeaState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=IdeaState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("state change of a project idea")
        verbose_name_plural = _("state changes of project ideas")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["idea", "at"], name="devideastep_idea_idx")]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class NetworkQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Network(UUIDModel, TimeStampedModel, VersionedModel):
    """A named network of the region's organisations, e.g. a child-protection network."""

    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    members = models.ManyToManyField(
        Organisation,
        verbose_name=_("member organisations"),
        related_name="networks",
        blank=True,
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "A public network's name, members and public meetings can be read without "
            "logging in; its contact persons never."
        ),
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]
        indexes = [models.Index(fields=["is_public", "name"], name="devnetwork_public_idx")]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("development:network_detail", kwargs={"uuid": self.uuid})

    @property
    def display_name(self):
        return self.name_sv if get_language() == "sv" and self.name_sv else self.name


class ContactBasis(models.TextChoices):
    """Why a contact person's work details are kept (GDPR art. 6)."""

    LEGITIMATE_INTEREST = (
        "legitimate_interest",
        _("Legitimate interest: the network's coordination"),
    )
    PUBLIC_TASK = "public_task", _("Task in the public interest")
    CONSENT = "consent", _("Consent of the person")


class NetworkContact(UUIDModel, TimeStampedModel):
    """A network's contact person: work role and work contact details only."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_contacts",
    )
    work_role = models.CharField(_("work role"), max_length=200)
    work_email = models.EmailField(_("work e-mail address"), max_length=254, blank=True)
    work_phone = models.CharField(_("work phone"), max_length=50, blank=True)
    basis = models.CharField(
        _("basis for keeping the details"),
        max_length=32,
        choices=ContactBasis.choices,
        default=ContactBasis.LEGITIMATE_INTEREST,
    )
    retention_note = models.CharField(
        _("retention"),
        max_length=300,
        help_text=_("How long the details are kept, e.g. until the person leaves the network."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact person of a network")
        verbose_name_plural = _("contact persons of networks")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=ContactBasis.values), name="devcontact_basis_valid"
            ),
            models.CheckConstraint(
                condition=~Q(work_email="") | ~Q(work_phone=""),
                name="devcontact_has_work_contact",
                violation_error_message=_("Give a work e-mail address or a work phone."),
            ),
        ]

    def __str__(self):
        return self.name


class NetworkMeeting(models.Model):
    """An event (projects.Event) that is a meeting of a network: an event belongs to one
    network at most, which the unique event enforces."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="meetings"
    )
    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="network_meeting"
    )

    class Meta:
        verbose_name = _("meeting of a network")
        verbose_name_plural = _("meetings of networks")

    def __str__(self):
        return f"{self.network} – {self.event}"
