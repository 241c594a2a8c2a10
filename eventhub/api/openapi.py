"""The hand-written OpenAPI 3.0.3 description of /api/v1, served at /api/v1/openapi.json.

Written by hand rather than generated so it is reviewed like code; tests validate it with
openapi-spec-validator and drive the whole API from it with schemathesis, so it cannot drift from the views.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from eventhub.api.parsing import INT4_MAX, MAX_STRING_LENGTH
from eventhub.agenda.models import AgendaItemKind
from eventhub.events.models import EventKind, EventStatus, MembershipRole, Visibility
from eventhub.registration.models import InvitationStatus, RegistrationStatus

JSON = "application/json"
SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "minLength": 1, "maxLength": 80, "example": "buy-social-dk"}
INSTANT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?$"
ERROR_DESCRIPTIONS = {
    400: "The body is not JSON, or not a JSON object.",
    401: "No valid bearer token.",
    403: "The caller's role does not allow this.",
    404: "No such resource, or one the caller may not see.",
    409: "The change conflicts with existing data.",
    415: "The body is not declared as application/json.",
    422: "Some fields are not valid; `error.fields` says which and why.",
}


def register_routes(bp: Blueprint) -> None:
    """Serve the document; it needs no token, so clients can discover how to get one."""
    bp.add_url_rule("/openapi.json", "openapi", openapi_json, methods=["GET"])


def openapi_json() -> ResponseReturnValue:
    """The OpenAPI document of this API."""
    return jsonify(openapi_document(current_app.config["BASE_URL"]))


def openapi_document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "eventhub API",
            "version": "1.0.0",
            "description": (
                "Series, members and events of eventhub. Every operation except this document needs "
                "`Authorization: Bearer <token>`. Members-only series and events the caller may not see "
                "answer 404, like missing ones."
            ),
        },
        "servers": [{"url": f"{base_url}/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {"securitySchemes": _security_schemes(), "schemas": _schemas(), "responses": _error_responses()},
    }


# ---------------------------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------------------------


def _paths() -> dict[str, Any]:
    slug_param = {"name": "slug", "in": "path", "required": True, "schema": SLUG}
    id_param = {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    return {
        "/openapi.json": {"get": _openapi_operation()},
        "/series": {
            "get": _operation("listSeries", "Series the caller may see", {200: _body("SeriesList")}, []),
            "post": _operation("createSeries", "Create a series (organisers)", {201: _body("Series")}, [400, 403, 409, 415, 422], "SeriesInput"),
        },
        "/series/{slug}": {
            "parameters": [slug_param],
            "get": _operation("getSeries", "One series", {200: _body("Series")}, [404]),
        },
        "/series/{slug}/members": {
            "parameters": [slug_param],
            "get": _operation("listMembers", "Members of a series (organisers, the series' secretaries)", {200: _body("MemberList")}, [403, 404]),
            "post": _operation(
                "addMember",
                "Add a person (created if new) to a series (organisers)",
                {201: _body("Member", "Added"), 200: _body("Member", "Already a member")},
                [400, 403, 404, 415, 422],
                "MemberInput",
            ),
        },
        "/events": {
            "get": {**_operation("listEvents", "Events the caller may see, by start", {200: _body("EventList")}, [422]), "parameters": _list_parameters()},
            "post": _operation("createEvent", "Create an event (organisers)", {201: _body("Event")}, [400, 403, 409, 415, 422], "EventInput"),
        },
        "/events/{event_id}": {
            "parameters": [id_param],
            "get": _operation("getEvent", "One event", {200: _body("Event")}, [404]),
            "patch": _operation("updateEvent", "Change some fields of an event (organisers)", {200: _body("Event")}, [400, 403, 404, 409, 415, 422], "EventPatch"),
        },
        "/events/{event_id}/cancel": {
            "parameters": [id_param],
            "post": _operation("cancelEvent", "Cancel an event (organisers); cancelling twice changes nothing", {200: _body("Event")}, [403, 404]),
        },
        **_registration_paths(id_param),
        **_minutes_paths(id_param, slug_param),
    }


def _operation(
    operation_id: str, summary: str, success: dict[int, Any], errors: list[int], request_schema: str | None = None
) -> dict[str, Any]:
    """An operation answering ``success`` or the listed errors; every operation may answer 401."""
    responses = {str(status): response for status, response in success.items()}
    responses.update({str(status): {"$ref": f"#/components/responses/Error{status}"} for status in sorted({401, *errors})})
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary, "responses": responses}
    if request_schema:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _ref(request_schema)}}}
    return operation


def _openapi_operation() -> dict[str, Any]:
    return {
        "operationId": "getOpenApi",
        "summary": "This document (no token needed)",
        "security": [],
        "responses": {"200": {"description": "The OpenAPI document", "content": {JSON: {"schema": {"type": "object"}}}}},
    }


def _list_parameters() -> list[dict[str, Any]]:
    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}

    return [
        query("series", SLUG, "Only events of this series."),
        query("kind", _enum(EventKind), "Only events of this kind."),
        query("status", _enum(EventStatus), "Only scheduled or only cancelled events."),
        query("from", {"type": "string", "example": "2027-01-01"}, "Events starting at or after this ISO 8601 date or date-time (UTC unless it has an offset)."),
        query("to", {"type": "string", "example": "2028-01-01"}, "Events starting before this ISO 8601 date or date-time (UTC unless it has an offset)."),
        query("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}, "At most this many events."),
        query("offset", {"type": "integer", "minimum": 0, "maximum": INT4_MAX, "default": 0}, "Skip this many events."),
    ]


def _body(schema: str, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref(schema)}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _enum(enum_cls: type) -> dict[str, Any]:
    return {"type": "string", "enum": [member.value for member in enum_cls]}


def _security_schemes() -> dict[str, Any]:
    return {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`flask tokens create`); only its hash is stored.",
        }
    }


def _error_responses() -> dict[str, Any]:
    responses = {}
    for status, description in ERROR_DESCRIPTIONS.items():
        response: dict[str, Any] = {"description": description, "content": {JSON: {"schema": _ref("Error")}}}
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer realm"}}
        responses[f"Error{status}"] = response
    return responses


# ---------------------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------------------


def _text(max_length: int, nullable: bool = False, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length, **extra}
    if nullable:
        schema["nullable"] = True
    return schema


def _instant(nullable: bool = False, **extra: Any) -> dict[str, Any]:
    return _text(40, nullable, format="date-time", **extra)


def _object(properties: dict[str, Any], required: list[str] | None = None, closed: bool = False) -> dict[str, Any]:
    """An object schema; responses are open (fields may be added), request bodies closed (unknown fields → 422)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = list(properties) if required is None else required
    if required:  # OpenAPI 3.0 wants a non-empty list or none
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


