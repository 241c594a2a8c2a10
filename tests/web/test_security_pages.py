"""Pages work under the Content-Security-Policy (no inline script or style anywhere) and private pages are never
stored by the browser or a cache (``Cache-Control: no-store``)."""

import re
from pathlib import Path

import pytest

from eventhub.extensions import db
from tests.web.conftest import text_of

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Emails carry their styles inline (mail programs ignore stylesheets); they are never served as pages.
PAGE_TEMPLATES = sorted(path for path in TEMPLATES.rglob("*.html") if path.relative_to(TEMPLATES).parts[0] != "mail")
INLINE = {
    # A script from static/ (script-src 'self') is allowed; one written in the page is not.
    "script element": re.compile(r"<script(?![^>]*\ssrc=)", re.I),
    "style element": re.compile(r"<style", re.I),
    "style attribute": re.compile(r"""(?:\s|\(|,)style\s*=""", re.I),
    "event handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def test_the_scan_sees_the_templates():
    assert len(PAGE_TEMPLATES) > 30 and TEMPLATES / "base.html" in PAGE_TEMPLATES


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_no_template_holds_inline_script_or_style(template):
    source = template.read_text()
    found = [name for name, pattern in INLINE.items() if pattern.search(source)]
    assert not found, f"{template.relative_to(TEMPLATES)}: {found} (the CSP refuses them; use static/style.css)"


def test_the_scan_tells_an_inline_script_from_a_static_one():
    assert INLINE["script element"].search("<script>alert(1)</script>")
    assert not INLINE["script element"].search('<script src="/static/agenda-editor.js" defer></script>')


def test_the_scan_would_notice_a_style_attribute():
    """The patterns' positive control, in the two ways templates write attributes."""
    assert INLINE["style attribute"].search('<p style="color:red">')
    assert INLINE["style attribute"].search('form.x.label(style="display:inline")')
    assert not INLINE["style attribute"].search('<link rel="stylesheet">')


@pytest.fixture
def pages(make_event, make_organiser, login, commit):
    """An event, and its organiser logged in."""
    event = make_event(capacity=10)
    organiser = make_organiser(event)
    commit()
    login(organiser)
    return {"event": event.id}


def test_rendered_pages_hold_no_inline_script_or_style(client, pages):
    paths = ["/", f"/events/{pages['event']}", f"/events/{pages['event']}/manage/invitations", "/account", "/nowhere"]
    for path in paths:
        html = text_of(client.get(path))
        for name, pattern in INLINE.items():
            assert not pattern.search(html), (path, name)
    # The manage pages' styles, once inline, now apply through the page's class.
    assert '<body class="registration-page">' in text_of(client.get(paths[2]))


def test_private_pages_are_never_stored(client, pages):
    for path in ("/account", f"/events/{pages['event']}/manage/invitations", "/", f"/events/{pages['event']}"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path  # a logged-in visitor's pages


def test_the_login_page_is_never_stored(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_the_admin_pages_are_never_stored(client, make_user, login, commit):
    admin = make_user("admin")
    commit()
    login(admin)
    assert client.get("/admin/outbox/").headers["Cache-Control"] == "no-store"


def test_api_answers_to_a_token_are_never_stored(client, admin):
    assert client.get("/api/v1/events", headers=admin).headers["Cache-Control"] == "no-store"


def test_public_pages_and_files_keep_their_caching(client, make_event, commit):
    event = make_event()
    commit()
    assert "Cache-Control" not in client.get("/").headers
    assert "Cache-Control" not in client.get(f"/events/{event.id}").headers
    assert client.get("/static/style.css").headers["Cache-Control"] == "no-cache"
    assert client.get(f"/events/{event.id}.ics").headers["Cache-Control"].startswith("public")
    db.session.rollback()
