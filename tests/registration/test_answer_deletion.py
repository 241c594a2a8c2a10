"""Answers to questions marked "delete answers after the event" (dietary needs, accessibility) go as soon as the
event has ended, without waiting for its retention period; other answers stay. Marking a question after its event
ended deletes them at once. The question pages of an event and of a series set the mark."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration.answer_deletion import run_answer_deletion, set_delete_answers_after_event
from eventhub.registration.models import Question, Registration
from eventhub.registration.questions import add_question
from eventhub.registration.services import register
from eventhub.scheduler.planning import run_planning
from tests.conftest import csrf_token_from

STEP = "registrations' answers deleted after the event"


@pytest.fixture
def answered(make_series, make_event, make_person, now):
    """A meeting of a series ending in ten days: a series question and an event question marked, one of each not."""
    series = make_series(slug="big-buyers")
    event = make_event(series=series.slug, starts_at=now + timedelta(days=10))
    questions = {
        "diet": add_question(event, "short_text", "Dietary needs", delete_answers_after_event=True),
        "access": add_question(series, "yes_no", "Wheelchair access", delete_answers_after_event=True),
        "role": add_question(event, "short_text", "Your role"),
        "topic": add_question(series, "short_text", "Topic you bring"),
    }
    registration = register(event, make_person(), now)
    registration.answers = {str(q.id): "x" if q.kind.value != "yes_no" else True for q in questions.values()}
    db.session.commit()
    return event, questions, registration


def answers_of(registration) -> set[str]:
    db.session.expire_all()
    return set(db.session.get(Registration, registration.id).answers)


def test_marked_answers_go_when_the_event_has_ended_and_the_others_stay(answered):
    event, q, registration = answered

    assert run_planning(event.ends_at - timedelta(minutes=1))[STEP] == 0
    assert answers_of(registration) == {str(q[name].id) for name in ("diet", "access", "role", "topic")}
    assert run_planning(event.ends_at)[STEP] == 1

    assert answers_of(registration) == {str(q["role"].id), str(q["topic"].id)}
    assert event.answers_deleted_at == event.ends_at
    assert event.anonymised_at is None  # retention has not come: only the marked answers went


def test_an_ended_event_is_looked_at_once(answered):
    event, q, registration = answered
    run_answer_deletion(event.ends_at)
    registration.answers = {**registration.answers, str(q["diet"].id): "added behind the planner's back"}
    db.session.flush()

    assert run_answer_deletion(event.ends_at + timedelta(minutes=1)) == 0
    assert str(q["diet"].id) in answers_of(registration)


@pytest.mark.parametrize("owner", ["role", "topic"], ids=["event question", "series question"])
def test_marking_a_question_after_the_event_deletes_its_answers_at_once(answered, owner):
    event, q, registration = answered
    run_answer_deletion(event.ends_at)

    assert set_delete_answers_after_event(q[owner], True, event.ends_at + timedelta(days=1)) == 1

    assert str(q[owner].id) not in answers_of(registration)
    assert db.session.get(Question, q[owner].id).delete_answers_after_event is True


def test_marking_before_the_event_ends_deletes_nothing_yet_and_unmarking_keeps_answers(answered, now):
    event, q, registration = answered

    assert set_delete_answers_after_event(q["role"], True, now) == 0
    assert set_delete_answers_after_event(q["diet"], False, now) == 0
    run_answer_deletion(event.ends_at)

    assert answers_of(registration) == {str(q["diet"].id), str(q["topic"].id)}


# -------------------------------------------------------------------------------------------------------------
# The question pages
# -------------------------------------------------------------------------------------------------------------


def _csrf(client, path: str) -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_the_event_questions_page_adds_a_marked_question_and_toggles_the_mark(answered, client, login, make_organiser):
    event, q, _ = answered
    login(make_organiser(event))
    db.session.commit()
    path = f"/events/{event.id}/manage/questions"
    data = {"csrf_token": _csrf(client, path), "kind": "short_text", "label": "Allergies"}

    assert client.post(path, data={**data, "delete_answers_after_event": "y"}).status_code == 302
    added = db.session.scalar(sa.select(Question).where(Question.label == "Allergies"))
    assert added.delete_answers_after_event is True
    page = client.get(path).get_data(as_text=True)
    assert "answers deleted when the event has ended" in page
    assert f"/manage/questions/{q['role'].id}/answer-deletion/on" in page
    assert f"/manage/questions/{q['topic'].id}/answer-deletion" not in page  # the series' own: changed there

    response = client.post(f"{path}/{q['role'].id}/answer-deletion/on", data={"csrf_token": data["csrf_token"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, q["role"].id).delete_answers_after_event is True
    client.post(f"{path}/{q['role'].id}/answer-deletion/off", data={"csrf_token": data["csrf_token"]})
    db.session.expire_all()
    assert db.session.get(Question, q["role"].id).delete_answers_after_event is False
    assert (
        client.post(f"{path}/{q['topic'].id}/answer-deletion/on", data={"csrf_token": data["csrf_token"]}).status_code
        == 404
    )


def test_the_series_questions_page_toggles_the_mark(answered, client, login, make_organiser):
    event, q, registration = answered
    login(make_organiser(event.series))
    db.session.commit()
    path = f"/series/{event.series.slug}/manage/questions"
    token = _csrf(client, path)

    assert client.post(f"{path}/{q['topic'].id}/answer-deletion/on", data={"csrf_token": token}).status_code == 302

    db.session.expire_all()
    assert db.session.get(Question, q["topic"].id).delete_answers_after_event is True
    assert f"{path}/{q['topic'].id}/answer-deletion/off" in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize("role", ["anonymous", "member", "other_organiser"])
def test_only_the_organisers_change_the_mark(answered, client, login, make_user, make_organiser, role):
    event, q, _ = answered
    token = _csrf(client, "/login")
    if role == "other_organiser":
        login(make_organiser())
    elif role == "member":
        login(make_user("member"))
    db.session.commit()

    response = client.post(
        f"/events/{event.id}/manage/questions/{q['role'].id}/answer-deletion/on", data={"csrf_token": token}
    )

    assert response.status_code == (302 if role == "anonymous" else 403)
    db.session.expire_all()
    assert db.session.get(Question, q["role"].id).delete_answers_after_event is False


def test_the_question_api_takes_and_shows_the_mark(client, admin, answered, assert_schema):
    event, q, _ = answered
    body = {"kind": "short_text", "label": "Allergies", "delete_answers_after_event": True}

    created = client.post(f"/api/v1/events/{event.id}/questions", json=body, headers=admin)

    assert created.status_code == 201, created.get_json()
    assert_schema(created.get_json(), "Question")
    assert created.get_json()["delete_answers_after_event"] is True
    assert db.session.get(Question, created.get_json()["id"]).delete_answers_after_event is True
    listed = client.get(f"/api/v1/series/{event.series.slug}/questions", headers=admin).get_json()["items"]
    assert {(item["label"], item["delete_answers_after_event"]) for item in listed} == {
        ("Wheelchair access", True), ("Topic you bring", False)
    }  # fmt: skip
    refused = client.post(f"/api/v1/events/{event.id}/questions", json={**body, "delete_answers_after_event": "yes"},
                          headers=admin)  # fmt: skip
    assert refused.status_code == 422
