from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import allowed_if
from common.exceptions import WorkflowError
from common.versioning import EditConflict
from development import policies, ratelimit, rows, search, services
from development.forms import (
    AnswerForm,
    AssignForm,
    LinkForm,
    MeetingForm,
    NetworkContactForm,
    NetworkForm,
    ProjectIdeaForm,
    PublishForm,
    QuestionForm,
    QueueFilterForm,
    SearchForm,
)
from development.models import IdeaState, Network, ProjectIdea, PublishedAnswer, Question
from municipalities.models import Organisation
from projects.models import Event

PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 20


# The question form ----------------------------------------------------------------------


@login_not_required
@allowed_if(policies.can_ask)
@require_http_methods(["GET", "POST"])
def ask(request):
    user = request.user
    form = QuestionForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if form.is_bound and form.is_valid():
        if not ratelimit.allow(request):
            messages.error(
                request,
                _("Too many questions from your address. Please try again in an hour."),
            )
            return render(request, "development/ask.html", {"form": form}, status=429)
        # A bot that filled in the honeypot is answered as if all went well, with nothing saved.
        if not form.is_spam:
            question = services.ask(form=form, user=user, language=get_language())
        messages.success(
            request, _("Thank you. Your question was sent; Pikassos answers by e-mail.")
        )
        if not form.is_spam and policies.can_see_question(user, question):
            return redirect(question)
        return redirect("development:answer_list")
    return render(request, "development/ask.html", {"form": form}, status=status)


# The public questions and answers -------------------------------------------------------


@login_not_required
@allowed_if(policies.can_read_answers)
@require_safe
def answer_list(request):
    answers = PublishedAnswer.objects.public().select_related("topic").order_by("-published_at")
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/answer_list.html",
        {"page_obj": page, "answers": page.object_list},
    )


@login_not_required
@allowed_if(policies.can_read_answers)
@require_safe
def answer_detail(request, uuid):
    answer = get_object_or_404(PublishedAnswer.objects.public().select_related("topic"), uuid=uuid)
    return render(request, "development/answer_detail.html", {"answer": answer})


# The staff's queue and the asker's own questions ------------------------------------------


@allowed_if(policies.can_handle_questions)
@require_safe
def queue(request):
    form = QueueFilterForm(request.GET or None)
    questions = Question.objects.select_related(
        "topic", "organisation", "assigned_to", "project"
    ).order_by("-created_at", "-pk")
    questions = form.filter(questions, request.user) if form.is_bound else questions.open()
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    return render(
        request,
        "development/queue.html",
        {
            "form": form,
            "page_obj": page,
            "questions": shown,
            "question_items": rows.question_items(shown),
        },
    )


@allowed_if(policies.can_see_own_questions)
@require_safe
def my_questions(request):
    questions = (
        Question.objects.filter(asked_by=request.user)
        .select_related("topic")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/my_questions.html",
        {"page_obj": page, "questions": page.object_list},
    )


def _question_for(request, uuid):
    """The question if the user may open it; 404 otherwise (somebody else's included)."""
    queryset = policies.questions_for(request.user, Question.objects.all())
    return get_object_or_404(
        queryset.select_related(
            "topic", "organisation", "assigned_to", "project", "answered_by", "published"
        ),
        uuid=uuid,
    )


def _detail(request, question, status=200, **forms):
    context = {"question": question, "staff": policies.can_handle_questions(request.user)}
    if context["staff"]:
        published = getattr(question, "published", None)
        context.update(
            {
                "published": published,
                "steps": services.TRANSITIONS,
                "assign_form": forms.get("assign_form")
                or AssignForm(initial={"assigned_to": question.assigned_to_id}),
                "link_form": forms.get("link_form") or LinkForm(instance=question),
                "answer_form": forms.get("answer_form") or AnswerForm(),
                "publish_form": forms.get("publish_form")
                or PublishForm(
                    instance=published,
                    initial=None if published else {"answer": question.answer},
                ),
            }
        )
    return render(request, "development/question_detail.html", context, status=status)


