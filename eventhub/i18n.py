"""Which language a reader gets, and the one set of filters through which every date and time is shown.

Times are shown in the *event's* time zone (a Copenhagen meeting at 14:00 reads 14:00 everywhere), in the
viewer's locale. Pages pick the language from the request (``select_locale``); emails, which have no request,
from the reader (``reader_language``). This is a core module: it imports no area, so it reads people, events
and series through the attributes it needs.

How dates and times read (issue 11), whatever the page, email or export:

- English is written the British way (CLDR ``en_GB``): a 24-hour clock and the day before the month, "Tuesday
  19 January 2027, 14:00". Plain ``en`` is American ("2:00 PM", "1/19/27"); eventhub's readers are European
  public buyers, and ``en_GB`` is the English they write. Danish (``da``) already uses 24 hours ("14.00").
- No date is ever all numbers ("12/1/26" is 12 January or 1 December depending on the reader): the "short"
  width of a date is shown as "medium" ("12 Jan 2026", "12. jan. 2026").
- Times are hours and minutes (no seconds); a zone is named by its city in the reader's language
  ("Copenhagen", "København"), not by its IANA name or an abbreviation ("Europe/Copenhagen", "CET").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventhub.ical import CalendarWords
from eventhub.page_locale import install_template_gettext, page_language, page_translations
from eventhub.validation import supported_languages

# Each language by its own name ("Polski", "Ελληνικά", "Čeština"), as a reader looks for it in a switcher.
LANGUAGE_NAMES = {
    "en": "English",
    "bg": "Български",
    "cs": "Čeština",
    "da": "Dansk",
    "de": "Deutsch",
    "el": "Ελληνικά",
    "fr": "Français",
    "hr": "Hrvatski",
    "hu": "Magyar",
    "it": "Italiano",
    "lv": "Latviešu",
    "nb": "Norsk bokmål",
    "nl": "Nederlands",
    "pl": "Polski",
    "ro": "Română",
    "sk": "Slovenčina",
    "sv": "Svenska",
}
# The CLDR locale a language's dates and times are formatted in, where it is not the language itself.
FORMAT_LOCALES = {"en": "en_GB"}
# Each kind of event by its name, keyed by the stored value: pages (``labels.EVENT_KIND``) and calendar entries
# (``calendar_words``, for feeds and invitation emails, which are no web modules) say it the same way.
EVENT_KIND_NAMES = {
    "conference": _l("Conference"),
    "meeting": _l("Meeting"),
    "webinar": _l("Webinar"),
    "mission": _l("Mission (study visit)"),
    "working_group_meeting": _l("Working group meeting"),
}


def select_locale() -> str:
    """The page's language. An explicit choice (``?lang=`` or the switcher, kept in the session) wins; then, on a
    page opened from a personal link, the language its reader's emails are in (``read_as``); then the account's
    language, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # workers and the CLI pick the language explicitly (force_locale)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    if g.get("link_reader_language") in languages:
        return g.link_reader_language
    if current_user and current_user.is_authenticated and current_user.person.language in languages:
        return current_user.person.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def page_without_lang(path: str | None) -> str | None:
    """``path`` (a local path with its query) without ``lang=``: the switcher goes back to the page, where a
    ``?lang=`` left in the address would overrule the language just chosen."""
    if path is None:
        return None
    parts = urlsplit(path)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "lang"]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def switcher_context() -> dict[str, Any]:
    """What base.html's language switcher needs: the page's language and the page to come back to (none for
    emails rendered by the worker, which has no request)."""
    if not has_request_context():
        return {"current_language": str(get_locale() or "en"), "language_next": None}
    here = request.path + ("?" + request.query_string.decode("latin-1") if request.query_string else "")
    return {"current_language": str(get_locale() or "en"), "language_next": page_without_lang(here)}


def read_as(person: Any, event_or_series: Any = None) -> str:
    """Show this request's page in the language ``person`` reads (``reader_language``): for the pages opened from
    a personal link (invitation, registration, waiting list, unsubscribe), which must speak the language of the
    email the link came in, whatever the browser says. An explicit choice still wins (``select_locale``).
    Returns the page's language."""
    g.link_reader_language = reader_language(person, event_or_series)
    refresh()  # something (a before_request hook, a form's lazy label) may have asked for the locale already
    return str(get_locale())


def formatting_locale(language: str | None = None) -> str:
    """The locale dates and times are written in for ``language`` (default: the page's): see the module's
    docstring for why English is ``en_GB``."""
    language = language or page_language()
    return FORMAT_LOCALES.get(language, language)


# The formatted texts are pure functions of their arguments, and a page shows the same few dozen times on every
# view (an agenda's items): Babel takes 5-10 µs for each, a cached text well under one.
@functools.lru_cache(maxsize=4096)
def _time_text(value: datetime, zone: str, pattern: str, locale: str) -> str:
    return babel_dates.format_time(value, pattern, tzinfo=ZoneInfo(zone), locale=locale)


