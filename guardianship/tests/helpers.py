"""What the request-form tests share: the POST data of a Pori request for two siblings
and their custodians; the parameters of a queue export."""

import datetime
import uuid

from django.utils import timezone

from guardianship.models import LegalTrack
from guardianship.models.tracks import CHILD_WELFARE
from municipalities.models import Organisation, Unit

CHILDREN = [
    ("Aino", "Saloranta", "010115A998H"),
    ("Eino", "Saloranta", "150317A998N"),
]
# (name, relation): the rows of the custodians' formset.
CUSTODIANS = [("Maija Mallikas", "mother"), ("Matti Mallikas", "father")]


def request_form_data(**overrides):
    """The request form's data as a Pori social worker sends it, for the two CHILDREN and
    their two CUSTODIANS, with a fresh form key; `overrides` replace or add fields."""
    pori = Organisation.objects.get(slug="pori")
    data = {
        "idempotency_key": str(uuid.uuid4()),
        # A county social worker chooses their team (the organisation is the team's);
        # a worker with no team, before 2023, chooses an organisation.
        "unit": Unit.objects.get(name="Lastensuojelu, Pori").pk,
        "organisation": pori.pk,
        "worker_name": "Sanna Sosiaalityöntekijä",
        "worker_title": "sosiaalityöntekijä",
        "worker_phone": "040 123 4567",
        "worker_email": "sanna@pori.example.invalid",
        "matter": "care_order",
        "custodian_notes": "Äiti tavoittaa parhaiten iltaisin.",
        "conflict_reason": "Huoltajat vastustavat huostaanottoa.",
        "urgency": "urgent",
        # The legal track (issue 14): who pays follows from it.
        "tracks": [LegalTrack.objects.get(code=CHILD_WELFARE).pk],
        "children-TOTAL_FORMS": str(len(CHILDREN)),
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "1",
        "children-MAX_NUM_FORMS": "12",
        "custodians-TOTAL_FORMS": str(len(CUSTODIANS)),
        "custodians-INITIAL_FORMS": "0",
        "custodians-MIN_NUM_FORMS": "1",
        "custodians-MAX_NUM_FORMS": "6",
        "submit": "1",
    }
    for i, (first, last, code) in enumerate(CHILDREN):
        data.update(
            {
                f"children-{i}-first_name": first,
                f"children-{i}-last_name": last,
                f"children-{i}-identity_code": code,
                f"children-{i}-home_municipality": pori.pk,
                f"children-{i}-mother_tongue": "fi",
                f"children-{i}-placement": "Perhekoti",
            }
        )
    for i, (name, relation) in enumerate(CUSTODIANS):
        data.update(
            {
                f"custodians-{i}-name": name,
                f"custodians-{i}-relation": relation,
                f"custodians-{i}-phone": "050 123 456{i}",
                f"custodians-{i}-affected_by_conflict": "on",
            }
        )
    data.update(overrides)
    return data


def export_period(**filters):
    """The GET parameters of a queue export (guardianship:request_export) of the last
    365 days, today included, with the list's `filters`."""
    today = timezone.localdate()
    return {
        "start": f"{today - datetime.timedelta(days=364):%Y-%m-%d}",
        "end": f"{today:%Y-%m-%d}",
        **filters,
    }
