"""The fee scale (issue 15, part 2): what a claim's hours and kilometres come to at the
rate in force for its period (fees.FeeRate), and what a claim's period may be.

One rate prices one claim: a period across a change of the scale is claimed in two parts,
so every euro is priced at the rate of its days.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from fees.models import FeeRate

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Assessment:
    rate: FeeRate | None = None
    # hours × the hourly fee + kilometres × the allowance; None without an hourly fee.
    computed: Decimal | None = None
    # The first day of the period priced by another rate: the period must be split there.
    changes_on: datetime.date | None = None


def rates_for(assignment):
    return FeeRate.objects.for_assignment(assignment).select_related("track", "payer")


def assess(assignment, start, end, hours, kilometres):
    """The fee the scale gives for `hours` and `kilometres` in `start`..`end` of the case."""
    rates = list(rates_for(assignment).overlapping(start, end))
    if not rates:
        return Assessment()
    track = rates[0].track_id  # the first track in the tracks' order that has rates
    rates = [r for r in rates if r.track_id == track]
    edges = sorted(
        {r.valid_from for r in rates if start < r.valid_from}
        | {
            r.valid_until + datetime.timedelta(days=1)
            for r in rates
            if r.valid_until and r.valid_until < end
        }
    )
    if edges:
        return Assessment(changes_on=edges[0])
    rate = rates[0]
    if rate.hourly_fee is None:
        return Assessment(rate=rate)
    computed = hours * rate.hourly_fee + (kilometres or 0) * rate.kilometre_allowance
    return Assessment(rate=rate, computed=computed.quantize(CENT, rounding=ROUND_HALF_UP))


def claimable_days(assignment):
    """(first, last) day a claim of the case may cover: from the day the guardian's
    assignment began (unknown for assignments older than that record: no limit) to the day
    it ended, the day the request ended, or today."""
    first = timezone.localdate(assignment.started_at) if assignment.started_at else None
    if assignment.ended_at:
        last = timezone.localdate(assignment.ended_at)
    elif assignment.request.ended_on:
        last = assignment.request.ended_on
    else:
        last = timezone.localdate()
    return first, min(last, timezone.localdate())
