"""``make run`` with ``PORT=`` (``flask serve --port``): links in emails and feeds point at the port served, unless
``EVENTHUB_BASE_URL`` chose the public address (issue 11)."""

from __future__ import annotations

import pytest

from eventhub.scheduler.cli import server_base_url
from eventhub.urls import absolute_url
from tests.support import make_app


def _serve(app, monkeypatch, *args: str) -> dict[str, str]:
    """Run ``flask serve`` without starting a server: what links it would give is read where it would serve."""
    seen: dict[str, str] = {}

    def fake_run_simple(host, port, application, **kwargs):
        with application.app_context():
            seen["link"] = absolute_url("calendar.series_feed", slug="bsi")
        seen["openapi"] = application.test_client().get("/api/v1/openapi.json").get_json()["servers"][0]["url"]

    monkeypatch.setattr("eventhub.scheduler.cli.run_simple", fake_run_simple)
    monkeypatch.setattr("eventhub.scheduler.cli.signal.signal", lambda *a: None)
    result = app.test_cli_runner().invoke(args=["serve", "--no-scheduler", *args])
    assert result.exit_code == 0, result.output
    return seen


def test_serve_on_another_port_puts_that_port_in_every_link(database_urls, tmp_path, monkeypatch):
    app = make_app(database_urls["sqlite"], tmp_path, BASE_URL=None)
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"  # the default before anything serves
    seen = _serve(app, monkeypatch, "--port", "5055")
    assert seen["link"] == "http://127.0.0.1:5055/series/bsi.ics"
    assert seen["openapi"].startswith("http://127.0.0.1:5055")


def test_a_chosen_base_url_is_kept_whatever_the_port(database_urls, tmp_path, monkeypatch):
    app = make_app(database_urls["sqlite"], tmp_path, BASE_URL="https://events.example.org/")
    seen = _serve(app, monkeypatch, "--port", "5055")
    assert seen["link"] == "https://events.example.org/series/bsi.ics"


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", "http://127.0.0.1:8000"), ("0.0.0.0", "http://127.0.0.1:8000"), ("::1", "http://[::1]:8000"),
     ("localhost", "http://localhost:8000")],
)  # fmt: skip
def test_the_served_address_as_a_browser_reaches_it(host, expected):
    assert server_base_url(host, 8000) == expected
