"""The public front page's sections and the news list, rendered once per generation of
the projects' content (common.generations) for each language and audience: their queries
and rows were most of those pages' time (issue 18). Any save or deletion of a project,
an event, a news item or a tag, or a change of a news item's tags, starts a new
generation; time alone (a scheduled news item published, an event over) shows within
PUBLIC_CACHE_SECONDS."""

from common import generations
from projects.policies import can_edit, can_read_internal

PUBLIC = "projects.public"
PUBLIC_CACHE_SECONDS = 60


def public_changed(**kwargs):
    generations.bump(PUBLIC)


def news_audience(user):
    """Who sees which news items (NewsItemQuerySet.visible_to): editors also the
    scheduled ones, readers with a role the internal ones, anybody else the public."""
    if can_edit(user):
        return "editor"
    return "internal" if can_read_internal(user) else "public"


def kept(parts, build):
    """`build()`'s HTML for `parts` in this generation and language."""
    return generations.kept(PUBLIC, parts, build, PUBLIC_CACHE_SECONDS)