def _schemas() -> dict[str, Any]:
    return {
        "Error": _error_schema(),
        "Series": _series_schema(),
        "SeriesInput": _series_input_schema(),
        "SeriesList": _list_of("Series"),
        "Member": _member_schema(),
        "MemberInput": _member_input_schema(),
        "MemberList": _list_of("Member"),
        "Event": _event_schema(),
        "EventInput": _event_input_schema(required=["title", "starts_at", "ends_at", "timezone"]),
        "EventPatch": _event_input_schema(required=[]),
        "EventList": _object({"items": {"type": "array", "items": _ref("Event")}, "limit": {"type": "integer"}, "offset": {"type": "integer"}}),
        **_registration_schemas(),
        **_minutes_schemas(),
    }


def _list_of(name: str) -> dict[str, Any]:
    return _object({"items": {"type": "array", "items": _ref(name)}})


def _error_schema() -> dict[str, Any]:
    detail = _object(
        {
            "code": {"type": "string", "example": "validation_error"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "field name → what is wrong"},
        }
    )
    return _object({"error": detail})


def _series_schema() -> dict[str, Any]:
    return _object(
        {
            "id": {"type": "integer"},
            "slug": SLUG,
            "title": {"type": "string"},
            "description": {"type": "string"},
            "visibility": _enum(Visibility),
            "organiser_name": {"type": "string", "nullable": True},
            "url": {"type": "string"},
            "created_at": _instant(),
            "updated_at": _instant(),
        }
    )


def _series_input_schema() -> dict[str, Any]:
    properties = {
        "slug": SLUG,
        "title": _text(200, minLength=1, example="Buy Social Taskforce Danmark"),
        "description": _text(MAX_STRING_LENGTH, nullable=True),
        "visibility": {**_enum(Visibility), "default": "public"},
    }
    return _object(properties, required=["slug", "title"], closed=True)


def _member_schema() -> dict[str, Any]:
    return _object(
        {
            "email": {"type": "string"},
            "name": {"type": "string"},
            "organisation": {"type": "string", "nullable": True},
            "role": _enum(MembershipRole),
            "series": SLUG,
            "created_at": _instant(),
        }
    )


