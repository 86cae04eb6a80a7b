"""Front matter (title block, status, contents) and the introduction with attendance."""

from __future__ import annotations

from .context import Context
from .fields import TOC_INSTRUCTION, begin_field
from .ooxml import Align, Column, Span
from .outcome import GroupOutcome

_LABEL_WIDTH = 1701  # twips (3 cm): room for the meeting-detail labels


def write_front_matter(ctx: Context) -> None:
    """Status mark, title, subtitle, meeting details and the start of the table of contents.

    The contents field is begun here and filled once every heading is written (toc.py).
    """
    body, t, styles = ctx.body, ctx.texts, ctx.body.styles
    body.paragraph(styles.status, t("status", final=ctx.outcome.final), align=Align.RIGHT)
    body.paragraph(styles.title, ctx.options.title, display=True)
    body.paragraph(styles.subtitle, t("subtitle", group=ctx.outcome.scope_name))
    for label, value in (
        (t("venue_label"), ctx.options.venue),
        (t("dates_label"), ctx.options.dates),
        (t("organizers_label"), ctx.options.organizers),
    ):
        body.paragraph(styles.normal, Span(label, bold=True), "\t", value, hanging=_LABEL_WIDTH)
    body.paragraph(styles.normal, Span(t("compiled", when=ctx.outcome.generated_at), italic=True))
    body.paragraph(styles.toc_heading, t("contents_heading"))
    toc = body.paragraph(styles.normal)
    begin_field(toc, TOC_INSTRUCTION, body.writer, dirty=True)


def write_introduction(ctx: Context) -> None:
    """Introduction, participating delegations and the adoption rule."""
    body, t, styles, outcome = ctx.body, ctx.texts, ctx.body.styles, ctx.outcome
    body.paragraph(styles.part_heading, t("introduction_heading"), page_break_before=True)
    for text in t.paragraphs(
        "introduction",
        title=ctx.options.title,
        venue=ctx.options.venue,
        dates=ctx.options.dates,
        organizers=ctx.options.organizers,
        groups=[g.group.name for g in outcome.groups],
        scope_group=outcome.scope_name,
    ):
        body.paragraph(styles.normal, text)

    delegations, observers = ctx.record.delegations, ctx.record.observers
    body.paragraph(styles.heading2, t("attendance_heading"))
    body.paragraph(styles.normal, t("attendance_lead", count=len(delegations)), keep_next=True)
    if delegations:
        body.table(
            [Column(t("delegation_column"), 3), Column(t("delegates_column"), 1, Align.RIGHT)],
            ([d.country_name, str(d.delegates)] for d in delegations),
            total=[t("total_label"), str(sum(d.delegates for d in delegations))],
            width=60,
        )
    if observers:
        body.paragraph(styles.normal, t("observers", names=list(observers)))

    body.paragraph(styles.heading2, t("rule_heading"))
    rule = ctx.options.rule
    body.paragraph(
        styles.normal, t("rule_statement", majority=rule.majority.value, quorum=rule.quorum)
    )
    _write_summary(ctx)


def _write_summary(ctx: Context) -> None:
    """How many recommendations each group submitted and adopted; which groups had none."""
    body, t, styles, outcome = ctx.body, ctx.texts, ctx.body.styles, ctx.outcome
    groups = outcome.with_recommendations
    if not groups:
        return
    body.paragraph(styles.heading2, t("summary_heading"))
    body.paragraph(styles.normal, t("summary_lead"), keep_next=True)
    body.table(
        [
            Column(t("group_column"), 46),
            Column(t("submitted_count_column"), 18, Align.RIGHT),
            Column(t("adopted_count_column"), 18, Align.RIGHT),
            Column(t("not_adopted_count_column"), 18, Align.RIGHT),
        ],
        ([g.group.name, str(len(g.by_number)), *_outcome_counts(ctx, g)] for g in groups),
        total=[
            t("total_label"),
            str(sum(len(g.by_number) for g in groups)),
            str(sum(len(g.adopted) for g in groups)),
            str(sum(len(g.not_adopted) for g in groups if not g.group.withheld)),
        ],
    )
    empty = outcome.without_recommendations
    if empty:
        body.paragraph(styles.normal, t("groups_without", names=[g.group.name for g in empty]))


def _outcome_counts(ctx: Context, group: GroupOutcome) -> list[str]:
    """Adopted, not adopted; none while its results are withheld (storage.visibility)."""
    if group.group.withheld:
        return [ctx.texts("no_count")] * 2
    return [str(len(group.adopted)), str(len(group.not_adopted))]
