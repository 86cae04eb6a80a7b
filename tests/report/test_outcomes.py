"""Counts, outcomes under each rule, ordering, summary tables and the annexes."""

from __future__ import annotations

import pytest

from storage.countries import country_name
from storage.rules import AdoptionRule, Counts, Majority
from tests.factories import records as f

from .readback import rows


def _group_of(*tallies: tuple[int, int, int]):
    """Electronic evidence with EE-1.. carrying these (support, oppose, abstain) tallies."""
    return f.group(
        "e-evidence",
        *(
            f.recommendation("EE", seq, title=f"Recommendation {seq}", counts=Counts(*tally))
            for seq, tally in enumerate(tallies, start=1)
        ),
    )


def _summary(report) -> list[list[str]]:
    return rows(report.table_after("Electronic evidence"))[1:]


def test_simple_majority_adopts_more_support_than_oppose(compile_report):
    record = f.workshop(_group_of((3, 3, 0), (4, 3, 9), (0, 0, 5), (1, 0, 0)))
    summary = _summary(compile_report(record))

    assert summary == [
        ["EE-2", "Recommendation 2", "4", "3", "9", "Adopted"],
        ["EE-4", "Recommendation 4", "1", "0", "0", "Adopted"],
        ["EE-1", "Recommendation 1", "3", "3", "0", "Not adopted"],
        ["EE-3", "Recommendation 3", "0", "0", "5", "Not adopted"],
    ]


def test_two_thirds_majority(compile_report):
    record = f.workshop(_group_of((6, 3, 0), (5, 3, 0), (2, 1, 10)))
    rule = AdoptionRule(majority=Majority.TWO_THIRDS)
    report = compile_report(record, rule=rule)

    outcomes = {row[0]: row[-1] for row in _summary(report)}
    assert outcomes == {"EE-1": "Adopted", "EE-2": "Not adopted", "EE-3": "Adopted"}
    assert any("two-thirds majority" in t for t in report.paragraph_texts())


def test_quorum_counts_support_and_oppose_only(compile_report):
    record = f.workshop(_group_of((5, 1, 2), (5, 1, 4), (9, 1, 0), (9, 0, 5), (6, 4, 0)))
    report = compile_report(record, rule=AdoptionRule(quorum=10))

    outcomes = {row[0]: row[-1] for row in _summary(report)}
    assert outcomes == {
        "EE-1": "Not adopted",
        "EE-2": "Not adopted",  # 10 votes with abstentions, 6 cast
        "EE-3": "Adopted",
        "EE-4": "Not adopted",  # 14 votes with abstentions, 9 cast
        "EE-5": "Adopted",
    }
    statement = next(t for t in report.paragraph_texts() if "simple majority" in t)
    assert "quorum of 10 votes cast" in statement
    assert "counting Support and Oppose votes only" in statement
    assert "abstentions do not count towards the quorum" in statement
    assert "abstentions included" not in statement


@pytest.mark.parametrize("majority", list(Majority))
@pytest.mark.parametrize(
    ("counts", "adopted"),
    [
        (Counts(3, 0, 0), True),
        (Counts(2, 0, 9), False),  # 11 votes, but only 2 cast
        (Counts(2, 1, 0), True),
        (Counts(2, 2, 0), False),  # quorum met, majority not
    ],
)
def test_the_rules_quorum_ignores_abstentions(majority, counts, adopted):
    assert AdoptionRule(majority=majority, quorum=3).adopted(counts) is adopted


def test_rule_statement_without_quorum(compile_report):
    report = compile_report(f.workshop(_group_of((1, 0, 0))))

    statement = next(t for t in report.paragraph_texts() if "simple majority" in t)
    assert "Abstentions are not counted" in statement
    assert "at least one Support vote" in statement
    assert "quorum" not in statement


def test_adopted_recommendations_come_first_in_number_order(compile_report):
    record = f.workshop(_group_of((0, 1, 0), (2, 0, 0), (0, 3, 0), (5, 1, 0), (1, 0, 0)))
    report = compile_report(record)

    numbers = [h.split(" ")[0] for h in report.styled("Heading 3")]
    assert numbers == ["EE-2", "EE-4", "EE-5", "EE-1", "EE-3"]
    texts = report.paragraph_texts()
    assert texts.index("Adopted recommendations") < texts.index("Recommendations not adopted")
    body = report.text
    assert body.index("EE-5 ") < body.index("EE-1 ")


def test_detail_lines_give_counts_and_outcome(compile_report):
    record = f.workshop(_group_of((12, 3, 1)))
    texts = compile_report(record).paragraph_texts()

    assert any("Votes: Support: 12 · Oppose: 3 · Abstain: 1\nOutcome: Adopted" in t for t in texts)


def test_summary_of_outcomes_per_group(compile_report):
    record = f.workshop(
        _group_of((2, 0, 0), (0, 2, 0)),
        f.group("victims", f.recommendation("VP", 1, counts=Counts(3, 0, 0))),
    )
    table = compile_report(record).table_after("Summary of outcomes")

    assert rows(table) == [
        ["Thematic group", "Submitted", "Adopted", "Not adopted"],
        ["Electronic evidence", "2", "1", "1"],
        ["Victim protection", "1", "1", "0"],
        ["Total", "3", "2", "1"],
    ]


def test_annex_i_lists_submissions_in_number_order(compile_report):
    record = f.workshop(
        f.group(
            "e-evidence",
            f.recommendation("EE", 2, title="Second", country="KR", counts=Counts(0, 4, 0)),
            f.recommendation("EE", 1, title="First", country="VN", counts=Counts(4, 0, 1)),
        )
    )
    report = compile_report(record)
    table = report.table_after("Electronic evidence", nth_heading=1)

    assert [row[:3] + row[4:] for row in rows(table)] == [
        ["No.", "Title", "Delegation", "Support", "Oppose", "Abstain", "Comments", "Outcome"],
        ["EE-1", "First", country_name("VN"), "4", "0", "1", "0", "Adopted"],
        ["EE-2", "Second", country_name("KR"), "0", "4", "0", "0", "Not adopted"],
    ]
    assert rows(table)[1][3] == "12 Mar 2025"


def test_annex_ii_sums_votes_by_delegation_per_group(compile_report):
    record = f.workshop(
        f.group(
            "e-evidence",
            f.recommendation("EE", 1, by_delegation=f.votes(KH=(2, 0, 1), TH=(1, 1, 0))),
            f.recommendation("EE", 2, by_delegation=f.votes(KH=(0, 3, 0), VN=(1, 0, 2))),
        ),
        delegations_=f.delegations(KH=3, TH=2, VN=3, PH=1),
    )
    table = compile_report(record).table_after("Electronic evidence", nth_heading=2)

    assert rows(table) == [
        ["Delegation", "Support", "Oppose", "Abstain"],
        [country_name("KH"), "2", "3", "1"],
        [country_name("TH"), "1", "1", "0"],
        [country_name("VN"), "1", "0", "2"],
        [country_name("PH"), "0", "0", "0"],
        ["Total", "4", "4", "3"],
    ]
