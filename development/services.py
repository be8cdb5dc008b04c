"""The question desk's steps. Each locks the question (SELECT ... FOR UPDATE), checks the
state it is in and refuses an illegal step with a WorkflowError, whose message the view
shows: two staff members acting at once cannot both move or answer the same question.

new → in progress → answered → closed; a new or in-progress question may also be closed
unanswered (a duplicate, spam). The answer's e-mail is queued in the outbox (django-mailer,
common/outbox.py) in the step's transaction: the asker's address is used for nothing else.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from development import policies
from development.models import PublishedAnswer, Question, QuestionStatus

S = QuestionStatus

# step: (the states it may start from, the state it leads to)
TRANSITIONS = {
    "start": ({S.NEW}, S.IN_PROGRESS),
    "answer": ({S.IN_PROGRESS}, S.ANSWERED),
    "close": ({S.NEW, S.IN_PROGRESS, S.ANSWERED}, S.CLOSED),
}
# Steps a button takes without a form of its own.
SIMPLE_STEPS = ("start", "close")


def _locked(question):
    return Question.objects.select_for_update().get(pk=question.pk)


def _check(question, step, by):
    if not policies.can_handle_questions(by):
        raise WorkflowError(_("Only Pikassos' staff handle questions."))
    sources, _target = TRANSITIONS[step]
    if question.status not in sources:
        raise WorkflowError(
            _("This cannot be done to a question whose status is “%(status)s”.")
            % {"status": question.get_status_display()}
        )


def ask(*, form, user, language):
    """Save a new question from the ask form (DevelopmentQuestionForm)."""
    question = form.save(commit=False)
    if user is not None and user.is_authenticated:
        question.asked_by = user
    question.language = language
    question.status = S.NEW
    question.save()
    return question


@transaction.atomic
def take_step(question, step, *, by):
    """A step without a form: start or close."""
    if step not in SIMPLE_STEPS:
        raise WorkflowError(_("Unknown step."))
    question = _locked(question)
    _check(question, step, by)
    question.status = TRANSITIONS[step][1]
    fields = ["status", "updated_at"]
    if step == "start" and question.assigned_to_id is None:
        question.assigned_to = by
        fields.append("assigned_to")
    if step == "close":
        question.closed_at = timezone.now()
        fields.append("closed_at")
    question.save(update_fields=fields)
    return question


@transaction.atomic
def assign(question, assignee, *, by):
    question = _locked(question)
    if not policies.can_handle_questions(by):
        raise WorkflowError(_("Only Pikassos' staff handle questions."))
    if question.status == S.CLOSED:
        raise WorkflowError(_("A closed question is no longer assigned."))
    if assignee is not None and not policies.can_handle_questions(assignee):
        raise WorkflowError(_("Questions are assigned to Pikassos' staff only."))
    question.assigned_to = assignee
    question.save(update_fields=["assigned_to", "updated_at"])
    return question


@transaction.atomic
def link(question, *, topic, project, by):
    question = _locked(question)
    if not policies.can_handle_questions(by):
        raise WorkflowError(_("Only Pikassos' staff handle questions."))
    question.topic = topic
    question.project = project
    question.save(update_fields=["topic", "project", "updated_at"])
    return question


@transaction.atomic
def answer(question, text, *, by):
    """Answer an in-progress question and queue the e-mail to the asker."""
    question = _locked(question)
    _check(question, "answer", by)
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write the answer."))
    question.answer = text
    question.answered_at = timezone.now()
    question.answered_by = by
    question.status = S.ANSWERED
    if question.assigned_to_id is None:
        question.assigned_to = by
    question.save()
    _send_answer(question)
    return question


def _send_answer(question):
    language = question.language if question.language in ("fi", "sv", "en") else "fi"
    # The staff's answer only: the asker's own words, which may name somebody, stay in the
    # portal (the house rule: no personal data in e-mails).
    with translation.override(language):
        subject = _("Answer to your development question – Pikassos")
        body = "\n\n".join(
            [
                _("Hello,"),
                _("thank you for your question. Pikassos' answer:"),
                question.answer,
                _("Best regards, Pikassos"),
            ]
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [question.contact_email])


@transaction.atomic
def publish(question, *, by, question_text, answer_text, question_sv="", answer_sv=""):
    """Publish an answered question, reworded by the staff, as a public Q&A page (or
    update the published one). The asker's name, e-mail, organisation and own words are
    never copied: the public page shows only what is given here."""
    question = _locked(question)
    if not policies.can_handle_questions(by):
        raise WorkflowError(_("Only Pikassos' staff handle questions."))
    if question.answered_at is None or question.status not in (S.ANSWERED, S.CLOSED):
        raise WorkflowError(_("Only an answered question can be published."))
    published, _created = PublishedAnswer.objects.update_or_create(
        source=question,
        defaults={
            "question": question_text.strip(),
            "answer": answer_text.strip(),
            "question_sv": question_sv.strip(),
            "answer_sv": answer_sv.strip(),
            "topic": question.topic,
            "published_by": by,
            "withdrawn_at": None,
        },
        create_defaults={
            "question": question_text.strip(),
            "answer": answer_text.strip(),
            "question_sv": question_sv.strip(),
            "answer_sv": answer_sv.strip(),
            "topic": question.topic,
            "published_by": by,
            "published_at": timezone.now(),
        },
    )
    return published


@transaction.atomic
def withdraw(question, *, by):
    question = _locked(question)
    if not policies.can_handle_questions(by):
        raise WorkflowError(_("Only Pikassos' staff handle questions."))
    updated = PublishedAnswer.objects.filter(source=question, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if not updated:
        raise WorkflowError(_("The answer is not published."))
    return question
