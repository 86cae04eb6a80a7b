"""Split text into runs by writing system, so each run can carry the right font slot."""

from __future__ import annotations

import re
from enum import StrEnum


class Script(StrEnum):
    """The writing systems the outcome document sets in their own fonts."""

    LATIN = "latin"  # Latin (incl. Vietnamese, Tagalog), digits, punctuation, the rest
    KHMER = "khmer"
    LAO = "lao"
    THAI = "thai"
    HANGUL = "hangul"  # Hangul and the CJK characters Korean text may carry


_CLASSES = {
    Script.KHMER: "\u1780-\u17ff\u19e0-\u19ff",
    Script.LAO: "\u0e80-\u0eff",
    Script.THAI: "\u0e00-\u0e7f",
    Script.HANGUL: (
        "\u1100-\u11ff\u3000-\u303f\u3130-\u318f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
        "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff00-\uffef"
    ),
}
# Characters every script font covers (the Noto Khmer/Lao/Thai fonts hold only these
# outside their own block): they join the run around them instead of starting a new one.
_NEUTRAL = (
    "\t\n \u00a0\u200b-\u200d\u2060"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_NEUTRAL_NAME = "neutral"
_TOKENS = re.compile(
    "|".join(
        [f"(?P<{script.value}>[{chars}]+)" for script, chars in _CLASSES.items()]
        + [f"(?P<{_NEUTRAL_NAME}>[{_NEUTRAL}]+)"]
    )
)


def split_scripts(text: str) -> list[tuple[Script, str]]:
    """Split `text` into maximal (script, text) runs; spaces and marks join their neighbours."""
    if not text:
        return []
    runs: list[list[object]] = []
    leading = ""  # neutral characters seen before any script character
    pos = 0

    def add(script: Script, chunk: str) -> None:
        nonlocal leading
        if runs and runs[-1][0] is script:
            runs[-1][1] += chunk  # type: ignore[operator]
        else:
            runs.append([script, leading + chunk])
            leading = ""

    for match in _TOKENS.finditer(text):
        if match.start() > pos:
            add(Script.LATIN, text[pos : match.start()])
        kind = match.lastgroup
        chunk = match.group()
        if kind == _NEUTRAL_NAME:
            if runs:
                runs[-1][1] += chunk  # type: ignore[operator]
            else:
                leading += chunk
        else:
            add(Script(kind), chunk)
        pos = match.end()
    if pos < len(text):
        add(Script.LATIN, text[pos:])
    if leading:  # the text held nothing but neutral characters
        runs.append([Script.LATIN, leading])
    return [(script, chunk) for script, chunk in runs]  # type: ignore[misc]
