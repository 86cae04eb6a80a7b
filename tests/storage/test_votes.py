"""Votes: one per person, upserted, exact under concurrency."""

from __future__ import annotations

import threading

import pytest

from storage import groups, votes
from storage.errors import VotingClosed
from storage.models import Choice
from storage.sessions import transaction
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted


def test_change_replace_and_repeat(session):
    rec = submitted(session)
    voter = delegate("UV1")
    first = votes.cast(session, actor=voter, recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert (first.changed, first.previous) == (True, None)
    same = votes.cast(session, actor=voter, recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert same.changed is False
    changed = votes.cast(session, actor=voter, recommendation_id=rec.id, choice=Choice.OPPOSE)
    assert (changed.changed, changed.previous) == (True, Choice.SUPPORT)
    counts = votes.counts(session, rec.id)
    assert (counts.support, counts.oppose, counts.abstain) == (0, 1, 0)


def test_closed_group_refuses_votes(session):
    linked_group(session)
    rec = submitted(session)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        votes.cast(session, actor=delegate("UV2"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    assert votes.counts(session, rec.id).support == 1


def test_fifty_threads_and_repeated_clicks_count_exactly(session_factory):
    with transaction(session_factory) as session:
        rec_id = submitted(session).id
    choices = [Choice.SUPPORT, Choice.OPPOSE, Choice.ABSTAIN]
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def click(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):  # the same person clicks the same button three times
                with transaction(session_factory) as s:
                    votes.cast(
                        s,
                        actor=delegate(f"UV{index}"),
                        recommendation_id=rec_id,
                        choice=choices[index % 3],
                    )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with transaction(session_factory) as s:
        counts = votes.counts(s, rec_id)
    assert (counts.support, counts.oppose, counts.abstain) == (17, 17, 16)
