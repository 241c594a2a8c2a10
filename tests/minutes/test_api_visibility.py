"""The API's minutes archive hides what the HTML archive hides: a members-only meeting of a public series."""

from eventhub.events.services import add_series_member


def test_members_only_meeting_minutes_are_not_listed_to_outsiders(
    client, make_series, make_event, make_user, bearer, commit
):
    series = make_series(slug="cospro", title="COSPRO", visibility="public")
    public = make_event(
        title="Webinar 1", series=series.slug, starts_at="2021-03-10T10:00:00", ends_at="2021-03-10T11:30:00"
    )
    private = make_event(
        title="Partners only",
        series=series.slug,
        visibility="members",
        starts_at="2021-04-10T10:00:00",
        ends_at="2021-04-10T11:30:00",
    )
    admin, member, outsider = make_user("admin"), make_user("member"), make_user("member")
    add_series_member(series, member.email)
    commit()
    admin_headers = bearer(admin)
    for event in (public, private):
        assert (
            client.put(
                f"/api/v1/events/{event.id}/minutes", json={"body": "# Referat"}, headers=admin_headers
            ).status_code
            == 200
        )
        assert client.post(f"/api/v1/events/{event.id}/minutes/publish", headers=admin_headers).status_code == 201

    def listed(user) -> set[str]:
        response = client.get("/api/v1/series/cospro/minutes", headers=bearer(user))
        assert response.status_code == 200
        return {item["title"] for item in response.get_json()["items"]}

    assert listed(outsider) == {"Webinar 1"}
    assert listed(member) == {"Webinar 1", "Partners only"}
    assert listed(admin) == {"Webinar 1", "Partners only"}
