"""Absolute links for emails and feeds, built from ``EVENTHUB_BASE_URL`` (there is no request to copy a host from)."""

from typing import Any

from flask import current_app


def absolute_url(endpoint: str, **values: object) -> str:
    """``BASE_URL`` + the path of ``endpoint``; works inside and outside a request (workers, CLI)."""
    adapter = current_app.url_map.bind("eventhub.invalid", url_scheme="http")
    path = adapter.build(endpoint, {k: v for k, v in values.items() if v is not None})
    return current_app.config["BASE_URL"] + path


def event_url(event: Any) -> str:
    """The absolute link to an event's page (anything with an ``id``: this core module imports no area)."""
    return absolute_url("events.event", event_id=event.id)
