"""Hidden tallies and secret ballots through signed requests, every surface checked for
leaks: the Web API calls the emulator saw (cards, confirmations, App Home, uploads), the
command replies, the outcome document read back, the CSV upload, and on the command line
the CSV and JSON exports and `rapporteur audit`."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from typing import Any

import pytest
from docx import Document

from bot.cli import main
from storage.models import Role
from tests.factories.seats import seat_all
from tests.harness import ORGANIZER, Harness, card_text, dump, home_opened

CHANNEL = "CEE"
RAPPORTEUR = "URAP"
AUTHOR = "UAUTH"
VOTERS = {"UVA": ("support", "TH"), "UVB": ("support", "KH"), "UVC": ("oppose", "LA")}
NAMES = {"UVA": "Voter Alpha", "UVB": "Voter Bravo", "UVC": "Voter Charlie"}
COUNTS = re.compile(r"(Support|Oppose|Abstain): \d")
SHOWN = (  # Web API methods whose text people see
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "views.publish",
    "views.open",
    "views.update",
    "files.completeUploadExternal",
)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path, database_url: str):
    """`rapporteur …` in this process on the app's database; its standard output."""
    for name in os.environ:
        if name.startswith(("SLACK_", "DATABASE_URL", "TALLIES", "BALLOTS")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)

    def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
        capsys.readouterr()
        assert main(list(args)) == 0
        return capsys.readouterr().out

    return run


def _workshop(h: Harness, setting: str) -> dict[str, Any]:
    """A linked group, the voters named and seated by country, the setting, one card voted on."""
    for user, name in NAMES.items():
        h.emulator.add_user(user, real_name=name, profile={"real_name": name})
    h.link(CHANNEL, rapporteur=RAPPORTEUR)
    for user, (_, country) in VOTERS.items():
        h.wg(user, CHANNEL, f"country {country}")
    h.wg(AUTHOR, CHANNEL, "country VN")
    h.wg(RAPPORTEUR, CHANNEL, setting)
    card = h.recommend(AUTHOR, CHANNEL, "Preserve subscriber data for 180 days.", title="Data")
    for user, (choice, _) in VOTERS.items():
        assert h.vote(user, card, choice).status == 200
    h.settle()
    return card


def _shown_calls(h: Harness) -> list[dict[str, Any]]:
    return [c for c in h.emulator.calls() if c["method"] in SHOWN]


def _addressed_to(call: dict[str, Any], user: str) -> bool:
    params = call["params"]
    return params.get("user") == user or params.get("user_id") == user


def _docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    text = "\n".join(p.text for p in document.paragraphs)
    return text + "\n" + "\n".join("|".join(r) for t in tables for r in t), tables


