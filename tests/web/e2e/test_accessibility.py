"""axe-core (Deque's accessibility engine, from the npm registry) on the public pages and issue 11's management
area, each seen by the role that uses it: the quality bar is 0 violations of the WCAG 2.1 A/AA and best-practice
rules. axe is installed once into tests/web/e2e/axe/node_modules (gitignored); without node and npm the test is
skipped, saying why. It reuses the journeys' live site (tests/web/e2e/journey_support.py) and adds to it only
what the pages need to show something: Olga as organiser of the taskforce and an upcoming invitation-only meeting.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import NOW
from tests.web.e2e.conftest import ARTIFACTS, DESKTOP
from tests.web.e2e.journey_support import ADMIN, ORGANISER, PASSWORD, SECRETARY, TASKFORCE, live

pytestmark = pytest.mark.browser
__all__ = ["live"]  # the module-scoped live site fixture, used by name

AXE = Path(__file__).resolve().parent / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="module")
def axe_script() -> Path:
    """axe.min.js, installed from npm on first use."""
    script = AXE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        if not shutil.which("node") or not shutil.which("npm"):
            pytest.skip("node and npm are needed to install axe-core for the accessibility check")
        result = subprocess.run(
            ["npm", "install", "--prefix", str(AXE), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not script.exists():
            pytest.skip(f"npm install of axe-core failed (offline?): {result.stderr[-500:]}")
    return script


@pytest.fixture(scope="module")
def ids(live) -> dict[str, int]:
    """Olga organises the taskforce; it gets an upcoming invitation-only meeting with one invitation."""
    from eventhub.events import services
    from eventhub.events.series_services import get_series
    from eventhub.extensions import db
    from eventhub.registration.invitations import invite_people
    from eventhub.registration.invitee_lists import InviteeRow
    from eventhub.registration.question_translations import set_translation
    from eventhub.registration.questions import add_question

    app = live.app
    with app.app_context():
        series = get_series(TASKFORCE)
        services.add_series_member(series, ORGANISER, "Olga Organiser", None, "organiser")
        day = (NOW + timedelta(days=30)).strftime("%Y-%m-%d")
        event = services.create_event(
            services.EventInput(
                title="Nordic Buyers Taskforce – 8th meeting", series=TASKFORCE, number=8, timezone="Europe/Oslo",
                starts_at=f"{day}T10:00:00", ends_at=f"{day}T11:30:00", online_url="https://meet.example.org/nbt",
                invitation_only=True,
            ),
            now=NOW,
        )  # fmt: skip
        invite_people(event, [InviteeRow(1, "erik@stockholm.se", "Erik Ek")], None, NOW)
        question = add_question(event, "single_choice", "You take part as", True, ["Public buyer", "Other"])
        set_translation(question, "da", "Du deltager som", options=["Offentlig indkøber", "Andet"])
        db.session.commit()
        found = {"event": event.id, "question": question.id}
        db.session.remove()
    return found


def _signed_in(browser, live, address: str | None):
    # bypass_csp: the site's Content-Security-Policy (script-src 'self') would refuse the injected axe script
    context = browser.new_context(viewport=DESKTOP, base_url=live.base_url, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(5000)
    page = context.new_page()
    if address:
        page.goto("/login")
        page.get_by_label("Email").fill(address)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("status").filter(has_text="You are logged in.")).to_be_visible()
    return page


def _run_axe(page, script: Path) -> dict:
    """axe.run on the current document: how many rules passed and each violation (id, impact, help, targets)."""
    page.add_script_tag(path=str(script))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, targets: v.nodes.map(n => n.target.join(' '))}))}))",
        TAGS,
    )


def _violations(page, script: Path, path: str, role: str) -> list[str]:
    response = page.goto(path)
    if response is None or not response.ok:
        return [f"{path}: HTTP {response and response.status}, not checked"]
    if not page.url.endswith(path):
        return [f"{path}: redirected to {page.url}, not checked"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    page.screenshot(path=str(ARTIFACTS / f"axe-{role}-{name}.png"), full_page=True)
    result = _run_axe(page, script)
    assert result["passes"] > 10, f"{path}: axe checked almost nothing ({result['passes']} rules passed)"
    return [_line(path, v) for v in result["violations"]]


def _line(where: str, v: dict) -> str:
    """One violation as the failure lists it: rule id, impact, what to do, and the first few elements."""
    return f"{where}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['targets'][:5])}"


def test_pages_have_no_axe_violations(browser, live, ids, axe_script):
    event = ids["event"]
    series = f"/series/{TASKFORCE}"
    by_role = {
        None: ["/", "/login", "/login/link", "/privacy"],
        SECRETARY: ["/manage"],
        ORGANISER: [
            f"/events/{event}",
            series,  # members only: its organiser sees it
            "/manage",
            "/manage/series/new",
            f"{series}/manage",
            f"{series}/manage/members",
            f"{series}/manage/questions",
            "/manage/events/new",
            f"/events/{event}/manage/edit",
            f"/events/{event}/manage/cancel",
            f"/events/{event}/manage/invitations",
            f"/events/{event}/manage/registrations",
            f"/events/{event}/manage/requests",
            f"/events/{event}/manage/questions",  # with a translation and the form to add one
            f"/events/{event}/manage/questions/{ids['question']}/translations/da",
            f"/events/{event}/manage/questions/{ids['question']}/translations/da/remove",
            f"/events/{event}/manage/audit",
            f"{series}/manage/audit",
            f"/events/{event}/agenda/edit",
        ],
        ADMIN: ["/manage", "/admin/users", "/admin/users/new", "/admin/outbox", "/admin/privacy"],
    }
    found: list[str] = []
    checked = 0
    for address, paths in by_role.items():
        page = _signed_in(browser, live, address)
        try:
            if address == ORGANISER:
                page.goto(f"/events/{event}")
                expect(page.get_by_role("navigation", name="Manage this event")).to_be_visible()
            role = address.split("@")[0].split(".")[-1] if address else "anonymous"
            for path in paths:
                found += [f"[{role}] {line}" for line in _violations(page, axe_script, path, role)]
                checked += 1
            if address == ORGANISER:  # a form sent back with its errors next to the fields
                page.goto("/manage/events/new")
                page.get_by_role("button", name="Save event").click()
                expect(page.get_by_text("required").first).to_be_visible()
                violations = _run_axe(page, axe_script)["violations"]
                found += [f"[{role}] {_line('/manage/events/new with errors', v)}" for v in violations]
                checked += 1
                # a translation refused: the questions page's add form, opened, sent back on a page of its own
                page.goto(f"/events/{event}/manage/questions")
                page.locator("summary", has_text="Add a translation").click()
                page.get_by_role("button", name="Add translation").click()
                expect(page.get_by_text("required").first).to_be_visible()
                violations = _run_axe(page, axe_script)["violations"]
                found += [f"[{role}] {_line('a translation with errors', v)}" for v in violations]
                checked += 1
        finally:
            page.context.close()
    assert checked == 31
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)


def test_the_check_catches_a_violation(browser, live, axe_script):
    """The harness itself: an unlabelled field and an image without alt text are reported."""
    page = _signed_in(browser, live, None)
    try:
        page.goto("/login")
        page.evaluate(
            "document.querySelector('main').insertAdjacentHTML('beforeend',"
            " '<input type=text id=probe><img src=/static/none.png>')"
        )
        ids = {v["id"] for v in _run_axe(page, axe_script)["violations"]}
    finally:
        page.context.close()
    assert {"label", "image-alt"} <= ids


def test_the_language_switcher_works_by_keyboard_and_adds_no_violation(browser, live, axe_script):
    """The header's switcher: reached and used with the keyboard alone (arrow keys to pick, Tab to the button, Enter),
    the page comes back in the chosen language, and axe finds nothing in either language. Screenshots: the header
    with the list open to the keyboard, and the page after switching."""
    page = _signed_in(browser, live, None)
    try:
        page.goto("/?page=1")
        switcher = page.get_by_label("Language")
        expect(switcher).to_have_value("en")
        assert _run_axe(page, axe_script)["violations"] == []
        switcher.focus()
        for _ in range(5):  # English → Български → Čeština → Dansk → Deutsch → Ελληνικά
            page.keyboard.press("ArrowDown")
        expect(switcher).to_have_value("el")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(ARTIFACTS / "language-switcher-chosen.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 120}
        )
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Change language")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("lang", "el")
        assert page.url.endswith("/?page=1")
        expect(page.locator("#language-switcher")).to_have_value("el")
        page.screenshot(path=str(ARTIFACTS / "language-switcher-greek.png"))
        page.set_viewport_size({"width": 360, "height": 640})  # a phone: the header wraps, nothing is cut off
        page.screenshot(
            path=str(ARTIFACTS / "language-switcher-phone.png"), clip={"x": 0, "y": 0, "width": 360, "height": 200}
        )
        found = [_line("/ in Greek", v) for v in _run_axe(page, axe_script)["violations"]]
    finally:
        page.context.close()
    assert not found, "\n".join(found)
