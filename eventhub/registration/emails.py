"""The emails of the invitation path, each queued in the outbox under a key that names it exactly once.

Confirmations, promotions and event updates carry the event as an iTIP part (``text/calendar; method=REQUEST``,
RFC 5546) so mail clients offer to put it in the calendar; cancellations carry ``METHOD:CANCEL`` with the same
UID, so the entry disappears again. The part is built by ``eventhub.ical``, which also writes the feeds: one UID
and SEQUENCE per event everywhere. The entry's description carries what other areas add (the agenda), asked
for with the ``calendar_entry_text`` signal: registration does not import the areas built on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import markupsafe
from flask import current_app
from flask_babel import force_locale

from eventhub.events.models import Event, Person
from eventhub.i18n import (
    calendar_words,
    event_when,
    format_day,
    format_time_in_zone,
    reader_language,
    zone_city,
)
from eventhub.ical import Organizer, event_body, itip_event
from eventhub.mail.models import OutboxMessage
from eventhub.mail.services import Addressee, Recipient, RenderedEmail, queue_email, render_email, sender_identity
from eventhub.registration.question_translations import question_text, shown_answer
from eventhub.registration.questions import questions_for
from eventhub.registration.signals import calendar_entry_text, calendar_event_body
from eventhub.urls import absolute_url, event_url

if TYPE_CHECKING:
    from eventhub.registration.models import Invitation, InvitationRequest, Registration


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _send(
    template: str,
    key: str,
    person: Recipient,
    event: Event,
    now: datetime,
    attachments: list[dict[str, Any]] | None = None,
    **context: Any,
) -> OutboxMessage | None:
    email = _render(template, person, event, **context)
    return queue_email(
        dedup_key=key, kind=template, recipient=person, email=email, now=now, event=event, attachments=attachments
    )


def _render(template: str, person: Recipient, event: Event, **context: Any) -> RenderedEmail:
    """``template`` for ``person`` in their language, with what every email of the invitation path shows."""
    language = reader_language(person, event)
    return render_email(
        template,
        language,
        event=event,
        person=person,
        name=person.name,
        when=event_when(event, language),
        event_url=event_url(event),
        **context,
    )


def invitation_url(token: str) -> str:
    return absolute_url("registration.invitation", token=token)


def manage_url(token: str) -> str:
    return absolute_url("registration.manage", token=token)


def queue_invitation(invitation: Invitation, token: str, now: datetime) -> OutboxMessage | None:
    """The invitation (or a resend of it: each send has its own key and its own link)."""
    return _send(
        "invitation",
        f"invitation:{invitation.id}:{invitation.send_count}",
        invitation.person,
        invitation.event,
        now,
        link=invitation_url(token),
        closes=deadline_text(
            invitation.expires_at(), invitation.event, reader_language(invitation.person, invitation.event)
        ),
    )


def queue_invitation_followup(invitation: Invitation, token: str, now: datetime) -> OutboxMessage | None:
    """The one follow-up before registration closes; the closing time is in the key, so moving it plans anew."""
    return _send(
        "invitation_followup",
        followup_key(invitation),
        invitation.person,
        invitation.event,
        now,
        link=invitation_url(token),
        closes=deadline_text(
            invitation.expires_at(), invitation.event, reader_language(invitation.person, invitation.event)
        ),
    )


def deadline_text(moment: datetime, event: Event, language: str) -> str:
    """The registration deadline as the When line shows times: day, hours and minutes, and the zone by its city
    ("tirsdag den 15. november 2022 14.00 (København)"), never seconds or an abbreviation like CET."""
    zone = event.timezone
    day, time = format_day(moment, zone, locale=language), format_time_in_zone(moment, zone, locale=language)
    return f"{day} {time} ({zone_city(zone, language)})"


def followup_key(invitation: Invitation) -> str:
    return f"invitation-followup:{invitation.id}:{_epoch(invitation.expires_at())}"


def queue_registration_received(registration: Registration, token: str, now: datetime) -> OutboxMessage | None:
    """Confirmed: the confirmation with the calendar invitation. Waitlisted: where they are on the list."""
    from eventhub.registration.models import RegistrationStatus

    key_suffix = f"{registration.id}:{registration.manage_token_hash[:16]}"
    if registration.status == RegistrationStatus.WAITLISTED:
        return _send(
            "waitlist_joined",
            f"waitlist-joined:{key_suffix}",
            registration.person,
            registration.event,
            now,
            link=manage_url(token),
            position=registration.waitlist_position,
        )
    return _send(
        "registration_confirmed",
        f"registration-confirmed:{key_suffix}",
        registration.person,
        registration.event,
        now,
        attachments=[calendar_part(registration, "REQUEST", now)],
        link=manage_url(token),
        answers=answer_summary(registration),
    )


def answer_summary(registration: Registration) -> list[tuple[str, str]]:
    """The questions answered, each with its answer, as the registrant reads them: in the email's language where
    a question has a translation into it, else as written."""
    language = reader_language(registration.person, registration.event)
    summary = []
    for question in questions_for(registration.event):
        answer = shown_answer(question, registration.answers, language)
        if answer:
            summary.append((question_text(question, language).label, answer))
    return summary


def queue_promotion(
    registration: Registration, token: str, now: datetime, by_organiser: bool = False
) -> OutboxMessage | None:
    """A confirmed place after the waiting list, with the calendar invitation (METHOD:REQUEST); ``by_organiser``
    when an organiser gave the place rather than a seat becoming free."""
    return _send(
        "waitlist_promoted",
        f"waitlist-promoted:{registration.id}:{registration.manage_token_hash[:16]}",
        registration.person,
        registration.event,
        now,
        attachments=[calendar_part(registration, "REQUEST", now)],
        link=manage_url(token),
        by_organiser=by_organiser,
    )


def queue_moved_to_waiting_list(registration: Registration, token: str, now: datetime) -> OutboxMessage | None:
    """An organiser moved a confirmed registration to the waiting list: the calendar entry is withdrawn
    (METHOD:CANCEL) and the email says where on the list they are, with a fresh self-service link."""
    return _send(
        "waitlist_moved",
        f"waitlist-moved:{registration.id}:{registration.manage_token_hash[:16]}",
        registration.person,
        registration.event,
        now,
        attachments=[calendar_part(registration, "CANCEL", now)],
        link=manage_url(token),
        position=registration.waitlist_position,
    )


def queue_cancellation(
    registration: Registration, was_confirmed: bool, now: datetime, by_organiser: bool = False
) -> OutboxMessage | None:
    """The cancellation; a confirmed seat's calendar entry is withdrawn with METHOD:CANCEL. ``by_organiser``: the
    email says the organiser cancelled it."""
    attachments = [calendar_part(registration, "CANCEL", now)] if was_confirmed else []
    return _send(
        "registration_cancelled",
        f"registration-cancelled:{registration.id}:{_epoch(now)}",
        registration.person,
        registration.event,
        now,
        attachments=attachments,
        was_confirmed=was_confirmed,
        by_organiser=by_organiser,
    )


def queue_event_update(registration: Registration, now: datetime) -> OutboxMessage | None:
    event = registration.event
    return _send(
        "event_update",
        f"event-update:{event.id}:{event.sequence}:{registration.id}",
        registration.person,
        event,
        now,
        attachments=[calendar_part(registration, "REQUEST", now)],
    )


def queue_event_cancelled(registration: Registration, now: datetime) -> OutboxMessage | None:
    from eventhub.registration.models import RegistrationStatus

    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    return _send(
        "event_update_cancelled",
        f"event-cancelled:{event.id}:{registration.id}",
        registration.person,
        event,
        now,
        attachments=[calendar_part(registration, "CANCEL", now)] if confirmed else [],
    )


def queue_request_received(request: InvitationRequest, language: str, now: datetime) -> OutboxMessage | None:
    """The acknowledgement of a request for an invitation, queued with the request (once per request)."""
    addressee = Addressee(email=request.email, name=request.name, language=language)
    return _send("request_received", f"request-received:{request.id}", addressee, request.event, now)


def queue_request_declined(request: InvitationRequest, person: Person, now: datetime) -> OutboxMessage | None:
    return _send("request_declined", f"request-declined:{request.id}", person, request.event, now)


def calendar_part(registration: Registration, method: str, now: datetime) -> dict[str, Any]:
    """The iTIP attachment for ``registration``'s person, as the outbox stores attachments."""
    person, event = registration.person, registration.event
    language, base_url = reader_language(person, event), current_app.config["BASE_URL"]
    with force_locale(language):  # the email's language: its calendar entry too
        content = itip_event(
            event,
            attendee_email=person.email,
            attendee_name=person.name,
            method=method,
            now=now,
            base_url=base_url,
            organizer=itip_organizer(event),
            registered=True,
            body=stored_event_body(event, language, base_url),
        )
    text = content.decode("utf-8")
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    return {"filename": filename, "content_type": "text/calendar; charset=utf-8", "content": text, "method": method}