def _upload(h: Harness, suffix: str) -> dict[str, Any]:
    found = [u for u in h.emulator.uploads() if u["filename"].endswith(suffix)]
    assert found, f"no {suffix} uploaded"
    return found[-1]


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_hidden_tallies_show_only_how_many_voted_until_the_group_closes(
    harness: Harness, cli, capsys
):
    h = harness
    card = _workshop(h, "tallies hidden")
    assert "tallies are hidden" in h.wg(RAPPORTEUR, CHANNEL, "tallies")
    assert "Only the rapporteur" in h.wg("UVA", CHANNEL, "tallies live")
    assert "already hidden" in h.wg(ORGANIZER, CHANNEL, "tallies hidden")
    shown = card_text(h.card(card))
    assert "3 votes cast · results when voting closes" in shown
    assert "Voting is open" in shown
    assert any("Support" in t for t in h.ephemerals("UVA"))  # the voter's own choice

    status = h.wg("UVA", CHANNEL, "status")
    line = next(x for x in status.splitlines() if "Electronic evidence" in x)
    assert "3 votes cast · results when voting closes" in line
    for user in (RAPPORTEUR, ORGANIZER, AUTHOR, "UVA"):
        assert h.slack.event(home_opened(user), event_id=f"Ev-{user}").status == 200
    h.settle()
    assert "Electronic evidence" in dump(h.emulator.home_view(RAPPORTEUR))

    assert "Compiling" in h.wg(RAPPORTEUR, CHANNEL, "compile")
    h.settle()
    document, _ = _docx_text(_upload(h, ".docx")["content"])
    assert document.count("Results withheld until voting closes") >= 3  # section, annexes
    assert "Adopted recommendations" not in document and "Support: 2" not in document

    assert "Exporting" in h.wg(RAPPORTEUR, CHANNEL, "export")
    h.settle()
    (row,) = _csv_rows(_upload(h, ".csv")["content"])
    assert (row["support"], row["oppose"], row["abstain"]) == ("withheld",) * 3
    assert row["outcome"] == "withheld" and row["status"] == "open"
    (offline,) = _csv_rows(_cli_csv(cli, capsys))
    assert offline["support"] == "withheld"

    audit = cli(capsys, "audit", "--group", "e-evidence")
    votes = [line for line in audit.splitlines() if " vote " in line]
    assert len(votes) == 3 and all("choice=withheld" in line for line in votes)
    assert not re.search(r"support|oppose", "\n".join(votes))

    leaks = [dump(c["params"]) for c in _shown_calls(h) if COUNTS.search(dump(c["params"]))]
    assert leaks == []
    assert "adopted so far" not in dump([c["params"] for c in _shown_calls(h)])

    closed = h.wg(RAPPORTEUR, CHANNEL, "close")
    assert "closed" in closed.lower()
    h.settle()
    assert "Support: 2 · Oppose: 1 · Abstain: 0" in card_text(h.card(card))
    status = h.wg("UVA", CHANNEL, "status")
    assert "results when voting closes" not in status
    (row,) = _csv_rows(_cli_csv(cli, capsys))
    assert (row["support"], row["oppose"], row["outcome"]) == ("2", "1", "adopted")
    h.wg(RAPPORTEUR, CHANNEL, "compile")
    h.settle()
    document, _ = _docx_text(_upload(h, ".docx")["content"])
    assert "Results withheld" not in document and "Adopted recommendations" in document
    audit = cli(capsys, "audit", "--group", "e-evidence")
    assert " tallies " in audit and "hidden  previous=live" in audit
    assert sum("choice=support" in line for line in audit.splitlines()) == 2  # closed now


def _cli_csv(cli, capsys) -> bytes:
    out = "export.csv"
    cli(capsys, "export", "--format", "csv", "--out", out)
    with open(out, "rb") as handle:
        return handle.read()


