from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Roles are groups; a social worker belongs to organisations."""

    title = models.CharField(_("title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    organisations = models.ManyToManyField(
        "municipalities.Organisation",
        verbose_name=_("organisations"),
        related_name="users",
        blank=True,
        help_text=_("The organisations this person works for (social workers)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Role names from the user's groups, read once per request (with the user
        itself when accounts.backends.ModelBackend loaded it)."""
        names = self.__dict__.get("role_names")
        if names is None:
            names = self.groups.values_list("name", flat=True)
        return frozenset(name for name in names if name)

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        """The user's organisations, read once per request. Scoping by these ids, not a
        subquery, lets the planner read a social worker's queue in index order."""
        return frozenset(self.organisations.values_list("pk", flat=True))

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        """The units (municipalities.Unit) the user belongs to, read once per request:
        with the user itself when accounts.backends.ModelBackend loaded it."""
        ids = self.__dict__.get("unit_id_list")
        if ids is None:
            ids = self.units.values_list("pk", flat=True)
        return frozenset(ids)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))
