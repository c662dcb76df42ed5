"""Frames: what a count of organisations, or an amount of money, counts, read from the structure of its clause.

A step of the facts stage (loaders/facts.py calls it after classifying each number by its keywords). The word lists
are data (data/reference/frames.yaml for the grammar, the `events` of data/reference/indicators.yaml for what can
happen to organisations); the rules are here.

A count of organisations (an indicator of `stock_indicators`) is read as a frame:
- **what it counts**: the organisations named right after its classifier (24家社会组织), else the noun ending
  nearest before it (社会组织23277个); between that noun and the number only words that say the place has them
  (共有, 达到, 总数, 已超) may stand, else the number counts something else (社会组织年检136家, 社会组织公益品牌300个);
- **what happened to them**: an event word (注销登记, 被列入异常名录, 支持, 递交) in the number's clause, in the
  relative clause before the noun (结对帮扶的社会组织), between the noun and the number, or after the noun, picks
  out a subset: the count files under the event's indicator. A word that says the place has them (登记的, 备案的,
  共有) keeps it a stock; an event word denied (未参加年度检查的) says nothing;
- **over which part**: a level (市本级, 市级, 全省性: scope level_only), an area (城市, 农村) or a kind (枢纽型,
  科技类, 先进: orgs_of_a_kind) of the set; a part after 其中 or inside the brackets after its whole keeps its
  indicator, being the whole's breakdown;
- **how sure**: what none of the lists accounts for (a verb or a noun the rules do not know, tagged with the
  part-of-speech tags of jieba's dictionary, read only for these few words) leaves the count under its indicator
  with confidence low and the reason in words: a person decides.

An amount of money from a lottery fund (福彩公益金) is raised (筹集, 转移支付) or spent on welfare at large or on one
field of it (支出; 向养老领域投入): it files under lottery_fund_raised or lottery_fund_spent, never as funding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class Frame:
    """What the frame says of one number: its indicator (and label), how sure, why, and a level it covers."""

    indicator: str
    label: str = ""
    confidence: str = "high"
    reason: str = ""  # a code of frames.yaml reasons when confidence is low (or the event that decided it)
    words: str = ""  # the words of the sentence behind it
    scope: tuple[str, str] | None = None  # (scope_kind, scope_area) when the count covers one level only


@lru_cache(maxsize=1)
def load_frames() -> dict:
    """The grammar words of data/reference/frames.yaml."""
    return yaml.safe_load((REFERENCE_DIR / "frames.yaml").read_text(encoding="utf-8"))


def _alternation(words) -> re.Pattern:
    """One pattern matching any of the words, the longest first."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else re.compile(r"(?!)")


# Dates and target words say when, never what: 2023年底, 9月底, 今年, 近三年, 十三五, 力争到.
_DATES = re.compile(r"\d{4}\s*年度?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末|初|中旬|上旬|下旬|以来|起|前)?|\d{4}-\d{1,2}(?:-\d{1,2})?"
                    r"|\d{1,2}月(?:\d{1,2}日)?(?:底|末|初|中旬|上旬|下旬)?|今年|去年|上年|当年|年底|年末|近年来|近几年|多年来"
                    r"|近[\d一二两三四五六七八九十]+年|[\d一二两三四五六七八九十]+年来|“?十[一二三四五六]五”?(?:期间|末|以来)?"
                    r"|力争|争取|计划|预计|拟|将|到|至")
_PUNCT = re.compile(r"[\s“”\"'‘’《》〈〉()（）\[\]【】〔〕、·.,，:：;；!?！？…—\-~～/]+")
_NUMBERS = re.compile(r"[\d.,]+|[一二两三四五六七八九十百千万亿]+(?=[家个支所项人名])")
_BREAK = re.compile(r"[,，;；:：。!?！？\n]")
_OPEN, _CLOSE = "(（", ")）"


