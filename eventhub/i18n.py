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

from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventhub.ical import CalendarWords
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
    """An explicit choice (``?lang=``, kept in the session) wins, then the account's language, then the browser."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # workers and the CLI pick the language explicitly (force_locale)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and current_user.is_authenticated and current_user.person.language in languages:
        return current_user.person.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def formatting_locale(language: str | None = None) -> str:
    """The locale dates and times are written in for ``language`` (default: the page's): see the module's
    docstring for why English is ``en_GB``."""
    language = language or str(get_locale() or "en")
    return FORMAT_LOCALES.get(language, language)


def _date_width(fmt: str) -> str:
    """A named date width, never the all-numbers "short" one."""
    return "medium" if fmt == "short" else fmt


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium", locale: str | None = None) -> str:
    """An aware instant as date and wall-clock time in ``zone``, e.g. "12 Jan 2026, 14:00" / "12. jan. 2026
    14.00"; ``fmt`` is the date's width (short is shown as medium), the time is always hours and minutes."""
    if value is None:
        return ""
    locale = formatting_locale(locale)
    width = _date_width(fmt)
    pattern = babel_dates.get_datetime_format(width, locale=locale)
    day = babel_dates.format_date(value.astimezone(ZoneInfo(zone)), width, locale=locale)
    time = babel_dates.format_time(value, "short", tzinfo=ZoneInfo(zone), locale=locale)
    return pattern.replace("'", "").replace("{1}", day).replace("{0}", time)


def format_time_in_zone(value: datetime | None, zone: str, fmt: str = "short", locale: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_time(value, fmt, tzinfo=ZoneInfo(zone), locale=formatting_locale(locale))


def format_day(
    value: date | datetime | None, zone: str | None = None, fmt: str = "full", locale: str | None = None
) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and zone:
        value = value.astimezone(ZoneInfo(zone))
    return babel_dates.format_date(value, _date_width(fmt), locale=formatting_locale(locale))


def zone_city(zone: str, locale: str | None = None) -> str:
    """A time zone by its city in the reader's language: "Europe/Copenhagen" reads "Copenhagen" in English,
    "København" in Danish; UTC stays "UTC"."""
    return babel_dates.get_timezone_location(zone, locale=formatting_locale(locale), return_city=True)


class Scheduled(Protocol):
    """What ``event_when`` reads of an event."""

    starts_at: datetime
    ends_at: datetime
    timezone: str


def reader_language(person: Any, event_or_series: Any = None) -> str:
    """The language an email to ``person`` is written in: theirs if eventhub speaks it, else the event's (or,
    failing that, its series'), else the default ("en").

    ``person`` is anything with a ``language`` (a Person, or a row read for a batch); events and series are
    asked for a ``language`` only if they have one, so the rule already holds where they get one.
    """
    languages = supported_languages()
    candidates = [getattr(person, "language", None), getattr(event_or_series, "language", None)]
    candidates.append(getattr(getattr(event_or_series, "series", None), "language", None))
    for language in candidates:
        if language in languages:
            return language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


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
    app.jinja_env.filters["in_zone"] = format_in_zone
    app.jinja_env.filters["time_in_zone"] = format_time_in_zone
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["zone_city"] = zone_city
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
