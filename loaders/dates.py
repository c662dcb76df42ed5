"""Dates stage: the day a reply was written (signature, 成文日期) and the day its page was published (发布日期)."""

from __future__ import annotations

import bisect
import datetime
import heapq
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from loaders.clean import CleanText, convert_to_simplified, normalize_fullwidth, remove_invisible

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class FoundDate:
    iso: str          # YYYY-MM-DD
    role: str         # "written" | "published"
    how: str          # "label" | "signature" | "timestamp"
    label: str        # the label as it reads after cleaning (成文日期; 發布日期 reads 发布日期), "" for a signature
    evidence: str     # the raw text of label + value, exactly as in the raw reply
    raw_start: int    # offsets of `evidence` in clean.raw
    raw_end: int


@dataclass(frozen=True)
class DocumentDates:
    written: FoundDate | None
    published: FoundDate | None


# --- the data file ---


@dataclass(frozen=True)
class _Labels:
    roles: dict[str, str]          # label -> role, every label
    rank: dict[str, int]           # label -> precedence within its role (lower wins)
    header_only: frozenset[str]    # bare labels honoured only in a page header
    time_of_day_role: str          # "written" | "published" | "label"
    pattern: re.Pattern            # every label, longest first
    closing: re.Pattern            # start of a line that may follow the signature
    issuer_end: re.Pattern         # end of an issuer name standing before a signature date


@lru_cache(maxsize=1)
def load_date_labels() -> _Labels:
    doc = yaml.safe_load((REFERENCE_DIR / "date_labels.yaml").read_text(encoding="utf-8"))
    labels = {str(k): str(v) for k, v in doc["labels"].items()}
    header = {str(k): str(v) for k, v in doc.get("header_labels", {}).items()}
    roles = {**labels, **header}
    if set(roles.values()) - {"written", "published"}:
        raise ValueError("date_labels.yaml: every role must be written or published")
    rank = {label: i for i, label in enumerate([*labels, *header])}
    alternatives = "|".join(re.escape(label) for label in sorted(roles, key=len, reverse=True))
    closing = "|".join(re.escape(s) for s in doc.get("closing_line_starts", []))
    suffixes = "|".join(re.escape(s) for s in doc.get("issuer_suffixes", []))
    return _Labels(
        roles=roles,
        rank=rank,
        header_only=frozenset(header),
        time_of_day_role=str(doc.get("time_of_day_role", "label")),
        pattern=re.compile(alternatives),
        closing=re.compile(rf"^[ \t(（\[【]*(?:{closing})") if closing else re.compile(r"(?!)"),
        issuer_end=re.compile(rf"(?:{suffixes})$") if suffixes else re.compile(r"(?!)"),
    )


# --- one date, in any of its forms ---

# Every repetition is bounded, so matching is linear in the line length.
_S = r"[ \t\u00a0]{0,2}"
_CN_DIGITS = "〇○◯零Oo0一二三四五六七八九"
_DATE = re.compile(
    # 2023-08-01, 2019/07/16, 2019.07.16 (year first; the same separator twice)
    rf"(?<!\d)(?P<y1>\d{{4}}){_S}(?P<sep>[-/.]){_S}(?P<m1>\d{{1,2}}){_S}(?P=sep){_S}(?P<d1>\d{{1,2}})(?!\d)"
    # 2019年12月05日, 2020年5月 14日, 二〇二二年六月三十日 (〇, ○, 零, and a Latin O in copies)
    rf"|(?<![\d〇○◯零一二三四五六七八九])(?P<y2>\d{{4}}|[{_CN_DIGITS}]{{4}}){_S}年{_S}"
    rf"(?P<m2>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_S}月{_S}(?P<d2>\d{{1,2}}|[一二三四五六七八九十廿]{{1,4}}){_S}[日号]"
    # 03.01.2018: the day-first timestamps of mirror sites
    r"|(?<![\d.])(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})(?![\d.])"
)
# A time of day after the date: 11:46:51, 11:37, 09时32分, 9点
_TIME = re.compile(
    r"[ \t\u00a0T]{0,3}(?P<h>\d{1,2})(?:[:：](?P<mi>\d{2})(?:[:：]\d{2})?|[ ]?[时点](?:[ ]?(?P<mc>\d{1,2})[ ]?分)?)(?!\d)"
)
_YEAR_DIGIT = str.maketrans({"〇": "0", "○": "0", "◯": "0", "零": "0", "O": "0", "o": "0", "一": "1", "二": "2",
                             "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"})
