"""Formatting of values, periods, scopes and source lines, shared by charts and pages."""

from __future__ import annotations

import math
import re

import pandas as pd

from app.i18n import t
from app.limits import MAX_NAMES, MAX_SOURCES



def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == ""


def number(value: float, decimals: int | None = None) -> str:
    """1234.5 -> '1,234.5'; integers without decimals."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    return f"{value:,.{decimals}f}"


def wan(value: float) -> str:
    """Yuan as 万元 with at most one decimal (457.2万)."""
    w = value / 1e4
    return number(w, 0 if w.is_integer() else 1)


def value_text(value, unit: str, qualifier: str, lang: str, value_max=None) -> str:
    """The same as format_value (kept: older callers use this name)."""
    return format_value(value, unit, qualifier, lang, value_max)


def year_of(date_text) -> int | None:
    text = str(date_text or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def period_label(row, lang: str) -> str:
    kind = row.get("period_kind", "") or "unspecified"
    start, end = str(row.get("period_start", "") or ""), str(row.get("period_end", "") or "")
    if kind == "as_of" and end:
        return t("period_as_of", lang, end=end)
    if kind == "since" and start:
        # A year (2019, or its first day 2019-01-01, which a form may store) reads 2019年以来; another day 2019-03-01以来.
        if re.fullmatch(r"\d{4}(?:-01-01)?", start):
            return t("period_since", lang, start=start[:4])
        return t("period_since_date", lang, start=start)
    if kind == "recent_years":
        if start and year_of(end):
            return t("period_recent_n", lang, start=start, end_year=year_of(end))
        return t("period_recent_years", lang)
    if kind == "year" and start:
        return t("period_year", lang, start=start)
    if kind == "plan_period" and start:
        return t("period_plan_period", lang, start=start, end=end)
    return t("period_unspecified", lang)


# Own-level scopes named in the replies, said in English with the Chinese term kept for tracing; place names
# (沙湾区, 广德市) stay as written.
AREA_EN = {"市本级": "city level (市本级)", "省本级": "provincial level (省本级)", "县本级": "county level (县本级)",
           "区本级": "district level (区本级)", "市民政局": "city civil-affairs bureau (市民政局)"}


def scope_label(row, lang: str) -> str:
    """'' for whole-area figures, so only the exceptions draw the eye."""
    kind = row.get("scope_kind", "") or "whole"
    if kind in ("level_only", "sub_area"):
        area = row.get("scope_area", "") or "?"
        if lang == "en":
            area = AREA_EN.get(area) or (sub_area_en(area) if kind == "sub_area" and re.search(r"[\u4e00-\u9fff]", area) else area)
        return t(f"scope_{kind}", lang, area=area)
    return ""


def doc_label(row, lang: str) -> str:
    """'衢州市民政局答复，衢市民议函〔2023〕2号，2023-07-03' from a row carrying issuer/doc_* columns; in English the
    issuer's English name comes first where one is known: 'Quzhou Civil Affairs Bureau (衢州市民政局) reply, …'."""
    from app.names import with_english

    word = t("news_word" if row.get("doc_type") == "news_item" else "reply_word", lang)
    issuer = row.get("issuer")
    parts = [f"{with_english(issuer, lang) if issuer else row.get('record_id')} {word}"]
    if row.get("reference"):
        parts.append(str(row["reference"]))
    if row.get("doc_date"):
        parts.append(str(row["doc_date"]))
    sep = "，" if lang == "zh" else ", "
    return sep.join(parts)


def listing(items, lang: str, *, limit: int = MAX_NAMES, sep: str | None = None) -> str:
    """'A、B、C' / 'A, B, C'; past limit items, the first ones and 'and N more', so a note stays a few lines long."""
    items = [str(x) for x in items]
    sep = sep if sep is not None else ("、" if lang == "zh" else ", ")
    text = sep.join(items[:limit])
    if len(items) > limit:
        text += t("and_more", lang, n=number(len(items) - limit))
    return text


def sources_line(df: pd.DataFrame, lang: str, *, limit: int = MAX_SOURCES) -> str:
    """Source footnote naming every reply behind the rows of df (the first limit, then how many more)."""
    if df is None or df.empty or "record_id" not in df.columns:
        return ""
    firsts = df.drop_duplicates("record_id")
    items = [doc_label(row, lang) for _, row in firsts.head(limit).iterrows()]
    text = t("source_prefix", lang) + ("；" if lang == "zh" else "; ").join(items)
    if len(firsts) > limit:
        text += t("sources_more", lang, n=number(len(firsts) - limit))
    return text


# ---- values as their readers write them ------------------------------------------------------------------------

