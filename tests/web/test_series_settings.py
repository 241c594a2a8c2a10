"""The series form's defaults for events (organiser name, language, reminder offsets shown as days/hours/minutes)
and the series' registration questions page /series/<slug>/manage/questions."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from eventhub.events.models import Series
from eventhub.extensions import db
from eventhub.registration.models import Question
from eventhub.registration.questions import add_question
from tests.conftest import csrf_token_from, grant_organiser
from tests.web.conftest import text_of, visible_text

VIEWERS = ("anonymous", "member", "secretary", "other_organiser", "organiser", "admin")
SERIES = {"title": "BSI conferences", "description": "", "visibility": "public"}


def _login_as(make_user, login, commit, viewer, *managed):
    """Log ``viewer`` in; "organiser" organises ``managed``, "other_organiser" is an organiser of nothing here."""
    if viewer != "anonymous":
        user = make_user("organiser" if viewer == "other_organiser" else viewer)
        if viewer == "organiser":
            grant_organiser(user, *managed)
        commit()
        login(user)
        return user
    commit()
    return None


def _post(client, path, data):
    token = csrf_token_from(text_of(client.get(path)))
    return client.post(path, data={"csrf_token": token, **data})


def _rows(*rows: tuple[str, str]) -> dict[str, str]:
    data = {}
    for index, (amount, unit) in enumerate(rows):
        data[f"reminder_offsets-{index}-amount"] = amount
        data[f"reminder_offsets-{index}-unit"] = unit
    return data


def _series(slug: str) -> Series | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Series).where(Series.slug == slug))


def _errors_of(html: str, name: str) -> str:
    match = re.search(rf'<ul class="errors" id="{name}-errors">(.*?)</ul>', html, re.S)
    assert match, f"no errors shown next to {name}"
    return visible_text(match.group(1))


@pytest.fixture
def organiser(make_user, login, commit):
    """A signed-in organiser; each test makes them organiser of the series it manages (``grant_organiser``)."""
    return _login_as(make_user, login, commit, "organiser")


def test_a_series_is_created_with_organiser_name_language_and_reminders(client, organiser):
    page = text_of(client.get("/manage/series/new"))
    assert '<option value="da">Dansk</option>' in page and "The default: 7 days and 1 day before the start" in page

    data = {**SERIES, "slug": "bsi", "organiser_name": "Erhvervsstyrelsen", "language": "da",
            "reminder_mode": "custom", **_rows(("7", "days"), ("2", "hours"), ("", "days"))}  # fmt: skip
    response = _post(client, "/manage/series/new", data)

    assert response.status_code == 302, visible_text(text_of(response))
    series = _series("bsi")
    assert (series.organiser_name, series.language, series.reminder_offsets) == (
        "Erhvervsstyrelsen",
        "da",
        [10080, 120],
    )


def test_the_edit_form_shows_stored_offsets_in_days_and_hours(client, organiser, make_series, commit):
    series = make_series(slug="cospro")
    grant_organiser(organiser, series)
    series.reminder_offsets = [10080, 90]
    commit()
    html = text_of(client.get("/series/cospro/manage"))
    assert 'id="reminder_mode-2" name="reminder_mode" type="radio" value="custom"' in html.replace("checked ", "")
    assert re.search(r'name="reminder_offsets-0-amount"[^>]*value="7"', html)
    assert re.search(r'name="reminder_offsets-1-amount"[^>]*value="90"', html)  # 90 minutes stay minutes
    assert 'href="/series/cospro/manage/questions"' in html


@pytest.mark.parametrize(("mode", "stored"), [("inherit", None), ("none", [])])
def test_the_default_or_no_reminders(client, organiser, make_series, commit, mode, stored):
    series = make_series(slug="cospro")
    grant_organiser(organiser, series)
    series.reminder_offsets = [60]
    commit()
    response = _post(client, "/series/cospro/manage", {**SERIES, "reminder_mode": mode, **_rows(("3", "days"))})
    assert response.status_code == 302
    assert _series("cospro").reminder_offsets == stored


BAD = [
    ({"reminder_mode": "custom", **_rows(("61", "days"))}, "reminder_offsets", "at most 60 days"),
    ({"reminder_mode": "custom", **_rows(("1", "days"), ("24", "hours"))}, "reminder_offsets", "only once"),
    ({"reminder_mode": "custom", **_rows(("", "days"))}, "reminder_offsets", "at least one reminder"),
    ({"reminder_mode": "custom", **_rows(("0", "days"))}, "reminder_offsets-0-amount", "between 1"),
    ({"organiser_name": "x" * 201}, "organiser_name", "200"),
    ({"language": "pt"}, "language", "one of en, bg, cs, da"),
    ({"title": "y" * 201}, "title", "200"),
]


@pytest.mark.parametrize(("data", "field", "message"), BAD)
def test_bad_settings_are_shown_next_to_the_field_and_nothing_is_saved(client, organiser, make_series, commit, data,
                                                                      field, message):  # fmt: skip
    grant_organiser(organiser, make_series(slug="cospro", title="COSPRO"))
    commit()

    response = _post(client, "/series/cospro/manage", {**SERIES, "organiser_name": "Changed", **data})

    assert response.status_code == 422
    assert message in _errors_of(text_of(response), field)
    series = _series("cospro")
    assert (series.title, series.organiser_name, series.reminder_offsets, series.language) == (
        "COSPRO", None, None, None
    )  # fmt: skip


def test_a_taken_slug_creates_nothing(client, organiser, make_series, commit):
    make_series(slug="taken")
    commit()
    response = _post(client, "/manage/series/new", {**SERIES, "slug": "taken", "organiser_name": "Someone"})
    assert response.status_code == 422 and "already taken" in _errors_of(text_of(response), "slug")
    assert _series("taken").organiser_name is None


def test_the_form_speaks_danish(client, organiser):
    html = visible_text(text_of(client.get("/manage/series/new?lang=da")))
    assert "Påmindelser" in html and "dage før" in html


# --------------------------------------------------------------------------------------------------------------
# The series' registration questions
# --------------------------------------------------------------------------------------------------------------


def _questions(series) -> list[Question]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Question).where(Question.series_id == series.id)))


def test_questions_are_added_to_the_series_and_asked_by_its_events(client, organiser, make_series, make_event,
                                                                   commit):  # fmt: skip
    series = make_series(slug="cospro")
    grant_organiser(organiser, series)
    event = make_event(series="cospro")
    commit()
    data = {"kind": "single_choice", "label": "You take part as", "choices": "Buyer\nSupplier", "help_text": ""}

    response = _post(client, "/series/cospro/manage/questions", data)

    assert response.status_code == 302
    (question,) = _questions(series)
    assert (question.label, question.choices, question.event_id) == ("You take part as", ["Buyer", "Supplier"], None)
    assert "You take part as" in text_of(client.get(f"/events/{event.id}/manage/questions"))


def test_a_bad_question_is_shown_next_to_its_field(client, organiser, make_series, commit):
    series = make_series(slug="cospro")
    grant_organiser(organiser, series)
    commit()
    response = _post(
        client, "/series/cospro/manage/questions", {"kind": "single_choice", "label": "Pick", "choices": "One"}
    )
    assert response.status_code == 422 and "from 2 to 30 choices" in _errors_of(text_of(response), "choices")
    assert _questions(series) == []


def test_removing_a_question_asks_first(client, organiser, make_series, commit):
    series = make_series(slug="cospro")
    grant_organiser(organiser, series)
    question = add_question(series, "short_text", "Dietary needs")
    commit()
    page = text_of(client.get("/series/cospro/manage/questions"))
    confirm_path = f"/series/cospro/manage/questions/{question.id}/remove"
    assert f'href="{confirm_path}"' in page
    confirm = visible_text(text_of(client.get(confirm_path)))
    assert "Remove “Dietary needs” from every event of" in confirm
    assert len(_questions(series)) == 1  # asking changed nothing

    assert client.post(confirm_path, data={}).status_code == 400  # no CSRF token
    response = _post(client, confirm_path, {})

    assert response.status_code == 302 and response.headers["Location"] == "/series/cospro/manage/questions"
    assert _questions(series) == []


def test_an_events_own_question_cannot_be_removed_through_the_series(client, organiser, make_series, make_event,
                                                                     commit):  # fmt: skip
    grant_organiser(organiser, make_series(slug="cospro"))
    other = make_series(slug="other")
    question = add_question(make_event(series="cospro"), "short_text", "Event's own")
    theirs = add_question(other, "short_text", "Other series'")
    commit()
    assert client.get(f"/series/cospro/manage/questions/{question.id}/remove").status_code == 404
    assert client.get(f"/series/cospro/manage/questions/{theirs.id}/remove").status_code == 404


# "organiser" organises both series; "other_organiser" organises none of them (organisers see every series: 403).
EXPECTED = {
    "/series/pub/manage/questions": (302, 403, 403, 403, 200, 200),
    "/series/hidden/manage/questions": (404, 404, 404, 403, 200, 200),
    "/series/pub/manage/questions/{question}/remove": (302, 403, 403, 403, 200, 200),
    "/series/hidden/manage/questions/{hidden_question}/remove": (404, 404, 404, 403, 200, 200),
}


@pytest.mark.parametrize("path", EXPECTED)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_permission_matrix(client, make_user, make_series, login, commit, viewer, path):
    pub, hidden = make_series(slug="pub"), make_series(slug="hidden", visibility="members")
    question = add_question(pub, "short_text", "Q")
    hidden_question = add_question(hidden, "short_text", "Q")
    _login_as(make_user, login, commit, viewer, pub, hidden)

    response = client.get(path.format(question=question.id, hidden_question=hidden_question.id))

    assert response.status_code == EXPECTED[path][VIEWERS.index(viewer)]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("viewer", ["member", "secretary", "other_organiser"])
def test_only_the_series_organisers_may_post_questions(client, make_user, make_series, login, commit, viewer):
    series = make_series(slug="pub")
    question = add_question(series, "short_text", "Keep me")
    _login_as(make_user, login, commit, viewer)
    token = csrf_token_from(text_of(client.get("/account")))
    data = {"csrf_token": token, "kind": "short_text", "label": "Sneaky"}
    assert client.post("/series/pub/manage/questions", data=data).status_code == 403
    assert client.post(f"/series/pub/manage/questions/{question.id}/remove", data=data).status_code == 403
    assert [q.label for q in _questions(series)] == ["Keep me"]
