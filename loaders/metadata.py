"""Metadata stage: who wrote the document, to whom, about what, when, and which jurisdiction it speaks for, each with where it was found."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.clean import CleanText
from loaders.schema import Document, FieldSource, Jurisdiction

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

_PLACE = r"[\u4e00-\u9fff]{2,10}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗)"
_ISSUER = re.compile(rf"({_PLACE})民政(?:局|厅)")
_BUREAU = re.compile(r"民政(?:局|厅)")
_SALUTATION = re.compile(r"^\s*([^\n:：。,，]{2,40})[:：]\s*$", re.M)
_PROPOSAL_NUMBER = re.compile(r"第\s*(\d+)\s*号")
_SESSION = re.compile(r"([省市区县州]?[一二三四五六七八九十]+届(?:人大|政协)?[一二三四五六七八九十]+次(?:会议)?)")
_TITLE_BOOK = re.compile(r"《([^》]{4,80})》")
_TITLE_QUOTED = re.compile(r"[“\"]([^”\"]{4,80})[”\"]\s*(?:提案|建议)")
# A document number: the issuer's abbreviation, the year in brackets, the serial (浙民提〔2021〕8号, 衢市民议函〔2023〕2号).
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,5})\s*号")
# The congress a suggestion or proposal went to gives the level (省政协, 市八届人大三次会议); 全国 is not a local level.
_CONGRESS = re.compile(r"(?<!全)(省|自治区|市|州|盟|区|县|旗)(?:第?[一二三四五六七八九十]+届)?(?:人大|人民代表大会|政协)")
_SELF_REFERENCE = re.compile(r"(?:我|全|本)(省|市|州|区|县|旗)")
_SOURCE_LINE = re.compile(r"(?:信息来源|文章来源|稿件来源|来源)\s*[:：]?\s*([^\s|,，;；]{2,30})")
_LEVEL_OF_SUFFIX = {"省": "province", "自治区": "province", "市": "prefecture", "州": "prefecture", "自治州": "prefecture",
                    "盟": "prefecture", "地区": "prefecture", "区": "county", "县": "county", "旗": "county"}
_NOT_IN_NAMES = re.compile(r"[发挥推动加强联合经由与和及向对在是将为了的我本全该各]")


@lru_cache(maxsize=1)
def load_jurisdictions() -> dict:
    return yaml.safe_load((REFERENCE_DIR / "jurisdictions.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_document_types() -> dict:
    """Title, salutation and source rules for the document type (data/reference/document_types.yaml)."""
    return yaml.safe_load((REFERENCE_DIR / "document_types.yaml").read_text(encoding="utf-8"))


# --- where to look: the cleaned text and the furniture lines cleaning removed ---------------------------------


@dataclass(frozen=True)
class Region:
    """A stretch of text with, for every character, its raw offset: the cleaned text, or one removed furniture line."""

    text: str
    offsets: tuple[int, ...]
    is_furniture: bool
    kind: str = "text"  # for furniture, the pattern that removed it (index_block, related_links, contact_line…)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if not self.offsets:
            return -1, -1
        if end <= start:
            return self.offsets[min(start, len(self.offsets) - 1)], self.offsets[min(start, len(self.offsets) - 1)]
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=8)
def _furniture_regions(clean: CleanText) -> tuple[Region, ...]:
    """Removed furniture lines (索引号, 发布机构, 信息来源…), converted like the text (so 發布機構 reads 发布机构)."""
    from loaders.clean import (
        convert_to_simplified, load_furniture_patterns, normalize_fullwidth, remove_invisible, strip_pinyin,
    )

    regions = []
    for r in clean.repairs:
        if r.kind != "furniture":
            continue
        tmp = CleanText(r.removed, r.removed, tuple(range(len(r.removed))))
        done = convert_to_simplified(strip_pinyin(normalize_fullwidth(remove_invisible(tmp))))
        kind = next((name for name, regex, _ in load_furniture_patterns() if regex.search(done.text)), "furniture")
        regions.append(Region(done.text, tuple(r.raw_start + o for o in done.offsets), True, kind))
    return tuple(regions)


# Furniture that speaks of the page itself; related links and site footers name other bodies (相关链接：哈尔滨市民政局).
_SELF_FURNITURE = ("index_block", "page_counters", "furniture")


def _furniture_lines(clean: CleanText) -> list[str]:
    return [r.text for r in _furniture_regions(clean)]


def _main_region(clean: CleanText) -> Region:
    return Region(clean.text, clean.offsets, False)


def _source(clean: CleanText, region: Region, start: int, end: int, **kw) -> FieldSource:
    a, b = region.raw_span(start, end)
    return FieldSource(evidence=clean.raw[a:b] if a >= 0 else "", start=a, end=b, **kw)


def _field(lines: list[str], names: str) -> str:
    pat = re.compile(rf"(?:{names})\s*[:：]?\s*([^\s]+(?:\s\d{{1,2}}:\d{{2}})?)")
    for line in lines:
        m = pat.search(line)
        if m:
            return m.group(1).strip()
    return ""


# --- places -----------------------------------------------------------------------------------------------------


def pinyin_name(name_zh: str) -> str:
    """English name of a place not in the gazetteer: pinyin of the name without its 市/省/县 suffix."""
    from pypinyin import lazy_pinyin

    core = re.sub(r"(省|自治区|市|自治州|州|盟|地区|县|区|旗)$", "", name_zh) or name_zh
    return "".join(lazy_pinyin(core)).capitalize()


def _level_of(name_zh: str) -> str:
    """Level of a place the gazetteer does not list, from its suffix (it lists every division, so this is a new one)."""
    if re.search(r"(省|自治区)$", name_zh):
        return "province"
    if re.search(r"(自治州|州|盟|地区)$", name_zh):
        return "prefecture"
    if re.search(r"(市|县|区|旗)$", name_zh):
        return "county"
    return "unknown"


def _jurisdiction_of(place) -> Jurisdiction:
    return Jurisdiction(slug=place.slug, name_zh=place.name_zh, name_en=place.name_en, level=place.level,
                        province_zh=place.province_zh, province_en=place.province_en,
                        prefecture_zh=place.prefecture_zh, prefecture_en=place.prefecture_en)


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, tuple], int, frozenset[str]]:
    """Every place name and alias of the gazetteer -> the places it names; the longest name; the last characters."""
    from loaders.places import place_names

    index = place_names()
    skip = set(load_jurisdictions().get("not_place_names", []))
    # Names that are also common words (城区, 郊区, 矿区) are never read out of running text.
    frozen = {n: tuple(ps) for n, ps in index.items() if n not in skip and len(n) >= 3 or (len(n) == 2 and n not in skip
                                                                                          and n[-1] in "县旗")}
    return frozen, max(map(len, frozen)), frozenset(n[-1] for n in frozen)


@lru_cache(maxsize=1)
def _word_names() -> frozenset[str]:
    """The gazetteer's names that _name_index leaves out because they are also words (矿区, 东区, 城区)."""
    from loaders.places import place_names

    return frozenset(place_names()) - frozenset(_name_index()[0])


