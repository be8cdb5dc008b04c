# The team leader (johtava sosiaalityöntekijä) of a unit of the wellbeing services county
# (issue 13): sees the requests of the unit's subtree.

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="team_leader")


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="team_leader").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_planner_role")]

    operations = [migrations.RunPython(create_role, remove_role)]