@allowed_if(policies.can_see_own_questions)
@require_safe
def question_detail(request, uuid):
    return _detail(request, _question_for(request, uuid))


def _done(request, question, action, success):
    try:
        action()
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(question)


@allowed_if(policies.can_handle_questions)
@require_POST
def question_step(request, uuid, step):
    question = _question_for(request, uuid)
    if step not in services.SIMPLE_STEPS:
        raise Http404
    success = {
        "start": _("The question is now in progress."),
        "close": _("The question was closed."),
    }[step]
    return _done(
        request,
        question,
        lambda: services.take_step(question, step, by=request.user),
        success,
    )


@allowed_if(policies.can_handle_questions)
@require_POST
def question_assign(request, uuid):
    question = _question_for(request, uuid)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _detail(request, question, assign_form=form)
    return _done(
        request,
        question,
        lambda: services.assign(question, form.cleaned_data["assigned_to"], by=request.user),
        _("The handler was saved."),
    )


@allowed_if(policies.can_handle_questions)
@require_POST
def question_link(request, uuid):
    question = _question_for(request, uuid)
    form = LinkForm(request.POST, instance=Question(pk=question.pk))
    if not form.is_valid():
        return _detail(request, question, link_form=form)
    return _done(
        request,
        question,
        lambda: services.link(
            question,
            topic=form.cleaned_data["topic"],
            project=form.cleaned_data["project"],
            by=request.user,
        ),
        _("The topic and project were saved."),
    )


@allowed_if(policies.can_handle_questions)
@require_POST
def question_answer(request, uuid):
    question = _question_for(request, uuid)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, question, answer_form=form)
    return _done(
        request,
        question,
        lambda: services.answer(question, form.cleaned_data["answer"], by=request.user),
        _("The answer was sent to the asker by e-mail."),
    )


@allowed_if(policies.can_handle_questions)
@require_POST
def question_publish(request, uuid):
    question = _question_for(request, uuid)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, question, publish_form=form)
    data = form.cleaned_data
    return _done(
        request,
        question,
        lambda: services.publish(
            question,
            by=request.user,
            question_text=data["question"],
            answer_text=data["answer"],
            question_sv=data["question_sv"],
            answer_sv=data["answer_sv"],
        ),
        _("The question and answer were published."),
    )


@allowed_if(policies.can_handle_questions)
@require_POST
def question_withdraw(request, uuid):
    question = _question_for(request, uuid)
    return _done(
        request,
        question,
        lambda: services.withdraw(question, by=request.user),
        _("The published answer was withdrawn."),
    )


# The site search ------------------------------------------------------------------------


