# Reference data true today (issue 14, part 5); the facts and their sources are in
# municipalities.reference and the README, "Reference data":
# - the county's municipalities become its area (Act 616/2021, 7 §): the memberships of
#   a wellbeing services county, loaded by 0002, are converted and removed;
# - the joint authorities end on 2022-12-31 with the county as successor (kept for the
#   requests filed in their time: nothing else is deleted);
# - Kessote's name and its members' start (2021-01-01), Pikassos Oy and its owners,
#   Siikais, the county's and Pikassos' web sites, POSA's facts dated 2020.

import pgtrigger
from django.db import migrations

from municipalities.reference import load_reference_data

# Reference data has no history of its own (0005): the history starts with the first
# edit in the admin, and the test database's serialised copy stays free of append-only
# rows.
TRIGGERS = (
    "municipalities.Organisation:insert_insert",
    "municipalities.Organisation:update_update",
    "municipalities.Membership:insert_insert",
    "municipalities.Membership:update_update",
)


def area_from_county_memberships(apps):
    Membership = apps.get_model("municipalities", "Membership")
    links = Membership.objects.filter(authority__kind="wellbeing_county").select_related(
        "authority"
    )
    for link in links:
        link.authority.area.add(link.member_id)
    links.delete()


def county_memberships_from_area(apps):
    Organisation = apps.get_model("municipalities", "Organisation")
    Membership = apps.get_model("municipalities", "Membership")
    for county in Organisation.objects.filter(kind="wellbeing_county"):
        for municipality in county.area.all():
            Membership.objects.get_or_create(
                member=municipality,
                authority=county,
                valid_from=county.valid_from,
                defaults={"confidence": "high"},
            )
        county.area.clear()


def forwards(apps, schema_editor):
    with pgtrigger.ignore(*TRIGGERS):
        area_from_county_memberships(apps)
        load_reference_data(apps)


def backwards(apps, schema_editor):
    # The corrected facts stay (they were wrong before); the area goes back to being
    # memberships, which the schema before 0006 can hold.
    with pgtrigger.ignore(*TRIGGERS):
        county_memberships_from_area(apps)


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0006_organisation_address_area_owners")]

    operations = [migrations.RunPython(forwards, backwards)]
