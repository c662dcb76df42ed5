"""Facts stage: every quantitative statement in a cleaned reply, with indicator, value, period, scope, channel and its sentence."""

from __future__ import annotations

import bisect
import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import cn2an
import yaml

from loaders.clean import CleanText
from loaders.frames import frame_money
from loaders.measures import find_planned_sections
from loaders.schema import Document, Fact, Jurisdiction

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# A sentence longer than this (cleaned characters) is quoted as a window around each number, and only this
# many characters on each side of a number are read for its context. The five curated replies' longest
# sentence has 250 characters, so their quotes and contexts are whole sentences, as before; a 2.9 MB
# one-sentence page costs a bounded amount per number instead of the whole sentence per number.
QUOTE_BOUND = 300


@lru_cache(maxsize=1)
def load_indicators() -> dict:
    """The indicator codebook (data/reference/indicators.yaml)."""
    return yaml.safe_load((REFERENCE_DIR / "indicators.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_topic_words() -> dict:
    """On- and off-topic words of the document topic gate (data/reference/topic_words.yaml)."""
    return yaml.safe_load((REFERENCE_DIR / "topic_words.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _not_place_names() -> frozenset[str]:
    from loaders.metadata import load_jurisdictions

    return frozenset(load_jurisdictions().get("not_place_names", []))


@lru_cache(maxsize=1)
def _rules() -> dict:
    """Codebook rules compiled once: eligible indicators per unit, implied-unit links, value bounds."""
    book = load_indicators()
    codebook = book["indicators"]
    by_unit: dict[str, dict] = {}
    for code, spec in codebook.items():
        for unit in spec["units"]:
            by_unit.setdefault(unit, {})[code] = spec
    implied = {code: spec for code, spec in codebook.items() if spec.get("implied_unit")}
    return {
        "keywords": {code: tuple(spec.get("keywords", []) or []) for code, spec in codebook.items()},
        "by_unit": by_unit,
        "implied": implied,
        "implied_link": re.compile(book["implied_unit_link"]),
        "gap_ignore": re.compile(book["keyword_gap_ignore"]),
        "bounds": {unit: float(v) for unit, v in book["value_bounds"].items()},
    }


# --- numbers ---------------------------------------------------------------

# Digits with comma thousands (1,139,244), or with space thousands (1 200: exactly three digits per group).
_AR = r"\d{1,3}(?: \d{3})+(?![\d.,])|\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral starts with a digit word or 十 and may hold 万/亿 inside (一万零一十一); 零 never starts one.
_ZH = r"(?<![〇零一二两三四五六七八九十百千万亿])[一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"
# A bare 百/千/万 (近百家, 百余家, 上千人) is a number only with a qualifier; checked in find_numbers.
_BARE = r"(?<![〇零一二两三四五六七八九十百千万亿\d])[百千万]"
_UNITS = "人次|场次|小时|美元|家|个|支|所|座|处|项|人|名|位|场|次|期|届|批|%|类|元"
# A qualifier may be followed by 了/有 before its number (超过了3000家, 约有3000家).
_PRE = r"(?:超过|突破|大约|约)(?:了|有)?|不少于|不低于|不超过|不到|不足|至少|将近|接近|逾|近|超"
NUMBER = re.compile(
    rf"(?:(?P<pre>{_PRE})|(?P<up>上)(?=[百千万]))?"
    rf"(?P<num>{_AR}|{_ZH}|{_BARE})"
    rf"(?:(?P<sep>-|—|~|～|至|到)(?P<num2>{_AR}))?"
    rf"(?P<q1>余|多)? ?(?P<mult>万|亿|千)?(?P<q2>余|多)? ?"
    rf"(?P<unit>{_UNITS})"
    rf"(?P<rate>\s*/\s*(?:万人|人|个|家)(?:·年)?)?"
    rf"(?P<post>以上|左右|以内)?"
)
# A count whose unit is left out after 万/亿 (社会团体近1.5万,民办非企业单位超过23.5万): the next character
# is no Chinese character, letter or digit. Whether it counts anything is for the keyword before it to say.
IMPLIED = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?P<num>{_AR}|{_ZH})"
    rf"(?P<q1>余|多)? ?(?P<mult>万|亿)(?P<q2>余|多)?"
    rf"(?P<post>以上|左右)?"
    rf"(?![\u3400-\u9fffA-Za-z0-9%])"
)
_PRE_QUALIFIER = {
    "超过": "more_than", "突破": "more_than", "逾": "more_than", "超": "more_than",
    "近": "nearly", "将近": "nearly", "接近": "nearly",
    "约": "approx", "大约": "approx",
    "不少于": "at_least", "不低于": "at_least", "至少": "at_least",
    "不超过": "at_most", "不到": "at_most", "不足": "at_most",
}
_POST_QUALIFIER = {"以上": "more_than", "左右": "approx", "以内": "at_most"}
# 上百家/上千人: "reaching a hundred" - at least that many (only before a bare 百/千/万).
_UP_QUALIFIER = "at_least"
_MULTIPLIER = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
_ZH_CHARS = re.compile(r"[〇零一二两三四五六七八九十百千万亿]+")
# 数十家, 几百人, 若干万元: a magnitude, not a count; never guessed into a number.
_VAGUE_BEFORE = "数几若"
# 届/次 followed by one of these name a congress session (十三届人大四次会议, 八届三次全会).
# After 个, an administrative unit (市, 县, 村, 镇, 街道, 社区…) counts places, unless organisations follow
# (个社区社会组织).
_PLACES_COUNTED = re.compile(r"(?:[省市县区村镇乡旗州盟]|地区|街道|社区|乡镇|行政村|居委会|村委会|县区|县市区)"
                             r"(?!级|直|属|本级|[\u4e00-\u9fff]{0,4}(?:社会组织|组织|协会|基金会|机构|团体|部门|单位|服务站|中心|基地))")
_SESSION_AFTER = re.compile(r"人大|政协|会议|全会|党代会|代表大会|常委会")
# Characters glued before a number that make it part of something else: 10^20, 1e309, -5, G20, 1.2.3.
_GLUED_BEFORE = re.compile(r"[0-9A-Za-z^_.+\-−×*/\\]")


# Patterns of the functions below, compiled once (each is called for every number of every reply).
_PLAIN_DIGITS = re.compile(r"\d+(?:[, ]\d{3})*(?:\.\d+)?")
_MORE_WORDS = re.compile(r"[余多]")
_ZH_NUMBER = re.compile(_ZH)
_LEADING_ZERO = re.compile(r"0\d")
_LATIN = re.compile(r"[A-Za-z]")
_ZH_DIGIT = re.compile(r"[一二两三四五六七八九十]")
_ZH_NUMERAL_START = re.compile(r"[〇零一二两三四五六七八九十百千万]")
_OPENING_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+是|\d+\.|[(（][一二三四五六七八九十\d]+[)）]|同时|此外)[,，]?")
_AREA_NAMES = re.compile(r"(?<=[\u4e00-\u9fff])(?:区|县|市|旗)")
_LIST_BREAK = re.compile(r"[,，;；。]")
_RATE_UNIT = re.compile(r"/\s*(人|个|家)(·年)?")


def parse_decimal(text: str) -> Decimal:
    """'1,139,244' -> Decimal('1139244'); '1 200' -> 1200; '一千八百三十一' -> 1831; '百' -> 100."""
    text = text.strip()
    if _PLAIN_DIGITS.fullmatch(text):
        return Decimal(text.replace(",", "").replace(" ", ""))
    if _ZH_CHARS.fullmatch(text):
        if text[0] in "百千万亿":
            text = "一" + text  # a bare 百/千万 (近百家, 近千万元)
        try:
            value = cn2an.cn2an(text, "smart")
        except (ValueError, KeyError, IndexError) as exc:  # cn2an raises KeyError on malformed numerals
            raise ValueError(f"not a number: {text!r}") from exc
        return Decimal(str(value))
    raise ValueError(f"not a number: {text!r}")


def parse_number(text: str) -> float:
    """'1,139,244' -> 1139244.0; '一千八百三十一' -> 1831.0; '12609191.85' -> 12609191.85."""
    return float(parse_decimal(text))


def parse_amount(text: str) -> float:
    """A number with an optional 万/亿 multiplier, exact in decimal: '2406.5万' -> 24065000.0, '4.12亿' -> 412000000.0."""
    text = _MORE_WORDS.sub("", text.strip())
    if _ZH_CHARS.fullmatch(text):
        return float(parse_decimal(text))  # 一万零一十一, 二十五万: the multipliers are part of the numeral
    mult = Decimal(1)
    while text and text[-1] in "万亿千":
        mult *= _MULTIPLIER[text[-1]]
        text = text[:-1].rstrip()
    return float(parse_decimal(text) * mult)


def is_plausible(value: float, unit: str) -> bool:
    """A finite, non-negative value below the bound of its unit (data/reference/indicators.yaml value_bounds)."""
    if not math.isfinite(value) or value < 0:
        return False
    bounds = _rules()["bounds"]
    bound = bounds.get(unit, bounds["default"])
    return value <= bound


# --- sentences and clauses ---------------------------------------------------

_SENTENCE_END = re.compile(r"[。!?！？\n]")
_CLAUSE_BREAK = re.compile(r"[,，;；:：、。!?！？\n(（]")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
# Bounded and without nesting, so an unclosed 《 costs one short scan, not the rest of the text.
_BOOK_TITLE = re.compile(r"《[^《》\n]{0,200}》|〔[^〔〕\n]{0,30}〕")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in the cleaned text, trimmed of spaces."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end() if m.group() != "\n" else m.start()))
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


def _blank_parens(s: str) -> str:
    """Replace bracketed asides by spaces of the same length, so offsets still line up."""
    prev = None
    while prev != s:
        prev = s
        s = _PARENS.sub(lambda m: " " * len(m.group()), s)
    return s


def _context_span(sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The part of the sentence read for one number: all of it, or QUOTE_BOUND characters on each side."""
    return max(sentence[0], start - QUOTE_BOUND), min(sentence[1], end + QUOTE_BOUND)


def _quote_span(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The sentence, or in a sentence longer than QUOTE_BOUND a window of at most that many characters
    around the number, cut after a clause break on the left and before one on the right where there is one."""
    s0, s1 = sentence
    if s1 - s0 <= QUOTE_BOUND:
        return s0, s1
    room = max(0, QUOTE_BOUND - (end - start))
    lo = max(s0, start - room // 2)
    hi = min(s1, lo + (end - start) + room)
    lo = max(s0, min(lo, hi - QUOTE_BOUND))
    left = _CLAUSE_BREAK.search(text, lo, start)
    if left:
        lo = left.end()
    right = None
    for m in _CLAUSE_BREAK.finditer(text, end, hi):
        right = m
    if right:
        hi = right.start()
    return lo, hi


# --- context rules -----------------------------------------------------------

_PERIOD_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"截至(\d{4})年(\d{1,2})月(?:底|末)?"), "as_of_month"),
    (re.compile(r"截[至止](\d{4})年(?:底|末)"), "as_of_year"),
    (re.compile(r"截[至止]目前|目前|现有|至今|现已|已(?:建成|建立|在|完成|开展|有)"), "as_of_now"),
    (re.compile(r"今年以来"), "since_this_year"),
    (re.compile(r"自?(\d{4})年(?:以来|起)"), "since"),
    (re.compile(r"近(\d|[一二两三四五六七八九十])年"), "recent_n"),
    (re.compile(r"近年来|近几年|多年来"), "recent"),
    (re.compile(r"“?十([一二三四五六])五”?"), "plan"),
    # A target "by the end of" a year or month (力争到2023年底突破10万家) is a stock as of that date.
    (re.compile(r"到(\d{4})年(\d{1,2})月(?:底|末)"), "as_of_month"),
    (re.compile(r"到(\d{4})年(?:底|末)"), "as_of_year"),
    (re.compile(r"到(\d{4})年(?!底|末|\d)"), "target_year"),
    (re.compile(r"(\d{4})年度?(?!以来|起|底|末)"), "year"),
    (re.compile(r"今年"), "this_year"),
    (re.compile(r"去年"), "last_year"),
    (re.compile(r"累计"), "cumulative"),
]
# A date that cannot exist (2022年13月底, 2023年99月99日) or a year outside modern times sets no period at all.
_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?")
_YEARS = range(1900, 2101)
# 到2025年 sets a deadline; 增长到2022年的5.1万家 says what the count rose to by then.
# 争取 before money or a source of it (共争取中央和省级财政资金1.2亿元) is money secured, not a target.
_TARGET_WORDS = re.compile(r"计划|力争|拟|预计|(?<![长加展升达])到\d{4}年|将于|今后|未来\d*[一二三四五]?年"
                           r"|争取(?!中央|上级|省级|省|国家|各级|财政|资金|项目|福彩|彩票|社会|各类|专项)"
                           r"|将(?:培育|发展|建成|建设|实现|达到|突破|新增|投入|安排|扶持|孵化|打造|力争|争取)")
