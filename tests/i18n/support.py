"""Finding English that a reader of another language sees: ``english_leaks(text, language)``.

A page, email or feed written for a Danish reader must not show any English sentence that the catalogue has in
Danish. This reads the English catalogue (``messages.pot``, plus any msgid only the language's own .po has yet)
and the language's .po: every message the language translates differently, or not at all (an untranslated or
fuzzy message is shown in English), is cut at its placeholders (``%(name)s``, ``{name}``) and HTML tags into
fragments, and each fragment of at least two words and ten characters that the reader's text contains is a leak.
Shorter fragments ("Yes", "Log in") are left out: they are words a page may hold for other reasons (a name, a
title typed in English). What counts as the reader's text is ``visible_text`` for pages and ``email_text`` for
emails (subject, both bodies and the calendar part).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tests.support import TRANSLATIONS

POT = TRANSLATIONS / "messages.pot"
PLACEHOLDER_OR_TAG = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdirf]|%[sdirf]|%%|\{[^{}]*\}|<[^<>]*>")
MIN_WORDS, MIN_CHARACTERS = 2, 10
# Fragments that are the same in every language: names of things, not English ("Google Calendar:").
PROPER_NOUNS = frozenset({"Google Calendar"})
# Attributes a reader sees or hears (a button's value, a tooltip, a screen reader's label).
VISIBLE_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})
BUTTON_TYPES = frozenset({"submit", "button", "reset"})


@dataclass(frozen=True)
class Leak:
    """An English ``fragment`` of ``msgid`` found in a text meant for a reader of another language."""

    fragment: str
    msgid: str

    def __str__(self) -> str:
        return f"{self.fragment!r}  (msgid {self.msgid!r})"


def english_leaks(text: str, language: str) -> list[Leak]:
    """The fragments of English messages that ``text`` (already plain: see ``visible_text``) shows although
    ``language``'s catalogue translates them, or ought to. English itself never leaks."""
    normalised = " ".join(text.split())
    return [
        Leak(fragment, msgid)
        for fragment, msgid in english_fragments(language).items()
        if _contains(normalised, fragment)
    ]


def describe_leaks(leaks: list[Leak], language: str, where: str) -> str:
    """A failure message translators can act on: every English fragment found, with the msgid to translate."""
    lines = "\n".join(f"  - {leak}" for leak in leaks)
    return (
        f"{where} in {language!r} shows {len(leaks)} English text(s): translate these msgids in "
        f"eventhub/translations/{language}/LC_MESSAGES/messages.po\n{lines}"
    )


@cache
def english_fragments(language: str) -> dict[str, str]:
    """Each significant English fragment (fragment → its msgid) that must not appear in ``language``'s texts."""
    if language == "en":
        return {}
    template, translated = _read(POT), _read(_po_path(language))
    fragments: dict[str, str] = {}
    for message in [*template, *(m for m in translated if m.id and template.get(m.id, m.context) is None)]:
        if not message.id:
            continue
        english = _strings(message.id)
        ours = translated.get(message.id, message.context)
        translations = _strings(ours.string) if ours is not None and not ours.fuzzy else ()
        if translations and set(translations) <= set(english):
            continue  # the language writes it exactly as English does ("Administrator", "OK")
        for text in english:
            for fragment in significant_fragments(text):
                if not any(fragment in t for t in translations):
                    fragments.setdefault(fragment, _first(message.id))
    return fragments


def significant_fragments(msgid: str) -> list[str]:
    """``msgid`` cut at placeholders and tags, trimmed; only pieces of two words and ten characters or more."""
    pieces = (" ".join(piece.split()).strip(" .,:;!?()–—-\"'") for piece in PLACEHOLDER_OR_TAG.split(msgid))
    return [
        piece
        for piece in pieces
        if len(piece) >= MIN_CHARACTERS and len(piece.split()) >= MIN_WORDS and piece not in PROPER_NOUNS
    ]


def _contains(text: str, fragment: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


def _strings(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    strings = (value,) if isinstance(value, str) else tuple(value)
    return strings if any(strings) else ()


def _first(msgid: str | tuple[str, ...]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


@cache
def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


# ---------------------------------------------------------------------------------------------------------
# What a reader sees of a page or an email
# ---------------------------------------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """Text nodes (entities decoded) outside script and style, and the attributes a reader sees or hears."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        values = dict(attrs)
        self.parts.extend(value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)
        if tag in ("input", "button") and values.get("type") in BUTTON_TYPES and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of an HTML document as a reader sees (and a screen reader reads) it, on one line."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def html_language(html: str) -> str | None:
    """The ``lang`` of the ``<html>`` element."""
    match = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", html)
    return match.group(1) if match else None


def parse_email(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def email_text(message: EmailMessage) -> str:
    """What the reader of ``message`` sees: its subject, its plain-text and HTML bodies (as text), and the
    summary, description, place and categories of a calendar part."""
    parts = [str(message["Subject"] or "")]
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            parts.append(part.get_content())
        elif kind == "text/html":
            parts.append(visible_text(part.get_content()))
        elif kind == "text/calendar":
            parts.append(calendar_text(part.get_content()))
    return " ".join(" ".join(parts).split())


def calendar_text(ical: str | bytes) -> str:
    """The texts a calendar program shows of an iCalendar document: names, summaries, descriptions, places,
    categories and alarm descriptions (unfolded and unescaped)."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(ical)
    shown = ("X-WR-CALNAME", "SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES")
    texts = []
    for component in calendar.walk():
        for name in shown:
            value = component.get(name)
            if value is None:
                continue
            if hasattr(value, "cats"):
                texts.extend(str(category) for category in value.cats)
            else:
                texts.append(str(value))
    return " ".join(texts)
