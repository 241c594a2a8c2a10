"""A published version as templates want it: datetimes and dates parsed back, every Markdown field rendered
and sanitised, links checked. Pages, the print view and emails all use this, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from eventhub.minutes.rendering import render_markdown, safe_link


@dataclass
class VersionView:
    title: str
    number: int | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str | None
    online: bool
    body_html: Markup
    attendees: list[str]
    agenda: list[dict[str, Any]]
    round_table: list[dict[str, Any]]
    decisions: list[Markup]
    action_items: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    materials: list[dict[str, Any]]
    next_meeting: dict[str, Any] = field(default_factory=dict)


def person_label(person: dict[str, Any]) -> str:
    """``name, organisation``, as the minutes list people; "(name erased)" where a person's data was erased or
    anonymised since (``eventhub.privacy``: an empty name, in the published parts as on a stand-in)."""
    name = person.get("name") or _("(name erased)")
    return f"{name}, {person['organisation']}" if person.get("organisation") else name


def version_view(body: str, parts: dict[str, Any]) -> VersionView:
    """Everything a published version shows, ready to render."""
    next_meeting = dict(parts.get("next_meeting") or {})
    next_meeting["starts_at"] = _instant(next_meeting.get("starts_at"))
    return VersionView(
        title=parts["title"],
        number=parts.get("number"),
        starts_at=_instant(parts["starts_at"]),
        ends_at=_instant(parts["ends_at"]),
        timezone=parts["timezone"],
        location=parts.get("location"),
        online=bool(parts.get("online")),
        body_html=render_markdown(body),
        attendees=[person_label(p) for p in parts.get("attendees", [])],
        agenda=[
            {**item, "starts_at": _instant(item["starts_at"]), "ends_at": _instant(item["ends_at"])}
            for item in parts.get("agenda", [])
        ],
        round_table=[
            {"label": person_label(e), "text_html": render_markdown(e.get("text"))}
            for e in parts.get("round_table", [])
        ],
        decisions=[render_markdown(text) for text in parts.get("decisions", [])],
        action_items=[{**item, "due": _day(item.get("due"))} for item in parts.get("action_items", [])],
        deadlines=[
            {**d, "date": _day(d["date"]), "link": safe_link(d.get("link"))} for d in parts.get("deadlines", [])
        ],
        materials=[
            {
                "title": m["title"],
                "description_html": render_markdown(m.get("description")),
                "link": safe_link(m.get("link")),
            }
            for m in parts.get("materials", [])
        ],
        next_meeting=next_meeting,
    )


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def version_as_markdown(body: str, parts: dict[str, Any]) -> str:
    """The whole published version as one Markdown document, in the page's order and the current language."""
    from eventhub.i18n import format_day, format_time_in_zone

    view = version_view(body, parts)
    zone = view.timezone
    lines = [f"# {view.title}", "", format_day(view.starts_at, zone, fmt="long"), ""]
    if view.online:
        lines += [_("The meeting was held online."), ""]
    if view.attendees:
        lines += [f"## {_('Attendees')}", "", *[f"- {name}" for name in view.attendees], ""]
    if view.agenda:
        lines += [f"## {_('Agenda')}", ""]
        for item in view.agenda:
            owner = f" — {item['owner']}" if item.get("owner") else ""
            lines.append(
                f"- {format_time_in_zone(item['starts_at'], zone)}–{format_time_in_zone(item['ends_at'], zone)} {item['title']}{owner}"
            )
        lines.append("")
    if parts.get("round_table"):
        lines += [f"## {_('Round table')}", ""]
        for entry in parts["round_table"]:
            lines += [f"### {person_label(entry)}", "", entry.get("text") or "", ""]
    lines += [body.strip(), ""]
    lines += _list_section(_("Decisions and priorities"), [f"- {text}" for text in parts.get("decisions", [])])
    lines += _list_section(_("Action items"), [
        f"- {item['what']}" + (f" ({item['owner']})" if item.get("owner") else "") + (f", {format_day(item['due'], fmt='long')}" if item.get("due") else "")
        for item in view.action_items
    ])  # fmt: skip
    lines += _list_section(_("Deadlines"), [
        f"- {format_day(d['date'], fmt='long')}: {d['title']}" + (f" <{d['link']}>" if d.get("link") else "") for d in view.deadlines
    ])  # fmt: skip
    lines += _list_section(_("Relevant news and materials"), [
        f"- **{m['title']}**" + (f" <{m['link']}>" if m.get("link") else "") + (f"\n\n  {m['description']}" if m.get("description") else "")
        for m in parts.get("materials", [])
    ])  # fmt: skip
    next_text = _next_meeting_text(view.next_meeting, zone)
    if next_text:
        lines += [f"## {_('Next meeting')}", "", next_text, ""]
    return "\n".join(lines).rstrip() + "\n"


def _list_section(title: str, entries: list[str]) -> list[str]:
    return [f"## {title}", "", *entries, ""] if entries else []


def _next_meeting_text(next_meeting: dict[str, Any], zone: str) -> str:
    from eventhub.i18n import format_day

    if next_meeting.get("text"):
        return next_meeting["text"]
    if next_meeting.get("starts_at"):
        return format_day(next_meeting["starts_at"], zone, fmt="long")
    return ""