def _word_name_ending(text: str) -> str | None:
    """The longest of _word_names that text ends with, or None."""
    return max((w for w in _word_names() if text.endswith(w)), key=len, default=None)


def _is_word_after_parents(name: str) -> bool:
    """name is gazetteer names followed by a name that is also a word (阳泉市城区, 攀枝花市东区)."""
    word = _word_name_ending(name)
    return word is not None and len(name) > len(word) and all(
        n in _name_index()[0] for n in _split_known(name[:-len(word)]))


def find_place_names(text: str) -> list[tuple[int, int, str]]:
    """Every gazetteer name in the text, longest first at each end and never overlapping: (start, end, name).

    Linear in the text: only positions holding a name's last character are tried, with at most the longest name's
    length of look-back."""
    index, longest, last_chars = _name_index()
    found: list[tuple[int, int, str]] = []
    for i, ch in enumerate(text):
        if ch not in last_chars:
            continue
        for length in range(min(longest, i + 1), 1, -1):
            cand = text[i + 1 - length:i + 1]
            if cand in index:
                found.append((i + 1 - length, i + 1, cand))
                break
    kept: list[tuple[int, int, str]] = []
    for item in found:  # sorted by end; a later, longer name swallowing an earlier one wins
        while kept and kept[-1][1] > item[0] and (item[1] - item[0]) > (kept[-1][1] - kept[-1][0]):
            kept.pop()
        if kept and kept[-1][1] > item[0]:
            continue
        kept.append(item)
    return kept


def _places_named(name: str, context: str):
    """The one place a gazetteer name stands for in this text, or None (unknown name, or two places of that name)."""
    from loaders.places import resolve_place_name

    place, _reason = resolve_place_name(name, context)
    return place


def resolve_place(name: str, context: str = ""):
    """The jurisdiction an issuer's place name stands for, or None if it is running text, not a name.

    A known name is taken as it is, whatever its characters (合肥市, 呼和浩特市 and 本溪市 hold 合, 和 and 本, which in
    running text are words). A known name at the end of running text (发挥合肥市民政局) or after its parent (安徽省合肥市)
    is that name. Anything else must look like a name (no verbs or function words) and is taken as a place outside the
    gazetteer (a new district, say), named in pinyin."""
    index, _, _ = _name_index()
    if _is_word_after_parents(name):
        # A name that is also a word after its parents (阳泉市城区, 攀枝花市东区): the parents say which place it is,
        # never a new place named in pinyin (yangquanshicheng); a parent that has no such place gives None.
        from loaders.places import resolve_place_name

        place, _reason = resolve_place_name(name, context)
        return _jurisdiction_of(place) if place is not None else None
    names = find_place_names(name)
    if names and names[-1][1] == len(name):
        start, end, last = names[-1]
        head = name[:start]
        if not head or all(n in index for n in _split_known(head)) or _NOT_IN_NAMES.search(head):
            place = _places_named(last, f"{name} {context}")
            if place is not None:
                return _jurisdiction_of(place)
            return None
    if not _is_place_name(name) or name in _LEVEL_OF_SUFFIX or re.fullmatch(r"[省市区县州旗盟]+|自治[区州县旗]|地区", name):
        return None
    from pypinyin import lazy_pinyin

    from loaders.places import place_by_slug

    slug = pinyin_name(name).lower()
    if place_by_slug(slug) is not None:
        slug = "".join(lazy_pinyin(name)).lower()  # a district sharing a prefecture's pinyin keeps its suffix: jizhouqu
    return Jurisdiction(slug=slug, name_zh=name, name_en=pinyin_name(name), level=_level_of(name))


def _split_known(text: str) -> list[str]:
    names = find_place_names(text)
    return [n for _, _, n in names] if names and "".join(n for _, _, n in names) == text else [text]


def _is_place_name(name: str) -> bool:
    return len(name) <= 8 and not _NOT_IN_NAMES.search(name[:-1])


def _is_nested(a, b) -> bool:
    """True when one place lies within the other (or they are the same)."""
    return a.slug == b.slug or _is_within(a, b) or _is_within(b, a)


def _is_within(inner, outer) -> bool:
    if outer.level == "province":
        return inner.level != "province" and inner.province_zh == outer.name_zh
    if outer.level == "prefecture":
        return inner.level == "county" and inner.prefecture_zh == outer.name_zh and inner.province_zh == outer.province_zh
    return False


@dataclass
class Signal:
    kind: str        # issuer, doc_number, title, proposal_title, addressee, source_line, sub_areas, body
    strength: int    # 4: the issuer names its place; 3: a province's 文号, the congress in the title; 2: names
                     # the place (title, addressee, source line, the districts listed); 1: the body's own words
    place: object    # a loaders.places.Place or a Jurisdiction outside the gazetteer
    source: FieldSource
    count: int = 1   # how often the text names it (body signals)
    rank: int = 0    # issuers: where it stands (0 signature, 1 title, 2 index block, 3 elsewhere)
    name: str = ""   # ambiguous issuers: the name that more than one place bears (和平区)


