"""The region's organisations, municipalities and teams as choices, kept in memory.

Every filter form of the list pages and most editing forms offer one of these lists, and
reading it cost a query and model instances on every page although it changes by law,
not by the day (issue 18, part 3). Each process keeps the lists it has used (`Entry`
tuples, labelled in the language of each request) and reads them again when

- they changed: a save or deletion of an organisation or a unit, once committed, sets a
  new generation in Django's default cache (`bump`); each use compares it, one cache
  get. With a cache shared by the processes (Redis) they all see it at once; with the
  default per-process memory cache only the process that made the change does, so
- they are older than CHOICES_CACHE_SECONDS: another process sees a change within that.

Only the offered choices come from memory: a submitted value is still looked up in the
database by the form field's queryset (Django's ModelChoiceField.to_python), so a stale
list can never let a deleted or otherwise invalid organisation through; at worst it
offers one that the form then refuses, or lacks a new one for a minute.

QuerySet.update() and bulk_create() send no signals; nothing updates these models that
way (the reference data is written by update_or_create and deleted one by one by
QuerySet.delete(), which sends post_delete). Data migrations use historical models that
send no signals either, so `migrate` bumps the generation when it ends.
"""

import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone

from common import generations
from common.models import TranslatedNameMixin
from municipalities.models import Organisation, Unit, UnitKind

logger = logging.getLogger(__name__)

CHOICES = "municipalities.choices"
GENERATION_KEY = generations.generation_key(CHOICES)


@dataclass(frozen=True)
class Entry(TranslatedNameMixin):
    """One choice: what the forms need of an organisation or a unit. Its label
    (`str()`, TranslatedNameMixin) is its name in the language of the request, as the
    model's own `__str__`."""

    pk: int
    name: str
    name_sv: str
    slug: str = ""
    kind: str = ""
    valid_from: date | None = None
    valid_to: date | None = None

    def __str__(self):
        return self.display_name

    def is_current(self, on):
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )


ORGANISATION_FIELDS = ("pk", "name", "name_sv", "slug", "kind", "valid_from", "valid_to")


def _load_organisations():
    rows = Organisation.objects.using(DEFAULT_DB_ALIAS).order_by("name", "pk")
    return tuple(Entry(*row) for row in rows.values_list(*ORGANISATION_FIELDS))


def _load_municipalities():
    rows = (
        Organisation.objects.using(DEFAULT_DB_ALIAS)
        .municipalities()
        .order_by("name", "pk")
        .values_list(*ORGANISATION_FIELDS)
    )
    return tuple(Entry(*row) for row in rows)


def _load_teams():
    # The model's order: by organisation, then name.
    rows = (
        Unit.objects.using(DEFAULT_DB_ALIAS)
        .filter(kind=UnitKind.TEAM)
        .order_by("organisation__name", "name", "pk")
        .values_list("pk", "name", "name_sv")
    )
    return tuple(Entry(*row) for row in rows)


LOADERS = {
    "organisations": _load_organisations,
    "municipalities": _load_municipalities,
    "teams": _load_teams,
}


def _changes_pending():
    """Whether this thread's transaction changed the lists and has not committed: what
    it reads then is its own, and must not be kept for the other requests (it might yet
    be rolled back). Django drops the callbacks of a rolled-back transaction (or
    savepoint); a test's capture runs them without removing them, hence `pending`."""
    connection = transaction.get_connection(DEFAULT_DB_ALIAS)
    return any(getattr(callback, "pending", False) for _, callback, _ in connection.run_on_commit)


@dataclass
class _Snapshot:
    generation: object
    taken_at: float
    lists: dict = field(default_factory=dict)