# A notice announces what is to be done (本年度省级公益创投安排福彩公益金1200万元): its figures are targets unless
# their own words say the work is done.
_DONE_WORDS = re.compile(r"已|累计|截至|截止|共有|现有|完成了|去年|上年|以来|实现了")
_CONTINUES = re.compile(r"^\s*(?:其中|含|分别)")
_LEVEL_ONLY = re.compile(r"(?:市|省|区|县|州)本级|各县\(市、区\)|各县（市、区）|各县市区|各县区|各县")
# The bureau itself as the subject of money (2022年,市民政局计划投入福彩公益金108万元): its own budget.
_OWN_BUDGET = re.compile(r"(?:市|省|区|县|州)民政(?:局|厅)|我局|我厅")
_WHOLE = re.compile(r"全市|全省|全区|全县|全州|全旗|全盟|我市|我省|我区|我县|我州|我旗|本市|本省|本区|本县|全国")
_CHANNEL_RULES: list[tuple[str, re.Pattern]] = [
    ("lottery_welfare_fund", re.compile(r"福彩公益金|福利彩票公益金|彩票公益金")),
    ("venture_philanthropy", re.compile(r"公益创投|微创投")),
    ("government_purchase", re.compile(r"政府购买|购买服务|购买社会组织服务|购买第三方服务|向社会力量购买|购买社会服务")),
    ("party_building", re.compile(r"党建|党组织|党群")),
]
# Words after a number that end the noun phrase it counts (so 三个方面进一步支持…社会团体 is not a count of groups).
_PHRASE_BREAK = re.compile(r"[的被在和与及对为将是有到,，;；:：、。\n]|进一步|支持|开展|参与|推动|进行|提供|实施|建立|发挥|提升|加强|用于|获得|享受")
_BREAKDOWN = re.compile(r"其中|含|分别")


