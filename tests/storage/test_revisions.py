"""storage.revisions: edit (new versions), withdraw and restore, each by whom it concerns."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import amendment_views, amendments, audit, groups, revisions, votes
from storage.actors import Actor
from storage.errors import InvalidInput, NotPermitted, VotingClosed
from storage.models import AmendmentState, Choice, Revision, TextStatus
from storage.texts import Refused, Voter
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted

AUTHOR = delegate()
TEXT = "Preserve electronic evidence across borders within 24 hours."


@pytest.fixture
def rec(session: Session):
    linked_group(session)
    return submitted(session, AUTHOR, text=TEXT)


def edit(session, rec, text, *, actor=AUTHOR, base=None, title=None, rationale=None):
    return revisions.edit(
        session,
        actor=actor,
        recommendation_id=rec.id,
        base_version=rec.version if base is None else base,
        text=text,
        title=title,
        rationale=rationale,
    )


def reason(error) -> str:
    return error.value.params["reason"]


def test_an_edit_is_a_new_version_and_names_the_earlier_voters(session, rec):
    votes.cast(session, actor=Actor("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    changed = edit(session, rec, "Preserve all evidence.", title="Evidence")
    assert (changed.changed, changed.version, changed.number) == (True, 2, "EE-1")
    assert changed.voters == (Voter("UV1", Choice.SUPPORT),)
    assert (rec.text, rec.title, rec.version) == ("Preserve all evidence.", "Evidence", 2)
    texts = session.scalars(select(Revision.text).order_by(Revision.version)).all()
    assert texts == [TEXT, "Preserve all evidence."]
    assert [e.action for e in audit.entries(session)][-1] == "edit"


def test_the_same_text_again_changes_nothing(session, rec):
    changed = edit(session, rec, TEXT)
    assert (changed.changed, changed.version, changed.voters) == (False, 1, ())
    assert session.scalars(select(Revision)).all() == []
    assert "edit" not in [e.action for e in audit.entries(session)]


def test_only_the_author_on_the_version_they_saw_within_the_limits(session, rec):
    for actor in (RAPPORTEUR, ORGANIZER, delegate("UOTHER")):
        with pytest.raises(Refused) as refused:
            edit(session, rec, "Other words", actor=actor)
        assert reason(refused) == "not_author"
    with pytest.raises(InvalidInput):
        edit(session, rec, "x" * 3001)
    with pytest.raises(InvalidInput):
        edit(session, rec, "   ")
    edit(session, rec, "Second")
    with pytest.raises(Refused) as refused:
        edit(session, rec, "Third", base=1)
    assert (reason(refused), refused.value.params["version"]) == ("changed", 2)


def test_withdraw_by_author_rapporteur_or_organizer_once(session, rec):
    with pytest.raises(Refused) as refused:
        revisions.withdraw(session, actor=delegate("UOTHER"), recommendation_id=rec.id)
    assert reason(refused) == "not_decider"
    for actor in (AUTHOR, RAPPORTEUR, ORGANIZER):
        target = submitted(session, AUTHOR, text=f"Text for {actor.user_id}")
        changed = revisions.withdraw(session, actor=actor, recommendation_id=target.id)
        assert (target.status, target.status_by) == (TextStatus.WITHDRAWN.value, actor.user_id)
        assert changed.recommendation_id == target.id
        with pytest.raises(Refused) as refused:
            revisions.withdraw(session, actor=actor, recommendation_id=target.id)
        assert reason(refused) == "withdrawn"
    with pytest.raises(Refused):  # nor edited once withdrawn
        edit(session, target, "Changed after withdrawal")


def test_withdrawing_withdraws_the_pending_amendments(session, rec):
    proposed = amendments.propose(
        session,
        actor=delegate("UV1"),
        recommendation_id=rec.id,
        base_version=1,
        text="Preserve evidence.",
        reason=None,
    )
    changed = revisions.withdraw(session, actor=AUTHOR, recommendation_id=rec.id)
    assert [c.number for c in changed.closed] == ["EE-1/A1"]
    assert amendment_views.view(session, proposed.amendment_id).state is AmendmentState.WITHDRAWN


def test_nothing_changes_while_the_group_is_closed(session, rec):
    groups.set_open(session, actor=ORGANIZER, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        edit(session, rec, "Closed words")
    with pytest.raises(VotingClosed):
        revisions.withdraw(session, actor=AUTHOR, recommendation_id=rec.id)
    assert (rec.text, rec.status) == (TEXT, "open")


def test_an_organizer_restores_a_withdrawn_one(session, rec):
    revisions.withdraw(session, actor=AUTHOR, recommendation_id=rec.id)
    with pytest.raises(NotPermitted):
        revisions.restore(session, actor=RAPPORTEUR, number="EE-1")
    changed = revisions.restore(session, actor=ORGANIZER, number="ee-1")
    assert (changed.number, rec.status, rec.status_by) == ("EE-1", "open", None)
    with pytest.raises(Refused) as refused:
        revisions.restore(session, actor=ORGANIZER, number="EE-1")
    assert reason(refused) == "not_withdrawn"
    assert [e.action for e in audit.entries(session)][-2:] == ["withdraw", "restore"]
