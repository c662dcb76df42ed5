"""The loader's English sentences in the reader's language: provenance, cleaning reasons, warnings, flag notes.

    describe_reason("jurisdiction from the issuer 乐山市民政局", "zh") -> "地区取自发文机关乐山市民政局"
    describe_reason("no period (when was it true?)", "zh")         -> unchanged: no pattern says that alone
    describe_reason(anything_unknown, lang)                        -> anything_unknown

The patterns and the words are data (app/reasons.yaml, which says how to add one). Every value a pattern takes out
of a sentence is put back as it was written, or as the reader's word for it (a code key like cppcc_proposal_reply, a
number in 万): the result is plain text, to be escaped for where it goes (app/safe.py) like the sentence itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

PATTERN_FILE = Path(__file__).resolve().parent / "reasons.yaml"
MAX_SENTENCE = 4000  # longer text is no loader sentence: shown as it is (and never run through the patterns)
MAX_DEPTH = 4        # a sentence inside a sentence inside ... (unknown: <reason>, density: <note>)

_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
# What a value of each kind may be; any other kind (and none) is any text, as short as the sentence allows.
_KIND_REGEX = {
    "word": r"\S+",
    "number": r"\d[\d,]*(?:\.\d+)?",
    "wan": r"\d[\d,]*(?:\.\d+)?万",
    "wan_list": r"\d[\d,]*(?:\.\d+)?万(?:, \d[\d,]*(?:\.\d+)?万)*",
    "list": r"[^;]+?",
    "signal_list": r"[a-z_]+(?:, [a-z_]+)*",
}
_LIST_SPLIT = re.compile(r", (?:and |or )?| and in | and | or ")


@lru_cache(maxsize=1)
def _data() -> tuple[dict, tuple]:
    doc = yaml.safe_load(PATTERN_FILE.read_text(encoding="utf-8")) or {}
    words = {table: {str(k): {str(lang): str(w) for lang, w in (v or {}).items()} for k, v in (entries or {}).items()}
             for table, entries in (doc.get("words") or {}).items()}
    patterns = []
    for entry in doc.get("patterns") or []:
        regex, kinds = _compile(str(entry["text"]), words)
        patterns.append((regex, kinds, {lang: str(entry[lang]) for lang in ("zh", "en") if lang in entry}))
    return words, tuple(patterns)


def _compile(template: str, tables: dict) -> tuple[re.Pattern, dict[str, str]]:
    """'jurisdiction from the issuer {issuer:office}' -> a regex matching the whole sentence, and each value's kind.
    A value whose kind is a table of words is one of that table's codes."""
    parts, kinds, pos = [], {}, 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos:m.start()]))
        name, kind = m.group(1), m.group(2) or ""
        if name in kinds:
            parts.append(f"(?P={name})")
        else:
            kinds[name] = kind
            if kind in tables:
                regex = "|".join(re.escape(k) for k in sorted(tables[kind], key=len, reverse=True))
            else:
                regex = _KIND_REGEX.get(kind, ".+?")
            parts.append(f"(?P<{name}>{regex})")
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.DOTALL), kinds


def word(table: str, key, lang: str) -> str:
    """The reader's word for a code of one of app/reasons.yaml's tables (field, level, doc_type, signal, ...); the
    code itself when the table does not know it."""
    text = "" if key is None else str(key)
    entry = _data()[0].get(table, {}).get(text)
    return entry.get(lang, text) if entry else text


def knows(table: str, key) -> bool:
    return str(key) in _data()[0].get(table, {})


def _wan_value(text: str) -> float:
    return float(text.rstrip("万").replace(",", "")) * 1e4


def _millions(text: str) -> str:
    from app.fmt import big_number

    return big_number(_wan_value(text), "en")


def _show(value: str, kind: str, lang: str, depth: int) -> str:
    """One value of a sentence as the reader's language shows it (see app/reasons.yaml)."""
    if kind == "reason":
        return _describe(value, lang, depth + 1)
    if kind in ("place", "office"):
        from app.names import with_english

        return with_english(value, lang)
    if kind == "list":
        return "、".join(_LIST_SPLIT.split(value)) if lang == "zh" else value
    if kind == "signal_list":
        sep = "、" if lang == "zh" else ", "
        return sep.join(word("signal", v, lang) for v in value.split(", "))
    if kind == "wan":
        return value if lang == "zh" else _millions(value)
    if kind == "wan_list":
        return "、".join(value.split(", ")) if lang == "zh" else ", ".join(_millions(v) for v in value.split(", "))
    if kind and kind in _data()[0]:
        return word(kind, value, lang)
    return value


def _fill(template: str, match: re.Match, kinds: dict[str, str], lang: str, depth: int) -> str:
    return _PLACEHOLDER.sub(lambda m: _show(match.group(m.group(1)), kinds.get(m.group(1), ""), lang, depth), template)


def _describe(text: str, lang: str, depth: int) -> str:
    if depth > MAX_DEPTH or len(text) > MAX_SENTENCE:
        return text
    for regex, kinds, out in _data()[1]:
        m = regex.fullmatch(text)
        if m is not None:
            return _fill(out[lang], m, kinds, lang, depth) if lang in out else text
    # Sentences the loader joins with '; ' (an ambiguous document number: what it may stand for; what else it
    # abbreviates): each part described, when every part is one of the sentences known.
    parts = text.split("; ")
    if len(parts) > 1 and all(any(r.fullmatch(p) for r, _k, _o in _data()[1]) for p in parts):
        return ("；" if lang == "zh" else "; ").join(_describe(p, lang, depth + 1) for p in parts)
    return text


@lru_cache(maxsize=4096)
def describe_reason(text: str, lang: str) -> str:
    """A sentence the loader wrote in English (why a field has its value, what cleaning removed, what to check before
    saving) in the reader's language, lang "zh" or "en".

    Chinese: the sentence in Chinese, its code keys (cppcc_proposal_reply, prefecture) as words, its quotes from the
    reply as written. English: the sentence with its code keys as words and 万 as millions where app/reasons.yaml
    gives an English form, else unchanged. A sentence no pattern knows is returned unchanged, in either language."""
    text = "" if text is None else str(text)
    if lang not in ("zh", "en") or not text:
        return text
    return _describe(text, lang, 0)


_CURATOR = re.compile(r"(?P<head>\w+ set by the curator in \S+): (?P<note>.+)", re.DOTALL)


def split_curator_note(text: str) -> tuple[str, str]:
    """'issuer set by the curator in ganzhou-2022.yaml: <note>' -> ('issuer set by the curator in ganzhou-2022.yaml',
    '<note>'): the loader repeats a curation file's metadata_note after every field it overrides; a page shows it
    once. ('<text>', '') for any other sentence."""
    m = _CURATOR.fullmatch(str(text or ""))
    return (m.group("head"), m.group("note")) if m else (str(text or ""), "")