def _member_input_schema() -> dict[str, Any]:
    properties = {
        "email": _text(254, format="email", example="anna@kk.dk"),
        "name": _text(200, nullable=True, example="Anna Jensen"),
        "organisation": _text(200, nullable=True, example="Københavns Kommune"),
        "role": {**_enum(MembershipRole), "default": "member"},
    }
    return _object(properties, required=["email"], closed=True)


def _event_schema() -> dict[str, Any]:
    return _object(
        {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "kind": _enum(EventKind),
            "series": {**SLUG, "nullable": True},
            "number": {"type": "integer", "nullable": True},
            "starts_at": _instant(description="UTC"),
            "ends_at": _instant(description="UTC"),
            "local_starts_at": _instant(description="Wall-clock time in `timezone`, with its offset"),
            "local_ends_at": _instant(description="Wall-clock time in `timezone`, with its offset"),
            "timezone": {"type": "string"},
            "location": {"type": "string", "nullable": True},
            "online_url": {"type": "string", "nullable": True},
            "country": {"type": "string", "nullable": True},
            "capacity": {"type": "integer", "nullable": True},
            "registration_closes_at": _instant(nullable=True),
            "visibility": _enum(Visibility),
            "invitation_only": {"type": "boolean"},
            "status": _enum(EventStatus),
            "cancelled_at": _instant(nullable=True),
            "sequence": {"type": "integer", "minimum": 0},
            "url": {"type": "string"},
            "created_at": _instant(),
            "updated_at": _instant(),
        }
    )


def _event_input_schema(required: list[str]) -> dict[str, Any]:
    """Times are ISO 8601: wall-clock time in ``timezone`` (2027-01-15T14:00:00) or with an offset."""
    instant = {"type": "string", "format": "local-or-offset-date-time", "pattern": INSTANT_PATTERN, "maxLength": 40}
    properties = {
        "title": _text(200, minLength=1, example="Buy Social Taskforce Danmark, 12th meeting"),
        "kind": {**_enum(EventKind), "default": "meeting"},
        "series": {**SLUG, "nullable": True},
        "number": {"type": "integer", "minimum": 1, "maximum": INT4_MAX, "nullable": True},
        "starts_at": {**instant, "example": "2027-01-15T14:00:00", "description": "Local to `timezone` unless it has an offset"},
        "ends_at": {**instant, "example": "2027-01-15T16:00:00", "description": "After starts_at"},
        "timezone": _text(64, format="iana-time-zone", example="Europe/Copenhagen", description="IANA time zone"),
        "description": _text(MAX_STRING_LENGTH, nullable=True),
        "location": _text(300, nullable=True, example="Københavns Rådhus"),
        "online_url": _text(500, nullable=True, pattern=r"^https?://\S+$"),
        "country": _text(2, nullable=True, pattern="^[A-Za-z]{2}$", example="DK"),
        "capacity": {"type": "integer", "minimum": 1, "maximum": INT4_MAX, "nullable": True},
        "registration_closes_at": {**instant, "nullable": True, "description": "Not after ends_at"},
        "visibility": {"type": "string", "enum": [*_enum(Visibility)["enum"], None], "nullable": True, "description": "Defaults to the series' visibility"},
        "invitation_only": {"type": "boolean", "default": False},
    }
    return _object(properties, required=required, closed=True)


# ---------------------------------------------------------------------------------------------------------
# Invitations and registrations (eventhub.registration.api)
# ---------------------------------------------------------------------------------------------------------


def _registration_paths(id_param: dict[str, Any]) -> dict[str, Any]:
    def status_filter(enum_cls: type) -> list[dict[str, Any]]:
        return [{"name": "status", "in": "query", "required": False, "schema": _enum(enum_cls), "description": "Only this status."}]

    return {
        "/events/{event_id}/invitations": {
            "parameters": [id_param],
            "get": {
                **_operation("listInvitations", "Invitations of an event with their status (organisers)", {200: _body("InvitationList")}, [403, 404, 422]),
                "parameters": status_filter(InvitationStatus),
            },
            "post": _operation(
                "createInvitations",
                "Invite people (organisers): each row is checked; bad rows are reported in `errors` by line, addresses "
                "already invited in `skipped`, and the invitation emails are queued for the others",
                {201: _body("InvitationResult")},
                [400, 403, 404, 409, 415, 422],
                "InvitationsInput",
            ),
        },
        "/events/{event_id}/registrations": {
            "parameters": [id_param],
            "get": {
                **_operation("listRegistrations", "Registrations of an event with answers (organisers)", {200: _body("RegistrationList")}, [403, 404, 422]),
                "parameters": status_filter(RegistrationStatus),
            },
        },
    }


