"""The 3rd meeting of Buy Social Taskforce Danmark (seed 003), entered the way a secretary would: agenda,
attendance, round table, decisions, deadlines, materials and next meeting, then published.

The organisations are real; the people are the invented members of the demo, found by organisation. The texts
paraphrase the seed's minutes in Danish. ``meeting3_input`` gives the same content in the API's shape, so the
acceptance test enters it through the API and the demo through the services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventhub.agenda.services import find_agenda, publish_agenda, replace_agenda
from eventhub.events.models import Event, Person
from eventhub.minutes.publication import publish_version
from eventhub.minutes.services import find_minutes, update_minutes

DAY = "2022-11-15"
WELCOME_OWNER = "Sociale Entreprenører i Danmark"

# (start, end, title, kind, owner organisation or None)
AGENDA: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("14:00", "14:05", "Velkommen og velkommen til eventuelt nye deltagere i Taskforcen", "welcome", WELCOME_OWNER),
    ("14:05", "14:15", "Bordet rundt", "round_table", None),
    ("14:15", "14:25", "Siden sidste møde – Website for Taskforcen – nyt EU call", "presentation", WELCOME_OWNER),
    (
        "14:25",
        "14:40",
        "Input fra deltagerne til det nye EU call: hvad skal Taskforcen arbejde med, og hvordan?",
        "discussion",
        None,
    ),
    (
        "14:40",
        "14:55",
        "Kort gennemgang af barriererne fra 2. møde d. 13. september – tilføjelser og prioritering",
        "discussion",
        WELCOME_OWNER,
    ),
    (
        "14:55",
        "15:25",
        "Brainstorm på mulige indsatser ud fra de prioriterede barrierer – undergrupper eller samlet Taskforce?",
        "discussion",
        None,
    ),
    ("15:25", "15:30", "Afrunding", "wrap_up", WELCOME_OWNER),
)

# The attendees, by organisation, in the seed's order.
ATTENDING = (
    "Rummelig Genstart", "Kooperationen", "Sociale Entreprenører i Danmark", "Konsulenthuset for Socialøkonomi", "KAB",
    "Erhvervsstyrelsen", "Comdia", "Incita", "Glad Fonden", "Odense Kommune", "Ligeværd", "Reach for Change",
    "Den Sociale Kapitalfond", "Slagelse Kommune",
)  # fmt: skip

ROUND_TABLE: tuple[tuple[str, str], ...] = (
    ("Reach for Change", "Gjorde opmærksom på det nye EU call om at styrke et *buy social* B2B-marked: op til 300.000 euro pr. projekt, "
     "ansøgning af et konsortium fra mindst tre lande, deadline 7. december. Reach for Change er med i et konsortium ledet af "
     "[Euclid Network](https://euclidnetwork.eu)."),
    ("Odense Kommune", "Har haft held med sociale klausuler i udbud og skabt omkring 80 job til mennesker fra udsatte grupper. "
     "Deler gerne erfaringerne, fx som case."),
    ("Rummelig Genstart", "Arbejder på en ansøgning til det nye EU call og opfordrer alle til at overveje at deltage i konsortiet "
     "eller bidrage med idéer til aktiviteter."),
    ("Kooperationen", "Har gennem Rummelig Genstart drevet virksomhedssamarbejder og "
     "[Udviklingsforum for socialt indkøb](https://www.rummeliggenstart.dk/udviklingsforum-for-socialt-indk%C3%B8b). "
     "Holder konference om offentlige sociale indkøb i januar."),
    ("Konsulenthuset for Socialøkonomi", "Analyserer værdikæder for private virksomheder, bl.a. for en boligorganisation, og har "
     "startet den socialøkonomiske virksomhed KANT, der hjælper virksomheder med at rekruttere mennesker med handicap."),
    ("KAB", "Samarbejder med socialøkonomiske virksomheder, bl.a. Incita om en planteskole; juridiske regler for almene boliger gør "
     "processen langsommelig."),
    ("Erhvervsstyrelsen", "Fortalte om EU's *Transition Pathway for Proximity and Social Economy*, som kan give socialøkonomien mere "
     "politisk fokus også i Danmark."),
    ("Den Sociale Kapitalfond", "Udarbejder en rapport, støttet af Nordic Innovation, om hvorfor velfærdsiværksættere har svært ved at "
     "sælge til kommuner. Både kommuner og iværksættere skal ændre sig."),
    ("Comdia", "Portalen [socialoekonomisk.dk](https://socialoekonomisk.dk) udvides til Sverige, så danske socialøkonomiske "
     "virksomheder kan blive synlige for svenske købere."),
    ("Incita", "Etablerer en økologisk planteskole sammen med KAB, støttet af Velux Fonden."),
    ("Glad Fonden", "Har gode samarbejder med store private virksomheder, bl.a. KLP og NREP."),
    ("Ligeværd", "Interesseret i partnerskaber mellem socialøkonomiske og private virksomheder, der skaber job til unge udsatte."),
)  # fmt: skip

BODY = """## Velkommen

