"""/api/v1/events/<id>/minutes: the limits and the two documented shapes of the answer."""

from __future__ import annotations


def test_the_api_takes_a_minutes_body_as_long_as_the_web_form_does(client, taskforce, bearer):
    path = f"/api/v1/events/{taskforce.meeting3.id}/minutes"
    headers = bearer(taskforce.secretary)

    long_enough = client.put(path, json={"body": "x" * 200_000}, headers=headers)
    too_long = client.put(path, json={"body": "x" * 200_001}, headers=headers)

    assert long_enough.status_code == 200, long_enough.get_json()
    assert too_long.status_code == 422
    assert set(too_long.get_json()["error"]["fields"]) == {"body"}


def test_editors_get_the_draft_shape_and_readers_the_published_one(client, taskforce, bearer, assert_schema):
    path = f"/api/v1/events/{taskforce.meeting3.id}/minutes"
    secretary = bearer(taskforce.secretary)
    body = {
        "body": "# Referat",
        "attendees": [taskforce.member.email],
        "action_items": [{"what": "Send slides", "due": "2022-12-07"}],
    }
    assert client.put(path, json=body, headers=secretary).status_code == 200
    assert client.post(f"{path}/publish", json={"change_note": "First"}, headers=secretary).status_code == 201

    draft = client.get(path, headers=secretary).get_json()
    published = client.get(path, headers=bearer(taskforce.member)).get_json()

    assert_schema(draft, "MinutesDraft")
    assert_schema(published, "PublishedMinutes")
    assert (draft["published_version"], published["version"], published["change_note"]) == (1, 1, "First")


def test_a_person_may_be_an_email_or_an_object_and_errors_name_the_entry(client, taskforce, bearer):
    path = f"/api/v1/events/{taskforce.meeting3.id}/minutes"
    attendees = ["new@example.org", {"email": "other@example.org", "name": "Other"}, {"email": "x\u0000@example.org"}]

    response = client.put(path, json={"body": "b", "attendees": attendees}, headers=bearer(taskforce.secretary))

    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"attendees[2].email"}
