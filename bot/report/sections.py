"""One section per thematic group: rapporteur, summary table and each recommendation."""

from __future__ import annotations

from storage.models import Procedure

from .context import Context
from .ooxml import Align, Column, Span
from .outcome import GroupOutcome, RecommendationOutcome


def write_groups(ctx: Context) -> None:
    """A Heading 1 section per group with recommendations (nothing else is Heading 1)."""
    groups = ctx.outcome.with_recommendations
    if not groups:
        body, t = ctx.body, ctx.texts
        body.paragraph(
            body.styles.part_heading, t("no_recommendations_heading"), page_break_before=True
        )
        body.paragraph(
            body.styles.normal, t("no_recommendations", scope_group=ctx.outcome.scope_name)
        )
        return
    for group in groups:
        _write_group(ctx, group)


def summary_columns(ctx: Context) -> list[Column]:
    """Columns of a table listing recommendations with their tallies and outcome."""
    t = ctx.texts
    return [
        Column(t("number_column"), 9),
        Column(t("title_column"), 40),
        Column(t("support_column"), 11, Align.RIGHT),
        Column(t("oppose_column"), 11, Align.RIGHT),
        Column(t("abstain_column"), 11, Align.RIGHT),
        Column(t("outcome_column"), 18),
    ]


def summary_row(ctx: Context, item: RecommendationOutcome) -> list[str]:
    """One row under `summary_columns`."""
    rec, t = item.rec, ctx.texts
    return [
        rec.number,
        rec.title or t("untitled"),
        *count_cells(ctx, item),
        outcome_text(ctx, item),
    ]


def count_cells(ctx: Context, item: RecommendationOutcome) -> list[str]:
    """Support, Oppose, Abstain (delegations' ballots by delegation; none by consensus)."""
    counts = item.rec.counts
    withheld = item.rec.withheld  # hidden tallies while open (storage.visibility)
    if item.rec.procedure == Procedure.CONSENSUS or not item.rec.counted or withheld:
        return [ctx.texts("no_count")] * 3  # withdrawn or merged: its votes no longer count
    return [str(counts.support), str(counts.oppose), str(counts.abstain)]


def outcome_text(ctx: Context, item: RecommendationOutcome) -> str:
    """`Adopted` / `Not adopted`; by consensus `Adopted by consensus` or who objected;
    `Withdrawn`, `Merged into EE-2`."""
    if not item.rec.counted:
        return ctx.texts("text_status", status=item.rec.status, into=item.rec.merged_into)
    if item.rec.withheld:
        return ctx.texts("results_withheld")
    if item.rec.procedure == Procedure.CONSENSUS:
        objecting = [o.delegation_name for o in item.rec.objections]
        return ctx.texts("consensus_outcome", objecting=objecting)
    return ctx.texts("outcome", adopted=item.adopted)


def _write_group(ctx: Context, group: GroupOutcome) -> None:
    body, t, styles = ctx.body, ctx.texts, ctx.body.styles
    body.paragraph(styles.heading1, group.group.name, page_break_before=True)
    body.paragraph(
        styles.normal,
        Span(t("rapporteur_label"), bold=True),
        " ",
        group.group.rapporteur_name or t("not_appointed"),
    )
    body.paragraph(
        styles.normal, Span(t("procedure", procedure=group.group.procedure), italic=True)
    )
    if group.group.is_open:
        body.paragraph(styles.normal, Span(t("group_open"), italic=True))
    if group.group.withheld:  # hidden tallies while open: no outcomes, in number order
        summary = t("group_summary_withheld", total=len(group.by_number))
        listed = [(t("withheld_heading"), group.counted)]
    else:
        summary = t("group_summary", total=len(group.by_number), adopted=len(group.adopted))
        listed = [
            (t("adopted_heading"), group.adopted),
            (t("not_adopted_heading"), group.not_adopted),
        ]
    body.paragraph(styles.normal, summary, keep_next=True)
    shown = group.counted if group.group.withheld else group.adopted_first
    body.table(summary_columns(ctx), (summary_row(ctx, item) for item in shown))
    for heading, items in listed:
        if items:
            body.paragraph(styles.heading2, heading)
            for item in items:
                _write_recommendation(ctx, item)


def _write_recommendation(ctx: Context, item: RecommendationOutcome) -> None:
    body, t, styles, rec = ctx.body, ctx.texts, ctx.body.styles, item.rec
    heading = t("recommendation_heading", number=rec.number, title=rec.title or "")
    if styles.heading3 is not None:
        body.paragraph(styles.heading3, heading)
    else:
        body.paragraph(styles.normal, Span(heading, bold=True), keep_next=True)
    body.paragraph(styles.normal, rec.text, keep_next=True)
    if rec.revisions:  # edited or amended: the final text, its history in Annex III
        note = t("final_version_note", version=rec.revisions[-1].version)
        body.paragraph(styles.normal, Span(note, italic=True), keep_next=True)
    if rec.rationale:
        body.paragraph(
            styles.normal, Span(t("rationale_label"), bold=True), " ", rec.rationale, keep_next=True
        )
    body.paragraph(
        styles.normal,
        Span(t("submitted_by_label"), bold=True),
        " ",
        item.delegation or t("no_delegation"),
        "\n",
        *_decision(ctx, item),
        Span(t("outcome_label"), bold=True),
        " ",
        Span(outcome_text(ctx, item), bold=True),
    )
    _write_reservations(ctx, item)


def _decision(ctx: Context, item: RecommendationOutcome) -> list[str | Span]:
    """The votes (by delegation: delegations' ballots), or by consensus each objection with
    its reason verbatim; each line ends with a break."""
    t, rec = ctx.texts, item.rec
    if rec.procedure == Procedure.CONSENSUS:
        if not rec.objections:
            return [Span(t("objections_label"), bold=True), " ", t("none_objected"), "\n"]
        lines: list[str | Span] = []
        for objection in rec.objections:
            label = t("objection_label", delegation=objection.delegation_name)
            lines += [Span(label, bold=True), " ", objection.reason, "\n"]
        return lines
    votes = t(
        "delegation_votes" if rec.procedure == Procedure.DELEGATION else "votes", counts=rec.counts
    )
    if rec.withheld:
        votes = t("results_withheld")
    return [Span(t("votes_label"), bold=True), " ", votes, "\n"]


def _write_reservations(ctx: Context, item: RecommendationOutcome) -> None:
    """`Reservation — Thailand: …` under the recommendation, each text verbatim."""
    body, t = ctx.body, ctx.texts
    for reservation in item.rec.reservations:
        label = t("reservation_label", delegation=reservation.delegation_name)
        body.paragraph(body.styles.normal, Span(label, italic=True), " ", reservation.text)