Taskforcen blev kort introduceret. Den er ikke et lukket forum: aktører, der vil bidrage, er velkomne, og en ny
deltager fra en kommune kommer med fra 4. møde.

## Siden sidst

Der er oprettet et website for Buy Social Taskforce Danmark hos Rummelig Genstart, hvor referater og materialer
samles: <https://www.rummeliggenstart.dk/buy-social-taskforce-danmark>. Henvis gerne interesserede dertil.

## EU-call

Det nye EU *buy social* call kan måske finansiere dele af Taskforcens arbejde. Forslag til ansøgningen sendes
hurtigst muligt – deadline er 7. december.

## Barrierer

Med udgangspunkt i barriererne fra 2. møde drøftede deltagerne, hvilke barrierer og indsatser der er vigtigst:
kapacitetsopbygning hos iværksætterne, den manglende politiske interesse, truende konkurser blandt
socialøkonomiske virksomheder, kommunernes svære økonomi og erhvervsorganisationernes begrænsede fokus på
socialøkonomi. Gode eksempler på samarbejder mellem kommune, privat og socialøkonomisk virksomhed efterlyses.

## Afrunding

Mødet blev rundet af med en kort opsummering og en gentagelse af opfordringen til at indsende gode eksempler.
"""

DECISIONS = (
    "Kapacitetsopbygning hos socialøkonomiske virksomheder og iværksættere prioriteres.",
    "Taskforcen arbejder for mere politisk opmærksomhed på socialøkonomi og sociale indkøb.",
    "Deltagerne indsender eksempler på gode samarbejder mellem kommuner, private og socialøkonomiske virksomheder.",
    "Forslag til EU-ansøgningen sendes til Rummelig Genstart inden 7. december.",
)

DEADLINES = (
    ("EU call: Boosting awareness raising for mainstream enterprises to work with social enterprises (buy social B2B market)",
     "2022-12-07", "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/smp-cosme-2022-buysocialb2bmarket-01"),
    ("EU call: Greening social economy SMEs and entrepreneurs in the proximity and social economy ecosystem", "2023-02-14",
     "https://eismea.ec.europa.eu/funding-opportunities/calls-proposals/greening-social-economy-smes-and-entrepreneurs-proximity-and-social-economy-ecosystem-through_en"),
)  # fmt: skip

MATERIALS = (
    ("Nyt EU call: buy social B2B market", "Rummelig Genstart søger; mulighed for at finansiere dele af Taskforcens arbejde. Deadline 7. december 2022.",
     "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/smp-cosme-2022-buysocialb2bmarket-01"),
    ("Endnu et nyt EU call: grønnere socialøkonomiske SMV'er", "Kapacitetsopbygning og videnoverførsel for at nå målene i EU's Green Deal. Deadline 14. februar 2023.",
     "https://eismea.ec.europa.eu/funding-opportunities/calls-proposals/greening-social-economy-smes-and-entrepreneurs-proximity-and-social-economy-ecosystem-through_en"),
    ("Transition Pathway for Proximity and Social Economy Ecosystem", "EU-Kommissionens rapport fra 14. november 2022, udarbejdet med 400 aktører.",
     "https://lnkd.in/druNgRvF"),
    ("Ny irsk Buy Social-platform og kampagne", "Social Enterprise Ireland holdt #BuySocialIRL-uge 14.–21. november.", "https://buysocial.ie"),
    ("Anden European Social Enterprise Monitor", "Euclid Network: rapport for 2021–2022, nu med 21 lande.", "https://euclidnetwork.eu"),
    ("How to use your procurement spend for good", "Social Traders om at bruge indkøb til at skabe positiv impact.",
     "https://www.socialtraders.com.au/news/five-ways-to-use-your-procurement-spend-for-good"),
)  # fmt: skip

NEXT_MEETING = "Januar 2023"


def agenda_input(people_by_organisation: dict[str, Person]) -> list[dict[str, Any]]:
    """The agenda in the API's shape (local times in Copenhagen; owners by email)."""
    return [
        {
            "starts_at": f"{DAY}T{start}:00",
            "ends_at": f"{DAY}T{end}:00",
            "title": title,
            "kind": kind,
            "owner": people_by_organisation[owner].email if owner else None,
        }
        for start, end, title, kind, owner in AGENDA
    ]


