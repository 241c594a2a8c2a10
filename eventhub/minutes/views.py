"""Minutes pages: the secretary's editor, attendance, circulation for comments, publication, and the public
shape of the archive (/series/<slug>/minutes, /series/<slug>/minutes/<number>[/v<version>], .md, /print).

Members-only minutes are a 404 for whoever may not see them; editing pages send anonymous visitors to log in
and answer 403 to people who may see the meeting but not edit its minutes (organisers who are not secretaries
of the series included).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from eventhub import clock
from eventhub.errors import DomainError, NotFound
from eventhub.events.models import Event
from eventhub.events.services import get_event
from eventhub.extensions import db
from eventhub.materials.presenters import material_links, materials_for_events
from eventhub.minutes import services
from eventhub.minutes.attendance import add_walk_in, attendees_of, expected_attendees, set_attendance
from eventhub.minutes.emails import circulate_minutes, publication_recipients, publish_minutes
from eventhub.minutes.forms import BLANK_ROWS, AttendanceForm, CommentForm, MinutesForm, PublishForm, WalkInForm
from eventhub.minutes.models import Minutes
from eventhub.minutes.permissions import (
    can_comment_on_minutes,
    can_edit_minutes,
    can_view_minutes,
    visible_published_minutes,
)
from eventhub.minutes.presenters import version_as_markdown, version_view
from eventhub.minutes.publication import PublishedMinutes, get_published, published_minutes_of, version_diff
from eventhub.minutes.rendering import render_markdown
from eventhub.web import ConfirmForm, apply_domain_error, commit_or_flash, load_event_for, viewable_series

bp = Blueprint("minutes", __name__)


# ---------------------------------------------------------------------------------------------------------
# Editing (secretaries of the series and admins)
# ---------------------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/minutes/edit", methods=["GET", "POST"])
def edit(event_id: int):
    """The working copy: Markdown body and structured parts; comments from the circulated draft below."""
    event = load_event_for(event_id, can_edit_minutes)
    minutes = _minutes_or_conflict(event)
    form = MinutesForm() if _is_post() else MinutesForm(data=_form_data(minutes))
    _pad(form)
    if form.validate_on_submit():
        try:
            services.update_minutes(event, _minutes_input(form), clock.now())
            db.session.commit()
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            flash(_("The draft is saved."), "success")
            return redirect(url_for("minutes.edit", event_id=event.id))
    return render_template(
        "minutes/edit.html", event=event, minutes=minutes, form=form, confirm=ConfirmForm(),
        can_draft=minutes.can_draft_from_agenda(),
        preview=render_markdown(minutes.body), comments=services.comments_on(minutes),
        attendees=attendees_of(event),
    )  # fmt: skip


@bp.post("/events/<int:event_id>/minutes/draft")
def draft(event_id: int):
    """Start the body from the agenda (one section per item)."""
    event = load_event_for(event_id, can_edit_minutes)
    return _act(event, lambda now: services.draft_from_agenda(event, now), _("The draft was started from the agenda."))


@bp.post("/events/<int:event_id>/minutes/circulate")
def circulate(event_id: int):
    """Email the attendees a link to comment on the draft."""
    event = load_event_for(event_id, can_edit_minutes)
    return _act(
        event,
        lambda now: circulate_minutes(event, now, _actor()),
        _("The draft was sent to the attendees for comments."),
    )


@bp.route("/events/<int:event_id>/minutes/publish", methods=["GET", "POST"])
def publish(event_id: int):
    """Ask first (GET: which version, how many members are emailed), then publish the next version and email
    the series' members (POST): publishing cannot be taken back, the emails go out."""
    event = load_event_for(event_id, can_edit_minutes)
    form = PublishForm()
    if request.method == "GET":
        minutes = _minutes_or_conflict(event)
        return render_template(
            "minutes/publish.html", event=event, minutes=minutes, form=form,
            recipients=len(publication_recipients(event)),
        )  # fmt: skip
    if not form.validate_on_submit():
        abort(400)
    note = form.change_note.data or ""
    if _act_ok(event, lambda now: publish_minutes(event, now, _actor().person, note, account=_actor())):
        flash(_("The minutes are published."), "success")
        return redirect(url_for("minutes.published", slug=event.series.slug, number=event.number))
    return redirect(url_for("minutes.edit", event_id=event.id))


