"""Control characters in agenda text are refused in every field, through the service, the web form and the API,
so none reaches the event's .ics (issue 10, defect 10)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.agenda.services import agenda_as_text, publish_agenda, replace_agenda
from eventhub.errors import ValidationFailed
from eventhub.extensions import db
from tests.conftest import csrf_token_from

CONTROLS = ("\x0b", "\x1b", "\x07")
TEXT_FIELDS = ("title", "description", "owner")


def _item(event, **text):
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None)
    ends = start + timedelta(minutes=10)
    item = {"starts_at": start.isoformat(), "ends_at": ends.isoformat(), "title": "Velkommen"}
    return {**item, "owner": "Per Bach og Anne Rahbek", "description": "Kort velkomst", **text}


@pytest.fixture
def event(make_event, now):
    event = make_event(starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=2))
    db.session.commit()
    return event


@pytest.mark.parametrize("control", CONTROLS)
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_service_refuses_a_control_character_in_every_text_field(event, now, field, control):
    with pytest.raises(ValidationFailed) as refused:
        replace_agenda(event, [_item(event, **{field: f"Per{control}Bach"})], now)
    assert f"items[0].{field}" in refused.value.fields


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_web_form_refuses_them_and_keeps_nothing(client, event, make_user, login, field):
    login(make_user("admin"))
    page = client.get(f"/events/{event.id}/agenda/edit").get_data(as_text=True)
    item = _item(event, **{field: "Per\x1b[31mBach\x07"})
    data = {"csrf_token": csrf_token_from(page), "items-0-kind": "other"}
    data.update({f"items-0-{name}": item[name] for name in TEXT_FIELDS})
    data.update({f"items-0-{name}": item[name][11:16] for name in ("starts_at", "ends_at")})
    data["items-0-day"] = item["starts_at"][:10]
    response = client.post(f"/events/{event.id}/agenda/edit", data=data)
    assert response.status_code in (200, 422)
    assert "control characters" in response.get_data(as_text=True)
    assert agenda_as_text(event) == "" and "\x1b" not in client.get(f"/events/{event.id}.ics").get_data(as_text=True)


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_api_refuses_them(client, event, api_token, field):
    headers = {"Authorization": f"Bearer {api_token('admin')}"}
    body = {"items": [_item(event, **{field: "Per\x0bBach\x07"})], "published": True}
    response = client.put(f"/api/v1/events/{event.id}/agenda", json=body, headers=headers)
    assert response.status_code == 422
    assert any(name.startswith(f"items[0].{field}") for name in response.get_json()["error"]["fields"])


def test_a_clean_agenda_reaches_the_ics_and_no_control_character_does(client, event, now):
    replace_agenda(event, [_item(event)], now)
    for field in TEXT_FIELDS:
        with pytest.raises(ValidationFailed):
            replace_agenda(event, [_item(event, **{field: "x\x0b\x1b\x07y"})], now)
    publish_agenda(event, now)
    db.session.commit()
    ics = client.get(f"/events/{event.id}.ics").get_data(as_text=True)
    assert "Velkommen" in ics and "Per Bach og Anne Rahbek" in ics
    assert not any(control in ics for control in CONTROLS)
