"""The time view's chart: a line per place through every figure its replies state, one marker per reply (a click
opens its sentence), bounds drawn as bounds, China's line for the density (app/page_trends.py)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import fmt, review, trend
from app.charts import NATIONAL, PHONE_WRAP, _base, add_footnote, empty_figure, places_cut_note
from app.colors import color_for
from app.i18n import t
from app.limits import MAX_PLACES
from app.safe import escape_plot


def make_trend_figure(points: pd.DataFrame, lang: str, *, measure: str = "count", national: pd.DataFrame | None = None,
                      period: tuple[int, int] | None = None, max_places: int = MAX_PLACES) -> go.Figure:
    """points: app.trend.trend_points (one row per place, reply and date), already cut to the period."""
    title = t(f"trend_title_{measure}", lang)
    if points.empty:
        return empty_figure(t("trend_none", lang), title)
    places = list(dict.fromkeys(points["jurisdiction"]))
    cut_slugs = places[max_places:]
    cut = [n for n in points.drop_duplicates("jurisdiction").set_index("jurisdiction").loc[cut_slugs, f"name_{lang}"]]
    points = points[points["jurisdiction"].isin(places[:max_places])]
    fig = go.Figure()
    for slug, rows in points.groupby("jurisdiction", sort=False):
        name = escape_plot(rows[f"name_{lang}"].iloc[0])
        color = color_for(slug)
        symbols = [trend.SYMBOLS.get(q or "", "circle") for q in rows["qualifier"]]
        words = [fmt.value_text(v, "count", q, lang) if measure == "count" else
                 (t("q_" + (q or "exact"), lang) + f"{v:.2f}") for v, q in zip(rows["value"], rows["qualifier"])]
        fig.add_trace(go.Scatter(
            name=name, x=rows["day"].tolist(), y=rows["value"].tolist(), mode="lines+markers",
            line=dict(color=color, width=3), marker=dict(color=color, size=13, symbol=symbols, line=dict(width=2, color=color)),
            customdata=[[link, escape_plot(w), escape_plot(d), escape_plot(rid), f"<br>{review.draft_label(lang)}" if dr else ""]
                        for link, w, d, rid, dr in zip(rows["link"], words, rows["date"], rows["record_id"], rows["is_draft"])],
            hovertemplate="<b>" + name + "</b><br>%{customdata[1]}<br>" + t("as_of", lang) + " %{customdata[2]}<br>"
            "%{customdata[3]}%{customdata[4]}<br>" + t("click_for_evidence", lang) + "<extra></extra>",
        ))
    notes = [fmt.sources_line(points, lang)]
    if measure != "count" and national is not None and not national.empty:
        years = set(range(period[0], period[1] + 1)) if period else {d.year for d in points["day"]}
        nat = national[national["year"].isin(years) & national["social_orgs_per_10k"].notna()]
        if not nat.empty:
            fig.add_trace(go.Scatter(
                name=t("trend_national", lang), x=[pd.Timestamp(f"{y}-12-31") for y in nat["year"]],
                y=nat["social_orgs_per_10k"].tolist(), mode="lines+markers",
                line=dict(color=NATIONAL, dash="dash", width=2), marker=dict(color=NATIONAL, size=7),
                hovertemplate=t("trend_national", lang) + " %{x|%Y}: %{y:.2f}<extra></extra>",
            ))
            if nat["is_derived"].astype(str).str.lower().eq("true").any():
                notes.append(t("trend_national_note", lang))
    if points["is_draft"].any():
        notes.append(review.note(lang))
    if points["qualifier"].isin(list(fmt.QUALIFIER_MARK)).any():
        notes.append(t("trend_bounds_note", lang))
    notes.append(places_cut_note(cut, max_places, lang))
    _base(fig, title, t("axis_per10k", lang) if measure != "count" else t("trend_axis_count", lang))
    if measure == "count":
        fig.update_yaxes(tickformat=",d")
    fig.update_xaxes(title_text=t("trend_axis_date", lang), tickformat="%Y-%m")
    if period is not None:
        fig.update_xaxes(range=[pd.Timestamp(f"{period[0]}-01-01"), pd.Timestamp(f"{period[1]}-12-31")])
    fig.update_layout(hovermode="closest", height=480)
    return add_footnote(fig, notes, lang, gap=55, width=PHONE_WRAP)
