"""Every setting is documented in .env.example, and .env.example loads as it stands."""

from __future__ import annotations

from pathlib import Path

from dotenv import dotenv_values

from bot.settings import Settings

ROOT = Path(__file__).parents[1]


def test_env_example_lists_every_setting_and_loads():
    values = dotenv_values(ROOT / ".env.example")
    assert set(values) == {name.upper() for name in Settings.model_fields}
    settings = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.organizer_user_ids == frozenset({"U0123ORG1", "U0123ORG2"})


def test_readme_gives_an_example_for_every_setting():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 20
    empty = [row.split("|")[1].strip() for row in rows if not row.split("|")[3].strip()]
    assert empty == []
