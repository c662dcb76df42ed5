"""Facts stage: every quantitative statement in a cleaned reply, with indicator, value, period, scope, channel and its sentence."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cn2an
import yaml

from loaders.clean import CleanText
from loaders.measures import find_planned_sections
from loaders.schema import Document, Fact, Jurisdiction

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@lru_cache(maxsize=1)
def load_indicators() -> dict:
    """The indicator codebook (data/reference/indicators.yaml)."""
    return yaml.safe_load((REFERENCE_DIR / "indicators.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _not_place_names() -> frozenset[str]:
    from loaders.metadata import load_jurisdictions

    return frozenset(load_jurisdictions().get("not_place_names", []))


# --- numbers ---------------------------------------------------------------

_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral starts with a digit word or 十 and may hold 万/亿 inside (一万零一十一); 零 never starts one.
_ZH = r"(?<![〇零一二两三四五六七八九十百千万亿])[一二两三四五六七八九十][〇零一二两三四五六七八九十百千万亿]*"
_UNITS = "人次|场次|小时|美元|家|个|支|所|座|处|项|人|名|位|场|次|期|届|批|%|类|元"
NUMBER = re.compile(
    rf"(?P<pre>超过|突破|不少于|不低于|不超过|不到|至少|将近|接近|大约|逾|近|约)?"
    rf"(?P<num>{_AR}|{_ZH})"
    rf"(?:(?P<sep>-|—|~|～|至|到)(?P<num2>{_AR}))?"
    rf"(?P<q1>余|多)?(?P<mult>万|亿|千)?(?P<q2>余|多)?"
    rf"(?P<unit>{_UNITS})"
    rf"(?P<rate>\s*/\s*(?:万人|人|个|家)(?:·年)?)?"
    rf"(?P<post>以上|左右|以内)?"
)
_PRE_QUALIFIER = {
    "超过": "more_than", "突破": "more_than", "逾": "more_than",
    "近": "nearly", "将近": "nearly", "接近": "nearly",
    "约": "approx", "大约": "approx",
    "不少于": "at_least", "不低于": "at_least", "至少": "at_least",
    "不超过": "at_most", "不到": "at_most",
}
_POST_QUALIFIER = {"以上": "more_than", "左右": "approx", "以内": "at_most"}
_MULTIPLIER = {"万": 1e4, "亿": 1e8, "千": 1e3, None: 1.0, "": 1.0}


def parse_number(text: str) -> float:
    """'1,139,244' -> 1139244.0; '一千八百三十一' -> 1831.0; '12609191.85' -> 12609191.85."""
    text = text.strip()
    if re.fullmatch(_AR, text):
        return float(text.replace(",", ""))
    if re.fullmatch(r"[〇零一二两三四五六七八九十百千万亿]+", text):
        try:
            return float(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError, IndexError) as exc:  # cn2an raises KeyError on malformed numerals
            raise ValueError(f"not a number: {text!r}") from exc
    raise ValueError(f"not a number: {text!r}")


def parse_amount(text: str) -> float:
    """A number with an optional 万/亿 multiplier: '9.78万' -> 97800.0, '1.8亿' -> 180000000.0."""
    text = re.sub(r"[余多]", "", text.strip())
    if re.fullmatch(r"[〇零一二两三四五六七八九十百千万亿]+", text):
        return parse_number(text)  # 一万零一十一: the multipliers are part of the numeral
    mult = 1.0
    while text and text[-1] in "万亿千":
        mult *= _MULTIPLIER[text[-1]]
        text = text[:-1]
    return round(parse_number(text) * mult, 6)


# --- sentences and clauses ---------------------------------------------------

_SENTENCE_END = re.compile(r"[。!?！？\n]")
_CLAUSE_BREAK = re.compile(r"[,，;；:：、。!?！？\n(（]")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
_BOOK_TITLE = re.compile(r"《[^》]*》|〔[^〕]*〕")


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
    (re.compile(r"到(\d{4})年(?:底)?"), "target_year"),
    (re.compile(r"(\d{4})年度?(?!以来|起|底|末)"), "year"),
    (re.compile(r"今年"), "this_year"),
    (re.compile(r"去年"), "last_year"),
    (re.compile(r"累计"), "cumulative"),
]
_TARGET_WORDS = re.compile(r"计划|力争|拟|预计|到\d{4}年|将于|争取")
_LEVEL_ONLY = re.compile(r"(?:市|省|区|县|州)本级|各县\(市、区\)|各县（市、区）|各县市区|各县区|各县")
_WHOLE = re.compile(r"全市|全省|全区|全县|全州|我市|我省|全国")
_CHANNEL_RULES: list[tuple[str, re.Pattern]] = [
    ("lottery_welfare_fund", re.compile(r"福彩公益金|福利彩票公益金|彩票公益金")),
    ("venture_philanthropy", re.compile(r"公益创投|微创投")),
    ("government_purchase", re.compile(r"政府购买|购买服务|购买社会组织服务|购买第三方服务|向社会力量购买|购买社会服务")),
    ("party_building", re.compile(r"党建|党组织|党群")),
]
# Words after a number that end the noun phrase it counts (so 三个方面进一步支持…社会团体 is not a count of groups).
_PHRASE_BREAK = re.compile(r"[的被在和与及对为将是有到,，;；:：、。\n]|进一步|支持|开展|参与|推动|进行|提供|实施|建立|发挥|提升|加强|用于|获得|享受")


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


def _unit_of(m: re.Match, left: str) -> str:
    units = load_indicators()["units"]
    unit = units.get(m.group("unit"), m.group("unit"))
    rate = (m.group("rate") or "").replace(" ", "")
    if rate.startswith("/万人"):
        return "per_10k"
    clause_left = _CLAUSE_BREAK.split(left)[-1]
    if "每万人" in clause_left:
        return "per_10k"
    if unit == "count" and "平均拥有" in clause_left:
        return "per_community"
    if rate and unit == "yuan":
        return "yuan_rate"
    return unit


def _is_excluded(text: str, m: re.Match, sentence_start: int) -> bool:
    before = text[max(sentence_start, m.start() - 4):m.start()]
    after = text[m.end():m.end() + 3]
    num = m.group("num")
    if before.endswith("第"):
        return True
    if re.match(r"[A-Za-z]", after) or re.match(r"[A-Za-z]", text[m.start("num") + len(num):][:1]):
        return True  # 3A级: a rating grade, not a count
    if "电话" in before:
        return True
    if re.fullmatch(_ZH, num):
        # Chinese numerals are mostly words (一批, 一点, 三个加强); keep only plain small counts.
        if num == "一" or m.group("unit") in ("类", "批"):
            return True
        if re.match(r"[一二两三四五六七八九十]", after[:1]) and m.group("unit") == "个":
            return True  # 三个一点 (a slogan)
    if m.group("unit") == "类":
        return True
    if m.group("sep") and m.group("unit") in ("年",):
        return True
    return False


def _context_left(text: str, sentence: tuple[int, int], pos: int) -> str:
    return text[sentence[0]:pos]


def _clause_bounds(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    a = start
    while a > sentence[0] and not _CLAUSE_BREAK.match(text[a - 1]):
        a -= 1
    b = end
    while b < sentence[1] and not _CLAUSE_BREAK.match(text[b]):
        b += 1
    return a, b


def _classify(text: str, hit: _Hit) -> tuple[str, str]:
    """Indicator code and label for one number, from the clause around it."""
    codebook = load_indicators()["indicators"]
    eligible = {code: spec for code, spec in codebook.items() if hit.unit in spec["units"]}
    if hit.unit == "per_10k":
        is_community = "社区社会组织" in text[hit.sentence[0]:hit.start]
        return ("community_social_orgs_per_10k" if is_community and "community_social_orgs_per_10k" in codebook
                else "social_orgs_per_10k"), "每万人拥有"
    if hit.unit == "per_community":
        return "community_social_orgs_per_community", "平均拥有"
    if hit.unit == "yuan_rate":
        return "subsidy_standard", "补助标准"
    # Blank the bracketed asides on each side of the number, but not the one that holds it
    # (Ganzhou 2022: 其中市本级13家(含志愿服务组织4家)).
    s0, s1 = hit.sentence
    sentence_text = (_blank_parens(text[s0:hit.start]) + text[hit.start:hit.end] + _blank_parens(text[hit.end:s1]))
    rel_start, rel_end = hit.start - s0, hit.end - s0
    a, b = _clause_bounds(sentence_text, (0, len(sentence_text)), rel_start, rel_end)
    left = sentence_text[a:rel_start]
    right_full = sentence_text[rel_end:b]
    clause = left + right_full
    # 1. context words anywhere in the clause decide first
    # Chinese numerals must be named by a keyword: 三支力量参与… is a slogan, not a count (Leshan 2021).
    is_chinese_numeral = bool(re.match(r"[〇零一二两三四五六七八九十百千]", hit.number_text))
    for code, spec in eligible.items():
        for word in spec.get("context", []) or []:
            if word in clause and not is_chinese_numeral:
                return code, word
    # 2. the keyword ending nearest the number on the left, within a few connecting characters
    best = None
    for code, spec in eligible.items():
        for kw in spec.get("keywords", []) or []:
            idx = left.rfind(kw)
            if idx < 0:
                continue
            gap = len(left) - (idx + len(kw))
            if gap > 6:
                continue
            key = (-gap, len(kw))
            if best is None or key > best[0]:
                best = (key, code, kw)
    if best:
        return best[1], best[2]
    # 3. the head of the noun phrase right after the number (Chinese noun phrases end in their head)
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
    return "", ""


def _period(left: str, doc: Document) -> tuple[str, str, str, str]:
    """(kind, start, end, text) from the words nearest before the number in its sentence."""
    doc_date = doc.date_written or doc.date_published
    doc_year = int(doc_date[:4]) if doc_date else None
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


def _scope(text: str, sentence: tuple[int, int], pos: int, jurisdiction: Jurisdiction) -> tuple[str, str]:
    left = _blank_parens(text[sentence[0]:pos])
    # After 其中 a level marker belongs to its own clause only (Quzhou 2023: 其中市本级103家,各县(市、区)218家,
    # 各责任单位共实地抽查102家 — the last figure is city-wide again).
    breakdown = left.find("其中")
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(left)), default=0)
    best: tuple[int, str, str] | None = None
    for m in _LEVEL_ONLY.finditer(left):
        if breakdown >= 0 and m.start() > breakdown and m.start() < clause_start:
            continue
        best = max(best or (-1, "", ""), (m.end(), "level_only", m.group()))
    for m in _WHOLE.finditer(left):
        if best is None or m.end() > best[0]:
            best = (m.end(), "whole", "")
    # A sub-area is the subject only when it opens the sentence (沙湾区投入55万元…, Leshan 2021);
    # elsewhere a district name is usually part of an organisation's name (赣县樱花公益志愿者协会).
    opening = re.sub(r"^(?:[一二三四五六七八九十]+是|\d+\.|[(（][一二三四五六七八九十\d]+[)）]|同时|此外)[,，]?", "", left)
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
    m = re.match(r"[\u4e00-\u9fff]{1,4}?(?:区|县|市|旗)", opening)
    if m and m.group() not in _not_place_names() and m.group() != jurisdiction.name_zh:
        return m.group()
    return ""


def _channel(text: str, sentence: tuple[int, int], hit: _Hit, prev_sentence: tuple[int, int] | None) -> str:
    sentence_text = text[sentence[0]:sentence[1]]
    a, b = _clause_bounds(text, sentence, hit.start, hit.end)
    clause = text[a:b]
    for code, regex in _CHANNEL_RULES:  # same clause: the listed order decides (source of money first)
        if regex.search(clause):
            return code
    nearest = None
    rel = hit.start - sentence[0]
    for code, regex in _CHANNEL_RULES:
        for m in regex.finditer(sentence_text):
            dist = abs(m.start() - rel)
            if nearest is None or dist < nearest[0]:
                nearest = (dist, code)
    if nearest:
        return nearest[1]
    if prev_sentence:
        # The channel is often named in the sentence before (Quzhou 2023: 每年开展社会组织公益创投项目…。近年来,全市累计投入资金1100余万元).
        prev_text = text[prev_sentence[0]:prev_sentence[1]]
        last = None
        for code, regex in _CHANNEL_RULES:
            for m in regex.finditer(prev_text):
                if last is None or m.end() > last[0]:
                    last = (m.end(), code)
        if last:
            return last[1]
    return "other"


def _skip_head(text: str) -> int:
    """Offset after the salutation line (朱伟正等10位代表:), whose numbers are not facts."""
    m = re.search(r"^[^\n::。]{2,40}[::]\s*$", text[:800], re.M)
    return m.end() if m else 0


def find_numbers(clean: CleanText) -> list[_Hit]:
    """Every number with a counting unit, parsed, with its sentence; exclusions applied."""
    text = clean.text
    hits: list[_Hit] = []
    skip_to = _skip_head(text)
    masked = _BOOK_TITLE.sub(lambda m: "□" * len(m.group()), text)  # numbers in 《titles》 and 〔years〕 are not facts
    for sentence in split_sentences(text):
        if sentence[1] <= skip_to:
            continue
        for m in NUMBER.finditer(masked, sentence[0], sentence[1]):
            if _is_excluded(masked, m, sentence[0]):
                continue
            left = _context_left(text, sentence, m.start())
            unit = _unit_of(m, left)
            try:
                value = parse_amount(m.group("num") + (m.group("mult") or ""))
                value_max = parse_amount(m.group("num2") + (m.group("mult") or "")) if m.group("num2") else None
            except ValueError:
                continue
            if unit == "percent":
                value_max = value_max
            qualifier = "exact"
            if m.group("num2"):
                qualifier = "range"
            elif m.group("pre") in _PRE_QUALIFIER:
                qualifier = _PRE_QUALIFIER[m.group("pre")]
            elif m.group("q1") or m.group("q2"):
                qualifier = "more_than"
            elif m.group("post") in _POST_QUALIFIER:
                qualifier = _POST_QUALIFIER[m.group("post")]
            if unit == "yuan_rate" or (unit == "yuan" and m.group("rate")):
                unit = "yuan_rate"
            num_start = m.start("num")
            hits.append(_Hit(num_start, m.end(), sentence, value, value_max, unit, qualifier,
                             text[num_start:m.end()]))
    return hits


def _inherit(text: str, hits: list[_Hit]) -> None:
    """Unclassified numbers take the indicator of a head number: after 其中/含 or in a 、 list."""
    for i, h in enumerate(hits):
        if h.indicator:
            continue
        # 1. a breakdown after 其中/含/分别: take the nearest classified number of the same unit before it
        # (Quzhou 2023: 321家,其中市本级103家,各县(市、区)218家)
        for j in range(i - 1, -1, -1):
            g = hits[j]
            if g.sentence != h.sentence or not g.indicator or g.unit != h.unit:
                continue
            if re.search(r"其中|含|分别", text[h.sentence[0]:h.start]):
                h.indicator, h.label = g.indicator, g.label
            break
        if h.indicator:
            continue
        # 2. a list joined by 、 (1个市级、4个县级…培育孵化基地, Leshan 2021): take a classified neighbour's
        for j in (i + 1, i - 1):
            if 0 <= j < len(hits):
                g = hits[j]
                lo, hi = sorted((g, h), key=lambda x: x.start)
                between = text[lo.end:hi.start]
                # 不少于10个、5个 after 平均拥有: the bare count shares its neighbour's rate unit (Jiangsu 2021).
                same_unit = g.unit == h.unit or (h.unit == "count" and g.unit in ("per_10k", "per_community"))
                if g.indicator and same_unit and g.sentence == h.sentence and "、" in between \
                        and not re.search(r"[,，;；。]", between) and len(between) <= 12:
                    h.indicator, h.label, h.unit = g.indicator, g.label, g.unit
                    break


def extract_facts(clean: CleanText, jurisdiction: Jurisdiction, document: Document) -> list[Fact]:
    """All facts of one cleaned reply, in text order."""
    text = clean.text
    hits = find_numbers(clean)
    for h in hits:
        h.indicator, h.label = _classify(text, h)
    _inherit(text, hits)
    # The same 下一步 sections as the measures stage (rules in data/reference/measure_codebook.yaml).
    planned = find_planned_sections(text)
    sentences = split_sentences(text)
    prev_of = {s: (sentences[k - 1] if k else None) for k, s in enumerate(sentences)}
    codebook = load_indicators()["indicators"]
    facts: list[Fact] = []
    for h in hits:
        if not h.indicator:
            continue
        left = text[h.sentence[0]:h.start]
        kind, start, end, ptext = _period(left, document)
        in_plan = any(a <= h.start < b for a, b in planned)
        status = "target" if (in_plan or _TARGET_WORDS.search(left)) else "achievement"
        scope_kind, scope_area = _scope(text, h.sentence, h.start, jurisdiction)
        spec = codebook[h.indicator]
        channel = _channel(text, h.sentence, h, prev_of.get(h.sentence)) if spec.get("is_money") else ""
        if h.indicator == "projects":
            # Projects bought with an amount named just before share its channel (Ganzhou 2022:
            # 投入福彩公益金…资金457.2万元,实施项目93个).
            money = [f for f in facts if f.indicator == "funding" and f.quote_start == clean.raw_span(*h.sentence)[0]]
            if money:
                channel = money[-1].channel
        unit = h.unit
        if unit == "yuan_rate":
            rate = re.search(r"/\s*(人|个|家)(·年)?", text[h.start:h.end])
            unit = "yuan_per_person" if rate and rate.group(1) == "人" else "yuan_per_unit"
            unit += "_year" if rate and rate.group(2) else ""
        raw_start, raw_end = clean.raw_span(*h.sentence)
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
            quote_clean=text[h.sentence[0]:h.sentence[1]],
        ))
    return facts
