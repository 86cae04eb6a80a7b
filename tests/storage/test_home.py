"""What a person's Home shows: their place, what waits for their vote per procedure, their
own recommendations, deadlines, each group's state and documents; read from the record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from storage import compile_requests, groups, objections, votes
from storage.home import home_state
from storage.home_groups import people_of_group, shown_counts
from storage.models import Choice, Comment, Group, Participant, Person, Role
from storage.rules import AdoptionRule, Counts
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted

RULE = AdoptionRule()
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def seated(session: Session, user_id: str, delegation: str, *, role=Role.DELEGATE, group=None):
    """A matched participant (as the participant list leaves them)."""
    session.add(
        Participant(
            email=f"{user_id.lower()}@example.org",
            name=f"Name {user_id}",
            delegation=delegation,
            role=role.value,
            group_key=group,
            user_id=user_id,
        )
    )
    person = session.get(Person, user_id) or Person(user_id=user_id)
    person.delegation, person.role = delegation, role.value
    session.add(person)
    session.flush()


def procedure(session: Session, value: str, key: str = "e-evidence") -> None:
    session.query(Group).filter(Group.key == key).one().procedure = value
    session.flush()


def vote(session: Session, user_id: str, rec_id: int, choice: Choice = Choice.SUPPORT) -> None:
    votes.cast(session, actor=delegate(user_id), recommendation_id=rec_id, choice=choice)


def state(session: Session, user_id: str, *, organizer: bool = False):
    return home_state(session, user_id=user_id, is_organizer=organizer, rule=RULE)


def waiting(session: Session, user_id: str) -> list[str]:
    return [item.number for item in state(session, user_id).waiting]


def test_unlisted_people_wait_for_every_open_groups_recommendations_they_have_not_voted_on(
    session,
):
    linked_group(session)
    first = submitted(session, delegate("UAUTHOR"), text="Designate contact points")
    submitted(session, delegate("UAUTHOR"), text="Share templates")
    submitted(session, delegate("UAUTHOR"), text="Train judges", key="victim-protection")
    vote(session, "UDEL", first.id)
    assert waiting(session, "UDEL") == ["EE-2", "VP-1"]
    assert waiting(session, "UNEW") == ["EE-1", "EE-2", "VP-1"]
    item = state(session, "UNEW").waiting[0]
    assert (item.group_name, item.text, item.id) == (
        "Electronic evidence",
        "Designate contact points",
        first.id,
    )
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    assert waiting(session, "UNEW") == ["VP-1"]  # nothing to vote on in a closed group


def test_listed_people_wait_for_their_groups_and_those_they_took_part_in(session):
    linked_group(session)
    ee = submitted(session, delegate("UAUTHOR"), text="Designate contact points")
    fi = submitted(session, delegate("UAUTHOR"), text="Trace assets", key="financial-investigation")
    submitted(session, delegate("UAUTHOR"), text="Train judges", key="victim-protection")
    seated(session, "UVN", "VN", group="e-evidence")
    assert waiting(session, "UVN") == ["EE-1"]
    vote(session, "UVN", fi.id)  # took part in another group: it is theirs too
    submitted(session, delegate("UAUTHOR"), text="Trace wallets", key="financial-investigation")
    assert waiting(session, "UVN") == ["EE-1", "FI-2"]
    seated(session, "UALL", "TH", group=None)  # listed for every group
    assert waiting(session, "UALL") == ["EE-1", "FI-1", "FI-2", "VP-1"]
    vote(session, "UALL", ee.id)
    assert waiting(session, "UALL") == ["FI-1", "FI-2", "VP-1"]


def test_by_delegation_what_their_delegation_voted_on_no_longer_waits(session):
    linked_group(session)
    procedure(session, "delegation")
    first = submitted(session, delegate("UAUTHOR"), text="First")
    submitted(session, delegate("UAUTHOR"), text="Second")
    seated(session, "UVN1", "VN")
    seated(session, "UVN2", "VN")
    seated(session, "UTH", "TH")
    vote(session, "UVN1", first.id)
    assert waiting(session, "UVN2") == ["EE-2"]
    assert waiting(session, "UTH") == ["EE-1", "EE-2"]
    assert waiting(session, "UNOBODY") == []  # no confirmed delegation: no ballot to cast


def test_by_consensus_nothing_waits_and_the_group_is_named(session):
    linked_group(session)
    submitted(session, delegate("UAUTHOR"), text="First")
    procedure(session, "consensus")
    home = state(session, "UVN")
    assert home.waiting == () and home.consensus == ("Electronic evidence",)


def test_observers_are_never_asked_to_vote(session):
    linked_group(session)
    submitted(session, delegate("UAUTHOR"))
    seated(session, "UOBS", "INTERPOL", role=Role.OBSERVER)
    home = state(session, "UOBS")
    assert home.waiting == () and home.place.role == "observer"
    assert home.place.delegation == "INTERPOL" and home.place.confirmed


def test_place_confirmed_declared_rapporteur_and_organizer(session):
    linked_group(session)
    seated(session, "UVN", "VN")
    submitted(session, delegate("UDECL"), country="TH")
    vn, declared = state(session, "UVN").place, state(session, "UDECL").place
    assert (vn.role, vn.delegation, vn.confirmed) == ("delegate", "VN", True)
    assert (declared.role, declared.delegation, declared.confirmed) == ("delegate", "TH", False)
    assert state(session, RAPPORTEUR.user_id).place.role == "rapporteur"
    assert state(session, "UNEW", organizer=True).place.role == "organizer"
    assert state(session, "UNEW").place == state(session, "UNEW").place  # unknown: no error


def test_own_recommendations_with_their_state_and_tally(session):
    linked_group(session)
    mine = submitted(session, delegate("UAUTHOR"), text="Mine")
    submitted(session, delegate("UOTHER"), text="Theirs")
    vote(session, "UA", mine.id)
    vote(session, "UB", mine.id, Choice.OPPOSE)
    vote(session, "UC", mine.id)
    (own,) = state(session, "UAUTHOR").own
    assert own.item.number == "EE-1" and own.is_open and own.status == "open"
    assert own.shown.counts == Counts(support=2, oppose=1) and own.shown.adopted
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    (own,) = state(session, "UAUTHOR").own
    assert not own.is_open and own.shown.adopted


def test_counts_per_procedure(session):
    linked_group(session)
    rec = submitted(session, delegate("UAUTHOR"))
    for user, code in (("UVN1", "VN"), ("UVN2", "VN"), ("UTH", "TH")):
        seated(session, user, code)
    vote(session, "UVN1", rec.id)
    vote(session, "UVN2", rec.id, Choice.OPPOSE)
    vote(session, "UTH", rec.id)
    group = session.query(Group).filter(Group.key == "e-evidence").one()
    assert shown_counts(session, [group], {group.id: [rec.id]}, RULE)[rec.id].counts == Counts(2, 1)
    procedure(session, "delegation")  # Viet Nam's latest click counts: Oppose
    by_delegation = shown_counts(session, [group], {group.id: [rec.id]}, RULE)[rec.id]
    assert by_delegation.counts == Counts(1, 1) and by_delegation.cast == 2
    procedure(session, "consensus")
    objections.object_to(
        session,
        actor=delegate("UTH"),
        recommendation_id=rec.id,
        reason="We cannot accept this text",
    )
    by_consensus = shown_counts(session, [group], {group.id: [rec.id]}, RULE)[rec.id]
    assert (by_consensus.objections, by_consensus.adopted, by_consensus.counts) == (1, False, None)


def test_cockpit_state_and_participation_over_the_listed_people(session):
    linked_group(session)
    first = submitted(session, delegate("UAUTHOR"), text="First")
    submitted(session, delegate("UAUTHOR"), text="Second")
    for user, code in (("UVN", "VN"), ("UTH", "TH"), ("UKH", "KH")):
        seated(session, user, code, group="e-evidence")
    seated(session, "UOBS", "INTERPOL", role=Role.OBSERVER, group="e-evidence")
    session.add(Participant(email="late@example.org", name="Late", delegation="LA"))  # unmatched
    session.flush()
    vote(session, "UVN", first.id)
    vote(session, "UAUTHOR", first.id)  # not on the list: counted in the tally, not in turnout
    assert state(session, "UVN").cockpit == ()  # a delegate has no cockpit
    (ee,) = state(session, RAPPORTEUR.user_id).cockpit
    assert (ee.key, ee.is_open, ee.recommendations, ee.cast) == ("e-evidence", True, 2, 2)
    assert (ee.took_part, ee.eligible, ee.participation) == (1, 4, 25)
    assert [g.key for g in state(session, ORGANIZER.user_id, organizer=True).cockpit] == [
        key for key, _, _ in groups.SEED_GROUPS
    ]


def test_participation_without_a_list_is_over_who_took_part_and_by_delegation(session):
    linked_group(session)
    rec = submitted(session, delegate("UAUTHOR"), country=None)
    vote(session, "UVOTER", rec.id)
    session.add(
        Comment(recommendation_id=rec.id, channel_id="CEE", ts="1.1", user_id="UTALK", text="?")
    )
    session.flush()
    (ee,) = state(session, RAPPORTEUR.user_id).cockpit
    assert (ee.took_part, ee.eligible) == (1, 3)  # author, voter, commenter
    procedure(session, "delegation")
    seated(session, "UVN1", "VN", group="e-evidence")
    seated(session, "UTH1", "TH", group="e-evidence")
    vote(session, "UVN1", rec.id)
    (ee,) = state(session, RAPPORTEUR.user_id).cockpit
    assert (ee.took_part, ee.eligible, ee.participation, ee.cast) == (1, 2, 50, 1)
    procedure(session, "consensus")
    (ee,) = state(session, RAPPORTEUR.user_id).cockpit
    assert ee.participation is None and ee.cast == 0


def test_deadlines_of_their_groups(session):
    linked_group(session)
    group = session.query(Group).filter(Group.key == "e-evidence").one()
    group.deadline_at, group.deadline_zone = NOW + timedelta(hours=1), "Asia/Ho_Chi_Minh"
    session.flush()
    (deadline,) = state(session, "UNEW").deadlines
    assert (deadline.group_name, deadline.zone) == ("Electronic evidence", "Asia/Ho_Chi_Minh")
    assert deadline.deadline_at == NOW + timedelta(hours=1)
    seated(session, "UFI", "VN", group="financial-investigation")
    assert state(session, "UFI").deadlines == ()  # not their group


def test_latest_documents_per_group_for_rapporteurs_and_organizers(session):
    linked_group(session)
    for key, file_id, at in (
        ("e-evidence", "FOLD", NOW),
        ("e-evidence", "FNEW", NOW + timedelta(minutes=5)),
        (None, "FALL", NOW),
        ("victim-protection", "FVP", NOW),
    ):
        request_id = compile_requests.create(
            session,
            user_id="UORG1",
            channel_id="CEE",
            group_key=key,
            instance_id="i",
            now=at,
            lease=timedelta(minutes=1),
        )
        compile_requests.claim(
            session, request_id=request_id, instance_id="i", now=at, lease=timedelta(minutes=1)
        )
        compile_requests.finish(
            session, request_id=request_id, instance_id="i", file_id=file_id, now=at
        )
    rapporteur = state(session, RAPPORTEUR.user_id).documents
    assert [(name, doc.file_id) for name, doc in rapporteur] == [("Electronic evidence", "FNEW")]
    organizer = state(session, ORGANIZER.user_id, organizer=True).documents
    assert [(name, doc.file_id) for name, doc in organizer] == [
        ("Electronic evidence", "FNEW"),
        ("Victim and witness protection", "FVP"),
        (None, "FALL"),
    ]
    assert state(session, "UDEL").documents == ()


def test_the_people_a_group_concerns(session):
    linked_group(session)
    rec = submitted(session, delegate("UAUTHOR"))
    vote(session, "UVOTER", rec.id)
    seated(session, "UEE", "VN", group="e-evidence")
    seated(session, "UALL", "TH")
    seated(session, "UFI", "KH", group="financial-investigation")
    assert people_of_group(session, "e-evidence") == {
        "UAUTHOR",
        "UVOTER",
        "UEE",
        "UALL",
        RAPPORTEUR.user_id,
    }
    assert people_of_group(session, "nope") == set()
