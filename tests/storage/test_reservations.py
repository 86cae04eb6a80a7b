"""Reservations: entered, changed, withdrawn by a delegation's confirmed delegates only."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage import audit, groups, people, reservations
from storage.cards import card_state
from storage.errors import InvalidInput, NotFound
from storage.models import Person, Recommendation, Reservation
from storage.reports import workshop_record
from storage.reservations import Change, NotADelegate, Refusal
from storage.sessions import transaction
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted

SOMCHAI = delegate("UTH1", "Somchai Prasert")
NARIN = delegate("UTH2", "Narin Chai")
LAN = delegate("UVN1", "Nguyễn Thị Lan")
OBSERVER = delegate("UOBS1", "Maria Observer")
KHMER = "ប្រទេសកម្ពុជាសូមរក្សាសិទ្ធិលើអនុសាសន៍នេះ"


def seat(session: Session, user_id: str, delegation: str, role: str = "delegate") -> None:
    """What the participant list sets: a confirmed delegation and a role."""
    person = people.remember(session, user_id, None)
    person.delegation, person.role = delegation, role
    session.flush()


@pytest.fixture
def rec_id(session: Session) -> int:
    linked_group(session)
    rec = submitted(session)
    seat(session, SOMCHAI.user_id, "TH")
    seat(session, NARIN.user_id, "TH")
    seat(session, LAN.user_id, "VN")
    seat(session, OBSERVER.user_id, "UNODC", "observer")
    session.commit()
    return rec.id


def enter(session: Session, actor, rec_id: int, text: str, delegation: str = "TH"):
    return reservations.enter(
        session, actor=actor, recommendation_id=rec_id, delegation=delegation, text=text
    )


def test_enter_change_and_withdraw_are_audited_and_move_the_card(session, rec_id):
    version = session.get(Recommendation, rec_id).tally_version
    entered = enter(session, SOMCHAI, rec_id, "Thailand reserves its position on paragraph 2.")
    assert (entered.change, entered.delegation_name, entered.number) == (
        Change.ENTERED,
        "Thailand",
        "EE-1",
    )
    assert card_state(session, rec_id).reservations == ("TH",)
    assert card_state(session, rec_id).version == version + 1

    # Another delegate of Thailand replaces it: the delegation holds one reservation.
    changed = enter(session, NARIN, rec_id, KHMER)
    assert changed.change is Change.CHANGED and changed.text == KHMER
    row = session.scalars(select(Reservation)).one()
    assert (row.delegation, row.text, row.user_id, row.thread_ts) == ("TH", KHMER, "UTH2", None)
    enter(session, LAN, rec_id, "Viet Nam too.", delegation="VN")
    assert card_state(session, rec_id).reservations == ("TH", "VN")

    withdrawn = reservations.withdraw(
        session, actor=SOMCHAI, recommendation_id=rec_id, delegation="TH"
    )
    assert withdrawn.change is Change.WITHDRAWN and withdrawn.text is None
    assert card_state(session, rec_id).reservations == ("VN",)
    assert card_state(session, rec_id).version == version + 4
    with pytest.raises(NotFound):
        reservations.withdraw(session, actor=NARIN, recommendation_id=rec_id, delegation="TH")

    logged = [
        (e.action, e.actor_user_id, e.detail.get("delegation")) for e in audit.entries(session)
    ]
    assert logged[-4:] == [
        ("reservation_enter", "UTH1", "TH"),
        ("reservation_change", "UTH2", "TH"),
        ("reservation_enter", "UVN1", "VN"),
        ("reservation_withdraw", "UTH1", "TH"),
    ]
    change = next(e for e in audit.entries(session) if e.action == "reservation_change")
    assert change.detail["text"] == KHMER and change.target == "EE-1"
    assert change.detail["previous"] == "Thailand reserves its position on paragraph 2."


def test_the_same_text_again_changes_nothing(session, rec_id):
    enter(session, SOMCHAI, rec_id, "Same words.")
    before = len(audit.entries(session))
    assert enter(session, NARIN, rec_id, "Same words.").change is Change.UNCHANGED
    assert len(audit.entries(session)) == before
    assert session.scalars(select(Reservation.user_id)).one() == "UTH1"


@pytest.mark.parametrize(
    ("user_id", "reason", "detail"),
    [
        ("UNEW", Refusal.NOT_LISTED, {"declared": None}),
        ("UDECLARED", Refusal.NOT_LISTED, {"declared": "KH"}),
        ("UOBS1", Refusal.OBSERVER, {"organisation": "UNODC"}),
        ("UVN1", Refusal.OTHER_DELEGATION, {"yours": "Viet Nam", "theirs": "Thailand"}),
    ],
)
def test_only_a_confirmed_delegate_of_the_delegation_may_act(
    session, rec_id, user_id, reason, detail
):
    people.set_country(session, actor=delegate("UDECLARED"), code="KH")  # declared, not listed
    enter(session, SOMCHAI, rec_id, "Standing reservation.")
    before = (len(audit.entries(session)), session.get(Recommendation, rec_id).tally_version)
    actor = delegate(user_id)
    for attempt in (
        lambda: enter(session, actor, rec_id, "Not ours to enter."),
        lambda: reservations.withdraw(
            session, actor=actor, recommendation_id=rec_id, delegation="TH"
        ),
    ):
        with pytest.raises(NotADelegate) as refused:
            attempt()
        assert refused.value.reason is reason
        assert {k: refused.value.params[k] for k in detail} == detail
    assert (
        len(audit.entries(session)),
        session.get(Recommendation, rec_id).tally_version,
    ) == before
    assert session.scalars(select(Reservation.text)).one() == "Standing reservation."


def test_the_form_shows_the_delegations_own_reservation(session, rec_id):
    enter(session, SOMCHAI, rec_id, KHMER)
    form = reservations.form(session, user_id=NARIN.user_id, recommendation_id=rec_id)
    assert (form.delegation, form.delegation_name, form.text, form.number) == (
        "TH",
        "Thailand",
        KHMER,
        "EE-1",
    )
    assert reservations.form(session, user_id=LAN.user_id, recommendation_id=rec_id).text is None
    with pytest.raises(NotADelegate):
        reservations.form(session, user_id=OBSERVER.user_id, recommendation_id=rec_id)
    with pytest.raises(NotFound):
        reservations.form(session, user_id=LAN.user_id, recommendation_id=rec_id + 99)


def test_allowed_after_the_group_closed_and_the_outcome_is_untouched(session, rec_id):
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    assert enter(session, SOMCHAI, rec_id, "Entered at adoption.").change is Change.ENTERED
    assert enter(session, SOMCHAI, rec_id, "Changed at adoption.").change is Change.CHANGED
    reservations.withdraw(session, actor=SOMCHAI, recommendation_id=rec_id, delegation="TH")
    enter(session, LAN, rec_id, "Viet Nam's.", delegation="VN")
    state = card_state(session, rec_id)
    assert (state.is_open, state.reservations) == (False, ("VN",))
    assert state.counts.support == state.counts.oppose == 0


@pytest.mark.parametrize("text", [None, "", "  \n ", "ក" * 1501])
def test_the_text_is_required_and_at_most_1500_characters(session, rec_id, text):
    with pytest.raises(InvalidInput) as refused:
        enter(session, SOMCHAI, rec_id, text)
    assert refused.value.field == "reservation"
    assert session.scalars(select(Reservation)).all() == []


def test_the_text_is_kept_verbatim_up_to_the_limit(session, rec_id):
    text = ("  <!channel> & " + KHMER + "\n")[:40] + "ລາວ" * 486  # 1,498 characters
    text = text + "ไท"
    assert len(text) == 1500
    enter(session, SOMCHAI, rec_id, text)
    session.commit()
    assert session.scalars(select(Reservation.text)).one() == text


def test_the_report_reads_every_reservation_at_once_by_delegation_name(session, rec_id):
    other = submitted(session, delegate("UDEL2"), text="Second recommendation", country=None)
    enter(session, LAN, rec_id, "Viet Nam reserves.", delegation="VN")
    enter(session, SOMCHAI, rec_id, KHMER)
    enter(session, SOMCHAI, other.id, "Only on the second.")
    record = workshop_record(session, group_key="e-evidence")
    first, second = record.groups[0].recommendations
    assert [(r.delegation, r.delegation_name, r.text) for r in first.reservations] == [
        ("TH", "Thailand", KHMER),
        ("VN", "Viet Nam", "Viet Nam reserves."),
    ]
    assert [r.text for r in second.reservations] == ["Only on the second."]


def test_a_thread_post_is_owed_until_its_text_is_marked(session, rec_id):
    session.execute(
        Recommendation.__table__.update().values(channel_id="CEE", message_ts="100.000001")
    )
    first = enter(session, SOMCHAI, rec_id, "First words.")
    session.commit()
    later = time.time() + 60
    owed = reservations.owed(session, now=later, older_than=30)
    assert [(o.reservation_id, o.text, o.channel_id, o.card_ts) for o in owed] == [
        (first.reservation_id, "First words.", "CEE", "100.000001")
    ]
    assert reservations.owed(session, now=time.time(), older_than=30) == []  # left to its request
    enter(session, NARIN, rec_id, "Second words.")
    # The post of the first text lands late: the second text is still owed.
    assert reservations.mark_posted(session, first.reservation_id, "First words.", "1.1") is False
    assert [o.text for o in reservations.owed(session, now=later, older_than=30)] == [
        "Second words."
    ]
    assert reservations.mark_posted(session, first.reservation_id, "Second words.", "1.2")
    assert reservations.owed(session, now=later, older_than=30) == []


def test_two_delegates_of_one_delegation_leave_one_reservation(session_factory):
    with transaction(session_factory) as session:
        linked_group(session)
        rec_id = submitted(session).id
        seat(session, SOMCHAI.user_id, "TH")
        seat(session, NARIN.user_id, "TH")
    first = session_factory()
    enter(first, SOMCHAI, rec_id, "Somchai's words.")  # holds the card's row until its commit
    outcome: list[object] = []

    def second() -> None:
        with transaction(session_factory) as session:
            outcome.append(enter(session, NARIN, rec_id, "Narin's words.").change)

    thread = threading.Thread(target=second)
    thread.start()
    _until_waiting_for_a_lock(first)
    first.commit()
    first.close()
    thread.join(30)
    assert outcome == [Change.CHANGED]
    with transaction(session_factory) as session:
        rows = session.execute(select(Reservation.delegation, Reservation.text)).all()
        assert [tuple(r) for r in rows] == [("TH", "Narin's words.")]
        assert session.get(Person, "UTH2").delegation == "TH"


_WAITING = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE NOT l.granted AND a.datname = current_database()"
)


def _until_waiting_for_a_lock(holder: Session, timeout: float = 10.0) -> None:
    """On PostgreSQL, return once another transaction waits for a lock (the second
    delegate's, behind the first's). SQLite's writers queue for the database: nothing to see."""
    if holder.get_bind().dialect.name != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with holder.get_bind().engine.connect() as watcher:
        while not watcher.execute(_WAITING).scalar():
            assert time.monotonic() < deadline, "the second delegate never waited"
            watcher.rollback()
            time.sleep(0.01)
