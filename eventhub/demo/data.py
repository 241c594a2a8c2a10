"""The demo data, as plain declarations: organisations, series with their events and members, demo accounts.

Drawn from the source documents in the shared seeds folder: the organisations, projects and meeting structure
are real; the people are invented (all under example.org). Past events have fixed dates; upcoming ones are
``Upcoming(slot)``: the n-th date of the series' ``Schedule``, counted from the day the demo is loaded, so the
demo always has something ahead. ``loader.py`` turns this into rows through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from eventhub.accounts.models import Role
from eventhub.demo.bsi_round import CONFERENCES, NationalConference
from eventhub.events.models import EventKind, MembershipRole, OrganisationKind, Visibility

COPENHAGEN = "Europe/Copenhagen"
BRUSSELS = "Europe/Brussels"


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    country: str
    kind: OrganisationKind


@dataclass(frozen=True)
class Upcoming:
    """The ``slot``-th date (from 0) of the series' schedule, counted from the day the demo is loaded."""

    slot: int


@dataclass(frozen=True)
class Schedule:
    """Upcoming dates: the first ``first_in`` after today, then every ``every``, always on ``weekday`` (0 = Monday)."""

    first_in: timedelta
    every: timedelta
    weekday: int


@dataclass(frozen=True)
class EventSpec:
    """One event; times are wall-clock times in ``timezone``. ``end_day`` > 0 makes a multi-day event."""

    title: str
    kind: EventKind
    timezone: str
    day: date | Upcoming
    start: time
    end: time
    number: int | None = None
    end_day: int = 0
    location: str | None = None
    online_url: str | None = None
    country: str | None = None
    capacity: int | None = None
    invitation_only: bool = False
    registration_closes_days_before: int | None = None
    description: str = ""
    created_by: str | None = None  # the demo account that made an event without a series (it manages it)
    language: str | None = None  # what its texts are written in; None: the series' (then English)


@dataclass(frozen=True)
class MemberSpec:
    email: str
    name: str
    organisation: str
    role: MembershipRole = MembershipRole.MEMBER
    language: str = "da"
    timezone: str = COPENHAGEN


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    title: str
    description: str
    visibility: Visibility
    events: tuple[EventSpec, ...]
    members: tuple[MemberSpec, ...] = ()
    schedule: Schedule | None = None


@dataclass(frozen=True)
class AccountSpec:
    """A demo login. The password is a documented demo value, not a secret: never load the demo in production."""

    email: str
    name: str
    role: Role
    password: str
    organisation: str | None = None
    language: str = "en"
    timezone: str = BRUSSELS
    memberships: tuple[tuple[str, MembershipRole], ...] = field(default=())


# ---------------------------------------------------------------------------------------------------------
# Organisations (real ones, from the seed documents)
# ---------------------------------------------------------------------------------------------------------

