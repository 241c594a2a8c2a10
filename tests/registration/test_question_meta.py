"""The line under a question on the organiser's question pages (``presenters.question_meta``): one presenter for the
event's page and the series' page, in the page's language."""

from __future__ import annotations

from flask_babel import force_locale

from eventhub.registration.presenters import question_meta
from eventhub.registration.questions import add_question


def test_the_meta_line_names_kind_then_what_marks_the_question(app, conference, make_series):
    series = make_series(slug="bsi")
    event = conference(series="bsi")
    plain = add_question(event, "short_text", "Dietary needs")
    marked = add_question(series, "consent", "Photos", required=True, delete_answers_after_event=True)

    with app.test_request_context():
        assert question_meta(plain) == "Short text"
        assert question_meta(marked) == (
            "Consent, required, version 1, from the series, answers deleted when the event has ended"
        )
        assert question_meta(marked, from_series_shown=False) == (
            "Consent, required, version 1, answers deleted when the event has ended"
        )
        with force_locale("da"):
            assert question_meta(plain) == "Kort tekst"


def test_both_question_pages_show_it(client, conference, make_series, make_organiser, login, commit):
    series = make_series(slug="bsi")
    event = conference(series="bsi")
    add_question(series, "yes_no", "Vegetarian?", required=True)
    organiser = make_organiser(event)
    commit()
    login(organiser)
    for page in (f"/events/{event.id}/manage/questions", "/series/bsi/manage/questions"):
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.get_data(as_text=True)
        expected = "(Yes/no, required, from the series)" if page.startswith("/events") else "(Yes/no, required)"
        assert expected in text, page
