"""The demo data: what ``flask demo`` loads, and that loading it again (even on another day) changes nothing."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import Role
from eventhub.accounts.permissions import is_member_of, is_secretary_of
from eventhub.accounts.services import authenticate, find_user_by_email
from eventhub.demo.data import Schedule
from eventhub.demo.loader import load_demo, upcoming_days
from eventhub.events.models import Event, EventKind, MembershipRole, Organisation, OrganisationKind, Series, Visibility
from eventhub.events.queries import list_events
from eventhub.events.services import get_series, members_of
from eventhub.extensions import db

BSI_ZONES = {
    "HR": "Europe/Zagreb", "CZ": "Europe/Prague", "DK": "Europe/Copenhagen", "FR": "Europe/Paris",
    "DE": "Europe/Berlin", "GR": "Europe/Athens", "HU": "Europe/Budapest", "IT": "Europe/Rome",
    "IE": "Europe/Dublin", "LV": "Europe/Riga", "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw",
    "RO": "Europe/Bucharest", "SK": "Europe/Bratislava", "SE": "Europe/Stockholm",
}  # fmt: skip


@pytest.fixture
def demo(app, now):
    load_demo(now)
    db.session.commit()


def events_of(slug: str) -> list[Event]:
    return list_events(series=get_series(slug), limit=1000)


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_bsi_2019_has_one_invitation_only_conference_per_country_in_its_own_zone(demo):
    conferences = events_of("bsi-national-conferences-2019")
    assert {event.country: event.timezone for event in conferences} == BSI_ZONES
    assert len(conferences) == 15
    for event in conferences:
        assert (event.kind, event.invitation_only, event.capacity) == (EventKind.CONFERENCE, True, 120)
        assert event.local_start.year == 2019
        assert (event.local_start.time(), event.local_end.time()) == (time(9, 30), time(16, 30))
    assert get_series("bsi-national-conferences-2019").visibility == Visibility.PUBLIC


def test_the_new_bsi_round_lies_ahead_of_the_day_the_demo_is_loaded(demo, now):
    conferences = events_of("bsi-national-conferences-2027")
    assert {event.country: event.timezone for event in conferences} == BSI_ZONES
    assert len(conferences) == 15
    assert conferences[0].starts_at >= now + timedelta(weeks=3)
    for event in conferences:
        assert event.invitation_only and event.local_start.time() == time(9, 30)
        closes = event.registration_closes_at.astimezone(event.zone)
        assert closes.replace(tzinfo=None) == event.local_start.replace(tzinfo=None) - timedelta(
            days=7
        )  # same local hour
        assert event.local_start.weekday() == 3


def test_taskforce_meetings_one_to_four_as_they_happened_and_three_ahead(demo, now):
    meetings = events_of("buy-social-taskforce-danmark")
    assert [meeting.number for meeting in meetings] == [1, 2, 3, 4, 5, 6, 7]
    third = meetings[2]
    assert third.starts_at == datetime(2022, 11, 15, 13, 0, tzinfo=timezone.utc)
    assert (third.local_start.strftime("%H:%M"), third.local_end.strftime("%H:%M")) == ("14:00", "15:30")
    assert meetings[1].local_start.date() == date(2022, 9, 13)
    assert meetings[3].local_start.strftime("%Y-%m") == "2023-01"
    assert all(meeting.ends_at < now for meeting in meetings[:4])
    assert all(meeting.starts_at > now for meeting in meetings[4:])
    for meeting in meetings:
        assert (meeting.kind, meeting.timezone, meeting.visibility) == (
            EventKind.MEETING,
            "Europe/Copenhagen",
            Visibility.PUBLIC,
        )
        assert meeting.local_start.time() == time(14, 0) and meeting.online_url.startswith("https://meet.example.org/")


def test_taskforce_members_come_from_the_organisations_at_meeting_three(demo):
    memberships = members_of(get_series("buy-social-taskforce-danmark"))
    organisations = {membership.person.organisation.name for membership in memberships}
    assert {"Rummelig Genstart", "Erhvervsstyrelsen", "Slagelse Kommune", "Den Sociale Kapitalfond"} <= organisations
    assert len(memberships) == 17  # 14 organisations at meeting 3, plus the demo secretary, member and organiser
    assert all(m.person.email.endswith("@example.org") for m in memberships)
    assert all((m.person.language, m.person.timezone) == ("da", "Europe/Copenhagen") for m in memberships)
    secretaries = {m.person.email for m in memberships if m.role == MembershipRole.SECRETARY}
    assert secretaries == {"sofie.lindholm@example.org", "secretary@example.org"}
    assert {m.person.email for m in memberships if m.role == MembershipRole.ORGANISER} == {"frederik.dahl@example.org"}


def test_cospro_has_three_missions_and_three_webinars_within_the_project(demo):
    events = events_of("cospro")
    missions = [event for event in events if event.kind == EventKind.MISSION]
    webinars = [event for event in events if event.kind == EventKind.WEBINAR]
    assert (len(missions), len(webinars), len(events)) == (3, 3, 6)
    assert all(date(2021, 2, 1) <= event.local_start.date() <= date(2021, 12, 31) for event in events)
    assert [m.location is None and m.online_url is not None for m in missions].count(True) == 1
    assert {m.timezone for m in missions} == {"Europe/Lisbon", "Europe/Rome", "Europe/Copenhagen"}


def test_big_buyers_working_group_meets_and_asks_for_a_needs_assessment(demo, now):
    series = get_series("big-buyers-social-procurement")
    meetings = events_of(series.slug)
    assert "needs assessment" in series.description and series.visibility == Visibility.MEMBERS
    assert all(meeting.kind == EventKind.WORKING_GROUP_MEETING for meeting in meetings)
    assert any(meeting.ends_at < now for meeting in meetings) and any(meeting.starts_at > now for meeting in meetings)


def test_organisations_keep_their_country_and_kind(demo):
    odense = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Odense Kommune"))
    aeidl = db.session.scalar(sa.select(Organisation).where(Organisation.name == "AEIDL"))
    gabrovo = db.session.scalar(sa.select(Organisation).where(Organisation.name.like("%Gabrovo Municipality")))
    assert (odense.country, odense.kind) == ("DK", OrganisationKind.MUNICIPALITY)
    assert (aeidl.country, aeidl.kind) == ("BE", OrganisationKind.NETWORK)
    assert gabrovo.country == "BG"


DEMO_LOGINS = [
    ("admin@example.org", "demo-admin-2026", Role.ADMIN),
    ("organiser@example.org", "demo-organiser-2026", Role.ORGANISER),
    ("secretary@example.org", "demo-secretary-2026", Role.SECRETARY),
    ("member@example.org", "demo-member-2026", Role.MEMBER),
]


def test_one_demo_account_per_role_logs_in_with_its_documented_password(demo):
    for email, password, role in DEMO_LOGINS:
        user = authenticate(email, password)
        assert user is not None and user.role == role, email
    taskforce = get_series("buy-social-taskforce-danmark")
    assert is_secretary_of(find_user_by_email("secretary@example.org"), taskforce)
    member = find_user_by_email("member@example.org")
    assert is_member_of(member, taskforce) and not is_secretary_of(member, taskforce)


def test_each_network_has_its_own_organiser_who_manages_only_it(demo):
    from eventhub.accounts.permissions import can_manage_event, can_manage_series
    from eventhub.demo.data import BIG_BUYERS, BSI_2019, BSI_NEW_ROUND, COSPRO, STANDALONE_EVENTS, TASKFORCE_SLUG

    organisers = {
        "organiser@example.org": {BSI_2019.slug, BSI_NEW_ROUND.slug},
        "frederik.dahl@example.org": {TASKFORCE_SLUG},
        "marta.ribeiro@example.org": {COSPRO.slug},
        "sophie.martens@example.org": {BIG_BUYERS.slug},
    }
    every_series = db.session.scalars(sa.select(Series)).all()
    for email, slugs in organisers.items():
        user = authenticate(email, "demo-organiser-2026")
        assert user is not None and user.role == Role.ORGANISER, email
        assert {series.slug for series in every_series if can_manage_series(user, series)} == slugs, email
    conference = db.session.scalar(sa.select(Event).where(Event.title == STANDALONE_EVENTS[0].title))
    assert can_manage_event(find_user_by_email("frederik.dahl@example.org"), conference)
    assert not can_manage_event(find_user_by_email("organiser@example.org"), conference)


def test_taskforce_meeting_three_has_its_news_and_materials_as_links(demo):
    from eventhub.demo.taskforce_meeting3 import MATERIALS
    from eventhub.materials.services import materials_of

    meeting3 = next(e for e in events_of("buy-social-taskforce-danmark") if e.number == 3)
    materials = materials_of(meeting3)
    assert sorted((m.title, m.url) for m in materials) == sorted((title, url) for title, _summary, url in MATERIALS)
    assert {(m.kind.value, m.dated_on) for m in materials} == {("link", date(2022, 11, 15))}


def test_loading_again_on_a_later_day_changes_nothing(demo, now):
    before = row_counts()
    starts = {(e.series_id, e.number): e.starts_at for e in db.session.scalars(sa.select(Event))}
    summary = load_demo(now + timedelta(days=45))
    db.session.commit()
    assert row_counts() == before
    assert {(e.series_id, e.number): e.starts_at for e in db.session.scalars(sa.select(Event))} == starts
    assert (summary.series_created, summary.events_created, summary.accounts_created) == (0, 0, 0)
    assert before["events"] == 15 + 15 + 7 + 6 + 5 + 1


def test_flask_demo_loads_and_prints_the_accounts_with_a_warning(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output and "demo-admin-2026" in result.output
    assert "demos only" in result.output
    counts = row_counts()
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and row_counts() == counts


def test_upcoming_days_keep_the_weekday_and_skip_christmas():
    schedule = Schedule(first_in=timedelta(weeks=3), every=timedelta(weeks=2), weekday=3)
    days = upcoming_days(schedule, date(2026, 11, 23), 4)
    assert all(day.weekday() == 3 for day in days)
    assert days[0] == date(2026, 12, 17)
    assert days[1] == date(2027, 1, 7)  # 31 December moves past the holidays
    assert days[2] == date(2027, 1, 21)
