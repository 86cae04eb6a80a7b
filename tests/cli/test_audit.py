"""`rapporteur audit`: --since means one instant whatever its offset; --group must exist."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.cli import main
from storage.models import AuditEntry

EARLIER = datetime(2026, 11, 25, 23, 59, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 0, 34, 15, tzinfo=UTC)


@pytest.fixture
def two_entries(session_factory) -> None:
    with session_factory.begin() as session:
        for at, target in ((EARLIER, "before"), (LATER, "after")):
            session.add(
                AuditEntry(at=at, actor_user_id="UORG1", action="link", target=target, detail={})
            )


def targets(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["audit", *args]) == 0
    return [line.split()[4] for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    "since",
    [
        "2026-11-26T00:34:15Z",
        "2026-11-26T00:34:15+00:00",
        "2026-11-26T07:34:15+07:00",
        "2026-11-25T19:34:15-05:00",
        "2026-11-26T00:34:15",  # no offset: UTC
    ],
)
def test_since_is_one_instant_whatever_its_offset(cli_env, two_entries, capsys, since):
    assert targets(capsys, "--since", since) == ["after"]


def test_since_excludes_what_came_before_it(cli_env, two_entries, capsys):
    assert targets(capsys, "--since", "2026-11-26T07:34:16+07:00") == []
    assert targets(capsys, "--since", "2026-11-26T06:59:00+07:00") == ["before", "after"]
    assert targets(capsys, "--since", "2026-11-25") == ["before", "after"]


def test_unknown_group_is_refused_like_compile(cli_env, capsys):
    assert main(["audit", "--group", "nope"]) == 2
    audit_err = capsys.readouterr().err
    assert "unknown group 'nope'" in audit_err and "e-evidence" in audit_err
    assert main(["compile", "--group", "nope", "--out", "x.docx"]) == 2
    assert capsys.readouterr().err == audit_err


def test_help_says_a_naive_since_is_utc(capsys):
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    assert "taken as UTC" in " ".join(capsys.readouterr().out.split())
