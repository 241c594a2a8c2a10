"""Every page a role may use is reachable from ``/`` by links (issue 11: nobody types a URL).

For each role the test logs in as the demo account (``flask demo``'s data, dated from the frozen clock), then
walks breadth-first over the same-origin GET links of every HTML page it reaches. It fails on any link that
answers 4xx or 5xx, and on any page of that role's list below that no link leads to. To stay fast it follows at
most ``PER_ENDPOINT`` URLs per Flask endpoint (two events, two invitation lists ...): the pages of one endpoint
share a template, so a third one finds no new kind of link.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from eventhub.demo.data import ACCOUNTS
from eventhub.demo.loader import load_demo
from eventhub.extensions import db
from tests.conftest import csrf_token_from

PER_ENDPOINT = 2
# More events, series and archives than other pages: they differ in what they link (a past meeting of a series
# with published minutes links them, a members-only series has no feed); the demo has a handful of series.
PER_ENDPOINT_OVERRIDES = {"events.event": 6, "events.series": 10, "minutes.archive": 10}
MAX_PAGES = 400

PUBLIC = {
    "events.home",
    "events.event",
    "events.series",
    "calendar.event_feed",
    "calendar.series_feed",
    "minutes.archive",
    "minutes.published",
    "minutes.print_view",
    "minutes.markdown",
    "accounts.login",
    "sign_in.request_link",
    "registration.request_invitation",
}
# The demo publishes minutes in the members-only taskforce only: anonymous visitors reach its archive, not them.
PUBLISHED_MINUTES = {"minutes.published", "minutes.print_view", "minutes.markdown"}
SIGNED_IN = (PUBLIC - {"accounts.login", "sign_in.request_link"}) | {"accounts.account"}
SECRETARY = SIGNED_IN | {
    "manage.dashboard",
    "agenda.edit",
    "materials.manage",
    "minutes.attendance",
    "minutes.edit",
    "minutes.publish",
}
ORGANISER = SIGNED_IN | {
    "manage.dashboard",
    "manage.new_series",
    "manage.edit_series",
    "events_manage.new_event",
    "events_manage.edit_event",
    "events_manage.cancel_event",
    "registration_manage.invitations",
    "registration_manage.registrations",
    "registration_manage.export_csv",
    "registration_manage.questions",
    "registration_manage.requests",
    "registration_manage.registration_action",
    "members.members",
    "members.export",
    "members.remove",
    "series_questions.series_questions_page",
    "agenda.edit",
    "materials.manage",
    "audit.event_log",
    "audit.event_log_csv",
    "audit.series_log",
    "audit.series_log_csv",
}
ADMIN = (
    ORGANISER
    | SECRETARY
    | {
        "admin_users.users",
        "admin_users.create",
        "admin_users.deactivate",
        "mail_admin.outbox",
        "dev_mail.index",
        "series_organisers.remove",
    }
)
# What each role must be able to reach: the management endpoints of issue 11 and the public pages.
REQUIRED = {
    "anonymous": PUBLIC - PUBLISHED_MINUTES,
    "member": SIGNED_IN,
    "secretary": SECRETARY,
    "organiser": ORGANISER,
    "admin": ADMIN,
}
# The demo account of each role is the first one with it: organiser@example.org (the BSI consortium's organiser);
# the other networks' organisers come after it (a dict built from all of them would keep the last one).
DEMO_LOGINS = {role: next(a for a in ACCOUNTS if a.role.value == role) for role in {a.role.value for a in ACCOUNTS}}


# Dates and times are unambiguous and on the 24-hour clock in English too (eventhub.i18n's docstring says why).
TWELVE_HOUR = re.compile(r"\b\d{1,2}[:.]\d{2}\s?[AP]M\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@dataclass
class Walk:
    visited: dict[str, str] = field(default_factory=dict)  # path -> endpoint
    broken: list[str] = field(default_factory=list)
    ambiguous_times: list[str] = field(default_factory=list)

    @property
    def endpoints(self) -> set[str]:
        return set(self.visited.values())


def _local_path(href: str, page: str, base_url: str) -> str | None:
    """The same-origin path (with query) ``href`` points at, or None for other sites, other schemes and
    links that only switch the language (they change the session, not the page)."""
    absolute = urljoin("http://localhost" + page, href)
    if absolute.startswith(base_url + "/"):
        absolute = "http://localhost" + absolute[len(base_url) :]
    parts = urlsplit(absolute)
    if parts.scheme != "http" or parts.netloc != "localhost" or "lang=" in parts.query:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(app, client) -> Walk:
    adapter = app.url_map.bind("localhost")
    base_url = app.config["BASE_URL"]
    result, per_endpoint, queue = Walk(), {}, deque(["/"])
    seen = {"/"}
    while queue and len(result.visited) < MAX_PAGES:
        path = queue.popleft()
        try:
            endpoint, _ = adapter.match(urlsplit(path).path, method="GET")
        except RequestRedirect:
            endpoint = "redirect"
        except HTTPException as exc:
            result.broken.append(f"{path}: no GET route ({exc.code})")
            continue
        limit = PER_ENDPOINT_OVERRIDES.get(endpoint, PER_ENDPOINT)
        if per_endpoint.get(endpoint, 0) >= limit:
            continue
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        response = client.get(path)
        result.visited[path] = endpoint
        if response.status_code >= 400:
            result.broken.append(f"{path} ({endpoint}): {response.status_code}")
            continue
        hrefs = [response.headers["Location"]] if response.status_code in (301, 302, 303, 307, 308) else []
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            parser = _Links()
            parser.feed(html)
            hrefs += parser.hrefs
            found = TWELVE_HOUR.findall(html) + NUMERIC_DATE.findall(html)
            if found:
                result.ambiguous_times.append(f"{path}: {found[:3]}")
        for href in hrefs:
            target = _local_path(href, path, base_url)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    return result


@pytest.fixture
def demo(app, now):
    load_demo(now)
    db.session.commit()


def _log_in(client, role: str) -> None:
    if role == "anonymous":
        return
    account = DEMO_LOGINS[role]
    page = client.get("/login").get_data(as_text=True)
    form = {"email": account.email, "password": account.password, "csrf_token": csrf_token_from(page)}
    assert client.post("/login", data=form).status_code == 302


@pytest.mark.parametrize("role", list(REQUIRED))
def test_every_page_of_a_role_is_reachable_from_home_and_no_link_is_broken(app, client, demo, role):
    _log_in(client, role)
    result = walk(app, client)
    assert not result.broken, f"{role}: broken links:\n" + "\n".join(result.broken)
    assert not result.ambiguous_times, f"{role}: 12-hour times or numeric dates:\n" + "\n".join(result.ambiguous_times)
    missing = REQUIRED[role] - result.endpoints
    assert not missing, f"{role} cannot reach by links: {sorted(missing)}"


def test_the_walker_reports_broken_links_and_stays_on_the_site():
    """The walker itself, on a three-page site: a 404 is reported; other sites and language links are not fetched."""
    from flask import Flask, abort

    site = Flask("walker")
    site.config["BASE_URL"] = "http://eventhub.test"
    pages = {
        "/": '<a href="/a">a</a> <a href="http://eventhub.test/b">b</a> <a href="https://example.org/">x</a>'
        '<a href="?lang=da">da</a> <a href="mailto:x@example.org">m</a>',
        "/a": '<a href="/">home</a>',
    }
    site.add_url_rule("/", "home", lambda: pages["/"])
    site.add_url_rule("/a", "a", lambda: pages["/a"])
    site.add_url_rule("/b", "b", lambda: abort(404))
    result = walk(site, site.test_client())
    assert result.visited == {"/": "home", "/a": "a", "/b": "b"}
    assert result.broken == ["/b (b): 404"]
