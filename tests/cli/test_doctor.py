"""`rapporteur doctor [--repair]`: what is stuck, on SQLite and PostgreSQL; exit 1 if anything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.cli import main
from storage import compile_requests, instances
from storage import schedule as jobs
from storage.models import Recommendation, utcnow
from storage.schema import downgrade, head_revision, upgrade
from tests.cli.shell import run
from tests.factories import linked_group, submitted

LEASE = timedelta(seconds=60)


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["doctor", *args])
    return code, capsys.readouterr().out


def ago(seconds: float):  # type: ignore[no-untyped-def]
    return utcnow() - timedelta(seconds=seconds)


@pytest.fixture
def live(session_factory) -> str:
    with session_factory.begin() as session:
        instances.register(session, instance_id="web-1-42-beef", host="web-1", pid=42, now=ago(0))
    return "web-1-42-beef"


def failed_job(session_factory, who: str = "gone") -> None:
    with session_factory.begin() as session:
        instances.register(session, instance_id=who, host="h", pid=1, now=ago(0))
        jobs.schedule(session, kind="post_card", key="42", due_at=ago(10))
        [job] = jobs.claim_due(session, now=ago(0), instance_id=who, lease=LEASE, limit=1)
        jobs.fail(
            session,
            job_id=job.id,
            instance_id=who,
            error="SlackApiError: channel_not_found",
            retry_at=None,
        )


def test_an_empty_database_is_healthy(cli_env, capsys):
    code, out = doctor(capsys)
    assert code == 0
    assert "Instances: 0 live" in out
    assert "Scheduled jobs: 0 pending, 0 running, 0 failed; nothing pending" in out
    assert "Compile requests: 0 pending, 0 running, 0 failed" in out
    assert out.rstrip().endswith("Healthy: nothing stuck.")


def test_work_in_progress_is_healthy(cli_env, capsys, session_factory, live):
    with session_factory.begin() as session:
        jobs.schedule(
            session, kind="close_group", key="e-evidence", due_at=utcnow() + timedelta(minutes=5)
        )
        jobs.schedule(session, kind="post_card", key="7", due_at=ago(120))
        jobs.claim_due(session, now=ago(0), instance_id=live, lease=LEASE, limit=10)
    code, out = doctor(capsys)
    assert code == 0, out
    assert "Instances: 1 live" in out and "web-1-42-beef  web-1 pid 42" in out
    assert "Scheduled jobs: 1 pending, 1 running, 0 failed; next due in " in out
    assert "running     post_card:7  on web-1-42-beef, attempt 1" in out
    assert "close_group" not in out, "future work is counted, not listed"


def test_a_failed_job_is_stuck_until_repaired(cli_env, capsys, session_factory, live):
    failed_job(session_factory)
    code, out = doctor(capsys)
    assert code == 1
    assert (
        "failed      post_card:42  after 1 attempt; last error: SlackApiError: channel_not_found"
        in out
    )
    assert "STUCK: 1 failed scheduled job" in out
    code, out = doctor(capsys, "--repair")
    assert out.startswith("Repair: 1 failed scheduled job put back to pending.")
    assert code == 0, out
    with session_factory() as session:
        job = jobs.get(session, kind="post_card", key="42")
        assert (job.state, job.attempts) == ("pending", 0)


def test_overdue_work_with_nobody_to_run_it_is_stuck(cli_env, capsys, session_factory):
    with session_factory.begin() as session:
        jobs.schedule(session, kind="close_group", key="e-evidence", due_at=ago(45))
    code, out = doctor(capsys)
    assert code == 0, "45 s late is not yet stuck"
    with session_factory.begin() as session:
        jobs.schedule(session, kind="close_group", key="e-evidence", due_at=ago(180))
    code, out = doctor(capsys)
    assert code == 1
    assert "overdue     close_group:e-evidence  due 180 min ago" not in out
    assert "overdue     close_group:e-evidence  due 3 min ago, 0 attempts so far" in out
    assert "Instances: 0 live" in out and "none: no scheduled work runs" in out
    assert "STUCK: 1 scheduled job overdue by over a minute" in out


def test_failed_compile_requests_are_reported_not_rerun(cli_env, capsys, session_factory, live):
    with session_factory.begin() as session:
        request_id = compile_requests.create(
            session,
            user_id="URAP1",
            channel_id="CEE",
            group_key=None,
            instance_id=live,
            now=ago(300),
            lease=LEASE,
        )
        compile_requests.claim(
            session, request_id=request_id, instance_id=live, now=ago(300), lease=LEASE
        )
        compile_requests.fail(
            session, request_id=request_id, instance_id=live, error="upload refused", now=ago(290)
        )
    code, out = doctor(capsys, "--repair")
    assert code == 1
    assert "Compile requests: 0 pending, 0 running, 1 failed" in out
    assert f"failed      #{request_id} whole workshop, asked by URAP1 in CEE 300 s ago" not in out
    assert (
        f"failed      #{request_id} whole workshop, asked by URAP1 in CEE 5 min ago; error: upload refused"
        in out
    )
    assert "Failed compile requests are not run again" in out
    assert "STUCK: 1 failed compile request" in out


def test_a_compile_whose_instance_died_and_nobody_took_over(cli_env, capsys, session_factory):
    with session_factory.begin() as session:
        instances.register(session, instance_id="dead", host="h", pid=1, now=ago(120))
        compile_requests.create(
            session,
            user_id="URAP1",
            channel_id="CEE",
            group_key="e-evidence",
            instance_id="dead",
            now=ago(120),
            lease=timedelta(minutes=10),
        )
    code, out = doctor(capsys)
    assert code == 1 and "STUCK: 1 compile request nobody took over" in out


def test_cards_never_posted_and_cards_behind(cli_env, capsys, session_factory, live):
    with session_factory.begin() as session:
        linked_group(session)
        fresh = submitted(session, text="fresh").id
        late = submitted(session, text="late").id
        behind = submitted(session, text="behind").id
        for rec_id, age in ((fresh, 40), (late, 90), (behind, 600)):
            session.execute(
                update(Recommendation)
                .where(Recommendation.id == rec_id)
                .values(created_at=ago(age))
            )
        session.execute(
            update(Recommendation)
            .where(Recommendation.id == behind)
            .values(channel_id="CEE", message_ts="1.000001", tally_version=3, card_version=2)
        )
    code, out = doctor(capsys)
    assert "Cards: 1 posted card behind its tally, 2 cards not posted 30 s after submission" in out
    assert "not posted  EE-2, submitted 90 s ago" in out and "EE-1, submitted 40 s ago" in out
    assert code == 1 and "STUCK: 1 card not posted a minute after submission" in out
    with session_factory.begin() as session:
        session.execute(
            update(Recommendation)
            .where(Recommendation.id == late)
            .values(message_ts="2.000001", card_version=0)
        )
    assert doctor(capsys)[0] == 0, "cards behind are brought up to date by the live instance"
    with session_factory.begin() as session:
        instances.forget(session, instance_id=live)
    code, out = doctor(capsys)
    assert code == 1 and "1 card behind its tally and no live instance" in out


def test_a_schema_behind_this_version_says_how_to_fix_it(cli_env, capsys, engine):
    downgrade(engine, "0001")
    try:
        code, out = doctor(capsys)
    finally:
        upgrade(engine)  # the PostgreSQL database is shared by the session's tests
    assert code == 1
    need = head_revision()
    assert f"the schema is at 0001, this version needs {need}: run `rapporteur db upgrade`" in out


def test_as_a_shell_runs_it(session_factory, database_url, tmp_path):
    assert run("doctor", database_url=database_url, cwd=tmp_path).returncode == 0
    failed_job(session_factory)
    result = run("doctor", database_url=database_url, cwd=tmp_path)
    assert result.returncode == 1 and "STUCK: 1 failed scheduled job" in result.stdout
    assert run("doctor", "--repair", database_url=database_url, cwd=tmp_path).returncode == 0
