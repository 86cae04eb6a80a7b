"""files.* Web API methods of the external upload flow (used by files_upload_v2)."""

from __future__ import annotations

import mimetypes
import time

from bot.emulator.apicore import ApiError, Ctx, Json
from bot.emulator.state import BOT_USER_ID, TEAM_DOMAIN, Upload


def files_get_upload_url(ctx: Ctx) -> Json:
    """files.getUploadURLExternal: reserve a file id and an upload URL on the emulator."""
    filename = str(ctx.require("filename"))
    try:
        length = int(ctx.require("length"))
    except ValueError as exc:
        raise ApiError("invalid_arguments", ["length must be an integer"]) from exc
    if length < 1:
        raise ApiError("invalid_arguments", ["length must be at least 1"])
    file_id = ctx.state.next_id("F", 10)
    with ctx.state.lock:
        ctx.state.uploads[file_id] = Upload(file_id=file_id, filename=filename, length=length)
    return {"upload_url": f"{ctx.base_url}/upload/{file_id}", "file_id": file_id}


def files_complete_upload(ctx: Ctx) -> Json:
    """files.completeUploadExternal: finish uploads whose bytes arrived; share to a channel."""
    files = ctx.require("files")
    if not isinstance(files, list) or not all(isinstance(f, dict) and f.get("id") for f in files):
        raise ApiError("invalid_arguments", ["files must be a JSON array of {id, title}"])
    channel_id = ctx.params.get("channel_id") or (ctx.params.get("channels") or "").split(",")[0]
    if ctx.params.get("thread_ts") and not channel_id:
        raise ApiError("invalid_arguments", ["thread_ts requires channel_id"])
    out = []
    now = int(time.time())
    with ctx.state.lock:
        uploads = [ctx.state.uploads.get(str(f["id"])) for f in files]
        for upload in uploads:
            if upload is None or upload.content is None:
                raise ApiError("file_not_found")
        for spec, upload in zip(files, uploads, strict=True):
            assert upload is not None and upload.content is not None
            upload.title = spec.get("title") or upload.filename
            upload.channel_id = channel_id or None
            upload.initial_comment = ctx.params.get("initial_comment")
            upload.thread_ts = ctx.params.get("thread_ts")
            upload.completed = True
            out.append(file_object(ctx, upload, now))
    return {"files": out}


def file_object(ctx: Ctx, upload: Upload, now: int) -> Json:
    """Build the file object Slack returns for a completed upload."""
    mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    return {
        "id": upload.file_id,
        "created": now,
        "timestamp": now,
        "name": upload.filename,
        "title": upload.title,
        "mimetype": mimetype,
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "binary",
        "user": BOT_USER_ID,
        "size": len(upload.content or b""),
        "mode": "hosted",
        "is_external": False,
        "url_private": f"{ctx.base_url}/_emulator/uploads/{upload.file_id}",
        "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{upload.file_id}",
    }
