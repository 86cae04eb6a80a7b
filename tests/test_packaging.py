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
