"""The bulletin (issue 19, part 5): double opt-in, the confirmation and unsubscribe links,
the record of consent, composing, previewing and sending once through the outbox, each
subscriber in their language, and the public archive."""

import datetime
import hashlib
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.exceptions import WorkflowError
from development import bulletin as services
from development.factories import BulletinFactory, SubscriberFactory
from development.models import CONSENT_TEXT_VERSION, Bulletin, Subscriber
from projects.factories import EventFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def subscribe(client, email="liisa@example.invalid", language="fi", **changes):
    data = {"email": email, "language": language, "consent": "on", "website": ""}
    data.update(changes)
    return client.post(reverse("development:bulletin_subscribe"), data)


CONFIRM = re.compile(r"https?://[^/\s]+(/questions/bulletin/confirm/[^/\s]+/)")


def confirm_path(mail):
    return CONFIRM.search(mail.body).group(1)


def ready_bulletin(**kwargs):
    news = NewsItemFactory(title="Rakenteellisen sosiaalityön päivä")
    event = EventFactory(title="Lastensuojelun verkosto")
    return BulletinFactory(news_items=[news], events=[event], **kwargs)


def subscribed(client, sent_mail, email="liisa@example.invalid", language="fi"):
    """Subscribe and confirm by the e-mailed link, in a browser of its own; the subscriber."""
    visitor = Client()
    subscribe(visitor, email, language)
    path = confirm_path(sent_mail()[-1])
    visitor.post(path)
    return Subscriber.objects.get(email=email)


def bulletins_to(mails, address):
    return [m for m in mails if m.to == [address] and "confirm" not in m.body]


# Subscribing: double opt-in -------------------------------------------------------------


def test_subscribing_sends_the_confirmation_link_and_nothing_else(client, sent_mail, planner):
    response = subscribe(client)

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    mails = sent_mail()
    assert len(mails) == 1
    assert mails[0].to == ["liisa@example.invalid"]
    assert "/questions/bulletin/confirm/" in mails[0].body
    # A bulletin sent now does not reach the unconfirmed address.
    bulletin = ready_bulletin()
    assert services.send(bulletin, by=planner) == 0
    assert len(sent_mail()) == 1


def test_only_a_hash_of_the_confirmation_token_is_stored(client, sent_mail):
    subscribe(client)
    token = confirm_path(sent_mail()[0]).rstrip("/").rsplit("/", 1)[1]

    subscriber = Subscriber.objects.get()
    assert subscriber.confirm_token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = Subscriber.objects.filter(pk=subscriber.pk).values().get()
    assert token not in str(row)


def test_the_consent_is_recorded_when_confirmed_by_the_link(client, sent_mail):
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    subscribe(client, language="sv")
    path = confirm_path(sent_mail()[0])

    page = client.get(path)  # a link scanner opening the link confirms nothing
    assert page.status_code == 200
    assert Subscriber.objects.get().confirmed_at is None
    response = client.post(path)

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is not None
    assert subscriber.language == "sv"
    assert subscriber.consent_language == "sv"
    assert subscriber.consent_text_version == CONSENT_TEXT_VERSION
    assert subscriber.confirm_token_hash == ""


def test_a_used_link_is_refused_with_a_clear_message(client, sent_mail):
    subscribe(client)
    path = confirm_path(sent_mail()[0])
    client.post(path)

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "already been used" in response.content.decode() or "jo käytetty" in (
            response.content.decode()
        )


def test_an_expired_link_is_refused_with_a_clear_message(client, sent_mail):
    subscribe(client)
    path = confirm_path(sent_mail()[0])
    Subscriber.objects.update(confirm_token_expires_at=timezone.now() - datetime.timedelta(hours=1))

    response = client.post(path)

    assert response.status_code == 404
    assert "vanhentunut" in response.content.decode()  # Finnish first: "has expired"
    assert Subscriber.objects.get().confirmed_at is None


def test_an_unconfirmed_subscription_is_deleted_a_while_after_its_link_expired(client, sent_mail):
    subscribe(client)
    Subscriber.objects.update(confirm_token_expires_at=timezone.now() - datetime.timedelta(days=8))

    subscribe(client, email="toinen@example.invalid")

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["toinen@example.invalid"]


def test_subscribing_a_confirmed_address_again_reveals_nothing(client, sent_mail):
    subscribed(client, sent_mail, "liisa@example.invalid")
    before = len(sent_mail())

    again = subscribe(Client(), "LIISA@example.invalid ")
    new = subscribe(Client(), "uusi@example.invalid")

    assert again.status_code == new.status_code == 302
    assert again["Location"] == new["Location"]
    assert texts(again) == texts(new)
    mails = sent_mail()[before:]
    assert [m.to for m in mails] == [["uusi@example.invalid"]]  # no second link to Liisa
    assert Subscriber.objects.current().filter(email="liisa@example.invalid").count() == 1


