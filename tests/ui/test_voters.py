"""`/wg voters` as one private message: who has voted, never how, within Slack's limits."""

from __future__ import annotations

from bot.ui.voters import VOTERS_TEXT_MAX, voters_text
from storage.group_settings import Voted


def test_names_escaped_ids_mentioned_and_nothing_about_choices():
    voted = [
        Voted("EE-1", "Data", "Preserve data.", (("U1", "<!channel> Ana"), ("U2", None))),
        Voted("EE-2", None, "Keep logs for one hundred and eighty days at least", ()),
    ]
    text = voters_text("Electronic evidence", True, voted)
    assert "secret ballots" in text
    assert "*EE-1* Data — 2 voted: &lt;!channel&gt; Ana, <@U2>" in text
    assert "*EE-2* Keep logs for one hundred and eighty days — nobody has voted yet" in text
    assert "support" not in text.lower() and "oppose" not in text.lower()


def test_a_long_list_is_cut_after_a_whole_line():
    people = tuple((f"U{i}", f"Delegate number {i}") for i in range(40))
    voted = [Voted(f"EE-{n}", f"Title {n}", "Text", people) for n in range(1, 60)]
    text = voters_text("Electronic evidence", False, voted)
    assert len(text) <= VOTERS_TEXT_MAX
    last = text.splitlines()[-1]
    assert last.startswith("… and ") and last.endswith(" more")
    shown = sum(1 for line in text.splitlines() if line.startswith("• "))
    assert int(last.split()[2]) == 59 - shown