@dataclass
class _Hit:
    start: int  # cleaned offsets of the number match
    end: int
    sentence: tuple[int, int]
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    number_text: str
    indicator: str = ""
    label: str = ""
    is_implied: bool = False  # 25万 with its counting unit left out
    has_lead_qualifier: bool = False  # the qualifier is a word before the number (不少于, 超过, 近)
    is_part: bool = False  # a breakdown of a whole before it (after 其中, in the brackets after it, inherited)
    is_inherited: bool = False  # its indicator came from another number (a whole, a list neighbour, a clause before)
    whole: "_Hit | None" = None  # the number a part breaks down
    bracket_whole: "_Hit | None" = None  # the number whose brackets it stands in
    scope_found: tuple[str, str] = ("whole", "")  # the scope given to its fact (a part takes its whole's level)
    confidence: str = "high"
    hold_reason: str = ""
    hold_words: str = ""
    scope: tuple[str, str] | None = None  # a level the frame found (市级社会组织1039家)

    @property
    def ctx(self) -> tuple[int, int]:
        return _context_span(self.sentence, self.start, self.end)


# 平均拥有, 平均每个社区拥有, 每个城市社区平均拥有: an average per community, not a count.
_PER_COMMUNITY = re.compile(r"平均拥有|平均每个[^,，;；、]{0,6}?社区")


def _unit_of(m: re.Match, left: str) -> str:
    units = load_indicators()["units"]
    unit = units.get(m.group("unit"), m.group("unit"))
    rate = (m.group("rate") or "").replace(" ", "")
    if rate.startswith("/万人"):
        return "per_10k"
    clause_left = _CLAUSE_BREAK.split(left)[-1]
    if "每万人" in clause_left:
        return "per_10k"
    if unit == "count" and _PER_COMMUNITY.search(clause_left):
        return "per_community"
    if rate and unit == "yuan":
        return "yuan_rate"
    return unit


def _is_excluded(text: str, m: re.Match, sentence_start: int) -> bool:
    groups = m.groupdict()
    unit = groups.get("unit")
    before = text[max(sentence_start, m.start() - 4):m.start()].rstrip()
    num_start = m.start("num")
    glued = text[num_start - 1] if num_start > sentence_start else ""
    after = text[m.end():m.end() + 3]
    num = m.group("num")
    is_bare = num in ("百", "千", "万")
    is_zh = is_bare or bool(_ZH_NUMBER.fullmatch(num))
    if before.endswith("第"):
        return True
    if glued and _GLUED_BEFORE.match(glued):
        return True  # 10^20家, 1e309家, -5家: the digits are the tail of something else
    if is_zh and glued and glued in _VAGUE_BEFORE:
        return True  # 数十家, 几十人, 若干万元: a magnitude, not a count
    if _LEADING_ZERO.match(num):
        return True  # 015, 0571: a serial or a telephone prefix, never a count
    if _LATIN.match(after) or _LATIN.match(text[num_start + len(num):num_start + len(num) + 1]):
        return True  # 3A级: a rating grade, not a count
    if "电话" in before:
        return True
    if unit in ("届", "次") and (_SESSION_AFTER.match(text, m.end()) or before.endswith("届")):
        return True  # 十三届人大四次会议: a session's name, not a count of events
    if is_bare and not (groups.get("pre") or groups.get("up") or groups.get("q1") or groups.get("q2")
                        or groups.get("post")):
        return True  # a bare 百/千/万 is a number only with a qualifier (近百家, 百余家); 百家/千家万户 are words
    if is_zh and not is_bare:
        # Chinese numerals are mostly words (一批, 一点, 三个加强); keep only plain small counts.
        if num == "一" or unit in ("类", "批"):
            return True
        if _ZH_DIGIT.match(after[:1]) and unit == "个":
            return True  # 三个一点 (a slogan)
    if unit == "类":
        return True
    if unit == "个" and _PLACES_COUNTED.match(text, m.end()):
        return True  # 13个市（地）, 1326个村, 23个镇（街道）: a count of places covered, not of organisations
    return False


