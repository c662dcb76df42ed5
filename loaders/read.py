"""Read stage: bytes of a reply file to text, whatever encoding a Windows tool or a web page saved it in."""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from pathlib import Path

from loaders.errors import LoaderError

MAX_BYTES = 5 * 1024 * 1024  # a reply is a few KB; 5 MB is already a pasted archive or a whole site

# Magic numbers of files that get renamed .txt by mistake.
BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (perhaps a .docx or .xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"{\\rtf": "an RTF document",
}

# Tried in order after the BOM check: strict UTF-8 first (most web copies), then the Chinese legacy
# code pages. GB18030 decodes almost any byte string, so Big5 is preferred only when it gives
# clearly more common characters.
FALLBACK_ENCODINGS = ("utf-8", "gb18030", "big5")


def decode_reply(data: bytes, name: str) -> str:
    """Decode the bytes of one reply; raise LoaderError naming the file if it is not text."""
    if len(data) > MAX_BYTES:
        raise LoaderError(name, f"is {len(data) / 1e6:.1f} MB, far larger than any reply",
                          "split it into one file per reply")
    for magic, what in BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise LoaderError(name, f"is {what}, not a text reply", "save the reply as plain text (.txt)")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise LoaderError(name, f"starts like UTF-8 but does not decode at byte {exc.start} ({exc.reason})",
                              "re-save it as UTF-8 text") from None
        return _check_text(text, name)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return _check_text(data.decode("utf-16"), name)
        except UnicodeDecodeError as exc:
            raise LoaderError(name, f"starts like UTF-16 but does not decode ({exc.reason})",
                              "re-save it as UTF-8 text") from None
    if _looks_like_bomless_utf16(data):
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        try:
            return _check_text(data.decode(enc, errors="strict"), name)
        except UnicodeDecodeError as exc:
            # A lone surrogate (half of a pair cut off by an editor) is not text.
            raise LoaderError(name, f"looks like UTF-16 without a BOM but does not decode at byte {exc.start} "
                              f"({exc.reason})", "re-save it as UTF-8 text") from None
    if b"\x00" in data:
        raise LoaderError(name, "contains NUL bytes, so it is not a text reply",
                          "re-save it as UTF-8 text or remove the binary part")
    candidates = []
    for enc in FALLBACK_ENCODINGS:
        try:
            candidates.append((enc, data.decode(enc, errors="strict")))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise LoaderError(name, "is not text in UTF-8, GB18030/GBK, Big5 or UTF-16",
                          "re-save it as UTF-8 text")
    if candidates[0][0] == "utf-8":
        return _check_text(candidates[0][1], name)
    best = max(candidates, key=lambda c: _score_chinese(c[1]))
    return _check_text(best[1], name)


def _looks_like_bomless_utf16(data: bytes) -> bool:
    if len(data) < 4 or len(data) % 2:
        return False
    zeros_even, zeros_odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    return max(zeros_even, zeros_odd) > 0.3 * half and min(zeros_even, zeros_odd) < 0.05 * half


def _score_chinese(text: str) -> float:
    """Share of characters that are common CJK or ASCII; mis-decoded text is full of rare glyphs."""
    if not text:
        return 0.0
    common = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fa5" or ch in "，。、；：？！“”（）《》")
    return common / len(text)


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise LoaderError(name, "is empty", "copy the reply's text into it")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if "\x00" in text or controls > max(3, len(text) // 1000):
        raise LoaderError(name, "contains binary control bytes, so it is not a text reply",
                          "re-save it as UTF-8 text")
    return text


def describe_kind(mode: int) -> str:
    """What a non-regular file is, in words, for the message that refuses it."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, never following a link and never blocking on a FIFO or device.

    Reads at most limit + 1 bytes, so a file that grows (or a link swapped in after the check) cannot
    exhaust memory; raises LoaderError naming the file otherwise."""
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise LoaderError(str(path), "does not exist") from None
    except OSError as exc:
        raise LoaderError(str(path), f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise LoaderError(str(path), f"is {describe_kind(mode)}, not a regular file",
                          "put the file itself there, not a link, pipe or device")
    try:
        # O_NOFOLLOW and O_NONBLOCK: a link or FIFO swapped in after lstat fails or returns at once.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise LoaderError(str(path), f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LoaderError(str(path), "is not a regular file", "put the file itself there")
        try:
            return fh.read(limit + 1)
        except OSError as exc:
            raise LoaderError(str(path), f"cannot be read ({exc.strerror})") from None


def load_reply(path: str | Path) -> str:
    """Read one reply file from disk as text (regular files only, at most MAX_BYTES)."""
    path = Path(path)
    data = read_regular_file(path)
    if len(data) > MAX_BYTES:
        raise LoaderError(str(path), f"is more than {MAX_BYTES / 1e6:.1f} MB, far larger than any reply",
                          "split it into one file per reply")
    return decode_reply(data, str(path))


# Characters no file name may bring into raw_manifest.csv, a curation file or a message: every control character
# (C0, DEL, C1 such as U+0085), the line and paragraph separators (U+2028, U+2029), and the bidirectional
# controls, which reorder what a screen shows.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def name_problem(name: str) -> str:
    """Why a file name cannot go into raw_manifest.csv and data/raw/, or '' (an upload's and an import's name alike)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8"
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS:
            return f"its name holds U+{ord(ch):04X} ({unicodedata.name(ch, 'a control character').lower()})"
    return ""