def itip_organizer(event: Event) -> Organizer:
    """ORGANIZER of the calendar part: the series' organiser (or the site) at the address replies reach."""
    identity = sender_identity(event)
    return Organizer(name=identity.name, email=identity.contact)


def stored_event_body(event: Event, language: str, base_url: str) -> str:
    """The event's calendar text in ``language`` as the feeds store it (the calendar area answers
    ``calendar_event_body``); rendered here, with what ``calendar_entry_text`` adds, when nobody answers."""
    for _, body in calendar_event_body.send(event, language=language, base_url=base_url):
        if body:
            return body
    return event_body(event, base_url, calendar_entry_text_of(event), calendar_words())


def calendar_entry_text_of(event: Event) -> str:
    """What the areas listening to ``calendar_entry_text`` add to the event's calendar entry (the published
    agenda), one after the other; "" when nobody adds anything."""
    return "\n\n".join(text for _, text in calendar_entry_text.send(event) if text)


# ---------------------------------------------------------------------------------------------------------
# A whole list of invitations at once
# ---------------------------------------------------------------------------------------------------------

# What the bulk path renders in place of an invitee's name, address and link token: letters only, so neither
# HTML escaping nor the subject's whitespace folding changes them.
_NAME, _EMAIL, _TOKEN = "Zq9NAMEq9Z", "zq9emailq9z@placeholder.invalid", "Zq9TOKENq9Z"


