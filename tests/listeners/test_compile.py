"""`/wg compile` through Slack: ack at once, build after, upload with the files v2 flow."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from bot.emulator import Emulator
from storage import audit
from tests.harness import ORGANIZER, Harness, start_harness

CHANNEL = "CEE"
RAPPORTEUR = "URAP"


def prepared(h: Harness) -> None:
    h.link(CHANNEL, rapporteur=RAPPORTEUR)
    h.wg("UDEL1", CHANNEL, "country KH")
    card = h.recommend("UDEL1", CHANNEL, "រក្សាទុកភស្តុតាងអេឡិចត្រូនិច <b> & more", title="Preservation")
    for user, choice in (("UV1", "support"), ("UV2", "support"), ("UV3", "oppose")):
        h.vote(user, card, choice)
    h.settle()


def documents(emulator: Emulator) -> list[dict]:
    """The .docx files uploaded (a PDF goes beside each when LibreOffice is installed)."""
    return [u for u in emulator.uploads() if u["filename"].endswith(".docx")]


def paragraphs(content: bytes) -> list[tuple[str, str]]:
    document = Document(io.BytesIO(content))
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_rapporteur_compiles_the_group(harness: Harness):
    prepared(harness)
    ack = harness.wg(RAPPORTEUR, CHANNEL, "compile")
    assert "Compiling…" in ack
    harness.settle()
    calls = [c["method"] for c in harness.emulator.calls()]
    assert "files.getUploadURLExternal" in calls and "files.completeUploadExternal" in calls
    (upload,) = documents(harness.emulator)
    assert upload["channel_id"] == CHANNEL
    comment = upload["initial_comment"]
    assert "1 recommendation" in comment and "1 adopted" in comment and "3 votes" in comment
    paras = paragraphs(upload["content"])
    assert ("Heading 1", "Electronic evidence") in paras
    texts = "\n".join(t for _, t in paras)
    assert "រក្សាទុកភស្តុតាងអេឡិចត្រូនិច <b> & more" in texts
    assert "Draft" in texts
    with harness.app.session_factory() as session:
        assert [e.actor_user_id for e in audit.entries(session) if e.action == "compile"] == [
            RAPPORTEUR
        ]


def test_organizer_compiles_everything_anywhere_and_final_after_close(harness: Harness):
    prepared(harness)
    for key, channel in (
        ("financial-investigation", "CFI"),
        ("asset-confiscation", "CAC"),
        ("victim-protection", "CVP"),
    ):
        harness.wg(ORGANIZER, channel, f"link {key}")
        harness.wg(ORGANIZER, channel, "close")
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    assert "whole workshop" in harness.wg(ORGANIZER, "CPLENARY", "compile all")
    harness.settle()
    (upload,) = documents(harness.emulator)
    assert upload["channel_id"] == "CPLENARY"
    texts = "\n".join(t for _, t in paragraphs(upload["content"]))
    assert "Final" in texts and "Draft" not in texts


def test_others_are_refused(harness: Harness):
    prepared(harness)
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "compile")
    assert "Only an organizer" in harness.wg(RAPPORTEUR, CHANNEL, "compile all")
    assert "not linked" in harness.wg(RAPPORTEUR, "COTHER", "compile")
    harness.settle()
    assert harness.emulator.uploads() == []


def test_failed_upload_tells_the_person_and_changes_nothing(harness: Harness):
    prepared(harness)
    harness.emulator.fail("files.completeUploadExternal", error="channel_not_found", times=3)
    harness.wg(RAPPORTEUR, CHANNEL, "compile")
    harness.settle()
    notes = harness.ephemerals(RAPPORTEUR)
    assert any(
        "could not be uploaded" in t
        and "channel_not_found" in t
        and "rapporteur compile --group e-evidence" in t
        for t in notes
    )
    with harness.app.session_factory() as session:
        assert [e for e in audit.entries(session) if e.action == "compile"] == []
    assert "1 recommendation, 3 votes" in harness.wg("UDEL1", CHANNEL, "status")


def test_a_failed_byte_upload_is_retried(harness: Harness):
    prepared(harness)
    harness.emulator.fail("upload", status=500, times=1)
    harness.wg(RAPPORTEUR, CHANNEL, "compile")
    harness.settle(timeout=30)
    (upload,) = documents(harness.emulator)
    assert upload["channel_id"] == CHANNEL and upload["content"][:2] == b"PK"


def test_a_template_that_cannot_be_used_is_explained_and_nothing_is_uploaded(
    emulator: Emulator, database_url: str, tmp_path: Path
):
    # The build runs in a child process; its failure must still reach the person.
    template = tmp_path / "not-a-word-file.docx"
    template.write_bytes(b"a shopping list, not a Word document")
    emulator.reset()
    harness = start_harness(emulator, database_url, report_template=template)
    try:
        prepared(harness)
        harness.wg(RAPPORTEUR, CHANNEL, "compile")
        harness.settle()
        notes = [t for t in harness.ephemerals(RAPPORTEUR) if "could not be built" in t]
        assert len(notes) == 1 and "not-a-word-file.docx" in notes[0], notes
        assert harness.emulator.uploads() == []
        with harness.app.session_factory() as session:
            assert [e for e in audit.entries(session) if e.action == "compile"] == []
    finally:
        harness.close()
