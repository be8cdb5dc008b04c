"""The site search: published answers, news, projects and events, with PostgreSQL's
full-text search in Finnish (`finnish`: "lastensuojelun" finds "lastensuojelu") and, for
the texts written in Swedish, in Swedish (`swedish`).

What is searched (each document stored in a generated column, `search_fi` and
`search_sv`, with a GIN index on it, so neither ranking nor filtering computes a row's
vectors): a published answer's question and answer (finnish) and their Swedish
versions (swedish); a project's name, acronym and description (finnish) and its Swedish
name (swedish); a news item's title and body; an event's title, place and description
(finnish; news and events have no Swedish fields). Titles weigh more than the text
(weights A and B) in the ranking (ts_rank).

Two steps keep the cost bounded: one query ranks every match of the four kinds (a
UNION of primary keys and ranks, paged), then one query per kind on the page fetches
the rows with their highlighted excerpts (ts_headline), so only a page's excerpts are
made. An excerpt is escaped whole; only the highlight marks, placed by ts_headline as
private-use characters that are then turned into <mark>, become HTML.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import CharField, F, Q, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from development.models import PublishedAnswer
from projects import models as projects
from projects.rendering import markdown_to_text

START, STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = {"start_sel": START, "stop_sel": STOP, "max_words": 35, "min_words": 15}


def query_fi(text):
    return SearchQuery(text, config="finnish", search_type="websearch")


def query_sv(text):
    return SearchQuery(text, config="swedish", search_type="websearch")


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    vector_fi: object
    vector_sv: object  # None when the model has no Swedish text
    excerpt_fi: str  # the field the excerpt is taken from
    excerpt_sv: str = ""
    markdown: bool = False

    @property
    def model(self):
        return {
            "answer": PublishedAnswer,
            "project": projects.Project,
            "news": projects.NewsItem,
            "event": projects.Event,
        }[self.kind]

    def queryset(self, user):
        """What the user may read: the published answers, and the projects, news and
        events their own lists show them (public ones for a visitor)."""
        if self.model is PublishedAnswer:
            return PublishedAnswer.objects.public()
        return self.model.objects.visible_to(user)

    def matches(self, user, text):
        fi, sv = query_fi(text), query_sv(text)
        qs = self.queryset(user).alias(doc_fi=self.vector_fi)
        rank = SearchRank(F("doc_fi"), fi)
        found = Q(doc_fi=fi)
        if self.vector_sv is not None:
            qs = qs.alias(doc_sv=self.vector_sv)
            rank = rank + SearchRank(F("doc_sv"), sv)
            found |= Q(doc_sv=sv)
        return (
            qs.filter(found)
            .annotate(
                source_kind=Value(self.kind, output_field=CharField()),
                rank=rank,
            )
            .values_list("source_kind", "pk", "rank")
            .order_by()
        )

    def page_rows(self, pks, text):
        # The keys come from matches(), which already kept to what the user may read.
        qs = self.model.objects.filter(pk__in=pks)
        qs = qs.annotate(
            headline_fi=SearchHeadline(
                self.excerpt_fi, query_fi(text), config="finnish", **HEADLINE_OPTIONS
            )
        )
        if self.excerpt_sv:
            qs = qs.annotate(
                headline_sv=SearchHeadline(
                    self.excerpt_sv, query_sv(text), config="swedish", **HEADLINE_OPTIONS
                )
            )
        return {row.pk: row for row in qs}


SOURCES = {
    "answer": Source(
        "answer",
        _("Question and answer"),
        F("search_fi"),
        F("search_sv"),
        "answer",
        "answer_sv",
    ),
    "project": Source(
        "project",
        _("Project"),
        F("search_fi"),
        F("search_sv"),
        "description",
        markdown=True,
    ),
    "news": Source("news", _("News"), F("search_fi"), None, "body", markdown=True),
    "event": Source(
        "event",
        _("Event"),
        F("search_fi"),
        None,
        "description",
        markdown=True,
    ),
}


def ranked(user, text):
    """(kind, pk, rank) of every match the user may read, the best first: a queryset to page."""
    parts = [source.matches(user, text) for source in SOURCES.values()]
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-rank", "source_kind", "-pk")


def highlight(fragment, markdown=False):
    """The excerpt made safe: everything escaped, the marks of ts_headline made <mark>."""
    if markdown:
        fragment = markdown_to_text(fragment)
    out = []
    head, *parts = fragment.split(START)
    out.append(escape(head.replace(STOP, "")))
    for part in parts:
        marked, sep, rest = part.partition(STOP)
        if sep:
            out.append(f"<mark>{escape(marked)}</mark>{escape(rest.replace(STOP, ''))}")
        else:
            out.append(escape(part))
    return mark_safe("".join(out))  # noqa: S308 (every piece above is escaped)


@dataclass
class Hit:
    kind: str
    label: str
    title: str
    url: str
    excerpt: str
    rank: float
    date: object = None


def hits(page_rows, text):
    """The Hit of each (kind, pk, rank) of a page, in the page's order."""
    by_kind = {}
    for kind, pk, _rank in page_rows:
        by_kind.setdefault(kind, []).append(pk)
    objects = {kind: SOURCES[kind].page_rows(pks, text) for kind, pks in by_kind.items()}
    out = []
    for kind, pk, rank in page_rows:
        obj = objects[kind].get(pk)
        if obj is None:
            continue
        source = SOURCES[kind]
        fragment = obj.headline_fi
        if source.excerpt_sv and START not in fragment and START in (obj.headline_sv or ""):
            fragment = obj.headline_sv
        if kind == "answer":
            title, date = obj.display_question, obj.published_at
        elif kind == "project":
            title, date = obj.display_name, obj.start_date
        elif kind == "news":
            title, date = obj.title, obj.published_at
        else:
            title, date = obj.title, obj.starts_at
        out.append(
            Hit(
                kind=kind,
                label=source.label,
                title=title,
                url=obj.get_absolute_url(),
                excerpt=highlight(fragment or "", markdown=source.markdown),
                rank=rank,
                date=date,
            )
        )
    return out
