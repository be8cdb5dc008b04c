"""The bulletin's steps (issue 19, part 5): subscribing with double opt-in, confirming,
unsubscribing, and sending a bulletin once through the outbox.

Double opt-in: a subscription is pending until its confirmation link is used, and nothing
but that one confirmation e-mail goes to a pending address. The link's token is random and
stored only as its SHA-256; it works once and for BULLETIN_CONFIRM_HOURS. Subscribing again
answers the same whatever the address's state, so the form cannot tell anybody whether an
address subscribes; a confirmed address gets no new e-mail.

The unsubscribe link of every bulletin carries a per-subscriber token derived from the
subscriber's UUID with the portal's secret (Django's salted HMAC): nothing to store, and it
cannot be guessed from the UUID. Unsubscribing erases the address and keeps the record of
consent (the basis: development/models.py, above Subscriber).

Sending locks the bulletin (SELECT ... FOR UPDATE), refuses a sent one, and queues one
message per confirmed subscriber in the outbox (django-mailer, common/outbox.py) in the same
transaction as the mark of sending: a bulletin is queued once, wholly or not at all.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from development import policies
from development.models import CONSENT_TEXT_VERSION, Bulletin, Subscriber
from projects.models import Event, NewsItem

LANGUAGES = ("fi", "sv")
# A pending subscription whose link expired this long ago is deleted (no consent was
# given, so nothing needs to be kept); until then its link says "expired", not "unknown".
PENDING_KEPT_AFTER_EXPIRY = timedelta(days=7)
# Stands for the unsubscribe link while a bulletin is rendered once per language.
_UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/"


class LinkRefused(WorkflowError):
    """A confirmation or unsubscribe link that does not work; its message says why."""


# Addresses and tokens ----------------------------------------------------------------


def normalise(email):
    return email.strip().lower()


def address_hash(email):
    """The keyed hash of an address: kept after the address is erased (accountability)."""
    return salted_hmac(
        "development.bulletin.address", normalise(email), algorithm="sha256"
    ).hexdigest()


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def unsubscribe_token(subscriber_uuid, secret=None):
    return salted_hmac(
        "development.bulletin.unsubscribe", str(subscriber_uuid), secret=secret, algorithm="sha256"
    ).hexdigest()


def _valid_unsubscribe_token(subscriber_uuid, token):
    # The links of bulletins sent before a change of SECRET_KEY keep working while the old
    # key is among SECRET_KEY_FALLBACKS, as Django's own tokens do.
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(token, unsubscribe_token(subscriber_uuid, secret))
        for secret in secrets_
    )


def absolute(path):
    return settings.PORTAL_URL.rstrip("/") + path


def unsubscribe_url(subscriber):
    return absolute(
        reverse(
            "development:bulletin_unsubscribe",
            kwargs={"uuid": subscriber.uuid, "token": unsubscribe_token(subscriber.uuid)},
        )
    )


# Subscribing -------------------------------------------------------------------------


def delete_expired_pending(now=None):
    """Unconfirmed subscriptions whose link expired a while ago: their addresses go."""
    now = now or timezone.now()
    return Subscriber.objects.filter(
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        confirm_token_expires_at__lt=now - PENDING_KEPT_AFTER_EXPIRY,
    ).delete()[0]


def subscribe(*, email, language, consent_language, now=None):
    """Start a subscription (or renew a pending one's link) and e-mail the confirmation
    link. Returns nothing: whatever the address's state, the visitor is told the same."""
    now = now or timezone.now()
    language = language if language in LANGUAGES else "fi"
    delete_expired_pending(now)
    address = normalise(email)
    digest = address_hash(address)
    try:
        with transaction.atomic():
            subscriber = (
                Subscriber.objects.current().select_for_update().filter(email_hash=digest).first()
            )
            if subscriber is not None and subscriber.confirmed_at is not None:
                return  # already subscribed: no e-mail, and nothing told
            if subscriber is None:
                subscriber = Subscriber(email=address, email_hash=digest)
            token = secrets.token_urlsafe(32)
            subscriber.language = language
            subscriber.consent_text_version = CONSENT_TEXT_VERSION
            subscriber.consent_language = consent_language or "fi"
            subscriber.confirm_token_hash = token_hash(token)
            subscriber.confirm_token_expires_at = now + timedelta(
                hours=settings.BULLETIN_CONFIRM_HOURS
            )
            subscriber.save()
            _send_confirmation(subscriber, token)
    except IntegrityError:
        # The same address subscribed at the same moment in another request: that one's
        # link is on its way.
        return


def _send_confirmation(subscriber, token):
    link = absolute(reverse("development:bulletin_confirm", kwargs={"token": token}))
    with translation.override(subscriber.language):
        subject = _("Confirm your subscription to Pikassos' bulletin")
        body = render_to_string(
            "development/bulletin_confirm_email.txt",
            {"link": link, "hours": settings.BULLETIN_CONFIRM_HOURS},
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email])


