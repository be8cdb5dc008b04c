# One name for Pikassos' own staff role (issue 12): the group was called "staff", which
# read like Django's is_staff (admin access) and was called "planner" everywhere else.

from django.db import migrations


def rename(old, new):
    def run(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_payer_role")]

    operations = [migrations.RunPython(rename("staff", "planner"), rename("planner", "staff"))]