# Qualifier words (in the reader's language) and the mark a chart draws for them: 余/多/超过/以上 and 不少于 are lower
# bounds, 近 and 不超过 upper bounds, 约 an approximation. The words live in i18n (q_*), the marks here.
LOWER_BOUNDS = ("more_than", "at_least")
UPPER_BOUNDS = ("nearly", "at_most")
QUALIFIER_MARK = {"more_than": "≥", "at_least": "≥", "nearly": "≤", "at_most": "≤", "approx": "≈"}
QUALIFIER_SIGN = {q: f"{mark} " for q, mark in QUALIFIER_MARK.items()}  # before a number on a slide: "≥ 14.95"


def bound_of(qualifier: str) -> str:
    """'lower', 'upper', 'about' or '' (exact, range): what a qualifier says about the true value."""
    if qualifier in LOWER_BOUNDS:
        return "lower"
    if qualifier in UPPER_BOUNDS:
        return "upper"
    return "about" if qualifier == "approx" else ""


def _trim(value: float, decimals: int) -> str:
    """value with thousands separators and at most decimals places, trailing zeros dropped (4,545.12; 1.8; 180)."""
    text = f"{round(float(value), decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_exact_at(value: float, divisor: float, decimals: int) -> bool:
    scaled = float(value) / divisor
    return abs(round(scaled, decimals) - scaled) < 1e-9 * max(1.0, abs(scaled))


def yuan_zh(value: float) -> str:
    """Yuan as a Chinese reader writes it: 1.8亿元, 4,545.12万元, 8,000元. 亿 only when it loses nothing (a figure
    known to the 万); otherwise 万 to the yuan, so 4,545.12万 is never rounded to 4,545.1."""
    v = float(value)
    if abs(v) >= 1e8 and _is_exact_at(v, 1e8, 4):
        return _trim(v / 1e8, 4) + "亿元"
    if abs(v) >= 1e4:
        return _trim(v / 1e4, 4) + "万元"
    return _trim(v, 2) + "元"


def yuan_en(value: float) -> str:
    """Yuan as an English reader writes it: CNY 180 million, CNY 4.57 million, CNY 1.2 billion, CNY 50,000."""
    v = float(value)
    if abs(v) >= 1e9:
        return f"CNY {_trim(v / 1e9, 2)} billion"
    if abs(v) >= 1e6:
        return f"CNY {_trim(v / 1e6, 2)} million"
    return f"CNY {_trim(v, 2)}"


def _plain(value: float) -> str:
    return _trim(value, 0 if float(value).is_integer() else 2)


# Units of things counted, which a Chinese reader counts in 万 and 亿 past 10,000 (9.78万个, 113.9万人).
LARGE_COUNT_UNITS = ("count", "person", "person_time", "event", "hour")


def _readable_digits(scaled: float) -> str:
    """A number of 万 or 亿 to about four significant digits, at most two decimals: 9.78, 15.3, 113.9, 8,475."""
    whole = len(str(int(abs(scaled))))
    return _trim(scaled, max(0, min(2, 4 - whole)))


def count_text(value: float, lang: str, *, exact: bool = False) -> str:
    """A count as its reader writes it: 97800 -> '9.78万' in Chinese, '97,800' in English; below 10,000 with
    thousands separators in both (5,611). Chinese text rounds to about four significant digits (1139244 -> '113.9万',
    84748016 -> '8,475万', 亿 from 100 million); exact=True (tables) keeps every digit (1139244 -> '113.9244万',
    亿 only where it loses nothing). English never uses 万: thousands separators, every digit."""
    v = float(value)
    if lang != "zh" or abs(v) < 1e4:
        return _plain(v)
    if exact:
        if abs(v) >= 1e8 and _is_exact_at(v, 1e8, 4):
            return _trim(v / 1e8, 4) + "亿"
        return _trim(v / 1e4, 4 if v.is_integer() else 6) + "万"
    if abs(v) >= 1e8:
        return _readable_digits(v / 1e8) + "亿"
    return _readable_digits(v / 1e4) + "万"


def big_number(value: float, lang: str) -> str:
    """A large number in running text: 3604000 -> '360.4万' in Chinese, '3.604 million' in English (millions from
    one million, to the thousand; below that thousands separators: 97,800)."""
    v = float(value)
    if lang == "zh":
        return count_text(v, "zh")
    if abs(v) >= 1e6:
        return f"{_trim(v / 1e6, 3)} million"
    return _plain(v)


def table_number(value, lang: str) -> str:
    """A number in a table shown on a page (downloads keep the number itself): every digit, thousands separators
    (84,748,016; 14.95), 万 in Chinese from 10,000 (8,474.8016万)."""
    if is_missing(value):
        return ""
    return count_text(value, lang, exact=True)


def _amount(value: float, unit: str, lang: str) -> str:
    if unit == "yuan":
        return yuan_zh(value) if lang == "zh" else yuan_en(value)
    if unit in LARGE_COUNT_UNITS:
        return count_text(value, lang) + t("u_" + unit, lang)
    return _plain(value) + t("u_" + unit, lang)