def pending_for(token, now=None):
    """The subscription a confirmation link is for, or LinkRefused saying why not."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.current().filter(confirm_token_hash=token_hash(token)).first()
    if subscriber is None:
        raise LinkRefused(
            _(
                "This confirmation link does not work: it has already been used, or it is "
                "not a link we sent. If you have not confirmed your subscription yet, "
                "subscribe again."
            )
        )
    if subscriber.confirm_token_expires_at is None or subscriber.confirm_token_expires_at < now:
        raise LinkRefused(
            _(
                "This confirmation link has expired. Subscribe again to get a new link: "
                "nothing is sent to you before you confirm."
            )
        )
    return subscriber


@transaction.atomic
def confirm(token, now=None):
    """Use a confirmation link: the consent is given now, and the link works no more."""
    now = now or timezone.now()
    subscriber = pending_for(token, now)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.confirm_token_hash != token_hash(token):  # used meanwhile
        raise LinkRefused(_("This confirmation link has already been used."))
    subscriber.confirmed_at = now
    subscriber.confirm_token_hash = ""
    subscriber.confirm_token_expires_at = None
    subscriber.save()
    return subscriber


# Unsubscribing -----------------------------------------------------------------------


def subscriber_for_unsubscribe(uuid, token):
    """The subscriber an unsubscribe link is for, or LinkRefused."""
    subscriber = Subscriber.objects.filter(uuid=uuid).first()
    if subscriber is None or not _valid_unsubscribe_token(uuid, token):
        raise LinkRefused(_("This unsubscribe link is not valid."))
    return subscriber


@transaction.atomic
def unsubscribe(uuid, token, now=None):
    """Unsubscribe: the address is erased, the record of consent and its withdrawal stay.
    Using the link again changes nothing."""
    subscriber = subscriber_for_unsubscribe(uuid, token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.email = ""
        subscriber.confirm_token_hash = ""
        subscriber.confirm_token_expires_at = None
        subscriber.save()
    return subscriber


# Composing and sending ---------------------------------------------------------------


def choosable_news():
    """News a bulletin may carry: public and published, the newest first."""
    return NewsItem.objects.public().published().order_by("-published_at", "-pk")


def choosable_events(now=None):
    """Events a bulletin may carry: public and not over."""
    return Event.objects.public().upcoming(now)


@transaction.atomic
def save_draft(form, *, by):
    """Save the compose form (BulletinForm) of a new or unsent bulletin."""
    if not policies.can_compose_bulletin(by):
        raise WorkflowError(_("Only Pikassos' staff compose bulletins."))
    bulletin = form.instance
    if bulletin.pk is not None:
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.sent_at is not None:
            raise WorkflowError(_("A sent bulletin cannot be changed."))
    else:
        bulletin.created_by = by
    return form.save()


def contents(bulletin):
    """The news and events a bulletin shows: those still public, in reading order."""
    news = list(bulletin.news_items.public().order_by("-published_at", "-pk"))
    events = list(bulletin.events.public().order_by("starts_at", "pk"))
    return news, events


def render(bulletin, language, *, unsubscribe="", news=None, events=None):
    """(subject, plain text, HTML) of the bulletin in `language`."""
    if news is None or events is None:
        news, events = contents(bulletin)
    with translation.override(language):
        context = {
            "bulletin": bulletin,
            "title": bulletin.title_in(language),
            "intro": bulletin.intro_in(language),
            "news": news,
            "events": events,
            "base": settings.PORTAL_URL.rstrip("/"),
            "unsubscribe_url": unsubscribe,
            "language": language,
        }
        text = render_to_string("development/bulletin_email.txt", context)
        html = render_to_string("development/bulletin_email.html", context)
    return bulletin.title_in(language), text, html


def confirmed_count():
    return Subscriber.objects.confirmed().count()


@transaction.atomic
def send(bulletin, *, by, now=None):
    """Queue the bulletin to every confirmed subscriber, each in their language, once.
    Returns the number of messages queued."""
    if not policies.can_send_bulletin(by):
        raise WorkflowError(_("Only Pikassos' staff send bulletins."))
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.sent_at is not None:
        raise WorkflowError(_("This bulletin has already been sent."))
    news, events = contents(bulletin)
    if not (news or events):
        raise WorkflowError(_("Choose at least one news item or event for the bulletin."))
    # Rendered once per language; each message gets its own unsubscribe link.
    rendered = {
        language: render(
            bulletin, language, unsubscribe=_UNSUBSCRIBE_MARK, news=news, events=events
        )
        for language in LANGUAGES
    }
    messages = []
    subscribers = Subscriber.objects.confirmed().only("uuid", "email", "language").order_by("pk")
    for subscriber in subscribers.iterator(chunk_size=500):
        subject, text, html = rendered[subscriber.language]
        link = unsubscribe_url(subscriber)
        message = EmailMultiAlternatives(
            subject,
            text.replace(_UNSUBSCRIBE_MARK, link),
            settings.DEFAULT_FROM_EMAIL,
            [subscriber.email],
            headers={
                # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe that
                # POSTs "List-Unsubscribe=One-Click" to the link.
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(html.replace(_UNSUBSCRIBE_MARK, link), "text/html")
        messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    bulletin.sent_at = now or timezone.now()
    bulletin.sent_by = by
    bulletin.recipient_count = len(messages)
    bulletin.save(update_fields=["sent_at", "sent_by", "recipient_count", "updated_at"])
    return len(messages)