@login_not_required
@allowed_if(policies.can_search)
@require_safe
def site_search(request):
    form = SearchForm(request.GET or None)
    text = ""
    page = None
    results = []
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"].strip()
    if text:
        page = Paginator(search.ranked(request.user, text), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        results = search.hits(list(page.object_list), text)
    return render(
        request,
        "development/search.html",
        {"form": form, "q": text, "page_obj": page, "results": results},
    )


# Project planning (issue 19, part 3) ------------------------------------------------------


# The pipeline shows this many ideas of each state, the nearest deadlines (issue 18).
IDEAS_PER_STATE = 20


class _Shown(list):
    """The ideas of a state shown on the page, and how many the state has (`total`)."""

    def __init__(self, *args, total):
        super().__init__(*args)
        self.total = total


def _pipeline_order():
    # Deadlines soonest first; ideas without a deadline yet after them.
    return (F("call_deadline").asc(nulls_last=True), "name", "pk")


@allowed_if(policies.can_plan)
@require_safe
def idea_pipeline(request):
    """The ideas by state, nearest deadline first: at most IDEAS_PER_STATE of each, with
    a link to all of one state (?state=), paged. The whole list grew with every idea ever
    made (issue 18)."""
    ideas = ProjectIdea.objects.select_related("planner", "funder", "project").prefetch_related(
        "partners"
    )
    counts = dict(
        ProjectIdea.objects.order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    only = request.GET.get("state")
    page = None
    if only in IdeaState.values:
        states = [IdeaState(only)]
        page = Paginator(ideas.filter(state=only).order_by(*_pipeline_order()), PAGE_SIZE)
        page = page.get_page(request.GET.get("page"))
        shown = list(page.object_list)
    else:
        states = list(IdeaState)
        # The first IDEAS_PER_STATE of each state in one query (a window per state).
        shown = ideas.annotate(
            rank=Window(RowNumber(), partition_by=F("state"), order_by=_pipeline_order())
        ).filter(rank__lte=IDEAS_PER_STATE)
        shown = shown.order_by(*_pipeline_order())
    by_state = {state: _Shown(total=counts.get(state, 0)) for state in states}
    for idea in shown:
        by_state[idea.state].append(idea)
    for state_ideas in by_state.values():
        state_ideas.items_html = rows.idea_items(state_ideas)
    sections = [(state, state.label, by_state[state]) for state in states]
    return render(
        request,
        "development/idea_pipeline.html",
        {"sections": sections, "page_obj": page, "one_state": page is not None},
    )


def _idea_for(request, uuid):
    # Only the staff reach these views (allowed_if), and they see every idea.
    return get_object_or_404(
        ProjectIdea.objects.select_related("planner", "funder", "project", "created_by"),
        uuid=uuid,
    )


@allowed_if(policies.can_plan)
@require_safe
def idea_detail(request, uuid):
    idea = _idea_for(request, uuid)
    steps = [
        (step, label)
        for step, label in IDEA_STEP_LABELS.items()
        if idea.state in services.IDEA_TRANSITIONS[step][0]
    ]
    return render(
        request,
        "development/idea_detail.html",
        {
            "idea": idea,
            "partners": idea.partners.order_by("name"),
            "themes": idea.themes.all(),
            "history": idea.steps.select_related("by").order_by("at", "pk"),
            "steps": steps,
            "can_make_project": idea.state == IdeaState.FUNDED and idea.project_id is None,
        },
    )


@allowed_if(policies.can_plan)
@require_http_methods(["GET", "POST"])
def idea_create(request):
    return _idea_form(request, ProjectIdea())


@allowed_if(policies.can_plan)
@require_http_methods(["GET", "POST"])
def idea_edit(request, uuid):
    return _idea_form(request, _idea_for(request, uuid))


def _idea_form(request, idea):
    creating = idea.pk is None
    form = ProjectIdeaForm(request.POST if request.method == "POST" else None, instance=idea)
    if form.is_bound and form.is_valid():
        try:
            idea = services.save_idea(form=form, by=request.user)
        except EditConflict as conflict:
            form.show_conflict(conflict.current)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The project idea was saved.") if creating else _("Changes saved.")
            )
            return redirect(idea)
    return render(
        request,
        "development/idea_form.html",
        {"form": form, "idea": idea, "creating": creating},
    )


IDEA_STEP_LABELS = {
    "plan": gettext_lazy("Start planning"),
    "apply": gettext_lazy("Mark the funding applied"),
    "fund": gettext_lazy("Mark funded"),
    "reject": gettext_lazy("Mark not funded"),
}


@allowed_if(policies.can_plan)
@require_POST
def idea_step(request, uuid, step):
    idea = _idea_for(request, uuid)
    if step not in services.IDEA_TRANSITIONS:
        raise Http404
    return _done(
        request,
        idea,
        lambda: services.take_idea_step(idea, step, by=request.user),
        _("The state of the idea was changed."),
    )


@allowed_if(policies.can_plan)
@require_POST
def idea_make_project(request, uuid):
    idea = _idea_for(request, uuid)
    try:
        project = services.create_project(idea, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect(idea)
    messages.success(
        request, _("The project was created from the idea. Complete its dates and public text.")
    )
    return redirect(project)


# Networks (issue 19, part 4) --------------------------------------------------------------


@login_not_required
@allowed_if(policies.can_see_networks)
@require_safe
def network_list(request):
    networks = (
        policies.networks_for(request.user, Network.objects.all())
        .prefetch_related(Prefetch("members", Organisation.objects.order_by("name")))
        .order_by("name", "pk")
    )
    page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/network_list.html",
        {
            "page_obj": page,
            "networks": page.object_list,
            "staff": policies.can_manage_networks(request.user),
        },
    )


def _network_for(request, uuid):
    """The network if the user may open it; 404 otherwise."""
    return get_object_or_404(policies.networks_for(request.user, Network.objects.all()), uuid=uuid)


def _network_page(request, network, status=200, **forms):
    staff = policies.can_manage_networks(request.user)
    # A meeting's event is listed only to those who may read the event itself.
    meetings = (
        Event.objects.visible_to(request.user)
        .filter(network_meeting__network=network)
        .order_by("-starts_at", "-pk")
    )
    context = {
        "network": network,
        "staff": staff,
        "members": network.members.order_by("name"),
        "meetings": meetings,
        "contacts": None,
    }
    if policies.can_see_contacts(request.user, network):
        context["contacts"] = network.contacts.select_related("organisation").order_by("name", "pk")
    if staff:
        context["contact_form"] = forms.get("contact_form") or NetworkContactForm()
        context["meeting_form"] = forms.get("meeting_form") or MeetingForm()
    return render(request, "development/network_detail.html", context, status=status)


@login_not_required
@allowed_if(policies.can_see_networks)
@require_safe
def network_detail(request, uuid):
    return _network_page(request, _network_for(request, uuid))


@allowed_if(policies.can_manage_networks)
@require_http_methods(["GET", "POST"])
def network_create(request):
    return _network_form(request, Network())


@allowed_if(policies.can_manage_networks)
@require_http_methods(["GET", "POST"])
def network_edit(request, uuid):
    return _network_form(request, _network_for(request, uuid))


def _network_form(request, network):
    creating = network.pk is None
    form = NetworkForm(request.POST if request.method == "POST" else None, instance=network)
    if form.is_bound and form.is_valid():
        try:
            network = services.save_network(form=form, by=request.user)
        except EditConflict as conflict:
            form.show_conflict(conflict.current)
        else:
            messages.success(
                request, _("The network was created.") if creating else _("Changes saved.")
            )
            return redirect(network)
    return render(
        request,
        "development/network_form.html",
        {"form": form, "network": network, "creating": creating},
    )


@allowed_if(policies.can_manage_networks)
@require_POST
def network_contact_add(request, uuid):
    network = _network_for(request, uuid)
    form = NetworkContactForm(request.POST)
    if not form.is_valid():
        return _network_page(request, network, contact_form=form)
    return _done(
        request,
        network,
        lambda: services.add_contact(network, form=form, by=request.user),
        _("The contact person was added."),
    )


@allowed_if(policies.can_manage_networks)
@require_POST
def network_contact_remove(request, uuid, contact):
    network = _network_for(request, uuid)
    return _done(
        request,
        network,
        lambda: services.remove_contact(network, contact, by=request.user),
        _("The contact person was removed."),
    )


@allowed_if(policies.can_manage_networks)
@require_POST
def network_meeting_add(request, uuid):
    network = _network_for(request, uuid)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        return _network_page(request, network, meeting_form=form)
    return _done(
        request,
        network,
        lambda: services.add_meeting(network, form.cleaned_data["event"], by=request.user),
        _("The event is now a meeting of the network."),
    )


@allowed_if(policies.can_manage_networks)
@require_POST
def network_meeting_remove(request, uuid, event):
    network = _network_for(request, uuid)
    return _done(
        request,
        network,
        lambda: services.remove_meeting(network, event, by=request.user),
        _("The event is no longer a meeting of the network."),
    )