def _act(event: Event, action, done: str):
    if _act_ok(event, action):
        flash(done, "success")
    return redirect(url_for("minutes.edit", event_id=event.id))


def _act_ok(event: Event, action) -> bool:
    """Run one service call with CSRF checked; a DomainError becomes an error message instead of a change."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return commit_or_flash(action)


@bp.route("/events/<int:event_id>/attendance", methods=["GET", "POST"])
def attendance(event_id: int):
    """Tick who was there; add someone who came unannounced."""
    event = load_event_for(event_id, can_edit_minutes)
    _minutes_or_conflict(event)
    people = {p.id: p for p in [*expected_attendees(event), *attendees_of(event)]}
    form, walk_in = AttendanceForm(prefix="att"), WalkInForm(prefix="walkin")
    ordered = sorted(people.values(), key=lambda p: p.name.lower())
    form.present.choices = [SelectChoice(p.id, p.display_name) for p in ordered]
    if walk_in.add.data and walk_in.validate_on_submit():
        add_walk_in(event, walk_in.email.data, walk_in.name.data, walk_in.organisation.data or None, clock.now())
        db.session.commit()
        return redirect(url_for("minutes.attendance", event_id=event.id))
    if form.save.data and form.validate_on_submit():
        set_attendance(event, [people[i] for i in form.present.data], clock.now())
        db.session.commit()
        flash(_("Attendance is saved."), "success")
        return redirect(url_for("minutes.attendance", event_id=event.id))
    if not form.is_submitted():
        form.present.data = [p.id for p in attendees_of(event)]
    return render_template("minutes/attendance.html", event=event, form=form, walk_in=walk_in)


# ---------------------------------------------------------------------------------------------------------
# Comments on a circulated draft
# ---------------------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/minutes/comments", methods=["GET", "POST"])
def comments(event_id: int):
    """Attendees and members read the circulated draft and comment; the secretary sees every comment."""
    event = _event_to_comment_on(event_id)
    minutes = services.find_minutes(event)
    form = CommentForm()
    if form.validate_on_submit():
        services.add_comment(minutes, _actor().person, form.body.data, clock.now())
        db.session.commit()
        flash(_("Thank you, your comment was sent to the secretary."), "success")
        return redirect(url_for("minutes.comments", event_id=event.id))
    shown = services.comments_on(minutes) if can_edit_minutes(current_user, event) else [
        c for c in services.comments_on(minutes) if c.person_id == current_user.person_id
    ]  # fmt: skip
    return render_template(
        "minutes/comments.html",
        event=event,
        minutes=minutes,
        draft=render_markdown(minutes.body),
        form=form,
        comments=shown,
    )


def _event_to_comment_on(event_id: int) -> Event:
    """The event whose draft the visitor may comment on. The draft was emailed to the attendees, so an attendee
    may comment even where they may not see the event otherwise (a guest at a members-only meeting); everyone
    else is answered as ``load_event_for`` answers (404, the login page or 403)."""
    if current_user.is_authenticated:
        try:
            event = get_event(event_id)
        except NotFound:
            abort(404)
        if _commentable(current_user, event):
            return event
    return load_event_for(event_id, lambda user, ev: _commentable(user, ev))


def _commentable(user: Any, event: Event) -> bool:
    minutes = services.find_minutes(event) if event.series is not None else None
    return minutes is not None and can_comment_on_minutes(user, minutes)


# ---------------------------------------------------------------------------------------------------------
# Published minutes (public shape: keep these URLs)
# ---------------------------------------------------------------------------------------------------------


@bp.get("/series/<slug>/minutes")
def archive(slug: str):
    """A series' published minutes, newest first, with date, number and attendees."""
    series = viewable_series(slug)
    entries = visible_published_minutes(current_user, published_minutes_of(series))
    materials = materials_for_events([entry.event.id for entry in entries])
    return render_template(
        "minutes/archive.html", series=series, entries=entries, view=version_view, materials=materials
    )


@bp.get("/series/<slug>/minutes/<int:number>")
def published(slug: str, number: int):
    """The latest published version of meeting ``number``'s minutes."""
    return _render_version(slug, number, None, "minutes/published.html")


