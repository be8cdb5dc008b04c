"""The bulletin's pages (issue 19, part 5): subscribing, the links of its e-mails (they work
without logging in), the public archive, and the staff's composing, preview and sending."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import allowed_if
from common.exceptions import WorkflowError
from development import bulletin as services
from development import policies, ratelimit
from development.bulletin_forms import BulletinForm, SubscribeForm
from development.models import Bulletin

PAGE_SIZE = 20


def _language(request):
    return "sv" if get_language() == "sv" else "fi"


# Subscribing and the e-mails' links ----------------------------------------------------


@login_not_required
@allowed_if(policies.can_subscribe)
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if not ratelimit.allow(
            request, scope="subscribe", limit=settings.BULLETIN_SUBSCRIPTIONS_PER_HOUR
        ):
            messages.error(
                request,
                _("Too many subscriptions from your address. Please try again in an hour."),
            )
            return render(
                request, "development/bulletin_subscribe.html", {"form": form}, status=429
            )
        # A bot that filled in the honeypot is answered as a person is, with nothing sent.
        if not form.is_spam:
            services.subscribe(
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                consent_language=get_language(),
            )
        # The same words whether the address was new, pending or already subscribed.
        messages.success(
            request,
            _(
                "Thank you. Unless the address already subscribes, we sent a confirmation "
                "link to it: the subscription starts when you open the link and confirm. "
                "Nothing else is sent to you before that."
            ),
        )
        return redirect("development:bulletin_archive")
    return render(request, "development/bulletin_subscribe.html", {"form": form})


@login_not_required
@allowed_if(policies.can_subscribe)
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A page with a button: a link scanner that opens the link confirms nothing."""
    try:
        if request.method == "POST":
            services.confirm(token)
            messages.success(
                request,
                _("Your subscription is confirmed. The next bulletin comes to your e-mail."),
            )
            return redirect("development:bulletin_archive")
        services.pending_for(token)
    except services.LinkRefused as refused:
        return render(
            request, "development/bulletin_confirm.html", {"refused": refused.message}, status=404
        )
    return render(request, "development/bulletin_confirm.html", {"refused": None})


# Mail clients' one-click unsubscribe (RFC 8058) POSTs here without a CSRF token; the
# per-subscriber token in the address is what protects it.
@csrf_exempt
@login_not_required
@allowed_if(policies.can_subscribe)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, uuid, token):
    try:
        if request.method == "POST":
            services.unsubscribe(uuid, token)
            messages.success(request, _("You have unsubscribed from Pikassos' bulletin."))
            return redirect(request.path)
        subscriber = services.subscriber_for_unsubscribe(uuid, token)
    except services.LinkRefused as refused:
        return render(
            request,
            "development/bulletin_unsubscribe.html",
            {"refused": refused.message},
            status=404,
        )
    return render(
        request,
        "development/bulletin_unsubscribe.html",
        {"refused": None, "done": subscriber.unsubscribed_at is not None},
    )


# The public archive --------------------------------------------------------------------


@login_not_required
@allowed_if(policies.can_read_bulletins)
@require_safe
def archive(request):
    bulletins = Bulletin.objects.filter(sent_at__isnull=False).order_by("-sent_at", "-pk")
    page = Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/bulletin_archive.html",
        {
            "page_obj": page,
            "bulletins": page.object_list,
            "language": _language(request),
            "staff": policies.can_compose_bulletin(request.user),
        },
    )


@login_not_required
@allowed_if(policies.can_read_bulletins)
@require_safe
def detail(request, uuid):
    staff = policies.can_compose_bulletin(request.user)
    queryset = Bulletin.objects.all() if staff else Bulletin.objects.filter(sent_at__isnull=False)
    bulletin = get_object_or_404(queryset, uuid=uuid)
    if not bulletin.is_sent:
        return redirect("development:bulletin_preview", uuid=bulletin.uuid)
    language = _language(request)
    news, events = services.contents(bulletin)
    return render(
        request,
        "development/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "title": bulletin.title_in(language),
            "intro": bulletin.intro_in(language),
            "news": news,
            "events": events,
            "base": "",
            "staff": staff,
        },
    )


# The staff's composing, preview and sending -------------------------------------------


@allowed_if(policies.can_compose_bulletin)
@require_safe
def manage(request):
    bulletins = Bulletin.objects.order_by("-created_at", "-pk")
    page = Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/bulletin_manage.html",
        {
            "page_obj": page,
            "bulletins": page.object_list,
            "subscribers": services.confirmed_count(),
        },
    )


def _compose(request, instance):
    form = BulletinForm(request.POST if request.method == "POST" else None, instance=instance)
    if form.is_bound and form.is_valid():
        try:
            saved = services.save_draft(form, by=request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The bulletin was saved. Check the preview before sending.")
            )
            return redirect("development:bulletin_preview", uuid=saved.uuid)
    return render(request, "development/bulletin_form.html", {"form": form, "bulletin": instance})


@allowed_if(policies.can_compose_bulletin)
@require_http_methods(["GET", "POST"])
def create(request):
    return _compose(request, Bulletin())


@allowed_if(policies.can_compose_bulletin)
@require_http_methods(["GET", "POST"])
def edit(request, uuid):
    bulletin = get_object_or_404(Bulletin, uuid=uuid)
    if bulletin.is_sent:
        messages.error(request, _("A sent bulletin cannot be changed."))
        return redirect("development:bulletin_preview", uuid=bulletin.uuid)
    return _compose(request, bulletin)


@allowed_if(policies.can_compose_bulletin)
@require_safe
def preview(request, uuid):
    bulletin = get_object_or_404(Bulletin.objects.select_related("sent_by"), uuid=uuid)
    language = request.GET.get("language")
    language = language if language in services.LANGUAGES else _language(request)
    news, events = services.contents(bulletin)
    example_link = services.absolute(reverse("development:bulletin_archive")) + "…"
    subject, text, _html = services.render(
        bulletin, language, unsubscribe=example_link, news=news, events=events
    )
    return render(
        request,
        "development/bulletin_preview.html",
        {
            "bulletin": bulletin,
            "language": language,
            "subject": subject,
            "text": text,
            "title": bulletin.title_in(language),
            "intro": bulletin.intro_in(language),
            "news": news,
            "events": events,
            "base": "",
            "preview_language": language,
            "subscribers": services.confirmed_count(),
        },
    )


@allowed_if(policies.can_send_bulletin)
@require_POST
def send(request, uuid):
    bulletin = get_object_or_404(Bulletin, uuid=uuid)
    try:
        count = services.send(bulletin, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "The bulletin was queued in the outbox to %(count)s subscriber.",
                "The bulletin was queued in the outbox to %(count)s subscribers.",
                count,
            )
            % {"count": count},
        )
    return redirect("development:bulletin_preview", uuid=bulletin.uuid)
