"""eventhub/web.py and eventhub/labels.py: one way to show a refused change, one label per enum value, and the
home page's event cards in a fixed number of statements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import Form, StringField

from eventhub import labels
from eventhub.errors import Conflict, ValidationFailed
from eventhub.events.models import Person
from eventhub.extensions import db
from eventhub.web import apply_domain_error


class Row(Form):
    title = StringField()


class PageForm(FlaskForm):
    class Meta:
        csrf = False

    email = StringField()


def test_field_problems_go_on_their_fields_and_the_rest_at_the_top(app):
    with app.test_request_context("/", method="POST"):
        form = PageForm()
        apply_domain_error(form, ValidationFailed("Not valid.", {"email": "not an address", "language": "unknown"}))
    assert list(form.email.errors) == ["not an address"]
    assert form.form_errors == ["language: unknown"]


def test_row_problems_go_on_the_row_and_name_it_at_the_top(app):
    rows = [Row(), Row()]
    with app.test_request_context("/", method="POST"):
        form = PageForm()
        apply_domain_error(form, ValidationFailed("Not valid.", {"items[1].title": "is required"}), rows=rows)
    assert list(rows[1].title.errors) == ["is required"] and not rows[0].title.errors
    assert form.form_errors == ["Item 2: Title is required"]


def test_a_problem_without_fields_is_shown_at_the_top_or_flashed(app):
    with app.test_request_context("/", method="POST"):
        form = PageForm()
        apply_domain_error(form, Conflict("The event is cancelled."))
        apply_domain_error(None, Conflict("Already revoked."))
        flashed = get_flashed_messages(with_categories=True)
    assert form.form_errors == ["The event is cancelled."]
    assert flashed == [("error", "Already revoked.")]


def test_the_failed_unit_of_work_is_rolled_back(app):
    db.session.add(Person(email="half-done@example.org", name="Half done"))
    db.session.flush()
    with app.test_request_context("/", method="POST"):
        apply_domain_error(PageForm(), Conflict("Refused."))
    assert db.session.scalar(db.select(Person).where(Person.email == "half-done@example.org")) is None


@pytest.mark.parametrize("enum", list(labels.BY_ENUM), ids=lambda enum: enum.__name__)
def test_every_value_of_a_labelled_enum_has_a_label(enum):
    assert set(labels.BY_ENUM[enum]) == set(enum)


def test_home_page_cards_run_the_same_statements_for_3_events_as_for_30(
    client, make_series, make_event, now, count_queries, commit
):
    def home_after_adding(count: int, start: int) -> list[str]:
        for n in range(start, start + count):
            series = make_series(slug=f"series-{n}")
            make_event(title=f"Event {n}", series=series.slug, starts_at=now + timedelta(days=1, hours=n))
        commit()
        with count_queries() as counter:
            page = client.get("/").get_data(as_text=True)
        assert f"Series {start + count - 1}" in page or f"series-{start + count - 1}" in page
        return counter.statements

    few, many = home_after_adding(3, 0), home_after_adding(27, 3)
    assert len(few) == len(many), "\n\n".join(many)
