"""Opening the minutes editor or the attendance page writes nothing: a meeting without minutes shows an empty
draft, and the row appears only when something is saved (one commit per request, never on GET)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.minutes.models import Minutes
from tests.conftest import csrf_token_from


def minutes_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count(Minutes.id)))


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """Every commit a view makes (the commit still happens)."""
    made: list[None] = []
    commit = db.session.commit

    def counting() -> None:
        made.append(None)
        commit()

    monkeypatch.setattr(db.session, "commit", counting)
    return made


@pytest.mark.parametrize("page", ["minutes/edit", "attendance"])
def test_opening_a_page_of_a_meeting_without_minutes_creates_no_row(client, taskforce, login, commits, page):
    login(taskforce.secretary)
    commits.clear()

    response = client.get(f"/events/{taskforce.meeting3.id}/{page}")

    assert response.status_code == 200
    assert commits == [] and minutes_rows() == 0


def test_saving_the_empty_draft_creates_the_row_in_one_commit(client, taskforce, login, commits):
    login(taskforce.secretary)
    path = f"/events/{taskforce.meeting3.id}/minutes/edit"
    page = client.get(path).get_data(as_text=True)
    commits.clear()

    response = client.post(path, data={"body": "# Referat", "csrf_token": csrf_token_from(page)})

    assert response.status_code == 302 and len(commits) == 1
    assert db.session.scalar(sa.select(Minutes.body)) == "# Referat"