def _clause_bounds(text: str, span: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    a = start
    while a > span[0] and not _CLAUSE_BREAK.match(text[a - 1]):
        a -= 1
    b = end
    while b < span[1] and not _CLAUSE_BREAK.match(text[b]):
        b += 1
    return a, b


def _keyword_gap(gap_text: str) -> int:
    """Characters between a keyword and its number, not counting dates and target verbs (社会组织力争到2023年底突破)."""
    return len(_rules()["gap_ignore"].sub("", gap_text))


# How far a specific word may stand before the generic head it modifies (直接登记 + 城乡社区服务类 + 社会组织).
MODIFIER_GAP = 8


@lru_cache(maxsize=256)
def _keyword_finder(codes: tuple[str, ...]) -> re.Pattern:
    """Every keyword of these indicators, each found where it starts (the longest at a start): one scan of a clause
    tells which keywords stand in it, instead of one search per keyword (a few hundred per number)."""
    keywords_of = _rules()["keywords"]
    words = sorted({kw for code in codes for kw in keywords_of[code]}, key=len, reverse=True)
    return re.compile("(?=(" + "|".join(map(re.escape, words)) + "))") if words else re.compile(r"(?!)")


def _nearest_left_keyword(left: str, eligible: dict, max_gap: int) -> tuple[str, str, str] | None:
    """(code, keyword, gap text) of the keyword ending nearest the number on its left, the longest on a tie."""
    best = None
    keywords_of = _rules()["keywords"]
    present = {m.group(1) for m in _keyword_finder(tuple(eligible)).finditer(left)}
    if not present:
        return None
    for code in eligible:
        for kw in keywords_of[code]:
            if kw not in present:
                continue
            idx = left.rfind(kw)
            if idx < 0:
                continue
            gap_text = left[idx + len(kw):]
            gap = _keyword_gap(gap_text)
            if gap > max_gap:
                continue
            key = (-gap, len(kw))
            if best is None or key > best[0]:
                best = (key, code, kw, gap_text)
    return best[1:] if best else None


def _is_eligible(spec: dict, sentence_left: str) -> bool:
    """An indicator with `requires` words applies only where one of them comes before the number, after the
    last 全市/全省 (市慈善总会募集资金3000万元,全市慈善捐赠总额1.2亿元: the second figure is the city's)."""
    required = spec.get("requires")
    if not required:
        return True
    subject_start = max((m.end() for m in _WHOLE.finditer(sentence_left)), default=0)
    return any(word in sentence_left[subject_start:] for word in required)


def _classify(text: str, hit: _Hit) -> tuple[str, str]:
    """Indicator code and label for one number, from the clause around it."""
    rules = _rules()
    if hit.unit == "per_10k":
        is_community = "社区社会组织" in text[hit.ctx[0]:hit.start]
        return ("community_social_orgs_per_10k" if is_community and "community_social_orgs_per_10k" in
                load_indicators()["indicators"] else "social_orgs_per_10k"), "每万人拥有"
    if hit.unit == "per_community":
        return "community_social_orgs_per_community", "平均拥有"
    if hit.unit == "yuan_rate":
        return "subsidy_standard", "补助标准"
    # Blank the bracketed asides on each side of the number, but not the one that holds it
    # (Ganzhou 2022: 其中市本级13家(含志愿服务组织4家)).
    s0, s1 = hit.ctx
    sentence_left = text[s0:hit.start]
    candidates = rules["implied"] if hit.is_implied else rules["by_unit"].get(hit.unit, {})
    eligible = candidates if not any(spec.get("requires") for spec in candidates.values()) else \
        {code: spec for code, spec in candidates.items() if _is_eligible(spec, sentence_left)}
    sentence_text = (_blank_parens(sentence_left) + text[hit.start:hit.end] + _blank_parens(text[hit.end:s1]))
    rel_start, rel_end = hit.start - s0, hit.end - s0
    a, b = _clause_bounds(sentence_text, (0, len(sentence_text)), rel_start, rel_end)
    left = sentence_text[a:rel_start]
    right_full = sentence_text[rel_end:b]
    clause = left + right_full
    if hit.is_implied:
        # 25万 without its unit counts organisations or people only right after their keyword
        # (社会组织总量已突破25万); a bare 25万 anywhere else is not a fact.
        found = _nearest_left_keyword(left, eligible, max_gap=6)
        if found and rules["implied_link"].fullmatch(rules["gap_ignore"].sub("", found[2])):
            return found[0], found[1]
        return "", ""
    # 0. a keyword written right before the number names it (参与乡村振兴项目320个 counts projects, whatever
    # the context words of the clause say)
    # Generic heads (社会组织, 协会) do not: 表彰先进社会组织100家 counts awarded organisations.
    specific = {code: spec for code, spec in eligible.items() if not spec.get("is_generic")}
    found = _nearest_left_keyword(left, specific, max_gap=0)
    if found:
        return found[0], found[1]
    # 1. context words anywhere in the clause decide first
    # Chinese numerals must be named by a keyword: 三支力量参与… is a slogan, not a count (Leshan 2021).
    is_chinese_numeral = bool(_ZH_NUMERAL_START.match(hit.number_text))
    for code, spec in eligible.items():
        for word in spec.get("context", []) or []:
            if word in clause and not is_chinese_numeral:
                return code, word
    # 2. the noun phrase right after the classifier is what the number counts (征集约35个公益项目 counts projects,
    # whatever the clause names before it; Chinese noun phrases end in their head)
    right = right_full.lstrip("的")
    cut = _PHRASE_BREAK.search(right)
    phrase = right[:cut.start()] if cut else right
    phrase = phrase.replace(" ", "")[:16]
    best = None
    for code, spec in eligible.items():
        for kw in spec.get("keywords", []) or []:
            idx = phrase.rfind(kw)
            if idx < 0:
                continue
            key = (idx + len(kw), len(kw))
            if best is None or key > best[0]:
                best = (key, code, kw)
    if best:
        return best[1], best[2]
    # 3. the keyword ending nearest the number on the left, within a few connecting characters; a generic head
    # takes the specific word that modifies it (全省3A以上社会组织达到438家, 累计孵化培育社会组织2300多家,
    # 直接登记城乡社区服务类社会组织386个, 体育类社会组织达到418家), never one in a relative clause before 的
    # (各级民政部门登记的社会组织: the registering body, not a kind of organisation)
    found = _nearest_left_keyword(left, eligible, max_gap=6)
    if found and eligible[found[0]].get("is_generic"):
        head_start = len(left) - len(found[2]) - len(found[1])
        zone = left[:head_start]
        zone = zone[zone.rfind("的") + 1:]
        modifier = _nearest_left_keyword(zone, specific, max_gap=MODIFIER_GAP)
        if modifier:
            return modifier[0], modifier[1]
    if found:
        return found[0], found[1]
    return "", ""


def _mask_impossible_dates(left: str) -> str:
    """Blank dates that cannot exist, so that no period is read from them (2022年13月底, 2023年99月99日)."""
    def check(m: re.Match) -> str:
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        ok = year in _YEARS
        if ok and month is not None:
            ok = 1 <= int(month) <= 12
            if ok and day is not None:
                ok = 1 <= int(day) <= calendar.monthrange(year, int(month))[1]
        return m.group() if ok else "□" * len(m.group())
    return _DATE.sub(check, left)


def _valid_date(iso: str) -> str:
    """The ISO date if it exists (a signature dated 2023年13月1日 is no date), else ''."""
    try:
        return iso if iso and int(iso[:4]) in _YEARS and date.fromisoformat(iso) else ""
    except ValueError:
        return ""


def _period(left: str, doc: Document) -> tuple[str, str, str, str]:
    """(kind, start, end, text) from the words nearest before the number in its sentence."""
    doc_date = _valid_date(doc.date_written) or _valid_date(doc.date_published)
    doc_year = int(doc_date[:4]) if doc_date else None
    left = _mask_impossible_dates(left)
    best = None
    for regex, kind in _PERIOD_RULES:
        for m in regex.finditer(left):
            if best is None or m.end() > best[0].end() or (m.end() == best[0].end() and len(m.group()) > len(best[0].group())):
                best = (m, kind)
    if best is not None and best[1] == "cumulative":
        # 累计 only says "cumulative"; a start year or 近N年 elsewhere in the sentence says since when.
        specific = [(m, k) for regex, k in _PERIOD_RULES if k != "cumulative" for m in regex.finditer(left)]
        if specific:
            best = max(specific, key=lambda mk: mk[0].end())
    if best is None:
        return "unspecified", "", "", ""
    m, kind = best
    words = m.group()
    if kind == "as_of_month":
        y, mo = int(m.group(1)), int(m.group(2))
        return "as_of", "", f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}", words
    if kind == "as_of_year":
        return "as_of", "", f"{m.group(1)}-12-31", words
    if kind in ("as_of_now", "cumulative"):
        return "as_of", "", doc_date, words
    if kind == "since":
        return "since", m.group(1), doc_date, words
    if kind == "since_this_year" and doc_year:
        return "since", str(doc_year), doc_date, words
    if kind == "recent_n":
        n = int(parse_number(m.group(1)))
        return "recent_years", str(doc_year - n + 1) if doc_year else "", doc_date, words
    if kind == "recent":
        return "recent_years", "", doc_date, words
    if kind == "plan":
        n = int(parse_number("十" + m.group(1)))
        first = 1953 + 5 * (n - 1)  # the 1st five-year plan began in 1953
        return "plan_period", str(first), str(first + 4), words
    if kind in ("year", "target_year"):
        return "year", m.group(1), m.group(1), words
    if kind == "this_year" and doc_year:
        return "year", str(doc_year), str(doc_year), words
    if kind == "last_year" and doc_year:
        return "year", str(doc_year - 1), str(doc_year - 1), words
    return "unspecified", "", "", words


