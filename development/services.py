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
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from development import policies
from development.models import (
    IDEA_STATES_WITH_CALL,
    IdeaState,
    NetworkContact,
    NetworkMeeting,
    ProjectIdea,
    ProjectIdeaStep,
    PublishedAnswer,
    Question,
    QuestionStatus,
)
from projects.models import Event, Partnership, Project, ProjectRole, ProjectStatus

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


# Project planning (issue 19, part 3) ------------------------------------------------------
#
# idea → planning → funding applied → funded / not funded; an idea not funded may be
# planned again for another call. Each step locks the idea, checks its state and records
# who took it and when (ProjectIdeaStep). A funded idea becomes a project without retyping.

IS = IdeaState

IDEA_TRANSITIONS = {
    "plan": ({IS.IDEA, IS.NOT_FUNDED}, IS.PLANNING),
    "apply": ({IS.PLANNING}, IS.APPLIED),
    "fund": ({IS.APPLIED}, IS.FUNDED),
    "reject": ({IS.APPLIED}, IS.NOT_FUNDED),
}


def _locked_idea(idea):
    return ProjectIdea.objects.select_for_update().get(pk=idea.pk)


def _check_planner(by):
    if not policies.can_plan(by):
        raise WorkflowError(_("Only Pikassos' staff plan projects."))


def _check_call(idea):
    if not idea.call.strip() or idea.call_deadline is None:
        raise WorkflowError(
            _("Give the funder's call and its deadline before marking the funding applied.")
        )


@transaction.atomic
def save_idea(*, form, by):
    """Create an idea, or save an edit of its fields. The state and the project are never
    written here: a step taken meanwhile by somebody else is not undone by an old form."""
    creating = form.instance._state.adding
    idea = form.save(commit=False)  # an edit: locks the row and checks its version
    if creating:
        idea.created_by = by
        idea.state = IS.IDEA
        idea.save()
    else:
        current = ProjectIdea.objects.get(pk=idea.pk)  # locked by the form
        if current.state in IDEA_STATES_WITH_CALL:
            _check_call(idea)
        idea.version = current.version + 1
        fields = [f for f in form._meta.fields if f not in ("themes", "partners")]
        idea.save(update_fields=[*fields, "version", "updated_at"])
    form.save_m2m()
    return idea


@transaction.atomic
def take_idea_step(idea, step, *, by):
    if step not in IDEA_TRANSITIONS:
        raise WorkflowError(_("Unknown step."))
    _check_planner(by)
    idea = _locked_idea(idea)
    sources, target = IDEA_TRANSITIONS[step]
    if idea.state not in sources:
        raise WorkflowError(
            _("This cannot be done to an idea whose state is “%(state)s”.")
            % {"state": idea.get_state_display()}
        )
    if target in IDEA_STATES_WITH_CALL:
        _check_call(idea)
    ProjectIdeaStep.objects.create(idea=idea, from_state=idea.state, to_state=target, by=by)
    idea.state = target
    idea.save(update_fields=["state", "updated_at"])
    return idea


def _free_slug(base):
    """The base (from the idea's name), or base-2, base-3... if a project has it."""
    base = (base or "hanke")[: Project._meta.get_field("slug").max_length - 4].strip("-")
    taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_project(idea, *, by):
    """Make the project of a funded idea from its fields, and link the two. The project
    starts internal and planned; its editors complete it (dates, public text) on its page."""
    _check_planner(by)
    idea = _locked_idea(idea)
    if idea.state != IS.FUNDED:
        raise WorkflowError(_("Only a funded idea becomes a project."))
    if idea.project_id is not None:
        raise WorkflowError(_("The project of this idea has already been created."))
    project = Project.objects.create(
        name=idea.name,
        slug=_free_slug(slugify(idea.name)),
        status=ProjectStatus.PLANNED,
        funder=idea.funder,
        # The call the funding came from is the programme the project is part of.
        programme=idea.call[: Project._meta.get_field("programme").max_length],
        pikassos_role=idea.pikassos_role,
        description=idea.description,
        is_public=False,
    )
    project.themes.set(idea.themes.all())
    if idea.planner_id is not None:
        project.responsible_staff.add(idea.planner_id)
    Partnership.objects.bulk_create(
        Partnership(project=project, organisation=organisation, role=ProjectRole.PARTNER)
        for organisation in idea.partners.all()
    )
    idea.project = project
    idea.save(update_fields=["project", "updated_at"])
    return project


# Networks (issue 19, part 4) --------------------------------------------------------------


@transaction.atomic
def save_network(*, form, by):
    if not policies.can_manage_networks(by):
        raise WorkflowError(_("Only Pikassos' staff manage networks."))
    network = form.save()
    return network


@transaction.atomic
def add_contact(network, *, form, by):
    if not policies.can_manage_networks(by):
        raise WorkflowError(_("Only Pikassos' staff manage networks."))
    contact = form.save(commit=False)
    contact.network = network
    contact.added_by = by
    contact.save()
    return contact


@transaction.atomic
def remove_contact(network, contact_uuid, *, by):
    if not policies.can_manage_networks(by):
        raise WorkflowError(_("Only Pikassos' staff manage networks."))
    deleted, _rows = NetworkContact.objects.filter(network=network, uuid=contact_uuid).delete()
    if not deleted:
        raise WorkflowError(_("The contact person is no longer in the network."))


@transaction.atomic
def add_meeting(network, event, *, by):
    """Mark an event as a meeting of the network; an event already another network's stays
    with it (the unique event), and the row lock keeps two staff from racing."""
    if not policies.can_manage_networks(by):
        raise WorkflowError(_("Only Pikassos' staff manage networks."))
    Event.objects.select_for_update().get(pk=event.pk)
    existing = NetworkMeeting.objects.filter(event=event).select_related("network").first()
    if existing is not None:
        if existing.network_id == network.pk:
            raise WorkflowError(_("The event is already a meeting of this network."))
        raise WorkflowError(
            _("The event is already a meeting of the network “%(network)s”.")
            % {"network": existing.network}
        )
    return NetworkMeeting.objects.create(network=network, event=event)


@transaction.atomic
def remove_meeting(network, event_uuid, *, by):
    if not policies.can_manage_networks(by):
        raise WorkflowError(_("Only Pikassos' staff manage networks."))
    deleted, _rows = NetworkMeeting.objects.filter(network=network, event__uuid=event_uuid).delete()
    if not deleted:
        raise WorkflowError(_("The event is not a meeting of this network."))