@functools.lru_cache(maxsize=4096)
def _day_text(value: date, width: str, locale: str) -> str:
    return babel_dates.format_date(value, width, locale=locale)


@functools.lru_cache(maxsize=256)  # pure, and read for every date a page shows
def _date_width(fmt: str, locale: str) -> str:
    """A named date width that writes the month as a word: "short" is shown as "medium", and a locale whose
    medium date is numbers too (German "12.01.2026", Czech "12. 1. 2026", Bulgarian "12.01.2026 г.") as "long"
    ("12. Januar 2026", "12. ledna 2026", "12 януари 2026 г.")."""
    width = "medium" if fmt == "short" else fmt
    if width == "medium" and "MMM" not in babel_dates.get_date_format(width, locale=locale).pattern:
        return "long"
    return width


@functools.lru_cache(maxsize=256)  # pure, and read for every time a page shows (an agenda has dozens)
def _time_format(fmt: str, locale: str) -> str:
    """``fmt`` (a width or a pattern such as "HH:mm") as a time pattern in ``locale`` on a 24-hour clock: CLDR
    writes Greek times as "2:00 μ.μ.", Greek readers of an EU programme (and everyone else eventhub writes to)
    read "14:00"."""
    widths = ("short", "medium", "long", "full")
    pattern = babel_dates.get_time_format(fmt, locale=locale).pattern if fmt in widths else str(fmt)
    if not re.search(r"[hK]", pattern):
        return fmt
    return re.sub(r"\s*a\s*", "", re.sub(r"[hK]+", "H", pattern)).strip()


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium", locale: str | None = None) -> str:
    """An aware instant as date and wall-clock time in ``zone``, e.g. "12 Jan 2026, 14:00" / "12. jan. 2026
    14.00"; ``fmt`` is the date's width (see ``_date_width``), the time is always hours and minutes on a
    24-hour clock."""
    if value is None:
        return ""
    locale = formatting_locale(locale)
    width = _date_width(fmt, locale)
    pattern = babel_dates.get_datetime_format(width, locale=locale)
    day = _day_text(value.astimezone(ZoneInfo(zone)).date(), width, locale)
    time = _time_text(value, zone, _time_format("short", locale), locale)
    return pattern.replace("'", "").replace("{1}", day).replace("{0}", time)


def format_time_in_zone(value: datetime | None, zone: str, fmt: str = "short", locale: str | None = None) -> str:
    """The wall-clock time in ``zone`` on a 24-hour clock ("14:00", "14.00")."""
    if value is None:
        return ""
    locale = formatting_locale(locale)
    return _time_text(value, zone, _time_format(fmt, locale), locale)


def format_clock(value: datetime | None, zone: str) -> str:
    """The ``clock`` filter: a time of day in ``zone`` as the reader's language writes it ("14:00", "14.00")."""
    # Translators: a time-of-day pattern (CLDR); Danish writes 14.00, so translate as HH.mm
    return format_time_in_zone(value, zone, page_translations().ugettext("HH:mm"))  # ugettext: extracted


def format_day(
    value: date | datetime | None, zone: str | None = None, fmt: str = "full", locale: str | None = None
) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (value.astimezone(ZoneInfo(zone)) if zone else value).date()
    locale = formatting_locale(locale)
    return _day_text(value, _date_width(fmt, locale), locale)


def format_number(value: int | float | None, locale: str | None = None) -> str:
    """A number as the reader writes it: "5,000" in English, "5.000" in Danish and German, "5 000" in Polish."""
    if value is None:
        return ""
    return babel_numbers.format_decimal(value, locale=formatting_locale(locale))


def format_names(items: Iterable[str], locale: str | None = None) -> str:
    """A list of names or choices as a sentence in the reader's language: "A, B and C", "A, B og C",
    "A, B i C"; hand-joined ", " reads wrong in every language but one."""
    items = [str(item) for item in items]
    return babel_lists.format_list(items, locale=formatting_locale(locale)) if items else ""


def zone_city(zone: str, locale: str | None = None) -> str:
    """A time zone by its city in the reader's language: "Europe/Copenhagen" reads "Copenhagen" in English,
    "København" in Danish; UTC stays "UTC"."""
    return _city(zone, formatting_locale(locale))


@functools.lru_cache(maxsize=1024)
def _city(zone: str, locale: str) -> str:
    return babel_dates.get_timezone_location(zone, locale=locale, return_city=True)


class Scheduled(Protocol):
    """What ``event_when`` reads of an event."""

    starts_at: datetime
    ends_at: datetime
    timezone: str


class LanguageSource(StrEnum):
    """Where the language a reader gets comes from (``choose_reader_language``)."""

    OWN = "own"  # the reader's own language
    EVENT = "event"  # the event's, for a reader whose own language eventhub does not speak
    SERIES = "series"  # the series', where the event (or the series itself) has none
    DEFAULT = "default"  # the site's default, where nothing else is known


