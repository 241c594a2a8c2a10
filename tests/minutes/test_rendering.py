"""Minutes text is Markdown: bare addresses become links on every install, and those links get the same safe rel."""

from __future__ import annotations

from eventhub.minutes.rendering import render_markdown


def test_a_bare_url_in_minutes_becomes_a_safe_link():
    html = str(render_markdown("Slides: https://example.org/slides?id=3 and www.example.org"))

    assert '<a href="https://example.org/slides?id=3" rel="noopener noreferrer nofollow">' in html
    assert '<a href="http://www.example.org" rel="noopener noreferrer nofollow">www.example.org</a>' in html


def test_a_bare_script_url_stays_text():
    html = str(render_markdown("javascript:alert(1)"))

    assert "<a" not in html and "javascript:alert(1)" in html
