"""eventhub.i18n: which language a reader gets (one rule for every email), and the event's date line."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import Flask

from config import Config
from eventhub.i18n import (
    LanguageSource,
    choose_reader_language,
    event_when,
    format_day,
    format_in_zone,
    format_time_in_zone,
    reader_language,
    zone_city,
)
from eventhub.mail.services import render_email
from eventhub.urls import event_url


@pytest.fixture
def plain_app():
    """The configured languages (en, da; default en) without a database: the rule reads nothing else."""
    app = Flask(__name__)
    app.config.from_object(Config)
    with app.app_context():
        yield app


def _reader(language):
    return SimpleNamespace(language=language)


# Person × event × series language; "pt" is a language eventhub does not speak, None one not given.
@pytest.mark.parametrize(
    ("person", "event", "series", "expected"),
    [
        ("da", "en", "en", "da"),  # the reader's own language wins
        ("en", "da", "da", "en"),
        ("pt", "da", "en", "da"),  # not spoken: the event's
        (None, "da", None, "da"),
        ("pt", None, "da", "da"),  # no event language: its series'
        ("pt", "pt", "da", "da"),
        (None, None, None, "en"),  # nothing known: the default
        ("pt", "pt", "pt", "en"),
        ("DA", None, None, "en"),  # stored languages are lower case; anything else is not one eventhub speaks
    ],
)
def test_the_reader_gets_their_language_else_the_events_else_the_series_else_english(
    plain_app, person, event, series, expected
):
    thing = SimpleNamespace(language=event, series=SimpleNamespace(language=series))
    assert reader_language(_reader(person), thing) == expected


@pytest.mark.parametrize(("person", "series", "expected"), [("da", "en", "da"), ("pt", "da", "da"), ("pt", None, "en")])
def test_a_series_can_stand_in_for_the_event(plain_app, person, series, expected):
    assert reader_language(_reader(person), SimpleNamespace(language=series)) == expected


def test_an_event_without_a_language_of_its_own_falls_back_to_its_series(plain_app):
    event = SimpleNamespace(series=SimpleNamespace(language="da"))  # an Event today has no language column
    assert reader_language(_reader("pt"), event) == "da"
    assert reader_language(_reader("pt"), SimpleNamespace(series=None)) == "en"
    assert reader_language(_reader("pt")) == "en"


def test_emails_are_rendered_only_in_a_language_the_rule_chose(plain_app):
    with pytest.raises(ValueError, match="reader_language"):
        render_email("reminder", "pt")


@pytest.mark.parametrize(
    ("person", "event", "series", "expected"),
    [
        ("pl", "da", "en", ("pl", LanguageSource.OWN)),
        ("pt", "pl", "da", ("pl", LanguageSource.EVENT)),
        ("pt", None, "da", ("da", LanguageSource.SERIES)),
        ("pt", None, None, ("en", LanguageSource.DEFAULT)),
        ("pt-br", "pl", None, ("pl", LanguageSource.EVENT)),
        ("de-at", "pl", None, ("de", LanguageSource.OWN)),  # a variant stored before it was mapped: its language
    ],
)
def test_the_rule_says_where_the_language_came_from(plain_app, person, event, series, expected):
    thing = SimpleNamespace(language=event, series=SimpleNamespace(language=series))
    chosen = choose_reader_language(_reader(person), thing)
    assert (chosen.language, chosen.source) == expected


def test_a_series_given_for_the_event_is_named_as_the_series(plain_app):
    assert choose_reader_language(_reader("pt"), SimpleNamespace(language="sv")).source == LanguageSource.SERIES


def _meeting(starts_at, ends_at):
    return SimpleNamespace(starts_at=starts_at, ends_at=ends_at, timezone="Europe/Copenhagen", id=7)


def test_the_date_line_is_in_the_events_zone_and_the_readers_language(plain_app):
    meeting = _meeting(datetime(2022, 11, 15, 13, tzinfo=UTC), datetime(2022, 11, 15, 14, 30, tzinfo=UTC))
    assert event_when(meeting, "da") == "tirsdag den 15. november 2022 14.00–15.30 (København)"
    assert event_when(meeting, "en") == "Tuesday, 15 November 2022 14:00–15:30 (Copenhagen)"


def test_an_event_over_several_days_names_both_days(plain_app):
    meeting = _meeting(datetime(2022, 11, 15, 8, tzinfo=UTC), datetime(2022, 11, 16, 15, tzinfo=UTC))
    assert event_when(meeting, "da") == (
        "tirsdag den 15. november 2022 09.00 – onsdag den 16. november 2022 16.00 (København)"
    )


def test_the_event_link_is_absolute(app):
    assert event_url(SimpleNamespace(id=7)) == app.config["BASE_URL"] + "/events/7"


# A 14:00 meeting in Copenhagen on 12 January: "12/1/26" and "2:00 PM" are what the formatters must never write.
MEETING_START = datetime(2026, 1, 12, 13, tzinfo=UTC)
NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")


@pytest.mark.parametrize("language", ["en", "da"])
@pytest.mark.parametrize("width", ["short", "medium", "long", "full"])
def test_dates_are_never_all_numbers_and_times_are_24_hour(plain_app, language, width):
    for text in (
        format_in_zone(MEETING_START, "Europe/Copenhagen", width, language),
        format_day(MEETING_START, "Europe/Copenhagen", width, language),
    ):
        assert not NUMERIC_DATE.search(text), text
        assert "PM" not in text and "AM" not in text, text
    assert format_time_in_zone(MEETING_START, "Europe/Copenhagen", locale=language) in ("14:00", "14.00")


def test_english_dates_read_the_british_way(plain_app):
    assert format_in_zone(MEETING_START, "Europe/Copenhagen", "short", "en") == "12 Jan 2026, 14:00"
    assert format_day(MEETING_START, "Europe/Copenhagen", "long", "en") == "12 January 2026"
    assert format_in_zone(MEETING_START, "Europe/Copenhagen", "medium", "da") == "12. jan. 2026 14.00"


def test_zones_are_named_by_their_city_in_the_readers_language(plain_app):
    assert zone_city("Europe/Copenhagen", "en") == "Copenhagen"
    assert zone_city("Europe/Copenhagen", "da") == "København"
    assert zone_city("Europe/Warsaw", "en") == "Warsaw"
    assert zone_city("UTC", "en") == "UTC"
