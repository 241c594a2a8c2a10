"""/admin/privacy: admins export or erase the data of anyone by address (a request that reached them by letter or
email), with a confirmation page before an erasure. Admins only: the page reaches every series' people."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub import clock
from eventhub.accounts.permissions import is_admin
from eventhub.errors import ValidationFailed
from eventhub.extensions import db
from eventhub.privacy import erasure, presenters
from eventhub.privacy.export import SECTIONS, export_address, personal_data
from eventhub.privacy.forms import AdminAddressForm, AdminEraseForm
from eventhub.privacy.presenters import labelled
from eventhub.privacy.views import json_download
from eventhub.validation import normalize_email

bp = Blueprint("privacy_admin", __name__, url_prefix="/admin/privacy")


@bp.before_request
@login_required
def _admins_only():
    if not is_admin(current_user):
        abort(403)


@bp.get("")
def page():
    """The address form, with a button to download its data and one to erase it."""
    return render_template("privacy_admin/page.html", form=AdminAddressForm())


@bp.post("/export")
def export():
    """Everything held about the address, as a JSON file (recorded in the audit log with the admin's name)."""
    form = AdminAddressForm()
    address = _valid_address(form)
    if address is None:
        return render_template("privacy_admin/page.html", form=form), 422
    data = export_address(address, clock.now(), current_user)
    db.session.commit()
    return json_download(data)


@bp.post("/erase")
def erase():
    """First what the address holds and a confirm button; confirmed, the erasure and its counts."""
    confirm = AdminEraseForm()
    if confirm.confirmed.data == "yes" and confirm.validate_on_submit():
        return _erase(confirm)
    form = AdminAddressForm()
    address = _valid_address(form)
    if address is None:
        return render_template("privacy_admin/page.html", form=form), 422
    confirm = AdminEraseForm(formdata=None, email=address, confirmed="yes")
    return render_template("privacy_admin/erase.html", address=address, held=_held(address), form=confirm)


def _erase(form: AdminEraseForm):
    address = form.email.data
    try:
        counts = erasure.erase_address(address, clock.now(), current_user)
    except erasure.LastAdminCannotBeErased as exc:
        db.session.rollback()
        form.form_errors.append(
            _("This address belongs to the last active administrator, who cannot be erased. Make another account "
              "an administrator first.")
        )  # fmt: skip
        return render_template("privacy_admin/erase.html", address=address, held=_held(address), form=form), exc.status
    db.session.commit()
    return render_template(
        "privacy_admin/erased.html", address=address, counts=labelled(counts.as_dict(), presenters.ERASED)
    )


def _valid_address(form: AdminAddressForm) -> str | None:
    """The form's address as eventhub stores addresses; None (with the error on the field) otherwise."""
    if not form.validate_on_submit():
        return None
    try:
        return normalize_email(form.email.data)
    except ValidationFailed:
        form.email.errors = [*form.email.errors, _("Enter a valid email address.")]
        return None


def _held(address: str) -> list[tuple[str, int]]:
    """How many items of each section the address has, labelled, for the confirmation page (not an export: not
    recorded in the audit log)."""
    data = personal_data(address, clock.now())
    held = {name: len(data[name]) for name in SECTIONS if data[name]}
    if data["person"] is not None:
        held = {"person": 1, **held}
    if data["account"]["exists"]:
        held["account"] = 1
    return labelled(held, presenters.HELD)
