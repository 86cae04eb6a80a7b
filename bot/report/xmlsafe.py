"""Make user text safe for WordprocessingML without changing what the reader sees."""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold: C0 controls other than tab/newline/carriage return,
# lone surrogates, and the two noncharacters U+FFFE/U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\x85")


def xml_safe(text: str) -> str:
    """Return `text` without characters XML cannot hold, newlines normalised to "\\n"."""
    return _NEWLINES.sub("\n", _XML_INVALID.sub("", text))
