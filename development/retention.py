"""The question desk's part of retention: a question's personal data (the asker's name,
e-mail and own words, and the answer written to them) is erased
DEVELOPMENT_QUESTION_RETENTION_YEARS after it was answered or closed. What stays is what
the desk's statistics need (topic, organisation, dates, status) and, on its own, the
reworded public answer, which never held personal data (development.models).

No law sets a period for such advisory questions; the default of two years is the
portal's proposal until Pikassos' records management plan (tiedonohjaussuunnitelma,
Act on Information Management 906/2019, 21 §) sets one.
"""

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce

from common.retention import ERASED, erasure, years_ago
from development.models import Question

# {field: what retention writes}, as common.retention.erasure reads it.
QUESTION_PERSONAL_FIELDS = {
    "contact_name": ERASED,
    "contact_email": "",
    "text": ERASED,
    "answer": ERASED,
    "asked_by": None,
}


def due(now=None):
    """The questions answered or closed over the period ago whose data is not erased yet."""
    limit = years_ago(settings.DEVELOPMENT_QUESTION_RETENTION_YEARS, now)
    return (
        Question.objects.annotate(done_at=Coalesce("closed_at", "answered_at"))
        .filter(done_at__lt=limit)
        .exclude(Q(contact_name=ERASED) & Q(contact_email=""))
    )


def erase_questions(now=None):
    """Erase the due questions' personal data; returns how many."""
    return Question.objects.filter(pk__in=due(now).values("pk")).update(
        **erasure(QUESTION_PERSONAL_FIELDS)
    )
