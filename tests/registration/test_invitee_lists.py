"""Reading invitee lists: encodings, separators, headers and broken lines, each reported by line number."""

import pytest

from eventhub.errors import ValidationFailed
from eventhub.registration.invitee_lists import parse_invitee_csv, parse_invitee_text


def test_semicolons_and_a_byte_order_mark_as_danish_excel_writes_them():
    data = "\ufeffE-mail;Navn;Organisation;Sprog\r\nmette@kk.dk;Mette Jørgensen;Københavns Kommune;da\r\n".encode()
    rows, errors = parse_invitee_csv(data)
    assert errors == []
    assert (rows[0].line, rows[0].email, rows[0].name, rows[0].organisation, rows[0].language) == (
        2,
        "mette@kk.dk",
        "Mette Jørgensen",
        "Københavns Kommune",
        "da",
    )


@pytest.mark.parametrize(
    "header",
    [
        "Adres e-mail;Imię i nazwisko;Instytucja;Język",  # a Polish list
        "Ηλεκτρονικό ταχυδρομείο;Ονοματεπώνυμο;Φορέας;Γλώσσα",  # a Greek one
        "Имейл;Име;Организация;Език",  # Bulgarian
        "E-Mail-Adresse;Name;Organisation;Sprache",  # German
        "Courriel;Nom;Organisme;Langue",  # French
    ],
)
def test_headers_are_read_in_the_languages_eventhub_speaks(header):
    data = f"{header}\nanna@example.org;Anna Nowak;Urząd Miasta Krakowa;pl\n".encode()
    rows, errors = parse_invitee_csv(data)
    assert errors == []
    assert (rows[0].email, rows[0].name, rows[0].organisation, rows[0].language) == (
        "anna@example.org",
        "Anna Nowak",
        "Urząd Miasta Krakowa",
        "pl",
    )


def test_commas_quotes_and_columns_in_any_order():
    data = b'name,email\n"Petrov, Ivan",ivan@gabrovo.bg\n'
    rows, _ = parse_invitee_csv(data)
    assert (rows[0].name, rows[0].email) == ("Petrov, Ivan", "ivan@gabrovo.bg")


def test_a_latin1_file_reports_its_non_utf8_lines_and_keeps_the_others():
    data = "email;name\nascii@example.org;Plain\nsoren@example.org;Søren\n".encode("latin-1")
    rows, errors = parse_invitee_csv(data)
    assert [row.email for row in rows] == ["ascii@example.org"]
    assert [(e.line, e.reason) for e in errors] == [(3, "not UTF-8 text (save the file as CSV UTF-8)")]


def test_a_line_with_more_fields_than_the_header_is_reported():
    rows, errors = parse_invitee_csv(b"email,name\na@example.org,A,extra\nb@example.org,B\n")
    assert [row.email for row in rows] == ["b@example.org"]
    assert errors[0].line == 2


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file (save it as CSV UTF-8)"),
        (b"name;organisation\nAnna;KK\n", "the first line must name the columns: email, name, organisation, language"),
    ],
)
def test_files_that_are_not_invitee_lists_are_refused_whole(data, problem):
    with pytest.raises(ValidationFailed) as raised:
        parse_invitee_csv(data)
    assert raised.value.fields == {"file": problem}


def test_binary_junk_without_nul_bytes_has_no_email_column():
    with pytest.raises(ValidationFailed):
        parse_invitee_csv(bytes(range(1, 256)) * 4)


def test_pasted_lines_in_three_forms():
    rows, errors = parse_invitee_text(
        "a@example.org\n\nAnna Jensen <anna@kk.dk>\nb@example.org; Bo; Odense Kommune; da\n"
    )
    assert errors == []
    assert [(r.line, r.email, r.name, r.organisation, r.language) for r in rows] == [
        (1, "a@example.org", "", "", ""),
        (3, "anna@kk.dk", "Anna Jensen", "", ""),
        (4, "b@example.org", "Bo", "Odense Kommune", "da"),
    ]


def test_a_pasted_csv_with_a_header_is_read_as_csv():
    rows, _ = parse_invitee_text("email,name\nx@example.org,X")
    assert (rows[0].line, rows[0].name) == (2, "X")