_NETWORK = OrganisationKind.NETWORK
_MUNICIPALITY = OrganisationKind.MUNICIPALITY
_SOCIAL = OrganisationKind.SOCIAL_ECONOMY_ENTERPRISE

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    # The BSI consortium (seed 000)
    OrganisationSpec("AEIDL", "BE", _NETWORK),
    OrganisationSpec("REVES", "BE", _NETWORK),
    OrganisationSpec("DIESIS COOP", "BE", _NETWORK),
    OrganisationSpec("Social Economy Europe", "BE", _NETWORK),
    OrganisationSpec("ENSIE", "BE", _NETWORK),
    # Buy Social Taskforce Danmark, 3rd meeting (seed 003)
    OrganisationSpec("Rummelig Genstart", "DK", _SOCIAL),
    OrganisationSpec("Kooperationen", "DK", _NETWORK),
    OrganisationSpec("Sociale Entreprenører i Danmark", "DK", _NETWORK),
    OrganisationSpec("Konsulenthuset for Socialøkonomi", "DK", _SOCIAL),
    OrganisationSpec("KAB", "DK", OrganisationKind.COMPANY),
    OrganisationSpec("Erhvervsstyrelsen", "DK", OrganisationKind.AUTHORITY),
    OrganisationSpec("Comdia", "DK", _SOCIAL),
    OrganisationSpec("Incita", "DK", _SOCIAL),
    OrganisationSpec("Glad Fonden", "DK", OrganisationKind.FOUNDATION),
    OrganisationSpec("Odense Kommune", "DK", _MUNICIPALITY),
    OrganisationSpec("Ligeværd", "DK", _NETWORK),
    OrganisationSpec("Reach for Change", "DK", OrganisationKind.FOUNDATION),
    OrganisationSpec("Den Sociale Kapitalfond", "DK", OrganisationKind.FOUNDATION),
    OrganisationSpec("Slagelse Kommune", "DK", _MUNICIPALITY),
    OrganisationSpec("Haderslev Kommune", "DK", _MUNICIPALITY),
    # COSPRO partners and associated partners (seed 001)
    OrganisationSpec("Comune di Bergamo", "IT", _MUNICIPALITY),
    OrganisationSpec("Município de Torres Vedras", "PT", _MUNICIPALITY),
    OrganisationSpec("Östersunds kommun", "SE", _MUNICIPALITY),
    OrganisationSpec("IFEF Cádiz", "ES", OrganisationKind.PUBLIC_BUYER),
    OrganisationSpec("Община Габрово / Gabrovo Municipality", "BG", _MUNICIPALITY),
    OrganisationSpec("Регионално сдружение на общини „Централна Стара планина“", "BG", _NETWORK),
    OrganisationSpec("Регионална стопанска камара – Габрово", "BG", _NETWORK),
    # Big Buyers for Climate and Environment (seed 002)
    OrganisationSpec("ICLEI – Local Governments for Sustainability", "DE", _NETWORK),
    OrganisationSpec("Eurocities", "BE", _NETWORK),
    OrganisationSpec("Region Västernorrland", "SE", OrganisationKind.PUBLIC_BUYER),
    OrganisationSpec("Central Sweden European Office", "BE", _NETWORK),
)


# ---------------------------------------------------------------------------------------------------------
# BSI – Buying for Social Impact: 15 national conferences in 2019 (seed 000), and a new round
# ---------------------------------------------------------------------------------------------------------

# (country code, country, city, time zone, 2019 date), in the order the seed lists the countries.
BSI_COUNTRIES: tuple[tuple[str, str, str, str, date], ...] = (
    ("HR", "Croatia", "Zagreb", "Europe/Zagreb", date(2019, 3, 5)),
    ("CZ", "Czechia", "Prague", "Europe/Prague", date(2019, 3, 19)),
    ("DK", "Denmark", "Copenhagen", "Europe/Copenhagen", date(2019, 4, 2)),
    ("FR", "France", "Paris", "Europe/Paris", date(2019, 4, 11)),
    ("DE", "Germany", "Berlin", "Europe/Berlin", date(2019, 5, 7)),
    ("GR", "Greece", "Athens", "Europe/Athens", date(2019, 5, 21)),
    ("HU", "Hungary", "Budapest", "Europe/Budapest", date(2019, 6, 4)),
    ("IT", "Italy", "Rome", "Europe/Rome", date(2019, 6, 18)),
    ("IE", "Ireland", "Dublin", "Europe/Dublin", date(2019, 9, 10)),
    ("LV", "Latvia", "Riga", "Europe/Riga", date(2019, 9, 24)),
    ("NL", "Netherlands", "Amsterdam", "Europe/Amsterdam", date(2019, 10, 8)),
    ("PL", "Poland", "Warsaw", "Europe/Warsaw", date(2019, 10, 22)),
    ("RO", "Romania", "Bucharest", "Europe/Bucharest", date(2019, 11, 5)),
    ("SK", "Slovakia", "Bratislava", "Europe/Bratislava", date(2019, 11, 19)),
    ("SE", "Sweden", "Stockholm", "Europe/Stockholm", date(2019, 12, 3)),
)

