"""files_upload_v2 end to end: getUploadURLExternal, byte upload, completeUploadExternal."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import Emulator, EmulatorClient

PAYLOAD = bytes(range(256)) * 40  # binary, not UTF-8


def test_files_upload_v2_end_to_end(emulator: Emulator, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="C1",
        file=PAYLOAD,
        filename="report.docx",
        title="Final report",
        initial_comment="Here it is",
    )
    assert answer["file"]["name"] == "report.docx"
    assert answer["file"]["title"] == "Final report"
    assert answer["file"]["size"] == len(PAYLOAD)

    [upload] = emulator.uploads()
    assert upload["file_id"] == answer["file"]["id"]
    assert upload["content"] == PAYLOAD
    assert upload["channel_id"] == "C1"
    assert upload["initial_comment"] == "Here it is"
    assert upload["title"] == "Final report"

    [step1, step2, step3] = [c["method"] for c in emulator.calls()]
    assert (step1, step2, step3) == (
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    )
    assert emulator.calls("files.getUploadURLExternal")[0]["params"]["length"] == str(len(PAYLOAD))
    remote = EmulatorClient(emulator.url)
    assert remote.upload_bytes(upload["file_id"]) == PAYLOAD
    assert remote.uploads()[0]["size"] == len(PAYLOAD)
    assert "content" not in remote.uploads()[0]


def test_title_defaults_to_filename_and_threads(emulator: Emulator, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="parent")["ts"]
    client.files_upload_v2(channel="C1", content="a,b\n1,2\n", filename="t.csv", thread_ts=ts)
    [upload] = emulator.uploads()
    assert upload["title"] == "t.csv"
    assert upload["thread_ts"] == ts
    assert upload["content"] == b"a,b\n1,2\n"


def test_multipart_upload_is_accepted(emulator: Emulator, client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="x.bin", length=5)
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + b"\x00abc\xff"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        reserved["upload_url"],
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.read() == b"OK - 5"
    assert emulator.upload_bytes(reserved["file_id"]) == b"\x00abc\xff"


def test_completing_without_bytes_fails(client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="x.bin", length=5)
    with pytest.raises(SlackApiError) as err:
        client.files_completeUploadExternal(files=[{"id": reserved["file_id"], "title": "x"}])
    assert err.value.response["error"] == "file_not_found"
    with pytest.raises(SlackApiError) as err:
        client.files_getUploadURLExternal(filename="x.bin", length=0)
    assert err.value.response["error"] == "invalid_arguments"


def test_upload_fault_surfaces_as_http_error(emulator: Emulator, client: WebClient) -> None:
    emulator.fail("upload", status=503)
    with pytest.raises(urllib.error.HTTPError) as err:
        client.files_upload_v2(channel="C1", content="x", filename="a.txt")
    assert err.value.code == 503
    assert emulator.calls("upload")[0]["fault"] == {"status": 503}
    assert emulator.uploads() == []
    assert emulator.calls("files.completeUploadExternal") == []
