"""Child-protection guardianship: the guardian pool, requests, assignments, the access log.

One module per part (`pool`, `requests`, `tracks`, `documents`, `access_log`); everything is
imported here, where Django and the other modules look for the models.
"""

from guardianship.models.access_log import AccessLog
from guardianship.models.documents import DocumentKind, RequestDocument
from guardianship.models.pool import Guardian, GuardianQuerySet, GuardianTraining
from guardianship.models.requests import (
    ASSIGNMENT_PERSONAL_FIELDS,
    CHILD_PERSONAL_FIELDS,
    CUSTODIAN_PERSONAL_FIELDS,
    EVENT_PERSONAL_FIELDS,
    REQUEST_PERSONAL_FIELDS,
    Assignment,
    Child,
    Custodian,
    GuardianshipRequest,
    RequestEvent,
    RequestQuerySet,
    mask_identity_code,
    short_reference,
)
from guardianship.models.tracks import LegalTrack, RequestTrack

__all__ = [
    "ASSIGNMENT_PERSONAL_FIELDS",
    "CHILD_PERSONAL_FIELDS",
    "CUSTODIAN_PERSONAL_FIELDS",
    "EVENT_PERSONAL_FIELDS",
    "REQUEST_PERSONAL_FIELDS",
    "AccessLog",
    "Assignment",
    "Child",
    "Custodian",
    "DocumentKind",
    "Guardian",
    "GuardianQuerySet",
    "GuardianTraining",
    "GuardianshipRequest",
    "LegalTrack",
    "RequestDocument",
    "RequestEvent",
    "RequestQuerySet",
    "RequestTrack",
    "mask_identity_code",
    "short_reference",
]