def test_the_honeypot_stops_a_bot_without_telling_it(client, sent_mail):
    response = subscribe(client, website="http://spam.example")

    assert response.status_code == 302
    assert Subscriber.objects.count() == 0
    assert sent_mail() == []


def test_consent_must_be_given(client, sent_mail):
    response = subscribe(client, consent="")

    assert response.status_code == 200
    assert Subscriber.objects.count() == 0
    assert "consent_error" in response.content.decode()


def test_the_rate_limit_refuses_the_next_subscription_from_the_same_address(
    client, settings, sent_mail
):
    settings.BULLETIN_SUBSCRIPTIONS_PER_HOUR = 2
    for n in range(2):
        assert subscribe(client, f"a{n}@example.invalid").status_code == 302

    response = subscribe(client, "a9@example.invalid")

    assert response.status_code == 429
    assert Subscriber.objects.count() == 2


# Sending ---------------------------------------------------------------------------------


def test_a_bulletin_goes_to_confirmed_subscribers_with_an_unsubscribe_link(
    client, planner, sent_mail
):
    subscriber = subscribed(client, sent_mail)
    bulletin = ready_bulletin()
    client.force_login(planner)

    response = client.post(reverse("development:bulletin_send", kwargs={"uuid": bulletin.uuid}))

    assert response.status_code == 302
    assert any("1" in t for t in texts(response))  # how many were queued
    bulletin.refresh_from_db()
    assert bulletin.sent_at is not None and bulletin.recipient_count == 1
    [mail] = bulletins_to(sent_mail(), subscriber.email)
    assert mail.subject == bulletin.title
    assert "Rakenteellisen sosiaalityön päivä" in mail.body
    assert "Lastensuojelun verkosto" in mail.body
    link = services.unsubscribe_url(subscriber)
    assert link in mail.body
    html = mail.alternatives[0][0]
    assert link in html and "Rakenteellisen sosiaalityön päivä" in html
    assert mail.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_swedish_subscriber_gets_the_bulletin_in_swedish(client, planner, sent_mail):
    finn = subscribed(client, sent_mail, "suomi@example.invalid", "fi")
    swede = subscribed(client, sent_mail, "svensk@example.invalid", "sv")
    bulletin = ready_bulletin()

    services.send(bulletin, by=planner)

    mails = sent_mail()
    [fi] = bulletins_to(mails, finn.email)
    [sv] = bulletins_to(mails, swede.email)
    assert sv.subject == bulletin.title_sv
    assert bulletin.intro_sv in sv.body and bulletin.intro not in sv.body
    assert "Kommande evenemang" in sv.body and "Avsluta prenumerationen" in sv.body
    assert 'lang="sv"' in sv.alternatives[0][0]
    assert fi.subject == bulletin.title
    assert "Tulevat tapahtumat" in fi.body
    # The confirmation link too was in the language chosen.
    assert any(m.to == [swede.email] and "prenumeration" in m.subject for m in mails)


def test_a_bulletin_is_sent_once(client, planner, coordinator, sent_mail):
    subscriber = subscribed(client, sent_mail)
    bulletin = ready_bulletin()
    services.send(bulletin, by=planner)

    with pytest.raises(WorkflowError):
        services.send(bulletin, by=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("development:bulletin_send", kwargs={"uuid": bulletin.uuid}))

    assert response.status_code == 302
    assert texts(response) == ["Tämä tiedote on jo lähetetty."]
    assert len(bulletins_to(sent_mail(), subscriber.email)) == 1
    bulletin.refresh_from_db()
    assert bulletin.sent_by == planner and bulletin.recipient_count == 1


def test_a_sent_bulletin_cannot_be_edited(client, planner):
    bulletin = ready_bulletin(sent_at=timezone.now())
    client.force_login(planner)
    url = reverse("development:bulletin_edit", kwargs={"uuid": bulletin.uuid})

    response = client.post(url, {"title": "Muutettu", "title_sv": "x", "intro": "x"})

    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.title != "Muutettu"


# Unsubscribing ---------------------------------------------------------------------------


def test_unsubscribe_by_the_link_erases_the_address_and_no_mail_comes_after(
    client, planner, sent_mail
):
    subscriber = subscribed(client, sent_mail)
    services.send(ready_bulletin(), by=planner)
    [mail] = bulletins_to(sent_mail(), subscriber.email)
    link = mail.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("testserver", 1)[-1].split("8000", 1)[-1]
    visitor = Client()  # not signed in, a browser of its own

    page = visitor.get(path)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    response = visitor.post(path)

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    assert subscriber.email == ""
    # The record of consent stays, tied to the address by its keyed hash only.
    assert subscriber.confirmed_at is not None
    assert subscriber.email_hash == services.address_hash("liisa@example.invalid")
    assert visitor.get(path).status_code == 200  # the link still answers: unsubscribed
    before = len(sent_mail())
    assert services.send(ready_bulletin(), by=planner) == 0
    assert len(sent_mail()) == before