@dataclass
class _Found:
    signals: list[Signal] = field(default_factory=list)
    level_hints: list[tuple[str, FieldSource]] = field(default_factory=list)


def _find_issuers(clean: CleanText, found: _Found) -> None:
    """X省民政厅, X市民政局, X区民政局: in the title, the header, the signature and the page's index block.

    In the body "X市民政局" is often a verb phrase running into 市民政局 (Ganzhou 2022: 充分发挥市民政局), so the body is
    read only near its start and end; a bare 市民政局/省民政厅 there gives the level, not the place."""
    text = clean.text
    regions = [(_main_region(clean), 0, min(len(text), 400)), (_main_region(clean), max(0, len(text) - 400), len(text))]
    regions += [(r, 0, len(r.text)) for r in _furniture_regions(clean) if r.kind in _SELF_FURNITURE]
    seen = set()
    for region, lo, hi in regions:
        for m in _BUREAU.finditer(region.text, lo, hi):
            if (region.is_furniture, region.offsets[m.start()] if region.offsets else m.start()) in seen:
                continue
            seen.add((region.is_furniture, region.offsets[m.start()] if region.offsets else m.start()))
            before = region.text[max(lo, m.start() - 16):m.start()]
            head = re.search(r"[\u4e00-\u9fff]*$", before).group()
            place = None
            if head:
                mm = re.search(rf"({_PLACE})$", head)
                names = find_place_names(head)
                if names and names[-1][1] == len(head):
                    start = names[-1][0]
                    # the whole chain of names before it (吉林省长春市朝阳区) is the context that tells 朝阳区 apart
                    while len(names) > 1 and names[-2][1] == start:
                        names.pop()
                        start = names[-1][0]
                    place = resolve_place(head[start:], text)
                    if place is None:
                        _note_ambiguous(clean, region, m, head, found)
                        continue
                elif head in _word_names() and re.split(r"[:：\s]", region.text[
                        region.text.rfind("\n", 0, m.start()) + 1:m.start()])[-1] == head:
                    # A gazetteer name that is also a word (矿区, 东区) is never read out of running text, but as the
                    # whole issuer at the start of its line or after a label (矿区民政局关于…的答复, 发布机构: 矿区民政局)
                    # it is that name, if only one place bears it (found by hypothesis: 阳泉市矿区).
                    named = _places_named(head, text)
                    place = _jurisdiction_of(named) if named is not None else None
                elif _is_word_after_parents(head):
                    # ... or after the names of its parents, wherever it stands (佳木斯市郊区民政局关于…): a chain of
                    # gazetteer names, not running text.
                    place = resolve_place(head, text)
                elif mm:
                    line_start = region.text.rfind("\n", 0, m.start()) + 1
                    line_end = region.text.find("\n", m.end())
                    line = region.text[line_start:line_end if line_end >= 0 else len(region.text)]
                    # A name outside the gazetteer counts only on a line of its own (a signature or title), where it
                    # cannot be running text.
                    if len(line.strip()) <= 20 or region.is_furniture:
                        place = resolve_place(mm.group(1))
            if place is not None and place.slug:
                start = m.start() - len(place.name_zh) if region.text[:m.start()].endswith(place.name_zh) else m.start()
                src = _source(clean, region, start, m.end(), field="jurisdiction", value=place.slug, signal="issuer",
                              note=f"jurisdiction from the issuer {place.name_zh}{m.group()}")
                sig = Signal("issuer", 4, place, src)
                sig.rank = _issuer_rank(region, m, lo)
                found.signals.append(sig)
            elif not head or head[-1] in "省市州区县旗":
                suffix = head[-1] if head else ""
                if suffix and (len(head) == 1 or not re.match(r"[\u4e00-\u9fff]", head[-2:-1]) or head[-2] in "全本我该"):
                    level = _LEVEL_OF_SUFFIX.get(suffix, "")
                    src = _source(clean, region, m.start() - 1, m.end(), field="level", value=level, signal="issuer",
                                  note=f"level from the issuer {suffix}{m.group()}, which names no place")
                    found.level_hints.append((level, src))


def _issuer_rank(region: Region, m: re.Match, lo: int) -> int:
    """Where an issuer stands: 0 a signature line (short, in the last lines), 1 a title line, 2 the index block,
    3 elsewhere near the top or the end (a body sentence that names another bureau)."""
    line_start = region.text.rfind("\n", 0, m.start()) + 1
    line_end = region.text.find("\n", m.end())
    line = region.text[line_start:line_end if line_end >= 0 else len(region.text)].strip()
    if region.is_furniture:
        return 2
    if lo > 0 and len(line) <= 24:
        return 0
    if re.search(r"关于|答复|复函|通知|公告|总结|报告", line) and not re.search(r"[。;；]", line):
        return 1
    return 3


def _note_ambiguous(clean, region, m, head, found) -> None:
    from loaders.places import resolve_place_name

    names = find_place_names(head)
    name = names[-1][2] if names else head
    _, reason = resolve_place_name(name, clean.text)
    src = _source(clean, region, m.start() - len(name), m.end(), field="jurisdiction", value="unknown",
                  signal="issuer", note=reason or f"{name} names more than one place")
    found.signals.append(Signal("ambiguous", 4, None, src, name=name))
    level = next((lv for suffix, lv in sorted(_LEVEL_OF_SUFFIX.items(), key=lambda kv: -len(kv[0]))
                  if name.endswith(suffix)), "")
    if level:
        found.level_hints.append((level, src.model_copy(update={"field": "level", "value": level,
                                                                "note": f"level from the issuer {name}{m.group()}"})))


