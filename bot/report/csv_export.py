"""The CSV export: one row per recommendation, as `/wg export` uploads it and
`rapporteur export --format csv` writes it.

UTF-8 with a byte order mark, so that Excel reads every script (Khmer, Lao, Thai, Hangul,
Vietnamese…) as such; fields quoted as Python's `csv` module does by default (the `excel`
dialect: commas, QUOTE_MINIMAL, CRLF line ends). Texts are verbatim. Times are ISO 8601 in
the workshop's time zone, with its offset. The header and the words of the cells are in
templates/messages/labels.toml (`export_columns`, `export_cells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.ui.labels import labels
from storage.exports import ExportRow

BOM = "\ufeff"


def csv_bytes(rows: Sequence[ExportRow], zone: str = "UTC") -> bytes:
    """The CSV file of these rows, as bytes (UTF-8 with a BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # the default dialect: QUOTE_MINIMAL
    writer.writerow(list(labels()["export_columns"].values()))
    where = ZoneInfo(zone)
    for row in rows:
        writer.writerow(cells(row, where))
    return (BOM + buffer.getvalue()).encode("utf-8")


def cells(row: ExportRow, zone: ZoneInfo) -> list[str]:
    """One row's cells, in the order of the header."""
    words = labels()["export_cells"]
    join = words["separator"].join
    if row.counts is not None:
        counts = [str(row.counts.support), str(row.counts.oppose), str(row.counts.abstain)]
    elif row.outcome == "withheld":
        counts = [words["withheld"]] * 3
    else:
        counts = ["", "", ""]
    return [
        row.number,
        row.group,
        row.title or "",
        row.text,
        row.author,
        row.delegation or "",
        row.procedure,
        *counts,
        join(row.objections) if row.objections is not None else "",
        _outcome(row, words),
        words[f"status_{row.status}"],
        join(row.reservations),
        str(row.comments),
        row.last_change.astimezone(zone).isoformat(timespec="seconds"),
    ]


def _outcome(row: ExportRow, words: dict[str, str]) -> str:
    if row.status == "merged":
        return words["outcome_merged"].format(number=row.merged_into or "")
    if row.status == "withdrawn":
        return words["outcome_withdrawn"]
    return words[f"outcome_{row.outcome}"] if row.outcome else ""
