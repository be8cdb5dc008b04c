"""The development question desk: questions to Pikassos and their published answers.

A `Question` holds the asker's personal data (name, e-mail, organisation, own words):
only the staff and the signed-in asker see it, and the e-mail address is used only to
send the answer. A `PublishedAnswer` is what the public sees: a question and an answer
reworded by the staff without personal data, in a table of its own so that no public page
or search ever reads the asker's row.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, UUIDModel
from municipalities.models import Organisation
from projects.models import Project, Theme


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

    objects = PublishedAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("published answer")
        verbose_name_plural = _("published answers")
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["-published_at"], name="devanswer_published_idx"),
            GinIndex(ANSWER_VECTOR_FI, name="devanswer_search_fi_idx"),
            GinIndex(ANSWER_VECTOR_SV, name="devanswer_search_sv_idx"),
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
