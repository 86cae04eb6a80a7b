"""`/wg compile`: acknowledge at once, build the Word document in a child process, upload it."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import BoltContext
from slack_sdk.errors import SlackApiError

from bot.delivery.notices import ephemeral
from bot.delivery.report_options import report_options
from bot.delivery.report_process import build_in_child
from bot.runtime.services import Services
from bot.slack.clients import failure_reason
from bot.ui.render import render
from storage import compiles
from storage.actors import Actor
from storage.database import transaction
from storage.groups import group_by_key

log = logging.getLogger(__name__)


def start(ctx: BoltContext, services: Services, command: dict[str, Any], args: list[str]) -> str:
    """Check the role, queue the build, and return the acknowledgement text."""
    whole = bool(args) and args[0].lower() == "all"
    if args and not whole:
        return render("wg/usage_arg.j2", sub="compile", keys=[])
    channel_id = command["channel_id"]
    actor: Actor = ctx["actor"]
    group_key = compiles.authorize(
        ctx["session"], actor=actor, channel_id=channel_id, whole_workshop=whole
    )
    ctx["outbox"].on_commit(
        "compile", lambda: compile_and_upload(services, actor, channel_id, group_key)
    )
    group_name = group_by_key(ctx["session"], group_key).name if group_key else None
    return render("compile/started.j2", group=group_name)


def compile_and_upload(
    services: Services, actor: Actor, channel_id: str, group_key: str | None
) -> None:
    """Build the document in a child process and upload it; tell the person if it fails."""
    stage = "built"
    try:
        built = build_in_child(
            services.session_factory, group_key, report_options(services.settings)
        )
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
        response = upload(services, channel_id, built.content, filename, comment)
    except Exception as error:  # a job boundary: whatever failed, the person is told
        reason = _reason(error)
        log.warning("compile failed", extra={"stage": stage, "error": reason})
        ephemeral(
            services,
            channel_id,
            actor.user_id,
            render("compile/failed.j2", stage=stage, error=reason, group_key=group_key),
        )
        return
    file_id = _file_id(response)
    with transaction(services.session_factory) as session:
        compiles.record_compile(
            session,
            actor=actor,
            group_key=group_key,
            recommendations=built.recommendations,
            file_id=file_id,
        )


UPLOAD_ATTEMPTS = 3


def upload(services: Services, channel_id: str, content: bytes, filename: str, comment: str) -> Any:
    """files_upload_v2, retried with backoff.

    slack_sdk already retries the flow's Web API calls (429, 5xx, resets), but not the byte
    upload in the middle (a failed one raises urllib's HTTPError): retry the flow on those.
    """
    for attempt in range(1, UPLOAD_ATTEMPTS + 1):
        try:
            return services.client.files_upload_v2(
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


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return failure_reason(error)
    return str(error) or type(error).__name__


def _file_id(response: Any) -> str | None:
    files = response.get("files") if hasattr(response, "get") else None
    if isinstance(files, list) and files and isinstance(files[0], dict):
        return files[0].get("id")
    file = response.get("file") if hasattr(response, "get") else None
    return file.get("id") if isinstance(file, dict) else None
