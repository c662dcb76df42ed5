"""Clean stage: repair the noise of copied web replies, record every repair, and keep a map back to the raw text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class Repair:
    kind: str
    raw_start: int
    raw_end: int
    removed: str  # raw text that the repair removed or replaced
    replacement: str
    reason: str


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with, for every character, the offset of the raw character it came from."""

    raw: str
    text: str
    offsets: tuple[int, ...]
    repairs: tuple[Repair, ...] = field(default=())

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw (start, end) covering cleaned text[start:end]."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def raw_quote(self, start: int, end: int) -> str:
        a, b = self.raw_span(start, end)
        return self.raw[a:b]


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    replacement: str
    kind: str
    reason: str


def _apply(state: CleanText, edits: list[_Edit]) -> CleanText:
    """Apply non-overlapping edits (in cleaned coordinates), keeping the offset map and logging repairs."""
    if not edits:
        return state
    edits = sorted(edits, key=lambda e: e.start)
    text_parts: list[str] = []
    offsets: list[int] = []
    repairs = list(state.repairs)
    pos = 0
    for e in edits:
        if e.start < pos:  # overlapping matches: the first one wins
            continue
        text_parts.append(state.text[pos:e.start])
        offsets.extend(state.offsets[pos:e.start])
        removed_len = e.end - e.start
        if len(e.replacement) == removed_len:
            new_offsets = state.offsets[e.start:e.end]
        else:
            anchor = state.offsets[e.start] if e.start < len(state.offsets) else len(state.raw)
            new_offsets = [anchor] * len(e.replacement)
        text_parts.append(e.replacement)
        offsets.extend(new_offsets)
        raw_start, raw_end = state.raw_span(e.start, e.end)
        repairs.append(Repair(e.kind, raw_start, raw_end, state.raw[raw_start:raw_end], e.replacement, e.reason))
        pos = e.end
    text_parts.append(state.text[pos:])
    offsets.extend(state.offsets[pos:])
    return CleanText(state.raw, "".join(text_parts), tuple(offsets), tuple(repairs))


# --- data files ---


@lru_cache(maxsize=1)
def load_spam_patterns() -> tuple[tuple[str, re.Pattern, re.Pattern, str], ...]:
    doc = yaml.safe_load((REFERENCE_DIR / "spam_patterns.yaml").read_text(encoding="utf-8"))
    return tuple(
        (p["name"], re.compile(p["regex"]), re.compile(p.get("require", ".")), p["reason"]) for p in doc["patterns"]
    )


@lru_cache(maxsize=1)
def load_furniture_patterns() -> tuple[tuple[str, re.Pattern, str], ...]:
    doc = yaml.safe_load((REFERENCE_DIR / "furniture_patterns.yaml").read_text(encoding="utf-8"))
    return tuple((p["name"], re.compile(p["regex"]), p["reason"]) for p in doc["line_patterns"])


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


# --- steps ---

def normalize_line_endings(state: CleanText) -> CleanText:
    """CRLF and lone CR become LF (Windows tools and old Mac exports)."""
    edits = [_Edit(m.start(), m.end(), "\n", "line_ending", "CRLF/CR line ending normalised to LF")
             for m in re.finditer(r"\r\n?", state.text)]
    return _apply(state, edits)


_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]+")
# Bidirectional controls (LRE/RLE/PDF/LRO/RLO, the isolates LRI/RLI/FSI/PDI, LRM/RLM and the Arabic letter
# mark): invisible, but one inside 3424家 splits the number and one after 民政局 hides the issuer; a
# hostile copy can also use them to make a figure read backwards on screen.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]+")


def remove_invisible(state: CleanText) -> CleanText:
    """Zero-width characters split words and numbers without showing on screen."""
    return _apply(state, [_Edit(m.start(), m.end(), "", "invisible", "zero-width character removed")
                          for m in _INVISIBLE.finditer(state.text)])


def remove_bidi_controls(state: CleanText) -> CleanText:
    """Bidirectional control characters split numbers and names and can reorder what the screen shows."""
    return _apply(state, [_Edit(m.start(), m.end(), "", "bidi_control", "bidirectional control character removed")
                          for m in _BIDI.finditer(state.text)])


_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e\u3000]+")


def normalize_fullwidth(state: CleanText) -> CleanText:
    """Full-width digits and letters (１２３４) become ASCII so numbers parse; one character each."""
    def half(s: str) -> str:
        return "".join(" " if ch == "\u3000" else chr(ord(ch) - 0xFEE0) for ch in s)

    return _apply(state, [_Edit(m.start(), m.end(), half(m.group()), "fullwidth", "full-width characters made ASCII")
                          for m in _FULLWIDTH.finditer(state.text)])


# A CJK character followed by its pinyin in brackets, as some sites' "traditional + pinyin" mode
# renders (Xuancheng 2024: 鄉(xiāng)村). Tone marks, ü, or numbered tones.
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,6}[1-5]?)[)）]"
)
_TONE = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ1-5]")


def strip_pinyin(state: CleanText) -> CleanText:
    """Remove pinyin glued after characters; only when the text shows the pattern with tone marks."""
    matches = list(_PINYIN.finditer(state.text))
    toned = [m for m in matches if _TONE.search(m.group(1))]
    if len(toned) < 2:  # a single "(a)" list marker is not a pinyin rendering
        return state
    return _apply(state, [_Edit(m.start(), m.end(), "", "pinyin", "pinyin glued after a character removed")
                          for m in matches])


