"""`rapporteur doctor`: is any acknowledged work stuck? Plain text for an operator; exit 1 if so.

It reads the database every instance shares: the live instances, the scheduled jobs
(storage.schedule), the compile requests (storage.compile_requests) and the cards that lag
behind their tally or were never posted. Stuck means someone should look: a failed job or
compile, a job overdue by more than a minute, a recurring job that keeps failing, a card
never posted a minute after its submission, or cards behind their tally with no live
instance to bring them up to date. `--repair` puts failed jobs back to pending.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage import compile_requests, instances
from storage import schedule as jobs
from storage.compile_requests import CompileRequest
from storage.models import Group, Instance, Recommendation, WorkState, as_utc, utcnow
from storage.schedule import ScheduledJob
from storage.sessions import make_session_factory, transaction

STUCK_AFTER = timedelta(seconds=60)  # overdue work, or a card never posted, this long: stuck
UNPOSTED_AFTER = timedelta(seconds=30)  # a card not posted this long after its submission
LISTED = 20  # lines per section at most


@dataclass(frozen=True)
class UnpostedCard:
    number: str
    created_at: datetime


@dataclass
class Health:
    """What the doctor saw, and what of it is stuck."""

    now: datetime
    live: list[Instance]
    jobs: list[ScheduledJob]
    next_due: datetime | None
    compiles: list[CompileRequest]
    cards_behind: int
    unposted: list[UnpostedCard]
    stuck: list[str] = field(default_factory=list)


def run_doctor(
    engine: Engine, *, repair: bool = False, now: datetime | None = None, out: TextIO | None = None
) -> int:
    """Report on the database behind `engine`; 0 if nothing is stuck, 1 otherwise."""
    out = out or sys.stdout
    now = as_utc(now or utcnow())
    behind = _schema_behind(engine)
    if behind:
        print(f"rapporteur doctor: {behind}", file=out)
        return 1
    with transaction(make_session_factory(engine)) as session:
        if repair:
            requeued = jobs.requeue_failed(session, now=now)
            print(
                f"Repair: {_count(requeued, 'failed scheduled job', 'failed scheduled jobs')} put back to pending.",
                file=out,
            )
        health = examine(session, now=now)
    out.write(render(health))
    if repair and any(r.state == WorkState.FAILED for r in health.compiles):
        print(
            "Failed compile requests are not run again (the person asked a while ago): tell"
            " them, or write the document with `rapporteur compile`.",
            file=out,
        )
    return 1 if health.stuck else 0


def examine(session: Session, *, now: datetime) -> Health:
    """Read the state of the shared work at `now` and judge what is stuck."""
    health = Health(
        now=now,
        live=instances.live(session, now=now),
        jobs=jobs.unfinished(session),
        next_due=jobs.next_due(session),
        compiles=compile_requests.unfinished(session),
        cards_behind=_cards_behind(session),
        unposted=_unposted_cards(session, before=now - UNPOSTED_AFTER),
    )
    health.stuck = _stuck(health)
    return health


def _stuck(health: Health) -> list[str]:
    now, live_ids = health.now, {i.id for i in health.live}
    failed = [j for j in health.jobs if j.state == WorkState.FAILED]
    overdue = [j for j in health.jobs if _overdue(j, now, live_ids)]
    failing = [
        j for j in health.jobs if j.state == WorkState.PENDING and j.attempts >= jobs.MAX_ATTEMPTS
    ]
    failed_compiles = [r for r in health.compiles if r.state == WorkState.FAILED]
    abandoned = [r for r in health.compiles if _abandoned(r, now, live_ids)]
    late_cards = [c for c in health.unposted if c.created_at < now - STUCK_AFTER]
    counts = [
        (len(failed), "failed scheduled job", "failed scheduled jobs"),
        (
            len(overdue),
            "scheduled job overdue by over a minute",
            "scheduled jobs overdue by over a minute",
        ),
        (
            len(failing),
            "recurring job failing again and again",
            "recurring jobs failing again and again",
        ),
        (len(failed_compiles), "failed compile request", "failed compile requests"),
        (len(abandoned), "compile request nobody took over", "compile requests nobody took over"),
        (
            len(late_cards),
            "card not posted a minute after submission",
            "cards not posted a minute after submission",
        ),
        # A live instance brings cards up to date within seconds; without one, nothing does.
        (
            0 if health.live else health.cards_behind,
            "card behind its tally and no live instance",
            "cards behind their tally and no live instance",
        ),
    ]
    return [_count(n, one, many) for n, one, many in counts if n]


def _overdue(job: ScheduledJob, now: datetime, live_ids: set[str]) -> bool:
    if job.due_at >= now - STUCK_AFTER:
        return False
    if job.state == WorkState.PENDING:
        return True
    held = job.claimed_by in live_ids and job.claimed_until is not None and job.claimed_until > now
    return job.state == WorkState.RUNNING and not held


def _abandoned(request: CompileRequest, now: datetime, live_ids: set[str]) -> bool:
    if request.state not in (WorkState.PENDING, WorkState.RUNNING):
        return False
    held = request.claimed_by in live_ids and (
        request.claimed_until is None or request.claimed_until > now
    )
    return not held and request.requested_at < now - STUCK_AFTER


def render(health: Health) -> str:
    """The report as plain text."""
    now = health.now
    lines = [f"Rapporteur doctor, {_clock(now)}", ""]
    lines.append(f"Instances: {len(health.live)} live")
    for i in health.live:
        lines.append(
            f"  {i.id}  {i.host} pid {i.pid}, up {_span(now - as_utc(i.started_at))},"
            f" heartbeat {_span(now - as_utc(i.heartbeat_at))} ago"
        )
    if not health.live:
        lines.append("  none: no scheduled work runs and no card is brought up to date")

    states = Counter(j.state for j in health.jobs)
    due = "nothing pending"
    if health.next_due is not None:
        wait = health.next_due - now
        when = f"in {_span(wait)}" if wait > timedelta(0) else f"{_span(-wait)} ago"
        due = f"next due {when} ({_clock(health.next_due)})"
    lines += ["", f"Scheduled jobs: {_states(states)}; {due}"]
    live_ids = {i.id for i in health.live}
    noted = [j for j in health.jobs if _noteworthy(j, now, live_ids)]
    lines += _listed([_job_line(j, now, live_ids) for j in noted])

    states = Counter(r.state for r in health.compiles)
    lines += ["", f"Compile requests: {_states(states)}"]
    lines += _listed([_compile_line(r, now) for r in health.compiles])

    lines += [
        "",
        "Cards: "
        + _count(
            health.cards_behind, "posted card behind its tally", "posted cards behind their tally"
        )
        + ", "
        + _count(
            len(health.unposted),
            "card not posted 30 s after submission",
            "cards not posted 30 s after submission",
        ),
    ]
    lines += _listed(
        [
            f"  not posted  {c.number}, submitted {_span(now - c.created_at)} ago"
            for c in health.unposted
        ]
    )
    lines.append("")
    if health.stuck:
        lines.append("STUCK: " + "; ".join(health.stuck))
    else:
        lines.append("Healthy: nothing stuck.")
    return "\n".join(lines) + "\n"


def _noteworthy(job: ScheduledJob, now: datetime, live_ids: set[str]) -> bool:
    return (
        job.state != WorkState.PENDING or job.last_error is not None or _overdue(job, now, live_ids)
    )


def _job_line(job: ScheduledJob, now: datetime, live_ids: set[str]) -> str:
    name = f"{job.kind}:{job.key}"
    if job.state == WorkState.RUNNING:
        holder = job.claimed_by if job.claimed_by in live_ids else f"{job.claimed_by} (dead)"
        text = f"  running     {name}  on {holder}, attempt {job.attempts}"
    elif job.state == WorkState.FAILED:
        text = f"  failed      {name}  after {_count(job.attempts, 'attempt', 'attempts')}"
    else:
        overdue = _overdue(job, now, live_ids)
        label = "overdue" if overdue else "retrying"
        due = job.due_at - now
        when = f"due {_span(-due)} ago" if due < timedelta(0) else f"due in {_span(due)}"
        text = (
            f"  {label:<10}  {name}  {when}, {_count(job.attempts, 'attempt', 'attempts')} so far"
        )
    if job.last_error:
        text += f"; last error: {_one_line(job.last_error)}"
    return text


def _compile_line(request: CompileRequest, now: datetime) -> str:
    what = request.group_key or "whole workshop"
    text = (
        f"  {request.state:<10}  #{request.id} {what}, asked by {request.user_id} in"
        f" {request.channel_id} {_span(now - request.requested_at)} ago"
    )
    if request.claimed_by:
        text += f", held by {request.claimed_by}"
    if request.error:
        text += f"; error: {_one_line(request.error)}"
    return text


def _cards_behind(session: Session) -> int:
    """Posted cards that show an older tally than the record holds."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Recommendation)
            .where(
                Recommendation.message_ts.is_not(None),
                Recommendation.tally_version > Recommendation.card_version,
            )
        )
        or 0
    )


