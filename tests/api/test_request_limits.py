"""Request bodies: a size limit answered with 413 in the site's error format, permission checked before a body
is read, and JSON nested deeper than Python's stack answered with 400 (issue 10, defects 5 and 6)."""

from __future__ import annotations

import json

import pytest
from flask import Request

import eventhub.api.parsing as parsing

FIFTEEN_MB = b'{"items": [], ' + b'"k0000000": 0, ' * 1_000_000 + b'"end": 0}'  # ~15 MB, a million unknown keys


def _agenda(taskforce) -> str:
    return f"/api/v1/events/{taskforce.meeting3.id}/agenda"


def _minutes(taskforce) -> str:
    return f"/api/v1/events/{taskforce.meeting3.id}/minutes"


def _refuse(*args, **kwargs):
    pytest.fail("the request body was parsed")


@pytest.fixture
def unparsed_json(monkeypatch):
    """Fails the test if any JSON body is parsed while the fixture is active."""
    monkeypatch.setattr(Request, "get_json", _refuse)
    monkeypatch.setattr(parsing, "json", type("NoJson", (), {"loads": staticmethod(_refuse)}))


@pytest.fixture
def unread_bodies(monkeypatch, unparsed_json):
    """Fails the test if any request body is even read (or parsed) while the fixture is active."""
    monkeypatch.setattr(Request, "get_data", _refuse)


def test_a_huge_body_from_a_member_is_refused_before_it_is_read(client, taskforce, bearer, unread_bodies):
    headers = {**bearer(taskforce.member), "Content-Type": "application/json"}
    response = client.put(_agenda(taskforce), data=FIFTEEN_MB, headers=headers)
    assert response.status_code == 403
    assert len(response.data) < 1000


def test_a_body_over_the_limit_is_413_in_the_api_format_without_being_parsed(client, taskforce, bearer, unparsed_json):
    headers = {**bearer(taskforce.organiser), "Content-Type": "application/json"}
    response = client.put(_agenda(taskforce), data=FIFTEEN_MB, headers=headers)
    assert response.status_code == 413
    assert response.mimetype == "application/json" and len(response.data) < 1000
    assert json.loads(response.data)["error"]["code"] == "request_entity_too_large"


def test_a_page_request_over_the_limit_is_413_as_the_html_error_page(client, app):
    password = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"email": "a@example.org", "password": password})
    assert response.status_code == 413
    assert response.mimetype == "text/html" and "<html" in response.get_data(as_text=True).lower()


def test_the_limit_is_a_setting_of_3_mb_by_default(monkeypatch, tmp_path):
    from eventhub import create_app

    url = f"sqlite:///{tmp_path / 'limit.sqlite'}"
    default = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    assert default.config["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    monkeypatch.setenv("EVENTHUB_MAX_CONTENT_LENGTH", "1000")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    assert app.config["MAX_CONTENT_LENGTH"] == 1000
    assert app.test_client().post("/login", data={"password": "x" * 2000}).status_code == 413


def test_the_longest_minutes_fit_even_with_every_character_escaped(client, app, taskforce, bearer):
    body = json.dumps({"body": "æøå" * 66_666 + "xx"})  # 200,000 characters, each written as \\u00e6 etc.
    assert len(body) > 1_000_000
    headers = {**bearer(taskforce.secretary), "Content-Type": "application/json"}
    response = client.put(_minutes(taskforce), data=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def _nested(depth: int) -> bytes:
    return b'{"items": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize("path", [_agenda, _minutes])
def test_deeply_nested_json_is_400_not_500(client, taskforce, bearer, path):
    headers = {**bearer(taskforce.admin), "Content-Type": "application/json"}
    for depth in (1_000, 100_000):
        response = client.put(path(taskforce), data=_nested(depth), headers=headers)
        assert response.status_code == 400, (depth, response.status_code)
        assert json.loads(response.data)["error"]["code"] == "bad_request"
