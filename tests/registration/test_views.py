"""The invitee's pages and the organiser's pages through the test client: links as credentials, the form with
questions, escaping, double submits, CSV upload and export, requests with their rate limit, and who may see what."""

from __future__ import annotations

import io

import pytest

from eventhub.extensions import db
from eventhub.registration.models import InvitationRequest, Registration, RegistrationStatus
from eventhub.registration.questions import add_question
from tests.conftest import csrf_token_from
from tests.registration.conftest import emails_of, last_email, token_from

HOSTILE = '<script>alert(1)</script>Ølse "Бойко"'


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def event(conference):
    event = conference(capacity=1)
    add_question(event, "single_choice", "Working group", required=True, choices=["Construction", "Health care"])
    add_question(event, "short_text", "Dietary needs")
    db.session.commit()
    return event


def _form(client, token: str, **fields) -> dict[str, str]:
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 200, text(page)
    return {"csrf_token": csrf_token_from(text(page)), **fields}


def _question_fields(event) -> dict[str, str]:
    from eventhub.registration.questions import questions_for

    return {q.label: q.field_name for q in questions_for(event)}


def test_the_invitation_page_shows_the_event_in_its_zone_and_a_prefilled_form(client, event, invite):
    _, token = invite(event, name="Anna Novák", organisation="Praha 7")
    db.session.commit()
    page = text(client.get(f"/invitations/{token}"))
    assert event.title in page and "(Prague)" in page and "Prague, Ministry" in page
    assert 'value="Anna Novák"' in page and 'value="Praha 7"' in page
    assert "Working group" in page and "Health care" in page and "Decline the invitation" in page


