"""storage.board_links: links made by organizers, stored as hashes, revoked all at once."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from storage import board_links
from storage.errors import NotPermitted
from storage.models import AuditEntry, BoardLink
from tests.factories import ORGANIZER, delegate


def test_a_link_is_valid_until_revoked_and_only_its_hash_is_stored(session):
    token = board_links.create(session, actor=ORGANIZER)
    session.commit()
    (row,) = session.scalars(select(BoardLink))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert row.created_by == ORGANIZER.user_id and row.revoked_at is None
    assert board_links.is_valid(session, token)
    assert not board_links.is_valid(session, row.token_hash)  # the hash opens nothing
    assert board_links.revoke_all(session, actor=ORGANIZER) == 1
    session.commit()
    assert not board_links.is_valid(session, token)
    assert board_links.revoke_all(session, actor=ORGANIZER) == 0
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["board_link", "board_revoke", "board_revoke"]


def test_revoking_ends_every_earlier_link_but_not_later_ones(session):
    earlier = [board_links.create(session, actor=ORGANIZER) for _ in range(3)]
    assert board_links.revoke_all(session, actor=ORGANIZER) == 3
    later = board_links.create(session, actor=ORGANIZER)
    session.commit()
    assert [board_links.is_valid(session, t) for t in earlier] == [False] * 3
    assert board_links.is_valid(session, later)


def test_only_organizers_make_or_revoke_links(session):
    with pytest.raises(NotPermitted):
        board_links.create(session, actor=delegate())
    board_links.create(session, actor=ORGANIZER)
    with pytest.raises(NotPermitted):
        board_links.revoke_all(session, actor=delegate())
    assert session.scalar(select(BoardLink.revoked_at)) is None


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "A" * 10_000, "é" * 43, "' OR 1=1 --"])
def test_anything_else_is_no_token(session, token):
    board_links.create(session, actor=ORGANIZER)
    assert not board_links.is_valid(session, token)