@dataclass(frozen=True)
class ReaderLanguage:
    language: str  # always one eventhub speaks
    source: LanguageSource


def choose_reader_language(person: Any, event_or_series: Any = None) -> ReaderLanguage:
    """The one rule of which language a reader gets, and why: their own if eventhub speaks it, else the
    event's (or, failing that, its series'), else the site's default ("en").

    ``person`` is anything with a ``language`` (a Person, a row read for a batch, an Addressee); events and
    series are asked for a ``language`` only if they have one. ``event_or_series`` is an event when it has a
    ``series`` attribute, else a series. Stored languages are normalised when they come in
    (``validation.normalize_language``: lower case, variants of a language eventhub speaks mapped to it).
    """
    languages = supported_languages()
    is_event = hasattr(event_or_series, "series")
    candidates = [
        (getattr(person, "language", None), LanguageSource.OWN),
        (getattr(event_or_series, "language", None), LanguageSource.EVENT if is_event else LanguageSource.SERIES),
        (getattr(getattr(event_or_series, "series", None), "language", None), LanguageSource.SERIES),
    ]
    for language, source in candidates:
        spoken = _spoken(language, languages)
        if spoken:
            return ReaderLanguage(spoken, source)
    return ReaderLanguage(current_app.config["BABEL_DEFAULT_LOCALE"], LanguageSource.DEFAULT)


def _spoken(language: str | None, languages: tuple[str, ...]) -> str | None:
    """``language`` if eventhub speaks it, or the language of a regional tag stored before eventhub spoke it
    ("pt-br" once eventhub speaks "pt"); None otherwise."""
    if not isinstance(language, str):
        return None
    if language in languages:
        return language
    primary = language.split("-", 1)[0]
    return primary if primary != language and primary in languages else None


def reader_language(person: Any, event_or_series: Any = None) -> str:
    """The language an email, calendar text or personal-link page for ``person`` is written in
    (``choose_reader_language``'s rule)."""
    return choose_reader_language(person, event_or_series).language


def language_display_name(code: str, in_language: str | None = None) -> str:
    """``code``'s name in ``in_language`` (default: the page's), e.g. "Polish", "polsk"; the code itself for
    one Babel does not know."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(in_language or str(get_locale() or "en")) or code
    except (ValueError, TypeError):
        return code


def language_fallback_text(language: str, email: str, reads: str, source: LanguageSource | str) -> str:
    """The warning an organiser reads (in the page's language) for someone added whose language eventhub does
    not speak: what they will read instead, and why."""
    values = {"language": language, "email": email, "reads": language_display_name(reads)}
    source = LanguageSource(source)
    if source == LanguageSource.EVENT:
        return _(
            "Language '%(language)s' is not one eventhub speaks; %(email)s will read %(reads)s (the event's language).",  # noqa: E501
            **values,
        )
    if source == LanguageSource.SERIES:
        return _(
            "Language '%(language)s' is not one eventhub speaks; %(email)s will read %(reads)s (the series' language).",  # noqa: E501
            **values,
        )
    return _(
        "Language '%(language)s' is not one eventhub speaks; %(email)s will read %(reads)s (eventhub's default language).",  # noqa: E501
        **values,
    )


def calendar_words() -> CalendarWords:
    """The words calendar entries show besides the events' own texts (the category of an event, of an action
    item, of a deadline) in the current language: call it inside the reader's ``force_locale``."""
    return CalendarWords(
        kinds={kind: str(name) for kind, name in EVENT_KIND_NAMES.items()},
        action_item=_("Action item"),
        deadline=_("Deadline"),
    )


def event_when(event: Scheduled, language: str) -> str:
    """Date and time in the event's zone and the reader's language, e.g.
    "tirsdag den 15. november 2022 14.00–15.30 (København)"; an event over several days names both days.
    """
    zone = event.timezone
    start_day, end_day = (
        format_day(event.starts_at, zone, locale=language),
        format_day(event.ends_at, zone, locale=language),
    )
    start, end = (
        format_time_in_zone(event.starts_at, zone, locale=language),
        format_time_in_zone(event.ends_at, zone, locale=language),
    )
    city = zone_city(zone, language)
    if start_day == end_day:
        return f"{start_day} {start}–{end} ({city})"
    return f"{start_day} {start} – {end_day} {end} ({city})"


def init_i18n(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    install_template_gettext(app.jinja_env)
    app.jinja_env.filters["in_zone"] = format_in_zone
    app.jinja_env.filters["time_in_zone"] = format_time_in_zone
    app.jinja_env.filters["clock"] = format_clock
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["zone_city"] = zone_city
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["names"] = format_names
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["language_fallback_text"] = language_fallback_text
