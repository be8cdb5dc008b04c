"""Retention of the question desk: the asker's data goes DEVELOPMENT_QUESTION_RETENTION_YEARS
after the question was answered or closed; the published answer and the statistics stay."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.factories import make_user
from common.retention import ERASED
from development.factories import PublishedAnswerFactory, QuestionFactory
from development.models import QuestionStatus

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=3 * 365)


def test_the_askers_data_is_erased_after_the_period_and_the_public_answer_stays(settings):
    settings.DEVELOPMENT_QUESTION_RETENTION_YEARS = 2
    asker = make_user("social_worker", username="kysyja")
    old = QuestionFactory(
        status=QuestionStatus.CLOSED,
        closed_at=LONG_AGO,
        answer="Vastaus Sannalle.",
        answered_at=LONG_AGO,
        asked_by=asker,
    )
    published = PublishedAnswerFactory(source=old, answer="Pikassos tukee kehittämistä.")
    recent = QuestionFactory(status=QuestionStatus.CLOSED, closed_at=timezone.now())
    unanswered = QuestionFactory(created_at=LONG_AGO)
    call_command("apply_retention", verbosity=0)
    old.refresh_from_db()
    assert old.contact_name == ERASED and old.contact_email == "" and old.text == ERASED
    assert old.answer == ERASED and old.asked_by is None
    assert old.organisation_display and old.status == QuestionStatus.CLOSED  # statistics
    published.refresh_from_db()
    assert published.answer == "Pikassos tukee kehittämistä."
    recent.refresh_from_db()
    assert recent.contact_name == "Sanna Kysyjä"
    unanswered.refresh_from_db()  # still waiting for its answer: kept
    assert unanswered.contact_email == "sanna.kysyja@example.invalid"
