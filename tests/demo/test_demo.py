"""`rapporteur demo`: the whole workshop against the real app, read back from the .docx."""

from __future__ import annotations

import io
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from bot.demo import app_process, runner
from bot.demo.content import COUNTRIES
from bot.demo.errors import DemoError
from bot.demo.players import Players
from bot.demo.result import DemoResult, RecommendationResult
from bot.demo.runner import run_demo
from bot.settings import Settings
from storage.countries import country_name
from storage.groups import SEED_GROUPS
from storage.models import Procedure
from tests.conftest import BACKENDS, PG_URL
from tests.conftest import _truncate as truncate
from tests.demo.reading import (
    group_paragraphs,
    headings,
    open_document,
    recommendation_sections,
    summary_rows,
)

pytestmark = pytest.mark.slow

GROUP_NAMES = [name for _, name, _ in SEED_GROUPS]


def quiet() -> Console:
    """A console that keeps the progress bars out of the test output."""
    return Console(file=io.StringIO())


@pytest.fixture(scope="module", params=BACKENDS)
def played(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """The demo played once per backend, with a small seed and a smaller room.

    On SQLite the demo makes its own database (the default); on PostgreSQL it is given one.
    """
    database_url = None
    if request.param == "postgres":
        truncate(request.getfixturevalue("pg_engine"))
        database_url = PG_URL
    return run_demo(
        out=tmp_path_factory.mktemp("demo") / "outcome.docx",
        seed=7,
        delegates=12,
        database_url=database_url,
        console=quiet(),
    )


def test_document_has_a_section_per_group_in_order(played: DemoResult) -> None:
    doc = open_document(played.document)
    level1 = headings(doc, 1)
    positions = [level1.index(name) for name in GROUP_NAMES]
    assert positions == sorted(positions)


def test_document_is_final(played: DemoResult) -> None:
    doc = open_document(played.document)
    texts = [p.text for p in doc.paragraphs]
    assert doc.core_properties.content_status == "Final"
    assert "Final" in texts
    assert not any("still open" in text for text in texts)


def test_document_holds_every_recommendation_verbatim(played: DemoResult) -> None:
    sections = recommendation_sections(open_document(played.document))
    for group in played.groups:
        for rec in group.recommendations:
            section = sections[rec.number]
            assert section.title == rec.title
            assert rec.text in section.paragraphs
            if rec.rationale:
                assert any(p.endswith(rec.rationale) for p in section.paragraphs)


def test_tallies_in_the_document_are_the_votes_cast(played: DemoResult) -> None:
    doc = open_document(played.document)
    sections, rows = recommendation_sections(doc), summary_rows(doc)
    for group in played.groups:
        for rec in group.recommendations:
            support, oppose, abstain, outcome = rows[rec.number][2:]
            if rec.procedure is Procedure.CONSENSUS:  # no votes: the objections decide
                assert (support, oppose, abstain) == ("—", "—", "—"), rec.number
                assert outcome == consensus_outcome(rec), rec.number
                continue
            assert sections[rec.number].counts == rec.counts, rec.number
            assert (int(support), int(oppose), int(abstain)) == (
                rec.counts.support,
                rec.counts.oppose,
                rec.counts.abstain,
            )
            assert outcome == ("Adopted" if rec.adopted else "Not adopted"), rec.number


def consensus_outcome(rec: RecommendationResult) -> str:
    """How the document states a consensus group's outcome for `rec`."""
    if not rec.objections:
        return "Adopted by consensus"
    return "Not adopted — objection by " + ", ".join(o.delegation_name for o in rec.objections)


def test_each_group_states_its_procedure_one_by_delegation_one_by_consensus(
    played: DemoResult,
) -> None:
    assert sorted(g.procedure.value for g in played.groups) == [
        "consensus",
        "delegation",
        "vote",
        "vote",
    ]
    doc = open_document(played.document)
    statements = {
        Procedure.VOTE: "Decided by one vote per person",
        Procedure.DELEGATION: "Decided by one ballot per delegation",
        Procedure.CONSENSUS: "Adopted by consensus unless a delegation objected",
    }
    for group in played.groups:
        assert statements[group.procedure] in group_paragraphs(doc, group.name)[:4], group.name


def test_delegation_tallies_count_delegations(played: DemoResult) -> None:
    sections = recommendation_sections(open_document(played.document))
    (group,) = [g for g in played.groups if g.procedure is Procedure.DELEGATION]
    for rec in group.recommendations:
        text = "\n".join(sections[rec.number].paragraphs)
        counts = rec.counts
        assert (
            f"Support: {counts.support} · Oppose: {counts.oppose} · Abstain: {counts.abstain} "
            "(delegations)"
        ) in text
        assert counts.cast <= len(COUNTRIES)  # one ballot per delegation, however many click


def test_the_consensus_group_records_the_objection_with_its_reason(played: DemoResult) -> None:
    sections = recommendation_sections(open_document(played.document))
    (group,) = [g for g in played.groups if g.procedure is Procedure.CONSENSUS]
    objected = [r for r in group.recommendations if r.objections]
    assert len(objected) == 1 and not objected[0].adopted
    ((objection,),) = [r.objections for r in objected]
    assert objection.delegation == "LA"
    text = "\n".join(sections[objected[0].number].paragraphs)
    assert f"Objection by {objection.delegation_name}: {objection.text}" in text
    assert "Outcome: Not adopted — objection by Lao People's Democratic Republic" in text
    for rec in group.recommendations:
        if not rec.objections:
            assert "Outcome: Adopted by consensus" in "\n".join(sections[rec.number].paragraphs)


def test_the_reservation_is_recorded_under_its_recommendation_verbatim(
    played: DemoResult,
) -> None:
    sections = recommendation_sections(open_document(played.document))
    reserved = [r for g in played.groups for r in g.recommendations if r.reservations]
    assert len(reserved) == 1 and reserved[0].adopted  # a State going along with the text
    ((reservation,),) = [r.reservations for r in reserved]
    assert reservation.delegation == "TH"
    assert "ประเทศไทย" in reservation.text  # in the delegation's own script
    assert f"Reservation — Thailand: {reservation.text}" in sections[reserved[0].number].paragraphs


def test_the_introduction_lists_the_participant_lists_delegations_and_observers(
    played: DemoResult,
) -> None:
    doc = open_document(played.document)
    texts = [p.text for p in doc.paragraphs]
    assert "Delegations of 6 States took part in the work of the workshop:" in texts
    assert "Observers: UNODC, European Union" in texts
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Delegation")
    rows = [[c.text for c in row.cells] for row in table.rows][1:]
    assert [r[0] for r in rows[:-1]] == sorted(country_name(c) for c in COUNTRIES)
    assert rows[-1] == ["Total", str(played.delegates)]  # everyone listed, observers apart


def test_outcomes_vary_and_votes_were_changed(played: DemoResult) -> None:
    recs = [r for g in played.groups for r in g.recommendations]
    assert played.submitted == len(recs) >= 20
    assert 0 < played.adopted < played.submitted
    assert played.clicks > played.votes  # some people changed their vote
    assert f"{played.adopted} adopted" in played.comment


def test_document_is_the_da_nang_workshop_of_the_built_in_defaults(played: DemoResult) -> None:
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "Da Nang" in defaults.workshop_venue and "19–20 August" in defaults.workshop_dates
    doc = open_document(played.document)
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [defaults.workshop_title]
    texts = "\n".join(p.text for p in doc.paragraphs)
    for detail in (defaults.workshop_venue, defaults.workshop_dates, defaults.workshop_organizers):
        assert detail in texts
    assert doc.core_properties.author == defaults.workshop_organizers


def test_the_pdf_is_saved_beside_the_document_when_libreoffice_is_there(
    played: DemoResult,
) -> None:
    if shutil.which("soffice") is None:
        assert played.pdf is None
        return
    assert played.pdf == played.document.with_suffix(".pdf")
    assert played.pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(played.pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "Da Nang" in text and "Right-click" not in text
        for name in GROUP_NAMES:
            assert name in text


def test_cli_writes_the_document_and_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "X.docx"
    done = rapporteur("demo", "--seed", "3", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"PK")
    if shutil.which("soffice"):
        assert (tmp_path / "X.pdf").read_bytes().startswith(b"%PDF")
        assert str(tmp_path / "X.pdf") in done.stdout.replace("\n", "")
    for name in GROUP_NAMES:
        assert name in done.stdout
    assert str(out) in done.stdout
    assert "Submitting recommendations" in done.stderr


def rapporteur(*argv: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed command run in `cwd`, with no DATABASE_URL in its environment."""
    script = Path(sys.executable).with_name("rapporteur")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [*command, *argv],
        cwd=cwd,
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_cli_keeps_a_relative_database_from_env_file_and_will_not_replay_it(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///kept/demo.db\n", encoding="utf-8")
    # More delegates than the demo used to allow.
    first = rapporteur("demo", "--delegates", "64", "--out", "first.docx", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "64 delegates" in first.stdout
    kept = tmp_path / "kept" / "demo.db"
    with sqlite3.connect(kept) as db:
        (recommendations,) = db.execute("SELECT count(*) FROM recommendations").fetchone()
    assert recommendations >= 20
    before = kept.read_bytes()

    again = rapporteur("demo", "--out", "again.docx", cwd=tmp_path, timeout=60)
    assert again.returncode == 1
    assert "Traceback" not in again.stderr
    assert "already holds a workshop" in again.stderr
    assert "the demo needs an empty database" in again.stderr
    assert str(kept) in again.stderr.replace("\n", "")
    assert "Starting the Slack emulator" not in again.stderr
    assert kept.read_bytes() == before
    assert not (tmp_path / "again.docx").exists()


def test_out_is_checked_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_emulator(*args: object) -> None:
        raise AssertionError("the emulator was started")

    monkeypatch.setattr(runner, "Emulator", no_emulator)
    with pytest.raises(DemoError, match="is a folder"):
        run_demo(out=tmp_path, console=quiet())


@pytest.mark.parametrize("out", [".", "notes.txt/outcome.docx"])
def test_cli_refuses_an_out_it_cannot_write_in_one_line(tmp_path: Path, out: str) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    done = rapporteur("demo", "--out", out, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith(f"rapporteur demo failed: --out {out}")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_cli_refuses_a_room_too_small_for_every_delegation(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--delegates", "3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--delegates: must be at least 6: each of the 6 delegations" in done.stderr
    assert not (tmp_path / "outcome.docx").exists()


def test_an_app_that_cannot_start_is_a_clear_failure(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="the app exited with code"):
        run_demo(
            out=tmp_path / "outcome.docx",
            database_url="postgresql+psycopg://demo@127.0.0.1:9/none",
            console=quiet(),
        )
    assert not (tmp_path / "outcome.docx").exists()


def test_ctrl_c_stops_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ports: list[int] = []
    real_free_port = app_process.free_port

    def recording_free_port(host: str = "127.0.0.1") -> int:
        ports.append(real_free_port(host))
        return ports[-1]

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(app_process, "free_port", recording_free_port)
    monkeypatch.setattr(Players, "vote", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_demo(out=tmp_path / "outcome.docx", delegates=6, console=quiet())
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", ports[0]), timeout=1):
        pass
