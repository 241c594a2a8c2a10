"""Feed routes (GET only, no login: calendar programs poll them) and the form that issues a personal feed link.

A members-only thing is a 404 for whoever may not see it, as on the HTML pages. A conditional request whose
validators match is answered 304 from one aggregate query, before any calendar is built.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from werkzeug.http import is_resource_modified

from eventhub.accounts.forms import ConfirmForm
from eventhub.accounts.permissions import can_view_event
from eventhub.calendar import feed_state, services
from eventhub.calendar.ical import Organizer
from eventhub.db import utcnow
from eventhub.events.models import Event, Person, Series, Visibility
from eventhub.extensions import db
from eventhub.urls import absolute_url

bp = Blueprint("calendar", __name__)

MAX_AGE = 300
CALENDAR_MIMETYPE = "text/calendar"


@bp.get("/events/<int:event_id>.ics")
def event_feed(event_id: int):
    """One event as iCalendar; members-only events only for those who may see them."""
    now = utcnow()
    found = feed_state.event_feed_state(event_id, now)
    if found is None or not can_view_event(current_user, found[0]):
        abort(404)
    event, state = found
    return _feed_response(state, lambda: services.build_event_feed(event, now, _links()), public=_is_public(event))


@bp.get("/series/<slug>.ics")
def series_feed(slug: str):
    """Every public event of a public series; a members-only series has no feed (members use their own)."""
    now = utcnow()
    found = feed_state.series_feed_state(slug, now)
    if found is None:
        abort(404)
    series, state = found
    return _feed_response(state, lambda: services.build_series_feed(series, now, _links()), public=True)


@bp.get("/feeds/<token>.ics")
def personal_feed(token: str):
    """A person's own calendar, behind the secret link from their account page."""
    now = utcnow()
    found = feed_state.personal_feed_state(token, now)
    if found is None:
        abort(404)
    feed_token, state = found
    return _feed_response(state, lambda: services.build_personal_feed(feed_token.person, now, _links()), public=False)


@bp.post("/account/feed/rotate")
@login_required
def rotate_feed_token():
    """Issue a new personal feed link (the old one stops working) and show it this once.

    Rendered in answer to the POST, not redirected: the link must not be kept anywhere to survive a redirect.
    """
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = services.issue_feed_token(current_user.person, utcnow())
    db.session.commit()
    url = absolute_url("calendar.personal_feed", token=token)
    page = render_template("calendar/feed_link.html", links=subscribe_links(url, current_user.person.name))
    return page, 200, {"Cache-Control": "no-store"}


@bp.after_request
def no_index(response: Response) -> Response:
    """Feeds (and their 404s) stay out of search engines: a personal feed URL is a secret."""
    if request.endpoint in ("calendar.event_feed", "calendar.series_feed", "calendar.personal_feed"):
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def account_feed_context(person: Person) -> dict[str, object]:
    """For the account page's feed section: whether a link exists (never the link: it is not stored)."""
    return {"feed_token": services.feed_token_of(person), "feed_form": ConfirmForm()}


def feed_links_for(event: Event | None = None, series: Series | None = None) -> dict[str, str] | None:
    """Subscribe links for an event or series page. Only public feeds can be subscribed to (a calendar program
    has no login); for members-only things the page offers the download alone, which works in the browser."""
    if event is not None:
        url = absolute_url("calendar.event_feed", event_id=event.id)
        links = subscribe_links(url, event.title)
        return links if _is_public(event) else {"download": links["download"]}
    if series is not None and series.visibility == Visibility.PUBLIC:
        return subscribe_links(absolute_url("calendar.series_feed", slug=series.slug), series.title)
    return None


def subscribe_links(url: str, name: str) -> dict[str, str]:
    """webcal://, Google Calendar's and Outlook's "add by URL", and the plain download, for feed ``url``."""
    webcal = "webcal://" + url.split("://", 1)[1]
    return {
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}, quote_via=quote),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": url, "name": name}, quote_via=quote),
        "download": url,
    }


def _feed_response(state: feed_state.FeedState, build: Callable[[], bytes], public: bool) -> Response:
    """304 from the validators alone when they match; else the built calendar."""
    response = Response(mimetype=CALENDAR_MIMETYPE)
    response.set_etag(state.etag)
    response.last_modified = state.last_modified
    response.headers["Cache-Control"] = f"{'public' if public else 'private'}, max-age={MAX_AGE}"
    if is_resource_modified(request.environ, etag=state.etag, last_modified=state.last_modified):
        response.set_data(build())  # before the commit below, which would expire the loaded rows
    else:
        response.status_code = 304
    if state.is_new_version:
        db.session.commit()  # the only write a feed request makes: the feed's new version and its date
    return response


def _is_public(event: Event) -> bool:
    """Whether anyone (so a calendar program without a login) may read the event's feed."""
    return event.visibility == Visibility.PUBLIC and (event.series is None or event.series.visibility == Visibility.PUBLIC)


def _links() -> services.Links:
    config = current_app.config
    return services.Links(base_url=config["BASE_URL"], sender=Organizer.from_address(config["MAIL_DEFAULT_SENDER"]))
