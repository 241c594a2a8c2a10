"""The shared input checks of eventhub.validation: one rule per kind of input, whoever calls it."""

import pytest

from eventhub.errors import ValidationFailed
from eventhub.events.people import get_or_create_person
from eventhub.validation import (
    clean_fields,
    clean_text,
    looks_like_email,
    normalize_email,
    normalize_language,
    required_text,
    validate_language,
)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Mette.Hansen@Example.ORG ", "mette.hansen@example.org"),
        ("info@bücher.de", "info@xn--bcher-kva.de"),  # an internationalised domain is kept in its ASCII form
        ("a+tag@sub.example.org", "a+tag@sub.example.org"),
    ],
)
def test_addresses_are_stored_in_one_ascii_lower_case_form(given, stored):
    assert normalize_email(given) == stored


@pytest.mark.parametrize(
    "given", ["", None, "no-at-sign", "a@b", "a b@example.org", "a\x00@example.org", "x@host.invalid", 42]
)
def test_malformed_addresses_are_refused_naming_the_field(given):
    with pytest.raises(ValidationFailed) as error:
        normalize_email(given, field_name="contact")
    assert error.value.fields == {"contact": "not a valid email address"}


def test_a_non_ascii_local_part_is_refused_with_a_message_that_says_so():
    with pytest.raises(ValidationFailed) as error:
        normalize_email("jørgen@example.dk")
    assert "ASCII" in error.value.fields["email"]


def test_looks_like_email_tells_an_address_from_free_text():
    assert looks_like_email("per@kk.dk")
    assert not looks_like_email("Per Bach og Anne Rahbek")


def test_languages_are_read_from_the_configuration(app):
    assert validate_language(" DA ") == "da"
    app.config["LANGUAGES"] = ("en",)
    with pytest.raises(ValidationFailed) as error:
        validate_language("da")
    assert error.value.fields == {"language": "one of en"}


def test_a_person_in_a_language_eventhub_does_not_speak_keeps_it_and_garbage_is_refused(app):
    assert get_or_create_person("klingon@example.org", language="tlh").language == "tlh"
    with pytest.raises(ValidationFailed) as error:
        get_or_create_person("garbage@example.org", language="x1!")
    assert "language" in error.value.fields


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("da", "da"),
        (" DE ", "de"),
        ("de-AT", "de"),  # a regional variant of a language eventhub speaks is that language
        ("de_AT", "de"),
        ("en-IE", "en"),
        ("no", "nb"),  # Norwegian and Nynorsk readers get Bokmål
        ("nn", "nb"),
        ("nb-NO", "nb"),
        ("pt", "pt"),  # not spoken: kept, and the reader falls back by the rule
        ("pt-BR", "pt-br"),
        ("sr-Latn", "sr-latn"),
        ("zh-Hant-TW", "zh"),  # longer than the column: its language
    ],
)
def test_language_codes_are_stored_normalised(app, given, stored):
    assert normalize_language(given) == stored


@pytest.mark.parametrize("garbage", ["x1!", "english", "d", "de-", "de--at", "12", "", None, 7, "de-AT-x"])
def test_what_is_no_language_code_is_refused_naming_the_field(app, garbage):
    with pytest.raises(ValidationFailed) as error:
        normalize_language(garbage, "lang")
    assert error.value.fields == {"lang": "a language code such as da, de-AT or pt-BR"}


def test_clean_text_gives_an_empty_string_for_a_missing_optional_value_and_refuses_line_breaks_in_one_line():
    assert clean_text(None, "note", 10, required=False) == ""
    assert clean_text(" two\nlines ", "note", 20, multiline=True) == "two\nlines"
    with pytest.raises(ValidationFailed):
        clean_text("two\nlines", "note", 20)


def test_clean_fields_reports_every_bad_field_at_once():
    with pytest.raises(ValidationFailed) as error:
        clean_fields(
            {
                "name": lambda: required_text("", "name", 10),
                "title": lambda: required_text("x" * 11, "title", 10),
                "ok": lambda: required_text("fine", "ok", 10),
            }
        )
    assert set(error.value.fields) == {"name", "title"}
