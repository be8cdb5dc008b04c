"""Markdown written by planners, rendered to HTML that is safe to show to anyone.

Markdown lets raw HTML through, so its output is cleaned with nh3 (ammonia) against a
short allow-list: no scripts, no styles, no event handlers, no images, and links only
to http, https and mailto addresses. Headings start at h2: a page has one h1.
"""

import functools
import html
import re
import threading

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"baselevel": 2}}

# Building a Markdown parser costs milliseconds (its patterns and processors); the
# calendar of 500 events built one per event (issue 18). One per thread, reset before
# each text: a Markdown instance is not safe to share between threads.
_parsers = threading.local()


def _to_html(text):
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        parser = _parsers.markdown = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS
        )
    return parser.reset().convert(text or "")


# What planners publish (news, events, projects, the bulletin) is rendered again on every
# view of a list or a feed: twenty news items' summaries were a quarter of the news list's
# time (issue 18). The same text gives the same HTML, so each process keeps the last texts'.
# Only published texts come here; the site search's fragments, which may come from
# questions, call markdown_to_text itself.
PUBLISHED_TEXTS_KEPT = 1024


@functools.lru_cache(maxsize=PUBLISHED_TEXTS_KEPT)
def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML, marked safe for templates."""
    raw = _to_html(text)
    # Safe: nh3 has just removed everything outside the allow-list.
    return mark_safe(
        nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
        )
    )


# A link in nh3's output: nh3 writes attributes in double quotes, escaped.
LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)


def markdown_to_text(text: str, *, keep_links: bool = False) -> str:
    """The plain text of Markdown, for summaries and calendar descriptions (not marked safe).
    With `keep_links`, a link keeps its address after its text, "text (https://…)", where
    plain text cannot link (a calendar application's description)."""
    raw = _to_html(text)
    if keep_links:
        raw = nh3.clean(
            raw, tags={"a"}, attributes={"a": {"href"}}, url_schemes=URL_SCHEMES, link_rel=None
        )
        raw = LINK.sub(lambda m: m[2] if m[1] in (m[2], "") else f"{m[2]} ({m[1]})", raw)
    return html.unescape(nh3.clean(raw, tags=set(), attributes={})).strip()


@functools.lru_cache(maxsize=PUBLISHED_TEXTS_KEPT)
def summary_text(text: str) -> str:
    """markdown_to_text of a published text (a list's summary), kept as render_markdown's."""
    return markdown_to_text(text)
