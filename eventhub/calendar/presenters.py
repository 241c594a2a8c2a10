"""Calendar fragments of other pages: the subscribe links of event and series pages, and the feed section of the
account page. Views of any area call these; no view imports another area's views."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from eventhub.calendar import services
from eventhub.events.models import Event, Person, Series, Visibility
from eventhub.urls import absolute_url
from eventhub.web import ConfirmForm


def account_feed_context(person: Person) -> dict[str, object]:
    """For the account page's feed section: whether a link exists (never the link: it is not stored)."""
    return {"feed_token": services.feed_token_of(person), "feed_form": ConfirmForm()}


def feed_links_for(event: Event | None = None, series: Series | None = None) -> dict[str, str] | None:
    """Subscribe links for an event or series page. Only public feeds can be subscribed to (a calendar program
    has no login); for members-only things the page offers the download alone, which works in the browser."""
    if event is not None:
        url = absolute_url("calendar.event_feed", event_id=event.id)
        links = subscribe_links(url, event.title)
        return links if is_public(event) else {"download": links["download"]}
    if series is not None and series.visibility == Visibility.PUBLIC:
        return subscribe_links(absolute_url("calendar.series_feed", slug=series.slug), series.title)
    return None


def subscribe_links(url: str, name: str) -> dict[str, str]:
    """webcal://, Google Calendar's and Outlook's "add by URL", and the plain download, for feed ``url``."""
    webcal = "webcal://" + url.split("://", 1)[1]
    return {
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}, quote_via=quote),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": url, "name": name}, quote_via=quote),
        "download": url,
    }


def is_public(event: Event) -> bool:
    """Whether anyone (so a calendar program without a login) may read the event's feed."""
    series_public = event.series is None or event.series.visibility == Visibility.PUBLIC
    return event.visibility == Visibility.PUBLIC and series_public