def format_value(value, unit: str, qualifier: str = "exact", lang: str = "zh", value_max=None) -> str:
    """One value with its unit and qualifier, in the reader's language; missing -> 'not stated', never 0.

    (180000000, yuan, more_than, zh) -> 超过1.8亿元; (4572000, yuan, exact, en) -> CNY 4.57 million;
    (14.95, per_10k, nearly, en) -> nearly 14.95 per 10,000 residents.
    """
    if is_missing(value):
        return t("not_stated", lang)
    qualifier = qualifier or "exact"
    if qualifier == "range" and not is_missing(value_max):
        if unit == "yuan":
            low, high = _amount(value, unit, lang), _amount(value_max, unit, lang)
            return f"{low}–{high}" if lang == "en" else f"{low}至{high}"
        low = count_text(value, lang) if unit in LARGE_COUNT_UNITS else _plain(value)
        return f"{low}–{_amount(value_max, unit, lang)}"
    return f"{t('q_' + qualifier, lang)}{_amount(value, unit, lang)}"


def money_scale(max_yuan: float, lang: str) -> tuple[float, str]:
    """Divisor and axis unit for amounts up to max_yuan: 万元 or 亿元 in Chinese, CNY million or billion in English."""
    if lang == "zh":
        return (1e8, "亿元") if max_yuan >= 1e8 else (1e4, "万元")
    return (1e9, "CNY billion") if max_yuan >= 1e9 else (1e6, "CNY million")


def scaled_text(value: float, divisor: float) -> str:
    """A bar's number on an axis of divisor units (4,545.12 on a 万元 axis, 0.45 on a CNY million one)."""
    return _trim(value / divisor, 4 if divisor == 1e8 else 2)


def sub_area_en(area: str) -> str:
    """'Guangde city (广德市)', 'Shizhong district (市中区)': a sub-area in English with its Chinese kept beside it."""
    from loaders.metadata import pinyin_name  # the loader's own pinyin naming, not a second copy

    kind = {"区": "district", "县": "county", "市": "city", "镇": "town"}.get(area[-1:], "")
    return f"{pinyin_name(area)}{' ' + kind if kind else ''} ({area})"


def permalink(record_id: str, fact_id: str, lang: str = "zh") -> str:
    """/sources?r=<record_id>&f=<fact_id>: the reply, scrolled to the fact's sentence with the number marked.

    A link a person can paste; the language rides along only when it is not the default."""
    from urllib.parse import urlencode

    query = {"r": record_id, "f": fact_id}
    if lang != "zh":
        query["lang"] = lang
    return "/sources?" + urlencode(query)


def _note_phrases() -> list[tuple[str, str]]:
    """English -> Chinese phrases of the population and national source notes (data/reference/source_notes.csv),
    longest first so 'weak source (one repost)' wins over 'weak source'."""
    import csv
    from functools import lru_cache
    from pathlib import Path

    @lru_cache(maxsize=1)
    def read(path: str) -> tuple[tuple[str, str], ...]:
        p = Path(path)
        if not p.exists():
            return ()
        with p.open(encoding="utf-8") as fh:
            rows = [(r["en"], r["zh"]) for r in csv.DictReader(fh) if r.get("en") and r.get("zh")]
        return tuple(sorted(rows, key=lambda r: -len(r[0])))

    return list(read(str(Path(__file__).resolve().parent.parent / "data" / "reference" / "source_notes.csv")))


def note_text(note, lang: str) -> str:
    """A source note (written in English by the curators) in the reader's language: Chinese pages get the known
    phrases in Chinese ('weak source (one repost); 2021 derived' -> '来源较弱（仅一处转载）；2021年数据为推算')."""
    text = "" if is_missing(note) else str(note)
    if lang != "zh" or not text:
        return text
    for en, zh in _note_phrases():
        text = text.replace(en, zh)
    return text.replace("; ", "；")


def _term_rows() -> tuple[tuple[str, str, str], ...]:
    import csv
    from functools import lru_cache
    from pathlib import Path

    @lru_cache(maxsize=1)
    def read(path: str) -> tuple[tuple[str, str, str], ...]:
        p = Path(path)
        if not p.exists():
            return ()
        with p.open(encoding="utf-8") as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            return tuple((r["zh"], r["en"], r.get("match") or "exact") for r in rows if r.get("zh") and r.get("en"))

    return read(str(Path(__file__).resolve().parent.parent / "data" / "reference" / "terms_en.csv"))


def reply_words(words: str, lang: str) -> str:
    """The reply's own words for the reader: as written in Chinese; in English, 'pledged (意向)' where
    data/reference/terms_en.csv knows them, else the Chinese as written (never a guessed translation)."""
    words = "" if is_missing(words) else str(words)
    if lang != "en" or not words:
        return words
    for zh, en, match in _term_rows():
        if words == zh or (match == "contains" and zh in words):
            return f"{en} ({words})"
    return words
