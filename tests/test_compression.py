"""Compressed answers (eventhub.compression): negotiation, what is left alone, and ETags that still validate.

Most tests use a small Flask app with only the compression hooks (the rules do not depend on a database); the
last ones go through the real app's event page and calendar feeds.
"""

from __future__ import annotations

import gzip
import io

import brotli
import pytest
from flask import Flask, Response, request, send_file, stream_with_context

from eventhub.compression import encoded_etag, init_compression

PAGE = "<p>" + "Socially responsible public procurement. " * 40 + "</p>"  # ~1.7 KB: worth compressing
ETAG = "v1"


@pytest.fixture
def plain_client():
    """A client of an app whose routes show each kind of answer the hooks must treat differently."""
    app = Flask(__name__)
    init_compression(app)

    @app.get("/page")
    def page():
        return PAGE

    @app.get("/small")
    def small():
        return "<p>Hej</p>"

    @app.get("/data.json")
    def data():
        return {"text": PAGE}

    @app.get("/picture.png")
    def picture():
        return Response(b"\x89PNG" + bytes(2000), mimetype="image/png")

    @app.get("/stream")
    def stream():
        return Response(stream_with_context(iter([PAGE, PAGE])), mimetype="text/html")

    @app.get("/download.csv")
    def download():
        return send_file(io.BytesIO(PAGE.encode()), mimetype="text/csv", download_name="list.csv")

    @app.get("/stored.ics")
    def stored():
        body = gzip.compress(PAGE.encode())
        return Response(body, mimetype="text/calendar", headers={"Content-Encoding": "gzip", "ETag": '"s"'})

    @app.get("/versioned")
    def versioned():
        response = Response(PAGE, mimetype="text/html")
        response.set_etag(ETAG)
        return response.make_conditional(request)

    return app.test_client()


def get(client, path, accept=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if accept is not None:
        headers["Accept-Encoding"] = accept
    return client.get(path, headers=headers, **kwargs)


def test_gzip_when_accepted_and_the_body_decompresses_to_the_original(plain_client):
    response = get(plain_client, "/page", "gzip, deflate")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert int(response.headers["Content-Length"]) == len(response.data) < len(PAGE) / 5
    assert gzip.decompress(response.data).decode() == PAGE


def test_brotli_wins_a_tie_and_decompresses_to_the_original(plain_client):
    response = get(plain_client, "/page", "gzip, deflate, br")
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data).decode() == PAGE


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
        ("deflate", None),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        (None, None),
    ],
)
def test_q_values_decide(plain_client, accept, encoding):
    response = get(plain_client, "/page", accept)
    assert response.headers.get("Content-Encoding") == encoding
    if encoding is None:
        assert response.get_data(as_text=True) == PAGE
    assert "Accept-Encoding" in response.headers["Vary"]


def test_json_is_compressed_too(plain_client):
    response = get(plain_client, "/data.json", "gzip")
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == get(plain_client, "/data.json").data


def test_small_bodies_are_sent_as_they_are_with_vary(plain_client):
    response = get(plain_client, "/small", "gzip")
    assert "Content-Encoding" not in response.headers
    assert response.data == b"<p>Hej</p>"
    assert "Accept-Encoding" in response.headers["Vary"]


@pytest.mark.parametrize("path", ["/picture.png", "/stream", "/download.csv"])
def test_images_streams_and_file_downloads_are_left_alone(plain_client, path):
    response = get(plain_client, path, "gzip")
    assert "Content-Encoding" not in response.headers
    assert response.data == get(plain_client, path).data


def test_an_answer_already_encoded_is_not_encoded_again(plain_client):
    response = get(plain_client, "/stored.ics", "gzip, br")
    assert response.headers["Content-Encoding"] == "gzip" and response.headers["ETag"] == '"s"'
    assert gzip.decompress(response.data).decode() == PAGE


def test_head_is_left_alone(plain_client):
    response = plain_client.head("/page", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert int(response.headers["Content-Length"]) == len(PAGE)


def test_an_encoded_answer_has_its_own_etag_and_revalidates_with_it(plain_client):
    identity = get(plain_client, "/versioned")
    encoded = get(plain_client, "/versioned", "gzip")
    assert identity.headers["ETag"] == f'"{ETAG}"'
    assert encoded.headers["ETag"] == f'"{ETAG}-gzip"'

    again = get(plain_client, "/versioned", "gzip", headers={"If-None-Match": encoded.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == encoded.headers["ETag"]
    assert "Accept-Encoding" in again.headers["Vary"]

    plain_again = get(plain_client, "/versioned", headers={"If-None-Match": identity.headers["ETag"]})
    assert plain_again.status_code == 304 and plain_again.headers["ETag"] == identity.headers["ETag"]


def test_a_stale_encoded_etag_gets_the_new_body(plain_client):
    response = get(plain_client, "/versioned", "gzip", headers={"If-None-Match": '"v0-gzip"'})
    assert response.status_code == 200 and gzip.decompress(response.data).decode() == PAGE


@pytest.mark.parametrize(("etag", "expected"), [('"abc"', '"abc-br"'), ('W/"abc"', 'W/"abc-br"'), ("abc", "abc-br")])
def test_encoded_etag(etag, expected):
    assert encoded_etag(etag, "br") == expected


def test_a_calendar_feed_compresses_and_still_answers_304(client, make_series, make_event, commit):
    make_series(slug="bsi")
    for _ in range(3):
        make_event(series="bsi")
    commit()
    plain = client.get("/series/bsi.ics")
    first = client.get("/series/bsi.ics", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.data) == plain.data
    assert first.headers["ETag"] == encoded_etag(plain.headers["ETag"], "gzip")

    second = client.get("/series/bsi.ics", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 304 and second.headers["ETag"] == first.headers["ETag"]


def test_the_event_page_is_compressed(client, make_event, commit):
    event = make_event()
    commit()
    page = client.get(f"/events/{event.id}", headers={"Accept-Encoding": "br"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "br"
    assert b"</html>" in brotli.decompress(page.data)
