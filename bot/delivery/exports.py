"""The export job: read the rows, write the CSV, upload it to the channel, record it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.compile import Upload
from bot.delivery.notices import Notices
from bot.report.csv_export import csv_bytes
from bot.slack.clients import failure_reason
from bot.ui.render import render
from storage.actors import Actor
from storage.exports import export_rows, record_export
from storage.groups import group_by_key
from storage.rules import AdoptionRule
from storage.sessions import snapshot, transaction

log = logging.getLogger(__name__)

# Compiles.upload (bot.delivery.compile): files v2, one share with one comment, retried.
UploadFiles = Callable[[str, list[Upload], str], Any]


@dataclass(frozen=True)
class Exports:
    """Uploads the CSV export of a group, or of every group, to a channel."""

    session_factory: sessionmaker[Session]
    upload: UploadFiles
    notices: Notices
    rule: AdoptionRule
    zone: str  # WORKSHOP_TIMEZONE: the times in the file

    def run(self, actor: Actor, channel_id: str, group_key: str | None) -> None:
        """Build the CSV from a snapshot and upload it; tell the person if it fails."""
        stage, group_name = "written", None
        try:
            with snapshot(self.session_factory) as session:
                rows = export_rows(session, rule=self.rule, group_key=group_key)
                group_name = group_by_key(session, group_key).name if group_key else None
            content = csv_bytes(rows, self.zone)
            stage = "uploaded"
            withheld = sorted({r.group for r in rows if r.outcome == "withheld"})
            comment = render(
                "export/comment.j2", group=group_name, rows=len(rows), withheld=withheld
            )
            filename = f"recommendations-{group_key or 'workshop'}.csv"
            response = self.upload(channel_id, [Upload(content, filename)], comment)
        except Exception as error:  # a job boundary: whatever failed, the person is told
            reason = failure_reason(error) if isinstance(error, SlackApiError) else str(error)
            log.warning("export failed", extra={"stage": stage, "error": reason})
            text = render("export/failed.j2", stage=stage, error=reason, group=group_name)
            self.notices.ephemeral(channel_id, actor.user_id, text)
            return
        with transaction(self.session_factory) as session:
            record_export(
                session, actor=actor, group_key=group_key, rows=len(rows), file_id=_id(response)
            )


def _id(response: Any) -> str | None:
    files = response.get("files") if hasattr(response, "get") else None
    if isinstance(files, list) and files and isinstance(files[0], dict):
        return files[0].get("id")
    return None