def _scope(text: str, hit: _Hit, jurisdiction: Jurisdiction, is_money: bool = False) -> tuple[str, str]:
    ctx_start = hit.ctx[0]
    left = _blank_parens(text[ctx_start:hit.start])
    # After 其中 a level marker belongs to its own clause only (Quzhou 2023: 其中市本级103家,各县(市、区)218家,
    # 各责任单位共实地抽查102家 — the last figure is city-wide again).
    breakdown = left.find("其中")
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(left)), default=0)
    best: tuple[int, str, str] | None = None
    for m in _LEVEL_ONLY.finditer(left):
        if breakdown >= 0 and m.start() > breakdown and m.start() < clause_start:
            continue
        best = max(best or (-1, "", ""), (m.end(), "level_only", m.group()))
    if is_money:
        for m in _OWN_BUDGET.finditer(left):
            best = max(best or (-1, "", ""), (m.end(), "level_only", m.group()))
    for m in _WHOLE.finditer(left):
        if best is None or m.end() > best[0]:
            best = (m.end(), "whole", "")
    # A sub-area is the subject only when it opens the sentence (沙湾区投入55万元…, Leshan 2021);
    # elsewhere a district name is usually part of an organisation's name (赣县樱花公益志愿者协会).
    if ctx_start == hit.sentence[0]:
        opening = _OPENING_MARKER.sub("", left)
        area = _sub_area_at_start(opening, jurisdiction)
        if area:
            area_end = len(left) - len(opening) + len(area)
            if best is None or area_end > best[0]:
                best = (area_end, "sub_area", area)
    if best is None or best[1] == "whole":
        return "whole", ""
    return best[1], best[2]


def _sub_area_at_start(opening: str, jurisdiction: Jurisdiction) -> str:
    from loaders.metadata import load_jurisdictions

    known = next((j for j in load_jurisdictions()["jurisdictions"] if j["slug"] == jurisdiction.slug), None)
    if known:
        for area in sorted(known.get("sub_areas", []), key=len, reverse=True):
            if opening.startswith(area):
                return area
        return ""
    from loaders.places import place_names

    # A district, county or city of the national gazetteer (宁国市投入…), the shortest name that opens the sentence:
    # never words that merely end in 区 or 市 (聚焦社区服务…, 市县两级…).
    names = place_names()
    for m in _AREA_NAMES.finditer(opening[:8]):
        name = opening[:m.end()]
        if name in names and name not in _not_place_names() and name != jurisdiction.name_zh:
            return name
    return ""


def _last_channel(text: str, sentence: tuple[int, int]) -> str:
    """The channel named last in a sentence, or ''."""
    last = None
    for code, regex in _CHANNEL_RULES:
        for m in regex.finditer(text, sentence[0], sentence[1]):
            if last is None or m.end() > last[0]:
                last = (m.end(), code)
    return last[1] if last else ""


def _channel(text: str, hit: _Hit, prev_channel: str) -> str:
    span = hit.ctx
    a, b = _clause_bounds(text, span, hit.start, hit.end)
    clause = text[a:b]
    for code, regex in _CHANNEL_RULES:  # same clause: the listed order decides (source of money first)
        if regex.search(clause):
            return code
    nearest = None
    for code, regex in _CHANNEL_RULES:
        for m in regex.finditer(text, span[0], span[1]):
            dist = abs(m.start() - hit.start)
            if nearest is None or dist < nearest[0]:
                nearest = (dist, code)
    if nearest:
        return nearest[1]
    # The channel is often named in the sentence before (Quzhou 2023: 每年开展社会组织公益创投项目…。近年来,全市累计投入资金1100余万元).
    return prev_channel or "other"


def _skip_head(text: str) -> int:
    """Offset after the salutation line (朱伟正等10位代表:), whose numbers are not facts."""
    m = re.search(r"^[^\n:：。]{2,40}[:：]\s*$", text[:800], re.M)
    return m.end() if m else 0


