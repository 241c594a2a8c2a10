"""Series, members and events as the JSON the API returns (documented in ``eventhub.api.openapi``).

Instants are ISO 8601 in UTC with their offset; an event's ``local_*`` times are the same instants on the
wall clock of the event's time zone, so a Copenhagen meeting at 14:00 reads 14:00+01:00 whoever asks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventhub.events.models import Event, Series, SeriesMembership


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def series_json(series: Series, base_url: str) -> dict[str, Any]:
    return {
        "id": series.id,
        "slug": series.slug,
        "title": series.title,
        "description": series.description,
        "visibility": series.visibility.value,
        "organiser_name": series.organiser_name,
        "url": f"{base_url}/series/{series.slug}",
        "created_at": _instant(series.created_at),
        "updated_at": _instant(series.updated_at),
    }


def member_json(membership: SeriesMembership) -> dict[str, Any]:
    person = membership.person
    return {
        "email": person.email,
        "name": person.name,
        "organisation": person.organisation.name if person.organisation else None,
        "role": membership.role.value,
        "series": membership.series.slug,
        "created_at": _instant(membership.created_at),
    }


def event_json(event: Event, base_url: str) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "description": event.description,
        "kind": event.kind.value,
        "series": event.series.slug if event.series else None,
        "number": event.number,
        "starts_at": _instant(event.starts_at),
        "ends_at": _instant(event.ends_at),
        "local_starts_at": event.local_start.isoformat(),
        "local_ends_at": event.local_end.isoformat(),
        "timezone": event.timezone,
        "location": event.location,
        "online_url": event.online_url,
        "country": event.country,
        "capacity": event.capacity,
        "registration_closes_at": _instant(event.registration_closes_at),
        "visibility": event.visibility.value,
        "invitation_only": event.invitation_only,
        "status": event.status.value,
        "cancelled_at": _instant(event.cancelled_at),
        "sequence": event.sequence,
        "url": f"{base_url}/events/{event.id}",
        "created_at": _instant(event.created_at),
        "updated_at": _instant(event.updated_at),
    }
