"""The discussion in the outcome document: each submission's comment count, in Annex I."""

from __future__ import annotations

from dataclasses import replace

from bot.report import build_outcome_document
from storage import comments, recommendations
from storage.comments import Reply
from storage.reports import workshop_record
from storage.rules import Counts
from storage.sessions import transaction
from tests.factories import linked_group, submitted
from tests.factories import records as f

from .readback import Report, rows

COLUMNS = ["No.", "Title", "Delegation", "Submitted", "Support", "Oppose", "Abstain"]


def _annex(report: Report) -> list[list[str]]:
    """Annex I's rows for Electronic evidence (the second table after that heading)."""
    return rows(report.table_after("Electronic evidence", nth_heading=1))


def test_annex_i_gives_each_recommendations_comment_count(compile_report):
    record = f.workshop(
        f.group(
            "e-evidence",
            replace(f.recommendation("EE", 1, counts=Counts(3, 0, 0)), comments=12),
            f.recommendation("EE", 2, title="Quiet", counts=Counts(0, 1, 0)),
        )
    )
    table = _annex(compile_report(record))
    assert table[0][: len(COLUMNS) + 1] == [*COLUMNS, "Comments"]
    comments_at = table[0].index("Comments")
    assert {row[0]: row[comments_at] for row in table[1:]} == {"EE-1": "12", "EE-2": "0"}
    assert table[1][-1] == "Adopted"  # the outcome stays last


def test_counts_read_from_the_record_leave_deleted_replies_out(session_factory, options):
    with transaction(session_factory) as session:
        linked_group(session)
        linked_group(session, key="victim-protection", channel="CVP")
        talked = submitted(session, text="Preserve logs.")
        quiet = submitted(session, text="Train judges.")
        elsewhere = submitted(session, text="Shelter victims.", key="victim-protection")
        for rec, ts in ((talked, "1700000000.1"), (quiet, "1700000000.2")):
            recommendations.set_card(session, rec.id, "CEE", ts)
        recommendations.set_card(session, elsewhere.id, "CVP", "1700000000.3")
        for i, text in enumerate(["ok", "ສະໜັບສະໜູນ", "<b>no</b> & <!channel>"]):
            reply = Reply("CEE", "1700000000.1", f"1700000001.{i}", f"UD{i}", text)
            comments.record_reply(session, reply=reply)
        comments.delete(session, channel_id="CEE", ts="1700000001.0")
        comments.record_reply(
            session, reply=Reply("CVP", "1700000000.3", "1700000002.0", "UD9", "yes")
        )
    with transaction(session_factory) as session:
        record = workshop_record(session)
        one_group = workshop_record(session, group_key="e-evidence")

    counted = {r.number: r.comments for g in record.groups for r in g.recommendations}
    assert counted == {"EE-1": 2, "EE-2": 0, "VP-1": 1}
    assert [r.comments for r in one_group.groups[0].recommendations] == [2, 0]
    table = _annex(Report(build_outcome_document(record, options)))
    comments_at = table[0].index("Comments")
    assert [row[comments_at] for row in table[1:]] == ["2", "0"]
