"""Dates, times, numbers and lists in each of eventhub's languages, through i18n's one set of formatters: month
names in the reader's language (Greek genitive "Ιανουαρίου", Bulgarian "януари", Polish "stycznia"), never a date
of numbers only, always a 24-hour clock (CLDR writes Greek times as "2:00 μ.μ."), the zone by its city in the
reader's language, grouped numbers and lists joined with the language's own "and"."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import Flask

from config import Config
from eventhub.i18n import (
    event_when,
    format_day,
    format_in_zone,
    format_names,
    format_number,
    format_time_in_zone,
    formatting_locale,
    zone_city,
)

LANGUAGES = Config.LANGUAGES
# A 14:00 meeting in Copenhagen on Monday 12 January 2026, until 15:30.
START = datetime(2026, 1, 12, 13, tzinfo=UTC)
MEETING = SimpleNamespace(starts_at=START, ends_at=datetime(2026, 1, 12, 14, 30, tzinfo=UTC),
                          timezone="Europe/Copenhagen")  # fmt: skip
NUMBERS_ONLY = re.compile(r"^[\d\s./,-]*(г\.)?[\s,]*$")  # "12.01.2026 г.", "12. 1. 2026", "2026-01-12"
TWELVE_HOUR = re.compile(r"\b(AM|PM|am|pm)\b|μ\.μ\.|π\.μ\.|\b2:00\b")


@pytest.fixture(autouse=True)
def plain_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    with app.app_context():
        yield app


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", ["short", "medium", "long", "full"])
def test_no_date_is_numbers_only_in_any_language(language, width):
    day = format_day(START, "Europe/Copenhagen", width, language)
    assert not NUMBERS_ONLY.match(day), day
    date_part = format_in_zone(START, "Europe/Copenhagen", width, language).replace("14:00", "").replace("14.00", "")
    assert not NUMBERS_ONLY.match(date_part), date_part


@pytest.mark.parametrize("language", LANGUAGES)
def test_times_are_on_a_24_hour_clock_in_every_language(language):
    texts = [
        format_time_in_zone(START, "Europe/Copenhagen", locale=language),
        format_in_zone(START, "Europe/Copenhagen", "medium", language),
        event_when(MEETING, language),
    ]
    for text in texts:
        assert not TWELVE_HOUR.search(text), text
        assert "14:00" in text or "14.00" in text, text
    assert re.search(r"15[:.]30", texts[2])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("el", "Δευτέρα 12 Ιανουαρίου 2026 14:00–15:30 (Κοπεγχάγη)"),
        ("bg", "понеделник, 12 януари 2026\u202fг. 14:00–15:30 (Копенхаген)"),  # a narrow no-break space before г.
        ("pl", "poniedziałek, 12 stycznia 2026 14:00–15:30 (Kopenhaga)"),
        ("de", "Montag, 12. Januar 2026 14:00–15:30 (Kopenhagen)"),
        ("cs", "pondělí 12. ledna 2026 14:00–15:30 (Kodaň)"),
        ("nb", "mandag 12. januar 2026 14:00–15:30 (København)"),
        ("lv", "pirmdiena, 2026. gada 12. janvāris 14:00–15:30 (Kopenhāgena)"),
        ("hu", "2026. január 12., hétfő 14:00–15:30 (Koppenhága)"),
        ("da", "mandag den 12. januar 2026 14.00–15.30 (København)"),
        ("en", "Monday, 12 January 2026 14:00–15:30 (Copenhagen)"),
    ],
)
def test_the_date_line_reads_as_the_language_writes_it(language, expected):
    assert event_when(MEETING, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("el", "12 Ιαν 2026, 14:00"),  # 24-hour, though CLDR's Greek says "2:00 μ.μ."
        ("de", "12. Januar 2026, 14:00"),  # German's medium date is "12.01.2026": shown with the month's name
        ("bg", "12 януари 2026\u202fг., 14:00"),
        ("sk", "12. januára 2026, 14:00"),
        ("pl", "12 sty 2026, 14:00"),
        ("en", "12 Jan 2026, 14:00"),
    ],
)
def test_a_short_date_and_time_names_the_month_and_uses_24_hours(language, expected):
    assert format_in_zone(START, "Europe/Copenhagen", "short", language) == expected


@pytest.mark.parametrize(("language", "city"), [("el", "Κοπεγχάγη"), ("pl", "Kopenhaga"), ("lv", "Kopenhāgena")])
def test_the_zone_is_a_city_in_the_readers_language(language, city):
    assert zone_city("Europe/Copenhagen", language) == city


def test_english_is_written_the_british_way_and_the_others_as_themselves():
    assert formatting_locale("en") == "en_GB"
    assert all(formatting_locale(language) == language for language in LANGUAGES if language != "en")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "5,000"), ("da", "5.000"), ("de", "5.000"), ("el", "5.000"), ("fr", "5\u202f000"), ("sv", "5\xa0000")],
)
def test_numbers_are_grouped_as_the_reader_groups_them(language, expected):
    assert format_number(5000, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Ana, Bo and Cas"), ("da", "Ana, Bo og Cas"), ("pl", "Ana, Bo i Cas"), ("el", "Ana, Bo και Cas"),
     ("bg", "Ana, Bo и Cas"), ("hu", "Ana, Bo és Cas")],
)  # fmt: skip
def test_lists_are_joined_with_the_languages_own_and(language, expected):
    assert format_names(["Ana", "Bo", "Cas"], language) == expected
    assert format_names([], language) == "" and format_names(["Ana"], language) == "Ana"


def test_several_choices_read_as_a_list_on_pages_and_stay_separated_in_the_export():
    from eventhub.registration.questions import answer_text

    question, answers = SimpleNamespace(id=3), {"3": ["Lunch", "Dinner", "Excursion"]}
    assert answer_text(question, answers, "da") == "Lunch, Dinner og Excursion"
    assert answer_text(question, answers, "en") == "Lunch, Dinner and Excursion"
    assert answer_text(question, answers) == "Lunch; Dinner; Excursion"  # the CSV export: a program splits it