def convert_to_simplified(state: CleanText) -> CleanText:
    """Traditional characters to simplified with OpenCC, character for character so offsets stay exact."""
    converted = _opencc().convert(state.text)
    if converted == state.text:
        return state
    if len(converted) != len(state.text):
        # Phrase-level conversions can change length; fall back to per-character conversion.
        converted = "".join(_opencc().convert(ch) if len(_opencc().convert(ch)) == 1 else ch for ch in state.text)
    if not is_traditional_text(state.text, converted):
        # A simplified text keeps every character of the simplified standard (GB 2312): OpenCC reads 乾 as
        # traditional 干 and would make 乾县 (a county of Xianyang) 干县; only characters outside it are converted.
        converted = "".join(o if _is_simplified_char(o) else c for o, c in zip(state.text, converted))
    edits = []
    i, n = 0, len(state.text)
    while i < n:
        if converted[i] != state.text[i]:
            j = i
            while j < n and converted[j] != state.text[j]:
                j += 1
            edits.append(_Edit(i, j, converted[i:j], "traditional", "traditional characters converted to simplified"))
            i = j
        else:
            i += 1
    return _apply(state, edits)


@lru_cache(maxsize=1 << 16)  # asked for every changed character of a text, over and over the same few thousand
def _is_simplified_char(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def is_traditional_text(text: str, converted: str) -> bool:
    """Whether a text is written in traditional characters: more than 2 % of its CJK characters (and at least three) lie outside
    the simplified standard and change under conversion (a simplified reply quoting one traditional name does not)."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    traditional = sum(1 for o, c in zip(text, converted) if o != c and not _is_simplified_char(o))
    return traditional >= 3 and traditional > 0.02 * cjk


def remove_spam(state: CleanText) -> CleanText:
    """Delete gambling/SEO spam found by the shapes in data/reference/spam_patterns.yaml.

    Repeated until nothing matches: two spam strings glued together overlap, so one pass removes
    only the first of them."""
    for _ in range(10):
        edits = []
        for _name, regex, require, reason in load_spam_patterns():
            for m in regex.finditer(state.text):
                if require.search(m.group()):
                    edits.append(_Edit(m.start(), m.end(), "", "spam", reason))
        if not edits:
            break
        state = _apply(state, _drop_overlaps(edits))
    return state


def _drop_overlaps(edits: list[_Edit]) -> list[_Edit]:
    kept: list[_Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, -(e.end - e.start))):
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return kept


def remove_furniture(state: CleanText) -> CleanText:
    """Delete whole lines of web-page furniture (index block, counters, share, breadcrumbs, contacts)."""
    edits = []
    pos = 0
    for line in state.text.split("\n"):
        end = pos + len(line)
        for _name, regex, reason in load_furniture_patterns():
            if regex.search(line):
                cut_end = end + 1 if end < len(state.text) else end  # take the line break too
                edits.append(_Edit(pos, cut_end, "", "furniture", reason))
                break
        pos = end + 1
    return _apply(state, edits)


# Digits split by a hard line break ("34\n24家"), as text copied from PDFs shows.
_SPLIT_NUMBER = re.compile(
    r"(?<=\d)[ \t]*\n[ \t]*(?=\d+(?:[.,]\d+)*(?:[万亿千余多]|元|家|个|人|名|%|项|支|场|次)|[万亿千余多元家个人名%])"
)


def join_split_numbers(state: CleanText) -> CleanText:
    """Until none is left: a number broken twice ("1\n3424\n万元") is whole only after its second break is gone."""
    while True:
        edits = [_Edit(m.start(), m.end(), "", "line_break", "line break inside a number removed")
                 for m in _SPLIT_NUMBER.finditer(state.text)]
        if not edits:
            return state
        state = _apply(state, edits)


_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def collapse_blank_lines(state: CleanText) -> CleanText:
    return _apply(state, [_Edit(m.start(), m.end(), "\n\n", "blank_lines", "runs of blank lines collapsed")
                          for m in _BLANK_RUNS.finditer(state.text)])


STEPS = (
    normalize_line_endings,
    remove_invisible,
    remove_bidi_controls,
    normalize_fullwidth,
    strip_pinyin,
    convert_to_simplified,
    remove_spam,
    remove_furniture,
    join_split_numbers,
    collapse_blank_lines,
)


def clean_text(raw: str) -> CleanText:
    """Run every cleaning step over the raw text of one reply."""
    state = CleanText(raw, raw, tuple(range(len(raw))), ())
    for step in STEPS:
        state = step(state)
    text = state.text.strip()
    lead = len(state.text) - len(state.text.lstrip())
    return CleanText(raw, text, state.offsets[lead:lead + len(text)], state.repairs)


def summarize_repairs(repairs: tuple[Repair, ...], max_examples: int = 3) -> list[dict]:
    """Count repairs per kind, with a few examples of what was removed, for the record."""
    by_kind: dict[str, list[Repair]] = {}
    for r in repairs:
        by_kind.setdefault(r.kind, []).append(r)
    out = []
    for kind, items in by_kind.items():
        examples: list[str] = []
        for r in items:
            ex = r.removed.strip()
            if ex and ex not in examples:
                examples.append(ex[:80])
            if len(examples) >= max_examples:
                break
        out.append({"kind": kind, "count": len(items), "reason": items[0].reason, "examples": examples})
    return out
