"""storage.roster: a participant list read and checked, every bad line reported at once."""

from __future__ import annotations

import pytest

from storage.models import Role
from storage.roster import Problem, parse_roster

KEYS = ("e-evidence", "financial-investigation", "asset-confiscation", "victim-protection")
KHMER = "សុខ ដារ៉ា"
LAO = "ສົມພອນ ວົງສາ"


def parse(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_roster(data, group_keys=KEYS)


def reasons(parsed) -> list[tuple[int, str]]:
    return [(p.line, p.reason) for p in parsed.problems]


def test_a_good_file_with_columns_in_any_order_and_case():
    parsed = parse(
        "Group,ROLE,Email,Name,Delegation,Organisation\n"
        "e-evidence,rapporteur,Somchai@Example.org,Somchai Prasert,TH,Royal Thai Police\n"
        ",,sok@example.org," + KHMER + ",Cambodia,\n"
        "FINANCIAL-INVESTIGATION,Delegate,somphone@example.org," + LAO + ",Lao PDR,\n"
        ",observer,jane@unodc.org,Jane Doe,UNODC,\n"
        ",,an@example.org,Nguyễn Thị An,vnm,\n"
    )
    assert parsed.ok, parsed.problems
    rows = {row.email: row for row in parsed.rows}
    somchai = rows["somchai@example.org"]  # emails compared (and kept) in lower case
    assert (somchai.line, somchai.name, somchai.delegation) == (2, "Somchai Prasert", "TH")
    assert (somchai.role, somchai.group_key, somchai.organisation) == (
        Role.RAPPORTEUR,
        "e-evidence",
        "Royal Thai Police",
    )
    assert rows["sok@example.org"].name == KHMER
    assert (rows["sok@example.org"].delegation, rows["sok@example.org"].role) == (
        "KH",
        Role.DELEGATE,
    )
    assert rows["sok@example.org"].group_key is None  # every group
    assert rows["somphone@example.org"].name == LAO
    assert rows["somphone@example.org"].delegation == "LA"
    assert rows["somphone@example.org"].group_key == "financial-investigation"
    assert (rows["jane@unodc.org"].delegation, rows["jane@unodc.org"].role) == (
        "UNODC",
        Role.OBSERVER,
    )
    assert not rows["jane@unodc.org"].is_state
    assert rows["an@example.org"].delegation == "VN"


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffname,email,delegation\r\n"
        + KHMER
        + ",sok@example.org,KH\r\n"
        + LAO
        + ",s@example.org,LA\r\n",
        "name,email,delegation\r\n" + KHMER + ",sok@example.org,KH\r\n" + LAO + ",s@example.org,LA",
        "name;email;delegation\n" + KHMER + ";sok@example.org;KH\n" + LAO + ";s@example.org;LA\n",
        "name\temail\tdelegation\r"
        + KHMER
        + "\tsok@example.org\tKH\r"
        + LAO
        + "\ts@example.org\tLA\r",
    ],
    ids=["bom-crlf", "crlf-no-final-newline", "semicolons", "tabs-cr"],
)
def test_bom_line_ends_and_separators(data: str):
    parsed = parse(data)
    assert parsed.ok, parsed.problems
    assert [(r.line, r.name, r.delegation) for r in parsed.rows] == [
        (2, KHMER, "KH"),
        (3, LAO, "LA"),
    ]


def test_every_kind_of_bad_row_is_reported_at_once_with_its_line():
    parsed = parse(
        "name,email,delegation,role,group\n"
        "Ok One,ok1@example.org,TH,,\n"  # 2: good
        "A,a@example.org,XX,,\n"  # 3: unknown delegation code
        "B,,TH,,\n"  # 4: missing email
        "C,c@,TH,,\n"  # 5: malformed email
        "D,OK1@example.org,TH,,\n"  # 6: the same email as line 2
        "E,e@example.org,TH,,cybercrime\n"  # 7: unknown group
        "F,f@example.org,TH,rapporteur,\n"  # 8: a rapporteur without a group
        "G,g@example.org,TH,chair,\n"  # 9: unknown role
        "\n"  # 10: blank, skipped (but counted)
        "H,h@example.org,,,\n"  # 11: missing delegation
        "I,not an email,Atlantis,,nowhere\n"  # 12: three problems on one line
    )
    assert not parsed.ok
    assert reasons(parsed) == [
        (3, "unknown_delegation"),
        (4, "missing_email"),
        (5, "malformed_email"),
        (6, "duplicate_email"),
        (7, "unknown_group"),
        (8, "rapporteur_without_group"),
        (9, "unknown_role"),
        (11, "missing_delegation"),
        (12, "malformed_email"),
        (12, "unknown_delegation"),
        (12, "unknown_group"),
    ]
    duplicate = next(p for p in parsed.problems if p.reason == "duplicate_email")
    assert (duplicate.first_line, duplicate.value) == (2, "OK1@example.org")
    assert next(p for p in parsed.problems if p.line == 3).value == "XX"
    assert next(p for p in parsed.problems if p.line == 7).value == "cybercrime"
    assert next(p for p in parsed.problems if p.line == 9).value == "chair"
    assert [r.line for r in parsed.rows] == [2]


def test_a_quoted_value_over_two_lines_keeps_the_line_numbers_true():
    parsed = parse(
        'name,email,delegation\n"Somchai\nPrasert",s@example.org,TH\n"Kim, Min-jun",k@x.org,ZZ\n'
    )
    assert parsed.rows[0].name == "Somchai\nPrasert"
    assert reasons(parsed) == [(4, "unknown_delegation")]


def test_a_comma_in_an_unquoted_name_is_caught_not_shifted():
    parsed = parse("name,email,delegation\nPrasert, Somchai,s@example.org,TH\n")
    too_many = next(p for p in parsed.problems if p.reason == "too_many_values")
    assert (too_many.line, too_many.value, too_many.limit) == (2, "4", 3)
    assert not parsed.rows


def test_problems_with_the_header_are_on_line_one():
    missing = parse("name,mail,country\nA,a@example.org,TH\n")
    assert [(p.line, p.reason, p.column) for p in missing.problems] == [
        (1, "missing_column", "email"),
        (1, "missing_column", "delegation"),
    ]
    twice = parse("email,delegation,EMAIL\na@example.org,TH,b@example.org\n")
    assert reasons(twice) == [(1, "duplicate_column")]
    assert reasons(parse("")) == [(1, "no_header")]
    assert reasons(parse("\ufeff\r\n")) == [(1, "no_header")]


def test_unknown_columns_are_ignored_and_named():
    parsed = parse("Name,Email,Delegation,Phone,E-mail notes\nA,a@example.org,TH,+66,x\n")
    assert parsed.ok and parsed.ignored_columns == ["Phone", "E-mail notes"]


def test_a_file_that_is_not_utf8_is_refused_at_its_line():
    data = b"name,email,delegation\nA,a@example.org,TH\n" + "Ñ,n@example.org,ES\n".encode("latin-1")
    assert reasons(parse(data)) == [(3, "not_utf8")]


def test_overlong_values_are_refused():
    parsed = parse(
        f"name,email,delegation,role\n{'x' * 201},a@example.org,TH,\n"
        f"B,b@example.org,{'O' * 201},observer\n"
    )
    assert [(p.line, p.reason, p.column) for p in parsed.problems] == [
        (2, "too_long", "name"),
        (3, "too_long", "delegation"),
    ]


def test_a_problem_is_plain_data():
    assert Problem(3, "unknown_role", value="chair") == Problem(3, "unknown_role", "chair")
