"""The plenary board through the real server: links, revocation, pages, scripts, ETags."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage import merges, revisions
from storage.models import AuditEntry, BoardLink
from storage.sessions import transaction
from tests.factories import ORGANIZER as FACTORY_ORGANIZER
from tests.harness import ORGANIZER, Harness, start_harness
from tests.web import plenary
from tests.web.conftest import PUBLIC_URL, TITLE, Board, fetch

CHANNEL = "CVP"


@pytest.fixture
def workshop(session_factory: sessionmaker[Session]) -> plenary.Plenary:
    """The plenary workshop, committed."""
    with transaction(session_factory) as session:
        return plenary.build(session)


def stored_links(session_factory: sessionmaker[Session]) -> list[BoardLink]:
    with session_factory() as session:
        return list(session.scalars(select(BoardLink).order_by(BoardLink.id)))


# --- links -------------------------------------------------------------------------------


def test_an_organizer_gets_a_private_link_that_opens_the_board(board: Board, session_factory):
    answer = board.harness.command(ORGANIZER, "CANY", "/wg", "board")
    assert answer["response_type"] == "ephemeral"
    token = board.new_link()
    assert len(token) >= 43  # secrets.token_urlsafe(32)
    page = board.get(token)
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert html.escape(TITLE, quote=False) in page.text
    # Only the token's hash is stored, and the audit log names the link, not its token.
    links = stored_links(session_factory)
    assert len(links) == 2 and all(link.revoked_at is None for link in links)
    assert token not in {link.token_hash for link in links}
    with session_factory() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "board_link"))
        audited = list(entries)
    assert len(audited) == 2 and {e.actor_user_id for e in audited} == {ORGANIZER}
    assert all(token not in repr((e.target, e.detail)) for e in audited)


def test_each_link_is_new_and_random(board: Board):
    first, second = board.new_link(), board.new_link()
    assert first != second
    assert board.get(first).status == board.get(second).status == 200


def test_a_delegate_is_refused_and_no_link_is_made(board: Board, session_factory):
    for text in ("board", "board revoke"):
        answer = board.harness.wg("UDEL1", "CANY", text)
        assert "Only an organizer" in answer and "/board/" not in answer
    assert stored_links(session_factory) == []


def test_without_public_url_the_command_names_the_missing_setting(
    emulator, database_url, session_factory
):
    emulator.reset()
    harness = start_harness(emulator, database_url)
    try:
        answer = harness.wg(ORGANIZER, "CANY", "board")
    finally:
        harness.close()
    assert "PUBLIC_URL" in answer and "/board/" not in answer
    assert stored_links(session_factory) == []


def test_a_word_other_than_revoke_gets_the_usage(board: Board, session_factory):
    answer = board.harness.wg(ORGANIZER, "CANY", "board everything")
    assert "Usage: `/wg board`" in answer and "/wg board revoke" in answer
    assert stored_links(session_factory) == []


def test_revoke_ends_every_earlier_link(board: Board, session_factory):
    first, second = board.new_link(), board.new_link()
    assert board.get(first, "board.css").status == 200
    answer = board.harness.wg(ORGANIZER, "CANY", "board revoke")
    assert "Revoked 2 board links" in answer
    for token in (first, second):
        for rest in ((), ("e-evidence",), ("board.css",), ("board.js",)):
            gone = board.get(token, *rest)
            assert gone.status == 404, rest
            assert "Electronic evidence" not in gone.text
    assert "no board link to revoke" in board.harness.wg(ORGANIZER, "CANY", "board revoke")
    third = board.new_link()
    assert board.get(third).status == 200
    assert board.get(first).status == 404
    with session_factory() as session:
        revokes = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "board_revoke"))
        )
    assert [e.detail["revoked"] for e in revokes] == [2, 0]


def test_nothing_else_shows_the_workshop_without_a_valid_token(board: Board, workshop):
    token = board.new_link()
    base = board.base
    for path in (
        "/board/",
        "/board",
        "/board//e-evidence",
        f"/board/{token[:-1]}",
        f"/board/{token}x",
        f"/board/{token.upper() if token != token.upper() else token.lower()}",
        f"/board/{'A' * 43}",
        f"/board/{'A' * 5000}",
        f"/board/{token}/no-such-group",
        f"/board/{token}/e-evidence/extra",
        f"/board/{token}/",
        "/",
        "/state",
        "/e-evidence",
        "/slack/events",
    ):
        answer = fetch(base + path)
        assert answer.status in (404, 405), path
        assert "EE-1" not in answer.text and "Electronic evidence" not in answer.text, path
    posted = fetch(board.url(token), method="POST")
    assert posted.status == 404 and "EE-1" not in posted.text


# --- pages -------------------------------------------------------------------------------


def test_the_whole_workshop_with_each_procedure_state_and_outcome(board: Board, workshop):
    page = board.get(board.new_link())
    assert page.status == 200
    text = html.unescape(page.text)
    for name in ("Electronic evidence", "Financial investigation", "Asset confiscation"):
        assert name in text
    # Each procedure, the state of each group and the deadline of the one that has it.
    assert "Vote: one per person" in text
    assert "Vote by delegation: one ballot each" in text
    assert "Consensus: adopted unless a delegation objects" in text
    assert "Voting closed" in text and "Voting open" in text
    assert "Closes at " in text and f"({plenary.ZONE})" in text
    # By vote: people's votes; by delegation: one ballot per delegation; consensus: objections.
    assert "Support: 11 · Oppose: 2 · Abstain: 1" in text  # EE-1
    assert "Delegations · Support: 4 · Oppose: 1 · Abstain: 1" in text  # FI-1
    assert "Objections: Republic of Korea" in text and "No objection" in text
    assert "Reservations: Lao People's Democratic Republic, Thailand" in text
    items = _items(page.text)
    assert 'class="rec adopted open"' in items["EE-1"]  # adopted ones stand out
    assert ">Adopted<" in items["EE-1"] and ">Not adopted<" in items["EE-3"]
    assert ">Adopted so far<" in items["FI-1"] and ">Not adopted so far<" in items["FI-2"]
    assert "Not adopted so far" in items["AC-1"] and ">Adopted so far<" in items["AC-2"]
    assert "2 of 3 adopted" in text and "1 of 2 adopted so far" in text


def test_withdrawn_and_merged_recommendations_read_as_such(board: Board, workshop, session_factory):
    with transaction(session_factory) as session:
        revisions.withdraw(session, actor=FACTORY_ORGANIZER, recommendation_id=workshop.ids["VP-2"])
        merges.merge(
            session,
            actor=FACTORY_ORGANIZER,
            source_id=workshop.ids["AC-2"],
            target_id=workshop.ids["AC-1"],
        )
    items = _items(board.get(board.new_link()).text)
    assert ">Withdrawn<" in items["VP-2"] and 'class="rec not-adopted withdrawn"' in items["VP-2"]
    assert ">Merged into AC-1<" in items["AC-2"] and "merged" in items["AC-2"]


def test_a_group_view_shows_that_group_at_full_size(board: Board, workshop):
    token = board.new_link()
    page = board.get(token, "financial-investigation")
    assert page.status == 200
    assert 'class="focus"' in page.text
    assert "FI-1" in page.text and "FI-2" in page.text
    assert "EE-1" not in page.text and "AC-1" not in page.text
    # The arrows lead to the neighbouring groups (links the page script follows).
    assert f'<link rel="prev" href="/board/{token}/e-evidence">' in page.text
    assert f'<link rel="next" href="/board/{token}/asset-confiscation">' in page.text
    last = board.get(token, "victim-protection").text
    assert f'<link rel="next" href="/board/{token}">' in last


def test_every_script_is_shown_verbatim_and_markup_as_text(board: Board, workshop):
    page = board.get(board.new_link())
    for title, text in plenary.TEXTS.values():
        shown = title or text.split()[0]
        if "<" not in shown:
            assert shown in page.text, shown
    assert "&lt;script&gt;alert(&#39;board&#39;)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text and "<b>bold" not in page.text
    assert html.escape(TITLE, quote=False) in page.text
    assert "<title>Regional Thematic Workshop on High-Tech Crime — ព្រឹត្តិការណ៍" in page.text


def test_the_stylesheet_names_the_noto_families(board: Board):
    css = board.get(board.new_link(), "board.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    for family in ("Noto Sans", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans Thai"):
        assert f'"{family}"' in css.text
    assert '"Noto Sans CJK KR"' in css.text
    assert "overflow-wrap: anywhere" in css.text
    assert "prefers-reduced-motion: reduce" in css.text


def test_the_page_runs_only_its_own_script_and_leaks_no_referrer(board: Board):
    page = board.get(board.new_link())
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-cache"


def test_groups_without_a_procedure_of_their_own_show_decision_procedure(emulator, database_url):
    emulator.reset()
    harness = start_harness(
        emulator, database_url, public_url=PUBLIC_URL, decision_procedure="consensus"
    )
    try:
        board = Board(harness)
        text = html.unescape(board.get(board.new_link()).text)
    finally:
        harness.close()
    assert text.count("Consensus: adopted unless a delegation objects") == 4
    assert "Vote: one per person" not in text


def test_the_page_shows_who_voted_nothing_but_counts(board: Board, workshop):
    text = html.unescape(board.get(board.new_link(), "financial-investigation").text)
    for delegates in workshop.delegates.values():
        for actor in delegates:
            assert actor.user_id not in text and str(actor.name) not in text


# --- live updates ------------------------------------------------------------------------


def test_etag_answers_304_until_a_vote_changes_the_page(board: Board):
    harness: Harness = board.harness
    harness.link(CHANNEL, key="victim-protection")
    card = harness.recommend("UDEL1", CHANNEL, "Screen people found in fraud compounds as victims")
    token = board.new_link()
    first = board.get(token)
    etag = first.headers["etag"]
    assert etag.startswith('"') and "Support: 0 · Oppose: 0" in first.text
    same = board.get(token, headers={"If-None-Match": etag})
    assert same.status == 304 and same.text == "" and same.headers["etag"] == etag
    weak = board.get(token, headers={"If-None-Match": f"W/{etag}"})  # through a proxy
    assert weak.status == 304
    group = board.get(token, "victim-protection")
    assert group.headers["etag"] != etag  # each page has its own
    assert harness.vote("UV1", card, "support").status == 200
    changed = board.get(token, headers={"If-None-Match": etag})
    assert changed.status == 200 and changed.headers["etag"] != etag
    assert "Support: 1 · Oppose: 0 · Abstain: 0" in changed.text
    assert board.get(token, headers={"If-None-Match": changed.headers["etag"]}).status == 304
    # Closing the group changes the page too (its state and outcomes).
    assert "closed" in harness.wg(ORGANIZER, CHANNEL, "close")
    closed = board.get(token, headers={"If-None-Match": changed.headers["etag"]})
    assert closed.status == 200 and "Voting closed" in closed.text


def test_head_answers_like_get_without_a_body(board: Board):
    token = board.new_link()
    head = board.get(token, method="HEAD")
    assert head.status == 200 and head.text == ""
    assert head.headers["etag"] == board.get(token).headers["etag"]


def _items(page: str) -> dict[str, str]:
    """Each recommendation's <li>, by number."""
    found = {}
    for chunk in page.split("<li ")[1:]:
        number = chunk.split('data-number="', 1)[1].split('"', 1)[0]
        found[number] = chunk.split("</li>", 1)[0]
    return found


def test_public_url_must_be_a_web_address():
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="PUBLIC_URL"):
        load_settings(_env_file=None, public_url="rapporteur.example.org")
    assert load_settings(_env_file=None, public_url=PUBLIC_URL + "/").public_url == PUBLIC_URL
