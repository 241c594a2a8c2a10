"""The rules of materials, called directly: attach, replace, remove, who may, what is stored and audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from eventhub.agenda.services import replace_agenda
from eventhub.audit.models import AuditEntry
from eventhub.errors import NotAllowed, ValidationFailed
from eventhub.extensions import db
from eventhub.materials import services
from eventhub.materials.files import safe_file_name, sniff_content_type
from eventhub.materials.models import Material
from eventhub.materials.services import FileTooLarge, Upload
from tests.materials.conftest import HTML, PDF, PNG, SVG


def _agenda(event, now, owner_email=None):
    start = event.starts_at.astimezone(event.zone).replace(tzinfo=None)
    rows = [
        {"starts_at": start.isoformat(), "duration_minutes": 10, "title": "Welcome"},
        {
            "starts_at": (start + timedelta(minutes=10)).isoformat(),
            "duration_minutes": 20,
            "title": "Criteria for cleaning services",
            "owner": owner_email,
        },
    ]
    agenda = replace_agenda(event, rows, now)
    db.session.commit()
    return sorted(agenda.items, key=lambda item: item.starts_at)


def _actions() -> list[str]:
    query = sa.select(AuditEntry.action).where(AuditEntry.action.like("material.%")).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def test_attaching_a_file_stores_it_once_by_content_and_audits(taskforce, attach, stored_files, now):
    event = taskforce.meeting3
    first = attach(event, taskforce.secretary, dated_on="2022-11-15")
    second = attach(event, taskforce.organiser, title="Slides again")
    assert (first.content_type, first.size, first.file_name) == ("application/pdf", len(PDF), "slides.pdf")
    assert first.dated_on == date(2022, 11, 15)
    assert first.file_key == second.file_key and stored_files() == 1
    assert services.read_file(first) == PDF
    assert _actions() == ["material.added", "material.added"]
    assert event.updated_at == now  # materials_changed: the calendar entry changed


def test_the_type_comes_from_the_bytes_not_the_name():
    assert sniff_content_type(HTML, "report.pdf") == "application/octet-stream"
    assert sniff_content_type(SVG, "logo.svg") == "application/octet-stream"
    assert sniff_content_type(PNG, "notes.txt") == "image/png"
    assert sniff_content_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_content_type(b"GIF89a...") == "image/gif"
    assert sniff_content_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_content_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "old.DOC") == "application/msword"


def test_office_documents_are_recognised_from_their_container(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert sniff_content_type(buffer.getvalue(), "x.bin").endswith("wordprocessingml.document")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert sniff_content_type(buffer.getvalue()) == "application/vnd.oasis.opendocument.text"
    assert sniff_content_type(b"PK\x03\x04broken") == "application/octet-stream"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\anna\\Slides 2022.pdf", "Slides 2022.pdf"),
        (".htaccess", "htaccess"),
        ('evil"; name=x\r\n.pdf', "evil_ name_x.pdf"),
        ("", "file.pdf"),
        ("Præsentation – ÆØÅ.pptx", "Præsentation _ ÆØÅ.pptx"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_file_names_are_sanitised(given, stored):
    assert safe_file_name(given, "application/pdf") == stored


def test_a_link_needs_an_http_address(taskforce, now):
    with pytest.raises(ValidationFailed) as refused:
        services.attach_link(taskforce.meeting3, "javascript:alert(1)", {"title": "X"}, taskforce.secretary, now)
    assert set(refused.value.fields) == {"url"}
    link = services.attach_link(
        taskforce.meeting3, "https://buysocial.ie/report", {"title": "Report"}, taskforce.secretary, now
    )
    assert link.url == "https://buysocial.ie/report" and not link.is_file


def test_bad_fields_are_all_named_and_nothing_is_kept(taskforce, now, stored_files):
    with pytest.raises(ValidationFailed) as refused:
        services.attach_file(
            taskforce.meeting3, Upload(b"", "x.pdf"), {"title": " ", "agenda_item": 999_999, "dated_on": "15/11"},
            taskforce.secretary, now,
        )  # fmt: skip
    assert set(refused.value.fields) == {"title", "agenda_item", "dated_on"}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0 and stored_files() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_stored(app, taskforce, now, stored_files):
    app.config["MAX_UPLOAD_MB"] = 1
    with pytest.raises(FileTooLarge):
        services.attach_file(
            taskforce.meeting3, Upload(PDF + b"0" * 1024 * 1024, "big.pdf"), {"title": "Big"}, taskforce.secretary, now
        )
    assert stored_files() == 0


def test_an_item_owner_attaches_to_their_item_only(taskforce, make_user, now):
    owner = make_user("member", email="speaker@example.org")
    welcome, criteria = _agenda(taskforce.meeting3, now, owner_email="speaker@example.org")
    upload = Upload(PDF, "criteria.pdf")
    material = services.attach_file(
        taskforce.meeting3, upload, {"title": "Draft", "agenda_item": criteria.id}, owner, now
    )
    assert material.agenda_item == criteria
    for item in (welcome.id, None):
        with pytest.raises(NotAllowed):
            services.attach_file(taskforce.meeting3, upload, {"title": "X", "agenda_item": item}, owner, now)
    other = services.attach_file(taskforce.meeting3, upload, {"title": "Event's"}, taskforce.secretary, now)
    with pytest.raises(NotAllowed):
        services.remove_material(other, owner, now)
    services.remove_material(material, owner, now)


def test_materials_stay_on_their_item_when_the_agenda_is_edited(taskforce, now):
    _welcome, criteria = _agenda(taskforce.meeting3, now)
    material = services.attach_file(
        taskforce.meeting3, Upload(PDF, "c.pdf"), {"title": "Draft", "agenda_item": criteria.id},
        taskforce.secretary, now,
    )  # fmt: skip
    db.session.commit()
    _agenda(taskforce.meeting3, now + timedelta(minutes=1))  # saved again, same items
    db.session.refresh(material)
    assert material.agenda_item is not None and material.agenda_item.title == "Criteria for cleaning services"
    replace_agenda(taskforce.meeting3, [], now)  # the item is gone: the material stays on the event
    db.session.commit()
    db.session.refresh(material)
    assert material.agenda_item_id is None


def test_replacing_keeps_the_material_and_leaves_the_old_bytes_to_the_sweep(
    taskforce, attach, stored_files, swept, now
):
    material = attach(taskforce.meeting3, taskforce.secretary)
    key = material.file_key
    services.replace_file(material, Upload(PNG, "photo.png"), taskforce.secretary, now)
    db.session.commit()
    assert (material.content_type, material.file_name) == ("image/png", "photo.png")
    assert material.file_key != key and stored_files() == 2
    assert _actions()[-1] == "material.replaced"
    assert swept() == [key] and services.read_file(material) == PNG


def test_removing_leaves_to_the_sweep_only_bytes_no_other_material_uses(taskforce, attach, stored_files, swept, now):
    first = attach(taskforce.meeting3, taskforce.secretary)
    second = attach(taskforce.meeting4, taskforce.secretary)
    services.remove_material(first, taskforce.secretary, now)
    db.session.commit()
    assert swept() == [] and stored_files() == 1 and services.read_file(second) == PDF
    services.remove_material(second, taskforce.secretary, now)
    db.session.commit()
    assert swept() == [second.file_key] and stored_files() == 0
    assert _actions()[-2:] == ["material.removed", "material.removed"]


def test_a_removal_rolled_back_keeps_the_file(taskforce, attach, stored_files, now):
    material = attach(taskforce.meeting3, taskforce.secretary)
    services.remove_material(material, taskforce.secretary, now)
    db.session.rollback()
    assert stored_files() == 1
    assert services.read_file(db.session.get(Material, material.id)) == PDF