def _registration_schemas() -> dict[str, Any]:
    invitee = _object(
        {
            "email": _text(254, example="mette@kk.dk"),
            "name": _text(200, nullable=True, example="Mette Jørgensen"),
            "organisation": _text(200, nullable=True, example="Københavns Kommune"),
            "language": _text(8, nullable=True, example="da"),
        },
        required=["email"],
        closed=True,
    )
    row = _object({"line": {"type": "integer"}, "email": {"type": "string"}, "reason": {"type": "string"}})
    invitation = _object(
        {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "name": {"type": "string"},
            "organisation": {"type": "string", "nullable": True},
            "language": {"type": "string"},
            "status": _enum(InvitationStatus),
            "invited_at": _instant(),
            "last_sent_at": _instant(),
            "send_count": {"type": "integer", "minimum": 1},
            "responded_at": _instant(nullable=True),
            "expires_at": _instant(),
        }
    )
    answer = _object({"question_id": {"type": "integer"}, "question": {"type": "string"}, "answer": {}})
    registration = _object(
        {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "name": {"type": "string"},
            "organisation": {"type": "string", "nullable": True},
            "status": _enum(RegistrationStatus),
            "waitlist_position": {"type": "integer", "nullable": True},
            "answers": {"type": "array", "items": answer},
            "created_at": _instant(),
            "confirmed_at": _instant(nullable=True),
            "cancelled_at": _instant(nullable=True),
        }
    )
    return {
        "InviteeInput": invitee,
        "InvitationsInput": _object({"invitees": {"type": "array", "items": _ref("InviteeInput"), "maxItems": 5000}}, closed=True),
        "Invitation": invitation,
        "InvitationList": _list_of("Invitation"),
        "InvitationRow": row,
        "InvitationResult": _object(
            {
                "created": {"type": "array", "items": _ref("Invitation")},
                "skipped": {"type": "array", "items": _ref("InvitationRow")},
                "errors": {"type": "array", "items": _ref("InvitationRow")},
            }
        ),
        "Registration": registration,
        "RegistrationList": _list_of("Registration"),
    }


# ---------------------------------------------------------------------------------------------------------
# Agendas and minutes (eventhub.agenda.api, eventhub.minutes.api)
# ---------------------------------------------------------------------------------------------------------


def _minutes_paths(id_param: dict[str, Any], slug_param: dict[str, Any]) -> dict[str, Any]:
    publish = _operation(
        "publishMinutes",
        "Publish the working copy as the next version and email the series' members (secretaries, admins)",
        {201: _body("PublishedMinutes")},
        [400, 403, 404, 409, 415, 422],
        "PublishInput",
    )
    publish["requestBody"]["required"] = False
    return {
        "/events/{event_id}/agenda": {
            "parameters": [id_param],
            "get": _operation("getAgenda", "The agenda (editors also see it before it is published)", {200: _body("Agenda")}, [404]),
            "put": _operation(
                "putAgenda",
                "Replace the whole agenda, all or nothing (organisers, admins, the series' secretaries)",
                {200: _body("Agenda")},
                [400, 403, 404, 409, 415, 422],
                "AgendaInput",
            ),
        },
        "/events/{event_id}/minutes": {
            "parameters": [id_param],
            "get": _operation(
                "getMinutes",
                "The working copy (secretaries, admins, organisers read-only) or else the latest published version",
                {200: _body("Minutes")},
                [404, 409],
            ),
            "put": _operation(
                "putMinutes",
                "Set the body and any structured parts of the working copy (secretaries of the series, admins)",
                {200: _body("Minutes")},
                [400, 403, 404, 409, 415, 422],
                "MinutesInput",
            ),
        },
        "/events/{event_id}/minutes/publish": {"parameters": [id_param], "post": publish},
        "/series/{slug}/minutes": {
            "parameters": [slug_param],
            "get": _operation("listSeriesMinutes", "A series' published minutes, newest meeting first", {200: _body("MinutesArchive")}, [404]),
        },
    }