def _qualifier_of(m: re.Match) -> str:
    groups = m.groupdict()
    if groups.get("num2"):
        return "range"
    pre = (groups.get("pre") or "").rstrip("了有")
    if pre in _PRE_QUALIFIER:
        return _PRE_QUALIFIER[pre]
    if groups.get("up"):
        return _UP_QUALIFIER
    if groups.get("q1") or groups.get("q2"):
        return "more_than"
    if groups.get("post") in _POST_QUALIFIER:
        return _POST_QUALIFIER[groups["post"]]
    return "exact"


def find_numbers(clean: CleanText) -> list[_Hit]:
    """Every number with a counting unit (or a 万/亿 count whose unit is left out), parsed, with its sentence;
    exclusions applied. Each number reads at most QUOTE_BOUND characters on each side, so the work is linear."""
    text = clean.text
    hits: list[_Hit] = []
    skip_to = _skip_head(text)
    masked = _BOOK_TITLE.sub(lambda m: "□" * len(m.group()), text)  # numbers in 《titles》 and 〔years〕 are not facts
    for sentence in split_sentences(text):
        if sentence[1] <= skip_to:
            continue
        taken_until = sentence[0]
        matches = []
        for m in NUMBER.finditer(masked, sentence[0], sentence[1]):
            matches.append((m, False))
        implied = [(m, True) for m in IMPLIED.finditer(masked, sentence[0], sentence[1])]
        if implied:
            # A number with its unit wins; an implied-unit number counts only where no unit follows.
            merged = sorted(matches + implied, key=lambda mi: (mi[0].start("num"), mi[1]))
            matches = []
            for m, is_implied in merged:
                if m.start() < taken_until:
                    continue
                matches.append((m, is_implied))
                taken_until = m.end()
        for m, is_implied in matches:
            if _is_excluded(masked, m, sentence[0]):
                continue
            num_start = m.start("num")
            ctx_start = max(sentence[0], num_start - QUOTE_BOUND)
            if is_implied:
                unit = "implied"
            else:
                unit = _unit_of(m, text[ctx_start:m.start()])
            mult = m.group("mult") or ""
            try:
                value = parse_amount(m.group("num") + mult)
                num2 = m.groupdict().get("num2")
                value_max = parse_amount(num2 + mult) if num2 else None
            except ValueError:
                continue
            if not is_implied and unit == "yuan" and m.group("rate"):
                unit = "yuan_rate"
            hits.append(_Hit(num_start, m.end(), sentence, value, value_max, unit, _qualifier_of(m),
                             text[num_start:m.end()], is_implied=is_implied,
                             has_lead_qualifier=bool(m.group("pre") or m.groupdict().get("up"))))
    return hits


_PART_SCOPE = re.compile(r"[;；]")
_QUALIFIER_TAIL = re.compile(r"(?:超过|突破|大约|约|不少于|不低于|不超过|不到|不足|至少|将近|接近|逾|近|超|了|有|达到|达|为)+\s*$")


_PART_MARKS = re.compile(r"[;；()（）]|其中|含|分别|包括")


def _mark_parts(text: str, hits: list[_Hit]) -> None:
    """is_part for a number that breaks down a whole before it: after 其中/含/分别 since the last semicolon of its
    sentence (其中社会团体13437个), or inside the brackets right after another number (3424家(社团1273家、…)); its
    whole is the number it breaks down. One pass over the text between consecutive numbers: linear in a sentence of
    20,000 numbers."""
    sentence = None
    for h in hits:
        if h.sentence != sentence:
            sentence, pos = h.sentence, h.sentence[0]
            last_by_unit: dict[str, _Hit] = {}
            last_hit: _Hit | None = None
            marker_wholes: dict[str, _Hit] | None = None  # the numbers before the current 其中, by unit
            brackets: list[_Hit | None] = []  # per open bracket, the number it opens right after
        for m in _PART_MARKS.finditer(text, pos, h.start):
            mark = m.group()
            if mark in ";；":
                marker_wholes = None
            elif mark in "(（":
                brackets.append(last_hit if last_hit is not None and m.start() - 1 <= last_hit.end <= m.start()
                                else None)
            elif mark in ")）":
                if brackets:
                    brackets.pop()
            else:
                marker_wholes = dict(last_by_unit)
        pos = h.start
        if marker_wholes is not None:
            h.is_part, h.whole = True, marker_wholes.get(h.unit)
        elif brackets and brackets[-1] is not None:
            h.is_part, h.whole = True, brackets[-1]
        h.bracket_whole = brackets[-1] if brackets else None
        last_by_unit[h.unit] = h
        last_hit = h


_GENERIC_COUNTS = frozenset({"social_orgs_total"})


def _is_stock(indicator: str) -> bool:
    from loaders.frames import load_frames

    return indicator in load_frames()["stock_indicators"]


def _frame_counts(text: str, hits: list[_Hit], inherited: bool) -> None:
    """Each count of organisations framed (loaders/frames.py): an event files it under the event's indicator, a
    level sets its scope, a kind files it apart, and what the rules cannot place is held back (confidence low)."""
    from loaders.frames import frame_count

    prev_end: dict[tuple[int, int], int] = {}
    for h in hits:
        sentence_prev = prev_end.get(h.sentence, h.sentence[0])
        prev_end[h.sentence] = h.end
        if not h.indicator or h.unit != "count" or h.is_inherited != inherited:
            continue
        if h.is_part and h.whole is not None and h.whole.indicator and h.whole.indicator != h.indicator \
                and h.indicator in _GENERIC_COUNTS and h.whole.unit == h.unit and not _is_stock(h.whole.indicator):
            # 梳理出僵尸型社会组织22家,其中…,长期未开展活动的社会组织3家: the part's 社会组织 are the whole's.
            _take(h, h.whole, is_part=True)
            continue
        frame = frame_count(text, h.sentence, h.start, h.end, sentence_prev, h.indicator, h.is_part, inherited)
        if frame is None:
            continue
        if frame.indicator != h.indicator:
            h.indicator, h.label = frame.indicator, frame.label or h.label
        if frame.confidence == "low":
            h.confidence, h.hold_reason, h.hold_words = "low", frame.reason, frame.words
        if frame.scope is not None:
            h.scope = frame.scope


def _clause_left(text: str, h: _Hit) -> str:
    """The words of h's clause before its number (a bracket or 、 also opens a clause)."""
    k = h.start
    while k > h.sentence[0] and not _CLAUSE_BREAK.match(text[k - 1]):
        k -= 1
    return text[k:h.start]


