"""Known XSS payloads in every Markdown field and in names never reach a page or an email as live markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.minutes.rendering import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "[x](JaVaScRiPt:alert(1))",
    "<svg onload=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[x](java\tscript:alert(1))",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>body{display:none}</style>",
    '<a href="#" onclick="alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "<details open ontoggle=alert(1)>",
    '"><script>alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
]
DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "iframe",
    "details",
    "object",
    "embed",
    "math",
    "form",
    "base",
    "meta",
    "link",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class _LiveMarkup(HTMLParser):
    """Collects what a browser would act on: dangerous tags, on* attributes, dangerous URLs, payload CSS."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS and not (
            tag in ("meta", "link", "form") and not any(n.startswith("on") for n, _ in attrs)
        ):
            self.found.append(f"<{tag}>")
        self._in_style = tag == "style"
        for name, value in attrs:
            cleaned = re.sub(r"[\x00-\x20]", "", value or "").lower()  # browsers ignore whitespace/control characters
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and cleaned.startswith(DANGEROUS_SCHEMES):
                self.found.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style and "body{display:none}" in data.replace(" ", ""):
            self.found.append("<style> from a payload")


def live_markup(html: str) -> list[str]:
    """What in ``html`` would run or load (a parsed view, so escaped text does not count)."""
    parser = _LiveMarkup()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendering_neutralises_each_payload(payload):
    html = str(render_markdown(payload))

    assert not live_markup(html), html


def test_links_get_safe_rel_and_only_safe_schemes_survive():
    html = str(render_markdown("[ok](https://example.org) [mail](mailto:a@example.org) [bad](ftp://x)"))

    assert 'href="https://example.org"' in html and 'href="mailto:a@example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "ftp://" not in re.findall(r'href="([^"]*)"', html)


def test_payloads_in_every_field_and_name_are_inert_in_pages_and_emails(client, taskforce, bearer, login):
    payload = "\n\n".join(PAYLOADS)
    evil_name = '<img src=x onerror=alert(1)>Eve"><script>alert(2)</script>'
    headers = bearer(taskforce.secretary)
    event_id = taskforce.meeting3.id
    agenda = {"items": [{"starts_at": "2022-11-15T14:00:00", "ends_at": "2022-11-15T14:30:00", "title": evil_name,
                         "description": payload, "owner": evil_name, "kind": "welcome"}], "published": True}  # fmt: skip
    assert client.put(f"/api/v1/events/{event_id}/agenda", json=agenda, headers=headers).status_code == 200
    attendee = {"email": "eve@example.org", "name": evil_name, "organisation": "<svg onload=alert(3)>"}
    minutes = {
        "body": payload,
        "attendees": [attendee, taskforce.member.email],
        "round_table": [{"person": attendee, "text": payload}],
        "decisions": PAYLOADS,
        "action_items": [{"what": evil_name, "owner": evil_name, "due": "2022-12-01"}],
        "deadlines": [{"title": evil_name, "date": "2022-12-07", "link": None}],
        "materials": [{"title": evil_name, "description": payload, "link": "https://example.org/x"}],
        "next_meeting": evil_name,
    }
    assert client.put(f"/api/v1/events/{event_id}/minutes", json=minutes, headers=headers).status_code == 200
    assert client.post(f"/api/v1/events/{event_id}/minutes/publish", json={}, headers=headers).status_code == 201
    login(taskforce.secretary)

    pages = {
        path: client.get(path).get_data(as_text=True)
        for path in (
            "/series/buy-social-taskforce-danmark/minutes/3",
            "/series/buy-social-taskforce-danmark/minutes/3/print",
            "/series/buy-social-taskforce-danmark/minutes",
            f"/events/{event_id}/minutes/edit",
            f"/events/{event_id}",
            f"/events/{event_id}/attendance",
        )
    }
    emails = db.session.scalars(
        sa.select(OutboxMessage.body_html).where(OutboxMessage.kind == "minutes_published")
    ).all()

    assert emails
    for where, html in [*pages.items(), *(("email", body) for body in emails)]:
        assert not live_markup(html), (where, live_markup(html))
    assert "&lt;img src=x onerror=alert(1)&gt;Eve" in pages["/series/buy-social-taskforce-danmark/minutes/3"]
