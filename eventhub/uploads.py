"""Request bodies larger than ``MAX_CONTENT_LENGTH`` for the few views that take files.

A view marked with ``@takes_upload`` accepts a body up to ``MAX_UPLOAD_MB`` (plus room for the form around the
file); every other route keeps the small limit. The limit is read as soon as the body is (CSRF protection reads
the form before any view runs), and Werkzeug refuses a body whose Content-Length is over it with 413 before
reading a byte of it, so an oversized upload is never stored anywhere, not even in a temporary file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Request, current_app

FORM_ROOM = 256 * 1024  # the other fields and the multipart boundaries around the file
F = TypeVar("F", bound=Callable[..., Any])


def takes_upload(view: F) -> F:
    """Mark ``view`` as taking a file upload (copied onto wrappers made with ``functools.wraps``)."""
    view.takes_upload = True  # type: ignore[attr-defined]
    return view


def upload_body_limit() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024 + FORM_ROOM


class UploadRequest(Request):
    """Flask's request, whose body limit is the upload limit on the views marked ``takes_upload``."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and current_app and self._takes_upload():
            return upload_body_limit()
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _takes_upload(self) -> bool:
        view = current_app.view_functions.get(self.endpoint or "")
        return bool(getattr(view, "takes_upload", False))
