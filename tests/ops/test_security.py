"""Hardening every response and the configuration get."""

import os
import threading

import pytest

from eventhub import _instance_secret_key
from tests.conftest import make_app

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/healthz", "/no-such-page", "/api/v1/openapi.json", "/static/style.css"):
        headers = client.get(path).headers
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Content-Security-Policy"] == CSP
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # BASE_URL is http here


def test_hsts_when_the_site_is_served_over_https(database_urls, tmp_path):
    app = make_app(database_urls["sqlite"], tmp_path, BASE_URL="https://events.example.org")
    with app.app_context():
        assert app.test_client().get("/healthz").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_cookies_are_secure_when_served_over_https(database_urls, tmp_path):
    assert make_app(database_urls["sqlite"], tmp_path, BASE_URL="https://events.example.org").config[
        "SESSION_COOKIE_SECURE"
    ]
    assert not make_app(database_urls["sqlite"], tmp_path, BASE_URL="http://127.0.0.1:5000").config[
        "SESSION_COOKIE_SECURE"
    ]


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.1"), (1, "203.0.113.7")])
def test_client_address_comes_from_trusted_proxies_only(database_urls, tmp_path, proxies, expected):
    """Behind one proxy the client is the last X-Forwarded-For hop; with none configured the header is ignored,
    so nobody chooses their own address to escape a rate limit."""
    from flask import request

    app = make_app(database_urls["sqlite"], tmp_path, TRUSTED_PROXIES=proxies)
    app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr or "")
    response = app.test_client().get(
        "/whoami", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert response.get_data(as_text=True) == expected


def test_the_generated_secret_key_is_the_same_for_processes_starting_together(tmp_path):
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(_instance_secret_key(tmp_path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert oct(os.stat(tmp_path / "secret_key").st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_an_unusable_secret_key_file_stops_the_start(tmp_path):
    (tmp_path / "secret_key").write_text("")
    with pytest.raises(RuntimeError):
        _instance_secret_key(tmp_path)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(database_urls, tmp_path):
    """Readers are not blocked by the worker's writes, and foreign keys are enforced."""
    from eventhub.extensions import db

    app = make_app(database_urls["sqlite"], tmp_path)
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_dev_server_sends_no_server_banner(database_urls, tmp_path):
    """``flask serve`` runs Werkzeug with QuietRequestHandler: no ``Server: Werkzeug/<version> Python/<version>``."""
    import urllib.request

    from werkzeug.serving import make_server

    from eventhub.security import QuietRequestHandler

    app = make_app(database_urls["sqlite"], tmp_path)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz", timeout=10) as response:
            assert response.headers["Server"] is None
            assert response.headers["Date"]
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "America/Argentina/Buenos_Aires", "UTC", "Etc/UTC"])
def test_time_zones_of_places_and_utc_are_accepted(zone):
    from eventhub.validation import validate_timezone

    assert validate_timezone(zone) == zone


@pytest.mark.parametrize(
    "zone",
    ["localtime", "Factory", "EST5EDT", "CST6CDT", "EST", "GMT", "Etc/GMT+5", "US/Eastern", "Mars/Olympus", "Europe/"],
)
def test_time_zones_that_are_no_place_are_refused(zone):
    from eventhub.errors import ValidationFailed
    from eventhub.validation import validate_timezone

    with pytest.raises(ValidationFailed):
        validate_timezone(zone)


@pytest.mark.parametrize(("zone", "status"), [("localtime", 422), ("EST5EDT", 422), ("Europe/Copenhagen", 201)])
def test_the_api_refuses_them_too(client, admin, zone, status):
    body = {"title": "Webinar", "starts_at": "2027-02-01T10:00:00", "ends_at": "2027-02-01T11:00:00", "timezone": zone}
    response = client.post("/api/v1/events", json=body, headers=admin)
    assert response.status_code == status, response.get_json()
    if status == 422:
        assert "timezone" in response.get_json()["error"]["fields"]
