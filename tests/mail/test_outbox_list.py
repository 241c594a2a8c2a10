"""/admin/outbox as a long list: a page at a time, searched by recipient or subject, filtered by status, counted
per status, in the same few queries however many messages there are; Retry comes back to the same page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from eventhub.extensions import db
from eventhub.mail.models import OutboxStatus
from eventhub.mail.services import RenderedEmail, queue_email
from tests.conftest import csrf_token_from


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def ids_in(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-message="(\d+)"', page)]


@pytest.fixture
def admin(make_user, login):
    login(make_user("admin"))


@pytest.fixture
def outbox(make_person, now):
    """``outbox(n, failed_every=k)``: ``n`` messages to ``r000@example.org``…, every k-th one failed."""

    def factory(count: int, failed_every: int = 0, subject: str = "Invitation {i}"):
        person = make_person(email="someone@example.org")
        messages = []
        for i in range(count):
            message = queue_email(
                dedup_key=f"test:{subject}:{i}", kind="test", recipient=person, now=now,
                email=RenderedEmail(subject=subject.format(i=i), text="Hi\n", html="<p>Hi</p>"),
            )  # fmt: skip
            message.recipient_email = f"r{i:03}@example.org"
            if failed_every and i % failed_every == 0:
                message.status, message.last_error = OutboxStatus.FAILED, "550 unknown"
            messages.append(message)
        db.session.commit()
        return messages

    return factory


def test_the_outbox_comes_fifty_a_page_with_counts_per_status(client, admin, outbox):
    outbox(60, failed_every=4)
    page = text(client.get("/admin/outbox"))
    assert len(ids_in(page)) == 50 and "1–50 of 60" in page and 'rel="next"' in page
    assert '<span class="count" data-status="failed">15</span>' in page
    assert '<span class="count" data-status="queued">45</span>' in page
    assert len(ids_in(text(client.get("/admin/outbox?page=2")))) == 10


def test_the_outbox_filters_by_status_and_searches_recipient_and_subject(client, admin, outbox):
    messages = outbox(8, failed_every=4)
    failed = text(client.get("/admin/outbox?status=failed"))
    assert sorted(ids_in(failed)) == [messages[0].id, messages[4].id] and failed.count(">Retry</button>") == 2
    assert ids_in(text(client.get("/admin/outbox?q=R003@example"))) == [messages[3].id]
    assert ids_in(text(client.get("/admin/outbox", query_string={"q": "Invitation 7"}))) == [messages[7].id]
    assert "No messages match." in text(client.get("/admin/outbox", query_string={"q": "100%"}))


def test_outbox_search_takes_percent_and_underscore_literally(client, admin, outbox):
    outbox(2, subject="Plain {i}")
    special = outbox(1, subject="100% off_{i}")
    assert ids_in(text(client.get("/admin/outbox", query_string={"q": "100%"}))) == [special[0].id]
    assert ids_in(text(client.get("/admin/outbox", query_string={"q": "f_0"}))) == [special[0].id]
    assert ids_in(text(client.get("/admin/outbox", query_string={"q": "_"}))) == [special[0].id]


def test_retry_comes_back_to_the_same_page_and_filter(client, admin, outbox):
    outbox(120, failed_every=2)
    page = text(client.get("/admin/outbox?status=failed&page=2"))
    action = re.search(r'action="(/admin/outbox/\d+/retry[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.post(action, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/admin/outbox" and parse_qs(location.query) == {"status": ["failed"], "page": ["2"]}


def test_the_outbox_page_needs_the_same_queries_for_3_or_150_messages(client, admin, outbox, count_queries):
    counts = []
    for size in (3, 147):
        outbox(size, failed_every=2, subject=f"Batch {size} {{i}}")
        client.get("/admin/outbox")
        with count_queries() as counter:
            assert client.get("/admin/outbox?status=failed").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_an_unknown_status_is_ignored(client, admin, outbox):
    outbox(2)
    page = text(client.get("/admin/outbox?status=lost"))
    assert len(ids_in(page)) == 2 and "Not a valid choice" in page
