"""`rapporteur roster import FILE.csv [--dry-run]`: checked whole, matched by email, written
or not; exit status 0, 1 (bad lines: nothing imported) or 2 (unreadable file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.emulator import Emulator
from storage.models import AuditEntry, Group, Participant, Person
from tests.cli.shell import run

KHMER = "សុខ ដារ៉ា"
LAO = "ສົມພອນ ວົງສາ"
GOOD = (
    "Email,NAME,Delegation,Role,Group,Organisation\n"
    "somchai@example.org,Somchai Prasert,Thailand,rapporteur,e-evidence,Royal Thai Police\n"
    f"user.ukh1@example.org,{KHMER},KH,,,\n"
    f"somphone@example.org,{LAO},Lao PDR,delegate,financial-investigation,\n"
    "jane@unodc.org,Jane Doe,UNODC,observer,,UNODC\n"
)
BAD = (
    "name,email,delegation,role,group\n"
    "Ok,ok@example.org,VN,,\n"
    "A,a@example.org,XX,,\n"
    "B,,TH,,\n"
    "C,c@,TH,,\n"
    "D,OK@example.org,TH,,\n"
    "E,e@example.org,TH,,cybercrime\n"
    "F,f@example.org,TH,rapporteur,\n"
    "G,g@example.org,TH,chair,\n"
)


def write(tmp_path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    path = tmp_path / "participants.csv"
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def counts(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    """(participants, audit entries) as stored."""
    with session_factory() as session:
        return (
            session.scalar(select(func.count()).select_from(Participant)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def test_a_good_file_is_imported_verbatim_in_any_script(tmp_path, database_url, session_factory):
    result = run(
        "roster",
        "import",
        str(write(tmp_path, GOOD, bom=True, crlf=True)),
        database_url=database_url,
    )
    assert result.returncode == 0, result.stderr
    assert "4 people read: 4 added, 0 updated, 0 unchanged." in result.stdout
    assert "Slack was not asked (no SLACK_BOT_TOKEN)" in result.stdout
    for line in ("line 3: " + KHMER, "line 4: " + LAO, "line 5: Jane Doe <jane@unodc.org> (UNODC)"):
        assert line in result.stdout  # every unmatched row is listed
    with session_factory() as session:
        stored = {p.email: p for p in session.scalars(select(Participant))}
        assert stored["user.ukh1@example.org"].name == KHMER
        assert stored["somphone@example.org"].name == LAO
        assert stored["somphone@example.org"].delegation == "LA"
        assert stored["somchai@example.org"].delegation == "TH"
        assert stored["somchai@example.org"].organisation == "Royal Thai Police"
        assert stored["jane@unodc.org"].role == "observer"
        actions = session.scalars(select(AuditEntry.action)).all()
        assert actions.count("list") == 4 and actions.count("roster import") == 1


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(
    tmp_path, database_url, session_factory
):
    result = run("roster", "import", str(write(tmp_path, BAD)), database_url=database_url)
    assert result.returncode == 1
    assert "7 bad lines; nothing was imported." in result.stderr
    for expected in (
        'line 3: unknown delegation code "XX"',
        "line 4: missing email",
        'line 5: malformed email "c@"',
        'line 6: the same email twice: "OK@example.org" is already on line 2',
        'line 7: unknown group "cybercrime" (valid: e-evidence, financial-investigation',
        "line 8: a rapporteur without a group",
        'line 9: unknown role "chair" (delegate, observer or rapporteur)',
    ):
        assert expected in result.stderr, expected
    assert "line 2:" not in result.stderr  # the good line
    assert counts(session_factory) == (0, 0)
    dry = run("roster", "import", str(write(tmp_path, BAD)), "--dry-run", database_url=database_url)
    assert dry.returncode == 1 and "line 9" in dry.stderr


def test_a_dry_run_reports_and_writes_nothing(tmp_path, database_url, session_factory):
    result = run(
        "roster", "import", "--dry-run", str(write(tmp_path, GOOD)), database_url=database_url
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Dry run of ")
    assert "4 would be added" in result.stdout and "nothing was written" in result.stdout
    assert counts(session_factory) == (0, 0)


def test_importing_again_updates_by_email_and_reports_the_missing(
    tmp_path, database_url, session_factory
):
    assert (
        run("roster", "import", str(write(tmp_path, GOOD)), database_url=database_url).returncode
        == 0
    )
    second = (
        "email,name,delegation,group\n"
        "SOMCHAI@example.org,Somchai Prasert,TH,e-evidence\n"  # rapporteur → delegate (default)
        f"user.ukh1@example.org,{KHMER},VN,\n"  # delegation KH → VN
        "new@example.org,Kim Min-jun,KR,\n"
    )
    result = run("roster", "import", str(write(tmp_path, second)), database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "1 added, 2 updated, 0 unchanged." in result.stdout
    assert "role rapporteur → delegate" in result.stdout
    assert "delegation KH → VN" in result.stdout
    missing = result.stdout.split("On the list but not in this file (kept: nobody is removed):")[1]
    assert f"{LAO} <somphone@example.org> (LA)" in missing and "jane@unodc.org" in missing
    assert counts(session_factory)[0] == 5


def test_an_unreadable_file_is_exit_status_2(tmp_path, database_url):
    result = run("roster", "import", str(tmp_path / "nowhere.csv"), database_url=database_url)
    assert result.returncode == 2 and "cannot read" in result.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,email,delegation\nÑ,n@example.org,ES\n".encode("latin-1"))
    refused = run("roster", "import", str(latin), database_url=database_url)
    assert refused.returncode == 1 and "line 2: not UTF-8" in refused.stderr


@pytest.fixture
def slack_env(cli_env, monkeypatch: pytest.MonkeyPatch, emulator: Emulator) -> Emulator:
    """The CLI in this process with a bot token, its Web API the emulator."""
    emulator.reset()
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-roster-test")
    monkeypatch.setenv("SLACK_API_URL", emulator.api_url)
    return emulator


def test_people_are_matched_by_email_at_import(
    slack_env: Emulator, tmp_path, session_factory, capsys
):
    slack_env.add_user("USOMCHAI", profile={"email": "Somchai@Example.org"})
    assert main(["roster", "import", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "Matched to a Slack account by this import: 2; not matched yet: 2." in out
    assert "line 2: Somchai Prasert <somchai@example.org> → USOMCHAI" in out
    assert "line 3: " + KHMER + " <user.ukh1@example.org> → UKH1" in out
    looked_up = [c["params"]["email"] for c in slack_env.calls("users.lookupByEmail")]
    assert sorted(looked_up) == sorted(
        ["somchai@example.org", "user.ukh1@example.org", "somphone@example.org", "jane@unodc.org"]
    )
    with session_factory() as session:
        somchai = session.get(Person, "USOMCHAI")
        assert somchai is not None
        assert (somchai.delegation, somchai.role, somchai.country_code) == (
            "TH",
            "rapporteur",
            "TH",
        )
        assert session.get(Person, "UKH1").delegation == "KH"  # type: ignore[union-attr]
        group = session.scalar(select(Group).where(Group.key == "e-evidence"))
        assert group is not None and group.rapporteur_user_id == "USOMCHAI"
    # Again: the matched are not looked up again; the others are.
    assert main(["roster", "import", str(write(tmp_path, GOOD))]) == 0
    again = [c["params"]["email"] for c in slack_env.calls("users.lookupByEmail")][4:]
    assert sorted(again) == ["jane@unodc.org", "somphone@example.org"]
    assert "4 unchanged" in capsys.readouterr().out


def test_a_refused_lookup_is_reported_and_the_import_goes_on(
    slack_env: Emulator, tmp_path, session_factory, capsys
):
    slack_env.fail("users.lookupByEmail", error="missing_scope")
    assert main(["roster", "import", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "Slack lookups stopped: missing_scope" in out
    assert counts(session_factory)[0] == 4