class ChoiceStore:
    """The lists one process keeps. Its snapshot is replaced, never changed but for
    adding a list (dict.setdefault, atomic), so its threads need no lock."""

    def __init__(self):
        self._snapshot = None

    def clear(self):
        self._snapshot = None

    def get(self, name):
        seconds = settings.CHOICES_CACHE_SECONDS
        if seconds <= 0 or _changes_pending():
            return LOADERS[name]()
        generation = cache.get(GENERATION_KEY)
        now = time.monotonic()
        snapshot = self._snapshot
        if (
            snapshot is None
            or snapshot.generation != generation
            or now - snapshot.taken_at >= seconds
        ):
            # Read before the lists: a change committed while they load sets a newer
            # generation, and the next use loads them again.
            snapshot = _Snapshot(generation, now)
            self._snapshot = snapshot
        entries = snapshot.lists.get(name)
        if entries is None:
            entries = snapshot.lists.setdefault(name, LOADERS[name]())
        return entries


store = ChoiceStore()


def bump():
    """A new generation: every process reads the lists again at its next use."""
    store.clear()
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def changed(**kwargs):
    """post_save and post_delete of an organisation or a unit."""
    # This process stops serving the old lists now; the others once the change is
    # committed (before that they would read the old rows again). One bump for all the
    # changes of a transaction.
    store.clear()
    if _changes_pending():
        return

    def committed():
        committed.pending = False
        bump()

    committed.pending = True
    transaction.on_commit(committed, using=DEFAULT_DB_ALIAS, robust=True)


def migrated(**kwargs):
    """post_migrate: data migrations send no signals of the real models."""
    try:
        bump()
    except Exception:  # an unreachable cache must not fail the migration
        logger.warning("Could not mark the choice lists changed", exc_info=True)


def kept(parts, build):
    """`build()` once per generation of the lists, language and `parts`, kept in Django's
    cache for CHOICES_CACHE_SECONDS (the directory's results: they show only the
    organisations' own rows)."""
    seconds = settings.CHOICES_CACHE_SECONDS
    if seconds <= 0 or _changes_pending():
        return build()
    return generations.kept(CHOICES, parts, build, seconds)


# The lists --------------------------------------------------------------------------------


def organisations():
    return store.get("organisations")


def organisation_names(ids):
    """{pk: name in the active language} of the organisations `ids`, from memory; any
    that the list in memory lacks yet (added in another process within
    CHOICES_CACHE_SECONDS) read from the database, so a row naming it still shows."""
    names = {entry.pk: entry.display_name for entry in organisations()}
    missing = set(ids) - names.keys()
    if missing:
        names.update(
            (organisation.pk, organisation.display_name)
            for organisation in Organisation.objects.filter(pk__in=missing)
        )
    return names


def current_organisations():
    today = timezone.localdate()
    return [entry for entry in store.get("organisations") if entry.is_current(today)]


def municipalities():
    return store.get("municipalities")


def current_municipalities():
    today = timezone.localdate()
    return [entry for entry in store.get("municipalities") if entry.is_current(today)]


def teams():
    return store.get("teams")


def load_all():
    """Every list read into this process's memory (as after a while of serving pages)."""
    for name in LOADERS:
        store.get(name)


# The forms --------------------------------------------------------------------------------


class MemoryChoiceIterator(ModelChoiceIterator):
    """The choices of a ModelChoiceField from `field.entries()` instead of its queryset,
    which still validates what is submitted."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = self.field.to_field_name or "pk"
        if key == self.queryset.model._meta.pk.name:  # "id", as a ForeignKey's field has it
            key = "pk"
        for entry in self.field.entries():
            yield (
                ModelChoiceIteratorValue(getattr(entry, key), entry),
                self.field.label_from_instance(entry),
            )

    def __len__(self):
        return len(self.field.entries()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.entries())


def from_memory(field, entries):
    """Offer `entries()` (one of the lists above) as the choices of the ModelChoiceField
    or ModelMultipleChoiceField `field`, whose queryset should hold the same rows: it
    validates the submitted values. Returns the field."""
    field.entries = entries
    field.iterator = MemoryChoiceIterator
    field.widget.choices = field.choices
    return field
