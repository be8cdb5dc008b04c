# Need to know (issue 13): every request gets the unit of its responsible team where the
# mapping is certain; the rest stay without a unit, visible to the coordinators (and to
# whoever filed them), who hand each to a team with the "transfer" step. README, "Units".
#
# Certain means exactly one team:
# - a request of a municipality (filed before 2023): the one team serving it;
# - of a joint authority: the one team serving all of the authority's member
#   municipalities (Porin YTA → Pori, Kessote → Keski-Satakunta, PoSa → Pohjois-Satakunta);
# - of the county (filed after 2023 before units existed): the filer's one team.

from django.db import migrations


def teams_serving(apps, organisation):
    Unit = apps.get_model("municipalities", "Unit")
    Membership = apps.get_model("municipalities", "Membership")
    if organisation.kind == "municipality":
        members = [organisation.pk]
    else:
        members = list(
            Membership.objects.filter(authority=organisation).values_list("member_id", flat=True)
        )
    if not members:
        return set()
    teams = None
    for member in members:
        serving = set(
            Unit.objects.filter(kind="team", municipalities=member).values_list("pk", flat=True)
        )
        teams = serving if teams is None else teams & serving
    return teams or set()


def map_requests_to_units(apps, schema_editor=None):
    """Returns (mapped, left) counts."""
    GuardianshipRequest = apps.get_model("guardianship", "GuardianshipRequest")
    Unit = apps.get_model("municipalities", "Unit")
    mapped = left = 0
    cache = {}
    for request in GuardianshipRequest.objects.filter(unit__isnull=True).select_related(
        "organisation"
    ):
        organisation = request.organisation
        if organisation.kind in ("municipality", "joint_authority"):
            if organisation.pk not in cache:
                cache[organisation.pk] = teams_serving(apps, organisation)
            teams = cache[organisation.pk]
        else:
            teams = set(
                Unit.objects.filter(
                    kind="team", organisation=organisation, members=request.created_by_id
                ).values_list("pk", flat=True)
            )
        if len(teams) == 1:
            GuardianshipRequest.objects.filter(pk=request.pk).update(unit_id=teams.pop())
            mapped += 1
        else:
            left += 1
    return mapped, left


class Migration(migrations.Migration):
    dependencies = [
        ("guardianship", "0014_request_unit_and_responsible_worker"),
        ("municipalities", "0005_county_units"),
    ]

    operations = [migrations.RunPython(map_requests_to_units, migrations.RunPython.noop)]