_MIN_YEAR, _MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class _Match:
    iso: str | None     # None: shaped like a date but impossible (2023年99月99日, 2月30日)
    start: int
    end: int            # end of the date, or of its time of day when it has one
    has_time: bool
    form: str           # "numeric" (year first), "chinese" or "day_first"


@lru_cache(maxsize=4096)
def _number(text: str) -> int | None:
    """12, 十二, 三十一, 廿一 -> int; cn2an reads the Chinese numerals of months and days."""
    if text.isdigit():
        return int(text)
    import cn2an

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, TypeError, KeyError):
        return None


def _to_iso(year: str, month: str, day: str) -> str | None:
    y = year.translate(_YEAR_DIGIT)
    m, d = _number(month), _number(day)
    if not y.isdigit() or m is None or d is None or not _MIN_YEAR <= int(y) <= _MAX_YEAR:
        return None
    try:
        return datetime.date(int(y), m, d).isoformat()
    except ValueError:
        return None


def _time_after(text: str, pos: int) -> int | None:
    """End of a valid time of day starting at pos, else None."""
    t = _TIME.match(text, pos)
    if not t:
        return None
    minute = t.group("mi") or t.group("mc") or "0"
    return t.end() if int(t.group("h")) <= 24 and int(minute) <= 59 else None


def _from_regex(m: re.Match, text: str) -> _Match:
    if m.group("y1"):
        iso, form = _to_iso(m.group("y1"), m.group("m1"), m.group("d1")), "numeric"
    elif m.group("y2"):
        iso, form = _to_iso(m.group("y2"), m.group("m2"), m.group("d2")), "chinese"
    else:
        iso, form = _to_iso(m.group("y3"), m.group("m3"), m.group("d3")), "day_first"
    time_end = _time_after(text, m.end())
    return _Match(iso, m.start(), time_end or m.end(), time_end is not None, form)


def _date_at(text: str, pos: int) -> _Match | None:
    m = _DATE.match(text, pos)
    return _from_regex(m, text) if m else None


def _dates_in(text: str):
    for m in _DATE.finditer(text):
        yield _from_regex(m, text)


def parse_date(text: str) -> str | None:
    """The first date written in text, in any form, as YYYY-MM-DD; None if there is none or it is impossible."""
    for found in _dates_in(text):
        return found.iso
    return None


# --- the lines to search: the cleaned text and the removed furniture, in raw order ---


@dataclass(frozen=True, eq=False)
class _Line:
    text: str
    offsets: tuple[int, ...]   # offsets[base + k] is the raw offset of text[k]
    base: int
    is_furniture: bool

    def raw(self, k: int) -> int:
        return self.offsets[self.base + k]


