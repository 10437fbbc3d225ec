"""Making text that came from a submission safe to show: in the terminal, JSON, CSV and HTML.

Learner code chooses its exception messages and what it prints; learners choose their file and
folder names. Any of these may hold a lone surrogate ("\\ud800", or an undecodable byte of a file
name that Python carries as "\\udcff"), which no UTF-8 writer accepts; terminal escape sequences
that recolour, retitle or clear the instructor's terminal; bidirectional-text controls that make
a line read differently from what it holds; or a leading "=" that a spreadsheet runs as a formula.

Every report goes through one of these, each built on `text`:

    text(value)      valid Unicode; control characters other than newline and tab shown escaped
                     ("\\x1b"), undecodable file-name bytes shown as "\\xff", length-capped
    line(value)      `text` on one line (newlines and tabs escaped too): the terminal
    path(value)      a file name or path (str, bytes or Path) as `line`: error messages
    html(value)      `text`, HTML-escaped: the feedback pages
    cell(value)      a CSV cell: numbers stay numbers; text that a spreadsheet would read as a
                     formula gets a leading apostrophe
    plain(value)     a JSON-ready copy of dicts, lists, numbers and strings, every string `text`

Escaping rather than deleting keeps what a learner wrote visible to the instructor, harmlessly.
"""
import html as _html
import math
import os
import re

TEXT_LIMIT = 20_000   # characters; a test's feedback is far shorter, a runaway print is not
LINE_LIMIT = 200

# C0 and C1 controls (ESC and the 8-bit CSI 0x9b start terminal escape sequences), DEL,
# bidirectional-text controls, and surrogates (never valid on their own)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_TEXT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match):
    if match.group() in _NAMED:
        return _NAMED[match.group()]
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:   # a byte that was not UTF-8, kept by os.fsdecode: show the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _as_str(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "surrogateescape")
    if isinstance(value, os.PathLike):
        return os.fsdecode(value)
    try:
        return str(value)
    except Exception:   # a str() that raises must not stop a report
        return f"<{type(value).__name__} that cannot be shown>"


def _capped(value, limit):
    if len(value) <= limit:
        return value
    return f"{value[:limit]}... [{len(value) - limit} more characters]"


def text(value, limit=TEXT_LIMIT):
    """`value` as valid Unicode text, with newlines and tabs kept and every other control
    character shown escaped, at most `limit` characters (plus a note of how many were cut)."""
    return _UNSAFE_TEXT.sub(_escape, _capped(_as_str(value), limit))


def line(value, limit=LINE_LIMIT):
    """`text` on one line, for the terminal: newlines, tabs and carriage returns escaped too."""
    return _UNSAFE_LINE.sub(_escape, _capped(_as_str(value), limit))


def path(value, limit=LINE_LIMIT):
    """A file name or path, shown safely (bytes that are not UTF-8 as \\xNN)."""
    return line(value, limit)


def html(value, limit=TEXT_LIMIT):
    """`text`, HTML-escaped (quotes too, so it is safe inside an attribute)."""
    return _html.escape(text(value, limit), quote=True)


def cell(value):
    """A CSV cell. Numbers are kept as numbers; text on one line, with a leading apostrophe
    when a spreadsheet would otherwise read it as a formula (=, +, -, @, tab, CR)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else ""
    shown = line(value)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown


def plain(value, _depth=0):
    """A copy of `value` that `json.dumps(..., allow_nan=False)` always writes as valid UTF-8:
    strings through `text`, non-finite numbers as null, anything else as its text."""
    if _depth > 50:
        return "<nested too deeply to show>"
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {text(key, LINE_LIMIT): plain(item, _depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item, _depth + 1) for item in value]
    return text(value)
