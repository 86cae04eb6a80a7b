"""The introduction's participation: the delegations of the participant list with observers
apart, or without a list the delegations seen at work; read back from a record stored on
SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.report import build_outcome_document
from storage import countries, people
from storage.actors import Actor
from storage.groups import all_groups
from storage.reports import delegations, observers, workshop_record
from storage.roster import parse_roster
from storage.roster_import import import_rows
from tests.factories import records as f

from .readback import Report, rows

TITLE = "Regional Workshop on Participation"
LIST = (
    "name,email,delegation,role,group\n"
    "Nguyễn Thị Lan,lan@example.org,VN,rapporteur,e-evidence\n"
    "Trần Văn Hùng,hung@example.org,Viet Nam,,\n"
    "Somchai Prasert,somchai@example.org,TH,,\n"
    "សុខ ដារ៉ា,sok@example.org,KH,,\n"
    "Jane Doe,jane@unodc.org,UNODC,observer,\n"
    "Pierre Martin,pierre@eeas.europa.eu,European Union,observer,\n"
    "John Roe,john@unodc.org,UNODC,observer,\n"
)


def _import(session: Session, text: str = LIST, found: dict[str, str] | None = None) -> None:
    parsed = parse_roster(text.encode("utf-8"), group_keys=[g.key for g in all_groups(session)])
    assert parsed.ok, parsed.problems
    import_rows(session, actor=Actor("cli:organizer"), rows=parsed.rows, found=found or {})


def _report(session: Session) -> Report:
    return Report(
        build_outcome_document(workshop_record(session, now=f.GENERATED_AT), f.options(TITLE))
    )


def test_the_introduction_lists_the_participant_lists_delegations_and_observers_apart(session):
    _import(session, found={"lan@example.org": "UVN1"})  # matched or not, everyone is listed
    report = _report(session)
    texts = report.paragraph_texts()
    assert "Delegations of 3 States took part in the work of the workshop:" in texts
    assert rows(report.table_after("Participation")) == [
        ["Delegation", "Delegates"],
        ["Cambodia", "1"],
        ["Thailand", "1"],
        ["Viet Nam", "2"],
        ["Total", "4"],
    ]
    # In the list's order; an organisation seated twice is named once; never in the table.
    assert "Observers: UNODC, European Union" in texts
    after_table = texts[texts.index("Observers: UNODC, European Union") + 1]
    assert after_table == "Adoption of recommendations"


def test_people_not_on_the_list_who_declared_a_delegation_still_count(session):
    _import(session, found={"lan@example.org": "UVN1"})
    people.set_country(session, actor=Actor("ULA1", name="Bounmy"), code="LA")
    _declare(session, "UVN9", "VN")
    listed = {d.country_code: d.delegates for d in delegations(session)}
    assert listed == {"KH": 1, "LA": 1, "TH": 1, "VN": 3}
    assert [d.country_name for d in delegations(session)] == [  # by name, as the table
        countries.country_name(c) for c in ("KH", "LA", "TH", "VN")
    ]
    assert observers(session) == ("UNODC", "European Union")


def test_without_a_list_the_delegations_seen_at_work_and_no_observers_line(session):
    _declare(session, "UTH1", "TH")
    _declare(session, "UTH2", "TH")
    _declare(session, "UKR1", "KR")
    report = _report(session)
    texts = report.paragraph_texts()
    assert "Delegations of 2 States took part in the work of the workshop:" in texts
    assert rows(report.table_after("Participation"))[1:] == [
        ["Republic of Korea", "1"],
        ["Thailand", "2"],
        ["Total", "3"],
    ]
    assert not any(t.startswith("Observers:") for t in texts)


def test_a_seated_observer_without_a_list_is_named_and_never_counted(session):
    _declare(session, "UTH1", "TH")
    _seat_observer(session, "UOBS", "European Union")
    record = workshop_record(session, now=f.GENERATED_AT)
    assert [d.country_code for d in record.delegations] == ["TH"]
    assert record.observers == ("European Union",)


def _declare(session: Session, user_id: str, code: str) -> None:
    """What `/wg country CODE` leaves for a person not on the list."""
    person = people.remember(session, user_id, None)
    person.country_code = code
    session.flush()


def _seat_observer(session: Session, user_id: str, organisation: str) -> None:
    from storage import participants
    from tests.factories import ORGANIZER

    participants.seat(
        session,
        actor=ORGANIZER,
        user_id=user_id,
        user_name="Observer",
        delegation=organisation,
        observer=True,
    )
