"""The e-mail outbox survives an SMTP outage (issue 17, part 3): a message queued by a
workflow step waits in the database while the server is down or refuses it, the worker
tries again with a growing wait, every failure is recorded with the server's answer, and
once the server accepts, the message is delivered exactly once."""

import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone
from mailer.models import RESULT_FAILURE, RESULT_SUCCESS, Message, MessageLog

from common.outbox import Outbox, given_up
from guardianship import services
from guardianship.enums import State
from guardianship.factories import GuardianshipRequestFactory

pytestmark = pytest.mark.django_db


class Sink:
    """A local SMTP server that answers 451 (try again later) until told to accept."""

    def __init__(self):
        self.accepting = False
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if not self.accepting:
            return "451 4.3.0 Mail server temporarily unavailable"
        self.received.append(envelope)
        return "250 2.0.0 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """The SMTP backend behind the outbox, pointed at a port where nothing listens yet."""
    port = free_port()
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.OUTBOX_RETRY_MINUTES, settings.OUTBOX_RETRY_MAX_MINUTES = 1, 30
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    yield sink, controller
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_an_hour_without_smtp_loses_no_message(smtp, coordinator, sw_pori, admin_client):
    sink, controller = smtp
    draft = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None, created_by=sw_pori)
    services.submit_request(draft, by=sw_pori)  # queues "new request" to the coordinator
    assert Message.objects.count() == 1

    outbox = Outbox()
    start = timezone.now()
    # The server is down: nothing listens on its port.
    outbox.send(start)
    assert Message.objects.deferred().count() == 1
    refused = MessageLog.objects.get(result=RESULT_FAILURE)
    assert "refused" in refused.log_message.lower()

    # It comes back but answers 451 for the rest of the hour; the worker keeps trying,
    # each time after a longer wait (1, 2, 4, 8, 16, 30 minutes).
    controller.start()
    tries = []
    for minute in range(1, 61):
        before = MessageLog.objects.count()
        outbox.send(start + timedelta(minutes=minute))
        if MessageLog.objects.count() > before:
            tries.append(minute)
    assert tries == [1, 3, 7, 15, 31]
    assert Message.objects.count() == 1 and not given_up().exists()
    assert sink.received == []
    assert MessageLog.objects.filter(result=RESULT_FAILURE).count() == 6
    assert "451" in MessageLog.objects.filter(result=RESULT_FAILURE).last().log_message

    # The server accepts again: the next retry delivers the message, once.
    sink.accepting = True
    for minute in range(61, 100):
        outbox.send(start + timedelta(minutes=minute))
    assert [e.rcpt_tos for e in sink.received] == [[coordinator.email]]
    assert draft.reference in sink.received[0].content.decode()
    assert not Message.objects.exists()
    assert MessageLog.objects.filter(result=RESULT_SUCCESS).count() == 1

    # The admin shows each attempt and why it failed, without the e-mail's body.
    log_page = admin_client.get(reverse("admin:mailer_messagelog_changelist")).content.decode()
    assert "451" in log_page and coordinator.email in log_page
    assert "Log in to the Pikassos portal" not in log_page


def test_a_message_given_up_stays_in_the_admin_to_be_sent_by_hand(
    smtp, settings, coordinator, sw_pori, admin_client
):
    sink, controller = smtp
    settings.MAILER_EMAIL_MAX_RETRIES = 1
    controller.start()
    draft = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None, created_by=sw_pori)
    services.submit_request(draft, by=sw_pori)
    outbox = Outbox()
    start = timezone.now()
    for minute in range(0, 30):
        outbox.send(start + timedelta(minutes=minute))
    message = given_up().get()
    outbox_page = admin_client.get(reverse("admin:mailer_message_changelist")).content.decode()
    assert draft.reference in outbox_page and "Yritykset loppuneet" in outbox_page

    sink.accepting = True
    admin_client.post(
        reverse("admin:mailer_message_changelist"),
        {"action": "send_now", "_selected_action": [message.pk]},
    )
    assert len(sink.received) == 1 and not Message.objects.exists()
