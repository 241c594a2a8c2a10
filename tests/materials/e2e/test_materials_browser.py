"""In a real browser: a secretary uploads a PDF on the materials page (which axe finds no fault with), publishes
the minutes, and opens the PDF from the published minutes page, where it is served inline as a PDF.

Served by Werkzeug from a thread on its own migrated SQLite file, with the folder storage in the instance folder.
Screenshots go to test-artifacts/materials/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.support import browser_app, served
from tests.web.e2e.test_accessibility import _run_axe, axe_script

pytestmark = pytest.mark.browser
__all__ = ["axe_script"]  # the module-scoped axe fixture, used by name

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "materials"
PASSWORD = "correct horse battery"
SLUG = "buy-social-taskforce-danmark"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(app) -> SimpleNamespace:
    """A members-only Taskforce with a secretary (no other rights) and meeting 3, committed for real."""
    from eventhub.accounts.models import Role
    from eventhub.accounts.services import create_user
    from eventhub.events import services
    from eventhub.extensions import db

    with app.app_context():
        series = services.create_series(SLUG, "Buy Social Taskforce Danmark", "", "members")
        event = services.create_event(
            services.EventInput(
                title="Buy Social Taskforce Danmark – 3. møde", series=SLUG, number=3, timezone="Europe/Copenhagen",
                starts_at="2022-11-15T14:00:00", ends_at="2022-11-15T15:30:00",
            ),
            now=datetime.now(UTC),
        )  # fmt: skip
        services.add_series_member(series, "sofie@example.org", "Sofie Lindholm", "Rummelig Genstart", "secretary")
        create_user("sofie@example.org", Role.SECRETARY, password=PASSWORD)
        db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return SimpleNamespace(event_id=event_id)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    instance = tmp_path_factory.mktemp("materials-e2e")
    app = browser_app(instance, MATERIALS_FOLDER=str(instance / "files"))
    with served(app) as base_url:
        site = seed(app)
        site.base_url, site.folder = base_url, instance / "files"
        yield site


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_secretary_uploads_a_pdf_publishes_and_opens_it_from_the_minutes(browser, live, axe_script, tmp_path):
    # bypass_csp: the site's Content-Security-Policy (script-src 'self') would refuse the injected axe script
    context = browser.new_context(base_url=live.base_url, viewport={"width": 1200, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill("sofie@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(f"/events/{live.event_id}")
    page.get_by_role("navigation", name="Manage this event").get_by_role("link", name="Materials").click()
    page.wait_for_url(f"**/events/{live.event_id}/manage/materials")
    assert _run_axe(page, axe_script)["violations"] == []  # the empty page with its form
    slides = tmp_path / "Criteria for cleaning services.pdf"
    slides.write_bytes(PDF)
    page.get_by_label("Title").fill("Draft criteria: cleaning services")
    page.get_by_label("File", exact=True).set_input_files(str(slides))
    page.get_by_label("Date (optional)").fill("2022-11-15")
    page.get_by_role("button", name="Add material").click()
    expect(page.get_by_text("The material is added.")).to_be_visible()
    expect(page.get_by_role("link", name="Draft criteria: cleaning services", exact=True)).to_be_visible()
    result = _run_axe(page, axe_script)
    assert result["passes"] > 10 and result["violations"] == [], result["violations"]
    shot(page, "1-materials-page")
    assert sum(1 for path in live.folder.rglob("*") if path.is_file()) == 1

    page.goto(f"/events/{live.event_id}/minutes/edit")
    page.fill("textarea[name=body]", "## Udbud af rengøring\n\nUdkastet til kriterier blev drøftet.\n")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("The draft is saved.")).to_be_visible()
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/series/{SLUG}/minutes/3")
    link = page.locator("#event-materials").get_by_role("link", name="Draft criteria: cleaning services")
    expect(link).to_be_visible()
    shot(page, "2-published-minutes")

    with page.expect_response(lambda response: "/materials/" in response.url) as answer:
        link.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["x-content-type-options"] == "nosniff"
    page.wait_for_url("**/materials/**")  # the browser shows the PDF itself (its viewer, not a download)
    assert page.request.get(response.url).body() == PDF  # the same address, with the secretary's session
    context.close()