def test_registering_through_the_form_redirects_to_the_personal_page(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    q = _question_fields(event)
    response = client.post(
        f"/invitations/{token}", data=_form(client, token, name="Anna", **{q["Working group"]: "Construction"})
    )
    assert response.status_code == 302 and "/registrations/" in response.headers["Location"]
    page = text(client.get(response.headers["Location"]))
    assert "Your place is confirmed" in page and "Construction" in page
    assert db.session.scalar(db.select(Registration.answers)) == {
        str(event_id_question(event, "Working group")): "Construction"
    }


def event_id_question(event, label):
    from eventhub.registration.questions import questions_for

    return next(q.id for q in questions_for(event) if q.label == label)


def test_a_missing_required_answer_keeps_the_form_with_an_error(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    response = client.post(f"/invitations/{token}", data=_form(client, token, name="Anna"))
    assert response.status_code == 422 and db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_a_double_submit_makes_one_registration(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    q = _question_fields(event)
    data = _form(client, token, name="Anna", **{q["Working group"]: "Construction"})
    first = client.post(f"/invitations/{token}", data=data)
    second = client.post(f"/invitations/{token}", data=data)
    assert first.status_code == 302 and second.status_code == 200 and "You are registered" in text(second)
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert len(emails_of("registration_confirmed")) == 1


def test_html_in_names_and_answers_is_escaped_on_every_page(client, event, invite, login, make_user, make_organiser):
    _, token = invite(event, name=HOSTILE)
    db.session.commit()
    q = _question_fields(event)
    response = client.post(
        f"/invitations/{token}",
        data=_form(client, token, name=HOSTILE, **{q["Working group"]: "Construction", q["Dietary needs"]: HOSTILE}),
    )
    manage_page = text(client.get(response.headers["Location"]))
    organiser = make_organiser(event)
    db.session.commit()
    login(organiser)
    pages = [manage_page] + [
        text(client.get(f"/events/{event.id}/manage/{page}")) for page in ("invitations", "registrations")
    ]
    for page in pages:
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in last_email("registration_confirmed").body_html


@pytest.mark.parametrize("token", ["nonexistent-token", "x" * 43, "%00", "a" * 500])
def test_unknown_tokens_are_404(client, token):
    assert client.get(f"/invitations/{token}").status_code == 404
    assert client.get(f"/registrations/{token}").status_code == 404


def test_a_tampered_token_is_404_and_says_nothing_about_the_invitee(client, event, invite):
    _, token = invite(event, "secret.person@example.org")
    db.session.commit()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(f"/invitations/{tampered}")
    assert response.status_code == 404 and "secret.person" not in text(response)


def test_revoked_and_expired_links_are_410(client, event, invite, now, frozen_clock):
    from eventhub.registration.invitations import revoke_invitation

    invitation, revoked = invite(event, "revoked@example.org")
    revoke_invitation(invitation, now)
    _, expiring = invite(event, "late@example.org")
    db.session.commit()
    response = client.get(f"/invitations/{revoked}")
    assert response.status_code == 410 and "revoked@example.org" not in text(response)
    frozen_clock.set(event.registration_closes_at)
    assert client.get(f"/invitations/{expiring}").status_code == 410
    csrf = csrf_token_from(text(client.get(f"/events/{event.id}/request-invitation")))
    assert client.post(f"/invitations/{expiring}", data={"name": "Late", "csrf_token": csrf}).status_code == 410


def test_decline_and_cancel_need_the_form_token(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    assert client.post(f"/invitations/{token}/decline").status_code == 400
    page = client.get(f"/invitations/{token}")
    response = client.post(f"/invitations/{token}/decline", data={"csrf_token": csrf_token_from(text(page))})
    assert response.status_code == 200 and "cannot come" in text(response)


def test_cancelling_through_the_self_service_link_promotes_the_next(client, event, invite):
    q = _question_fields(event)
    tokens = [invite(event, f"p{n}@example.org", f"P{n}")[1] for n in range(2)]
    db.session.commit()
    locations = []
    for token in tokens:
        response = client.post(
            f"/invitations/{token}", data=_form(client, token, name="P", **{q["Working group"]: "Construction"})
        )
        locations.append(response.headers["Location"])
    assert "waiting list" in text(client.get(locations[1]))
    manage = client.get(locations[0])
    assert (
        client.post(
            locations[0].split("?")[0] + "/cancel", data={"csrf_token": csrf_token_from(text(manage))}
        ).status_code
        == 302
    )
    statuses = db.session.scalars(db.select(Registration.status)).all()
    assert sorted(statuses) == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]
    assert last_email("waitlist_promoted").recipient_email == "p1@example.org"


def test_the_waiting_list_page_says_the_place_in_the_queue_not_the_stored_number(client, event, invite):
    """Stored positions keep the gaps left by people promoted: the third to register is second in line at first,
    and first once the place is freed and the second is promoted."""
    q = _question_fields(event)
    tokens = [invite(event, f"p{n}@example.org", f"P{n}")[1] for n in range(3)]
    db.session.commit()
    locations = [
        client.post(
            f"/invitations/{token}", data=_form(client, token, name="P", **{q["Working group"]: "Construction"})
        ).headers["Location"]
        for token in tokens
    ]
    assert "you are number 2 on the waiting list" in text(client.get(locations[2]))
    manage = client.get(locations[0])
    client.post(locations[0].split("?")[0] + "/cancel", data={"csrf_token": csrf_token_from(text(manage))})

    assert "you are number 1 on the waiting list" in text(client.get(locations[2]))


def test_answers_can_be_changed_on_the_self_service_page(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    q = _question_fields(event)
    location = client.post(
        f"/invitations/{token}", data=_form(client, token, name="A", **{q["Working group"]: "Construction"})
    ).headers["Location"]
    page = client.get(location)
    manage = token_from(last_email("registration_confirmed"), "registrations")
    response = client.post(
        f"/registrations/{manage}", data={"csrf_token": csrf_token_from(text(page)), q["Working group"]: "Health care"}
    )
    assert response.status_code == 302
    assert "Health care" in text(client.get(f"/registrations/{manage}"))


# -------------------------------------------------------------------------------------------------------------
# Requests for an invitation
# -------------------------------------------------------------------------------------------------------------


def _request(client, event, email="new@example.org", **extra):
    page = client.get(f"/events/{event.id}/request-invitation")
    data = {
        "csrf_token": csrf_token_from(text(page)),
        "name": "Nina",
        "email": email,
        "organisation": "REVES",
        "message": "I have a case",
        **extra,
    }
    return client.post(f"/events/{event.id}/request-invitation", data=data)


def test_the_event_page_links_to_the_request_form_and_a_request_is_stored(client, event):
    assert f"/events/{event.id}/request-invitation" in text(client.get(f"/events/{event.id}"))
    response = _request(client, event, case_description="Social clauses in cleaning contracts")
    assert response.status_code == 200 and "Thank you" in text(response)
    stored = db.session.scalar(db.select(InvitationRequest))
    assert (stored.email, stored.case_description) == ("new@example.org", "Social clauses in cleaning contracts")


def test_requests_are_rate_limited_per_address_and_per_ip(client, event, app):
    app.config["REQUEST_LIMIT_PER_EMAIL"] = (2, 86400)
    app.config["REQUEST_LIMIT_PER_IP"] = (3, 3600)
    assert [_request(client, event, "same@example.org").status_code for _ in range(3)] == [200, 200, 429]
    assert [_request(client, event, f"other{n}@example.org").status_code for n in range(2)] == [200, 429]
    assert db.session.scalar(db.select(db.func.count(InvitationRequest.id))) == 3


def test_events_that_are_not_invitation_only_take_no_requests(client, conference):
    open_event = conference(invitation_only=False)
    db.session.commit()
    assert client.get(f"/events/{open_event.id}/request-invitation").status_code == 404


def test_approving_sends_an_invitation_and_declining_a_polite_email(client, event, login, make_user, make_organiser):
    _request(client, event, "yes@example.org")
    _request(client, event, "no@example.org")
    login(make_organiser(event))
    db.session.commit()
    page = client.get(f"/events/{event.id}/manage/requests")
    csrf = csrf_token_from(text(page))
    ids = dict(db.session.execute(db.select(InvitationRequest.email, InvitationRequest.id)).all())
    client.post(f"/events/{event.id}/manage/requests/{ids['yes@example.org']}/approve", data={"csrf_token": csrf})
    client.post(f"/events/{event.id}/manage/requests/{ids['no@example.org']}/decline", data={"csrf_token": csrf})
    assert last_email("invitation").recipient_email == "yes@example.org"
    assert last_email("request_declined").recipient_email == "no@example.org"


# -------------------------------------------------------------------------------------------------------------
# Organiser pages
# -------------------------------------------------------------------------------------------------------------


def test_uploading_a_csv_reports_each_line(client, event, login, make_user, make_organiser):
    login(make_organiser(event))
    db.session.commit()
    page = client.get(f"/events/{event.id}/manage/invitations")
    csv_bytes = "\ufeffemail;name\nmette@kk.dk;Mette\nbroken;X\nMETTE@kk.dk;Again\n".encode()
    data = {"csrf_token": csrf_token_from(text(page)), "file": (io.BytesIO(csv_bytes), "invitees.csv"), "invitees": ""}
    response = client.post(f"/events/{event.id}/manage/invitations", data=data, content_type="multipart/form-data")
    body = text(response)
    assert response.status_code == 200
    assert "Invited: 1. Skipped: 1. Not valid: 1." in body and "Line 3" in body and "listed twice" in body


def test_an_empty_upload_is_a_form_error(client, event, login, make_user, make_organiser):
    login(make_organiser(event))
    db.session.commit()
    page = client.get(f"/events/{event.id}/manage/invitations")
    data = {"csrf_token": csrf_token_from(text(page)), "file": (io.BytesIO(b""), "empty.csv"), "invitees": ""}
    response = client.post(f"/events/{event.id}/manage/invitations", data=data, content_type="multipart/form-data")
    assert response.status_code == 422


def test_the_csv_export_opens_in_a_spreadsheet_and_neutralises_formulas(
    client, event, invite, now, login, make_user, make_organiser
):
    from eventhub.registration.services import register_invitee

    invitation, _ = invite(event, "mette@kk.dk", '=HYPERLINK("http://evil")')
    register_invitee(
        invitation,
        '=HYPERLINK("http://evil")',
        None,
        {
            "q_%d" % event_id_question(event, "Working group"): "Construction",
            "q_%d" % event_id_question(event, "Dietary needs"): "@SUM(1)",
        },
        now,
    )
    invitation, _ = invite(event, "ivan@gabrovo.bg", "Иван Петров")
    register_invitee(
        invitation, "Иван Петров", None, {"q_%d" % event_id_question(event, "Working group"): "Health care"}, now
    )
    login(make_organiser(event))
    db.session.commit()
    response = client.get(f"/events/{event.id}/manage/registrations.csv")
    assert (
        response.headers["Content-Type"].startswith("text/csv")
        and "attachment" in response.headers["Content-Disposition"]
    )
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    content = raw.decode("utf-8-sig")
    assert "'=HYPERLINK" in content and "'@SUM(1)" in content and "Иван Петров" in content
    assert content.splitlines()[0].startswith("email,name,organisation,status")


ORGANISER_PAGES = [
    ("get", "/events/{event}/manage/invitations"),
    ("get", "/events/{event}/manage/registrations"),
    ("get", "/events/{event}/manage/registrations.csv"),
    ("get", "/events/{event}/manage/questions"),
    ("get", "/events/{event}/manage/requests"),
    ("post", "/events/{event}/manage/invitations"),
    ("post", "/events/{event}/manage/questions"),
]


@pytest.mark.parametrize("role", ["anonymous", "member", "secretary", "other_organiser", "organiser", "admin"])
@pytest.mark.parametrize(("method", "path"), ORGANISER_PAGES, ids=[f"{m} {p}" for m, p in ORGANISER_PAGES])
def test_organiser_pages_permission_matrix(client, event, login, make_user, make_organiser, role, method, path):
    """The event's organiser and admins use the pages; an organiser of another series gets a 403 like members."""
    if role == "organiser":
        login(make_organiser(event))
    elif role == "other_organiser":
        login(make_organiser())  # organises nothing of this event (its creator is another)
    elif role != "anonymous":
        login(make_user(role))
    db.session.commit()
    data = (
        {"csrf_token": csrf_token_from(text(client.get(f"/events/{event.id}/request-invitation")))}
        if method == "post"
        else None
    )
    response = getattr(client, method)(path.format(event=event.id), data=data)
    expected = {"anonymous": 302, "member": 403, "secretary": 403, "other_organiser": 403}.get(
        role, 200 if method == "get" else 422
    )
    assert response.status_code == expected
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["anonymous", "member", "organiser"])
def test_invitee_pages_need_the_token_not_a_login(client, event, invite, login, make_user, role):
    _, token = invite(event)
    if role != "anonymous":
        login(make_user(role))
    db.session.commit()
    assert client.get(f"/invitations/{token}").status_code == 200
    assert client.get("/invitations/not-a-token").status_code == 404
    assert client.get(f"/events/{event.id}/request-invitation").status_code == 200


def test_only_organisers_see_the_link_to_the_organiser_pages(client, event, login, make_user, make_organiser):
    assert "/manage/invitations" not in text(client.get(f"/events/{event.id}"))
    login(make_organiser(event))
    db.session.commit()
    assert "/manage/invitations" in text(client.get(f"/events/{event.id}"))


def test_over_long_fields_in_the_form_are_refused(client, event, invite):
    _, token = invite(event)
    db.session.commit()
    q = _question_fields(event)
    response = client.post(
        f"/invitations/{token}",
        data=_form(
            client, token, name="N" * 201, **{q["Working group"]: "Construction", q["Dietary needs"]: "x" * 301}
        ),
    )
    assert response.status_code == 422
    assert "longer than 200 characters" in text(response) and "longer than 300 characters" in text(response)
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_organisers_resend_and_revoke_from_the_list(client, event, invite, login, make_user, make_organiser):
    invitation, token = invite(event)
    login(make_organiser(event))
    db.session.commit()
    csrf = csrf_token_from(text(client.get(f"/events/{event.id}/manage/invitations")))
    client.post(f"/events/{event.id}/manage/invitations/{invitation.id}/resend", data={"csrf_token": csrf})
    assert len(emails_of("invitation")) == 2
    client.post(f"/events/{event.id}/manage/invitations/{invitation.id}/revoke", data={"csrf_token": csrf})
    assert client.get(f"/invitations/{token}").status_code == 410
    assert "revoked" in text(client.get(f"/events/{event.id}/manage/invitations?status=revoked"))


def test_organisers_add_questions_with_choices(client, event, login, make_user, make_organiser):
    login(make_organiser(event))
    db.session.commit()
    csrf = csrf_token_from(text(client.get(f"/events/{event.id}/manage/questions")))
    data = {
        "csrf_token": csrf,
        "kind": "multiple_choice",
        "label": "Lunch",
        "choices": "Fish\nVegetarian\n",
        "required": "y",
    }
    assert client.post(f"/events/{event.id}/manage/questions", data=data).status_code == 302
    bad = {**data, "choices": "Only one"}
    assert client.post(f"/events/{event.id}/manage/questions", data=bad).status_code == 422
    assert "Vegetarian" in text(client.get(f"/events/{event.id}/manage/questions"))


def test_old_rate_limit_attempts_are_forgotten(event, now):
    from datetime import timedelta

    from eventhub.ratelimit import RateLimitAttempt
    from eventhub.registration.invitation_requests import RequestInput, submit_request

    submit_request(event, RequestInput("A", "a@example.org"), "10.0.0.1", now - timedelta(days=2))
    submit_request(event, RequestInput("B", "b@example.org"), "10.0.0.1", now)
    assert sorted(db.session.scalars(db.select(RateLimitAttempt.key))) == ["email:b@example.org", "ip:10.0.0.1"]


# -------------------------------------------------------------------------------------------------------------
# What the organiser pages show: the actions each invitation allows, statuses in words, a fixed statement count
# -------------------------------------------------------------------------------------------------------------


def _actions_of(page: str, invitation_id: int) -> set[str]:
    return {action for action in ("resend", "revoke") if f'/invitations/{invitation_id}/{action}"' in page}


def test_each_invitation_row_offers_the_actions_the_services_allow(
    client, event, invite, login, make_user, now, frozen_clock, make_organiser
):
    from eventhub.registration.invitations import decline_invitation, revoke_invitation
    from eventhub.registration.services import register_invitee

    pending, _ = invite(event, "pending@example.org")
    declined, _ = invite(event, "declined@example.org")
    decline_invitation(declined, now)
    revoked, _ = invite(event, "revoked@example.org")
    revoke_invitation(revoked, now)
    registered, _ = invite(event, "registered@example.org")
    from eventhub.registration.questions import questions_for

    working_group = next(q for q in questions_for(event) if q.label == "Working group")
    register_invitee(registered, "Reg", "", {working_group.field_name: "Construction"}, now)
    login(make_organiser(event))
    db.session.commit()
    page = text(client.get(f"/events/{event.id}/manage/invitations"))
    assert _actions_of(page, pending.id) == {"resend", "revoke"}
    assert _actions_of(page, declined.id) == {"revoke"}
    assert _actions_of(page, revoked.id) == set() and _actions_of(page, registered.id) == set()
    frozen_clock.set(event.registration_closes_at)
    expired_page = text(client.get(f"/events/{event.id}/manage/invitations"))
    assert _actions_of(expired_page, pending.id) == {"revoke"}  # the service still revokes an expired one
    csrf = csrf_token_from(expired_page)
    client.post(f"/events/{event.id}/manage/invitations/{pending.id}/revoke", data={"csrf_token": csrf})
    db.session.expire_all()
    assert pending.status.value == "revoked"


def test_statuses_are_words_in_the_readers_language(
    client, event, invite, login, make_user, make_person, now, make_organiser
):
    from eventhub.registration.services import register

    invite(event, "pending@example.org")
    register(event, make_person(), now)
    register(event, make_person(), now)  # capacity 1: this one waits
    login(make_organiser(event))
    db.session.commit()
    invitations = text(client.get(f"/events/{event.id}/manage/invitations?lang=da"))
    registrations = text(client.get(f"/events/{event.id}/manage/registrations?lang=da"))
    questions = text(client.get(f"/events/{event.id}/manage/questions?lang=da"))
    assert '<span class="status-pill">afventer svar</span>' in invitations
    assert ">venteliste #1<" in registrations and ">bekræftet<" in registrations
    assert "(Ét valg, obligatorisk" in questions and '<option value="short_text">Kort tekst</option>' in questions


@pytest.mark.parametrize("page", ["invitations", "registrations"])
def test_organiser_lists_run_the_same_statements_for_3_rows_as_for_30(
    client, conference, invite, login, make_user, make_person, now, count_queries, page, make_organiser
):
    from eventhub.registration.services import register

    def event_with(rows: int):
        event = conference(capacity=rows // 2)
        for n in range(rows):
            organisation = f"Organisation {rows}-{n}"
            if page == "invitations":
                invite(event, f"guest{rows}-{n}@example.org", f"Guest {n}", organisation)
            else:
                register(event, make_person(organisation=organisation), now)
        return event

    small, large = event_with(3), event_with(30)
    login(make_organiser(small, large))
    db.session.commit()
    counts = []
    for event in (small, large):
        with count_queries() as counter:
            body = text(client.get(f"/events/{event.id}/manage/{page}"))
        counts.append(counter.statements)
    assert "Organisation 30-29" in body
    assert len(counts[0]) == len(counts[1]), "\n\n".join(counts[1])
