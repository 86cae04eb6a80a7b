"""Texts that evolved, through Slack, in `/wg compile`'s document and summary line: final
texts, Annex III with tracked changes by delegation, withdrawn and merged ones apart."""

from __future__ import annotations

from tests.harness import Harness
from tests.report.readback import W, Report, attr, rows

from .texts_support import (
    AUTHOR,
    CHANNEL,
    RAPPORTEUR,
    amendment_values,
    choose,
    click,
    seat,
    submit,
    text_values,
    thread,
    workshop,
)

SUBMITTED = "Preserve traffic logs for 180 days."
EDITED = "Promptly preserve traffic logs for 180 days."
AMENDED = "Promptly preserve traffic and subscriber logs for 365 days."


def test_the_compiled_document_records_the_life_of_each_text(harness: Harness):
    harness.wg(AUTHOR, "CANY", "country VN")
    first = workshop(harness, SUBMITTED)
    second = harness.recommend("UDEL2", CHANNEL, "Train judges in e-evidence")
    third = harness.recommend("UDEL3", CHANNEL, "Preserve logs for half a year")
    seat(harness, "UTH1", "TH")
    for card in (first, second, third):
        harness.vote("UV1", card, "support")
    harness.settle()
    assert (
        submit(harness, AUTHOR, choose(harness, AUTHOR, first, "Edit…"), text_values(EDITED)) == {}
    )
    view = choose(harness, "UTH1", first, "Propose an amendment…")
    assert submit(harness, "UTH1", view, amendment_values(AMENDED, "Subscriber data too")) == {}
    (amendment,) = thread(harness, first)
    click(harness, RAPPORTEUR, amendment, "accept_amendment")
    assert submit(harness, "UDEL2", choose(harness, "UDEL2", second, "Withdraw"), {}) == {}
    assert "is merged" in harness.wg(RAPPORTEUR, CHANNEL, "merge EE-3 into EE-1")

    assert "Compiling" in harness.wg(RAPPORTEUR, CHANNEL, "compile")
    harness.settle(60)
    (upload,) = [u for u in harness.emulator.uploads() if u["filename"].endswith(".docx")]
    assert upload["initial_comment"].endswith(
        "1 recommendation, 1 adopted, 1 withdrawn, 1 merged, 1 vote."
    )
    report = Report(upload["content"])
    body = report.paragraph_texts()
    assert AMENDED in body and SUBMITTED not in body
    assert "Train judges in e-evidence" not in body  # withdrawn: Annex I only
    annex = {row[0]: row[-1] for row in rows(report.table_after("Electronic evidence", 1))[1:]}
    assert annex == {"EE-1": "Adopted", "EE-2": "Withdrawn", "EE-3": "Merged into EE-1"}
    versions = rows(report.table_after("Versions of the text (3):"))
    assert [row[3] for row in versions[1:]] == [
        "Submitted",
        "Edited by its author",
        "Amendment EE-1/A1 accepted",
    ]
    amendments = rows(report.table_after("Amendments proposed (1):"))
    assert amendments[1][0] == "EE-1/A1" and amendments[1][2] == "Accepted"
    assert "(Thailand)" in amendments[1][1] and amendments[1][3] == "Subscriber data too"
    marks = {
        (el.tag.removeprefix(W), attr(el, "author"), "".join(el.itertext()))
        for el in report.body_xml.iter(f"{W}ins", f"{W}del")
    }
    assert marks == {
        ("del", "Viet Nam", "Preserve"),  # the author's delegation (`/wg country VN`)
        ("ins", "Viet Nam", "Promptly preserve"),
        ("ins", "Thailand", "and subscriber "),  # the amendment's delegation
        ("del", "Thailand", "180"),
        ("ins", "Thailand", "365"),
    }