@lru_cache(maxsize=1)
def _grammar() -> dict:
    """The frames.yaml lists and the codebook's event words, compiled once."""
    from loaders.facts import load_indicators

    book = load_indicators()["indicators"]
    frames = load_frames()
    stock = list(frames["stock_indicators"])
    heads = {kw: code for code in stock for kw in (book[code].get("keywords") or [])}
    events = {w: code for code, spec in book.items() for w in (spec.get("events") or [])}
    kind_words = list(frames["kind_words"])
    not_kinds = set(frames["not_kinds"])
    endings = "".join(frames["kind_endings"])
    return {
        "stock": set(stock),
        "headline": set(frames["headline_indicators"]),
        "heads": heads,
        "head_re": _alternation(heads),
        "events": events,
        "event_re": _alternation(events),
        "negation_re": re.compile("|".join(map(re.escape, frames["negations"]))),
        "predicate_re": _alternation(frames["predicates"] + frames["totals"]),
        "stock_words_re": _alternation(frames["predicates"] + frames["totals"] + frames["qualifiers"]
                                       + frames["registration"] + frames["neutral"]),
        "registration_re": _alternation(frames["registration"]),
        "level_re": _alternation(frames["levels"]),
        "area_re": _alternation(frames["areas"]),
        # The word before 型/类/性, at most four characters and never across 等/的/和 (联合会等枢纽型: 枢纽型).
        "kind_re": re.compile(rf"(?:(?![等的和与及、])[\u4e00-\u9fffA-Za-z0-9]){{1,4}}[{re.escape(endings)}]"
                              rf"|{_alternation(kind_words).pattern}"),
        "not_kinds": not_kinds,
        "filed_re": _alternation(frames["filed_words"]),
        "continuation_re": re.compile("^(?:" + "|".join(map(re.escape, frames["continuations"])) + ")"),
        "continuation_verb_re": _alternation(frames["continuation_verbs"]),
        "lottery_re": _alternation(frames["lottery_words"]),
        "raised_re": _alternation(frames["lottery_raised"]),
        "spent_re": _alternation(frames["lottery_spent"]),
        "welfare_re": _alternation(frames["welfare_fields"]),
        "org_recipient_re": _alternation(frames["org_recipients"]),
        "reasons": frames["reasons"],
    }


# Tags of words that say nothing about which organisations are counted: places, times, numbers, particles,
# adverbs, prepositions, conjunctions, pronouns, directions, measure words.
_SILENT_TAGS = ("ns", "t", "m", "q", "u", "d", "p", "c", "r", "f", "k", "y", "e", "o")


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """Part-of-speech tags of the words of jieba's own dictionary (its dict.txt: word, frequency, tag) that are verbs
    or silent (_SILENT_TAGS), read once per process (0.1 s): jieba.posseg's tagger would load every tag of the
    dictionary twice (3.8 s a process, a sixth of a 1,000-reply build) to read the few words of a count's clause
    that no list accounts for."""
    import os

    import jieba

    text = open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8").read()
    tags = "|".join(t + ("[a-z]*" if len(t) == 1 else "") for t in ("v", *_SILENT_TAGS))
    return dict(re.findall(rf"^(\S+) \d+ ({tags})$", text, re.M))


def unknown_words(words: str) -> tuple[str, str]:
    """(verbs, other content words) among words no list accounts for, each joined: the project's jieba tokenizer
    cuts them and jieba's dictionary tags them; a word it does not know counts as content."""
    from loaders.measures import _tokenizer

    tags = _word_tags()
    verbs, others = [], []
    for token in _tokenizer().lcut(words, HMM=False):
        tag = tags.get(token, "")
        if not token.strip() or _PUNCT.fullmatch(token) or tag.startswith(_SILENT_TAGS) and not tag.startswith("v"):
            continue
        (verbs if tag.startswith("v") else others).append(token)
    return "".join(verbs), "".join(others)


def _remove_brackets(s: str) -> str:
    """Closed bracketed asides out of s (含备案, 其中…): they say nothing of the count outside them."""
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"[(（][^()（）]*[)）]", "", s)
    return s


def _residue(s: str, g: dict) -> str:
    """What is left of s once dates, numbers, punctuation and every listed word are taken out."""
    s = g["stock_words_re"].sub(" ", s)  # before the dates: 截至2022年末 is 截至 and a date, not 截 and 至…
    s = _DATES.sub(" ", s)
    s = _NUMBERS.sub(" ", s)
    s = g["level_re"].sub(" ", s)
    return _PUNCT.sub("", s)


@dataclass
class _Found:
    word: str
    indicator: str
    start: int  # position in the zone it was found in


def _events_in(zone: str, g: dict) -> list[_Found]:
    """Event words of zone, in order, leaving out the ones denied (未参加年度检查)."""
    out = []
    for m in g["event_re"].finditer(zone):
        # 未年检, 未参加年度检查, 没有按时年检: a denial up to four characters before the event word.
        if g["negation_re"].search(zone[max(0, m.start() - 4):m.start()]):
            continue
        # 增长到5.1万家, 增加至300家: what the number rose to is a stock, not the change.
        if zone[m.end():m.end() + 1] in ("到", "至") and g["events"][m.group()] == "org_count_change":
            continue
        out.append(_Found(m.group(), g["events"][m.group()], m.start()))
    return out


def _kind_in(modifiers: str, g: dict) -> str:
    """The kind a modifier names (枢纽型, 科技创新类, 先进), or ''."""
    for m in g["kind_re"].finditer(modifiers):
        word = m.group()
        if word in g["not_kinds"] or g["level_re"].fullmatch(word):
            continue
        # 各类 / 备案类 inside a longer match (社区各类) are no kinds either.
        if any(word.endswith(n) for n in g["not_kinds"]):
            continue
        # 培育枢纽型: the verb before the kind is no part of it.
        from loaders.measures import _tokenizer

        tokens = _tokenizer().lcut(word, HMM=False)
        while len(tokens) > 1 and _word_tags().get(tokens[0], "").startswith("v"):
            tokens.pop(0)
        return "".join(tokens)
    return ""


def _zone_bounds(text: str, sentence: tuple[int, int], start: int, end: int, prev_end: int) -> tuple[int, int]:
    """The number's clause: from the last break (or an open bracket holding the number, or the previous number)
    before it to the next break or bracket after it."""
    a = start
    depth = 0
    while a > sentence[0] and a > prev_end:
        ch = text[a - 1]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and _BREAK.match(ch):
            break
        a -= 1
    b = end
    while b < sentence[1] and not _BREAK.match(text[b]) and text[b] not in _OPEN and text[b] not in "、":
        b += 1
    return a, b


def frame_count(text: str, sentence: tuple[int, int], start: int, end: int, prev_end: int, indicator: str,
                is_part: bool, is_inherited: bool = False) -> Frame | None:
    """The frame of one count whose indicator is a stock of organisations; None where it keeps what it has.

    start/end: the number with its unit in text; prev_end: where the number before it in the sentence ends;
    is_part: it follows 其中 or stands in the brackets after its whole (a breakdown); is_inherited: its indicator
    came from another number (注销登记4家、换届整改2家): only an event of its own clause changes it."""
    g = _grammar()
    a, b = _zone_bounds(text, sentence, start, end, prev_end)
    left = _remove_brackets(text[a:start])
    right = _remove_brackets(text[end:b]).lstrip(" 的“”\"")
    if is_inherited:
        own = _events_in(left, g) or _events_in(right, g)
        if own and own[-1].indicator != indicator:
            return Frame(own[-1].indicator, label=own[-1].word, reason="event_subset", words=own[-1].word)
        return None
    if indicator not in g["stock"]:
        return None
    # What it counts: the organisations named right after the classifier, else the noun before the number.
    head_right = None
    for m in g["head_re"].finditer(right):
        if m.start() <= 10 and not _BREAK.search(right[:m.start()]):
            head_right = m
        break
    if head_right is not None:
        head = head_right.group()
        modifiers = right[:head_right.start()]
        before, gap, after = left, "", right[head_right.end():]
    else:
        heads = list(g["head_re"].finditer(left))
        if not heads:
            return None  # named by inheritance or a continuation: decided where it was inherited
        m = heads[-1]
        head = m.group()
        before, gap, after = left[:m.start()], left[m.end():], ""
        modifiers = before
    head_indicator = g["heads"].get(head, indicator)

    # What happened to them.
    found = None
    gap_events = _events_in(gap, g)
    if gap_events:
        found = gap_events[-1]
    if found is None and after:
        after_events = _events_in(after, g)
        if after_events:
            found = after_events[0]
    if found is None:
        before_events = _events_in(before, g)
        if before_events:
            last = before_events[-1]
            has_predicate = bool(g["predicate_re"].search(gap))
            # With a predicate between the noun and the number (社会组织共有3000家) an earlier verb is no event of
            # these organisations, unless it stands in the relative clause that picks them out (帮扶的社会组织达160家).
            if not has_predicate or "的" in before[last.start:]:
                found = last
    if found is not None:
        if is_part and found.indicator == indicator:
            return None
        return Frame(found.indicator, label=found.word, reason="event_subset", words=found.word)

    # Over which part: a level, a kind, an area.
    scope = None
    level = None
    for m in g["level_re"].finditer(modifiers):
        level = m.group()
    if level:
        scope = ("level_only", level)
    kind = _kind_in(modifiers, g)
    if kind and not is_part:
        return Frame("orgs_of_a_kind", label=kind + head, reason="kind_modifier", words=kind, scope=scope)
    area = g["area_re"].search(modifiers.split("的")[-1])
    if area and not is_part:
        return Frame(head_indicator, label=area.group() + head, confidence="low", reason="kind_modifier",
                     words=area.group() + head, scope=scope)
    # Filed, not registered: a community organisation, whatever noun the text uses.
    if indicator == "social_orgs_total" and g["filed_re"].search(modifiers) and \
            not re.search(r"登记|注册", g["filed_re"].sub("", modifiers)):
        indicator = "community_social_orgs"

    # What the lists do not account for: the head is not what is counted, or an unknown word frames it.
    gap_rest = _residue(gap, g)
    if gap_rest:
        verbs, others = unknown_words(gap_rest)
        if verbs or others:
            return Frame(indicator, confidence="low", reason="not_the_head", words=verbs + others, scope=scope)
    if not is_part:
        zone = _residue((kind and modifiers.replace(kind, " ")) or before, g) + _residue(after, g)
        if zone:
            verbs, others = unknown_words(zone)
            if verbs:
                return Frame(indicator, confidence="low", reason="unknown_verb", words=verbs, scope=scope)
            if others:
                return Frame(indicator, confidence="low", reason="kind_modifier", words=others, scope=scope)
    return Frame(indicator, scope=scope)


