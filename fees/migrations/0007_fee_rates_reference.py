"""The fee scale's reference data (issue 15, part 2): the rates of the child-welfare track
paid by Satakunnan hyvinvointialue for 2025 and from 2026.

Kilometre allowance: the tax-free maximum for one's own car in Verohallinto's yearly
decision on tax-free travel allowances (Verohallinnon päätös verovapaista
matkakustannusten korvauksista), which public payers follow:
- vuonna 2025: 59 cents per kilometre;
- vuonna 2026: 55 cents per kilometre.
The decisions are published at https://www.vero.fi/syventavat-vero-ohjeet/paatokset/
(restated e.g. by Taloushallintoliitto's checklist for 2026,
https://taloushallintoliitto.fi/tietopankki/yrityksen-muistilista-vuodelle-2026/matkakustannusten-korvaukset/).

Hourly fee: the wellbeing services county decides what it pays a child-protection
guardian per hour; its figure was not found in a public source, so it is left empty (not
a guess): claims are then not checked against the scale until Pikassos confirms the
county's figure and enters it in Admin → Fees → Fee rates (README, "Fee claims").

The criminal-investigation track gets no rate: there the court fixes the fee and pays it
from state funds (holhoustoimilaki 442/1999 44 §, KKO:2018:69).
"""

import datetime
from decimal import Decimal

from django.db import migrations

COUNTY = "satakunnan-hyvinvointialue"
CHILD_WELFARE = "lastensuojelu"
ALLOWED = (
    "Matkaliput, pysäköinti sekä posti- ja puhelinkulut kuittia vastaan. "
    "Oman auton käytöstä kilometrikorvaus."
)
SOURCE = (
    "Kilometrikorvaus: Verohallinnon päätös verovapaista matkakustannusten korvauksista "
    "vuonna {year} ({cents} senttiä kilometriltä). Tuntipalkkio: hyvinvointialueen "
    "päätös, ei vielä vahvistettu – Pikassos vahvistaa."
)
RATES = [
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), Decimal("0.59")),
    (datetime.date(2026, 1, 1), None, Decimal("0.55")),
]


def load(apps, schema_editor):
    FeeRate = apps.get_model("fees", "FeeRate")
    LegalTrack = apps.get_model("guardianship", "LegalTrack")
    Organisation = apps.get_model("municipalities", "Organisation")
    track = LegalTrack.objects.filter(code=CHILD_WELFARE).first()
    payer = Organisation.objects.filter(slug=COUNTY).first()
    if track is None or payer is None:
        return
    for valid_from, valid_until, allowance in RATES:
        FeeRate.objects.get_or_create(
            track=track,
            payer=payer,
            valid_from=valid_from,
            defaults={
                "valid_until": valid_until,
                "hourly_fee": None,
                "kilometre_allowance": allowance,
                "allowed_expenses": ALLOWED,
                "source": SOURCE.format(year=valid_from.year, cents=int(allowance * 100)),
            },
        )


def unload(apps, schema_editor):
    FeeRate = apps.get_model("fees", "FeeRate")
    FeeRate.objects.filter(
        track__code=CHILD_WELFARE,
        payer__slug=COUNTY,
        valid_from__in=[r[0] for r in RATES],
        claims__isnull=True,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("fees", "0006_claim_payment"),
        ("guardianship", "0018_legal_tracks"),
    ]

    operations = [migrations.RunPython(load, unload)]
