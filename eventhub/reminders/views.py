"""The unsubscribe link of reminder emails: a page that asks, and the RFC 8058 one-click POST mail clients send.

GET never changes anything (mail scanners follow links). The page's form is CSRF-checked like every form; only
the exact one-click body skips CSRF, since a mail client cannot have a token: the signed token in the URL is
what proves the request came from the email.
"""

from flask import Blueprint, Request, abort, render_template, request

from eventhub import clock
from eventhub.events.models import Person
from eventhub.extensions import csrf, db
from eventhub.i18n import read_as
from eventhub.reminders.forms import UnsubscribeForm
from eventhub.reminders.services import person_for_unsubscribe_token, turn_off_reminders

bp = Blueprint("reminders", __name__, url_prefix="/reminders")

ONE_CLICK = {"List-Unsubscribe": ["One-Click"]}


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the form below checks its own CSRF token; only the one-click body goes without
def unsubscribe(token: str):
    """Ask before turning reminders off (GET); turn them off on the form's POST or a mail client's one-click POST."""
    person = _person_or_404(token)
    read_as(person)
    if request.method == "POST" and is_one_click(request):
        return _turn_off(person)
    form = UnsubscribeForm()
    if form.validate_on_submit():
        return _turn_off(person)
    status = 400 if request.method == "POST" else 200
    return render_template("reminders/unsubscribe.html", form=form, person=person, token=token), status


def is_one_click(req: Request) -> bool:
    """The body RFC 8058 prescribes, and nothing else (urlencoded or multipart, as the RFC allows)."""
    return req.form.to_dict(flat=False) == ONE_CLICK and not req.files


def _turn_off(person: Person):
    turn_off_reminders(person, clock.now())
    db.session.commit()
    return render_template("reminders/unsubscribed.html", person=person)


def _person_or_404(token: str) -> Person:
    person = person_for_unsubscribe_token(token)
    if person is None:
        abort(404)
    return person
