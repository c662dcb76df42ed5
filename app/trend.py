"""Figures over time: every figure each reply of a place states for an indicator, one point per reply and date
(the time view, app/page_trends.py; its chart, app/charts_trend.py)."""

from __future__ import annotations

import pandas as pd

from app import fmt, review, views

POINT_COLUMNS = ["jurisdiction", "name_zh", "name_en", "record_id", "fact_id", "date", "day", "value", "qualifier",
                 "doc_date", "issuer", "reference", "doc_type", "is_draft", "link"]
# How a bound is drawn: 超过/以上 as a triangle pointing up, 不足/以下 down, 约/近 an open circle (plotly symbols).
SYMBOLS = {"exact": "circle", "": "circle", "approx": "circle-open", "more_than": "triangle-up",
           "at_least": "triangle-up", "nearly": "triangle-down", "at_most": "triangle-down"}
COUNT = "social_orgs_total"
MEASURES = ("count", "computed_per_10k", "reported_per_10k")


def as_day(text) -> pd.Timestamp | None:
    """A figure's date as a day: YYYY-MM-DD as it is, a year (or a month) as its last day; None if it has none."""
    text = str(text or "")
    try:
        if len(text) >= 10:
            return pd.Timestamp(text[:10])
        if len(text) == 7:
            return pd.Timestamp(text + "-01") + pd.offsets.MonthEnd(0)
        if len(text) == 4 and text.isdigit():
            return pd.Timestamp(f"{text}-12-31")
    except (ValueError, TypeError):
        return None
    return None


def trend_points(facts: pd.DataFrame, density: pd.DataFrame | None, measure: str, lang: str,
                 indicator: str = COUNT) -> pd.DataFrame:
    """One row per place, reply and date: the count its reply states (measure "count": the reply's headline
    whole-area figure of the indicator), or its density computed on the 2020 census ("computed_per_10k") or as the
    reply states it ("reported_per_10k"). A figure two replies state for one date is the newer reply's."""
    if measure == "count":
        rows = facts[(facts["indicator"] == indicator) & (facts["status"] == "achievement")
                     & facts["scope_kind"].isin(["", "whole"])].drop_duplicates("record_id")
        out = pd.DataFrame({"jurisdiction": rows["jurisdiction"], "record_id": rows["record_id"], "fact_id": rows["id"],
                            "date": [views.as_of(r) for r in views.records(rows, ["period_end", "doc_date"])],
                            "value": rows["value"], "qualifier": rows["qualifier"], "doc_date": rows["doc_date"],
                            "is_draft": review.draft_column(rows).to_numpy()})
    else:
        if density is None or density.empty:
            return pd.DataFrame(columns=POINT_COLUMNS)
        rows = density[(density["indicator"] == indicator) & (density["base"] == "census")]
        rows = rows[rows[measure].notna()].drop_duplicates("record_id")
        fact = rows["fact_id"] if measure == "computed_per_10k" else rows["reported_fact_id"]
        column = "is_reviewed" if measure == "computed_per_10k" else "reported_is_reviewed"
        out = pd.DataFrame({"jurisdiction": rows["jurisdiction"], "record_id": rows["record_id"], "fact_id": fact,
                            "date": rows["as_of"].astype(str), "value": rows[measure],
                            "qualifier": rows["count_qualifier"] if measure == "computed_per_10k" else "exact",
                            "doc_date": rows["doc_date"], "is_draft": review.draft_column(rows, column).to_numpy()})
    if out.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    for column in ("name_zh", "name_en", "issuer", "reference", "doc_type"):  # app/data.py gives every table these
        out[column] = rows[column].to_numpy() if column in rows.columns else out["jurisdiction"]
    out["day"] = [as_day(d) for d in out["date"]]
    out = out[out["day"].notna()].drop_duplicates(["jurisdiction", "day"])  # rows come newest reply first
    out["link"] = [fmt.permalink(r, f, lang) for r, f in zip(out["record_id"], out["fact_id"])]
    return out.sort_values(["jurisdiction", "day"], kind="stable").reset_index(drop=True)[POINT_COLUMNS]


def year_range(points: pd.DataFrame) -> tuple[int, int] | None:
    """The first and last year any point stands for."""
    if points.empty:
        return None
    years = [d.year for d in points["day"]]
    return min(years), max(years)


def in_period(points: pd.DataFrame, period: tuple[int, int] | None) -> pd.DataFrame:
    if period is None or points.empty:
        return points
    years = pd.Series([d.year for d in points["day"]], index=points.index)
    return points[(years >= period[0]) & (years <= period[1])]


def parse_period(text: str) -> tuple[int, int]:
    """'2019-2023' -> (2019, 2023), for the URL (?period=2019-2023); anything else raises ValueError."""
    first, _, last = str(text).partition("-")
    lo, hi = int(first), int(last)
    if not (1949 <= lo <= hi <= 2100):
        raise ValueError(text)
    return lo, hi


def dump_period(period: tuple[int, int]) -> str:
    return f"{period[0]}-{period[1]}"
