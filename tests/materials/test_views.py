"""The materials page, downloads and where materials appear: the event page, the published minutes and their
email, the series' archive and the event's calendar (ATTACH, read back with vobject)."""

from __future__ import annotations

import io

import sqlalchemy as sa
import vobject

from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.materials.models import Material
from eventhub.materials.services import attach_link
from eventhub.minutes import emails
from eventhub.minutes import services as minutes_services
from tests.conftest import csrf_token_from
from tests.materials.conftest import HTML, PDF, PNG, SVG

PAGE = "/events/{id}/manage/materials"


def _upload(client, event, data: bytes, name: str, **fields):
    page = client.get(PAGE.format(id=event.id)).get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "title": "Slides", "agenda_item": "0", **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post(PAGE.format(id=event.id), data=form, content_type="multipart/form-data")


def _download(client, material: Material):
    return client.get(f"/events/{material.event_id}/materials/{material.id}/{material.file_name}")


def _only_material() -> Material:
    return db.session.scalars(sa.select(Material)).one()


def test_a_secretary_uploads_replaces_and_removes_on_the_page(client, login, taskforce, stored_files, swept):
    login(taskforce.secretary)
    event = taskforce.meeting3
    response = _upload(client, event, PDF, "Slides 2022.pdf", dated_on="2022-11-15")
    assert response.status_code == 302
    material = _only_material()
    assert (material.title, material.content_type, material.file_name) == (
        "Slides",
        "application/pdf",
        "Slides 2022.pdf",
    )
    assert "Slides" in client.get(PAGE.format(id=event.id)).get_data(as_text=True)

    token = csrf_token_from(client.get(PAGE.format(id=event.id)).get_data(as_text=True))
    replaced = client.post(
        f"/events/{event.id}/manage/materials/{material.id}/replace",
        data={"csrf_token": token, "file": (io.BytesIO(PNG), "photo.png")}, content_type="multipart/form-data",
    )  # fmt: skip
    assert replaced.status_code == 302
    db.session.refresh(material)
    assert material.content_type == "image/png" and stored_files() == 2  # the PDF until the sweep

    confirm = client.get(f"/events/{event.id}/manage/materials/{material.id}/remove")
    assert confirm.status_code == 200 and "Remove Slides?" in confirm.get_data(as_text=True)
    removed = client.post(
        f"/events/{event.id}/manage/materials/{material.id}/remove",
        data={"csrf_token": csrf_token_from(confirm.get_data(as_text=True))},
    )
    assert removed.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0 and stored_files() == 2
    assert len(swept()) == 2 and stored_files() == 0


def test_a_link_is_added_and_a_bad_one_is_a_field_error(client, login, taskforce):
    login(taskforce.organiser)
    body = _upload(client, taskforce.meeting3, None, "", url="ftp://example.org/x").get_data(as_text=True)
    assert "an http:// or https:// URL" in body
    assert _upload(client, taskforce.meeting3, None, "", url="https://buysocial.ie").status_code == 302
    assert _only_material().url == "https://buysocial.ie"


def test_a_30_mb_upload_is_413_on_the_page_without_anything_stored(client, login, taskforce, stored_files):
    login(taskforce.secretary)
    response = _upload(client, taskforce.meeting3, PDF + b"0" * (30 * 1024 * 1024), "huge.pdf")
    assert response.status_code == 413
    assert "<html" in response.get_data(as_text=True).lower()  # the site's error page, in the layout
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0 and stored_files() == 0


def test_pdf_and_images_show_inline_html_and_svg_download_with_nosniff(client, login, taskforce, attach):
    event = taskforce.meeting3
    expected = {
        "slides.pdf": (PDF, "application/pdf", "inline"),
        "photo.png": (PNG, "image/png", "inline"),
        "page.html": (HTML, "application/octet-stream", "attachment"),
        "logo.svg": (SVG, "application/octet-stream", "attachment"),
    }
    materials = {
        name: attach(event, taskforce.secretary, data=data, name=name) for name, (data, _t, _d) in expected.items()
    }
    login(taskforce.member)
    for name, (data, content_type, disposition) in expected.items():
        response = _download(client, materials[name])
        assert response.status_code == 200, name
        assert response.data == data
        assert response.mimetype == content_type
        assert response.headers["Content-Disposition"].startswith(disposition), name
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        if disposition == "attachment":
            assert "sandbox" in response.headers["Content-Security-Policy"]


def test_members_only_files_are_404_to_outsiders(client, login, taskforce, attach):
    material = attach(taskforce.meeting3, taskforce.secretary)
    assert _download(client, material).status_code == 404  # anonymous
    login(taskforce.outsider)
    assert _download(client, material).status_code == 404
    assert client.get(f"/events/{material.event_id}").status_code == 404


def test_members_only_files_are_200_to_members(client, login, taskforce, attach):
    material = attach(taskforce.meeting3, taskforce.secretary)
    login(taskforce.member)
    assert _download(client, material).status_code == 200