def _carry_on(text: str, hits: list[_Hit]) -> None:
    """Numbers whose own clause does not say what they count take it from what they continue: a breakdown in the
    brackets after its whole (登记1968家、备案59262家), a part whose noun is left out after 的 (其中…注册登记的近1.5万),
    a clause of nothing but a total, a date or a target (总量已突破25万; 到2025年底突破15万家)."""
    from loaders.frames import continuation_kind, load_frames, starts_with_total

    headline = set(load_frames()["headline_indicators"])

    codebook = load_indicators()["indicators"]
    keywords = _rules()["keywords"]
    sentence = None
    prev: _Hit | None = None
    for h in hits:
        if h.sentence != sentence:
            sentence = h.sentence
            last_by_unit: dict[str, _Hit] = {}  # the last classified number of each unit in the sentence
            last_implied: _Hit | None = None  # ... of an indicator whose unit may be left out (25万)
        elif prev is not None and prev.indicator:
            last_by_unit[prev.unit] = prev
            if codebook[prev.indicator].get("implied_unit"):
                last_implied = prev
        prev = h
        if h.indicator:
            continue

        def same_unit(g: _Hit) -> bool:
            return g.unit == h.unit or (h.is_implied and bool(codebook[g.indicator].get("implied_unit")))

        whole = last_implied if h.is_implied else last_by_unit.get(h.unit)
        left = _clause_left(text, h)
        bracket_whole = h.bracket_whole
        if bracket_whole is not None:
            # A breakdown in brackets belongs to its whole, whatever that counts (200家(其中市本级23家)…组织).
            if bracket_whole.indicator and same_unit(bracket_whole):
                _take(h, bracket_whole, is_part=True)
        elif whole is not None and _QUALIFIER_TAIL.sub("", left).rstrip().endswith("的"):
            _take(h, whole, is_part=True)
        elif (carry := continuation_kind(left)) and _names_nothing_after(text, h):
            if whole is not None:
                _take(h, whole, is_part=False)
                if carry == "verb" and h.indicator in headline and h.confidence == "high":
                    h.confidence, h.hold_reason, h.hold_words = "low", "subject_elsewhere", whole.label
                continue
            # The subject is a noun of an earlier clause with no number (社区社会组织大量涌现,总量已突破25万).
            earlier = text[max(h.sentence[0], h.start - len(left) - QUOTE_BOUND):h.start - len(left)]
            best = None
            for code, words in keywords.items():
                spec = codebook[code]
                if not (h.is_implied and spec.get("implied_unit")) and h.unit not in spec["units"]:
                    continue
                for kw in words:
                    idx = earlier.rfind(kw)
                    if idx >= 0 and (best is None or (idx + len(kw), len(kw)) > best[0]):
                        best = ((idx + len(kw), len(kw)), code, kw)
            if best is None:
                continue
            h.indicator, h.label = best[1], best[2]
            h.is_inherited = True
            if h.is_implied:
                h.unit = codebook[best[1]]["unit"]
            if best[1] in headline and (carry == "verb" or not starts_with_total(left)):
                h.confidence, h.hold_reason, h.hold_words = "low", "subject_elsewhere", best[2]


_CLAUSE_END = re.compile(r"\s*(?:$|[,，;；:：。!?！？、()（）])")


def _names_nothing_after(text: str, h: _Hit) -> bool:
    """Nothing but a break follows the number's unit (共11家种子机构 names what it counts after the number)."""
    return bool(_CLAUSE_END.match(text, h.end, h.sentence[1]))


def _take(h: _Hit, whole: _Hit, is_part: bool) -> None:
    """h counts what whole counts (and is as sure as it)."""
    h.indicator, h.label = whole.indicator, whole.label
    h.is_inherited, h.is_part = True, is_part or h.is_part
    h.unit = whole.unit if h.is_implied else h.unit
    if whole.confidence == "low":
        h.confidence, h.hold_reason, h.hold_words = whole.confidence, whole.hold_reason, whole.hold_words


def _inherit(text: str, hits: list[_Hit]) -> None:
    """Unclassified numbers take the indicator of a head number: after 其中/含 or in a 、 list.

    One pass with the last classified number of each unit per sentence, so a sentence of n numbers costs n steps."""
    last_of_unit: dict[tuple[tuple[int, int], str], _Hit] = {}
    breakdown_at: dict[tuple[int, int], int] = {}  # sentence -> end of its first 其中/含/分别, or -1
    for i, h in enumerate(hits):
        if not h.indicator:
            # 1. a breakdown after 其中/含/分别: take the nearest classified number of the same unit before it
            # (Quzhou 2023: 321家,其中市本级103家,各县(市、区)218家)
            g = last_of_unit.get((h.sentence, h.unit))
            if g is not None:
                if h.sentence not in breakdown_at:
                    found = _BREAKDOWN.search(text, h.sentence[0], h.sentence[1])
                    breakdown_at[h.sentence] = found.end() if found else -1
                if 0 <= breakdown_at[h.sentence] <= h.start:
                    _take(h, g, is_part=True)
        if not h.indicator:
            # 2. a list joined by 、 (1个市级、4个县级…培育孵化基地, Leshan 2021): take a classified neighbour's
            for j in (i + 1, i - 1):
                if 0 <= j < len(hits):
                    g = hits[j]
                    if g.sentence != h.sentence or not g.indicator:
                        continue
                    lo, hi = sorted((g, h), key=lambda x: x.start)
                    if hi.start - lo.end > 12:
                        continue
                    between = text[lo.end:hi.start]
                    # 不少于10个、5个 after 平均拥有: the bare count shares its neighbour's rate unit (Jiangsu 2021).
                    same_unit = g.unit == h.unit or (h.unit == "count" and g.unit in ("per_10k", "per_community"))
                    if same_unit and "、" in between and not _LIST_BREAK.search(between):
                        _take(h, g, is_part=False)
                        h.unit = g.unit
                        if g is lo and between.strip() == "、" and h.qualifier == "exact" and g.has_lead_qualifier:
                            h.qualifier = g.qualifier  # 不少于10个、5个: the qualifier governs both figures
                        break
        if h.indicator:
            last_of_unit[(h.sentence, h.unit)] = h


def is_off_topic(text: str) -> bool:
    """A page mostly about another civil-affairs topic (elderly care, marriage, burial): its off-topic words
    (data/reference/topic_words.yaml) outnumber its social-organisation words."""
    words = load_topic_words()
    on = sum(text.count(w) for w in words["on_topic"])
    off = sum(text.count(w) for w in words["off_topic"])
    return off > on * words["off_topic_ratio"]


def _mentions_topic(sentence_text: str) -> bool:
    return any(w in sentence_text for w in load_topic_words()["on_topic"])


