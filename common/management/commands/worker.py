import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils import timezone

from common import jobs
from common.outbox import Outbox
from common.pgtools import require_direct_connection

log = logging.getLogger("pikassos.worker")


class Command(BaseCommand):
    help = (
        "The portal's background process: sends the e-mail outbox every few seconds, with "
        "retries, and runs the jobs of WORKER_SCHEDULE when they are due, recording each "
        "run (Admin → Common → Job runs). Stops cleanly on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Send the outbox and run the due jobs once."
        )
        parser.add_argument(
            "--run",
            metavar="JOB",
            choices=sorted(jobs.schedule()),
            help="Run this scheduled job now, recorded like a scheduled run, and exit.",
        )

    def handle(self, *args, once, run, **options):
        # Each job is locked with a session-level advisory lock (common.jobs.run).
        require_direct_connection("The worker")
        if run:
            record = jobs.run(run)
            if record is None:
                raise CommandError(f"{run} is running in another worker.")
            self.stdout.write(record.message)
            if not record.ok:
                raise CommandError(f"{run} failed.")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        outbox = Outbox()
        log.info("worker started: jobs %s", ", ".join(jobs.schedule()))
        while not stop.is_set():
            self.tick(outbox, stop)
            if once:
                break
            stop.wait(settings.WORKER_TICK_SECONDS)
        log.info("worker stopped")

    def tick(self, outbox, stop):
        """One round; an error is logged and the next round tries again."""
        if not connection.in_atomic_block:  # (a test's transaction)
            close_old_connections()  # a connection lost or too old is replaced
        now = timezone.now()
        try:
            outbox.send(now)
        except Exception:
            log.exception("outbox: sending failed")
        try:
            for name in jobs.due(now):
                if stop.is_set():
                    break
                jobs.run(name, if_due_at=now)
        except Exception:
            log.exception("schedule: a job could not be started")
