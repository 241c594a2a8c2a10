"""The outbox for people: /admin/outbox (admins: it holds every series' mail, so per-series organisers may not
see it), /dev/mail (admins, without SMTP only), and the
List-Unsubscribe link of series mail (/mail/unsubscribe/<token>, anyone holding the link)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from eventhub import clock
from eventhub.accounts.permissions import is_admin
from eventhub.extensions import csrf, db, login_manager
from eventhub.i18n import read_as
from eventhub.mail import lists, services, suppression
from eventhub.mail.forms import LiftSuppressionForm, ListUnsubscribeForm, OutboxSearchForm, RetryForm
from eventhub.mail.mailbox import list_mail, read_mail
from eventhub.mail.models import OutboxStatus, SuppressedAddress
from eventhub.mail.transport import is_smtp_configured, mail_folder
from eventhub.pagination import paginate

admin_bp = Blueprint("mail_admin", __name__, url_prefix="/admin/outbox")
dev_bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")
lists_bp = Blueprint("mail_lists", __name__, url_prefix="/mail")

ONE_CLICK = {"List-Unsubscribe": ["One-Click"]}


@admin_bp.before_request
@login_required
def _admins_only():
    """The outbox lists every series' mail (recipients, subjects, errors): an organiser of one network must not
    read or resend another's, so it is for admins only."""
    if not is_admin(current_user):
        abort(403)


@admin_bp.get("")
def outbox():
    """Counts by status, one page of messages (searched and filtered on the server; a Retry button on each failed
    one) and the do-not-send list."""
    search = OutboxSearchForm(request.args)
    search.validate()
    status = OutboxStatus(search.value("status")) if search.value("status") else None
    page = paginate(services.outbox_query(status, search.value("q")), int(search.value("page") or 1))
    return render_template(
        "mail_admin/outbox.html",
        counts=services.count_by_status(),
        page=page,
        search=search,
        kept=search.kept(),
        back=search.kept(page.page),
        form=RetryForm(),
        failed_status=OutboxStatus.FAILED,
        suppressed=suppression.suppressed_addresses(),
        lift_form=LiftSuppressionForm(),
        can_lift=True,
    )


@admin_bp.post("/<int:message_id>/retry")
def retry(message_id: int):
    """Queue one failed message again, and come back to the same page of the list."""
    if not RetryForm().validate_on_submit():
        abort(400)
    services.retry_message(message_id, clock.now())
    db.session.commit()
    flash(_("Message %(id)s queued again.", id=message_id), "success")
    return redirect(url_for(".outbox", **_same_list()))


@admin_bp.post("/retry-failed")
def retry_all():
    """Queue every failed message again."""
    if not RetryForm().validate_on_submit():
        abort(400)
    count = services.retry_failed(clock.now())
    db.session.commit()
    flash(ngettext("%(num)d message queued again.", "%(num)d messages queued again.", count), "success")
    return redirect(url_for(".outbox", **_same_list()))


def _same_list() -> dict[str, str]:
    """The search, filter and page the button's form carried in its URL (only these names; ``url_for`` builds
    the address, so nothing else of the request is echoed)."""
    return {name: value for name in ("q", "status", "page") if (value := request.args.get(name, "")[:254])}


@admin_bp.post("/suppressed/<int:entry_id>/lift")
def lift_suppression(entry_id: int):
    """Take an address off the do-not-send list (admins: it overrides what the receiving server said)."""
    if not LiftSuppressionForm().validate_on_submit():
        abort(400)
    entry = db.get_or_404(SuppressedAddress, entry_id)
    suppression.lift_suppression(entry.email)
    db.session.commit()
    flash(_("%(email)s may receive mail again.", email=entry.email), "success")
    return redirect(url_for(".outbox"))


@dev_bp.before_request
def _admins_without_smtp():
    """A 404 when real mail goes out (the pages must not exist there); otherwise admins only."""
    if is_smtp_configured(current_app):
        abort(404)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


@dev_bp.get("")
def index():
    """The mail the development setup wrote instead of sending, newest first."""
    return render_template("dev_mail/index.html", messages=list_mail(mail_folder(current_app)))


@dev_bp.get("/<name>")
def message(name: str):
    """One written message: headers, text part, and the HTML part in a sandboxed frame."""
    detail = read_mail(mail_folder(current_app), name)
    if detail is None:
        abort(404)
    return render_template("dev_mail/message.html", message=detail)


@lists_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own CSRF token; only RFC 8058's one-click body goes without (the link proves it)
def unsubscribe(token: str):
    """Ask before stopping a series' list mail (GET never changes anything: mail scanners follow links); stop it
    on the form's POST or a mail client's one-click POST."""
    found = lists.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    person, series = found
    read_as(person, series)
    form = ListUnsubscribeForm()
    is_one_click = request.method == "POST" and request.form.to_dict(flat=False) == ONE_CLICK and not request.files
    if is_one_click or form.validate_on_submit():
        lists.unsubscribe_from_series(person, series)
        db.session.commit()
        return render_template("mail_lists/unsubscribed.html", person=person, series=series)
    status = 400 if request.method == "POST" else 200
    return render_template("mail_lists/unsubscribe.html", form=form, person=person, series=series, token=token), status
