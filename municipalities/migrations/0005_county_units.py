# The wellbeing services county's child-protection teams, a starting set edited in the
# admin (municipalities.reference.COUNTY_UNITS says where it comes from).

import pgtrigger
from django.db import migrations

from municipalities.reference import load_county_units, unload_county_units


def load(apps, schema_editor):
    # Reference data has no history of its own (as the organisations, loaded before
    # their history existed): the history starts with the first edit in the admin. It
    # also keeps the test database's serialised copy free of append-only rows.
    with pgtrigger.ignore("municipalities.Unit:insert_insert"):
        load_county_units(apps)


def unload(apps, schema_editor):
    unload_county_units(apps)


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0004_units")]

    operations = [migrations.RunPython(load, unload)]
