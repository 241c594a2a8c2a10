"""Templates translate through ``i18n.page_translations`` (issue 14: Flask-Babel's lookup of the locale for each of
a page's ~40 messages was a tenth of the event page): the page's language, a language forced for an email or
chosen by a personal link mid-request, plural forms and escaping work as they do through Flask-Babel itself."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from eventhub.i18n import read_as

HOME = '{{ _("Home") }}'
FOURTEEN_HUNDRED = datetime(2026, 1, 12, 13, tzinfo=UTC)  # 14:00 in Copenhagen


def test_templates_speak_the_pages_language_and_follow_a_forced_or_changed_one(app):
    with app.test_request_context("/", headers={"Accept-Language": "da"}):
        assert render_template_string(HOME) == "Forside" == babel_gettext("Home")
        with force_locale("de"):  # an email written mid-request in its reader's language
            assert render_template_string(HOME) == "Startseite"
        assert render_template_string(HOME) == "Forside"
        read_as(SimpleNamespace(language="pl"))  # a personal link's page switches to its reader's language
        assert render_template_string(HOME) == "Strona główna"


def test_outside_a_request_templates_speak_the_default_language_or_the_forced_one(app):
    assert render_template_string(HOME) == "Home"
    with force_locale("da"):
        assert render_template_string(HOME) == "Forside"


@pytest.mark.parametrize(("count", "expected"), [(1, "1 miejsce"), (3, "3 miejsca"), (5, "5 miejsc")])
def test_plural_forms_come_from_the_pages_catalogue(app, count, expected):
    with app.test_request_context("/?lang=pl"):
        assert render_template_string('{{ ngettext("%(num)d place", "%(num)d places", n) }}', n=count) == expected


def test_values_put_into_a_message_are_escaped_in_html_and_left_alone_in_text(app):
    message = '{{ _("%(field)s: %(problem)s", field=field, problem="x") }}'
    with app.test_request_context("/"):
        assert render_template_string(message, field="<b>") == "&lt;b&gt;: x"
        as_text = "{% autoescape false %}" + message + "{% endautoescape %}"  # as in a .txt email
        assert render_template_string(as_text, field="<b>") == "<b>: x"


@pytest.mark.parametrize(("language", "expected"), [("en", "14:00"), ("da", "14.00"), ("el", "14:00")])
def test_the_clock_filter_writes_the_time_of_day_as_the_language_does(app, language, expected):
    with app.test_request_context(f"/?lang={language}"):
        assert render_template_string('{{ t|clock("Europe/Copenhagen") }}', t=FOURTEEN_HUNDRED) == expected
