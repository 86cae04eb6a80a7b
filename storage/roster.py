"""Reading a participant list: a CSV file checked row by row, every problem found at once.

Plain values in, plain values out: no database, no Slack. The header (line 1) names the
columns in any order and any case: `name`, `email`, `delegation`, `role`, `group`,
`organisation`. UTF-8 with or without a byte-order mark; LF, CRLF or CR line ends; a comma,
semicolon or tab between values (whichever the header uses). Text is kept verbatim, in any
script; only the whitespace around a value is dropped, and emails are compared in lower case.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from storage.countries import delegation_code
from storage.limits import NAME_MAX
from storage.models import Role

COLUMNS = ("name", "email", "delegation", "role", "group", "organisation")
REQUIRED_COLUMNS = ("email", "delegation")
# Other spellings a spreadsheet may use for a column.
COLUMN_ALIASES = {"e-mail": "email", "organization": "organisation"}
EMAIL_MAX = 320
DELEGATION_MAX = 200
ORGANISATION_MAX = 200
EMAIL = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s,;<>()\[\]\".]+$")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    """One good row: a person on the list."""

    line: int
    name: str
    email: str  # lower case
    delegation: str  # an alpha-2 code (delegates, rapporteurs); an organisation (observers)
    role: Role
    group_key: str | None  # None: every group
    organisation: str | None

    @property
    def is_state(self) -> bool:
        """Whether the delegation is a State's (an alpha-2 code), not an observer's."""
        return self.role is not Role.OBSERVER


@dataclass(frozen=True)
class Problem:
    """Why a line is refused; `reason` is a key the report's wording is chosen by.

    Reasons: not_utf8, no_header, missing_column, duplicate_column, too_many_values,
    missing_email, malformed_email, duplicate_email (first_line: where it was first),
    missing_delegation, unknown_delegation, unknown_role, unknown_group,
    rapporteur_without_group, too_long (column, limit).
    """

    line: int
    reason: str
    value: str | None = None
    column: str | None = None
    first_line: int | None = None
    limit: int | None = None


@dataclass
class Parsed:
    """What a file holds: its good rows and the problems of the others."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every line is good (then, and only then, the list may be imported)."""
        return not self.problems


def parse_roster(data: bytes, *, group_keys: Collection[str]) -> Parsed:
    """Read and check a participant list; every bad line is reported, none is skipped."""
    parsed = Parsed()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        parsed.problems.append(Problem(line, "not_utf8"))
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        parsed.problems.append(Problem(1, "no_header"))
        return parsed
    columns = _columns(header, parsed)
    if parsed.problems:
        return parsed
    keys = {key.lower() for key in group_keys}
    first_seen: dict[str, int] = {}
    previous_end = reader.line_num
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(line, cells, columns, len(header), keys, first_seen, parsed.problems)
        if row is not None:
            parsed.rows.append(row)
    return parsed


def _delimiter(text: str) -> str:
    """The separator the header line uses most (a comma if it uses none)."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _columns(header: list[str], parsed: Parsed) -> dict[str, int]:
    """Column name → position; records problems with the header itself (line 1)."""
    columns: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = " ".join(cell.split()).lower()
        name = COLUMN_ALIASES.get(name, name)
        if name not in COLUMNS:
            if name:
                parsed.ignored_columns.append(cell.strip())
            continue
        if name in columns:
            parsed.problems.append(Problem(1, "duplicate_column", column=name))
        columns[name] = position
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            parsed.problems.append(Problem(1, "missing_column", column=name))
    return columns


def _row(
    line: int,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    group_keys: set[str],
    first_seen: dict[str, int],
    problems: list[Problem],
) -> Row | None:
    """Check one line; its problems are appended, and None returned if it has any."""
    found: list[Problem] = []

    def value(column: str) -> str:
        position = columns.get(column)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    if len(cells) > width:  # e.g. a name with an unquoted comma: every value after it shifts
        found.append(Problem(line, "too_many_values", value=str(len(cells)), limit=width))
    email = _email(line, value("email"), first_seen, found)
    role = _role(line, value("role"), found)
    delegation = _delegation(line, value("delegation"), role, found)
    group_key = value("group").lower() or None
    if group_key is not None and group_key not in group_keys:
        found.append(Problem(line, "unknown_group", value=value("group")))
    if role is Role.RAPPORTEUR and group_key is None:
        found.append(Problem(line, "rapporteur_without_group"))
    name, organisation = value("name"), value("organisation") or None
    for column, text, limit in (
        ("name", name, NAME_MAX),
        ("organisation", organisation, ORGANISATION_MAX),
    ):
        if text is not None and len(text) > limit:
            found.append(Problem(line, "too_long", column=column, limit=limit))
    problems.extend(found)
    if found or email is None or role is None or delegation is None:
        return None
    return Row(line, name, email, delegation, role, group_key, organisation)


def _email(line: int, text: str, first_seen: dict[str, int], found: list[Problem]) -> str | None:
    if not text:
        found.append(Problem(line, "missing_email"))
        return None
    email = text.lower()
    if len(email) > EMAIL_MAX or not EMAIL.match(email):
        found.append(Problem(line, "malformed_email", value=text))
        return None
    if email in first_seen:
        found.append(Problem(line, "duplicate_email", value=text, first_line=first_seen[email]))
        return None
    first_seen[email] = line
    return email


def _role(line: int, text: str, found: list[Problem]) -> Role | None:
    if not text:
        return Role.DELEGATE
    try:
        return Role(text.lower())
    except ValueError:
        found.append(Problem(line, "unknown_role", value=text))
        return None


def _delegation(line: int, text: str, role: Role | None, found: list[Problem]) -> str | None:
    if not text:
        found.append(Problem(line, "missing_delegation"))
        return None
    if role is Role.OBSERVER:  # an organisation's name, verbatim
        if len(text) > DELEGATION_MAX:
            found.append(Problem(line, "too_long", column="delegation", limit=DELEGATION_MAX))
            return None
        return text
    code = delegation_code(text)
    if code is None:
        found.append(Problem(line, "unknown_delegation", value=text))
    return code
