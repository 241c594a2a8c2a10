"""Reading lists of invitees: an uploaded CSV file or a pasted list, into rows that know their line number.

Only the *shape* is read here (encoding, separator, columns); whether a row's email address is valid is for
``invitations.invite_people``, which reports it by the same line number. A problem with the whole file (empty,
binary, no email column) is a ``ValidationFailed``; a problem with one row is a ``RowError`` and the other
rows go on.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from eventhub.errors import ValidationFailed
from eventhub.texts import lazy_text as _l

MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 5_000
# Column headers as spreadsheets write them in each language eventhub speaks (lower-case; matched after trimming),
# so an organiser can upload the list their colleagues keep, in their own language, without renaming columns.
_HEADERS_BY_COLUMN = {
    "email": (
        "email", "e-mail", "mail", "email address", "e-mail address", "e-mailadresse", "e-postadress", "e-post",
        "e-postadresse", "e-mail-adresse", "e-mailadres", "e-mail-cím", "e-mail cím", "adres e-mail", "adresse e-mail",
        "courriel", "adresă de e-mail", "e-pošta", "e-pasts", "имейл", "електронна поща", "ел. поща",
        "ηλεκτρονικό ταχυδρομείο", "διεύθυνση email", "διεύθυνση ηλεκτρονικού ταχυδρομείου",
    ),
    "name": (
        "name", "full name", "navn", "namn", "naam", "nom", "nom complet", "nome", "nome e cognome", "nume",
        "nume și prenume", "jméno", "jméno a příjmení", "meno", "meno a priezvisko", "ime", "ime i prezime", "név",
        "vārds", "vārds, uzvārds", "imię i nazwisko", "imię", "име", "όνομα", "ονοματεπώνυμο",
    ),
    "organisation": (
        "organisation", "organization", "organisationen", "organisation/company", "virksomhed", "organisasjon",
        "virksomhet", "organisatie", "organisme", "organizzazione", "ente", "organizație", "organizatie", "instituție",
        "organizace", "organizácia", "organizacija", "szervezet", "organizācija", "organizacja", "instytucja",
        "организация", "οργανισμός", "φορέας",
    ),
    "language": (
        "language", "lang", "sprog", "språk", "sprache", "taal", "langue", "lingua", "limbă", "limba", "jazyk",
        "jezik", "nyelv", "valoda", "język", "език", "γλώσσα",
    ),
}  # fmt: skip
COLUMN_ALIASES = {header: column for column, headers in _HEADERS_BY_COLUMN.items() for header in headers}
COLUMNS = ("email", "name", "organisation", "language")
NAME_AND_ADDRESS = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]+)>\s*$")


@dataclass(frozen=True)
class InviteeRow:
    line: int
    email: str
    name: str = ""
    organisation: str = ""
    language: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: Any  # text, or a lazy string read in the reader's language
    email: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "email": self.email, "reason": self.reason}


def parse_invitee_csv(data: bytes) -> tuple[list[InviteeRow], list[RowError]]:
    """Rows of a CSV file with a header (email required; name, organisation, language optional).

    UTF-8 with or without a byte-order mark; comma, semicolon or tab separated (Danish and Swedish Excel write
    semicolons). Rows that are not UTF-8 (a Latin-1 export) are reported one by one. Raises ValidationFailed
    for an empty or binary file, a file that is too large, or one without an email column.
    """
    text = _decode(data)
    delimiter = _delimiter(text.lstrip().split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = _header(reader)
    return _read_rows(reader, header)


def parse_invitee_text(text: str) -> tuple[list[InviteeRow], list[RowError]]:
    """A pasted list: one invitee per line, ``email``, ``Name <email>`` or ``email; name; organisation; language``.

    A pasted CSV with a header line (one that names an email column) is read as a CSV file.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ValidationFailed(_l("The list contains NUL characters."), {"invitees": _l("not text")})
    first = text.lstrip().split("\n", 1)[0]
    if any(_column(cell) == "email" for cell in re.split(r"[;,\t]", first)):
        return parse_invitee_csv(text.encode("utf-8"))
    rows: list[InviteeRow] = []
    errors: list[RowError] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            rows.append(_pasted_row(number, line))
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            _l("At most %(count)d invitees at once.", count=MAX_ROWS),
            {"invitees": _l("at most %(count)d lines", count=MAX_ROWS)},
        )
    return rows, errors


def _pasted_row(number: int, line: str) -> InviteeRow:
    match = NAME_AND_ADDRESS.match(line)
    if match:
        return InviteeRow(number, match["email"].strip(), match["name"].strip().strip('"'))
    cells = next(csv.reader([line], delimiter=_delimiter(line)))
    cells = [cell.strip() for cell in cells] + [""] * 4
    return InviteeRow(number, cells[0], cells[1], cells[2], cells[3])


def _decode(data: bytes) -> str:
    if not data or not data.strip():
        raise ValidationFailed(_l("The file is empty."), {"file": _l("the file is empty")})
    if len(data) > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // 1_000_000
        raise ValidationFailed(_l("The file is too large."), {"file": _l("at most %(count)d MB", count=megabytes)})
    if b"\x00" in data:
        raise ValidationFailed(
            _l("This is not a CSV text file."), {"file": _l("not a CSV text file (save it as CSV UTF-8)")}
        )
    # surrogateescape keeps undecodable bytes as lone surrogates, so each bad row can be named by its line.
    text = data.decode("utf-8", errors="surrogateescape")
    return text[1:] if text.startswith("\ufeff") else text


def _delimiter(line: str) -> str:
    counts = {delimiter: line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column(cell: str) -> str | None:
    return COLUMN_ALIASES.get(cell.strip().strip('"').strip().lower())


def _header(reader: csv.Reader) -> list[str | None]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [_column(cell) for cell in cells]
            if "email" not in header:
                raise ValidationFailed(
                    _l("The file has no email column."),
                    {"file": _l("the first line must name the columns: email, name, organisation, language")},
                )
            return header
    raise ValidationFailed(_l("The file is empty."), {"file": _l("the file is empty")})


def _read_rows(reader: csv.Reader, header: list[str | None]) -> tuple[list[InviteeRow], list[RowError]]:
    rows: list[InviteeRow] = []
    errors: list[RowError] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                raise ValidationFailed(
                    _l("At most %(count)d invitees at once.", count=MAX_ROWS),
                    {"file": _l("at most %(count)d rows", count=MAX_ROWS)},
                )
            row_or_error = _row(line, header, cells)
            (rows if isinstance(row_or_error, InviteeRow) else errors).append(row_or_error)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, _l("cannot read this line: %(error)s", error=str(exc))))
    return rows, errors


def _row(line: int, header: list[str | None], cells: list[str]) -> InviteeRow | RowError:
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        return RowError(line, _l("more fields than the header has columns (an unquoted separator?)"))
    values = {name: cell.strip() for name, cell in zip(header, cells) if name}
    if any(_has_surrogates(value) for value in values.values()):
        return RowError(line, _l("not UTF-8 text (save the file as CSV UTF-8)"))
    return InviteeRow(
        line,
        values.get("email", ""),
        values.get("name", ""),
        values.get("organisation", ""),
        values.get("language", ""),
    )


def _has_surrogates(value: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in value)
