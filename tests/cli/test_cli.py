"""The `rapporteur` command line: db, audit, export/import, manifest, compile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli import main
from storage import votes
from storage.models import Choice
from tests.cli.shell import run
from tests.factories import ORGANIZER, delegate, linked_group, submitted


def filled(session_factory) -> None:
    with session_factory.begin() as session:
        linked_group(session)
        rec = submitted(session, text="ການສືບສວນ & <evidence>")
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)


def test_audit_lists_changes_with_filters(session_factory, database_url):
    filled(session_factory)
    result = run("audit", database_url=database_url)
    assert result.returncode == 0, result.stderr
    for action in ("link", "appoint", "country", "submit", "vote"):
        assert f" {action} " in result.stdout
    assert ORGANIZER.user_id in result.stdout
    only = run("audit", "--group", "asset-confiscation", database_url=database_url)
    assert only.stdout.strip() == ""
    future = run("audit", "--since", "2999-01-01", database_url=database_url)
    assert future.returncode == 0 and future.stdout.strip() == ""
    bad = run("audit", "--since", "yesterday", database_url=database_url)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_export_import_round_trip(session_factory, database_url, tmp_path):
    filled(session_factory)
    out = tmp_path / "record.json"
    assert (
        run("export", "--format", "json", "--out", str(out), database_url=database_url).returncode
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["tables"]["recommendations"][0]["text"] == "ການສືບສວນ & <evidence>"
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    result = run("import", str(out), database_url=target)
    assert result.returncode == 0, result.stderr
    again = run("export", "--format", "json", database_url=target)
    assert json.loads(again.stdout) == data
    refused = run("import", str(out), database_url=target)
    assert refused.returncode == 2 and "not empty" in refused.stderr


def test_db_commands(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert "base" in run("db", "current", database_url=url).stdout
    assert run("db", "upgrade", database_url=url).returncode == 0
    assert run("db", "current", database_url=url).stdout.strip() != ""
    assert "base" in run("db", "downgrade", "base", database_url=url).stdout


def test_manifest_fills_in_the_url(capsys):
    assert main(["manifest", "--url", "https://rapporteur.example.org/"]) == 0
    text = capsys.readouterr().out
    assert text.count("url: https://rapporteur.example.org/slack/events") == 4
    for item in ("/wg", "/recommend", "app_home_opened", "chat:write", "files:write", "commands"):
        assert item in text


def test_committed_manifest_matches_the_template():
    from bot.slack.manifest import render_manifest

    committed = (Path(__file__).parents[2] / "manifest.yml").read_text(encoding="utf-8")
    assert committed == render_manifest("https://YOUR-HOST")


def test_unknown_setting_value_names_it(tmp_path):
    env = dict(os.environ, ORGANIZER_USER_IDS="not an id!")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "current"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "ORGANIZER_USER_IDS" in result.stderr


def test_compile_offline_group_and_workshop(session_factory, database_url, tmp_path):
    import io

    from docx import Document

    filled(session_factory)
    out = tmp_path / "ee.docx"
    result = run("compile", "--group", "e-evidence", "--out", str(out), database_url=database_url)
    assert result.returncode == 0, result.stderr
    document = Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "ການສືບສວນ & <evidence>" in "\n".join(texts)
    assert any(
        p.style.name == "Heading 1" and p.text == "Electronic evidence" for p in document.paragraphs
    )
    whole = tmp_path / "all.docx"
    assert run("compile", "--out", str(whole), database_url=database_url).returncode == 0
    assert whole.stat().st_size > 10_000
    bad = run("compile", "--group", "nope", "--out", str(whole), database_url=database_url)
    assert bad.returncode == 2 and "e-evidence" in bad.stderr
    missing = run(
        "compile", "--out", str(whole), "--template", "missing.docx", database_url=database_url
    )
    assert missing.returncode == 2 and "missing.docx" in missing.stderr


def test_unreachable_database_is_one_clear_line(tmp_path):
    result = run("db", "current", database_url="postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert result.returncode == 3
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr
