"""Measures stage: code each sentence of a cleaned reply with the policy measures it reports, done or planned."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.clean import CleanText
from loaders.schema import Measure

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
INSTRUMENT_TYPES = ("supply", "demand", "environment")


# --- reference data ------------------------------------------------------------


@lru_cache(maxsize=1)
def load_codebook() -> dict:
    """The measure codebook (data/reference/measure_codebook.yaml), checked once so a typo fails loudly."""
    book = yaml.safe_load((REFERENCE_DIR / "measure_codebook.yaml").read_text(encoding="utf-8"))
    seen: set[str] = set()
    for cat in book["categories"]:
        cid = cat["id"]
        if cid in seen:
            raise ValueError(f"measure_codebook.yaml: category {cid!r} appears twice")
        seen.add(cid)
        if cat["instrument_type"] not in INSTRUMENT_TYPES:
            raise ValueError(f"measure_codebook.yaml: {cid}: instrument_type must be one of {INSTRUMENT_TYPES}")
        for pattern in cat["terms"] + cat.get("exclude", []):
            re.compile(pattern)  # raises re.error naming the bad pattern
    return book


@lru_cache(maxsize=1)
def _rules() -> dict:
    """The codebook's regular expressions compiled once."""
    book = load_codebook()
    status = book["status_rules"]
    section = status["planned_section"]

    def any_of(patterns: list[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    return {
        "skip": any_of(book["skip_sentences"]),
        "masks": [re.compile(p) for p in book.get("masks", [])],
        "section_start": re.compile(section["start_line"]),
        "section_heading": re.compile(section["heading_contains"]),
        "section_heading_max": int(section["heading_max_chars"]),
        "section_heading_not": re.compile(section.get("heading_excludes") or r"(?!)"),
        "section_end": re.compile(section["end_line"]),
        "enumeration": re.compile(status["enumeration"]),
        "subheading_max": int(status["subheading_max_chars"]),
        "planned": any_of(status["planned_markers"]),
        "planned_start": re.compile("^(?:" + "|".join(status["planned_start"]) + ")"),
        "done": any_of(status["done_markers"]),
        "categories": [
            (cat, [re.compile(t) for t in cat["terms"]], [re.compile(x) for x in cat.get("exclude", [])],
             all(is_blind_to_blanks(t) for t in cat["terms"]))
            for cat in book["categories"]
        ],
    }


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba tokenizer with the domain dictionary, so the global jieba state is never touched."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines would interleave with our output
    tok = jieba.Tokenizer()
    tok.load_userdict(str(REFERENCE_DIR / "jieba_dict.txt"))
    return tok


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """Stop words for tokenize() (data/reference/stopwords.txt)."""
    lines = (REFERENCE_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# --- sentences -------------------------------------------------------------------

# Full-width forms are listed too: the clean stage keeps them (only digits and letters are made ASCII).
_SENTENCE_END = re.compile(r"[。!?;！？；\n]")


def split_sentences(clean: CleanText) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in cleaned coordinates, trimmed of spaces; each line break ends a
    sentence, so headings such as 一、… stay sentences of their own."""
    text = clean.text
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start() if m.group() == "\n" else m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def find_planned_sections(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of 下一步 sections: from their opening line to the closing thanks or the end.

    Ganzhou 2022 opens its section with a paragraph (下一步,我局将…), Jiangsu 2021 and Leshan 2021 with
    a heading (二、下一步工作安排 / 三、下一步工作); all three close with thanks, after which nothing is planned.
    """
    r = _rules()
    sections: list[tuple[int, int]] = []
    start = None
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if start is None:
            is_heading = (len(stripped) <= r["section_heading_max"] and r["section_heading"].search(stripped)
                          and not r["section_heading_not"].search(stripped))
            if r["section_start"].match(stripped) or is_heading:
                start = pos
        elif r["section_end"].match(stripped):
            sections.append((start, pos))
            start = None
        pos += len(line) + 1
    if start is not None:
        sections.append((start, len(text)))
    return sections


def _own_status(sentence: str) -> str:
    """Status of a sentence outside a 下一步 section, from its own words."""
    r = _rules()
    if r["planned"].search(sentence):
        return "planned"
    body = r["enumeration"].sub("", sentence, count=1)
    if r["planned_start"].match(body) and not r["done"].search(sentence):
        return "planned"
    return "done"


def sentence_statuses(clean: CleanText, spans: list[tuple[int, int]]) -> list[str]:
    """'done' or 'planned' for each sentence span, by the codebook's status_rules."""
    r = _rules()
    text = clean.text
    sections = find_planned_sections(text)
    in_section = [any(s <= a < e for s, e in sections) for a, _ in spans]
    statuses = ["planned" if sec else _own_status(text[a:b]) for (a, b), sec in zip(spans, in_section)]
    # Headings take the status of the sentence after them: Quzhou 2023 reports done work under
    # sub-headings such as 二是进一步推进“两个覆盖”, whose 进一步 alone would read as a plan.
    # Walk backwards so a chain of headings (一、… then 1.…) inherits from the first body sentence.
    for i in range(len(spans) - 2, -1, -1):
        a, b = spans[i]
        sentence = text[a:b]
        # A heading is enumerated (一是… / 1.…) or a line of its own without end punctuation.
        is_heading = len(sentence) <= r["subheading_max"] and (
            r["enumeration"].match(sentence)
            or ("\n" in text[b:spans[i + 1][0]] and not _SENTENCE_END.match(sentence[-1]))
        )
        if is_heading and not in_section[i] and not in_section[i + 1]:
            statuses[i] = statuses[i + 1]
    return statuses


# --- measures --------------------------------------------------------------------


def _blank(text: str, patterns: list[re.Pattern]) -> str:
    """Replace matches by spaces of the same length, so positions still line up."""
    for p in patterns:
        text = p.sub(lambda m: " " * len(m.group()), text)
    return text


def is_blind_to_blanks(pattern: str) -> bool:
    """Whether every match of the pattern holds no space and its assertions read no neighbouring character,
    so that blanking parts of a text (_blank) can remove its matches but never create one: then a text where
    it finds nothing needs no blanking. Decided on the parsed pattern, conservatively (a negated class, `.`,
    a negative lookaround, a word boundary or a backreference make it False)."""
    from re import _constants as c, _parser

    def is_safe(items) -> bool:
        for op, av in items:
            if op is c.LITERAL:
                if chr(av).isspace():
                    return False
            elif op is c.IN:
                for item_op, item_av in av:
                    if item_op is c.LITERAL and not chr(item_av).isspace():
                        continue
                    if item_op is c.RANGE and not any(chr(x).isspace() for x in range(item_av[0], item_av[1] + 1)):
                        continue
                    return False  # NEGATE, a category (\s, \w, \d) or a space
            elif op is c.SUBPATTERN:
                if not is_safe(av[3]):
                    return False
            elif op is c.BRANCH:
                if not all(is_safe(branch) for branch in av[1]):
                    return False
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                if not is_safe(av[2]):
                    return False
            elif op is c.AT:
                if av not in (c.AT_BEGINNING, c.AT_BEGINNING_STRING, c.AT_END, c.AT_END_STRING):
                    return False
            else:
                return False  # ANY, ASSERT, ASSERT_NOT, GROUPREF, ATOMIC_GROUP, ...
        return True

    return is_safe(_parser.parse(pattern))


def code_sentence(sentence: str) -> list[tuple[dict, str]]:
    """(category, matched text) for every codebook category found in one cleaned sentence."""
    r = _rules()
    if r["skip"].search(sentence):
        return []
    base = _blank(sentence, r["masks"])
    found = []
    for cat, terms, excludes, is_blind in r["categories"]:
        # Excludes only take matches away from terms blind to blanks: where these find nothing, nothing is blanked.
        hits = [m for t in terms for m in [t.search(base)] if m] if is_blind or not excludes else []
        if excludes and (hits or not is_blind):
            masked = _blank(base, excludes)
            hits = [m for t in terms for m in [t.search(masked)] if m]
        if hits:
            # The earliest match names the evidence; min() keeps codebook order on a tie.
            first = min(hits, key=lambda m: m.start())
            found.append((cat, sentence[first.start():first.end()]))
    return found


def extract_measures(clean: CleanText) -> list[Measure]:
    """One Measure per (sentence, category), with status, raw quote and a stable id; sorted by position."""
    spans = split_sentences(clean)
    statuses = sentence_statuses(clean, spans)
    measures = []
    for (a, b), status in zip(spans, statuses):
        sentence = clean.text[a:b]
        # The quote is the raw text, so it keeps what cleaning removed: Xuancheng 2024's traditional
        # characters and glued pinyin (鄉(xiāng)村), Ganzhou 2022's spam string inside the sentence.
        raw_start, raw_end = clean.raw_span(a, b)
        for cat, matched in code_sentence(sentence):
            measures.append(Measure(
                id=f"{cat['id']}@{raw_start}",
                category=cat["id"],
                instrument_type=cat["instrument_type"],
                status=status,
                matched=matched,
                quote=clean.raw[raw_start:raw_end],
                quote_start=raw_start,
                quote_end=raw_end,
                quote_clean=sentence,
            ))
    return sorted(measures, key=lambda m: (m.quote_start, m.category))


# --- tokens and distinctive terms ------------------------------------------------------

# Tokens with no Chinese character or letter (numbers, 5.08, %, punctuation) carry no topic.
_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z]")
_NUMERIC_CJK = re.compile(r"^[\d.,%〇零一二两三四五六七八九十百千万亿余多第年月日号个家名人次项场支批届期类所座处位件点]+$")


def _kept_token(tok: str) -> str:
    """The token stripped, or '' when it is dropped (stop word, number, punctuation, single character)."""
    tok = tok.strip()
    if len(tok) < 2 or tok in load_stopwords() or not _CONTENT.search(tok) or _NUMERIC_CJK.match(tok):
        return ""
    return tok


# jieba's tokens repeat (a reply's vocabulary is a few hundred words): each is judged once per process.
_KEPT: dict[str, str] = {}
_KEPT_MAX = 200_000


def tokenize(text: str) -> list[str]:
    """jieba tokens with the domain dictionary; stop words, numbers, punctuation and single characters dropped."""
    kept = _KEPT
    out = []
    for tok in _tokenizer().lcut(text):
        word = kept.get(tok)
        if word is None:
            word = _kept_token(tok)
            if len(kept) < _KEPT_MAX:
                kept[tok] = word
        if word:
            out.append(word)
    return out


def compute_distinctive_terms(texts: dict[str, str], top_n: int = 15) -> dict[str, list[tuple[str, float]]]:
    """Distinctive terms of each cleaned text against the others (see score_distinctive_terms)."""
    return score_distinctive_terms({key: tokenize(text) for key, text in texts.items()}, top_n)


def score_distinctive_terms(tokens: dict[str, list[str]], top_n: int = 15) -> dict[str, list[tuple[str, float]]]:
    """TF-IDF of each reply's tokens against the other replies: tf = share of the reply's tokens,
    idf = ln(N / replies containing the term). A term in every reply scores 0 and is left out;
    with a single reply nothing is distinctive. Takes tokens so a build can tokenise in its workers."""
    n_docs = len(tokens)
    df = Counter(term for toks in tokens.values() for term in set(toks))
    result: dict[str, list[tuple[str, float]]] = {}
    for key in sorted(tokens):
        counts = Counter(tokens[key])
        total = sum(counts.values()) or 1
        scored = [
            (term, round(count / total * math.log(n_docs / df[term]), 5))
            for term, count in counts.items()
        ]
        scored = [(t, s) for t, s in scored if s > 0]
        scored.sort(key=lambda ts: (-ts[1], ts[0]))
        result[key] = scored[:top_n]
    return result