BSI_DESCRIPTION = (
    "Buying for Social Impact (BSI) is a project of EASME and DG GROW to promote social considerations in public "
    "procurement. It brings together public buyers and social-economy enterprises so that more public money buys "
    "social impact. The project is run by a consortium led by AEIDL with REVES, DIESIS COOP, Social Economy Europe "
    "and ENSIE, and a team of national experts in 15 EU countries."
)
BSI_EVENT_DESCRIPTION = (
    "National conference on socially responsible public procurement, for public buyers and social-economy "
    "enterprises. Participation is by invitation only: invitees register online. If you were not invited but "
    "would like to take part, or have a good procurement case to present, please contact the organiser."
)


def _bsi_conference(number: int, code: str, country: str, city: str, zone: str, day: date | Upcoming) -> EventSpec:
    return EventSpec(
        number=number,
        title=f"Buying for Social Impact – national conference {country}",
        kind=EventKind.CONFERENCE,
        timezone=zone,
        day=day,
        start=time(9, 30),
        end=time(16, 30),
        location=f"{city}, {country}",
        country=code,
        capacity=120,
        invitation_only=True,
        registration_closes_days_before=7,
        description=BSI_EVENT_DESCRIPTION,
    )


BSI_2019 = SeriesSpec(
    slug="bsi-national-conferences-2019",
    title="BSI national conferences 2019",
    description=BSI_DESCRIPTION,
    visibility=Visibility.PUBLIC,
    events=tuple(
        _bsi_conference(number, code, country, city, zone, day)
        for number, (code, country, city, zone, day) in enumerate(BSI_COUNTRIES, start=1)
    ),
)


def _national_conference(number: int, conference: NationalConference) -> EventSpec:
    """A conference of the new round, written by its national organisers in their language (``bsi_round``)."""
    return EventSpec(
        number=number,
        title=conference.title,
        kind=EventKind.CONFERENCE,
        timezone=conference.zone,
        day=Upcoming(number - 1),
        start=time(9, 30),
        end=time(16, 30),
        location=conference.location,
        country=conference.country,
        capacity=120,
        invitation_only=True,
        registration_closes_days_before=7,
        description=conference.description,
        language=conference.language,
    )


BSI_NEW_ROUND = SeriesSpec(
    slug="bsi-national-conferences-2027",
    title="BSI national conferences – new round",
    description=BSI_DESCRIPTION
    + " After the 2019 campaign, a new round of national conferences visits the same 15 countries, each in its "
    "own language.",
    visibility=Visibility.PUBLIC,
    schedule=Schedule(first_in=timedelta(weeks=3), every=timedelta(weeks=2), weekday=3),  # Thursdays
    events=tuple(_national_conference(number, conference) for number, conference in enumerate(CONFERENCES, start=1)),
    # The consortium's partners follow the new round: its organiser has members to manage, not only invitees.
    members=tuple(
        MemberSpec(f"{email_name}@example.org", name, organisation, language="en", timezone=BRUSSELS)
        for email_name, name, organisation in (
            ("luc.dubois", "Luc Dubois", "REVES"),
            ("ines.moreau", "Inès Moreau", "DIESIS COOP"),
            ("pieter.jansen", "Pieter Jansen", "ENSIE"),
        )
    ),
)


# ---------------------------------------------------------------------------------------------------------
# Buy Social Taskforce Danmark (seed 003): numbered online meetings, 14:00–15:30 Copenhagen time
# ---------------------------------------------------------------------------------------------------------

TASKFORCE_SLUG = "buy-social-taskforce-danmark"
TASKFORCE_DESCRIPTION = (
    "Buy Social Taskforce Danmark løfter dagsordenen for sociale indkøb i Danmark: offentlige indkøbere, "
    "socialøkonomiske virksomheder, fonde og organisationer mødes online, deler erfaringer og prioriterer "
    "indsatser mod barriererne for sociale indkøb. Taskforcen er ikke et lukket forum; nye deltagere er velkomne.\n\n"
    "Buy Social Taskforce Denmark brings public buyers, social-economy enterprises, foundations and networks "
    "together online to share experience and tackle the barriers to social procurement in Denmark. "
    "The minutes of every meeting are collected in one place."
)


def _taskforce_meeting(number: int, day: date | Upcoming, description: str = "") -> EventSpec:
    return EventSpec(
        number=number,
        title=f"Buy Social Taskforce Danmark – {number}. møde",
        kind=EventKind.MEETING,
        timezone=COPENHAGEN,
        day=day,
        start=time(14, 0),
        end=time(15, 30),
        online_url=f"https://meet.example.org/buy-social-taskforce-dk-{number}",
        country="DK",
        description=description,
    )


