"""Read stage: bytes of a reply file to text, whatever encoding a Windows tool or a web page saved it in."""

from __future__ import annotations

import codecs
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
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
        return _check_text(text, name)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return _check_text(data.decode("utf-16"), name)
        except UnicodeDecodeError as exc:
            raise LoaderError(name, f"starts like UTF-16 but does not decode ({exc.reason})") from None
    if _looks_like_bomless_utf16(data):
        enc = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        return _check_text(data.decode(enc, errors="strict"), name)
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


def load_reply(path: str | Path) -> str:
    """Read one reply file from disk as text."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LoaderError(str(path), "does not exist") from None
    if path.is_dir():
        raise LoaderError(str(path), "is a folder, not a reply file")
    if size > MAX_BYTES:
        raise LoaderError(str(path), f"is {size / 1e6:.1f} MB, far larger than any reply",
                          "split it into one file per reply")
    return decode_reply(path.read_bytes(), str(path))
