"""The API bodies of invitations and registrations.

An invitee list is judged row by row, not as a whole: a row that is not an ``InviteeInput`` is reported in the
answer's ``errors`` with its line (its 1-based position in ``invitees``) and does not stop the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, JsonValue, StringConstraints, ValidationError

from eventhub.api.paging import PagedList, PageQuery
from eventhub.api.parsing import validation_failed
from eventhub.api.types import Email, InputModel, Instant, OutputModel, SingleLine
from eventhub.events.schemas import LanguageWarning, PersonLanguage
from eventhub.registration.invitee_lists import MAX_ROWS, InviteeRow, RowError
from eventhub.registration.models import ConsentRecord as ConsentRow
from eventhub.registration.models import Invitation as InvitationRow
from eventhub.registration.models import InvitationStatus, QuestionKind, RegistrationStatus
from eventhub.registration.models import Question as QuestionRow
from eventhub.registration.models import Registration as RegistrationRow
from eventhub.registration.question_translations import written_language
from eventhub.registration.questions import MAX_CHOICE, MAX_CHOICES, MAX_HELP, MAX_LABEL


class InviteeInput(InputModel):
    email: Email = Field(examples=["mette@kk.dk"])
    name: SingleLine(200) | None = Field(None, examples=["Mette Jørgensen"])
    organisation: SingleLine(200) | None = Field(None, examples=["Københavns Kommune"])
    language: PersonLanguage | None = None


class InvitationsInput(InputModel):
    invitees: list[JsonValue] = Field(
        max_length=MAX_ROWS,
        description="InviteeInput objects; a row that is not one is reported in the answer's `errors`, by line",
    )

    def rows(self) -> tuple[list[InviteeRow], list[RowError]]:
        """The rows that have an invitee's shape, and an error for each one that does not."""
        rows: list[InviteeRow] = []
        errors: list[RowError] = []
        for line, item in enumerate(self.invitees, start=1):
            try:
                invitee = InviteeInput.model_validate(item)
            except ValidationError as exc:
                problem = "; ".join(f"{name}: {reason}" for name, reason in validation_failed(exc).fields.items())
                errors.append(RowError(line, problem, _email_of(item)))
                continue
            values = invitee.model_dump()
            rows.append(
                InviteeRow(line, *((values[name] or "") for name in ("email", "name", "organisation", "language")))
            )
        return rows, errors


def _email_of(item: Any) -> str:
    """The row's address for the error report, when it is one that can be shown."""
    email = item.get("email") if isinstance(item, dict) else None
    try:
        return InviteeInput.model_validate({"email": email}).email
    except ValidationError:
        return ""


# A stand-in (``privacy.stand_ins``: the person was erased, or the event's retention period passed) is listed
# with ``email: null`` and ``anonymised: true``: its made-up address is nobody's. Both fields stay, so clients
# written before anonymisation read the same shape.
ANONYMISED = Field(False, description="The person's data was erased or anonymised; `email` is `null` and `name` empty")
SHOWN_EMAIL = Field(description="`null` for an anonymised person")


def _shown_email(person: Any) -> str | None:
    return None if person.anonymised_at is not None else person.email


class Invitation(OutputModel):
    id: int
    email: str | None = SHOWN_EMAIL
    anonymised: bool = ANONYMISED
    name: str
    organisation: str | None
    language: str | None = Field(
        description="The invitee's language as given; `null` when none was: they read the event's language"
    )
    status: InvitationStatus
    invited_at: Instant
    last_sent_at: Instant
    send_count: int = Field(ge=1)
    responded_at: Instant | None
    expires_at: Instant

    @classmethod
    def of(cls, invitation: InvitationRow, now: datetime) -> Invitation:
        """The invitation as it stands at ``now`` (a pending one may have expired since)."""
        person = invitation.person
        return cls(
            id=invitation.id, email=_shown_email(person), anonymised=person.anonymised_at is not None, name=person.name,
            organisation=person.organisation.name if person.organisation else None, language=person.language,
            status=invitation.status_at(now), invited_at=invitation.created_at, last_sent_at=invitation.last_sent_at,
            send_count=invitation.send_count, responded_at=invitation.responded_at, expires_at=invitation.expires_at(),
        )  # fmt: skip


class InvitationList(PagedList):
    items: list[Invitation]


class InvitationRowResult(OutputModel):
    line: int
    email: str
    reason: Annotated[str, BeforeValidator(str)]  # the services' reasons are lazy strings (read in English here)


class InvitationResult(OutputModel):
    created: list[Invitation]
    skipped: list[InvitationRowResult]
    errors: list[InvitationRowResult]
    warnings: list[LanguageWarning] = Field(
        description="Invitees created whose language eventhub does not speak, and what they will read instead"
    )


class Answer(OutputModel):
    question_id: int
    question: str = Field(description="The question's label")
    answer: JsonValue


class Consent(OutputModel):
    """A consent box ticked, with the question's text as the person read it (``registration.consents``)."""

    question_id: int | None = Field(description="The consent question; null once the question is removed")
    version: int = Field(description="The question's version when the box was ticked")
    text: str = Field(description="The question's label exactly as shown, in the language shown")
    help_text: str = Field(description="The help text shown under it")
    language: str = Field(description="The language of the form", examples=["da"])
    given_at: Instant
    withdrawn_at: Instant | None = Field(description="When the box was unticked; null while the consent stands")

    @classmethod
    def of(cls, record: ConsentRow) -> Consent:
        return cls(
            question_id=record.question_id, version=record.question_version, text=record.label,
            help_text=record.help_text, language=record.language, given_at=record.given_at,
            withdrawn_at=record.withdrawn_at,
        )  # fmt: skip