_DELETING_REPAIRS = frozenset({"invisible", "pinyin", "spam"})


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans merged where they overlap (a second spam pass can span the first one's removal)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _furniture_state(clean: CleanText) -> CleanText | None:
    """The removed furniture lines as the cleaner saw them when it removed them, one per line.

    The repair keeps the raw line (發(fā)文日期); the deletions made before (pinyin, spam, zero-width) are
    replayed from their own repairs, so a line with a single pinyin gloss loses it too, and the
    character-for-character steps are run again, keeping every offset into the raw text."""
    furniture = [r for r in clean.repairs if r.kind == "furniture"]
    if not furniture:
        return None
    deleted = _union(sorted((r.raw_start, r.raw_end) for r in clean.repairs
                            if r.kind in _DELETING_REPAIRS and r.raw_end > r.raw_start))
    starts = [a for a, _ in deleted]
    chars: list[str] = []
    offsets: list[int] = []
    for r in furniture:
        i = max(bisect.bisect_right(starts, r.raw_start) - 1, 0)
        for pos in range(r.raw_start, r.raw_end):
            while i < len(deleted) and deleted[i][1] <= pos:
                i += 1
            if i < len(deleted) and deleted[i][0] <= pos < deleted[i][1]:
                continue
            ch = clean.raw[pos]
            if ch not in "\r\n":
                chars.append(ch)
                offsets.append(pos)
        chars.append("\n")
        offsets.append(max(r.raw_end - 1, r.raw_start))
    state = CleanText(clean.raw, "".join(chars), tuple(offsets))
    for step in (remove_invisible, normalize_fullwidth, convert_to_simplified):
        state = step(state)
    return state


def _split_lines(state: CleanText, is_furniture: bool):
    pos = 0
    for line in state.text.split("\n"):
        if line.strip():
            yield _Line(line, state.offsets, pos, is_furniture)
        pos += len(line) + 1


def _lines(clean: CleanText) -> list[_Line]:
    """Non-empty lines of the cleaned text and of the furniture, in the order they stand in the raw reply."""
    body = _split_lines(clean, False)
    state = _furniture_state(clean)
    if state is None:
        return list(body)
    return list(heapq.merge(body, _split_lines(state, True), key=lambda line: line.raw(0)))


# A page header ends at the first sentence of the body, and within this many lines.
_HEADER_LINES = 10
_BODY_LINE = re.compile(r"[。;；]")


def _header_flags(lines: list[_Line]) -> list[bool]:
    flags = []
    in_header, seen = True, 0
    for line in lines:
        if line.is_furniture:
            flags.append(True)
            continue
        seen += 1
        if seen > _HEADER_LINES or _BODY_LINE.search(line.text) or len(line.text) > 120:
            in_header = False
        flags.append(in_header)
    return flags


# --- labels and their values ---

# Between a label and its value: spaces, a colon, a table bar, markdown bold, the bracket of 【发布时间】.
_SEP = re.compile(r"[ \t\u00a0*|│:：\]】)）]{0,8}[\[【(（]?")
_LEAD = re.compile(r"[ \t\u00a0|│•·●▪◦‣∙・*\-–—>]{0,8}")
_LABEL_BOUNDARY = set(" \t\u00a0|│•·●▪◦‣∙・*-–—>【[(（;；,，、/")
_TABLE_RULE = re.compile(r"^[ \t|│:\-–—+=]+$")


def _role(label: str, has_time: bool, table: _Labels) -> str:
    if has_time and table.time_of_day_role in ("written", "published"):
        return table.time_of_day_role
    return table.roles[label]


def _cell_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the cells of a pipe-table row."""
    bars = [i for i, ch in enumerate(text) if ch in "|│"]
    return [(a + 1, b) for a, b in zip(bars, bars[1:])]


def _value_below(lines: list[_Line], i: int, column: int | None) -> tuple[int, _Match] | None:
    """The date standing on the next non-empty line (or, in a pipe table, in the same column of the next row)."""
    j = i + 1
    while column is not None and j < len(lines) and _TABLE_RULE.match(lines[j].text):
        j += 1  # the |---|---| rule under a table's header row
    if j >= len(lines):
        return None
    text = lines[j].text
    if column is None:
        pos = _LEAD.match(text).end()
    else:
        cells = _cell_spans(text)
        if column >= len(cells):
            return None
        pos = cells[column][0]
        pos = _LEAD.match(text, pos).end()
    found = _date_at(text, pos)
    return (j, found) if found else None


def _label_dates(lines: list[_Line], header: list[bool], table: _Labels):
    """Every (label, line index of the label, label start, line index of the value, date) in the lines."""
    for i, line in enumerate(lines):
        text = line.text
        cells = None  # the line's table cells, split once however many labels it holds
        for m in table.pattern.finditer(text):
            label = m.group()
            if label in table.header_only:
                if not header[i] or (m.start() > 0 and text[m.start() - 1] not in _LABEL_BOUNDARY):
                    continue
            pos = _SEP.match(text, m.end()).end()
            found = _date_at(text, pos)
            if found:
                yield label, i, m.start(), i, found
                continue
            if cells is None:
                cells = _cell_spans(text) if text.lstrip().startswith(("|", "│")) else []
            column = next((k for k, (a, b) in enumerate(cells) if a <= m.start() < b), None)
            if column is not None and text[m.end():cells[column][1]].strip(" \t\u00a0:：*") == "":
                below = _value_below(lines, i, column)  # a header row: the value is in the row below
            elif pos >= len(text.rstrip()):
                below = _value_below(lines, i, None)    # the label alone: the value is on the next line
            else:
                below = None                             # 发文日期: 发布机构:… — an empty label, nothing to take
            if below:
                yield label, i, m.start(), below[0], below[1]


# --- the signature ---

_CLOSING_LINES = 12
_SENTENCE_END = re.compile(r"[。!！?？]")


def _signature(lines: list[_Line], table: _Labels) -> tuple[int, _Match] | None:
    """The date standing alone (or after the issuer's name) on one of the closing lines of the reply.

    Scanning back from the end, contact, copy and attachment lines are passed over; a sentence of the body
    ends the search, so a date inside a sentence (截至2023年5月底, 2021年6月24日召开会议) is never taken.
    An impossible date is passed over and the search goes on."""
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line.is_furniture:
            continue
        seen += 1
        if seen > _CLOSING_LINES:
            return None
        text = line.text.rstrip()
        last = None
        for found in _dates_in(text):
            last = found
        if last is not None and last.end == len(text) and not last.has_time:
            before = text[:last.start].strip(" \t\u00a0")
            if before == "" or (table.issuer_end.search(before) and not re.search(r"[,，:：;；。]", before)):
                if last.iso:
                    return i, last
                continue
        if table.closing.match(text):
            continue
        # A sentence of the body ends the search; a long line without one may be a page footer
        # (主办单位…网站标识码…ICP备…) and is passed over like the closing lines.
        if _SENTENCE_END.search(text):
            return None
    return None


# --- unlabelled page timestamps ---

_TIMESTAMP_LINE_LENGTH = 60


def _timestamps(lines: list[_Line], header: list[bool], taken: set[tuple[int, int]]):
    """Dates a page header prints without a label: 03.01.2018 02:00 (mirror sites), 2023-08-01 11:46.

    A Chinese-form date without a time is left alone: in a header it may be the document's own date."""
    for i, line in enumerate(lines):
        if not header[i] or len(line.text) > _TIMESTAMP_LINE_LENGTH:
            continue
        is_byline = bool(_byline().search(line.text))
        for found in _dates_in(line.text):
            if (i, found.start) in taken or found.iso is None:
                continue
            # 2023年06月15日 来源:朝阳区政府: a Chinese-form date on the page's byline is its publication date.
            if found.has_time or found.form != "chinese" or is_byline:
                yield i, found


@lru_cache(maxsize=1)
def _byline() -> re.Pattern:
    """Words of a page's byline (来源, 作者, 浏览次数), which tell a header line from the document's own date line."""
    doc = yaml.safe_load((REFERENCE_DIR / "date_labels.yaml").read_text(encoding="utf-8"))
    return re.compile("|".join(re.escape(w) for w in doc.get("byline_words", [])) or r"(?!)")


# --- putting it together ---


def _found(lines: list[_Line], i: int, start: int, j: int, date: _Match, role: str, how: str, label: str,
           clean: CleanText) -> FoundDate:
    raw_start = lines[i].raw(start)
    raw_end = lines[j].raw(date.end - 1) + 1
    return FoundDate(date.iso, role, how, label, clean.raw[raw_start:raw_end], raw_start, raw_end)


def find_dates(clean: CleanText) -> DocumentDates:
    """The written and the published date of a reply, each with the raw text it was read from.

    written: the signature date, else the first written label (成文日期, 发文日期; date_labels.yaml order).
    published: the first published label (发布日期, 发表时间, 更新时间, a header's 时间/日期), else an unlabelled
    header timestamp. An impossible date is never returned; the next candidate is used instead.
    A news item has no signature; see use_published_as_written."""
    table = load_date_labels()
    lines = _lines(clean)
    header = _header_flags(lines)
    best: dict[str, tuple[tuple[int, int], FoundDate]] = {}

    def offer(rank: int, found: FoundDate) -> None:
        key = (rank, found.raw_start)
        if found.role not in best or key < best[found.role][0]:
            best[found.role] = (key, found)

    sig = _signature(lines, table)
    if sig:
        i, date = sig
        offer(-1, _found(lines, i, date.start, i, date, "written", "signature", "", clean))
    taken: set[tuple[int, int]] = set()
    for label, i, start, j, date in _label_dates(lines, header, table):
        taken.add((j, date.start))
        if date.iso is None:
            continue
        role = _role(label, date.has_time, table)
        # A label read in the other role (a time-stamped 发文日期) yields to the labels of that role.
        rank = table.rank[label] + (len(table.rank) if role != table.roles[label] else 0)
        offer(rank, _found(lines, i, start, j, date, role, "label", label, clean))
    if "published" not in best:
        for i, date in _timestamps(lines, header, taken):
            offer(2 * len(table.rank), _found(lines, i, date.start, i, date, "published", "timestamp", "", clean))
    return DocumentDates(written=best.get("written", (None, None))[1], published=best.get("published", (None, None))[1])


def use_published_as_written(dates: DocumentDates) -> DocumentDates:
    """For a news item, whose only date is its publication date: take it as the written date too.

    The caller decides (document type is not this module's business). The FoundDate is reused as it is,
    so its role still says it was read as a publication date (Xuancheng 2024)."""
    if dates.written is not None or dates.published is None:
        return dates
    return DocumentDates(written=dates.published, published=dates.published)
