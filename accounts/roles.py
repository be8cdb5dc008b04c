"""The portal's roles. Each is a Django group, created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Guardianship coordinator")
    # Pikassos' own staff who plan the region's development work (not Django's is_staff,
    # which only opens the admin).
    PLANNER = "planner", _("Pikassos planner")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    GUARDIAN = "guardian", _("Guardian")
    # Johtava sosiaalityöntekijä: sees the requests of their unit's subtree and hands a
    # request to another worker or team.
    TEAM_LEADER = "team_leader", _("Team leader")
    # An official of the organisation that pays guardians' fees (since 2023 the county).
    PAYER = "payer", _("Paying organisation's official")


def role_label(name):
    """A group's name as people read it: its role's label in the current language, or the
    name itself of a group that is no role."""
    try:
        return Role(name).label
    except ValueError:
        return name
