"""Feed routes (GET only, no login: calendar programs poll them) and the form that issues a personal feed link.

A members-only thing is a 404 for whoever may not see it, as on the HTML pages. A poll is answered from the
feed's stored row (``feed_state``): a 304 when the validators match, else the stored bytes; only a feed changed
since it was stored is rebuilt first.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user, login_required
from werkzeug.http import is_resource_modified

from eventhub import clock
from eventhub.accounts.permissions import can_view_event
from eventhub.calendar import feed_state, services
from eventhub.calendar.presenters import is_public, subscribe_links
from eventhub.compression import encoded_etag
from eventhub.extensions import db
from eventhub.ical import Organizer
from eventhub.urls import absolute_url
from eventhub.web import ConfirmForm

bp = Blueprint("calendar", __name__)

MAX_AGE = 300
CALENDAR_MIMETYPE = "text/calendar"


@bp.get("/events/<int:event_id>.ics")
def event_feed(event_id: int):
    """One event as iCalendar; members-only events only for those who may see them."""
    now = clock.now()
    found = feed_state.event_feed_state(event_id)
    if found is None or not can_view_event(current_user, found[0]):
        abort(404)
    event, state = found
    return _feed_response(state, lambda: services.build_event_feed(event, now, _links()), public=is_public(event))


@bp.get("/series/<slug>.ics")
def series_feed(slug: str):
    """Every public event of a public series; a members-only series has no feed (members use their own)."""
    now = clock.now()
    found = feed_state.series_feed_state(slug)
    if found is None:
        abort(404)
    series, state = found
    return _feed_response(state, lambda: services.build_series_feed(series, now, _links()), public=True)


@bp.get("/feeds/<token>.ics")
def personal_feed(token: str):
    """A person's own calendar, behind the secret link from their account page."""
    now = clock.now()
    found = feed_state.personal_feed_state(token)
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
    person = current_user._get_current_object().person
    token = services.issue_feed_token(person, clock.now())
    db.session.commit()
    url = absolute_url("calendar.personal_feed", token=token)
    page = render_template("calendar/feed_link.html", links=subscribe_links(url, person.name))
    return page, 200, {"Cache-Control": "no-store"}


@bp.after_request
def no_index(response: Response) -> Response:
    """Feeds (and their 404s) stay out of search engines: a personal feed URL is a secret."""
    if request.endpoint in ("calendar.event_feed", "calendar.series_feed", "calendar.personal_feed"):
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def _feed_response(state: feed_state.FeedState, build: Callable[[], services.BuiltFeed], public: bool) -> Response:
    """304 from the stored validators when they match; else the stored body (gzip if the client takes it),
    built from stored components first when the feed changed since it was last stored."""
    now = clock.now()
    gzipped = request.accept_encodings["gzip"] > 0
    current = state.is_current(now)
    if current and not _is_modified(state):
        return _validated(state, gzipped, public, status=304)
    body = feed_state.stored_body(state, gzipped) if current else None
    if body is None:  # changed since it was stored (or another poller has just stored a newer body)
        built = build()
        state, squeezed = feed_state.store_feed(state, built.body, built.expires_at, now)
        db.session.commit()  # the only write a feed request makes: the new body and its validators
        body = squeezed if gzipped else built.body
        if not _is_modified(state):
            return _validated(state, gzipped, public, status=304)
    response = _validated(state, gzipped, public, status=200)
    response.set_data(body)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response


def _validated(state: feed_state.FeedState, gzipped: bool, public: bool, status: int) -> Response:
    """The feed's headers. A 304 names the bare ETag (``compression`` echoes the encoded one the client sent)."""
    response = Response(mimetype=CALENDAR_MIMETYPE, status=status)
    response.set_etag(_etag(state, gzipped and status == 200))
    response.last_modified = state.last_modified
    response.headers["Cache-Control"] = f"{'public' if public else 'private'}, max-age={MAX_AGE}"
    response.vary.add("Accept-Encoding")
    return response


def _is_modified(state: feed_state.FeedState) -> bool:
    """Compared with the bare ETag: ``compression`` has taken the encoding's suffix off If-None-Match."""
    return is_resource_modified(request.environ, etag=state.etag, last_modified=state.last_modified)


def _etag(state: feed_state.FeedState, gzipped: bool) -> str:
    """A strong ETag names bytes: the gzip body is another representation, so it has its own (RFC 9110 8.8.3),
    written as every encoded answer's is (``compression.encoded_etag``)."""
    return encoded_etag(state.etag, "gzip") if gzipped else str(state.etag)


def _links() -> services.Links:
    config = current_app.config
    return services.Links(base_url=config["BASE_URL"], sender=Organizer.from_address(config["MAIL_DEFAULT_SENDER"]))
