"""The outcome document, built in a short-lived child process.

Building a workshop's document is about a second of pure-Python work. In a serving worker
that second holds the GIL against the clicks the worker is acknowledging, and the memory
it takes (about 90 MB at the base size, 1.4 GB at 16×) stays with the worker afterwards:
CPython does not hand freed memory back to the system. A child process gives both back
when it exits. The worker sends the child the database URL, the group and the report
options; the child reads the record from a read-only snapshot (no vote waits for it),
builds the .docx and, when the options ask for a PDF, lays it out in LibreOffice (the PDF,
and the page numbers of the contents), and sends back the bytes and the counts of the upload
comment.

`python -m bot.delivery.report_process` is the child: a pickled `BuildRequest` on standard input,
a pickled `Built` or `BuildFailed` on standard output.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.report import ReportOptions, build_outcome_document
from bot.report.finishing import finish
from bot.report.libreoffice import ConversionError
from bot.ui.render import render
from storage.engines import make_engine
from storage.reports import workshop_record
from storage.rules import set_default_procedure
from storage.sessions import make_session_factory, snapshot
from storage.visibility import set_defaults as set_visibility_defaults

log = logging.getLogger(__name__)

CHILD_COMMAND = [sys.executable, "-m", "bot.delivery.report_process"]
USAGE = (
    "bot.delivery.report_process: the outcome document's build process for `/wg compile`; the app "
    "starts it and writes its request on standard input. To build a document yourself: "
    "rapporteur compile --out outcome.docx"
)
TIMEOUT_S = 600  # the 16× workshop (9,600 recommendations) builds in about 15 s
PDF_TIMEOUT_S = 300  # LibreOffice's time at most; past it the .docx goes up without its PDF
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# One build at a time per process: each takes a core and its own memory.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class BuildRequest:
    """What the child needs: where the record is, which part of it, and how to write it."""

    database_url: str
    group_key: str | None
    options: ReportOptions


@dataclass(frozen=True)
class Built:
    """The document (and its PDF) and the counts its upload comment gives."""

    content: bytes
    group_name: str | None
    recommendations: int
    adopted: int
    votes: int
    is_final: bool
    pdf: bytes | None = None
    pdf_error: str | None = None  # why the PDF asked for could not be made
    # Counted apart from `recommendations` (and their votes from `votes`): they no longer count.
    withdrawn: int = 0
    merged: int = 0
    withheld: int = 0  # recommendations whose results are withheld (storage.visibility)


class BuildFailed(Exception):
    """The document could not be built; the message says why, for the person who asked."""


def build(factory: sessionmaker[Session], group_key: str | None, options: ReportOptions) -> Built:
    """Read the record from a snapshot and build the document (and its PDF), in this process."""
    set_default_procedure(factory, options.procedure)  # for groups that chose none
    set_visibility_defaults(factory, tallies=options.tallies, ballots=options.ballots)
    with snapshot(factory) as session:
        record = workshop_record(session, group_key=group_key)
    content = build_outcome_document(record, options)
    pdf = pdf_error = None
    if options.pdf:
        try:
            finished = finish(content, options.fonts, timeout=PDF_TIMEOUT_S)
        except ConversionError as error:  # the .docx is still worth uploading
            log.warning("outcome PDF failed", extra={"error": str(error)})
            pdf_error = reason_of(error)
        else:
            content, pdf = finished.docx, finished.pdf
    every = [r for g in record.groups for r in g.recommendations]
    recs = [r for r in every if r.counted]  # neither withdrawn nor merged
    return Built(
        content=content,
        pdf=pdf,
        pdf_error=pdf_error,
        group_name=record.groups[0].name if group_key else None,
        recommendations=len(recs),
        adopted=sum(1 for r in recs if r.adopted(options.rule)),
        votes=sum(r.counts.cast for r in recs),
        is_final=record.is_final,
        withdrawn=sum(1 for r in every if r.status == "withdrawn"),
        merged=sum(1 for r in every if r.status == "merged"),
        withheld=sum(1 for r in recs if r.withheld),
    )


def build_in_child(
    factory: sessionmaker[Session], group_key: str | None, options: ReportOptions
) -> Built:
    """Build the document in a child process; raise BuildFailed saying why it could not."""
    url = factory.kw["bind"].url
    request = BuildRequest(url.render_as_string(hide_password=False), group_key, options)
    with _ONE_AT_A_TIME:
        try:
            done = subprocess.run(
                CHILD_COMMAND,
                input=pickle.dumps(request),
                capture_output=True,
                timeout=TIMEOUT_S,
                env=_child_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise BuildFailed(
                render("compile/build_stopped.j2", minutes=max(1, TIMEOUT_S // 60))
            ) from error
    result = _result(done.stdout) if done.returncode == 0 else None
    if isinstance(result, Built):
        return result
    if isinstance(result, BuildFailed):
        raise result
    stderr = done.stderr.decode("utf-8", "replace").strip()
    log.warning(
        "outcome document child failed", extra={"status": done.returncode, "stderr": stderr[-2000:]}
    )
    raise BuildFailed(render("compile/build_stopped.j2", status=done.returncode))


def _result(stdout: bytes) -> object:
    try:
        return pickle.loads(stdout)
    except Exception:  # a truncated or foreign output is a failed build, reported as such
        return None


def _child_environment() -> dict[str, str]:
    """This process's environment, with the project importable wherever the child starts."""
    env = dict(os.environ)
    paths = [str(PROJECT_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


def reason_of(error: BaseException) -> str:
    """A failure in a few words: its message, or its kind when it has none."""
    return str(error) or type(error).__name__


def main() -> int:
    """The child: read a request from stdin, write a Built or a BuildFailed to stdout."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not corrupt the result
    try:
        request = pickle.load(sys.stdin.buffer)
    except Exception:  # started by hand, or fed something else
        request = None
    if not isinstance(request, BuildRequest):
        print(USAGE, file=sys.stderr)
        return 2
    engine = make_engine(request.database_url, pool_size=1)
    result: Built | BuildFailed
    try:
        result = build(make_session_factory(engine), request.group_key, request.options)
    except Exception as error:  # the process boundary: the parent tells the person why
        result = BuildFailed(reason_of(error))
    finally:
        engine.dispose()
    pickle.dump(result, out)
    out.flush()
    return 0


if __name__ == "__main__":
    # Run the imported module, not this `__main__` copy, so that what is pickled names
    # bot.delivery.report_process's classes, which the parent knows.
    from bot.delivery.report_process import main as child_main

    sys.exit(child_main())