def _member(first: str, last: str, email_name: str, organisation: str, **extra) -> MemberSpec:
    return MemberSpec(email=f"{email_name}@example.org", name=f"{first} {last}", organisation=organisation, **extra)


TASKFORCE = SeriesSpec(
    slug=TASKFORCE_SLUG,
    title="Buy Social Taskforce Danmark",
    description=TASKFORCE_DESCRIPTION,
    # Public, as in life: the Taskforce collects the minutes of every meeting on one public web page (seed 003).
    visibility=Visibility.PUBLIC,
    schedule=Schedule(first_in=timedelta(weeks=3), every=timedelta(weeks=8), weekday=1),  # Tuesdays
    events=(
        _taskforce_meeting(1, date(2022, 6, 14), "Første møde: præsentation af deltagerne og Taskforcens formål."),
        _taskforce_meeting(2, date(2022, 9, 13), "Kortlægning af barrierer for sociale indkøb i Danmark."),
        _taskforce_meeting(
            3,
            date(2022, 11, 15),
            "Bordet rundt; siden sidste møde (website for Taskforcen, nyt EU call); prioritering af barriererne fra "
            "2. møde; brainstorm på mulige indsatser og eventuelle undergrupper.",
        ),
        _taskforce_meeting(4, date(2023, 1, 24), "Opfølgning på EU-ansøgningen og de prioriterede indsatser."),
        _taskforce_meeting(5, Upcoming(0)),
        _taskforce_meeting(6, Upcoming(1)),
        _taskforce_meeting(7, Upcoming(2)),
    ),
    members=(
        _member("Sofie", "Lindholm", "sofie.lindholm", "Rummelig Genstart", role=MembershipRole.SECRETARY),
        _member("Mads", "Kjærgaard", "mads.kjaergaard", "Kooperationen"),
        _member("Henrik", "Søndergaard", "henrik.soendergaard", "Sociale Entreprenører i Danmark"),
        _member("Line", "Østergaard", "line.oestergaard", "Konsulenthuset for Socialøkonomi"),
        _member("Amalie", "Frost", "amalie.frost", "KAB"),
        _member("Jonas", "Bech", "jonas.bech", "Erhvervsstyrelsen"),
        _member("Kasper", "Holm", "kasper.holm", "Comdia"),
        _member("Maja", "Winther", "maja.winther", "Incita"),
        _member("Camilla", "Juhl", "camilla.juhl", "Glad Fonden"),
        _member("Signe", "Dalgaard", "signe.dalgaard", "Odense Kommune"),
        _member("Niels", "Vestergaard", "niels.vestergaard", "Ligeværd"),
        _member("Freja", "Ravn", "freja.ravn", "Reach for Change"),
        _member("Emil", "Brandt", "emil.brandt", "Den Sociale Kapitalfond"),
        _member("Karen", "Munk", "karen.munk", "Slagelse Kommune"),
    ),
)


# ---------------------------------------------------------------------------------------------------------
# COSPRO (seed 001): 1 Feb 2021 – 31 Jan 2022; three missions (one virtual) and three webinars
# ---------------------------------------------------------------------------------------------------------

