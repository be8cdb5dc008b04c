"""The two legal tracks as reference data (issue 14, part 1), the state's payer, and the
child-welfare track for the requests filed before the tracks.

Sources (checked November 2026):
- Child Welfare Act (lastensuojelulaki 417/2007) 22 §: the social worker responsible for
  the child applies; https://www.finlex.fi/fi/laki/ajantasa/2007/20070417#L4P22
- THL, Lastensuojelun käsikirja, "Lastensuojelun edunvalvonta": the guardian is applied
  for under LSL 22 §, otherwise the Guardianship Services Act (holhoustoimilaki 442/1999)
  applies; https://thl.fi/julkaisut/kasikirjat/lastensuojelun-kasikirja/tyoprosessi/lastensuojelun-edunvalvonta
  That the guardianship authority (Digi- ja väestötietovirasto) may appoint when the
  custodian and the social welfare authority apply together, and that the custodian and
  the authority may apply, is from practitioners' guides (e.g.
  https://www.lawila.fi/edunvalvonta): uncertain, so it is data a coordinator corrects.
- Criminal Investigation Act (esitutkintalaki 805/2011) chapter 4 section 8, as amended by
  453/2023: the court appoints a guardian for an injured party under 18 when the custodian
  cannot act impartially; https://www.finlex.fi/fi/laki/alkup/2023/20230453
- Rikosuhripäivystys (RIKU): the head of investigation applies, or the prosecutor or the
  social welfare authority; the order lasts until the criminal case ends; the state pays
  the fee and costs; https://www.riku.fi/rikoksen-uhrina/lapsi-rikoksen-uhrina/mika-on-edunvalvoja/
- Supreme Court KKO:2018:69: the fee of a guardian appointed under ETL 4:8 is paid from
  state funds, fixed by the court following the principles of holhoustoimilaki 44 §;
  https://korkeinoikeus.fi/fi/index/ennakkopaatokset/precedent/1540541634390.html
  So the state's payer is the court that fixes and pays the fee: for Satakunta,
  "Valtio – Satakunnan käräjäoikeus".
"""

import pgtrigger
from django.db import migrations

COUNTY = "satakunnan-hyvinvointialue"
STATE_PAYER = "valtio-satakunnan-karajaoikeus"
CHILD_WELFARE = "lastensuojelu"
CRIMINAL_INVESTIGATION = "esitutkinta"

LSL_SOURCES = """\
Lastensuojelulaki 417/2007 22 §: https://www.finlex.fi/fi/laki/ajantasa/2007/20070417#L4P22
THL, Lastensuojelun käsikirja: https://thl.fi/julkaisut/kasikirjat/lastensuojelun-kasikirja/tyoprosessi/lastensuojelun-edunvalvonta
Holhousviranomaisen määräys yksimielisessä asiassa (tarkistettava): https://www.lawila.fi/edunvalvonta"""

ETL_SOURCES = """\
Esitutkintalaki 805/2011 4 luku 8 § (453/2023): https://www.finlex.fi/fi/laki/alkup/2023/20230453
KKO:2018:69 (palkkio valtion varoista, HolTL 44 §:n periaatteet): https://korkeinoikeus.fi/fi/index/ennakkopaatokset/precedent/1540541634390.html
RIKU, Mikä on edunvalvoja?: https://www.riku.fi/rikoksen-uhrina/lapsi-rikoksen-uhrina/mika-on-edunvalvoja/"""

