"""Anonymising closed requests after the retention period, keeping the statistics.

What identifies a person is blanked (names, identity codes, dates of birth, contact
details, free text such as the child's view, the custodians' rows, receipts, the files of
the requests' documents); what the
statistics count is kept (dates, states, matters, home municipalities, mother tongues,
steps, amounts). Each model's personal fields
are declared beside it (`*_PERSONAL_FIELDS`). Apps above guardianship (fees, support)
erase their own rows of the same requests when `requests_anonymised` is sent, inside the
same transaction.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from common.retention import erasure, years_ago
from guardianship.documents import erase_files
from guardianship.enums import State
from guardianship.models import (
    ASSIGNMENT_PERSONAL_FIELDS,
    CHILD_PERSONAL_FIELDS,
    CUSTODIAN_PERSONAL_FIELDS,
    EVENT_PERSONAL_FIELDS,
    REQUEST_PERSONAL_FIELDS,
    AccessLog,
    Assignment,
    Child,
    Custodian,
    GuardianshipRequest,
    RequestEvent,
)

CLOSED = [State.ENDED, State.CANCELLED]

# Sent with `requests`, a queryset of the requests being anonymised, inside the transaction.
requests_anonymised = Signal()
# Sent once a run with `today`, after the due requests are anonymised: apps that keep some
# rows of anonymised requests for a period of their own (fees: approved and paid claims,
# the payers' accounting vouchers) erase those whose period has ended.
retention_due = Signal()


@dataclass
class Plan:
    requests: list
    access_log_rows: int


def due_requests(years):
    """Closed requests past the period whose children are not anonymised yet."""
    return (
        GuardianshipRequest.objects.filter(state__in=CLOSED, state_changed_at__lt=years_ago(years))
        .filter(children__anonymised_at__isnull=True)
        .distinct()
        .order_by("pk")
    )


def access_log_cutoff(years, now=None):
    """The start of the month that holds the moment `years` (at least one) ago: the log
    is dropped a whole month at a time (its monthly partitions), once all of the month is
    past the period, so a row is kept its period and at most a month more."""
    at = years_ago(max(years, 1), now).astimezone(datetime.UTC)
    return at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def plan(request_years, log_years):
    return Plan(
        requests=list(due_requests(request_years).values_list("pk", flat=True)),
        access_log_rows=AccessLog.objects.filter(at__lt=access_log_cutoff(log_years)).count(),
    )


@transaction.atomic
def anonymise(request_ids):
    now = timezone.now()
    requests = GuardianshipRequest.objects.filter(pk__in=request_ids)
    Child.objects.filter(request__in=requests).update(
        **erasure(CHILD_PERSONAL_FIELDS), anonymised_at=now
    )
    Custodian.objects.filter(request__in=requests).update(**erasure(CUSTODIAN_PERSONAL_FIELDS))
    requests.update(**erasure(REQUEST_PERSONAL_FIELDS), updated_at=now)
    RequestEvent.objects.filter(request__in=requests).update(**erasure(EVENT_PERSONAL_FIELDS))
    Assignment.objects.filter(request__in=requests).update(**erasure(ASSIGNMENT_PERSONAL_FIELDS))
    # The signed consents and court papers name the child: their files are deleted once
    # this is committed; the rows (kind, size, dates) stay, marked erased.
    erase_files(requests)
    requests_anonymised.send(sender=GuardianshipRequest, requests=requests)


@transaction.atomic
def erase_kept_records(today=None):
    """The rows kept past their request's anonymisation whose own period has ended."""
    retention_due.send(sender=GuardianshipRequest, today=today or timezone.localdate())


def add_access_log_partitions(months_ahead=3):
    """Create the access log's monthly partitions up to `months_ahead` months ahead, and
    move any rows that fell into the default partition into their month (migration 0022's
    function; the worker calls it daily, retention before it drops anything)."""
    with connection.cursor() as cursor:
        # The log's foreign keys are checked at commit (migration 0027); a check still
        # pending from rows this transaction wrote would stop the function's DETACH.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT guardianship_accesslog_add_partitions(%s)", [months_ahead])
        return cursor.fetchone()[0]


@transaction.atomic
def purge_access_log(years):
    """Drop the months of the log past their period (detach and drop the partitions: no
    DELETE, nothing left to vacuum) and return how many rows they held. The database
    function refuses any month younger than a year, whatever `years` says."""
    add_access_log_partitions()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(rows), 0) FROM guardianship_accesslog_retire(%s)",
            [access_log_cutoff(years)],
        )
        return cursor.fetchone()[0]