COSPRO = SeriesSpec(
    slug="cospro",
    title="COSPRO – Competence sharing in Social responsible PROcurement",
    description=(
        "A 12-month COSME project (1 February 2021 – 31 January 2022) of seven partners: Comune di Bergamo "
        "(coordinator), Município de Torres Vedras, Odense Kommune, Östersunds kommun, IFEF Cádiz, Gabrovo "
        "Municipality and REVES. Three social-economy missions, three webinars, a best-practice document and an "
        "open community of practice on socially responsible public procurement."
    ),
    visibility=Visibility.PUBLIC,
    events=(
        EventSpec(
            number=1,
            title="COSPRO webinar 1: policies and European trends in social economy and social procurement",
            kind=EventKind.WEBINAR,
            timezone=BRUSSELS,
            day=date(2021, 4, 20),
            start=time(10, 0),
            end=time(12, 0),
            online_url="https://meet.example.org/cospro-webinar-1",
            description="Hosted by REVES: an overview of current policies and European trends.",
        ),
        EventSpec(
            number=2,
            title="COSPRO mission to Torres Vedras (virtual): socio-environmental procurement",
            kind=EventKind.MISSION,
            timezone="Europe/Lisbon",
            day=date(2021, 6, 15),
            start=time(9, 30),
            end=time(13, 0),
            end_day=1,
            online_url="https://meet.example.org/cospro-mission-torres-vedras",
            country="PT",
            description="A virtual study visit on socio-environmental public procurement procedures.",
        ),
        EventSpec(
            number=3,
            title="COSPRO mission to Bergamo: responsible procurement of social services",
            kind=EventKind.MISSION,
            timezone="Europe/Rome",
            day=date(2021, 9, 22),
            start=time(9, 0),
            end=time(17, 0),
            end_day=1,
            location="Bergamo, Italy",
            country="IT",
            capacity=30,
            description="Study visit: sharing experience of responsible procurement in social services.",
        ),
        EventSpec(
            number=4,
            title="COSPRO mission to Odense: employment clauses in public procurement",
            kind=EventKind.MISSION,
            timezone=COPENHAGEN,
            day=date(2021, 10, 26),
            start=time(9, 0),
            end=time(16, 0),
            end_day=1,
            location="Odense, Denmark",
            country="DK",
            capacity=30,
            description="Study visit: employment clauses that strengthen the social impact of procurement.",
        ),
        EventSpec(
            number=5,
            title="COSPRO webinar 2: what the missions taught us",
            kind=EventKind.WEBINAR,
            timezone="Europe/Rome",
            day=date(2021, 11, 23),
            start=time(10, 0),
            end=time(12, 0),
            online_url="https://meet.example.org/cospro-webinar-2",
            description="Hosted by Bergamo: going deeper into the results of the three missions.",
        ),
        EventSpec(
            number=6,
            title="COSPRO webinar 3: what to take further",
            kind=EventKind.WEBINAR,
            timezone="Europe/Stockholm",
            day=date(2021, 12, 14),
            start=time(10, 0),
            end=time(12, 0),
            online_url="https://meet.example.org/cospro-webinar-3",
            description="Hosted by Östersund: identifying elements for follow-up and the community of practice.",
        ),
    ),
)


# ---------------------------------------------------------------------------------------------------------
# Big Buyers for Climate and Environment (seed 002): a working group of large public buyers
# ---------------------------------------------------------------------------------------------------------


def _working_group_meeting(number: int, day: date | Upcoming, description: str = "") -> EventSpec:
    return EventSpec(
        number=number,
        title=f"Big Buyers working group on social procurement – meeting {number}",
        kind=EventKind.WORKING_GROUP_MEETING,
        timezone=BRUSSELS,
        day=day,
        start=time(10, 0),
        end=time(12, 0),
        online_url=f"https://meet.example.org/big-buyers-social-procurement-{number}",
        description=description,
    )


