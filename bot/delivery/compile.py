"""The compile job: build the Word document in a child process, upload it, record it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.notices import Notices
from bot.delivery.report_process import build_in_child, reason_of
from bot.report import ReportOptions
from bot.slack.clients import failure_reason
from bot.ui.render import render
from storage import compiles
from storage.actors import Actor
from storage.sessions import transaction

log = logging.getLogger(__name__)

UPLOAD_ATTEMPTS = 3


@dataclass(frozen=True)
class Compiles:
    """Builds outcome documents and uploads them where they were asked for."""

    session_factory: sessionmaker[Session]
    client: WebClient
    notices: Notices
    options: ReportOptions

    def compile_and_upload(self, actor: Actor, channel_id: str, group_key: str | None) -> None:
        """Build the document in a child process and upload it; tell the person if it fails."""
        stage = "built"
        try:
            built = build_in_child(self.session_factory, group_key, self.options)
            stage = "uploaded"
            filename = f"outcome-{group_key or 'workshop'}.docx"
            comment = render(
                "compile/comment.j2",
                group=built.group_name,
                recommendations=built.recommendations,
                adopted=built.adopted,
                votes=built.votes,
                status="Final" if built.is_final else "Draft",
            )
            response = self.upload(channel_id, built.content, filename, comment)
        except Exception as error:  # a job boundary: whatever failed, the person is told
            reason = failure_reason(error) if isinstance(error, SlackApiError) else reason_of(error)
            log.warning("compile failed", extra={"stage": stage, "error": reason})
            text = render("compile/failed.j2", stage=stage, error=reason, group_key=group_key)
            self.notices.ephemeral(channel_id, actor.user_id, text)
            return
        with transaction(self.session_factory) as session:
            compiles.record_compile(
                session,
                actor=actor,
                group_key=group_key,
                recommendations=built.recommendations,
                file_id=_file_id(response),
            )

    def upload(self, channel_id: str, content: bytes, filename: str, comment: str) -> Any:
        """files_upload_v2, retried with backoff.

        slack_sdk already retries the flow's Web API calls (429, 5xx, resets), but not the
        byte upload in the middle (a failed one raises urllib's HTTPError): retry the flow.
        """
        for attempt in range(1, UPLOAD_ATTEMPTS + 1):
            try:
                return self.client.files_upload_v2(
                    channel=channel_id,
                    content=content,
                    filename=filename,
                    title=filename,
                    initial_comment=comment,
                )
            except OSError:
                if attempt == UPLOAD_ATTEMPTS:
                    raise
            time.sleep(0.5 * 2**attempt)
        raise AssertionError("unreachable")


def _file_id(response: Any) -> str | None:
    files = response.get("files") if hasattr(response, "get") else None
    if isinstance(files, list) and files and isinstance(files[0], dict):
        return files[0].get("id")
    file = response.get("file") if hasattr(response, "get") else None
    return file.get("id") if isinstance(file, dict) else None