def _find_named(clean: CleanText, region: Region, lo: int, hi: int, kind: str, strength: int, found: _Found,
                what: str) -> None:
    """Places named in full inside region.text[lo:hi] (a title, an addressee, a source line)."""
    for a, b, name in find_place_names(region.text[lo:hi]):
        place = _places_named(name, clean.text)
        if place is None:
            continue
        src = _source(clean, region, lo + a, lo + b, field="jurisdiction", value=place.slug, signal=kind,
                      note=f"jurisdiction from {what} {name}")
        found.signals.append(Signal(kind, strength, place, src))


def _title_spans(clean: CleanText) -> list[tuple[Region, int, int]]:
    """The page title and headline lines: the index block's 信息名称/标题, and title-like lines at the top."""
    spans = []
    for r in _furniture_regions(clean):
        m = re.search(_TITLE_LABEL, r.text)
        if m:
            spans.append((r, m.start(1), m.end(1)))
    text = clean.text
    pos = 0
    for line in text[:1500].split("\n")[:8]:
        stripped = line.strip()
        if 6 <= len(stripped) <= 150 and re.search(r"关于|答复|复函|通知|总结|报告|办理|情况", stripped) \
                and not _SALUTATION.match(line):
            spans.append((_main_region(clean), pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _find_signals(clean: CleanText, addressee_span: tuple[int, int] | None) -> _Found:
    found = _Found()
    _find_issuers(clean, found)
    text = clean.text
    main = _main_region(clean)
    head_lines = "\n".join(text.splitlines()[:4])
    # 1. the document number's abbreviation (浙民提〔2021〕8号 is Zhejiang), in the title lines and the index block
    from loaders.places import find_doc_number_prefix

    numbered = [(main, m) for m in _DOC_NUMBER.finditer(head_lines)]
    for r in _furniture_regions(clean):
        numbered += [(r, m) for m in _DOC_NUMBER.finditer(r.text)]
    for region, m in numbered:
        place, reason = find_doc_number_prefix(m.group(0))
        if place is not None:
            prefix = m.group(1)
            src = _source(clean, region, m.start(), m.end(), field="jurisdiction", value=place.slug,
                          signal="doc_number", note=f"{place.level} {place.name_zh} from 文号 {prefix}")
            found.signals.append(Signal("doc_number", 3 if place.level == "province" else 2, place, src))
    # 2. the title, the proposal's title, the addressee and the source line name the place
    for region, a, b in _title_spans(clean):
        _find_named(clean, region, a, b, "title", 2, found, "the title")
        # 对云南省第十三届人大四次会议…的答复: the congress the suggestion went to is the place's own.
        for m in re.finditer(rf"({_PLACE})(第?[一二三四五六七八九十]+届)?(?:人大|人民代表大会|政协)", region.text[a:b]):
            name = find_place_names(m.group(1))
            word = _word_name_ending(m.group(1)) if m.group(2) else None
            if word is not None and not (name and name[-1][1] == len(m.group(1))):
                # A name that is also a word (矿区) right before its numbered congress (矿区第十三届人大) is that name.
                name = [(len(m.group(1)) - len(word), len(m.group(1)), word)]
            if name and name[-1][1] == len(m.group(1)):
                place = _places_named(name[-1][2], clean.text)
                if place is not None:
                    start = a + m.start(1) + name[-1][0]
                    src = _source(clean, region, start, a + m.end(), field="jurisdiction", value=place.slug,
                                  signal="title", note=f"jurisdiction from the congress the title names "
                                                       f"({region.text[start:a + m.end()]})")
                    found.signals.append(Signal("title", 3, place, src))
    for m in list(_TITLE_BOOK.finditer(text[:1500]))[:1]:
        _find_named(clean, main, m.start(1), m.end(1), "proposal_title", 2, found, "the proposal title")
    if addressee_span:
        _find_named(clean, main, *addressee_span, "addressee", 2, found, "the addressee")
    for region in [*_furniture_regions(clean), main]:
        limit = len(region.text) if region.is_furniture else min(len(region.text), 600)
        for m in _SOURCE_LINE.finditer(region.text, 0, limit):
            _find_source_place(clean, region, m, found)
        if not region.is_furniture:
            for m in _SOURCE_LINE.finditer(region.text, max(limit, len(region.text) - 300)):
                _find_source_place(clean, region, m, found)
    # 3. the congress and the self-references give the level
    for lo, hi in ((0, min(1500, len(text))), (max(1500, len(text) - 400), len(text))):
        for m in _CONGRESS.finditer(text, lo, hi):
            level = _LEVEL_OF_SUFFIX[m.group(1)]
            src = _source(clean, main, m.start(), m.end(), field="level", value=level, signal="congress",
                          note=f"level from the congress named ({m.group()})")
            found.level_hints.append((level, src))
    selves = Counter(m.group(1) for m in _SELF_REFERENCE.finditer(text))
    if selves:
        suffix, count = selves.most_common(1)[0]
        if count >= 1 and count >= 2 * sum(c for s, c in selves.items() if s != suffix and
                                            _LEVEL_OF_SUFFIX[s] != _LEVEL_OF_SUFFIX[suffix]):
            m = re.search(rf"(?:我|全|本){suffix}", text)
            src = _source(clean, main, m.start(), m.end(), field="level", value=_LEVEL_OF_SUFFIX[suffix],
                          signal="body", note=f"level from how the text speaks of itself ({m.group()}, {count} times)")
            found.level_hints.append((_LEVEL_OF_SUFFIX[suffix], src))
    # 4. the body: the places it names in full, and the districts or cities it lists (their parent is the place)
    _find_body_places(clean, found)
    return found


# The index block's title field: 信息名称, 标题, 【标题】, 标  题：.
_TITLE_LABEL = re.compile(r"(?:信息名称|标\s*题|题\s*名|文件名称)\s*[】\]]?\s*[:：]?\s*(.+?)(?:\s+(?:内容概述|摘要|主题)|$)")
_TITLE_WORDS = re.compile(r"关于|答复|复函|通知|公告|公示|总结|报告|计划|要点|办法|方案|的函")
_MEDIA = re.compile(r"(日报|晚报|晨报|时报|商报|报社|新闻网|新闻|电视台|广播电台|融媒体中心|客户端|网)$")


def _find_source_place(clean: CleanText, region: Region, m: re.Match, found: _Found) -> None:
    """信息来源:中国舟山 names 舟山市 (by its short name); 来源:大众日报 is a newspaper, not a place."""
    value = m.group(1)
    a = m.start(1)
    names = find_place_names(value)
    if names:
        _find_named(clean, region, a, a + len(value), "source_line", 2, found, "the source line")
        return
    from loaders.places import place_by_slug, province_other_names

    for paper, slug in province_other_names().get("newspaper", {}).items():
        if paper in value:
            i = value.index(paper)
            src = _source(clean, region, a + i, a + i + len(paper), field="jurisdiction", value=slug,
                          signal="source_line", note=f"province from the source line {value}, its party newspaper")
            found.signals.append(Signal("source_line", 2, place_by_slug(slug), src))
            return
    media = _MEDIA.search(value)
    if media and not value.endswith("网"):
        # A city's paper is named after its city (恩施日报, 温州晚报): the place, when only one bears the name.
        masthead = value[:media.start()]
        for short, p in _short_names():
            if masthead == short:
                src = _source(clean, region, a, a + len(short), field="jurisdiction", value=p.slug,
                              signal="source_line", note=f"jurisdiction from the source line {value}, the paper of "
                                                         f"{p.name_zh}")
                found.signals.append(Signal("source_line", 2, p, src))
                return
    if media and not value.endswith("网") or "民政" in value:
        return
    for short, p in _short_names():
        if short in value:
            i = value.index(short)
            src = _source(clean, region, a + i, a + i + len(short), field="jurisdiction", value=p.slug,
                          signal="source_line", note=f"jurisdiction from the source line {value}")
            found.signals.append(Signal("source_line", 2, p, src))
            return


@lru_cache(maxsize=1)
def _short_names() -> tuple[tuple[str, object], ...]:
    """Provinces and prefectures by their names without suffix (舟山, 恩施), where no other one begins so."""
    from loaders.places import _index

    aliases = _index()[3]
    upper = [p for p in _index()[0] if p.level != "county"]
    out = []
    for p in upper:
        # The name without its suffix, and each alias without its own (恩施州 -> 恩施 for 恩施土家族苗族自治州).
        shorts = {re.sub(r"(省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区|地区|盟|自治州|州)$", "", n)
                  for n in (p.name_zh, *aliases.get(p.slug, ()))}
        for short in sorted(shorts):
            if len(short) >= 2 and sum(1 for q in upper if q.name_zh.startswith(short)
                                       or any(a.startswith(short) for a in aliases.get(q.slug, ()))) == 1:
                out.append((short, p))
    return tuple(out)


def _find_body_places(clean: CleanText, found: _Found) -> None:
    text = clean.text
    main = _main_region(clean)
    named = find_place_names(text)
    places = []
    for a, b, name in named:
        place = _places_named(name, text)
        if place is not None:
            places.append((a, b, place))
    # Children vote for their parent: a city reply lists its districts and counties, a province its cities.
    # Curated places add their short sub-area names (data/reference/jurisdictions.yaml: Ganzhou 2022 says 赣县, 于都).
    from loaders.places import place_by_slug

    parents: Counter = Counter()
    first: dict[str, tuple[int, int, str]] = {}
    children: dict[str, set] = {}
    for a, b, p in places:
        key = p.prefecture_slug if p.level == "county" and p.prefecture_slug else None
        if key is None and p.level in ("county", "prefecture"):
            key = _province_slug(p.province_zh)
        if key:
            children.setdefault(key, set()).add(p.slug)
            first.setdefault(key, (a, b, p.name_zh))
    for j in load_jurisdictions()["jurisdictions"]:
        hits = [a for a in j.get("sub_areas", []) if a in text]
        if hits:
            children.setdefault(j["slug"], set()).update(hits)
            if j["slug"] not in first:
                pos = text.find(hits[0])
                first[j["slug"]] = (pos, pos + len(hits[0]), hits[0])
    for key, kids in children.items():
        parents[key] = len(kids)
    if parents:
        (best, n), *rest = parents.most_common(2) + [(None, 0)]
        runner_up = rest[0][1] if rest else 0
        parent = place_by_slug(best)
        if parent is not None and n >= 2 and n >= 2 * runner_up:
            a, b, name = first[best]
            src = _source(clean, main, a, b, field="jurisdiction", value=parent.slug, signal="sub_areas",
                          note=f"jurisdiction {parent.name_zh} from the {n} places within it that the text names "
                               f"(first {name})")
            found.signals.append(Signal("sub_areas", 2, parent, src))
    # A province is named without its suffix in running text (为山东打赢脱贫攻坚战贡献了社会力量).
    taken = [(a, b) for a, b, _ in places]
    for m in _province_short_names().finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            places.append((m.start(), m.end(), place_by_slug(_PROVINCE_BY_SHORT[m.group()])))
    # The place's own name in the body (推动绵阳市社会组织…): the weakest signal, used only when nothing else names it.
    counts = Counter(p.slug for _, _, p in places)
    for slug, count in counts.most_common(3):
        a, b, p = next(x for x in places if x[2].slug == slug)
        src = _source(clean, main, a, b, field="jurisdiction", value=slug, signal="body",
                      note=f"jurisdiction from the body, which names {p.name_zh} {count} time(s)")
        found.signals.append(Signal("body", 1, p, src, count))


_PROVINCE_BY_SHORT: dict[str, str] = {}


@lru_cache(maxsize=1)
def _province_short_names() -> re.Pattern:
    """山东, 内蒙古, 广西: provinces without their suffix (every one is two or three characters and unique)."""
    from loaders.places import load_places

    from loaders.places import province_other_names

    for p in load_places():
        if p.level == "province":
            short = re.sub(r"(省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)$", "", p.name_zh)
            if len(short) >= 2:
                _PROVINCE_BY_SHORT[short] = p.slug
    # Literary names (陇原, 齐鲁) name their province too (data/reference/province_other_names.csv).
    _PROVINCE_BY_SHORT.update(province_other_names().get("literary", {}))
    return re.compile("|".join(sorted(_PROVINCE_BY_SHORT, key=len, reverse=True)))


@lru_cache(maxsize=64)
def _province_slug(province_zh: str) -> str:
    from loaders.places import load_places

    return next((p.slug for p in load_places() if p.level == "province" and p.name_zh == province_zh), "")


UNKNOWN = Jurisdiction(slug="unknown", name_zh="", name_en="Unknown", level="unknown")


def decide_jurisdiction(found: _Found) -> tuple[Jurisdiction, list[FieldSource]]:
    """The one place the signals agree on, or unknown with the reason. Never a guess.

    The strongest signals decide: an issuer that names its place, then a province's document number; then the title,
    the proposal title, the addressee, the source line and the places the body lists; the body's own mentions only
    when nothing else names a place. Signals of one strength must agree (one place within the other counts as
    agreeing: the most specific is taken); the level words (省政协, 市民政局, 我市) must fit the place."""
    levels = Counter(level for level, _ in found.level_hints if level)
    level_hint = levels.most_common(1)[0][0] if levels else ""
    level_src = next((s for lv, s in found.level_hints if lv == level_hint), None)
    ambiguous = [s for s in found.signals if s.kind == "ambiguous"]
    for strength in (4, 3, 2, 1):
        tier = [s for s in found.signals if s.strength == strength and s.place is not None]
        if strength == 1 and (not level_hint or not tier):
            break
        if not tier:
            continue
        if strength == 4:
            # One issuer speaks: a listed place before a name outside the gazetteer (青岛西海岸新区民政局（黄岛区民政局）),
            # the signature before the title before the index block before a bureau the text mentions.
            listed = [s for s in tier if _is_listed(s.place)] or tier
            best_rank = min(s.rank for s in listed)
            tier = [s for s in listed if s.rank == best_rank]
        if strength == 1:
            # The body's own words name a place of exactly the level it speaks as (我市: a city, not one of its
            # county-level cities, which a city's reply names as its parts).
            tier = [s for s in tier if s.place.level == level_hint or _fits_level(s.place, level_hint)
                    and s.place.level != "county"]
            if not tier:
                break
            counts = Counter()
            for s in tier:
                counts[s.place.slug] += s.count
            top = counts.most_common(2)
            if len(counts) > 1 and top[0][1] < 2:
                # Named once among other places: a place the body mentions, not its own (Xuancheng's 宁国市).
                break
            if len(top) > 1 and top[0][1] == top[1][1]:
                return _unknown(found, level_hint, f"the body names {tier[0].place.name_zh} and "
                                                   f"{next(s.place.name_zh for s in tier if s.place.slug == top[1][0])} "
                                                   f"equally often and nothing else names the place")
            tier = [s for s in tier if s.place.slug == top[0][0]]
        chosen = _most_specific(tier)
        if chosen is None:
            names = sorted({s.place.name_zh for s in tier})
            kinds = sorted({s.kind for s in tier})
            return _unknown(found, level_hint, f"the signals disagree: {', '.join(kinds)} name {' and '.join(names)}")
        place = chosen.place
        if level_hint and strength < 4 and not _fits_level(place, level_hint):
            # A province named by the title of a city's reply: the more specific place is not said.
            lower = [s for s in found.signals if s.strength < strength and s.place is not None
                     and _fits_level(s.place, level_hint) and _is_within(s.place, place)]
            better = _most_specific(lower) if lower else None
            if better is None:
                return _unknown(found, level_hint, f"{chosen.source.note}, but {level_src.note}; "
                                                   f"which {level_hint} is not said")
            chosen, place = better, better.place
        jurisdiction = place if isinstance(place, Jurisdiction) else _jurisdiction_of(place)
        sources = [chosen.source]
        from loaders.places import place_by_slug

        listed = place_by_slug(jurisdiction.slug)
        if listed is not None and listed.name_zh == jurisdiction.name_zh:
            sources.append(FieldSource(field="level", value=jurisdiction.level, signal="gazetteer",
                                       note=f"level of {jurisdiction.name_zh} in the gazetteer"))
        else:
            sources.append(FieldSource(field="level", value=jurisdiction.level, signal=chosen.kind,
                                       note=f"level from the suffix of {jurisdiction.name_zh}, which the gazetteer "
                                            f"does not list"))
        if jurisdiction.level != "province" and (jurisdiction.prefecture_zh or jurisdiction.province_zh):
            sources.append(FieldSource(field="parents", value=" ".join(filter(None, [jurisdiction.province_zh,
                                                                                    jurisdiction.prefecture_zh])),
                                       signal="gazetteer", note=f"{jurisdiction.name_zh} lies in "
                                       f"{jurisdiction.prefecture_zh or jurisdiction.province_zh} (gazetteer)"))
        return jurisdiction, sources
    if ambiguous:
        # The issuer's name is known, its parent is not (和平区 of 天津市 or of 沈阳市): the record says the name, and
        # stays unknown until a curator chooses the place.
        return _unknown(found, level_hint, ambiguous[0].source.note, name=ambiguous[0].name)
    return _unknown(found, level_hint, "no issuer, title, addressee, source line or document number names the place")


def _is_listed(place) -> bool:
    from loaders.places import place_by_slug

    listed = place_by_slug(place.slug)
    return listed is not None and listed.name_zh == place.name_zh


def _fits_level(place, level: str) -> bool:
    if place.level == level:
        return True
    # 市 is a prefecture-level city, a province-level one (北京市) or a county-level one (广德市).
    return level == "prefecture" and place.level in ("province", "county") and place.name_zh.endswith("市")


def _most_specific(signals: list[Signal]) -> Signal | None:
    """The deepest place when every place lies within the others, else None (they disagree)."""
    order = {"province": 0, "prefecture": 1, "county": 2, "unknown": 3}
    ranked = sorted(signals, key=lambda s: order.get(s.place.level, 3), reverse=True)
    deepest = ranked[0]
    for s in ranked[1:]:
        if not _is_nested(deepest.place, s.place):
            return None
    same = [s for s in ranked if s.place.slug == deepest.place.slug]
    return same[0]


def _unknown(found: _Found, level_hint: str, reason: str, name: str = "") -> tuple[Jurisdiction, list[FieldSource]]:
    level = level_hint or "unknown"
    sources = [FieldSource(field="jurisdiction", value="unknown", signal="none",
                           note=f"unknown: {reason} (a curator sets it in data/curation/<id>.yaml, jurisdiction:)")]
    src = next((s for lv, s in found.level_hints if lv == level_hint), None)
    if src is not None:
        sources.append(src)
    named = {"name_zh": name, "name_en": pinyin_name(name)} if name else {}
    return UNKNOWN.model_copy(update={"level": level, **named}), sources


def identify_jurisdiction(clean: CleanText) -> Jurisdiction:
    """The jurisdiction the document speaks for (see `find_jurisdiction` for why)."""
    return find_jurisdiction(clean)[0]


def find_jurisdiction(clean: CleanText) -> tuple[Jurisdiction, list[FieldSource]]:
    """The jurisdiction, and where it was found: the issuer, the document number, the title, the addressee, the
    source line, the districts the body lists, or unknown with its reason."""
    salutation = _find_salutation(clean.text)
    span = (salutation.start(1), salutation.end(1)) if salutation else None
    return decide_jurisdiction(_find_signals(clean, span))


def _find_salutation(text: str):
    return next(iter(_SALUTATION.finditer(text[:600])), None)


# --- the document ---------------------------------------------------------------------------------------------


def _document_type(clean: CleanText, salutation: str, title: str) -> tuple[str, str]:
    """(type, why) from the title, the salutation and the words of the first lines (data/reference/document_types.yaml)."""
    rules = load_document_types()
    text = clean.text
    head = text[:1500] + " " + " ".join(_furniture_lines(clean))
    for rule in rules["by_title"]:
        if title and re.search(rule["pattern"], title):
            return rule["type"], f"the title says {rule['why']}"
    if salutation:
        for rule in rules["by_salutation"]:
            if re.search(rule["pattern"], salutation):
                return rule["type"], f"the salutation {salutation} ({rule['why']})"
    for rule in rules["by_head"]:
        if re.search(rule["pattern"], head[:1500] if rule.get("text_only") else head):
            return rule["type"], f"the first lines say {rule['why']}"
    if salutation:
        return "other", f"a letter to {salutation} that names no suggestion or proposal"
    return "news_item", "no salutation: a page of news"


def extract_document(clean: CleanText, jurisdiction: Jurisdiction) -> Document:
    """Document type, issuer, addressee, proposal title and number, reference, source and dates."""
    return find_document(clean, jurisdiction)[0]


def find_document(clean: CleanText, jurisdiction: Jurisdiction) -> tuple[Document, list[FieldSource], str]:
    """The document's fields, where each was found, and the page title."""
    from loaders.dates import find_dates

    text = clean.text
    furniture = _furniture_lines(clean)
    sources: list[FieldSource] = []
    main = _main_region(clean)

    sal = _find_salutation(text)
    salutation = sal.group(1).strip() if sal else ""
    headline, headline_src = find_headline(clean)
    doc_type, why = _document_type(clean, salutation, headline)
    sources.append(FieldSource(field="type", value=doc_type, signal="salutation" if "salutation" in why else "title"
                               if "title" in why else "body", note=f"type {doc_type}: {why}"))

    title_match = _TITLE_BOOK.search(text[:1500]) or _TITLE_QUOTED.search(text[:1500])
    is_reply = doc_type in ("npc_suggestion_reply", "cppcc_proposal_reply", "other")
    proposal_title = title_match.group(1).strip() if title_match and is_reply else ""

    issuer, issuer_src = _find_issuer_name(clean, jurisdiction)
    if issuer_src is not None:
        sources.append(issuer_src)

    dates = find_dates(clean)
    written = dates.written
    published = dates.published
    for d, name in ((written, "date_written"), (published, "date_published")):
        if d is not None:
            sources.append(FieldSource(field=name, value=d.iso, signal=d.how, evidence=d.evidence, start=d.raw_start,
                                       end=d.raw_end, note=f"{name} from {d.label or d.how} {d.evidence.strip()}"))
    date_written = written.iso if written else ""
    date_published = published.iso if published else ""
    # A news item without a signature or 成文日期 has no written date: the publication date stays apart (the record
    # id and the dashboard fall back to it).

    # The document's own number stands in brackets in its title line; numbers later in the text cite other
    # documents (Jiangsu 2021 cites 苏办发〔2017〕51号).
    head_end = sum(len(line) + 1 for line in text.splitlines()[:4])
    ref = _DOC_NUMBER.search(text, 0, min(head_end, len(text)))
    reference_number = ref.group(0).strip() if ref else _field(furniture, "发布文号|发文字号|文号")
    if reference_number and not re.search(r"\d", reference_number):
        reference_number = ""
    if ref:
        sources.append(_source(clean, main, ref.start(), ref.end(), field="reference_number", value=reference_number,
                               signal="title", note="document number from the first lines"))
    elif reference_number:
        sources.append(FieldSource(field="reference_number", value=reference_number, signal="index_block",
                                   note="document number from the index block (文号)"))
    num = _PROPOSAL_NUMBER.search(text[:800])
    session = _SESSION.search(text[:800])
    for m, name in ((sal, "addressee"), (title_match if proposal_title else None, "proposal_title"),
                    (num, "proposal_number"), (session, "session")):
        if m is not None:
            group = 1 if m.groups() else 0
            sources.append(_source(clean, main, m.start(group), m.end(group), field=name, value=m.group(group).strip(),
                                   signal="salutation" if name == "addressee" else "title",
                                   note=f"{name} from the text"))
    source = _field(furniture, "信息来源|文章来源") or _source_in_text(text)
    if source:
        sources.append(FieldSource(field="source", value=source, signal="source_line",
                                   note=f"the page says it comes from {source}"))
    document = Document(
        type=doc_type,
        issuer=issuer,
        addressee=salutation if doc_type not in ("news_item", "work_report", "notice") else "",
        proposal_title=proposal_title,
        proposal_number=f"第{num.group(1)}号" if num else "",
        reference_number=reference_number,
        session=session.group(1) if session else "",
        date_written=date_written,
        date_published=date_published,
        index_number=_field(furniture, "索引号"),
        source=source,
    )
    title = make_title(clean, document, headline)
    if headline_src is not None and title == headline:
        sources.append(headline_src)
    return document, sources, title


def _source_in_text(text: str) -> str:
    for part in (text[:300], text[-300:]):
        m = re.search(r"(?:^|\n|[(（])\s*(?:信息来源|文章来源|来源)\s*[:：]\s*([^\s)）,，;；]{2,30})", part)
        if m:
            return m.group(1)
    return ""


def _find_issuer_name(clean: CleanText, jurisdiction: Jurisdiction) -> tuple[str, FieldSource | None]:
    text = clean.text
    tail = text[-300:]
    main = _main_region(clean)
    base = len(text) - len(tail)
    lines = tail.split("\n")
    pos = len(tail)
    for line in reversed(lines):
        pos -= len(line)
        m = _ISSUER.search(line)
        if m and len(line.strip()) <= 20:
            issuer = _trim_issuer(m.group(0))
            start = base + pos + m.end() - len(issuer)
            return issuer, _source(clean, main, start, base + pos + m.end(), field="issuer", value=issuer,
                                   signal="signature", note=f"issuer from the signature {issuer}")
        pos -= 1
    for region, lo, hi in [(main, 0, min(300, len(text))), *[(r, 0, len(r.text)) for r in _furniture_regions(clean)]]:
        for m in _BUREAU.finditer(region.text, lo, hi):
            # Only a gazetteer name (or a chain of them: 长春市朝阳区) before 民政局 makes an issuer here; in running
            # text anything else is words (记者从省民政厅获悉).
            head = region.text[max(lo, m.start() - 20):m.start()]
            names = find_place_names(head)
            if not names or names[-1][1] != len(head):
                continue
            start = names[-1][0]
            while len(names) > 1 and names[-2][1] == start:
                names.pop()
                start = names[-1][0]
            issuer = head[start:] + m.group()
            where = "the index block" if region.is_furniture else "the title"
            return issuer, _source(clean, region, m.start() - len(head) + start, m.end(), field="issuer",
                                   value=issuer, signal="issuer", note=f"issuer from {where} {issuer}")
    if jurisdiction.name_zh:
        bureau = "民政厅" if jurisdiction.level == "province" else "民政局"
        m = re.search(r"我局|我厅|本局|市民政局|省民政厅|区民政局|县民政局", text)
        if m:
            issuer = jurisdiction.name_zh + bureau
            return issuer, _source(clean, main, m.start(), m.end(), field="issuer", value=issuer, signal="body",
                                   note=f"issuer: the text speaks as {m.group()} of {jurisdiction.name_zh}")
    return "", None


def _trim_issuer(issuer: str) -> str:
    """发挥合肥市民政局 -> 合肥市民政局: running text before a known name is not part of it."""
    names = find_place_names(issuer)
    if names:
        start = names[0][0]
        # keep the chain of names (吉林省长春市朝阳区民政局)
        return issuer[start:]
    return issuer


def find_headline(clean: CleanText) -> tuple[str, FieldSource | None]:
    """The page's own title: the index block's 信息名称, or the first title-like line of the text."""
    for r in _furniture_regions(clean):
        m = re.search(_TITLE_LABEL, r.text)
        if m:
            title = m.group(1).strip()
            return title, _source(clean, r, m.start(1), m.start(1) + len(title), field="title", value=title,
                                  signal="title", note="title from the index block")
    text = clean.text
    pos = 0
    candidates = []
    for line in text.split("\n")[:10]:
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if stripped and _SALUTATION.match(line):
            break
        if 6 <= len(stripped) <= 120 and not stripped.endswith(("。", ":", "：")) and not re.search(r"[,，]", stripped[-3:]) \
                and not re.search(r"[。!?！？]", stripped[:-1]):
            candidates.append((stripped, pos + lead))
        elif stripped and len(stripped) > 120:
            break  # the body has begun
        pos += len(line) + 1
    # A title names what the page is (关于…的答复, …工作总结, …的公示); before it may stand a site name or spam.
    titled = [c for c in candidates if _TITLE_WORDS.search(c[0])]
    for stripped, start in (titled or candidates)[:1]:
        return stripped, _source(clean, _main_region(clean), start, start + len(stripped), field="title",
                                 value=stripped, signal="title", note="title from the first lines")
    return "", None


def make_title(clean: CleanText, document: Document, headline: str = "") -> str:
    """The page's own title if it has one, else a description built from its parts."""
    for line in clean.text.splitlines()[:6]:
        line = line.strip()
        if document.issuer and line.startswith(document.issuer) and 8 <= len(line) <= 120:
            return line
    if headline and document.type in ("news_item", "work_report", "notice"):
        return headline
    if document.proposal_title:
        return f"{document.issuer or '民政部门'}对《{document.proposal_title}》的答复"
    if headline:
        return headline
    return clean.text.splitlines()[0][:80] if clean.text else ""


def make_record_id(jurisdiction: Jurisdiction, document: Document) -> str:
    """<place>-<year the reply was written or published>; a page that prints no date is <place>-undated
    (tongling-undated), never a year of zeros."""
    year = (document.date_written or document.date_published)[:4]
    return f"{jurisdiction.slug}-{year or 'undated'}"