TRACKS = [
    {
        "code": CHILD_WELFARE,
        "name": "Lastensuojelu (LSL 22 §)",
        "name_sv": "Barnskydd (BSL 22 §)",
        "law_reference": "Lastensuojelulaki 417/2007 22 §",
        "sources": LSL_SOURCES,
        "applicant_kinds": ["responsible_social_worker", "guardianship_authority", "custodian"],
        "applicants": (
            "Lapsen asioista vastaava sosiaalityöntekijä hakee edunvalvojaa (LSL 22 §). "
            "Hakemuksen voi tehdä myös holhousviranomainen (Digi- ja väestötietovirasto) "
            "tai lapsen huoltaja."
        ),
        "applicants_sv": (
            "Den socialarbetare som ansvarar för barnets angelägenheter ansöker om en "
            "intressebevakare (BSL 22 §). Ansökan kan också göras av förmyndarmyndigheten "
            "(Myndigheten för digitalisering och befolkningsdata) eller barnets vårdnadshavare."
        ),
        "appointing_body": "district_court",
        "agreed_appointing_body": "guardianship_authority",
        "payer": COUNTY,
        "end_conditions": ["matter_resolved", "age_of_majority"],
        "records_investigation": False,
        "order": 10,
    },
    {
        "code": CRIMINAL_INVESTIGATION,
        "name": "Esitutkinta (ETL 4:8)",
        "name_sv": "Förundersökning (FUL 4:8)",
        "law_reference": "Esitutkintalaki 805/2011 4 luku 8 §",
        "sources": ETL_SOURCES,
        "applicant_kinds": ["head_of_investigation", "prosecutor", "social_authority"],
        "applicants": (
            "Tutkinnanjohtaja hakee tarvittaessa edunvalvojaa esitutkintaa varten; "
            "hakemuksen voi tehdä myös syyttäjä tai sosiaaliviranomainen."
        ),
        "applicants_sv": (
            "Undersökningsledaren ansöker vid behov om en intressebevakare för "
            "förundersökningen; ansökan kan också göras av åklagaren eller socialmyndigheten."
        ),
        "appointing_body": "district_court",
        "agreed_appointing_body": "",
        "payer": STATE_PAYER,
        "end_conditions": ["criminal_case_ends", "age_of_majority"],
        "records_investigation": True,
        "order": 20,
    },
]


def _state_payer(Organisation):
    # Created only when missing: the reference data of municipalities may add it too.
    Organisation.objects.get_or_create(
        slug=STATE_PAYER,
        defaults={
            "kind": "state_agency",
            "name": "Valtio – Satakunnan käräjäoikeus",
            "name_sv": "Staten – Satakunta tingsrätt",
            "short_name": "Satakunnan käräjäoikeus",
            "description": (
                "Maksaa esitutkintalain 4 luvun 8 §:n nojalla määrätyn edunvalvojan palkkion "
                "valtion varoista; käräjäoikeus vahvistaa palkkion holhoustoimilain 44 §:n "
                "periaattein (KKO:2018:69)."
            ),
        },
    )


def load(apps, schema_editor):
    Organisation = apps.get_model("municipalities", "Organisation")
    LegalTrack = apps.get_model("guardianship", "LegalTrack")
    GuardianshipRequest = apps.get_model("guardianship", "GuardianshipRequest")
    # Reference data has no history of its own (as municipalities 0005): its history starts
    # with the first edit in the admin, and the test database's serialised copy stays free
    # of append-only rows.
    with pgtrigger.ignore("municipalities.Organisation:insert_insert"):
        _state_payer(Organisation)
    payers = {o.slug: o for o in Organisation.objects.filter(slug__in=[COUNTY, STATE_PAYER])}
    tracks = {}
    for data in TRACKS:
        values = {**data, "payer": payers[data["payer"]]}
        tracks[data["code"]], _ = LegalTrack.objects.update_or_create(
            code=data["code"], defaults=values
        )
    # Every request so far was filed on the child-welfare form (LSL 22 §) and keeps the
    # payer chosen then; a coordinator corrects a criminal-investigation one in the admin.
    Through = GuardianshipRequest.tracks.through
    child_welfare = tracks[CHILD_WELFARE]
    ids = GuardianshipRequest.objects.filter(tracks=None).values_list("pk", flat=True)
    Through.objects.bulk_create(
        (Through(request_id=pk, track_id=child_welfare.pk) for pk in ids.iterator()),
        batch_size=5000,
    )


def unload(apps, schema_editor):
    Organisation = apps.get_model("municipalities", "Organisation")
    LegalTrack = apps.get_model("guardianship", "LegalTrack")
    GuardianshipRequest = apps.get_model("guardianship", "GuardianshipRequest")
    codes = [t["code"] for t in TRACKS]
    GuardianshipRequest.tracks.through.objects.filter(track__code__in=codes).delete()
    LegalTrack.objects.filter(code__in=codes).delete()
    Organisation.objects.filter(slug=STATE_PAYER, paid_guardianship_requests=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guardianship", "0017_request_tracks_and_appointment_order"),
        ("municipalities", "0007_reference_data_2023"),
    ]

    operations = [migrations.RunPython(load, unload)]
