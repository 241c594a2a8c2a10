"""Compressed answers: pages, JSON, calendars and CSV go out gzip- or Brotli-encoded when the client asks.

Calendar programs poll feeds every few minutes and pages are mostly repeated markup, so the bytes on the wire
shrink 10-30x for a fraction of a millisecond of CPU (Brotli at quality 5 is as fast as gzip at level 6 here and
about a third smaller). The negotiation follows RFC 9110: the highest q-value wins, ``q=0`` refuses, Brotli wins
a tie; no Accept-Encoding means identity.

What is left alone: small bodies (not worth the header), HEAD, 304 and other bodiless answers, streamed answers
and file downloads (``direct_passthrough``), and answers that already carry a Content-Encoding (a feed stored
compressed). Every answer of a compressible type says ``Vary: Accept-Encoding`` so shared caches keep the
encodings apart.

ETags: an encoded answer is a different representation, so its ETag gets the encoding as a suffix inside the
quotes (``"abc-gzip"``, as Apache's mod_deflate does). So that views keep comparing their own ETags, the suffix is
taken off the request's If-None-Match before any view runs, and a 304 answers with the ETag the client sent.
A view that sends its own encoded body uses ``encoded_etag`` for the same convention.
"""

from __future__ import annotations

import gzip
import re

import brotli
from flask import Flask, Request, Response, request

# Content types worth compressing (the type without parameters). Images, PDFs and archives are compressed already.
COMPRESSIBLE_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/csv",
        "text/calendar",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/problem+json",
        "application/xml",
        "image/svg+xml",
    }
)
# Server preference when the client rates several encodings equally: the smaller result first.
ENCODINGS = ("br", "gzip")
GZIP_LEVEL = 6
BROTLI_QUALITY = 5  # Brotli's default (11) is ~50x slower: meant for static files, not per-request answers
_ETAG_SUFFIX = re.compile(r"-(?:" + "|".join(ENCODINGS) + r')"')
ORIGINAL_IF_NONE_MATCH = "eventhub.if_none_match"


def init_compression(app: Flask) -> None:
    """Register the hooks. Flask runs ``after_request`` hooks in reverse order of registration: hooks registered
    later (security headers, the calendar's) run before this one; none of them changes a body."""
    minimum = int(app.config.get("COMPRESSION_MIN_BYTES", 512))  # config.py has the default and why
    app.before_request(_strip_encoding_from_validators)

    @app.after_request
    def compress(response: Response) -> Response:
        return compress_response(request, response, minimum)


def encoded_etag(etag: str, encoding: str) -> str:
    """The ETag of ``etag``'s representation in ``encoding`` (a bare or quoted, strong or weak ETag)."""
    if etag.endswith('"'):
        return f'{etag[:-1]}-{encoding}"'
    return f"{etag}-{encoding}"


def chosen_encoding(req: Request) -> str | None:
    """The encoding to answer ``req`` in: the acceptable one with the highest q-value, or None for identity."""
    best, best_quality = None, 0.0
    for encoding in ENCODINGS:
        quality = req.accept_encodings.quality(encoding)
        if quality > best_quality:
            best, best_quality = encoding, quality
    return best


def compress_response(req: Request, response: Response, minimum: int) -> Response:
    """Encode ``response`` for ``req`` when it is worth it and allowed (see the module's docstring)."""
    if response.mimetype not in COMPRESSIBLE_TYPES or "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code == 304:
        _echo_matched_etag(req, response)
        return response
    if not _has_compressible_body(req, response, minimum):
        return response
    encoding = chosen_encoding(req)
    if encoding is None:
        return response
    response.set_data(_encode(response.get_data(), encoding))
    response.headers["Content-Encoding"] = encoding
    etag = response.headers.get("ETag")
    if etag:
        response.headers["ETag"] = encoded_etag(etag, encoding)
    return response


def _has_compressible_body(req: Request, response: Response, minimum: int) -> bool:
    if req.method == "HEAD" or response.direct_passthrough or response.is_streamed:
        return False
    if response.status_code < 200 or response.status_code in (204, 206):
        return False
    return (response.calculate_content_length() or 0) >= minimum


def _encode(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)  # mtime=0: the same bytes every time


def _strip_encoding_from_validators() -> None:
    """Let views compare If-None-Match with their own ETags: ``"abc-gzip"`` is read as ``"abc"``."""
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if header and _ETAG_SUFFIX.search(header):
        request.environ[ORIGINAL_IF_NONE_MATCH] = header
        request.environ["HTTP_IF_NONE_MATCH"] = _ETAG_SUFFIX.sub('"', header)
        request.__dict__.pop("if_none_match", None)  # Werkzeug caches the parsed header


def _echo_matched_etag(req: Request, response: Response) -> None:
    """A 304 carries the ETag of the representation the client holds: the encoded one when it sent that."""
    sent = req.environ.get(ORIGINAL_IF_NONE_MATCH, "")
    etag = response.headers.get("ETag")
    if not (sent and etag):
        return
    for encoding in ENCODINGS:
        if encoded_etag(etag.removeprefix("W/"), encoding) in sent:  # If-None-Match compares weakly
            response.headers["ETag"] = encoded_etag(etag, encoding)
            return
