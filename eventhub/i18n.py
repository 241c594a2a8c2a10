"""Locale selection and the one filter through which every date and time is shown.

Times are shown in the *event's* time zone (a Copenhagen meeting at 14:00 reads 14:00 everywhere), in the
viewer's locale.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "da": "Dansk"}


def select_locale() -> str:
    """An explicit choice (``?lang=``, kept in the session) wins, then the account's language, then the browser."""
    from flask import current_app, has_request_context

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


def format_in_zone(value: datetime | None, zone: str, fmt: str = "medium", locale: str | None = None) -> str:
    """Format an aware instant as wall-clock time in ``zone`` for the current (or given) locale."""
    if value is None:
        return ""
    locale = locale or str(get_locale() or "en")
    return babel_dates.format_datetime(value, fmt, tzinfo=ZoneInfo(zone), locale=locale)


def format_time_in_zone(value: datetime | None, zone: str, fmt: str = "short", locale: str | None = None) -> str:
    if value is None:
        return ""
    locale = locale or str(get_locale() or "en")
    return babel_dates.format_time(value, fmt, tzinfo=ZoneInfo(zone), locale=locale)


def format_day(value: date | datetime | None, zone: str | None = None, fmt: str = "full", locale: str | None = None) -> str:
    if value is None:
        return ""
    locale = locale or str(get_locale() or "en")
    if isinstance(value, datetime) and zone:
        value = value.astimezone(ZoneInfo(zone))
    return babel_dates.format_date(value, fmt, locale=locale)


def init_i18n(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.jinja_env.filters["in_zone"] = format_in_zone
    app.jinja_env.filters["time_in_zone"] = format_time_in_zone
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