def continuation_kind(clause_left: str) -> str:
    """How a number's clause carries on the subject of the clause before: "plain" when it names nothing but a
    total, a date, a target or a predicate (总量已突破25万; 到2025年底突破15万家), "verb" when it also says what was
    done (实现全覆盖,共建成23个), "" when it names something of its own."""
    g = _grammar()
    s = clause_left.strip()
    if not s:
        return ""
    if not _residue(s, g):
        return "plain"
    return "verb" if not _residue(g["continuation_verb_re"].sub(" ", s), g) else ""


def starts_with_total(clause_left: str) -> bool:
    """The clause opens with a word for 'the total' (总量, 总数): the subject stands in the clause before."""
    return bool(_grammar()["continuation_re"].match(_PUNCT.sub("", clause_left)))


def frame_money(text: str, clause_start: int, start: int, end: int, clause_end: int, indicator: str,
                sentence_start: int | None = None) -> Frame | None:
    """The frame of one amount filed as funding: a lottery fund raised or spent on welfare files apart; an amount
    whose recipient (向养老领域投入…) or purpose (…3.12亿元保障民生) is a field of welfare other than organisations
    is held for a person."""
    if indicator != "funding":
        return None
    g = _grammar()
    left = text[clause_start:start]
    purpose = text[end:clause_end]
    verbs = []
    for name, regex in (("raised", g["raised_re"]), ("spent", g["spent_re"])):
        for m in regex.finditer(left):
            verbs.append((m.end(), name, m.group()))
    recipient = ""
    m = re.search(r"向([^,，;；。向]{1,20}?)(?:投入|拨付|安排|下拨|划拨|资助)", left) or \
        re.search(r"用于([^,，;；。]{1,20}?)(?:的|资金|金额|共|计|达)?$", left)
    if m:
        recipient = m.group(1)
    elif g["welfare_re"].search(purpose) and not g["org_recipient_re"].search(left + purpose):
        recipient = purpose.strip()
    # The fund may be named at the head of the sentence (福彩公益金支出8600万元,其中用于养老服务4800万元).
    is_lottery = bool(g["lottery_re"].search(text[sentence_start if sentence_start is not None else clause_start:start]))
    if is_lottery:
        if verbs:
            _end, name, word = max(verbs)
            if name == "raised":
                return Frame("lottery_fund_raised", label=word, words=word)
            return Frame("lottery_fund_spent", label=word, words=word)
        if recipient and g["welfare_re"].search(recipient) and not g["org_recipient_re"].search(recipient):
            return Frame("lottery_fund_spent", label=recipient, words=recipient)
        return None
    if recipient and g["welfare_re"].search(recipient) and not g["org_recipient_re"].search(recipient):
        return Frame(indicator, confidence="low", reason="money_role", words=recipient)
    return None


def reason_text(code: str, words: str, lang: str) -> str:
    """A hold reason in words, in lang (zh or en): frames.yaml reasons with the words filled in."""
    entry = load_frames()["reasons"].get(code) or {}
    template = entry.get(lang) or entry.get("en") or code
    return template.replace("{words}", words)
