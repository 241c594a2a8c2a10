"""The new round of BSI national conferences, each in its country's language: title, description, place and the
registration questions are written the way the national organisers would write them, in the city's own zone.

Each conference invites a few people: mostly from the country (its language), and some who read another one,
so the demo shows a question read in a translation (English on most conferences, Polish in Dublin) or, where
there is none, as written. The organisations are public buyers and social-economy enterprises of the kind each
country has; the people are invented, all under example.org. ``demo.data`` makes the events of it,
``demo.registration`` their questions, invitations and registrations.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventhub.events.models import OrganisationKind

_MUNICIPALITY = OrganisationKind.MUNICIPALITY
_BUYER = OrganisationKind.PUBLIC_BUYER
_SOCIAL = OrganisationKind.SOCIAL_ECONOMY_ENTERPRISE
_NETWORK = OrganisationKind.NETWORK


@dataclass(frozen=True)
class Questions:
    """The two questions of a conference in one language: the role (three choices, in this order everywhere) and
    an optional procurement case to present; ``case`` "" leaves the case question untranslated."""

    role: str
    roles: tuple[str, str, str]
    case: str = ""


@dataclass(frozen=True)
class Invitee:
    """``role``: the choice they registered with (0 public buyer, 1 social-economy enterprise, 2 other); None:
    not registered yet."""

    email_name: str
    name: str
    organisation: str
    kind: OrganisationKind
    country: str
    language: str
    role: int | None = None
    case: str = ""

    @property
    def email(self) -> str:
        return f"{self.email_name}@example.org"


@dataclass(frozen=True)
class NationalConference:
    country: str
    language: str
    zone: str
    location: str
    title: str
    description: str
    questions: Questions
    invitees: tuple[Invitee, ...]
    translations: tuple[tuple[str, Questions], ...] = ()


EN = Questions(
    "You take part as",
    ("Public buyer", "Social-economy enterprise", "Other"),
    "A procurement case you would like to present (optional)",
)
EN_ROLE = Questions(EN.role, EN.roles)
EN_DESCRIPTION = (
    "National conference on socially responsible public procurement, for public buyers and social-economy "
    "enterprises. Participation is by invitation only: invitees register online. If you were not invited but "
    "would like to take part, or have a good procurement case to present, please contact the organiser."
)

# In the order of data.BSI_COUNTRIES: conference n of the new round is the n-th.
CONFERENCES: tuple[NationalConference, ...] = (
    NationalConference(
        "HR", "hr", "Europe/Zagreb", "Zagreb, Hrvatska",
        "Kupovati za društveni učinak – nacionalna konferencija u Zagrebu",
        "Nacionalna konferencija o društveno odgovornoj javnoj nabavi za javne naručitelje i poduzeća socijalne "
        "ekonomije. Sudjelovanje je samo uz pozivnicu: pozvani se prijavljuju online. Ako niste pozvani, a željeli "
        "biste sudjelovati ili predstaviti primjer nabave, javite se organizatoru.",
        Questions("Sudjelujete kao", ("Javni naručitelj", "Poduzeće socijalne ekonomije", "Ostalo"),
                  "Primjer javne nabave koji biste željeli predstaviti (neobavezno)"),
        (
            Invitee("ivana.horvat", "Ivana Horvat", "Grad Zagreb", _MUNICIPALITY, "HR", "hr", 0),
            Invitee("marko.babic", "Marko Babić", "Socijalna zadruga Humana Nova", _SOCIAL, "HR", "hr", 1),
            Invitee("lukas.gruber", "Lukas Gruber", "Stadt Graz", _MUNICIPALITY, "AT", "de"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "CZ", "cs", "Europe/Prague", "Praha, Česko",
        "Nakupujme se sociálním dopadem – národní konference v Praze",
        "Národní konference o sociálně odpovědném veřejném zadávání pro veřejné zadavatele a podniky sociální "
        "ekonomiky. Účast je pouze na pozvání: pozvaní se registrují online. Pokud jste pozvánku nedostali, ale "
        "chtěli byste se zúčastnit nebo představit zajímavou zakázku, obraťte se na organizátora.",
        Questions("Účastníte se jako", ("Veřejný zadavatel", "Podnik sociální ekonomiky", "Jiné"),
                  "Veřejná zakázka, kterou byste chtěli představit (nepovinné)"),
        (
            Invitee("jana.dvorakova", "Jana Dvořáková", "Magistrát hlavního města Prahy", _MUNICIPALITY, "CZ", "cs", 0),
            Invitee("petr.svoboda", "Petr Svoboda", "Sociální podnik Brno", _SOCIAL, "CZ", "cs", 1,
                    "Školní stravování od sociálního podniku pracovní integrace."),
            Invitee("eva.novotna", "Eva Novotná", "Krajský úřad Olomouckého kraje", _BUYER, "CZ", "cs"),
            Invitee("karel.horak", "Karel Horák", "Ministerstvo práce a sociálních věcí", _BUYER, "CZ", "en", 0),
            Invitee("zuzana.kovacova", "Zuzana Kováčová", "Mesto Trenčín", _MUNICIPALITY, "SK", "sk"),
        ),
        (("en", EN),),
    ),
    NationalConference(
        "DK", "da", "Europe/Copenhagen", "København, Danmark",
        "Indkøb med social effekt – national konference i København",
        "National konference om socialt ansvarlige offentlige indkøb for offentlige indkøbere og socialøkonomiske "
        "virksomheder. Deltagelse kun efter invitation: inviterede tilmelder sig online. Er du ikke inviteret, men "
        "vil du gerne deltage eller præsentere en indkøbssag, så kontakt arrangøren.",
        Questions("Du deltager som", ("Offentlig indkøber", "Socialøkonomisk virksomhed", "Andet"),
                  "En indkøbssag, du gerne vil præsentere (valgfrit)"),
        (
            Invitee("mette.kjaer", "Mette Kjær", "Aarhus Kommune", _MUNICIPALITY, "DK", "da", 0),
            Invitee("rasmus.thomsen", "Rasmus Thomsen", "Rummelig Genstart", _SOCIAL, "DK", "da", 1),
            Invitee("ingrid.nilsson", "Ingrid Nilsson", "Malmö stad", _MUNICIPALITY, "SE", "sv"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "FR", "fr", "Europe/Paris", "Paris, France",
        "Acheter pour un impact social – conférence nationale à Paris",
        "Conférence nationale sur les achats publics socialement responsables, pour les acheteurs publics et les "
        "entreprises de l'économie sociale. Participation sur invitation uniquement : les invités s'inscrivent en "
        "ligne. Si vous n'avez pas été invité mais souhaitez participer ou présenter un cas d'achat, contactez "
        "l'organisateur.",
        Questions("Vous participez en tant que", ("Acheteur public", "Entreprise de l'économie sociale", "Autre"),
                  "Un cas d'achat public que vous aimeriez présenter (facultatif)"),
        (
            Invitee("claire.martin", "Claire Martin", "Ville de Lyon", _MUNICIPALITY, "FR", "fr", 0),
            Invitee("julien.bernard", "Julien Bernard", "Ateliers Solidaires du Rhône", _SOCIAL, "FR", "fr", 1),
            Invitee("koen.peeters", "Koen Peeters", "Stad Gent", _MUNICIPALITY, "BE", "nl"),
        ),
        (("en", EN),),
    ),
    NationalConference(
        "DE", "de", "Europe/Berlin", "Berlin, Deutschland",
        "Einkaufen mit sozialer Wirkung – nationale Konferenz in Berlin",
        "Nationale Konferenz zur sozial verantwortlichen öffentlichen Beschaffung für öffentliche Auftraggeber und "
        "Unternehmen der Sozialwirtschaft. Teilnahme nur auf Einladung: Eingeladene melden sich online an. Wenn Sie "
        "keine Einladung erhalten haben, aber teilnehmen oder einen Beschaffungsfall vorstellen möchten, wenden Sie "
        "sich bitte an die Veranstalter.",
        Questions("Sie nehmen teil als", ("Öffentlicher Auftraggeber", "Sozialunternehmen", "Sonstiges"),
                  "Ein Beschaffungsfall, den Sie vorstellen möchten (optional)"),
        (
            Invitee("katrin.schmidt", "Katrin Schmidt", "Beschaffungsamt des BMI", _BUYER, "DE", "de", 0),
            Invitee("tobias.wagner", "Tobias Wagner", "Inklusionsbetrieb Spreewerk gGmbH", _SOCIAL, "DE", "de", 1),
            Invitee("agnieszka.nowak", "Agnieszka Nowak", "Urząd Miasta Szczecin", _MUNICIPALITY, "PL", "pl"),
        ),
        (("en", EN),),
    ),
    NationalConference(
        "GR", "el", "Europe/Athens", "Αθήνα, Ελλάδα",
        "Αγορές με κοινωνικό αντίκτυπο – εθνικό συνέδριο στην Αθήνα",
        "Εθνικό συνέδριο για τις κοινωνικά υπεύθυνες δημόσιες συμβάσεις, για αναθέτουσες αρχές και επιχειρήσεις "
        "κοινωνικής οικονομίας. Η συμμετοχή γίνεται μόνο με πρόσκληση: οι προσκεκλημένοι εγγράφονται ηλεκτρονικά. "
        "Αν δεν έχετε λάβει πρόσκληση αλλά θέλετε να συμμετάσχετε ή να παρουσιάσετε μια περίπτωση σύμβασης, "
        "επικοινωνήστε με τους διοργανωτές.",
        Questions("Συμμετέχετε ως", ("Αναθέτουσα αρχή", "Επιχείρηση κοινωνικής οικονομίας", "Άλλο"),
                  "Μια περίπτωση δημόσιας σύμβασης που θα θέλατε να παρουσιάσετε (προαιρετικό)"),
        (
            Invitee("maria.papadopoulou", "Μαρία Παπαδοπούλου", "Δήμος Αθηναίων", _MUNICIPALITY, "GR", "el", 0),
            Invitee("nikos.georgiou", "Νίκος Γεωργίου", "Κοιν.Σ.Επ. Κοινωνική Κουζίνα", _SOCIAL, "GR", "el", 1),
            # Bulgarian: the questions have no Bulgarian translation, so he reads them in Greek, as written.
            Invitee("georgi.ivanov", "Георги Иванов", "Столична община", _MUNICIPALITY, "BG", "bg", 2),
        ),
        (("en", EN),),
    ),
    NationalConference(
        "HU", "hu", "Europe/Budapest", "Budapest, Magyarország",
        "Vásárlás társadalmi hatásért – nemzeti konferencia Budapesten",
        "Nemzeti konferencia a társadalmilag felelős közbeszerzésről ajánlatkérők és szociális gazdasági "
        "vállalkozások számára. A részvétel csak meghívóval lehetséges: a meghívottak online regisztrálnak. Ha nem "
        "kapott meghívót, de szívesen részt venne vagy bemutatna egy beszerzési esetet, keresse a szervezőket.",
        Questions("Milyen minőségben vesz részt?", ("Ajánlatkérő", "Szociális gazdasági vállalkozás", "Egyéb"),
                  "Beszerzési eset, amelyet szívesen bemutatna (nem kötelező)"),
        (
            Invitee("katalin.nagy", "Nagy Katalin", "Budapest Főváros Önkormányzata", _MUNICIPALITY, "HU", "hu", 0),
            Invitee("peter.toth", "Tóth Péter", "Kézműves Szociális Szövetkezet", _SOCIAL, "HU", "hu", 1),
            Invitee("andrea.szabova", "Andrea Szabová", "Mesto Komárno", _MUNICIPALITY, "SK", "sk"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "IT", "it", "Europe/Rome", "Roma, Italia",
        "Acquistare per l'impatto sociale – conferenza nazionale a Roma",
        "Conferenza nazionale sugli appalti pubblici socialmente responsabili, per stazioni appaltanti e imprese "
        "dell'economia sociale. Partecipazione solo su invito: gli invitati si registrano online. Se non ha "
        "ricevuto un invito ma desidera partecipare o presentare un caso di appalto, contatti gli organizzatori.",
        Questions("Partecipa come", ("Stazione appaltante", "Impresa dell'economia sociale", "Altro"),
                  "Un caso di appalto che vorrebbe presentare (facoltativo)"),
        (
            Invitee("francesca.romano", "Francesca Romano", "Roma Capitale", _MUNICIPALITY, "IT", "it", 0),
            Invitee("luca.esposito", "Luca Esposito", "Cooperativa sociale Lavoro e Solidarietà", _SOCIAL, "IT",
                    "it", 1),
            Invitee("thomas.mair", "Thomas Mair", "Gemeinde Bozen / Comune di Bolzano", _MUNICIPALITY, "IT", "de"),
        ),
        (("en", EN),),
    ),
    NationalConference(
        "IE", "en", "Europe/Dublin", "Dublin, Ireland",
        "Buying for Social Impact – national conference in Dublin",
        EN_DESCRIPTION,
        EN,
        (
            Invitee("siobhan.kelly", "Siobhán Kelly", "Office of Government Procurement", _BUYER, "IE", "en", 0),
            Invitee("conor.byrne", "Conor Byrne", "Dublin Community Works CLG", _SOCIAL, "IE", "en", 1),
            Invitee("katarzyna.wisniewska", "Katarzyna Wiśniewska", "Cork City Council", _MUNICIPALITY, "IE", "pl"),
        ),
        (("pl", Questions("Uczestniczę jako", ("Zamawiający publiczny", "Przedsiębiorstwo społeczne", "Inne"),
                          "Przykład zamówienia, który chcę przedstawić (opcjonalnie)")),),
    ),
    NationalConference(
        "LV", "lv", "Europe/Riga", "Rīga, Latvija",
        "Iepirkumi sociālai ietekmei – nacionālā konference Rīgā",
        "Nacionālā konference par sociāli atbildīgiem publiskajiem iepirkumiem pasūtītājiem un sociālajiem "
        "uzņēmumiem. Dalība tikai ar ielūgumu: uzaicinātie reģistrējas tiešsaistē. Ja neesat saņēmis ielūgumu, "
        "bet vēlaties piedalīties vai prezentēt iepirkuma piemēru, sazinieties ar organizatoriem.",
        Questions("Jūs piedalāties kā", ("Pasūtītājs", "Sociālais uzņēmums", "Cits"),
                  "Iepirkuma piemērs, ko vēlaties prezentēt (nav obligāti)"),
        (
            Invitee("liga.ozola", "Līga Ozola", "Rīgas valstspilsētas pašvaldība", _MUNICIPALITY, "LV", "lv", 0),
            Invitee("janis.berzins", "Jānis Bērziņš", "Sociālais uzņēmums “Darbs visiem”", _SOCIAL, "LV", "lv", 1),
            Invitee("kadri.tamm", "Kadri Tamm", "Tallinn City Government", _MUNICIPALITY, "EE", "en"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "NL", "nl", "Europe/Amsterdam", "Amsterdam, Nederland",
        "Inkopen met sociale impact – nationale conferentie in Amsterdam",
        "Nationale conferentie over maatschappelijk verantwoord inkopen voor publieke inkopers en sociale "
        "ondernemingen. Deelname alleen op uitnodiging: genodigden melden zich online aan. Bent u niet uitgenodigd "
        "maar wilt u graag deelnemen of een inkoopcase presenteren, neem dan contact op met de organisatie.",
        Questions("U neemt deel als", ("Publieke inkoper", "Sociale onderneming", "Anders"),
                  "Een inkoopcase die u zou willen presenteren (optioneel)"),
        (
            Invitee("sanne.devries", "Sanne de Vries", "Gemeente Amsterdam", _MUNICIPALITY, "NL", "nl", 0),
            Invitee("bram.jansen", "Bram Jansen", "Kringloop Zuid (sociale onderneming)", _SOCIAL, "NL", "nl", 1),
            Invitee("emma.clarke", "Emma Clarke", "Eurocities", _NETWORK, "BE", "en"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "PL", "pl", "Europe/Warsaw", "Warszawa, Polska",
        "Zakupy dla wpływu społecznego – konferencja krajowa w Warszawie",
        "Krajowa konferencja o społecznie odpowiedzialnych zamówieniach publicznych dla zamawiających publicznych "
        "i przedsiębiorstw społecznych. Udział wyłącznie na zaproszenie: zaproszone osoby rejestrują się online. "
        "Jeśli nie otrzymali Państwo zaproszenia, a chcieliby wziąć udział lub przedstawić ciekawy przykład "
        "zamówienia, prosimy o kontakt z organizatorem.",
        Questions("Uczestniczę jako", ("Zamawiający publiczny", "Przedsiębiorstwo społeczne", "Inne"),
                  "Przykład zamówienia, który chcę przedstawić (opcjonalnie)"),
        (
            Invitee("anna.kowalska", "Anna Kowalska", "Urząd m.st. Warszawy", _MUNICIPALITY, "PL", "pl", 0),
            Invitee("tomasz.lewandowski", "Tomasz Lewandowski", "Spółdzielnia Socjalna Przystań", _SOCIAL, "PL",
                    "pl", 1, "Catering dla przedszkoli od spółdzielni socjalnej."),
            Invitee("james.walsh", "James Walsh", "ENSIE", _NETWORK, "BE", "en", 2),
        ),
        (("en", EN),),
    ),
    NationalConference(
        "RO", "ro", "Europe/Bucharest", "București, România",
        "Achiziții pentru impact social – conferința națională de la București",
        "Conferință națională despre achizițiile publice responsabile social, pentru autorități contractante și "
        "întreprinderi de economie socială. Participarea este doar pe bază de invitație: invitații se înscriu "
        "online. Dacă nu ați primit o invitație, dar doriți să participați sau să prezentați un caz de achiziție, "
        "contactați organizatorii.",
        Questions("Participați ca", ("Autoritate contractantă", "Întreprindere de economie socială", "Altele"),
                  "Un caz de achiziție pe care ați dori să-l prezentați (opțional)"),
        (
            Invitee("elena.popescu", "Elena Popescu", "Primăria Municipiului București", _MUNICIPALITY, "RO", "ro", 0),
            Invitee("andrei.ionescu", "Andrei Ionescu", "Asociația Ateliere Fără Frontiere", _SOCIAL, "RO", "ro", 1),
            Invitee("ivan.petrov", "Иван Петров", "Община Габрово / Gabrovo Municipality", _MUNICIPALITY, "BG", "bg"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "SK", "sk", "Europe/Bratislava", "Bratislava, Slovensko",
        "Nakupovanie so sociálnym dosahom – národná konferencia v Bratislave",
        "Národná konferencia o sociálne zodpovednom verejnom obstarávaní pre verejných obstarávateľov a podniky "
        "sociálnej ekonomiky. Účasť len na pozvanie: pozvaní sa registrujú online. Ak ste pozvánku nedostali, ale "
        "chceli by ste sa zúčastniť alebo predstaviť prípad obstarávania, obráťte sa na organizátorov.",
        Questions("Zúčastňujete sa ako", ("Verejný obstarávateľ", "Sociálny podnik", "Iné"),
                  "Prípad verejného obstarávania, ktorý by ste chceli predstaviť (nepovinné)"),
        (
            Invitee("martina.horvathova", "Martina Horváthová", "Hlavné mesto SR Bratislava", _MUNICIPALITY, "SK",
                    "sk", 0),
            Invitee("jozef.kollar", "Jozef Kollár", "Integračný sociálny podnik Prameň", _SOCIAL, "SK", "sk", 1),
            Invitee("tereza.markova", "Tereza Marková", "Statutární město Brno", _MUNICIPALITY, "CZ", "cs"),
        ),
        (("en", EN_ROLE),),
    ),
    NationalConference(
        "SE", "sv", "Europe/Stockholm", "Stockholm, Sverige",
        "Upphandling för social nytta – nationell konferens i Stockholm",
        "Nationell konferens om socialt ansvarsfull offentlig upphandling för offentliga upphandlare och sociala "
        "företag. Deltagande endast efter inbjudan: inbjudna anmäler sig på nätet. Har du inte fått någon inbjudan "
        "men vill delta eller presentera ett upphandlingsfall, kontakta arrangören.",
        Questions("Du deltar som", ("Offentlig upphandlare", "Socialt företag", "Annat"),
                  "Ett upphandlingsfall du vill presentera (frivilligt)"),
        (
            Invitee("karin.lindberg", "Karin Lindberg", "Stockholms stad", _MUNICIPALITY, "SE", "sv", 0),
            Invitee("johan.ek", "Johan Ek", "Kooperativet Nya Steg", _SOCIAL, "SE", "sv", 1),
            Invitee("ingrid.haugen", "Ingrid Haugen", "Oslo kommune", _MUNICIPALITY, "NO", "nb"),
        ),
        (("en", EN_ROLE),),
    ),
)  # fmt: skip
