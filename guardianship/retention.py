"""Anonymising closed requests after the retention period, keeping the statistics.

What identifies a person is blanked (names, identity codes, dates of birth, contact
details, free text, receipts); what the statistics count is kept (dates, states,
matters, home municipalities, languages, steps, amounts).
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from guardianship.enums import State
from guardianship.models import (
    AccessLog,
    Assignment,
    Child,
    ClaimExpense,
    FeeClaim,
    GuardianshipRequest,
    RequestEvent,
    SupportContact,
)

ANONYMISED = "–"
CLOSED = [State.ENDED, State.CANCELLED]


@dataclass
class Plan:
    requests: list
    access_log_rows: int


def years_ago(years, now=None):
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due_requests(years):
    """Closed requests past the period whose children are not anonymised yet."""
    return (
        GuardianshipRequest.objects.filter(state__in=CLOSED, state_changed_at__lt=years_ago(years))
        .filter(children__anonymised_at__isnull=True)
        .distinct()
        .order_by("pk")
    )


def plan(request_years, log_years):
    return Plan(
        requests=list(due_requests(request_years).values_list("pk", flat=True)),
        access_log_rows=AccessLog.objects.filter(at__lt=years_ago(log_years)).count(),
    )


@transaction.atomic
def anonymise(request_ids):
    now = timezone.now()
    requests = GuardianshipRequest.objects.filter(pk__in=request_ids)
    Child.objects.filter(request__in=requests).update(
        first_name=ANONYMISED,
        last_name=ANONYMISED,
        identity_code="",
        date_of_birth=None,
        placement="",
        anonymised_at=now,
    )
    requests.update(
        worker_name=ANONYMISED,
        worker_title="",
        worker_phone="",
        worker_email="",
        custodians=ANONYMISED,
        conflict_reason=ANONYMISED,
        matter_details="",
        end_reason="",
        updated_at=now,
    )
    RequestEvent.objects.filter(request__in=requests).update(text="")
    Assignment.objects.filter(request__in=requests).filter(~Q(decline_reason="")).update(
        decline_reason=ANONYMISED
    )
    Assignment.objects.filter(request__in=requests).update(end_reason="")
    SupportContact.objects.filter(request__in=requests).update(notes="")
    claims = FeeClaim.objects.filter(assignment__request__in=requests)
    claims.update(description="")
    claims.filter(~Q(return_reason="")).update(return_reason=ANONYMISED)
    expenses = ClaimExpense.objects.filter(claim__in=claims).exclude(receipt="")
    for expense in expenses:
        # Delete the file only after the database change is committed.
        name, storage = expense.receipt.name, expense.receipt.storage
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    expenses.update(receipt="")


@transaction.atomic
def purge_access_log(years):
    """Delete log rows past their period. The trigger allows it only with this flag set,
    inside this transaction, and never for rows younger than a year."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL pikassos.access_log_purge = 'on'")
    deleted, _ = AccessLog.objects.filter(at__lt=years_ago(max(years, 1))).delete()
    return deleted
