"""/privacy: the privacy notice, and a person's own export and erasure through an emailed link (no account needed).

Asking for the link answers the same for every address ("if we hold anything, a link is on its way"); the link's
page offers the download (JSON) and the erasure, which has a confirmation page and a done page. Opening a link
(GET) changes nothing; downloading and erasing are buttons (POST with a CSRF token).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from eventhub import clock
from eventhub.errors import TooManyRequests
from eventhub.extensions import db
from eventhub.privacy import erasure, links
from eventhub.privacy.export import export_address
from eventhub.privacy.forms import PrivacyRequestForm
from eventhub.privacy.models import PrivacyLink
from eventhub.privacy.notice import custom_notice, notice_facts
from eventhub.web import ConfirmForm

bp = Blueprint("privacy", __name__)
EXPORT_FILENAME = "eventhub-personal-data.json"


@bp.route("/privacy", methods=["GET", "POST"])
def notice():
    """The privacy notice, and the form that emails a link to one's data: the same answer for every address."""
    form = PrivacyRequestForm()
    if form.validate_on_submit():
        try:
            _email_link(form.email.data)
        except TooManyRequests as exc:
            form.form_errors.append(exc.message)
            return _notice_page(form), exc.status
        return redirect(url_for(".sent"))
    return _notice_page(form), 422 if form.errors else 200


def _notice_page(form: PrivacyRequestForm) -> str:
    return render_template("privacy/notice.html", form=form, custom=custom_notice(), facts=notice_facts())


def _email_link(email: str) -> None:
    """Count the request within the limits, then email the link if the address is known; commits. The request is
    committed before the limits are checked, so requests sent at once see each other (as sign-in links do)."""
    now = clock.now()
    attempt = links.begin_link_request(email, request.remote_addr or "", now)
    db.session.commit()
    try:
        links.check_link_request(attempt)
    except TooManyRequests:
        db.session.commit()
        raise
    links.email_privacy_link(email, str(get_locale() or "en"), now)
    db.session.commit()


@bp.get("/privacy/sent")
def sent():
    """What every address is told after asking for a link."""
    return render_template("privacy/sent.html", hours=int(links.LIFETIME.total_seconds() // 3600))


@bp.get("/privacy/<token>")
def link(token: str):
    """The link's page: download or erase the data of its address."""
    privacy_link = _usable(token)
    if privacy_link is None:
        return _unusable()
    return render_template("privacy/link.html", link=privacy_link, token=token, form=ConfirmForm())


@bp.post("/privacy/<token>/download")
def download(token: str):
    """Everything held about the link's address, as a JSON file; the export is recorded in the audit log."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    privacy_link = _usable(token)
    if privacy_link is None:
        return _unusable()
    data = export_address(privacy_link.email, clock.now(), actor=None)
    db.session.commit()
    return json_download(data)


def json_download(data: dict) -> Response:
    """An export as a file to save (the admins' page sends the same)."""
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    response = Response(body + "\n", mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
    return response


@bp.route("/privacy/<token>/erase", methods=["GET", "POST"])
def erase(token: str):
    """What erasing means, then (the button) erase everything held about the link's address."""
    privacy_link = _usable(token)
    form = ConfirmForm()
    if form.validate_on_submit() and privacy_link is not None:
        try:
            erasure.erase_address(privacy_link.email, clock.now(), actor=None)
        except erasure.LastAdminCannotBeErased as exc:
            db.session.rollback()
            form.form_errors.append(_last_admin_message())
            return render_template("privacy/erase.html", link=privacy_link, token=token, form=form), exc.status
        db.session.commit()
        return redirect(url_for(".erased"))
    if privacy_link is None:
        return _unusable()
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/erase.html", link=privacy_link, token=token, form=form), status


def _last_admin_message() -> str:
    return _(
        "This address belongs to the last active administrator, who cannot be erased. Make another account an "
        "administrator first."
    )


@bp.get("/privacy/erased")
def erased():
    """After an erasure: what happened, and that nothing was kept."""
    return render_template("privacy/erased.html")


def _usable(token: str) -> PrivacyLink | None:
    try:
        return links.find_link(token, clock.now())
    except links.PrivacyLinkUnusable:
        return None


def _unusable():
    """An unknown or expired link (or one whose address was erased): say so and offer a new one."""
    return render_template("privacy/link_unusable.html", form=PrivacyRequestForm(formdata=None)), 410
