"""Domain errors raised by services, and the handlers that turn any error into HTML or JSON for the user.

Services raise ``DomainError`` subclasses; views and the API never build error responses by hand. No stack
trace ever reaches a user: unexpected errors are logged and answered with a plain 500 page or JSON body.

Messages are lazy strings (``lazy_gettext``), read in the language of whoever reads them: a page's reader. The
JSON API answers in English whatever the client's Accept-Language (``json_error``): its clients are programs, and
its documentation and tests name the English words.
"""

from typing import Any

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from werkzeug.exceptions import HTTPException

from eventhub.extensions import db
from eventhub.texts import lazy_text as _l

API_LANGUAGE = "en"  # the JSON API's one language (see above)


class DomainError(Exception):
    """A rule of the domain was broken; ``status`` is the HTTP status it maps to."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str | LazyString, fields: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    """Input had the wrong shape or value; ``fields`` maps each field to what is wrong with it."""

    status = 422
    code = "validation_error"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class TooManyRequests(DomainError):
    """A rate limit was reached (``eventhub.ratelimit``): failed logins, requests for an invitation."""

    status = 429
    code = "too_many_requests"


def wants_json() -> bool:
    """API paths and clients that ask for JSON get JSON errors; everyone else gets a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def json_error(status: int, code: str, message: str | LazyString, fields: dict[str, Any] | None = None):
    """The API's error body, in English: lazy messages are read here under the English locale."""
    with force_locale(API_LANGUAGE):
        body = {"error": {"code": code, "message": _plain(message), "fields": _plain(fields or {})}}
        response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="eventhub"'
    return response


def _plain(value: Any) -> Any:
    """``value`` with every lazy string in it read as text (in the locale in force)."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def _discard_failed_work(only_if_failed: bool = False) -> None:
    """Roll the session back before rendering an error.

    After a database error the session refuses every query until rolled back, including the ones the error
    page itself makes (``current_user.person`` for the language menu): the handler would fail in its turn and
    the visitor would get the server's bare 500 instead of our page. ``only_if_failed`` (404s, domain errors:
    usually no database error behind them) leaves a healthy session alone, so code that shares it with the
    request (a script or test calling the app inside its own transaction) keeps its uncommitted work.
    """
    if only_if_failed and db.session.is_active:
        return
    db.session.rollback()


def register_error_handlers(app: Flask) -> None:
    """Install handlers for domain errors, HTTP errors, input the database refuses, and anything unexpected."""

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        _discard_failed_work(only_if_failed=True)
        if wants_json():
            return json_error(exc.status, exc.code, exc.message, exc.fields)
        reason = getattr(exc, "reason", None)  # a 410's kind: the page explains it in the reader's language
        return render_template("errors/error.html", status=exc.status, message=exc.message, reason=reason), exc.status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        _discard_failed_work(only_if_failed=True)
        status = exc.code or 500
        if wants_json():
            response = json_error(status, _http_code(exc), exc.description or exc.name)
        else:
            # Werkzeug's own descriptions are English; only a description we gave (abort(409, exc.message)) is shown.
            ours = exc.description if exc.description != type(exc).description else None
            response = app.make_response((render_template("errors/error.html", status=status, message=ours), status))
        for key, value in exc.get_headers():
            if key.lower() not in ("content-type", "content-length"):
                response.headers[key] = value
        return response

    @app.errorhandler(sa.exc.DataError)
    def handle_data_error(exc: sa.exc.DataError):
        """A value the database cannot store or compare (NUL in text, an integer out of range) slipped past the
        validators: the client sent it, so it is a 400, not a 500; logged so the missing check gets added."""
        _discard_failed_work()
        app.logger.warning("Database refused input on %s %s: %s", request.method, request.path, exc.orig or exc)
        message = _l("The request holds a value that cannot be stored.")
        if wants_json():
            return json_error(400, "bad_request", message)
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return handle_http_error(exc)
        _discard_failed_work()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        message = _l("Something went wrong on our side. The error was logged.")
        if wants_json():
            return json_error(500, "internal_error", message)
        return render_template("errors/error.html", status=500, message=message), 500