def render_invitations(event: Event, invitees: Sequence[tuple[Person, str]]) -> list[RenderedEmail]:
    """The invitation email of each (person, link token) of ``event``, as ``queue_invitation`` renders it.

    Rendering is what a list of 5,000 would spend most of its time on (~6 ms an email), so each language is
    rendered once with placeholders that are then replaced by each invitee's name (escaped in the HTML part),
    address and token. The first invitee of each language is also rendered in full and compared: should the
    templates ever show more of the person than the placeholders stand for, that language is rendered one by
    one — slower, never wrong.
    """
    shells: dict[str, RenderedEmail | None] = {}
    rendered = []
    for person, token in invitees:
        language = reader_language(person, event)
        if language not in shells:
            shells[language] = _invitation_shell(event, person, token)
        shell = shells[language]
        rendered.append(_fill(shell, person, token) if shell else _render_invitation(event, person, token))
    return rendered


def _render_invitation(event: Event, person: Person, token: str) -> RenderedEmail:
    closes = deadline_text(event.registration_closes_at_or_start, event, reader_language(person, event))
    return _render("invitation", person, event, link=invitation_url(token), closes=closes)


def _invitation_shell(event: Event, sample: Person, token: str) -> RenderedEmail | None:
    """The invitation in ``sample``'s language with placeholders, or None when filling it in for ``sample``
    does not give exactly what rendering it for ``sample`` gives."""
    placeholder = Person(email=_EMAIL, name=_NAME, language=sample.language)  # never added to the session
    shell = _render_invitation(event, placeholder, _TOKEN)
    return shell if _fill(shell, sample, token) == _render_invitation(event, sample, token) else None


def _fill(shell: RenderedEmail, person: Person, token: str) -> RenderedEmail:
    def fill(text: str, escape: bool) -> str:
        name, email = person.name, person.email
        if escape:
            name, email = markupsafe.escape(name), markupsafe.escape(email)
        return text.replace(_NAME, str(name)).replace(_EMAIL, str(email)).replace(_TOKEN, token)

    subject = " ".join(fill(shell.subject, False).split())  # as render_email folds it
    return RenderedEmail(subject, fill(shell.text, False), fill(shell.html, True), shell.language)