def _minutes_schemas() -> dict[str, Any]:
    instant = {"type": "string", "pattern": INSTANT_PATTERN, "maxLength": 40}
    day = {"type": "string", "format": "date", "example": "2022-12-07"}
    link = _text(2000, nullable=True, pattern=r"^https?://\S+$")
    person = {
        "description": "An email, or {email, name, organisation} (name and organisation are used for new people)",
        "oneOf": [_text(254, example="anna@kk.dk"), _object({"email": _text(254), "name": _text(200, nullable=True), "organisation": _text(200, nullable=True)}, required=["email"], closed=True)],
    }
    owner = _text(300, nullable=True, description="An email (a person) or free text (e.g. \"Per Bach og Anne Rahbek\")")
    agenda_item = _object(
        {
            "id": {"type": "integer"}, "position": {"type": "integer"}, "day": {"type": "string", "description": "Local date in the event's zone"},
            "starts_at": _instant(description="Wall-clock time in the event's zone, with its offset"), "ends_at": _instant(),
            "title": {"type": "string"}, "description": {"type": "string"}, "kind": _enum(AgendaItemKind),
            "owner": {"type": "string", "nullable": True}, "owner_name": {"type": "string", "nullable": True},
        }
    )  # fmt: skip
    agenda_item_input = _object(
        {
            "starts_at": {**instant, "example": "2022-11-15T14:00:00", "description": "Local to the event's zone unless it has an offset"},
            "ends_at": {**instant, "nullable": True, "example": "2022-11-15T14:05:00"},
            "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 20160, "description": "Instead of ends_at"},
            "title": _text(300, minLength=1, example="Velkommen"),
            "owner": owner,
            "kind": {**_enum(AgendaItemKind), "default": "other"},
            "description": _text(MAX_STRING_LENGTH, nullable=True),
        },
        required=["starts_at", "title"],
        closed=True,
    )
    return {
        "Agenda": _object(
            {"event_id": {"type": "integer"}, "timezone": {"type": "string"}, "allows_parallel": {"type": "boolean"},
             "published_at": _instant(nullable=True), "version": {"type": "integer"}, "items": {"type": "array", "items": agenda_item}}
        ),  # fmt: skip
        "AgendaInput": _object(
            {
                "items": {"type": "array", "maxItems": 200, "items": agenda_item_input},
                "allows_parallel": {"type": "boolean", "description": "Items may overlap (conferences with parallel tracks)"},
                "published": {"type": "boolean", "description": "Publish (true) or withdraw (false) the agenda"},
            },
            required=["items"],
            closed=True,
        ),
        "Minutes": _object(
            {
                "event_id": {"type": "integer"},
                "body": {"type": "string", "description": "Markdown"},
                "published_version": {"type": "integer", "description": "Working copy: the newest published version (0: none)"},
                "version": {"type": "integer", "description": "Published version shown to readers who may not see the draft"},
            },
            required=["event_id", "body"],
        ),
        "MinutesInput": _object(
            {
                "body": _text(MAX_STRING_LENGTH, description="The minutes in Markdown"),
                "attendees": {"type": "array", "maxItems": 200, "items": person},
                "round_table": {"type": "array", "maxItems": 200, "items": _object({"person": person, "text": _text(MAX_STRING_LENGTH, nullable=True)}, required=["person"], closed=True)},
                "decisions": {"type": "array", "maxItems": 200, "items": _text(5000, minLength=1)},
                "action_items": {"type": "array", "maxItems": 200, "items": _object({"what": _text(1000, minLength=1), "owner": owner, "due": {**day, "nullable": True}}, required=["what"], closed=True)},
                "deadlines": {"type": "array", "maxItems": 200, "items": _object({"title": _text(500, minLength=1), "date": day, "link": link}, required=["title", "date"], closed=True)},
                "materials": {"type": "array", "maxItems": 200, "items": _object({"title": _text(500, minLength=1), "description": _text(MAX_STRING_LENGTH, nullable=True), "link": link}, required=["title"], closed=True)},
                "next_meeting": _text(300, nullable=True, example="Januar 2023", description="Free text; the next event of the series is linked when it exists"),
            },
            required=["body"],
            closed=True,
        ),  # fmt: skip
        "PublishInput": _object({"change_note": _text(1000, nullable=True, example="Rettet antal job")}, required=[], closed=True),
        "PublishedMinutes": _object(
            {"event_id": {"type": "integer"}, "number": {"type": "integer"}, "version": {"type": "integer"},
             "published_at": _instant(), "change_note": {"type": "string"}, "body": {"type": "string"},
             "parts": {"type": "object"}, "url": {"type": "string"}}
        ),  # fmt: skip
        "MinutesArchive": _list_of_inline(
            _object(
                {"event_id": {"type": "integer"}, "number": {"type": "integer"}, "title": {"type": "string"}, "starts_at": _instant(),
                 "version": {"type": "integer"}, "published_at": _instant(), "attendees": {"type": "array", "items": {"type": "string"}},
                 "url": {"type": "string"}}
            )
        ),  # fmt: skip
    }


def _list_of_inline(item: dict[str, Any]) -> dict[str, Any]:
    return _object({"items": {"type": "array", "items": item}})

