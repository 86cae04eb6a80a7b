"""What an amendment changes, word by word: deleted words struck through, inserted in bold.

The differences come from diff-match-patch: texts are cut into words and the spaces and
punctuation between them, each token is mapped to one character (the library's
linesToChars technique, on word tokens instead of lines) and the library diffs those; two
edits separated only by spaces or punctuation are joined into one. Thai, Lao, Khmer (and Chinese, Japanese, Burmese) are
written without spaces between words: there the library's character diff, with semantic
cleanup, is used instead. The Word document's tracked changes (bot.report.revisions) use the
same differences.
"""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from bot.ui.render import escape_mrkdwn

DELETE, EQUAL, INSERT = -1, 0, 1
Diff = list[tuple[int, str]]

# A word (letters, digits and their combining marks), a run of spaces, or one other character.
_TOKEN = re.compile(r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]+|\s+|.", re.S)
_WORDS = re.compile(r"\w")
_NO_SPACES = re.compile(
    "[\u0e00-\u0eff"  # Thai, Lao
    "\u1780-\u17ff\u19e0-\u19ff"  # Khmer
    "\u1000-\u109f"  # Myanmar
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"  # Japanese kana, Chinese
)
_MARKS = {DELETE: "~", INSERT: "*"}
_ZWSP = "\u200b"  # lets Slack see a mark next to a letter (inside a word) as formatting
PIECE_MAX = 500  # characters of one marked piece: escaped, it still fits a section


def diff(before: str, after: str) -> Diff:
    """The differences from `before` to `after`: (DELETE | EQUAL | INSERT, text) pieces,
    whose EQUAL and DELETE texts make `before` and EQUAL and INSERT texts make `after`."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    if _NO_SPACES.search(before) or _NO_SPACES.search(after):
        found = dmp.diff_main(before, after)
        dmp.diff_cleanupSemantic(found)
        return [(op, text) for op, text in found if text]
    tokens = [""]  # index 0 unused, as in the library's linesToChars
    index: dict[str, int] = {}

    def encode(text: str) -> str:
        chars = []
        for token in _TOKEN.findall(text):
            if token not in index:
                index[token] = len(tokens)
                tokens.append(token)
            chars.append(chr(index[token]))
        return "".join(chars)

    encoded_before, encoded_after = encode(before), encode(after)
    found = dmp.diff_main(encoded_before, encoded_after, False)
    dmp.diff_charsToLines(found, tokens)
    return _joined(found)


def _joined(found: Diff) -> Diff:
    """Edits separated only by spaces or punctuation become one (`~a b~ *c d*`, not four),
    each edit its deleted words, then its inserted ones (whole words: the library's own
    merge would move common letters out of them)."""
    out: Diff = []
    deleted, inserted = "", ""
    for position, (op, text) in enumerate(found):
        inner = 0 < position < len(found) - 1
        if op == EQUAL and not (inner and (deleted or inserted) and not _WORDS.search(text)):
            out += [(DELETE, deleted)] if deleted else []
            out += [(INSERT, inserted)] if inserted else []
            deleted, inserted = "", ""
            out.append((EQUAL, text))
            continue
        if op != INSERT:
            deleted += text
        if op != DELETE:
            inserted += text
    out += [(DELETE, deleted)] if deleted else []
    out += [(INSERT, inserted)] if inserted else []
    return [(op, text) for op, text in out if text]


def mrkdwn_pieces(before: str, after: str) -> list[str]:
    """The change as escaped mrkdwn, in pieces that may be cut between (each mark closed):
    `~deleted~` struck through, `*inserted*` in bold, the rest as it is."""
    changes = diff(before, after)
    pieces: list[str] = []
    for position, (op, text) in enumerate(changes):
        if op == EQUAL:
            pieces.extend(escape_mrkdwn(part) for part in _cut(text))
            continue
        nxt = changes[position + 1] if position + 1 < len(changes) else None
        before_char = _last_char(pieces)
        replaces = op == INSERT and position > 0 and changes[position - 1][0] == DELETE
        if replaces and not text[0].isspace() and not changes[position - 1][1][-1].isspace():
            pieces.append(" ")  # `~old~ *new*`: a deletion and what replaces it apart
            before_char = " "
        after_char = nxt[1][0] if nxt is not None and nxt[0] == EQUAL else ""
        pieces.extend(_marked(text, _MARKS[op], before_char, after_char))
    return pieces


def mrkdwn_chunks(before: str, after: str, limit: int = 3000) -> list[str]:
    """`mrkdwn_pieces` packed into texts of at most `limit` characters (one section each)."""
    chunks: list[str] = []
    current = ""
    for piece in mrkdwn_pieces(before, after):
        if current and len(current) + len(piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    if current or not chunks:
        chunks.append(current)
    return chunks


def _marked(text: str, mark: str, before_char: str, after_char: str) -> list[str]:
    """`text` wrapped in `mark`, line by line (a mark cannot span lines) and around the
    visible part of each line (Slack ignores a mark next to a space)."""
    out: list[str] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number:
            out.append("\n")
            before_char = "\n"
        core = line.strip()
        if not core:
            out.append(escape_mrkdwn(line))
            continue
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()) :]
        last_line = number == len(lines) - 1
        parts = _cut(core)
        for i, part in enumerate(parts):
            opening = _ZWSP if i == 0 and not lead and _joins(before_char) else ""
            closing = ""
            if i == len(parts) - 1 and not trail and last_line and _joins(after_char):
                closing = _ZWSP
            shown = f"{opening}{mark}{escape_mrkdwn(part)}{mark}{closing}"
            out.append((escape_mrkdwn(lead) if i == 0 else "") + shown)
        if trail:
            out.append(escape_mrkdwn(trail))
    return out


def _cut(text: str) -> list[str]:
    """`text` in parts of at most PIECE_MAX characters, cut after a space where possible."""
    parts: list[str] = []
    while len(text) > PIECE_MAX:
        cut = text.rfind(" ", 0, PIECE_MAX) + 1 or PIECE_MAX
        parts.append(text[:cut])
        text = text[cut:]
    if text:
        parts.append(text)
    return parts


def _joins(char: str) -> bool:
    """A mark next to this character would not be seen as formatting by Slack."""
    return bool(char) and not char.isspace() and (char.isalnum() or char in "*~_`")


def _last_char(pieces: list[str]) -> str:
    for piece in reversed(pieces):
        if piece:
            return piece[-1]
    return ""
