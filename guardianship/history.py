"""A request's changes as the database recorded them (django-pghistory)."""

from pghistory.models import Events

# The version only counts the saves (common.models.VersionedModel): nothing to read.
HIDDEN_HISTORY_FIELDS = {"updated_at", "state_changed_at", "version"}


def history_of(obj, limit=200):
    """The database-recorded changes of a request (django-pghistory), oldest first."""
    rows = []
    for event in Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id")[:limit]:
        diff = {k: v for k, v in (event.pgh_diff or {}).items() if k not in HIDDEN_HISTORY_FIELDS}
        rows.append(
            {
                "at": event.pgh_created_at,
                "label": event.pgh_label,
                "changes": sorted(diff.items()),
                "user": (event.pgh_context or {}).get("user"),
            }
        )
    return rows