def test_secret_ballots_never_link_a_voter_to_a_choice_anywhere(harness: Harness, cli, capsys):
    h = harness
    card = _workshop(h, "ballots secret")
    assert h.vote("UVC", card, "abstain").status == 200  # a changed vote, too
    h.settle()
    shown = card_text(h.card(card))
    assert "Support: 2 · Oppose: 0 · Abstain: 1" in shown and "Secret ballot" in shown
    assert any("Abstain" in t for t in h.ephemerals("UVC"))  # their own choice, to them

    replies = [h.wg(u, CHANNEL, "status") for u in ("UVA", RAPPORTEUR)]
    voters = h.wg(RAPPORTEUR, CHANNEL, "voters")
    assert all(NAMES[u] in voters for u in VOTERS) and "3 voted" in voters
    assert not re.search(r"support|oppose|abstain", voters, re.IGNORECASE)
    assert "Only the rapporteur" in h.wg("UVA", CHANNEL, "voters")
    for user in (RAPPORTEUR, ORGANIZER, AUTHOR, *VOTERS):
        assert h.slack.event(home_opened(user), event_id=f"Ev-{user}").status == 200
    h.settle()
    h.wg(RAPPORTEUR, CHANNEL, "compile")
    h.wg(RAPPORTEUR, CHANNEL, "export")
    h.settle()

    marks = {u: (u, NAMES[u], f"name-{u}") for u in VOTERS}
    for call in _shown_calls(h):
        for user, words in marks.items():
            if _addressed_to(call, user):
                continue  # what a voter is told of their own vote is theirs
            text = dump(call["params"])
            assert not any(w in text for w in words), (call["method"], user, text[:300])
    for reply in replies:
        assert not any(w in reply for words in marks.values() for w in words)
        assert "secret ballots" in next(x for x in reply.splitlines() if "Electronic" in x)

    document, tables = _docx_text(_upload(h, ".docx")["content"])
    assert not any(w in document for words in marks.values() for w in words)
    assert "its totals only" in document
    (annex,) = [t for t in tables if t[0] == ["Delegation", "Support", "Oppose", "Abstain"]]
    assert annex == [["Delegation", "Support", "Oppose", "Abstain"], ["Total", "2", "0", "1"]]
    uploaded = _upload(h, ".csv")["content"]
    (row,) = _csv_rows(uploaded)
    assert (row["support"], row["oppose"], row["abstain"]) == ("2", "0", "1")
    exported = {"csv": uploaded, "offline csv": _cli_csv(cli, capsys)}
    for name, content in exported.items():
        text = content.decode("utf-8-sig")
        assert not any(w in text for words in marks.values() for w in words), name

    data = json.loads(cli(capsys, "export", "--format", "json"))
    secret_votes = data["tables"]["votes"]
    assert sorted(v["choice"] for v in secret_votes) == ["abstain", "support", "support"]
    assert not {v["voter_user_id"] for v in secret_votes} & set(VOTERS)
    for entry in data["tables"]["audit_log"]:
        if entry["action"] == "vote":
            assert not {"choice", "previous"} & set(entry["detail"]), entry

    audit = cli(capsys, "audit")
    vote_lines = [line for line in audit.splitlines() if " vote " in line]
    assert len(vote_lines) == 4 and all(any(u in x for u in VOTERS) for x in vote_lines)
    assert not any(re.search(r"support|oppose|abstain", x) for x in vote_lines)


def test_secret_is_refused_for_delegations_and_stays_once_cast(harness: Harness):
    h = harness
    card = _workshop(h, "procedure delegation")
    refused = h.wg(RAPPORTEUR, CHANNEL, "ballots secret")
    assert "cannot be secret" in refused and "a delegation's vote is a public act" in refused
    assert "ballots are named" in h.wg(RAPPORTEUR, CHANNEL, "ballots")

    h.wg(RAPPORTEUR, CHANNEL, "procedure vote")
    assert "now secret" in h.wg(ORGANIZER, CHANNEL, "ballots secret")
    refused = h.wg(RAPPORTEUR, CHANNEL, "procedure delegation")
    assert "cannot decide by delegation" in refused and "public act" in refused
    assert h.vote("UVA", card, "oppose").status == 200
    h.settle()
    refused = h.wg(RAPPORTEUR, CHANNEL, "ballots named")
    assert "stay secret" in refused
    assert "already secret" in h.wg(RAPPORTEUR, CHANNEL, "ballots secret")
    assert "secret ballots" in next(
        x for x in h.wg(RAPPORTEUR, CHANNEL, "status").splitlines() if "Electronic" in x
    )


def test_hidden_delegation_cards_count_ballots_and_name_no_delegation(
    harness: Harness, session_factory
):
    h = harness
    seat_all(session_factory, {u: (c, Role.DELEGATE, NAMES[u]) for u, (_, c) in VOTERS.items()})
    h.wg(RAPPORTEUR, CHANNEL, "procedure delegation")  # not linked yet: refused, no matter
    card = _workshop(h, "tallies hidden")
    h.wg(RAPPORTEUR, CHANNEL, "procedure delegation")
    for user in VOTERS:
        h.vote(user, card, "oppose")
    h.settle()
    shown = card_text(h.card(card))
    assert "3 ballots cast · results when voting closes" in shown
    assert not COUNTS.search(shown) and "Thailand" not in shown and "Laos" not in shown
    h.wg(RAPPORTEUR, CHANNEL, "close")
    h.settle()
    shown = card_text(h.card(card))
    assert "Support: 0 · Oppose: 3 · Abstain: 0 (delegations)" in shown