def test_a_member_without_a_password_gets_the_file_through_the_emailed_personal_link(client, taskforce, attach, now):
    material = attach(taskforce.meeting3, taskforce.secretary)
    member = taskforce.people["Incita"]  # a member without an account
    [entry] = emails.reader_material_links(taskforce.meeting3, member, now)
    db.session.commit()
    assert "/sign-in/" in entry.href
    path = entry.href.removeprefix("http://eventhub.test")
    signed_in = client.post(path, data={"csrf_token": csrf_token_from(client.get(path).get_data(as_text=True))})
    assert signed_in.headers["Location"].endswith(f"/materials/{material.id}/slides.pdf")
    assert client.get(signed_in.headers["Location"]).status_code == 200


def test_materials_appear_on_the_event_page_by_agenda_item(client, login, taskforce, attach, now):
    from eventhub.agenda.services import publish_agenda, replace_agenda

    event = taskforce.meeting3
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None).isoformat()
    [item] = replace_agenda(event, [{"starts_at": start, "duration_minutes": 30, "title": "Criteria"}], now).items
    publish_agenda(event, now)
    attach(event, taskforce.secretary, title="Programme")
    attach(event, taskforce.secretary, title="Draft criteria", agenda_item=item.id)
    login(taskforce.member)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    section = page[page.index('id="materials-heading"') :]
    assert section.index("Programme") < section.index("<h3>Criteria</h3>") < section.index("Draft criteria")


def test_materials_appear_in_the_published_minutes_their_email_and_the_archive(client, login, taskforce, attach, now):
    event = taskforce.meeting3
    material = attach(event, taskforce.secretary, title="Report on social clauses")
    minutes_services.update_minutes(event, {"body": "Referat."}, now)
    emails.publish_minutes(event, now, taskforce.secretary.person)
    db.session.commit()
    href = f"/events/{event.id}/materials/{material.id}/slides.pdf"
    login(taskforce.member)
    published = client.get(f"/series/{taskforce.series.slug}/minutes/3").get_data(as_text=True)
    assert "Report on social clauses" in published and href in published
    archive = client.get(f"/series/{taskforce.series.slug}/minutes").get_data(as_text=True)
    assert "Report on social clauses" in archive and href in archive
    message = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "minutes_published")).first()
    assert "Report on social clauses" in message.body_text and "Report on social clauses" in message.body_html
    assert "/sign-in/" in message.body_text  # members-only: the file behind the member's personal link


def test_the_event_calendar_lists_materials_as_attach(client, make_event, make_user, now, attach):
    event = make_event()  # public
    admin = make_user("admin")
    pdf = attach(event, admin, title="Programme")
    attach_link(event, "https://buysocial.ie/report", {"title": "Report"}, admin, now)
    db.session.commit()
    response = client.get(f"/events/{event.id}.ics")
    calendar = vobject.readOne(response.get_data(as_text=True))
    attachments = calendar.vevent.contents["attach"]
    by_url = {line.value: line.params.get("FMTTYPE") for line in attachments}
    assert by_url == {
        f"http://eventhub.test/events/{event.id}/materials/{pdf.id}/slides.pdf": ["application/pdf"],
        "https://buysocial.ie/report": None,
    }


def test_an_agenda_item_owner_reaches_the_page_and_attaches_to_their_item_only(client, login, taskforce, now):
    from eventhub.agenda.services import publish_agenda, replace_agenda

    event, owner = taskforce.meeting3, taskforce.member  # a plain member of the series, who presents an item
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None).isoformat()
    rows = [{"starts_at": start, "duration_minutes": 30, "title": "Criteria", "owner": owner.email}]
    [item] = replace_agenda(event, rows, now).items
    publish_agenda(event, now)
    db.session.commit()
    login(owner)
    event_page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}/manage/materials"' in event_page  # under "Manage this event"
    page = client.get(PAGE.format(id=event.id)).get_data(as_text=True)
    assert "The whole event" not in page and "Criteria" in page
    assert _upload(client, event, PDF, "c.pdf", agenda_item=str(item.id)).status_code == 302
    assert _only_material().agenda_item_id == item.id
    refused = _upload(client, event, PDF, "c.pdf", agenda_item="0")  # not a choice offered to them
    assert refused.status_code == 200 and db.session.scalar(sa.select(sa.func.count(Material.id))) == 1


def test_a_new_material_changes_the_calendar_etag(client, make_event, make_user, attach, frozen_clock):
    from datetime import timedelta

    event = make_event()
    db.session.commit()
    before = client.get(f"/events/{event.id}.ics").headers["ETag"]
    frozen_clock.advance(timedelta(minutes=5))
    attach(event, make_user("admin"))
    after = client.get(f"/events/{event.id}.ics")
    assert after.headers["ETag"] != before and b"ATTACH;FMTTYPE=application/pdf:" in after.data