def _unposted_cards(session: Session, *, before: datetime) -> list[UnpostedCard]:
    """Recommendations submitted before `before` whose card was never posted."""
    rows = session.execute(
        select(Group.code, Recommendation.seq, Recommendation.created_at)
        .join(Group, Group.id == Recommendation.group_id)
        .where(Recommendation.message_ts.is_(None), Recommendation.created_at < before)
        .order_by(Recommendation.created_at)
    )
    return [UnpostedCard(f"{code}-{seq}", as_utc(created)) for code, seq, created in rows]


def _schema_behind(engine: Engine) -> str | None:
    """Why the schema cannot be examined (not at this version's head), or None."""
    from alembic.script import ScriptDirectory

    from storage.schema import alembic_config, current_revision

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    current = current_revision(engine)
    if current == head:
        return None
    return f"the schema is at {current or 'base (empty)'}, this version needs {head}: run `rapporteur db upgrade`"


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= LISTED:
        return lines
    return [*lines[:LISTED], f"  … and {len(lines) - LISTED} more"]


def _states(counts: Counter[str]) -> str:
    order = (WorkState.PENDING, WorkState.RUNNING, WorkState.FAILED)
    return ", ".join(f"{counts.get(state, 0)} {state}" for state in order)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172_800:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86_400} days"


def _clock(when: datetime) -> str:
    return as_utc(when).strftime("%Y-%m-%d %H:%M:%S UTC")


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
