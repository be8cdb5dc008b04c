import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from tree_queries.fields import TreeNodeForeignKey
from tree_queries.models import TreeNode

from common.models import TimeStampedModel, TranslatedNameMixin


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    JOINT_AUTHORITY = "joint_authority", _("Joint municipal authority")
    WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")
    STATE_AGENCY = "state_agency", _("State agency")
    UNIVERSITY = "university", _("University")
    NGO = "ngo", _("NGO")
    COMPANY = "company", _("Company")
    CENTRE_OF_EXPERTISE = "centre_of_expertise", _("Centre of expertise")
    NETWORK = "network", _("Network")


class OrganisationQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def former(self, on=None):
        return self.filter(valid_to__lt=on or timezone.localdate())

    def municipalities(self):
        return self.filter(kind=OrganisationKind.MUNICIPALITY)

    def region_county(self):
        """The wellbeing services county of the portal's region: the county whose area
        (its municipalities) is recorded. Other counties, such as Pikassos' owners in
        Kanta-Häme and Pirkanmaa, are listed without an area."""
        return (
            self.filter(kind=OrganisationKind.WELLBEING_COUNTY, area__isnull=False)
            .distinct()
            .order_by("name")
            .first()
        )

    def search(self, text):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(name_sv__icontains=text)
            | Q(short_name__icontains=text)
            | Q(code=text)
        )


@pghistory.track()
class Organisation(TranslatedNameMixin, TimeStampedModel):
    """Any organisation of the region: municipality, joint authority, agency, NGO..."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    code = models.CharField(
        _("Statistics Finland code"),
        max_length=3,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Three digits, for municipalities only, e.g. 609 for Pori."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_("Street address, postal code and city, each on its own line."),
    )
    social_services_staff = models.PositiveIntegerField(
        _("social services staff"),
        null=True,
        blank=True,
        help_text=_("Approximate number of social-services professionals (providers)."),
    )
    facts_recorded_on = models.DateField(
        _("facts recorded on"),
        null=True,
        blank=True,
        help_text=_(
            "When the staff figure, services, preparedness measures and contact persons "
            "were recorded. If set, the page shows them as history of that year."
        ),
    )
    area = models.ManyToManyField(
        "self",
        verbose_name=_("area"),
        symmetrical=False,
        related_name="area_of",
        blank=True,
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        help_text=_(
            "For a wellbeing services county: the municipalities that make up its area "
            "(its area is the region's, Act 614/2021, 1 §). They are not its members."
        ),
    )
    owners = models.ManyToManyField(
        "self",
        verbose_name=_("owners"),
        symmetrical=False,
        related_name="owned_organisations",
        blank=True,
        help_text=_("The organisations that own this one, e.g. a company's shareholders."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["valid_to"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__regex=r"^[0-9]{3}$"),
                name="organisation_code_three_digits",
                violation_error_message=_("The code must be three digits."),
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(kind=OrganisationKind.MUNICIPALITY),
                name="organisation_code_only_for_municipalities",
                violation_error_message=_("Only municipalities have a Statistics Finland code."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organisation_validity_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=models.F("id")),
                name="organisation_not_own_successor",
                violation_error_message=_("An organisation cannot succeed itself."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("municipalities:detail", kwargs={"slug": self.slug})

    @property
    def is_current(self):
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    @property
    def is_former(self):
        return self.valid_to is not None and self.valid_to < timezone.localdate()


@pghistory.track()
class Membership(models.Model):
    """A municipality's membership of a joint authority (or another body with members).

    A wellbeing services county has no members: it is defined by its area
    (`Organisation.area`), so a membership of a county is refused.
    """

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM_HIGH = "medium_high", _("Medium-high")

    member = models.ForeignKey(
        Organisation,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="member_links",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_host = models.BooleanField(_("host municipality"), default=False)
    confidence = models.CharField(
        _("confidence of the source"),
        max_length=16,
        choices=Confidence.choices,
        default=Confidence.HIGH,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["authority__name", "member__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="membership_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("authority")),
                name="membership_not_of_itself",
                violation_error_message=_("An organisation cannot be a member of itself."),
            ),
            models.UniqueConstraint(
                fields=["member", "authority", "valid_from"],
                nulls_distinct=False,
                name="membership_unique_period_start",
                violation_error_message=_("This membership already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.authority}"

    def clean(self):
        super().clean()
        if self.authority_id and self.authority.kind == OrganisationKind.WELLBEING_COUNTY:
            raise ValidationError(
                {
                    "authority": _(
                        "A wellbeing services county has no members: add the municipality "
                        "to the county's area instead."
                    )
                }
            )


class ServiceType(TranslatedNameMixin, models.Model):
    """An entry of the social-services catalogue (from the PoSa seed)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("social service type")
        verbose_name_plural = _("social service types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name


class ServiceOffering(models.Model):
    """A social service a provider offers in some municipalities."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="service_offerings",
    )
    service = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="offerings"
    )
    municipalities = models.ManyToManyField(
        Organisation,
        verbose_name=_("municipalities"),
        related_name="services_received",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    walk_in_reception = models.BooleanField(
        _("walk-in reception without appointment"), default=False
    )
    remote_appointments = models.BooleanField(_("remote appointments"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        ordering = ["provider__name", "service__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "service"], name="service_offering_unique_per_provider"
            )
        ]

    def __str__(self):
        return f"{self.provider}: {self.service}"


class PreparednessMeasure(models.Model):
    """A provider's preparedness measure, e.g. for a pandemic."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="preparedness_measures",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("preparedness measure")
        verbose_name_plural = _("preparedness measures")
        ordering = ["-recorded_on", "title"]

    def __str__(self):
        return self.title


class ContactPerson(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class UnitKind(models.TextChoices):
    DIVISION = "division", _("Division")
    SERVICE_AREA = "service_area", _("Service area")
    TEAM = "team", _("Team")


@pghistory.track()
class Unit(TranslatedNameMixin, TreeNode):
    """A unit inside an organisation: county → division → service area → team.

    Need to know (client-data act 703/2023): a social worker sees the requests of their
    own team(s), a team leader those of their unit's subtree (guardianship.policies).
    Users belong to units through `members`; the role decides which reading applies.
    """

    # PROTECT, not the library's CASCADE: a unit with requests or sub-units stays.
    parent = TreeNodeForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    municipalities = models.ManyToManyField(
        Organisation,
        verbose_name=_("municipalities served"),
        related_name="serving_units",
        blank=True,
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        help_text=_(
            "The municipalities whose children this team serves: they map the requests "
            "filed before 2023 by a municipality or joint authority to a team."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="units",
        blank=True,
        help_text=_(
            "Social workers see the requests of their own teams; a team leader sees "
            "those of the whole subtree of the unit they lead."
        ),
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"],
                nulls_distinct=False,
                name="unit_unique_name_under_parent",
                violation_error_message=_("The parent already has a unit of this name."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()  # no loops (tree_queries)
        if (
            self.parent_id
            and self.organisation_id
            and self.parent.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"parent": _("The parent unit must belong to the same organisation.")}
            )
