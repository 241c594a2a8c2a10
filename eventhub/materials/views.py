"""The materials page of an event (/events/<id>/manage/materials), replacing and removing a material, and the
download route every link to a file points at.

Management: load → authorise → one service call → commit → redirect. The event's keepers and the owners of its
agenda items open the page; the services check that an owner touches only their items' materials. Downloads
follow the event's visibility (a members-only event's files are a 404 to outsiders) and are served safely
(``materials.files``: PDF and images inline, everything else as a download, never sniffed by the browser).
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from eventhub import clock
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.extensions import db
from eventhub.i18n import format_time_in_zone
from eventhub.materials import services
from eventhub.materials.files import is_inline
from eventhub.materials.forms import EVENT_ITSELF, MaterialForm, ReplaceForm
from eventhub.materials.models import Material
from eventhub.materials.permissions import can_manage_all_materials, items_user_may_attach_to
from eventhub.materials.presenters import manage_rows, may_open_materials
from eventhub.uploads import takes_upload
from eventhub.web import ConfirmForm, apply_domain_error, commit_or_flash, load_event_for, viewable_event

# Files shown in the browser (PDF, images) may load nothing else; downloads are sandboxed should a browser
# ever render one anyway.
INLINE_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
)
DOWNLOAD_POLICY = "sandbox; default-src 'none'"

bp = Blueprint("materials", __name__)


@bp.route("/events/<int:event_id>/manage/materials", methods=["GET", "POST"])
@takes_upload
def manage(event_id: int):
    """The event's materials, with a form to add a file or a link."""
    event = load_event_for(event_id, may_open_materials, joinedload(Event.series))
    items = items_user_may_attach_to(current_user, event, services.agenda_items_of(event))
    form = MaterialForm()
    form.agenda_item.choices = _item_choices(event, items)
    if form.validate_on_submit():
        try:
            _add(event, form)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The material is added."), "success")
            return redirect(url_for("materials.manage", event_id=event.id))
    return render_template(
        "materials/manage.html", event=event, form=form, replace=ReplaceForm(), rows=manage_rows(event, current_user)
    )


@bp.post("/events/<int:event_id>/manage/materials/<int:material_id>/replace")
@takes_upload
def replace(event_id: int, material_id: int):
    """Put a new file in place of a material's (same links, same place)."""
    event = load_event_for(event_id, may_open_materials)
    material = _material_or_404(event, material_id)
    form = ReplaceForm()
    if not form.validate_on_submit():
        abort(400)
    if commit_or_flash(lambda now: services.replace_file(material, _upload(form), _actor(), now)):
        flash(_("The file is replaced."), "success")
    return redirect(url_for("materials.manage", event_id=event.id))


@bp.route("/events/<int:event_id>/manage/materials/<int:material_id>/remove", methods=["GET", "POST"])
def remove(event_id: int, material_id: int):
    """Ask first (GET), then remove the material (POST)."""
    event = load_event_for(event_id, may_open_materials)
    material = _material_or_404(event, material_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda now: services.remove_material(material, _actor(), now)):
            flash(_("The material is removed."), "success")
        return redirect(url_for("materials.manage", event_id=event.id))
    return render_template("materials/remove.html", event=event, material=material, form=form)


@bp.get("/events/<int:event_id>/materials/<int:material_id>/<name>")
def download(event_id: int, material_id: int, name: str):
    """A file, for whoever may see the event; the name in the address is only for people and programs."""
    event = viewable_event(event_id)
    material = _material_or_404(event, material_id)
    if not material.is_file:
        return redirect(material.url or url_for("events.event", event_id=event.id))
    data = _or_404(lambda: services.read_file(material))
    inline = is_inline(material.content_type or "")
    response = send_file(
        io.BytesIO(data), mimetype=material.content_type, download_name=material.file_name,
        as_attachment=not inline, etag=material.file_key, conditional=False,
    )  # fmt: skip
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = INLINE_POLICY if inline else DOWNLOAD_POLICY
    return response


def _add(event: Event, form: MaterialForm) -> None:
    now, fields = clock.now(), _fields(form)
    if form.file.data and form.file.data.filename:
        services.attach_file(event, _upload(form), fields, _actor(), now)
    else:
        services.attach_link(event, form.url.data, fields, _actor(), now)
    db.session.commit()


def _fields(form: MaterialForm) -> dict[str, Any]:
    item = form.agenda_item.data
    return {
        "title": form.title.data,
        "agenda_item": None if item == EVENT_ITSELF else item,
        "dated_on": form.dated_on.data,
    }


def _upload(form: MaterialForm | ReplaceForm) -> services.Upload:
    storage = form.file.data
    data = storage.read() if storage else b""
    return services.Upload(data=data, file_name=getattr(storage, "filename", None))


def _item_choices(event: Event, items: list[Any]) -> list[tuple[int, str]]:
    """The whole event (for its keepers) and the agenda items the viewer may attach to, by start time."""
    whole = [(EVENT_ITSELF, _("The whole event"))] if can_manage_all_materials(current_user, event) else []
    return whole + [(item.id, f"{format_time_in_zone(item.starts_at, event.timezone)} {item.title}") for item in items]


def _material_or_404(event: Event, material_id: int) -> Material:
    return _or_404(lambda: services.get_material(event, material_id))


def _or_404(load):
    try:
        return load()
    except DomainError:
        abort(404)


def _actor() -> Any:
    return current_user._get_current_object()