@bp.get("/series/<slug>/minutes/<int:number>/v<int:version>")
def version(slug: str, number: int, version: int):
    """An earlier (or the latest) version, with what it changed."""
    return _render_version(slug, number, version, "minutes/published.html")


@bp.get("/series/<slug>/minutes/<int:number>/print")
def print_view(slug: str, number: int):
    """A print-friendly page (print it, or save it as PDF from the browser)."""
    return _render_version(slug, number, None, "minutes/print.html")


@bp.get("/series/<slug>/minutes/<int:number>.md")
def markdown(slug: str, number: int):
    """The minutes as a Markdown file."""
    entry = _viewable_published(slug, number, None)
    text = version_as_markdown(entry.version.body, entry.version.parts)
    filename = f"{entry.event.series.slug}-{number}-v{entry.version.number}.md"
    return Response(
        text,
        content_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _render_version(slug: str, number: int, version_number: int | None, template: str):
    entry = _viewable_published(slug, number, version_number)
    return render_template(
        template, series=entry.event.series, event=entry.event, minutes=entry.minutes, version=entry.version,
        view=version_view(entry.version.body, entry.version.parts), diff=version_diff(entry.minutes, entry.version),
        can_edit=can_edit_minutes(current_user, entry.event), materials=material_links(entry.event),
    )  # fmt: skip


def _viewable_published(slug: str, number: int, version_number: int | None) -> PublishedMinutes:
    series = viewable_series(slug)
    entry = get_published(series, number, version_number)
    if not can_view_minutes(current_user, entry.event):
        abort(404)
    return entry


# ---------------------------------------------------------------------------------------------------------
# Form <-> service input
# ---------------------------------------------------------------------------------------------------------


def _actor() -> Any:
    """The logged-in user itself, not the request-bound proxy: services keep what they are given."""
    return current_user._get_current_object()


def _is_post() -> bool:
    return request.method == "POST"


def _minutes_or_conflict(event: Event) -> Minutes:
    """Read-only: an event without minutes shows an empty draft; the service that saves creates the row."""
    try:
        return services.working_copy(event)
    except DomainError as exc:
        abort(409, exc.message)


def _form_data(minutes: Minutes) -> dict[str, Any]:
    data = services.minutes_json(minutes)
    return {
        "body": data["body"],
        "decisions": "\n".join(data["decisions"]),
        "round_table": data["round_table"],
        "action_items": [
            {**item, "due": minutes.action_items[i].due_on, "owner": item["owner"] or ""}
            for i, item in enumerate(data["action_items"])
        ],
        "deadlines": [
            {**d, "date": minutes.deadlines[i].due_on, "link": d["link"] or ""} for i, d in enumerate(data["deadlines"])
        ],
        "materials": [{**m, "link": m.get("link") or ""} for m in data["materials"]],
        "next_meeting": data["next_meeting"] or "",
    }


def _pad(form: MinutesForm) -> None:
    for rows in (form.round_table, form.action_items, form.deadlines, form.materials):
        for _ in range(BLANK_ROWS):
            rows.append_entry()


def _minutes_input(form: MinutesForm) -> dict[str, Any]:
    """The form as the service's input; rows whose first field is blank are left out."""
    return {
        "body": form.body.data or "",
        "decisions": [line.strip() for line in (form.decisions.data or "").splitlines() if line.strip()],
        "round_table": [
            {"person": r.person.data.strip(), "text": r.text.data or ""} for r in _filled(form.round_table, "person")
        ],
        "action_items": [
            {"what": r.what.data, "owner": r.owner.data or None, "due": r.due.data.isoformat() if r.due.data else None}
            for r in _filled(form.action_items, "what")
        ],
        "deadlines": [
            {
                "title": r.title.data,
                "date": r.date.data.isoformat() if r.date.data else None,
                "link": r.link.data or None,
            }
            for r in _filled(form.deadlines, "title")
        ],
        "materials": [
            {"title": r.title.data, "description": r.description.data or "", "link": r.link.data or None}
            for r in _filled(form.materials, "title")
        ],
        "next_meeting": form.next_meeting.data or None,
    }


def _filled(rows, first: str) -> list[Any]:
    return [entry.form for entry in rows.entries if (getattr(entry.form, first).data or "").strip()]
