"""Annex I (every submission with its tally) and Annex II (votes by delegation)."""

from __future__ import annotations

from storage.rules import Counts

from .context import Context
from .ooxml import Align, Column


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
                    str(item.rec.counts.support),
                    str(item.rec.counts.oppose),
                    str(item.rec.counts.abstain),
                    str(item.rec.comments),
                    t("outcome", adopted=item.adopted),
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
        rows = group.votes_by_delegation
        total = sum((counts for _, counts in rows), start=Counts())
        body.table(
            vote_columns,
            ([name, str(c.support), str(c.oppose), str(c.abstain)] for name, c in rows),
            total=[t("total_label"), str(total.support), str(total.oppose), str(total.abstain)],
            width=80,
        )
