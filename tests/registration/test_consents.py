"""Consent on record, through the services: the text, version and language shown are kept with each tick,
withdrawing is recorded, a reworded question gets a new version while old records keep theirs, and the exports
(CSV, the personal-data export) show them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.errors import NotFound
from eventhub.extensions import db
from eventhub.registration.consents import ShownForm, ShownText, consent_records_of, consents_of
from eventhub.registration.export import registrations_csv
from eventhub.registration.models import ConsentRecord
from eventhub.registration.question_translations import remove_translation, replace_translations, set_translation
from eventhub.registration.questions import add_question, delete_question, edit_question, raise_version_if_reworded
from eventhub.registration.questions import wording as wording_of
from eventhub.registration.services import cancel_registration, change_answers, register_invitee

SHARE = "I agree that my name and organisation are shared with the other participants"
SHARE_HELP = "Only for this conference; you may withdraw at any time on your registration page."
SHARE_BG = "Съгласен съм името и организацията ми да бъдат споделени с другите участници"
SHARE_BG_HELP = "Само за тази конференция; можете да оттеглите съгласието си по всяко време."


@pytest.fixture
def event(conference):
    return conference()


@pytest.fixture
def consent(event):
    return add_question(event, "consent", SHARE, help_text=SHARE_HELP)


def _register(invitation, answers, at, shown=None):
    return register_invitee(invitation, invitation.person.name, None, answers, at, shown).registration


def _records() -> list[ConsentRecord]:
    db.session.expire_all()  # read what the database holds, not the objects in the session
    return list(db.session.scalars(sa.select(ConsentRecord).order_by(ConsentRecord.id)))


def test_a_ticked_box_is_recorded_with_the_text_language_and_version_the_form_showed(event, consent, invite, now):
    invitation, _ = invite(event)
    shown = ShownForm("bg", {consent.id: ShownText(SHARE_BG, SHARE_BG_HELP)})
    registration = _register(invitation, {consent.field_name: True}, now, shown)
    [record] = _records()
    assert (record.registration_id, record.person_id, record.question_id) == (
        registration.id,
        invitation.person_id,
        consent.id,
    )
    assert (record.label, record.help_text, record.language) == (SHARE_BG, SHARE_BG_HELP, "bg")
    assert (record.question_version, record.given_at, record.withdrawn_at) == (1, now, None)


def test_without_a_form_the_question_is_recorded_as_written(event, consent, invite, now):
    invitation, _ = invite(event)
    _register(invitation, {consent.field_name: True}, now)
    [record] = _records()
    assert (record.label, record.help_text, record.language) == (SHARE, SHARE_HELP, "en")


def test_an_unticked_optional_box_and_other_questions_record_nothing(event, consent, invite, now):
    question = add_question(event, "yes_no", "Vegetarian lunch?")
    invitation, _ = invite(event)
    registration = _register(invitation, {consent.field_name: False, question.field_name: "yes"}, now)
    assert registration.answers[str(consent.id)] is False and _records() == []


def test_unticking_later_records_the_withdrawal_and_keeps_the_consent(event, consent, invite, now):
    registration = _register(invite(event)[0], {consent.field_name: True}, now)
    later = now + timedelta(days=2, hours=3)
    change_answers(registration, {consent.field_name: False}, later)
    [record] = _records()
    assert (record.given_at, record.withdrawn_at, record.label) == (now, later, SHARE)


def test_ticking_again_is_a_new_consent_and_leaving_it_ticked_is_none(event, consent, invite, now):
    registration = _register(invite(event)[0], {consent.field_name: True}, now)
    change_answers(registration, {consent.field_name: True}, now + timedelta(hours=1))  # left ticked: no new act
    change_answers(registration, {consent.field_name: False}, now + timedelta(hours=2))
    change_answers(registration, {consent.field_name: True}, now + timedelta(hours=3))
    records = _records()
    assert [(r.given_at, r.withdrawn_at) for r in records] == [
        (now, now + timedelta(hours=2)),
        (now + timedelta(hours=3), None),
    ]
    assert consents_of(registration) == records


def test_rewording_raises_the_version_and_earlier_consents_keep_theirs(event, consent, invite, now):
    _register(invite(event, "first@example.org")[0], {consent.field_name: True}, now)
    edit_question(consent.id, event, SHARE + " and the hosts", SHARE_HELP)
    assert consent.version == 2
    _register(invite(event, "second@example.org")[0], {consent.field_name: True}, now + timedelta(days=1))
    assert [(r.question_version, r.label) for r in _records()] == [(1, SHARE), (2, SHARE + " and the hosts")]


@pytest.mark.parametrize(
    ("change", "raised"),
    [
        ({"label": "Reworded"}, True),
        ({"help_text": "Another help text"}, True),
        ({"help_text": SHARE_HELP + " "}, False),  # cleaned to the same text: nobody reads anything new
        ({"required": True}, False),
        ({}, False),
    ],
)
def test_only_a_new_wording_raises_the_version(event, consent, change, raised):
    values = {"label": SHARE, "help_text": SHARE_HELP, "required": False, **change}
    edit_question(consent.id, event, **values)
    assert consent.version == (2 if raised else 1)


def test_new_choices_raise_the_version_of_a_choice_question_of_a_series(make_series):
    series = make_series()
    question = add_question(series, "single_choice", "Lunch", choices=["Meat", "Fish"])
    edit_question(question.id, series, "Lunch", choices=["Meat", "Fish", "Vegetarian"])
    assert (question.version, question.choices) == (2, ["Meat", "Fish", "Vegetarian"])
    before = wording_of(question)
    assert raise_version_if_reworded(question, before) is False and question.version == 2


def test_a_new_translation_raises_the_version_once_and_the_same_text_does_not(event, consent):
    set_translation(consent, "bg", SHARE_BG, SHARE_BG_HELP)
    assert consent.version == 2
    set_translation(consent, "bg", SHARE_BG, SHARE_BG_HELP)
    assert consent.version == 2
    replace_translations(consent, {"bg": {"label": SHARE_BG, "help_text": SHARE_BG_HELP}})
    assert consent.version == 2
    translations = {"da": {"label": "Jeg giver samtykke", "help_text": "Kun til denne konference."}}
    replace_translations(consent, {**translations, "bg": {"label": SHARE_BG, "help_text": SHARE_BG_HELP}})
    assert consent.version == 3  # two languages changed at once: one new version
    remove_translation(consent, "da")
    assert consent.version == 4


def test_translations_given_with_a_new_question_leave_it_at_version_one(event):
    question = add_question(event, "consent", SHARE, help_text=SHARE_HELP)
    replace_translations(question, {"bg": {"label": SHARE_BG, "help_text": SHARE_BG_HELP}}, reword=False)
    assert question.version == 1


def test_only_own_questions_are_edited(event, conference, make_series):
    other = add_question(conference(), "consent", "Another event's consent")
    series_question = add_question(make_series(), "consent", "A series' consent")
    for question in (other, series_question):
        with pytest.raises(NotFound):
            edit_question(question.id, event, "Taken over")
    assert (other.label, other.version) == ("Another event's consent", 1)


def test_registering_again_keeps_the_history(event, consent, invite, now):
    invitation, _ = invite(event)
    registration = _register(invitation, {consent.field_name: True}, now)
    cancel_registration(registration, now + timedelta(hours=1))
    again = _register(invitation, {consent.field_name: True}, now + timedelta(hours=2))
    assert again.id == registration.id
    assert [r.given_at for r in _records()] == [now, now + timedelta(hours=2)]


def test_registering_again_without_the_tick_withdraws_the_earlier_consent(event, consent, invite, now):
    invitation, _ = invite(event)
    registration = _register(invitation, {consent.field_name: True}, now)
    cancel_registration(registration, now + timedelta(hours=1))
    _register(invitation, {consent.field_name: False}, now + timedelta(hours=2))
    [record] = _records()
    assert (record.given_at, record.withdrawn_at) == (now, now + timedelta(hours=2))


def test_a_removed_question_leaves_its_records_with_their_text(event, consent, invite, now):
    _register(invite(event)[0], {consent.field_name: True}, now)
    delete_question(consent.id, event)
    [record] = _records()
    assert (record.question_id, record.question_version, record.label) == (None, 1, SHARE)


def test_the_csv_has_a_column_per_consent_question_with_the_latest_record(event, consent, invite, now):
    optional = add_question(event, "consent", "=Photos may show me")
    first = _register(invite(event, "first@example.org", "First")[0], {consent.field_name: True}, now)
    edit_question(consent.id, event, SHARE + " (v2)", SHARE_HELP)
    fields = {consent.field_name: True, optional.field_name: True}
    _register(invite(event, "second@example.org", "Second")[0], fields, now + timedelta(days=1))
    change_answers(first, {consent.field_name: False}, now + timedelta(days=2))
    lines = registrations_csv(event).lstrip("\ufeff").split("\r\n")
    header = lines[0].split(",")
    assert header[-2:] == [f"consent: {SHARE} (v2) (UTC)", "consent: =Photos may show me (UTC)"]
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:] if line}
    assert rows["first@example.org"][-2:] == ["withdrawn v1 2026-11-25 12:00", ""]
    assert rows["second@example.org"][-2:] == ["given v2 2026-11-24 12:00", "given v1 2026-11-24 12:00"]


def test_the_personal_data_export_lists_every_consent_json_ready(event, consent, invite, now, conference):
    invitation, _ = invite(event)
    registration = _register(invitation, {consent.field_name: True}, now)
    change_answers(registration, {consent.field_name: False}, now + timedelta(days=1))
    elsewhere = conference(title="Another conference")
    other = add_question(elsewhere, "consent", "Photos may show me")
    _register(invite(elsewhere, invitation.person.email)[0], {other.field_name: True}, now + timedelta(days=2))
    _register(invite(event, "someone.else@example.org")[0], {consent.field_name: True}, now)
    exported = consent_records_of(invitation.person)
    assert json.loads(json.dumps(exported)) == exported
    assert exported == [
        {
            "registration_id": registration.id,
            "event_id": event.id,
            "event": event.title,
            "question_id": consent.id,
            "version": 1,
            "text": SHARE,
            "help_text": SHARE_HELP,
            "language": "en",
            "given_at": "2026-11-23T12:00:00+00:00",
            "withdrawn_at": "2026-11-24T12:00:00+00:00",
        },
        {
            "registration_id": exported[1]["registration_id"],
            "event_id": elsewhere.id,
            "event": "Another conference",
            "question_id": other.id,
            "version": 1,
            "text": "Photos may show me",
            "help_text": "",
            "language": "en",
            "given_at": "2026-11-25T12:00:00+00:00",
            "withdrawn_at": None,
        },
    ]


def test_consents_go_with_their_registration_to_a_stand_in(event, consent, invite, now):
    from eventhub.privacy.stand_ins import stand_in_for
    from eventhub.registration.consents import align_consents_with_registrations

    invitation, _ = invite(event)
    person = invitation.person
    registration = _register(invitation, {consent.field_name: True}, now)
    other = _register(invite(event, "stays@example.org")[0], {consent.field_name: True}, now)
    stand_in = stand_in_for(person, now, keep_organisation=False)
    registration.person = stand_in  # what retention does to the event's registrations
    db.session.flush()
    assert consent_records_of(person) == []  # the export reads through the registration already
    assert align_consents_with_registrations(event.id) == 1
    assert [record.person_id for record in _records()] == [stand_in.id, other.person_id]
    assert align_consents_with_registrations(event.id) == 0
