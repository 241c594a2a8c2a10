"""Markdown → safe HTML for minutes, used by pages and emails alike.

Two layers, because either alone has been bypassed somewhere: markdown-it renders CommonMark with raw HTML off
(so ``<script>`` is text), and nh3 (ammonia) then keeps only an allow-list of tags, attributes and URL schemes.
Whatever a secretary or an attendee types, no script, event handler, style or ``javascript:``/``data:`` link
reaches a page or an email.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with tables, and bare URLs turned into links (linkify-it-py comes with ``markdown-it-py[linkify]``)."""
    return MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["table", "linkify"])


def render_markdown(text: str | None) -> Markup:
    """``text`` as sanitised HTML, safe to put into a page or an email unescaped."""
    html = _parser().render(text or "")
    return Markup(sanitize_html(html))


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; links get ``rel="noopener noreferrer nofollow"``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def safe_link(url: str | None) -> str | None:
    """``url`` if it is an http(s) or mailto link, else None: structured links (materials, deadlines) are
    written into ``href`` by templates, so they pass the same scheme rule as Markdown links."""
    if not url:
        return None
    candidate = url.strip()
    scheme, sep, _ = candidate.partition(":")
    if not sep or scheme.lower() not in URL_SCHEMES or any(ord(c) < 33 for c in candidate):
        return None
    return candidate
