from django.db import migrations

from projects.reference import load_reference_data, unload_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)


def unload(apps, schema_editor):
    unload_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        # The funder (STM) and Pikassos are organisations of the reference data.
        ("municipalities", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, unload)]