BIG_BUYERS = SeriesSpec(
    slug="big-buyers-social-procurement",
    title="Big Buyers for Climate and Environment – working group on social procurement",
    description=(
        "Big Buyers for Climate and Environment is a European Commission initiative, run by ICLEI and Eurocities, "
        "that brings large public buyers together to drive demand for innovative and sustainable products and "
        "services. The working group meets regularly to exchange good examples from across the EU, develop "
        "procurement criteria and strategies together, and hear about the latest guidance. "
        "To join the working group, fill in the needs assessment first."
    ),
    visibility=Visibility.MEMBERS,
    schedule=Schedule(first_in=timedelta(weeks=5), every=timedelta(weeks=10), weekday=2),  # Wednesdays
    events=(
        _working_group_meeting(1, date(2021, 3, 17), "Kick-off: the needs assessments and the group's priorities."),
        _working_group_meeting(2, date(2021, 6, 9), "Good examples from the members; first draft of shared criteria."),
        _working_group_meeting(3, date(2021, 10, 13), "Shared criteria and a joint market dialogue."),
        _working_group_meeting(4, Upcoming(0)),
        _working_group_meeting(5, Upcoming(1)),
    ),
    members=(
        _member(
            "Linnea", "Sjöberg", "linnea.sjoberg", "Region Västernorrland", language="en", timezone="Europe/Stockholm"
        ),
        _member(
            "Oskar", "Lindqvist", "oskar.lindqvist", "Central Sweden European Office", language="en", timezone=BRUSSELS
        ),
        _member(
            "Hannah",
            "Weber",
            "hannah.weber",
            "ICLEI – Local Governments for Sustainability",
            language="en",
            timezone="Europe/Berlin",
            role=MembershipRole.SECRETARY,
        ),
        _member("Tom", "Peeters", "tom.peeters", "Eurocities", language="en", timezone=BRUSSELS),
        _member("Giulia", "Ferrari", "giulia.ferrari", "Comune di Bergamo", language="en", timezone="Europe/Rome"),
        _member("Erik", "Nyström", "erik.nystrom", "Östersunds kommun", language="en", timezone="Europe/Stockholm"),
        _member("Ditte", "Skov", "ditte.skov", "Odense Kommune"),
    ),
)


SERIES: tuple[SeriesSpec, ...] = (BSI_2019, BSI_NEW_ROUND, TASKFORCE, COSPRO, BIG_BUYERS)

# Events outside any series; found again by title and start.
STANDALONE_EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        title="Konference om offentlige sociale indkøb",
        kind=EventKind.CONFERENCE,
        timezone=COPENHAGEN,
        day=date(2023, 1, 26),
        start=time(9, 30),
        end=time(15, 0),
        location="København",
        country="DK",
        capacity=150,
        description="Kooperationens konference om offentlige sociale indkøb, med erfaringer fra Udviklingsforum for socialt indkøb.",
        created_by="frederik.dahl@example.org",
    ),
)


# ---------------------------------------------------------------------------------------------------------
# Demo accounts, one per role, and one organiser per network: each network is run by its own people, and an
# organiser manages only the series they organise (AEIDL leads the BSI consortium; Kooperationen, REVES and
# Eurocities stand in for the others).
# ---------------------------------------------------------------------------------------------------------

_ORGANISES = MembershipRole.ORGANISER
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("admin@example.org", "Anna Admin", Role.ADMIN, "demo-admin-2026"),
    AccountSpec(
        "organiser@example.org",
        "Oliver Organiser",
        Role.ORGANISER,
        "demo-organiser-2026",
        organisation="AEIDL",
        memberships=((BSI_2019.slug, _ORGANISES), (BSI_NEW_ROUND.slug, _ORGANISES)),
    ),
    AccountSpec(
        "frederik.dahl@example.org",
        "Frederik Dahl",
        Role.ORGANISER,
        "demo-organiser-2026",
        organisation="Kooperationen",
        language="da",
        timezone=COPENHAGEN,
        memberships=((TASKFORCE_SLUG, _ORGANISES),),
    ),
    AccountSpec(
        "marta.ribeiro@example.org",
        "Marta Ribeiro",
        Role.ORGANISER,
        "demo-organiser-2026",
        organisation="REVES",
        memberships=((COSPRO.slug, _ORGANISES),),
    ),
    AccountSpec(
        "sophie.martens@example.org",
        "Sophie Martens",
        Role.ORGANISER,
        "demo-organiser-2026",
        organisation="Eurocities",
        memberships=((BIG_BUYERS.slug, _ORGANISES),),
    ),
    AccountSpec(
        "secretary@example.org",
        "Sara Sekretær",
        Role.SECRETARY,
        "demo-secretary-2026",
        organisation="Sociale Entreprenører i Danmark",
        language="da",
        timezone=COPENHAGEN,
        memberships=((TASKFORCE_SLUG, MembershipRole.SECRETARY),),
    ),
    AccountSpec(
        "member@example.org",
        "Mikkel Medlem",
        Role.MEMBER,
        "demo-member-2026",
        organisation="Kooperationen",
        language="da",
        timezone=COPENHAGEN,
        memberships=((TASKFORCE_SLUG, MembershipRole.MEMBER),),
    ),
)
