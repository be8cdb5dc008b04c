"""The public feeds: news as Atom, events as iCalendar. Internal items never enter them."""

import datetime

import icalendar
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from common import generations
from projects.models import Event, NewsItem
from projects.rendering import markdown_to_text, render_markdown

FEED_ITEMS = 30
# A calendar subscription keeps a year of past events and everything to come.
CALENDAR_PAST = datetime.timedelta(days=365)
CALENDAR_MAX_EVENTS = 500
CALENDAR_REFRESH = datetime.timedelta(hours=6)  # X-PUBLISHED-TTL below says the same
PRODID = "-//Pikassos//Pikassos portal events//FI"
# The calendar feed in the shared cache (public_calendar): at most this long after a
# change no event's save announces (an organiser renamed, an event passing out of the
# year the feed keeps).
CALENDAR_CACHE_SECONDS = 600
CALENDAR = "projects.calendar"


class NewsFeed(Feed):
    """Public, published news items, newest first."""

    feed_type = Atom1Feed
    title = _("Pikassos news")
    subtitle = _("News and knowledge for the social-services actors of Satakunta.")

    link = reverse_lazy("news:list")
    # RFC 4287 4.1.1: a feed names an author unless every entry does.
    author_name = "Pikassos"

    def items(self):
        return (
            NewsItem.objects.public()
            .published()
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.body)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_guid(self, item):
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


def build_calendar(request, events, *, subscription=True) -> bytes:
    """An iCalendar document of `events` (a queryset the caller has already scoped to what
    the reader may see). A subscription keeps a year of the past; a single event's file
    (subscription=False) is the event whenever it was."""
    now = timezone.now()
    if subscription:
        events = events.filter(ends_at__gte=now - CALENDAR_PAST)
    events = events.select_related("organiser", "project").order_by("starts_at", "pk")[
        :CALENDAR_MAX_EVENTS
    ]
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", str(_("Pikassos events")))
    calendar.add("x-wr-calname", str(_("Pikassos events")))
    # How often subscribed calendars should fetch the feed again (RFC 7986 and Outlook).
    calendar.add("refresh-interval", CALENDAR_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event in events:
        entry = icalendar.Event()
        entry.add("uid", f"{event.uuid}@pikassos-portal")
        entry.add("dtstamp", now)
        entry.add("created", event.created_at)
        entry.add("last-modified", event.updated_at)
        entry.add("dtstart", event.starts_at)
        entry.add("dtend", event.ends_at)
        entry.add("summary", event.title)
        entry.add("url", request.build_absolute_uri(event.get_absolute_url()))
        location = event.place or event.remote_url
        if location:
            entry.add("location", location)
        description = [markdown_to_text(event.description, keep_links=True)]
        if event.organiser:
            description.append(f"{_('Organiser')}: {event.organiser.name}")
            if event.organiser.email:
                entry.add("organizer", f"mailto:{event.organiser.email}")
                entry["organizer"].params["cn"] = event.organiser.name
        if event.remote_url:
            description.append(f"{_('Remote link')}: {event.remote_url}")
        if event.registration_url:
            description.append(f"{_('Registration')}: {event.registration_url}")
        entry.add("description", "\n\n".join(part for part in description if part))
        entry.add("categories", [str(event.get_kind_display())])
        calendar.add_component(entry)
    return calendar.to_ical()


def public_calendar(request):
    """The public events' calendar feed, built once per generation of the events,
    language and host in the shared cache: building 200 events' entries took some 100 ms
    a fetch (issue 18), and every subscribed calendar fetches it."""
    return generations.kept(
        CALENDAR,
        [request.get_host()],
        lambda: build_calendar(request, Event.objects.public()),
        CALENDAR_CACHE_SECONDS,
    )


def calendar_changed(**kwargs):
    """post_save and post_delete of an event: the feed is built anew."""
    generations.bump(CALENDAR)
