"""The fixed wording of the outcome document, rendered from templates/word/outcome-texts.j2.

Wording the Slack card shows too (the tally) comes from templates/shared, which the template
imports as ``shared/wording.j2``; the Slack messages load the same file the same way.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from templates.shared import shared_loader

TEXTS_FILE = "outcome-texts.j2"


def default_template_dir() -> Path:
    """The directory holding the default Word template and wording (templates/word)."""
    return Path(str(resources.files("templates.word")))


class Texts:
    """Calls the wording macros by name: ``texts("rapporteur", name=None)``."""

    def __init__(self, directory: Path | None = None) -> None:
        env = Environment(
            loader=ChoiceLoader(
                [shared_loader(), FileSystemLoader(directory or default_template_dir())]
            ),
            autoescape=False,
            undefined=StrictUndefined,
            keep_trailing_newline=False,
        )
        self._module = env.get_template(TEXTS_FILE).module

    def __call__(self, name: str, /, **values: Any) -> str:
        """The text of macro `name` rendered with `values`."""
        return str(getattr(self._module, name)(**values)).strip()

    def paragraphs(self, name: str, /, **values: Any) -> list[str]:
        """Like calling, split into paragraphs at blank lines."""
        text = self(name, **values)
        return [part.strip() for part in text.split("\n\n") if part.strip()]
