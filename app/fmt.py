"""Formatting of values, periods, scopes and source lines, shared by charts and pages."""

from __future__ import annotations

import math

import pandas as pd

from app.i18n import t
from app.limits import MAX_NAMES, MAX_SOURCES

QUALIFIER_SIGN = {"more_than": "≥ ", "at_least": "≥ ", "at_most": "≤ ", "nearly": "≈ ", "approx": "≈ "}


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
    """A fact as a reader would say it: 'more than 1,100 万元 (10k yuan)', '超过1,100万元'; missing -> not stated."""
    if is_missing(value):
        return t("not_stated", lang)
    shown = wan(value) if unit == "yuan" else number(float(value))
    if qualifier == "range" and not is_missing(value_max):
        shown += "–" + (wan(value_max) if unit == "yuan" else number(float(value_max)))
    return f"{t('q_' + qualifier, lang) if qualifier else ''}{shown}{t('u_' + unit, lang)}"


def year_of(date_text) -> int | None:
    text = str(date_text or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def period_label(row, lang: str) -> str:
    kind = row.get("period_kind", "") or "unspecified"
    start, end = str(row.get("period_start", "") or ""), str(row.get("period_end", "") or "")
    if kind == "as_of" and end:
        return t("period_as_of", lang, end=end)
    if kind == "since" and start:
        return t("period_since", lang, start=start)
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
        return t(f"scope_{kind}", lang, area=AREA_EN.get(area, area) if lang == "en" else area)
    return ""


def doc_label(row, lang: str) -> str:
    """'衢州市民政局 reply 衢市民议函〔2023〕2号, 2023-07-03' from a row carrying issuer/doc_* columns."""
    word = t("news_word" if row.get("doc_type") == "news_item" else "reply_word", lang)
    parts = [f"{row.get('issuer') or row.get('record_id')} {word}"]
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
