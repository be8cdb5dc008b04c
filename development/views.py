from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import allowed_if
from common.exceptions import WorkflowError
from development import policies, ratelimit, search, services
from development.forms import (
    AnswerForm,
    AssignForm,
    LinkForm,
    PublishForm,
    QuestionForm,
    QueueFilterForm,
    SearchForm,
)
from development.models import PublishedAnswer, Question

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
    return render(
        request,
        "development/queue.html",
        {"form": form, "page_obj": page, "questions": page.object_list},
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