class Registration(OutputModel):
    id: int
    email: str | None = SHOWN_EMAIL
    anonymised: bool = ANONYMISED
    name: str
    organisation: str | None
    status: RegistrationStatus
    waitlist_position: int | None
    answers: list[Answer]
    consents: list[Consent] = Field(description="Every consent given, oldest first; a withdrawn one stays listed")
    created_at: Instant
    confirmed_at: Instant | None
    cancelled_at: Instant | None

    @classmethod
    def of(
        cls, registration: RegistrationRow, labels: dict[str, str], consents: list[ConsentRow] | None = None
    ) -> Registration:
        """``answers`` by question id, each with the question's label (``labels`` is keyed by id as a string);
        ``consents`` the registration's records, oldest first (``consents.consents_by_registration``)."""
        person = registration.person
        answers = sorted((registration.answers or {}).items(), key=lambda item: int(item[0]))
        return cls(
            id=registration.id, email=_shown_email(person), anonymised=person.anonymised_at is not None,
            name=person.name,
            organisation=person.organisation.name if person.organisation else None, status=registration.status,
            waitlist_position=registration.waitlist_position,
            answers=[Answer(question_id=int(key), question=labels.get(key, ""), answer=value) for key, value in answers],
            consents=[Consent.of(record) for record in consents or []],
            created_at=registration.created_at, confirmed_at=registration.confirmed_at,
            cancelled_at=registration.cancelled_at,
        )  # fmt: skip


class RegistrationList(PagedList):
    items: list[Registration]


class InvitationListQuery(PageQuery):
    status: InvitationStatus | None = Field(None, description="Only this status.")


class RegistrationListQuery(PageQuery):
    status: RegistrationStatus | None = Field(None, description="Only this status.")


class RegistrationActionInput(InputModel):
    """The optional body of an organiser's action on a registration."""

    over_capacity: bool = Field(
        False,
        strict=True,
        description="Confirm: give the place even though the event is full (otherwise 409 `over_capacity`)",
    )


# A translation's language, as a key of ``translations``; the services check it is one eventhub speaks (422 on
# ``translations.<language>.language`` otherwise) and not the question's own, so the document stays as it is when
# a language is added.
LanguageKey = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{2,3}$")]
Choice = SingleLine(MAX_CHOICE, 1)


class QuestionTranslationInput(InputModel):
    label: SingleLine(MAX_LABEL, 1) = Field(examples=["You take part as"])
    help_text: SingleLine(MAX_HELP) = Field("", description="Required when the question has a help text")
    options: list[Choice] = Field(
        [],
        max_length=MAX_CHOICES,
        description="A choice question: one option per choice, in the order of `choices` (option n translates "
        "choice n; answers keep the choice as written). Other kinds: none.",
        examples=[["Public buyer", "Social-economy enterprise", "Other"]],
    )


def _translations_field(default: Any = ...) -> Any:
    return Field(
        default,
        max_length=32,
        json_schema_extra={"additionalProperties": False},
        description='The question in other languages, by language code (`{"en": {...}}`): invitees whose page '
        "or email is in one of them read the translation, everyone else the question as written",
    )


ANSWER_DELETION_DESCRIPTION = (
    "Its answers are deleted as soon as the event has ended (dietary needs, accessibility), not kept until the "
    "event's retention period passes"
)


class QuestionInput(InputModel):
    kind: QuestionKind
    label: SingleLine(MAX_LABEL, 1) = Field(examples=["Účastníte se jako"])
    help_text: SingleLine(MAX_HELP) = ""
    required: bool = Field(False, strict=True)
    choices: list[Choice] = Field(
        [], max_length=MAX_CHOICES, description="From 2 to 30 distinct choices for the choice kinds; none otherwise"
    )
    delete_answers_after_event: bool = Field(False, strict=True, description=ANSWER_DELETION_DESCRIPTION)
    translations: dict[LanguageKey, QuestionTranslationInput] = _translations_field({})

    def fields(self) -> dict[str, Any]:
        """The question as ``questions.add_question`` takes it."""
        return self.model_dump(exclude={"translations"})

    def translations_dict(self) -> dict[str, dict[str, Any]]:
        return {code: text.model_dump() for code, text in self.translations.items()}


class QuestionTranslationsInput(InputModel):
    translations: dict[LanguageKey, QuestionTranslationInput] = _translations_field()

    def translations_dict(self) -> dict[str, dict[str, Any]]:
        return {code: text.model_dump() for code, text in self.translations.items()}


class QuestionTranslation(OutputModel):
    label: str
    help_text: str
    options: list[str]


class Question(OutputModel):
    id: int
    kind: QuestionKind
    label: str = Field(description="As written, in `language`")
    help_text: str
    required: bool
    choices: list[str] = Field(description="As written: the values answers store")
    language: str = Field(description="The language the question is written in (its event's or series')")
    from_series: bool = Field(description="Asked at every event of the series (changed on the series)")
    translations: dict[str, QuestionTranslation]
    delete_answers_after_event: bool = Field(description=ANSWER_DELETION_DESCRIPTION)
    version: int = Field(
        description="Raised by every change of the wording (label, help text, choices, translations); a consent "
        "records the version it was given under"
    )

    @classmethod
    def of(cls, question: QuestionRow) -> Question:
        return cls(
            id=question.id, kind=question.kind, label=question.label, help_text=question.help_text or "",
            required=question.required, choices=list(question.choices), language=written_language(question),
            from_series=question.series_id is not None, translations=question.translations or {},
            delete_answers_after_event=question.delete_answers_after_event, version=question.version,
        )  # fmt: skip


class QuestionList(PagedList):
    items: list[Question]