def minutes_input(people_by_organisation: dict[str, Person]) -> dict[str, Any]:
    """The minutes in the API's shape."""
    return {
        "body": BODY,
        "attendees": [people_by_organisation[org].email for org in ATTENDING],
        "round_table": [{"person": people_by_organisation[org].email, "text": text} for org, text in ROUND_TABLE],
        "decisions": list(DECISIONS),
        "deadlines": [{"title": title, "date": day, "link": link} for title, day, link in DEADLINES],
        "materials": [{"title": title, "description": text, "link": link} for title, text, link in MATERIALS],
        "next_meeting": NEXT_MEETING,
    }


def load_meeting3_minutes(event: Event, now: datetime, secretary: Person | None = None) -> bool:
    """Enter and publish meeting 3's agenda and minutes unless they exist. Returns whether anything was created."""
    people: dict[str, Person] = {}
    for membership in sorted(event.series.memberships, key=lambda m: m.person_id):  # the members before demo accounts
        if membership.person.organisation is not None:
            people.setdefault(membership.person.organisation.name, membership.person)
    created = False
    if find_agenda(event) is None:
        replace_agenda(event, agenda_input(people), now)
        publish_agenda(event, now)
        created = True
    minutes = find_minutes(event)
    if minutes is None or minutes.published_version == 0:
        update_minutes(event, minutes_input(people), now)
        publish_version(event, now, secretary, "")  # no emails: demo members are invented people
        created = True
    return attach_meeting3_materials(event, now) or created


def attach_meeting3_materials(event: Event, now: datetime) -> bool:
    """The minutes' "relevant news and materials" as the meeting's link materials (on the event page, in the
    archive and the calendars), added by the first admin unless the meeting has materials already."""
    import sqlalchemy as sa

    from eventhub.accounts.models import Role, User
    from eventhub.extensions import db
    from eventhub.materials.services import attach_link, materials_of

    admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN).order_by(User.id).limit(1))
    if admin is None or materials_of(event):
        return False
    day = event.starts_at.date().isoformat()
    for title, _summary, url in MATERIALS:
        attach_link(event, url, {"title": title, "dated_on": day}, admin, now)
    return True


def load_taskforce_meeting3(now: datetime, slug: str = "buy-social-taskforce-danmark") -> bool:
    """The demo loader's one call: meeting 3 of the demo Taskforce gets its agenda and published minutes.
    Returns False (and does nothing) when the series or the meeting is not there."""
    import sqlalchemy as sa

    from eventhub.events.models import MembershipRole, Series
    from eventhub.extensions import db

    series = db.session.scalar(sa.select(Series).where(Series.slug == slug))
    event = next((e for e in series.events if e.number == 3), None) if series is not None else None
    if event is None:
        return False
    secretary = next((m.person for m in series.memberships if m.role == MembershipRole.SECRETARY), None)
    return load_meeting3_minutes(event, now, secretary)
