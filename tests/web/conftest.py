"""Fixtures for the HTML pages: a frozen clock for the views, and small page helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch, now: datetime) -> datetime:
    """The views read the clock through ``utcnow``; pin it to the suite's ``now`` so "upcoming" is stable."""
    monkeypatch.setattr("eventhub.events.views.utcnow", lambda: now)
    monkeypatch.setattr("eventhub.accounts.views.utcnow", lambda: now)
    return now


@pytest.fixture
def commit() -> Callable[[], None]:
    """Commit the factories' rows (into the test's SAVEPOINT) so requests see them."""
    from eventhub.extensions import db

    return db.session.commit


def text_of(response: Any) -> str:
    return response.get_data(as_text=True)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", "", html.split("<body", 1)[-1])
    return re.sub(r"\s+", " ", unescape(text)).strip()
