"""Annex I (every submission with its tally) and Annex II (votes by delegation).

Annex II follows each group's procedure: by vote, each delegation's delegates' votes summed
over the group; by delegation, each delegation's ballot on each recommendation; by
consensus, each delegation's objection with its reason. A group whose ballots are secret
gives its totals only; one whose results are withheld while it is open, none.
"""

from __future__ import annotations

from storage.models import Choice, Procedure
from storage.rules import Counts

from .context import Context
from .ooxml import Align, Column
from .outcome import GroupOutcome
from .sections import count_cells, outcome_text


def write_annexes(ctx: Context) -> None:
    """Both annexes, when anything was submitted."""
    groups = ctx.outcome.with_recommendations
    if not groups:
        return
    body, t, styles = ctx.body, ctx.texts, ctx.body.styles

    body.paragraph(styles.annex_heading, t("annex_submissions_heading"), page_break_before=True)
    body.paragraph(styles.normal, t("annex_submissions_lead"))
    columns = [
        Column(t("number_column"), 8),
        Column(t("title_column"), 21),
        Column(t("delegation_column"), 17),
        Column(t("submitted_column"), 14),
        Column(t("support_column"), 11, Align.RIGHT),
        Column(t("oppose_column"), 11, Align.RIGHT),
        Column(t("abstain_column"), 11, Align.RIGHT),
        Column(t("comments_column"), 12, Align.RIGHT),
        Column(t("outcome_column"), 16),
    ]
    for group in groups:
        body.paragraph(styles.heading2, group.group.name)
        body.table(
            columns,
            (
                [
                    item.rec.number,
                    item.rec.title or t("untitled"),
                    item.delegation or t("no_delegation"),
                    t("date", when=item.rec.submitted_at),
                    *count_cells(ctx, item),
                    str(item.rec.comments),
                    outcome_text(ctx, item),
                ]
                for item in group.by_number
            ),
        )

    body.paragraph(styles.annex_heading, t("annex_votes_heading"), page_break_before=True)
    body.paragraph(styles.normal, t("annex_votes_lead"))
    vote_columns = [
        Column(t("delegation_column"), 40),
        Column(t("support_column"), 15, Align.RIGHT),
        Column(t("oppose_column"), 15, Align.RIGHT),
        Column(t("abstain_column"), 15, Align.RIGHT),
    ]
    for group in groups:
        body.paragraph(styles.heading2, group.group.name)
        if group.group.withheld:  # hidden tallies while open (storage.visibility)
            body.paragraph(styles.normal, t("results_withheld"))
            continue
        if group.group.procedure == Procedure.DELEGATION:
            _write_ballots(ctx, group)
            continue
        if group.group.procedure == Procedure.CONSENSUS:
            _write_objections(ctx, group)
            continue
        rows = group.votes_by_delegation
        total = sum((counts for _, counts in rows), start=Counts())
        if group.group.secret:  # secret ballots: the group's totals only
            body.paragraph(styles.normal, t("annex_secret_lead"))
            rows = ()
            total = sum((item.rec.counts for item in group.counted), start=Counts())
        body.table(
            vote_columns,
            ([name, str(c.support), str(c.oppose), str(c.abstain)] for name, c in rows),
            total=[t("total_label"), str(total.support), str(total.oppose), str(total.abstain)],
            width=80,
        )


def _write_ballots(ctx: Context, group: GroupOutcome) -> None:
    """Per recommendation, the delegations whose ballot is Support, Oppose, Abstain."""
    body, t = ctx.body, ctx.texts
    body.paragraph(body.styles.normal, t("annex_ballots_lead"))
    columns = [
        Column(t("number_column"), 10),
        Column(t("support_column"), 30),
        Column(t("oppose_column"), 30),
        Column(t("abstain_column"), 30),
    ]
    rows = []
    for item in group.counted:  # withdrawn and merged ones' votes no longer count
        cells = [item.rec.number]
        for choice in Choice:
            names = [b.delegation_name for b in item.rec.ballots if b.choice == choice]
            cells.append(", ".join(names) or t("no_count"))
        rows.append(cells)
    body.table(columns, rows)


def _write_objections(ctx: Context, group: GroupOutcome) -> None:
    """Per recommendation, each objecting delegation with its reason verbatim."""
    body, t = ctx.body, ctx.texts
    body.paragraph(body.styles.normal, t("annex_objections_lead"))
    columns = [
        Column(t("number_column"), 10),
        Column(t("objection_column"), 25),
        Column(t("reason_column"), 65),
    ]
    rows = []
    for item in group.counted:
        objections = item.rec.objections
        if not objections:
            rows.append([item.rec.number, t("no_count"), t("none_objected")])
        for objection in objections:
            rows.append([item.rec.number, objection.delegation_name, objection.reason])
    body.table(columns, rows)
