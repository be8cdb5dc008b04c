"""Ranking the guardian pool for a request, in the database, with the reasons shown."""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext as _

from guardianship.enums import AssignmentStatus, Background
from guardianship.models import Assignment, Guardian

WEIGHTS = {"sibling": 8, "language": 4, "area": 2, "background": 1, "free": 1}


@dataclass
class Candidate:
    guardian: Guardian
    score: int
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _points(flag, weight):
    return Case(
        When(**{flag: True}, then=Value(weight)), default=Value(0), output_field=IntegerField()
    )


def rank_guardians(request, limit=25):
    """Available guardians, best first: sibling served, language, area, background, room."""
    children = list(request.children.all())
    # The children's mother tongues, ISO 639 codes like the guardians' languages; one not
    # known asks nothing of the guardian.
    languages = sorted({c.mother_tongue for c in children if c.mother_tongue})
    municipalities = {c.home_municipality_id for c in children}
    wanted = set()
    if request.wants_lawyer:
        wanted.add(Background.LAWYER)
    if request.wants_social_work_background:
        wanted.add(Background.SOCIAL_WORK)
    sibling_guardians = Assignment.objects.filter(
        request_id=request.sibling_request_id, status=AssignmentStatus.ACTIVE
    ).values("guardian_id")
    declined = Assignment.objects.filter(request=request, status=AssignmentStatus.DECLINED).values(
        "guardian_id"
    )
    guardians = (
        Guardian.objects.available()
        .with_load()
        .exclude(pk__in=declined)
        .annotate(
            serves_sibling=ExpressionWrapper(
                Q(pk__in=sibling_guardians), output_field=BooleanField()
            ),
            language_match=ExpressionWrapper(
                Q(languages__contains=languages), output_field=BooleanField()
            ),
            area_match=Exists(
                Guardian.areas.through.objects.filter(
                    guardian_id=OuterRef("pk"), organisation_id__in=municipalities
                )
            ),
            background_match=ExpressionWrapper(
                Q(background__in=wanted), output_field=BooleanField()
            ),
            free=F("capacity") - F("load"),
            has_room=ExpressionWrapper(Q(capacity__gt=F("load")), output_field=BooleanField()),
        )
        .annotate(
            score=_points("serves_sibling", WEIGHTS["sibling"])
            + _points("language_match", WEIGHTS["language"])
            + _points("area_match", WEIGHTS["area"])
            + _points("background_match", WEIGHTS["background"])
            + _points("has_room", WEIGHTS["free"])
        )
        .order_by("-score", "-free", "last_name", "first_name")[:limit]
    )
    return [_explain(g) for g in guardians]


def _explain(guardian):
    candidate = Candidate(guardian=guardian, score=guardian.score)
    if guardian.serves_sibling:
        candidate.reasons.append(_("Already the guardian of a sibling"))
    if guardian.language_match:
        candidate.reasons.append(_("Speaks the children's language"))
    else:
        candidate.warnings.append(_("Does not speak every child's language"))
    if guardian.area_match:
        candidate.reasons.append(_("Serves the child's home municipality"))
    if guardian.background_match:
        candidate.reasons.append(_("Has the background asked for"))
    if guardian.free > 0:
        candidate.reasons.append(
            _("Room for %(free)s more cases (%(load)s of %(capacity)s)")
            % {"free": guardian.free, "load": guardian.load, "capacity": guardian.capacity}
        )
    else:
        candidate.warnings.append(
            _("Over capacity: %(load)s cases of %(capacity)s")
            % {"load": guardian.load, "capacity": guardian.capacity}
        )
    return candidate