def test_a_mail_clients_one_click_unsubscribe_needs_no_csrf_token(client, sent_mail):
    subscriber = subscribed(client, sent_mail)
    path = services.unsubscribe_url(subscriber).split("8000", 1)[-1]
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_a_forged_unsubscribe_link_is_refused(client, sent_mail):
    subscriber = subscribed(client, sent_mail)
    url = reverse(
        "development:bulletin_unsubscribe", kwargs={"uuid": subscriber.uuid, "token": "0" * 64}
    )

    response = client.post(url)

    assert response.status_code == 404
    assert "ei kelpaa" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None


def test_an_unsubscribed_address_may_subscribe_again(client, sent_mail):
    subscriber = subscribed(client, sent_mail)
    services.unsubscribe(subscriber.uuid, services.unsubscribe_token(subscriber.uuid))

    subscribed(client, sent_mail)

    assert Subscriber.objects.count() == 2
    assert Subscriber.objects.confirmed().count() == 1


# Composing, preview and the archive --------------------------------------------------------


def test_staff_compose_a_bulletin_from_public_news_and_upcoming_events(client, planner):
    news = NewsItemFactory(title="Julkinen uutinen")
    NewsItemFactory(title="Sisäinen uutinen", is_public=False)
    event = EventFactory(title="Tuleva työpaja")
    EventFactory(
        title="Mennyt työpaja",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    client.force_login(planner)
    url = reverse("development:bulletin_create")

    form = client.get(url).content.decode()
    assert "Julkinen uutinen" in form and "Tuleva työpaja" in form
    assert "Sisäinen uutinen" not in form and "Mennyt työpaja" not in form
    response = client.post(
        url,
        {
            "title": "Marraskuun tiedote",
            "title_sv": "Novembers nyhetsbrev",
            "intro": "Hei kaikki!",
            "intro_sv": "Hej alla!",
            "news_items": [news.pk],
            "events": [event.pk],
        },
    )

    bulletin = Bulletin.objects.get()
    assert response["Location"] == reverse(
        "development:bulletin_preview", kwargs={"uuid": bulletin.uuid}
    )
    assert bulletin.created_by == planner
    assert list(bulletin.news_items.all()) == [news]


def test_the_preview_shows_the_html_and_the_plain_text_in_either_language(client, planner):
    bulletin = ready_bulletin()
    client.force_login(planner)
    url = reverse("development:bulletin_preview", kwargs={"uuid": bulletin.uuid})

    fi = client.get(url).content.decode()
    sv = client.get(url, {"language": "sv"}).content.decode()

    assert "Tervetuloa lukemaan" in fi and "Pelkkä teksti" in fi
    assert fi.count("Rakenteellisen sosiaalityön päivä") == 2  # the HTML and the text
    assert "Välkommen att läsa" in sv and "Kommande evenemang" in sv
    assert "Lähetä tiedote" in fi  # the send button of a draft


def test_the_archive_shows_sent_bulletins_only(client):
    sent = ready_bulletin(title="Lähetetty tiedote", sent_at=timezone.now())
    draft = ready_bulletin(title="Luonnos")

    page = client.get(reverse("development:bulletin_archive")).content.decode()

    assert "Lähetetty tiedote" in page and "Luonnos" not in page
    assert client.get(sent.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_admin_list_of_subscribers_shows_no_addresses(admin_client):
    SubscriberFactory(email="salainen@example.invalid")

    page = admin_client.get(reverse("admin:development_subscriber_changelist")).content.decode()

    assert "salainen@example.invalid" not in page
    found = admin_client.get(
        reverse("admin:development_subscriber_changelist"), {"q": "salainen@example.invalid"}
    )
    assert "1 " in found.content.decode()


def test_the_plain_text_preview_escapes_what_the_staff_wrote(client, planner):
    # The e-mail's plain text is rendered without escaping; the page must escape it.
    bulletin = ready_bulletin(title="<script>alert(1)</script>", intro="<b>hei</b>")
    client.force_login(planner)

    page = client.get(reverse("development:bulletin_preview", kwargs={"uuid": bulletin.uuid}))

    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>hei</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unsubscribe_link_outlives_a_change_of_the_secret_key(client, sent_mail, settings):
    subscriber = subscribed(client, sent_mail)
    url = services.unsubscribe_url(subscriber).split("8000", 1)[-1]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50

    assert Client().post(url).status_code == 302

    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
