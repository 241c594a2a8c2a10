"""Small helpers for the HTML page tests (the frozen clock and ``commit`` are in tests/conftest.py)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any


def text_of(response: Any) -> str:
    return response.get_data(as_text=True)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", "", html.split("<body", 1)[-1])
    return re.sub(r"\s+", " ", unescape(text)).strip()
