"""Fixtures for the HTML pages: compiled Danish messages, a frozen clock for the views, and small page helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "eventhub" / "translations"


def compile_translations() -> None:
    """Compile each .po file whose .mo is missing or older (.mo files are build output, not in git)."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    compile_translations()


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
