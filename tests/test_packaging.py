"""Everything under templates/ ships in the wheel (package data patterns cover it)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_package_data_covers_every_template_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    for package in ("templates", "storage", "bot"):
        for path in (ROOT / package).rglob("*"):
            if (
                path.is_file()
                and path.suffix not in (".py", ".pyc")
                and "__pycache__" not in path.parts
            ):
                assert any(fnmatch.fnmatch(path.name, p) for p in patterns), path


def test_demo_runs_from_the_built_wheel(tmp_path):
    """`pip install .` ships everything: the demo runs from the wheel's files alone."""
    import subprocess
    import sys
    import zipfile

    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("rapporteur-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "templates" / "messages" / "labels.toml").is_file()
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL"))
    }
    env["PYTHONPATH"] = str(site)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bot, sys; assert bot.__file__.startswith(sys.argv[1]), bot.__file__;"
            "from bot.cli import main; sys.exit(main(['demo', '--seed', '2', '--delegates', '12', '--out', 'o.docx']))",
            str(site),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (tmp_path / "o.docx").stat().st_size > 10_000
