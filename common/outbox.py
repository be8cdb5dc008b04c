"""The e-mail outbox: django-mailer's queue, sent by the worker with retries and backoff.

`send_mail()` anywhere in the portal writes the message into the queue (mailer's
`Message` table, `EMAIL_BACKEND = "mailer.backend.DbBackend"`) in the caller's
transaction: a rolled-back change sends nothing, and a committed one cannot lose its
message when the SMTP server is slow or down. `Outbox.send()`, called by `manage.py
worker` every few seconds, hands the queue to the real backend (`MAILER_EMAIL_BACKEND`,
from `EMAIL_URL`). A message the server refuses, or cannot be handed over at all, is
*deferred* and a failure is written to mailer's log with the server's answer; the
deferred messages are tried again after `OUTBOX_RETRY_MINUTES`, the wait doubling after
every failed round up to `OUTBOX_RETRY_MAX_MINUTES`, until each has been retried
`MAILER_EMAIL_MAX_RETRIES` times. Then it stays deferred (given up) in *Admin → Mailer
→ Messages* until an admin sends it by hand.
"""

import logging
from datetime import timedelta

from django.conf import settings
from mailer import engine
from mailer.models import RESULT_FAILURE, RESULT_SUCCESS, Message, MessageLog

log = logging.getLogger("pikassos.worker")


def queued():
    """Messages waiting for their first or next try."""
    return Message.objects.all()


def given_up():
    """Deferred messages that used up their retries: an admin must look at them."""
    return Message.objects.deferred().filter(retry_count__gte=settings.MAILER_EMAIL_MAX_RETRIES)


def _retryable():
    return Message.objects.deferred().filter(retry_count__lt=settings.MAILER_EMAIL_MAX_RETRIES)


class Outbox:
    """Sends the queue; remembers when the deferred messages are next due (in memory: a
    restarted worker tries them again at once)."""

    def __init__(self):
        self.first_wait = timedelta(minutes=settings.OUTBOX_RETRY_MINUTES)
        self.max_wait = timedelta(minutes=settings.OUTBOX_RETRY_MAX_MINUTES)
        self.wait = self.first_wait
        self.retry_at = None

    def send(self, now):
        """Send what is queued; retry the deferred messages when their wait is over.
        Returns the numbers (sent, failed) of this call's attempts, from mailer's log."""
        last_log = MessageLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        engine.send_all()
        if _retryable().exists():
            if self.retry_at is None:
                self.retry_at = now + self.wait
            elif now >= self.retry_at:
                Message.objects.retry_deferred()
                engine.send_all()
                if _retryable().exists():
                    self.wait = min(self.wait * 2, self.max_wait)
                    self.retry_at = now + self.wait
                else:
                    self._reset()
        else:
            self._reset()
        attempts = MessageLog.objects.filter(id__gt=last_log)
        sent = attempts.filter(result=RESULT_SUCCESS).count()
        failed = attempts.filter(result=RESULT_FAILURE).count()
        if sent or failed:
            # Counts only: the messages' recipients and subjects stay out of the log.
            log.info("outbox sent=%s failed=%s waiting=%s", sent, failed, queued().count())
        return sent, failed

    def _reset(self):
        self.wait = self.first_wait
        self.retry_at = None
