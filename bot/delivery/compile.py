"""The compile job: build the Word document (and its PDF) in a child process, upload, record."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.notices import Notices
from bot.delivery.report_process import build_in_child, reason_of
from bot.report import ReportOptions
from bot.slack.clients import failure_reason
from bot.ui.render import render
from storage import compile_requests, compiles
from storage.actors import Actor
from storage.models import utcnow
from storage.sessions import transaction

log = logging.getLogger(__name__)

UPLOAD_ATTEMPTS = 3


RESERVED = timedelta(seconds=60)  # a new request is this instance's to start for this long
RUNNING = timedelta(minutes=15)  # a build (10 min at most) and its upload; a dead holder frees it


@dataclass(frozen=True)
class Upload:
    """One file of a compile's upload."""

    content: bytes
    filename: str


@dataclass(frozen=True)
class Compiles:
    """Builds outcome documents and uploads them where they were asked for.

    Each request is a row (storage.compile_requests) written with the command, so one that a
    crash interrupted is taken over by the sweep: run again, or, after too many tries, the
    person is told it failed and can ask again.
    """

    session_factory: sessionmaker[Session]
    client: WebClient
    notices: Notices
    options: ReportOptions
    instance_id: str

    def request(
        self, session: Session, *, actor: Actor, channel_id: str, group_key: str | None
    ) -> int:
        """Record the request in the command's transaction; `run` it after the commit."""
        return compile_requests.create(
            session,
            user_id=actor.user_id,
            channel_id=channel_id,
            group_key=group_key,
            instance_id=self.instance_id,
            now=utcnow(),
            lease=RESERVED,
        )

    def run(self, request_id: int, actor: Actor) -> None:
        """Claim the request and carry it out (nothing if another instance has it)."""
        with transaction(self.session_factory) as session:
            claimed = compile_requests.claim(
                session,
                request_id=request_id,
                instance_id=self.instance_id,
                now=utcnow(),
                lease=RUNNING,
            )
        if claimed is not None:
            self.compile_and_upload(actor, claimed.channel_id, claimed.group_key, claimed.id)

    def resume_abandoned(self) -> list[int]:
        """Take over requests whose instance died, and carry each out; their ids."""
        with transaction(self.session_factory) as session:
            taken = compile_requests.claim_abandoned(
                session, now=utcnow(), instance_id=self.instance_id, lease=RUNNING
            )
        for request in taken:
            actor = Actor(request.user_id)
            self.compile_and_upload(actor, request.channel_id, request.group_key, request.id)
        return [request.id for request in taken]

    def compile_and_upload(
        self, actor: Actor, channel_id: str, group_key: str | None, request_id: int | None = None
    ) -> None:
        """Build the document in a child process and upload it, with its PDF when the options
        ask for one; tell the person if it fails (the .docx goes up alone if only the PDF did)."""
        stage = "built"
        try:
            built = build_in_child(self.session_factory, group_key, self.options)
            stage = "uploaded"
            stem = f"outcome-{group_key or 'workshop'}"
            files = [Upload(built.content, f"{stem}.docx")]
            if built.pdf is not None:
                files.append(Upload(built.pdf, f"{stem}.pdf"))
            comment = render(
                "compile/comment.j2",
                group=built.group_name,
                recommendations=built.recommendations,
                adopted=built.adopted,
                votes=built.votes,
                status="Final" if built.is_final else "Draft",
                withdrawn=built.withdrawn,
                merged=built.merged,
                withheld=built.withheld,
            )
            response = self.upload(channel_id, files, comment)
        except Exception as error:  # a job boundary: whatever failed, the person is told
            reason = failure_reason(error) if isinstance(error, SlackApiError) else reason_of(error)
            log.warning("compile failed", extra={"stage": stage, "error": reason})
            text = render("compile/failed.j2", stage=stage, error=reason, group_key=group_key)
            self.notices.ephemeral(channel_id, actor.user_id, text)
            if request_id is not None:
                with transaction(self.session_factory) as session:
                    compile_requests.fail(
                        session,
                        request_id=request_id,
                        instance_id=self.instance_id,
                        error=reason,
                        now=utcnow(),
                    )
            return
        if built.pdf_error is not None:
            text = render("compile/pdf_failed.j2", error=built.pdf_error, group_key=group_key)
            self.notices.ephemeral(channel_id, actor.user_id, text)
        with transaction(self.session_factory) as session:
            if request_id is not None:
                compile_requests.finish(
                    session,
                    request_id=request_id,
                    instance_id=self.instance_id,
                    file_id=_file_id(response),
                    now=utcnow(),
                )
            compiles.record_compile(
                session,
                actor=actor,
                group_key=group_key,
                recommendations=built.recommendations,
                file_id=_file_id(response),
            )

    def upload(self, channel_id: str, files: list[Upload], comment: str) -> Any:
        """files_upload_v2 of every file in one share with one comment, retried with backoff.

        slack_sdk already retries the flow's Web API calls (429, 5xx, resets), but not the
        byte upload in the middle (a failed one raises urllib's HTTPError): retry the flow.
        """
        uploads = [
            {"content": f.content, "filename": f.filename, "title": f.filename} for f in files
        ]
        for attempt in range(1, UPLOAD_ATTEMPTS + 1):
            try:
                return self.client.files_upload_v2(
                    channel=channel_id, file_uploads=uploads, initial_comment=comment
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
