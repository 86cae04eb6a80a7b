"""Reservations in the outcome document: under their recommendation, verbatim, any script."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.report import build_outcome_document
from storage import people, reservations
from storage.records import ReservationRecord
from storage.reports import workshop_record
from storage.rules import Counts
from storage.sessions import transaction
from tests.factories import delegate, linked_group, submitted
from tests.factories import records as f

from .readback import Report, W, attr

THAI = "ประเทศไทยขอสงวนท่าทีต่อวรรคสอง"
KHMER = "កម្ពុជាសូមរក្សាសិទ្ធិលើអនុសាសន៍នេះ"
LAO = "ສປປ ລາວ ຂໍສະຫງວນສິດຕໍ່ຂໍ້ສະເໜີນີ້"
MARKUP = "Viet Nam notes <!channel> & <b>paragraph 2</b>\nand a second line."


def _reserved(rec, *items: tuple[str, str, str]):
    return replace(rec, reservations=tuple(ReservationRecord(*item) for item in items))


def _record():
    first = _reserved(
        f.recommendation("EE", 1, counts=Counts(5, 1, 0)),
        ("KH", "Cambodia", KHMER),
        ("LA", "Lao People's Democratic Republic", LAO),
        ("TH", "Thailand", THAI),
        ("VN", "Viet Nam", MARKUP),
    )
    second = f.recommendation("EE", 2, title="Contact points", counts=Counts(0, 3, 0))
    return f.workshop(f.group("e-evidence", first, second))


def test_each_reservation_is_under_its_recommendation_verbatim(compile_report):
    report = compile_report(_record())
    texts = report.paragraph_texts()
    expected = [
        f"Reservation — Cambodia: {KHMER}",
        f"Reservation — Lao People's Democratic Republic: {LAO}",
        f"Reservation — Thailand: {THAI}",
        f"Reservation — Viet Nam: {MARKUP}",
    ]
    found = [t for t in texts if t.startswith("Reservation — ")]
    assert found == expected
    # After EE-1's tally and outcome, before the next recommendation.
    first = texts.index(expected[0])
    assert texts[first - 1].startswith("Submitted by:") and "Outcome:" in texts[first - 1]
    assert texts[first + len(expected) : first + len(expected) + 2] == [
        "Recommendations not adopted",
        "EE-2 Contact points",
    ]
    assert "Reservation" not in "".join(texts[first + len(expected) :])


@pytest.mark.parametrize(("text", "lang"), [(THAI, "th-TH"), (KHMER, "km-KH"), (LAO, "lo-LA")])
def test_reservation_texts_are_set_in_their_scripts_font(compile_report, text, lang):
    runs = compile_report(_record()).runs_with(text)
    assert runs
    for run in runs:
        assert attr(run.find(f"{W}rPr").find(f"{W}lang"), "val") == lang


def test_no_reservation_no_line(compile_report):
    report = compile_report(f.workshop(f.group("e-evidence", f.recommendation("EE", 1))))
    assert not any("Reservation" in t for t in report.paragraph_texts())


def test_from_the_record_to_the_document(session_factory, options):
    with transaction(session_factory) as session:
        linked_group(session)
        rec = submitted(session)
        for user_id, code in (("UTH1", "TH"), ("UKH1", "KH"), ("UVN1", "VN")):
            person = people.remember(session, user_id, None)
            person.delegation, person.role = code, "delegate"
        for user_id, code, text in (
            ("UTH1", "TH", "To be replaced"),
            ("UTH1", "TH", THAI),
            ("UKH1", "KH", KHMER),
            ("UVN1", "VN", MARKUP),
        ):
            reservations.enter(
                session,
                actor=delegate(user_id),
                recommendation_id=rec.id,
                delegation=code,
                text=text,
            )
        reservations.withdraw(
            session, actor=delegate("UKH1"), recommendation_id=rec.id, delegation="KH"
        )
    with transaction(session_factory) as session:
        record = workshop_record(session)
    report = Report(build_outcome_document(record, options))
    found = [t for t in report.paragraph_texts() if t.startswith("Reservation — ")]
    assert found == [f"Reservation — Thailand: {THAI}", f"Reservation — Viet Nam: {MARKUP}"]
    assert "&lt;" not in report.text and "<!channel>" in report.text
