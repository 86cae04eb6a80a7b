"""Annex III, amendments and revisions: each version and amendment of each recommendation
whose text changed, and the change from its submitted text to its final one as Word tracked
changes (`w:ins` / `w:del`), each attributed to the delegation whose version made it.

Attribution follows the text through its versions: each version's differences from the one
before (bot.ui.diff, word by word) are laid over the submitted text character by character,
so a word inserted by one delegation and deleted by a later one leaves no mark, and every
mark left names the delegation (its UN name) and the time of the version that made it.
Word's Review pane and LibreOffice list them as revisions; the body keeps the clean text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from bot.ui.diff import DELETE, EQUAL, INSERT, diff
from storage.models import as_utc
from storage.records import RecommendationRecord, RevisionRecord

from .context import Context
from .ooxml import Column, Span
from .outcome import RecommendationOutcome

FIRST_ID = 900_000  # revision marks' w:id, far above the bookmarks' (bot.report.toc)


@dataclass(frozen=True)
class Mark:
    """Who made a change, and when (a version's delegation and time)."""

    author: str
    date: str  # ISO 8601 in UTC, as w:date wants it


@dataclass(frozen=True)
class Piece:
    """A stretch of text: kept (no mark), inserted (`inserted`) or deleted (`deleted`)."""

    text: str
    inserted: Mark | None = None
    deleted: Mark | None = None


def tracked(revisions: Sequence[RevisionRecord]) -> list[Piece]:
    """The change from the first version's text to the last one's, each stretch marked by
    the version that inserted or deleted it (texts that came and went leave nothing)."""
    if not revisions:
        return []
    chars: list[tuple[str, Mark | None, Mark | None]] = [(c, None, None) for c in revisions[0].text]
    for before, after in itertools.pairwise(revisions):
        mark = Mark(author_of(after), as_utc(after.at).strftime("%Y-%m-%dT%H:%M:%SZ"))
        chars = _apply(chars, diff(before.text, after.text), mark)
    pieces: list[Piece] = []
    for (inserted, deleted), run in itertools.groupby(chars, key=lambda c: (c[1], c[2])):
        pieces.append(Piece("".join(c[0] for c in run), inserted, deleted))
    return pieces


def author_of(revision: RevisionRecord) -> str:
    """A version's author for Word: its delegation's UN name (or code), else its maker."""
    return revision.delegation_name or revision.delegation or revision.by_name


def write_revisions_annex(ctx: Context) -> None:
    """Annex III, when a recommendation's text was edited or amended (or an amendment was
    proposed to it)."""
    groups = [
        (group, [item for item in group.by_number if _has_history(item.rec)])
        for group in ctx.outcome.with_recommendations
    ]
    groups = [(group, items) for group, items in groups if items]
    if not groups:
        return
    body, t, styles = ctx.body, ctx.texts, ctx.body.styles
    body.paragraph(styles.annex_heading, t("annex_revisions_heading"), page_break_before=True)
    body.paragraph(styles.normal, t("annex_revisions_lead"))
    ids = itertools.count(FIRST_ID)
    for group, items in groups:
        body.paragraph(styles.heading2, group.group.name)
        for item in items:
            _write_history(ctx, item, ids)


def _write_history(ctx: Context, item: RecommendationOutcome, ids: Iterator[int]) -> None:
    body, t, styles, rec = ctx.body, ctx.texts, ctx.body.styles, item.rec
    heading = t("recommendation_heading", number=rec.number, title=rec.title or "")
    body.paragraph(styles.normal, Span(heading, bold=True), keep_next=True)
    if rec.revisions:
        body.paragraph(styles.normal, t("versions_lead", count=len(rec.revisions)), keep_next=True)
        body.table(
            [
                Column(t("version_column"), 10),
                Column(t("date_column"), 16),
                Column(t("made_by_column"), 34),
                Column(t("how_column"), 40),
            ],
            (
                [
                    t("version", number=r.version),
                    t("date", when=r.at),
                    _by(r.by_name, r.delegation_name),
                    t("revision_cause", cause=r.cause, amendment=r.amendment),
                ]
                for r in rec.revisions
            ),
        )
    if rec.amendments:
        body.paragraph(
            styles.normal, t("amendments_lead", count=len(rec.amendments)), keep_next=True
        )
        body.table(
            [
                Column(t("amendment_column"), 14),
                Column(t("proposed_by_column"), 30),
                Column(t("decision_column"), 16),
                Column(t("reason_column"), 40),
            ],
            (
                [
                    a.number,
                    _by(a.proposed_by, a.delegation_name),
                    t("amendment_state", state=a.state),
                    t("amendment_reasons", reason=a.reason, rejected=a.reject_reason),
                ]
                for a in rec.amendments
            ),
        )
    pieces = tracked(rec.revisions)
    if any(p.inserted or p.deleted for p in pieces):
        body.paragraph(
            styles.normal,
            Span(t("tracked_lead", last=rec.revisions[-1].version), italic=True),
            keep_next=True,
        )
        p = body.paragraph(styles.normal)
        write_tracked(ctx, p, pieces, ids)


def write_tracked(
    ctx: Context, p: etree._Element, pieces: Sequence[Piece], ids: Iterator[int]
) -> None:
    """Append `pieces` to paragraph `p`: kept text as runs, the others inside `w:ins` and
    `w:del` revision marks (deleted text in `w:delText`), script-aware runs throughout."""
    writer, mirror = ctx.body.writer, ctx.body.styles.normal.mirror
    for piece in pieces:
        mark = piece.inserted or piece.deleted
        if mark is None:
            writer.write(p, piece.text, mirror=mirror)
            continue
        tag = qn("w:ins") if piece.inserted else qn("w:del")
        holder = etree.SubElement(p, tag)
        holder.set(qn("w:id"), str(next(ids)))
        holder.set(qn("w:author"), mark.author)
        holder.set(qn("w:date"), mark.date)
        writer.write(holder, piece.text, mirror=mirror)
        if piece.deleted:
            for t in holder.iter(qn("w:t")):
                t.tag = qn("w:delText")


def _apply(
    chars: list[tuple[str, Mark | None, Mark | None]], changes: list[tuple[int, str]], mark: Mark
) -> list[tuple[str, Mark | None, Mark | None]]:
    """Lay one version's differences over the marked characters (deleted ones are skipped
    when matching, and kept in place)."""
    out: list[tuple[str, Mark | None, Mark | None]] = []
    position = 0

    def live() -> Iterator[tuple[str, Mark | None, Mark | None]]:
        nonlocal position
        while position < len(chars):
            item = chars[position]
            position += 1
            if item[2] is None:
                yield item
                return
            out.append(item)  # deleted earlier: stays where it was

    for op, text in changes:
        if op == INSERT:
            out.extend((c, mark, None) for c in text)
            continue
        for _ in text:
            item = next(live(), None)
            if item is None:
                break
            if op == EQUAL:
                out.append(item)
            elif op == DELETE and item[1] is None:  # submitted text: shown deleted
                out.append((item[0], None, mark))
            # inserted by an earlier version and deleted now: no trace
    out.extend(chars[position:])
    return out


def _has_history(rec: RecommendationRecord) -> bool:
    return bool(rec.revisions or rec.amendments)


def _by(name: str, delegation: str | None) -> str:
    return f"{name} ({delegation})" if delegation else name
