"""storage.participants and storage.roster_import on SQLite and PostgreSQL: the list written,
matched, confirmed; seating; the refusal of another delegation; the queries others call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import audit, participants, people
from storage.actors import Actor
from storage.errors import DelegationConfirmed, NotPermitted
from storage.groups import group_by_key
from storage.models import Participant, Person, Role
from storage.roster import parse_roster
from storage.roster_import import import_rows, known_accounts, waiting_emails
from tests.factories import ORGANIZER, delegate

CLI = Actor("cli:organizer", request_id="import-1")
KEYS = ("e-evidence", "financial-investigation", "asset-confiscation", "victim-protection")
KHMER = "សុខ ដារ៉ា"
LIST = (
    "name,email,delegation,role,group,organisation\n"
    "Somchai Prasert,somchai@example.org,TH,rapporteur,e-evidence,Royal Thai Police\n"
    f"{KHMER},sok@example.org,KH,,,\n"
    "Jane Doe,jane@unodc.org,UNODC,observer,,\n"
    "Maria Santos,maria@example.org,PH,,victim-protection,\n"
)


def rows(text: str = LIST):
    parsed = parse_roster(text.encode("utf-8"), group_keys=KEYS)
    assert parsed.ok, parsed.problems
    return parsed.rows


def person(session, user_id: str) -> Person:
    found = session.get(Person, user_id, populate_existing=True)
    assert found is not None
    return found


def test_an_import_adds_everyone_and_confirms_the_matched(session):
    report = import_rows(
        session,
        actor=CLI,
        rows=rows(),
        found={"somchai@example.org": "USOMCHAI", "jane@unodc.org": "UJANE"},
    )
    assert [r.email for r in report.added] == [
        "somchai@example.org",
        "sok@example.org",
        "jane@unodc.org",
        "maria@example.org",
    ]
    assert sorted(user for _, user in report.matched) == ["UJANE", "USOMCHAI"]
    assert [r.email for r in report.unmatched] == ["sok@example.org", "maria@example.org"]
    somchai = person(session, "USOMCHAI")
    assert (somchai.name, somchai.delegation, somchai.role) == (
        "Somchai Prasert",
        "TH",
        "rapporteur",
    )
    assert (somchai.country_code, somchai.email) == ("TH", "somchai@example.org")
    jane = person(session, "UJANE")
    assert (jane.delegation, jane.role, jane.country_code) == ("UNODC", "observer", None)
    # The rapporteur row makes them the group's rapporteur, audited as /wg rapporteur is.
    assert group_by_key(session, "e-evidence").rapporteur_user_id == "USOMCHAI"
    actions = [(e.action, e.target) for e in audit.entries(session)]
    assert ("appoint", "USOMCHAI") in actions and ("match", "UJANE") in actions
    assert ("list", "sok@example.org") in actions and ("roster import", None) in actions
    assert {e.actor_user_id for e in audit.entries(session)} == {"cli:organizer"}
    stored = session.scalar(select(Participant).where(Participant.email == "sok@example.org"))
    assert stored.name == KHMER and stored.user_id is None and stored.source == "roster"


def test_importing_again_updates_by_email_and_reports_who_is_missing(session):
    import_rows(session, actor=CLI, rows=rows(), found={"sok@example.org": "USOK"})
    second = (
        "email,delegation,name,group\n"
        f"SOK@example.org,TH,{KHMER},financial-investigation\n"  # moved: KH → TH, one group
        "somchai@example.org,TH,Somchai Prasert,e-evidence\n"  # role now delegate (default)
        "new@example.org,VN,Nguyễn Văn Nam,\n"
    )
    report = import_rows(session, actor=CLI, rows=rows(second), found={})
    changes = {c.row.email: c.changes for c in report.updated}
    assert changes["sok@example.org"] == [
        ("delegation", "KH", "TH"),
        ("group_key", None, "financial-investigation"),
    ]
    assert ("role", "rapporteur", "delegate") in changes["somchai@example.org"]
    assert [r.email for r in report.added] == ["new@example.org"]
    assert sorted(p.email for p in report.missing) == ["jane@unodc.org", "maria@example.org"]
    # Nobody is removed; the matched person's confirmed delegation follows the list.
    assert len(participants.participants(session)) == 5
    assert (person(session, "USOK").delegation, person(session, "USOK").country_code) == (
        "TH",
        "TH",
    )
    third = import_rows(session, actor=CLI, rows=rows(second), found={})
    assert len(third.unchanged) == 3 and not third.updated and not third.added


def test_a_person_seen_by_the_app_is_found_by_their_email(session):
    participants.note_email(session, "USOK", "Sok@Example.org")
    emails = [r.email for r in rows()]
    found = known_accounts(session, waiting_emails(session, emails))
    assert found == {"sok@example.org": "USOK"}
    import_rows(session, actor=CLI, rows=rows(), found=found)
    assert waiting_emails(session, emails) == [e for e in emails if e != "sok@example.org"]


def test_the_list_takes_over_a_seat_made_before_it_knew_the_person(session):
    participants.seat(
        session, actor=ORGANIZER, user_id="USOK", user_name="sok", delegation="LA", observer=False
    )
    report = import_rows(session, actor=CLI, rows=rows(), found={"sok@example.org": "USOK"})
    assert [(u.user_id, u.delegation) for u in report.unseated] == [("USOK", "LA")]
    assert "USOK" not in {p.user_id for p in report.missing}
    assert participants.confirmed_delegation(session, "USOK") == participants.Confirmed(
        "KH", Role.DELEGATE
    )
    assert len(session.scalars(select(Participant).where(Participant.user_id == "USOK")).all()) == 1


def test_an_account_matched_to_another_row_is_not_taken(session):
    import_rows(session, actor=CLI, rows=rows(), found={"sok@example.org": "USOK"})
    other = "name,email,delegation\nSok again,sok2@example.org,KH\n"
    report = import_rows(session, actor=CLI, rows=rows(other), found={"sok2@example.org": "USOK"})
    assert [(r.email, u) for r, u in report.taken] == [("sok2@example.org", "USOK")]
    assert [r.email for r in report.unmatched] == ["sok2@example.org"]


def test_confirmed_delegations_for_the_other_features(session):
    import_rows(
        session,
        actor=CLI,
        rows=rows(),
        found={
            "somchai@example.org": "USOMCHAI",
            "jane@unodc.org": "UJANE",
            "sok@example.org": "USOK",
        },
    )
    people.remember(session, "UNOBODY", "Not listed")
    assert participants.confirmed_delegation(session, "UNOBODY") is None
    assert participants.confirmed_delegation(session, "UNSEEN") is None
    rapporteur = participants.confirmed_delegation(session, "USOMCHAI")
    assert rapporteur == participants.Confirmed("TH", Role.RAPPORTEUR)
    assert rapporteur.acts_for_delegation and not rapporteur.is_observer
    jane = participants.confirmed_delegation(session, "UJANE")
    assert jane is not None and jane.is_observer and not jane.acts_for_delegation
    assert participants.is_observer(session, "UJANE") and not participants.is_observer(
        session, "USOK"
    )
    many = participants.confirmed_many(session, ["USOK", "UJANE", "UNOBODY"])
    assert {u: c.delegation for u, c in many.items()} == {"USOK": "KH", "UJANE": "UNODC"}
    assert participants.listed_delegations(session) == participants.Delegations(
        states=["KH", "PH", "TH"], observers=["UNODC"]
    )


def test_a_groups_participants_include_those_in_every_group(session):
    import_rows(session, actor=CLI, rows=rows(), found={"sok@example.org": "USOK"})
    emails = [p.email for p in participants.participants(session, group_key="e-evidence")]
    # By delegation (KH, TH, UNODC), then name; maria sits in another group only.
    assert emails == ["sok@example.org", "somchai@example.org", "jane@unodc.org"]
    sok = next(p for p in participants.participants(session) if p.email == "sok@example.org")
    assert sok.matched and sok.name == KHMER and not sok.is_observer


def test_seating_is_for_organizers(session):
    with pytest.raises(NotPermitted):
        participants.seat(
            session, actor=delegate(), user_id="UX", user_name=None, delegation="TH", observer=False
        )
    assert session.scalar(select(Participant)) is None


def test_seating_a_delegate_then_an_observer_and_a_rapporteur_keeps_their_role(session):
    seated = participants.seat(
        session, actor=ORGANIZER, user_id="UX", user_name="x", delegation="VN", observer=False
    )
    assert (seated.source, seated.role, seated.email) == ("seat", "delegate", None)
    assert participants.confirmed_delegation(session, "UX") == participants.Confirmed(
        "VN", Role.DELEGATE
    )
    participants.seat(
        session,
        actor=ORGANIZER,
        user_id="UX",
        user_name="x",
        delegation="European Union",
        observer=True,
    )
    assert participants.confirmed_delegation(session, "UX") == participants.Confirmed(
        "European Union", Role.OBSERVER
    )
    assert person(session, "UX").country_code is None
    import_rows(session, actor=CLI, rows=rows(), found={"somchai@example.org": "USOMCHAI"})
    participants.seat(
        session,
        actor=ORGANIZER,
        user_id="USOMCHAI",
        user_name=None,
        delegation="KH",
        observer=False,
    )
    assert participants.confirmed_delegation(session, "USOMCHAI") == participants.Confirmed(
        "KH", Role.RAPPORTEUR
    )
    assert [e.action for e in audit.entries(session)].count("seat") == 3


def test_matching_at_first_use(session):
    import_rows(session, actor=CLI, rows=rows(), found={})
    assert participants.standing(session, "USOK") == participants.Standing(False, None, True)
    participants.note_email(session, "USOK", "sok@example.org")
    matched = participants.match(
        session, actor=Actor("USOK"), user_id="USOK", email="SOK@example.org"
    )
    assert matched is not None and matched.user_id == "USOK"
    assert participants.standing(session, "USOK").listed
    assert person(session, "USOK").name == KHMER  # the list's name, not a Slack handle
    assert (
        participants.match(session, actor=Actor("USOK"), user_id="USOK", email="sok@example.org")
        is None
    )
    assert (
        participants.match(session, actor=Actor("UZ"), user_id="UZ", email="nobody@x.org") is None
    )
    people.rename(session, "USOK", "sok.dara (Slack)")
    assert person(session, "USOK").name == KHMER


def test_a_listed_person_cannot_declare_another_delegation(session):
    import_rows(
        session,
        actor=CLI,
        rows=rows(),
        found={"somchai@example.org": "USOMCHAI", "jane@unodc.org": "UJANE"},
    )
    with pytest.raises(DelegationConfirmed) as refused:
        people.set_country(session, actor=Actor("USOMCHAI"), code="VN")
    assert refused.value.params == {"delegation": "Thailand", "code": "TH", "role": "rapporteur"}
    assert people.set_country(session, actor=Actor("USOMCHAI"), code="th").country_code == "TH"
    with pytest.raises(DelegationConfirmed) as observer:
        people.set_country(session, actor=Actor("UJANE"), code="TH")
    assert observer.value.params["delegation"] == "UNODC"
    # Someone not on the list still declares theirs.
    assert people.set_country(session, actor=Actor("UFREE"), code="KR").country_code == "KR"