def _is_in(spans_start: list[int], spans_max_end: list[int], pos: int) -> bool:
    """Whether pos lies in any of the spans (sorted by start, with the running maximum of their ends)."""
    k = bisect.bisect_right(spans_start, pos)
    return k > 0 and spans_max_end[k - 1] > pos


def extract_facts(clean: CleanText, jurisdiction: Jurisdiction, document: Document) -> list[Fact]:
    """All facts of one cleaned reply, in text order."""
    text = clean.text
    hits = find_numbers(clean)
    for h in hits:
        h.indicator, h.label = _classify(text, h)
        if h.is_implied and h.indicator:
            h.unit = load_indicators()["indicators"][h.indicator]["unit"]
    _mark_parts(text, hits)
    _frame_counts(text, hits, inherited=False)
    _carry_on(text, hits)
    _inherit(text, hits)
    _frame_counts(text, hits, inherited=True)
    # The same 下一步 sections as the measures stage (rules in data/reference/measure_codebook.yaml).
    planned = sorted(find_planned_sections(text))
    planned_start = [a for a, _ in planned]
    planned_max_end, running = [], -1
    for _, b in planned:
        running = max(running, b)
        planned_max_end.append(running)
    sentences = split_sentences(text)
    prev_of = {s: (sentences[k - 1] if k else None) for k, s in enumerate(sentences)}
    last_channel: dict[tuple[int, int], str] = {}
    money_channel: dict[tuple[int, int], str] = {}  # sentence -> channel of its last funding fact so far
    is_topic_gated = is_off_topic(text)
    topic_of: dict[tuple[int, int], bool] = {}
    codebook = load_indicators()["indicators"]
    facts: list[Fact] = []
    for h in hits:
        if not h.indicator or not is_plausible(h.value, h.unit) or \
                (h.value_max is not None and not is_plausible(h.value_max, h.unit)):
            continue
        if is_topic_gated:
            # On a page about another topic only sentences that name social organisations give facts.
            if h.sentence not in topic_of:
                topic_of[h.sentence] = _mentions_topic(text[h.sentence[0]:h.sentence[1]])
            if not topic_of[h.sentence]:
                continue
        left = text[h.ctx[0]:h.start]
        kind, start, end, ptext = _period(left, document)
        in_plan = _is_in(planned_start, planned_max_end, h.start)
        status = "target" if (in_plan or _TARGET_WORDS.search(left)) else "achievement"
        if status == "achievement" and document.type == "notice" and not _DONE_WORDS.search(left):
            status = "target"
        if status == "achievement" and _CONTINUES.match(text, h.sentence[0]) and facts and \
                facts[-1].status == "target" and prev_of.get(h.sentence) is not None:
            # 拟资助项目45个…。其中,为老服务类项目16个: a breakdown opening the next sentence shares its head's status.
            prev = prev_of[h.sentence]
            if clean.raw_span(*prev)[0] <= facts[-1].quote_start:
                status = "target"
        if h.indicator == "funding":
            a, b = _clause_bounds(text, h.ctx, h.start, h.end)
            money = frame_money(text, a, h.start, h.end, b, h.indicator, h.sentence[0])
            if money is not None:
                h.indicator, h.label = money.indicator, money.label or h.label
                if money.confidence == "low":
                    h.confidence, h.hold_reason, h.hold_words = "low", money.reason, money.words
        spec = codebook[h.indicator]
        scope_kind, scope_area = _scope(text, h, jurisdiction, bool(spec.get("is_money")))
        if h.scope is not None and scope_kind == "whole":
            scope_kind, scope_area = h.scope
        if scope_kind == "whole" and h.is_part and h.whole is not None and h.whole.scope_found[0] != "whole":
            # 市级社会组织1039家,包括社会团体603家…: a part of one level's count covers that level only.
            scope_kind, scope_area = h.whole.scope_found
        h.scope_found = (scope_kind, scope_area)
        channel = ""
        if spec.get("is_money"):
            prev = prev_of.get(h.sentence)
            if prev is not None and prev not in last_channel:
                last_channel[prev] = _last_channel(text, prev)
            channel = _channel(text, h, last_channel.get(prev, "") if prev is not None else "")
        if h.indicator == "projects" and h.sentence in money_channel:
            # Projects bought with an amount named just before share its channel (Ganzhou 2022:
            # 投入福彩公益金…资金457.2万元,实施项目93个).
            channel = money_channel[h.sentence]
        if h.indicator == "funding":
            money_channel[h.sentence] = channel
        unit = h.unit
        if unit == "yuan_rate":
            rate = _RATE_UNIT.search(text[h.start:h.end])
            unit = "yuan_per_person" if rate and rate.group(1) == "人" else "yuan_per_unit"
            unit += "_year" if rate and rate.group(2) else ""
        q0, q1 = _quote_span(text, h.sentence, h.start, h.end)
        raw_start, raw_end = clean.raw_span(q0, q1)
        num_raw_start, _ = clean.raw_span(h.start, h.end)
        facts.append(Fact(
            id=f"c{num_raw_start}",
            indicator=h.indicator,
            label=h.label,
            value=h.value,
            value_max=h.value_max,
            unit=unit,
            qualifier=h.qualifier,
            status=status,
            period_kind=kind,
            period_start=start,
            period_end=end,
            period_text=ptext,
            scope_kind=scope_kind,
            scope_area=scope_area,
            channel=channel,
            number_text=clean.raw_quote(h.start, h.end),
            quote=clean.raw[raw_start:raw_end],
            quote_start=raw_start,
            quote_end=raw_end,
            quote_clean=text[q0:q1],
            confidence=h.confidence,
            hold_reason=h.hold_reason if h.confidence == "low" else "",
            hold_words=h.hold_words if h.confidence == "low" else "",
        ))
    return _without_headline_repeats(clean, facts)


def _without_headline_repeats(clean: CleanText, facts: list[Fact]) -> list[Fact]:
    """A page's headline restates a figure of its body, often rounded (社会组织总数突破1万家 above 共有10236家): a
    headline figure whose indicator and unit the body states too is left to the body."""
    from loaders.metadata import find_headline

    title = find_headline(clean)[0]
    if not title or not facts:
        return facts
    a = clean.text.find(title, 0, 2000)
    if a < 0:
        return facts
    a, b = clean.raw_span(a, a + len(title))
    in_title = [f for f in facts if a <= f.quote_start and f.quote_end <= b]
    if not in_title:
        return facts
    body = {(f.indicator, f.unit) for f in facts if not (a <= f.quote_start and f.quote_end <= b)}
    return [f for f in facts if f not in in_title or (f.indicator, f.unit) not in body]
