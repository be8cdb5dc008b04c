from django.db import migrations

from municipalities.reference import load_reference_data, unload_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)


def unload(apps, schema_editor):
    unload_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
