"""Figures over time: each place's registered organisations and density at every date its replies state, with
China's line, for a period chosen in the URL (?period=2019-2023). OWID's line chart with its time slider is the model.

Body of the time view (pages/trends.py calls render())."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app import data, evidence, fmt, layout, trend
from app.charts import png_filename
from app.charts_trend import make_trend_figure
from app.export import file_name, to_csv
from app.safe import escape_text as md


def render() -> None:
    """Draw the time view."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "facts")
    st.title(ctx.t("trends_title"))
    st.caption(ctx.t("trend_intro"))
    measures = ["computed_per_10k", "reported_per_10k"]
    layout.sync_select("measure", measures, measures[0])
    measure = layout.bound(st.radio, "measure", ctx.t("trend_measure"), default=measures[0],
                           parse=layout.choice(measures), dump=str, options=measures,
                           format_func=lambda m: ctx.t(f"trend_measure_{m}"), horizontal=True)
    # The points once per data version, selection, language and measure; what is drawn of them once per period too.
    counts, dens = layout.cached_figure(ctx, "trend_points", lambda: _points(ctx, measure), measure=measure)
    spans = [r for r in (trend.year_range(counts), trend.year_range(dens)) if r]
    period = None
    if spans:
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        period = (lo, hi)
        if hi > lo:
            period = _period_slider(ctx, lo, hi)
    plan = layout.cached_figure(ctx, "trend_plan", lambda: _plan(ctx, counts, dens, measure, period), measure=measure,
                                period=period)
    if plan["one_each"]:
        st.info(ctx.t("trend_one_each"))
    evidence.show_linked_figure(ctx, plan["count"], "trend_count",
                                png_filename("trend_count", ctx.slugs, _period_text(period)))
    evidence.show_linked_figure(ctx, plan["density"], "trend_density",
                                png_filename("trend_density", ctx.slugs, measure, _period_text(period)))
    st.caption(ctx.t("click_for_evidence"))
    if plan["missing"]:
        st.info(plan["missing"])
    with st.expander(ctx.t("trend_table"), expanded=False):
        table = plan["table"]
        if table.empty:
            st.info(ctx.t("table_empty"))
        else:
            layout.show_table(ctx, plan["shown"], hide_index=True, column_config=plan["config"])
            layout.download(st, ctx.t("download_csv"), partial(to_csv, table), mime="text/csv",
                            file_name=file_name("trend", ctx.slugs, [measure, _period_text(period)], "csv"))


def _points(ctx: layout.Ctx, measure: str):
    """(count points, density points) of the selected places (app/trend.py)."""
    T = ctx.tables
    facts = data.select(T["facts"], ctx.slugs)
    density = data.select(T["density"], ctx.slugs) if T.get("density") is not None else None
    return (trend.trend_points(facts, density, "count", ctx.lang),
            trend.trend_points(facts, density, measure, ctx.lang))


def _plan(ctx: layout.Ctx, counts, dens, measure: str, period) -> dict:
    """The two figures, the notes and the table of points for one period."""
    from app.i18n import column_label

    lang = ctx.lang
    shown_counts, shown_dens = trend.in_period(counts, period), trend.in_period(dens, period)
    stated = set(counts["jurisdiction"])
    missing = [name for slug, name in ctx.names.items() if slug not in stated]
    table = _points_table(ctx, shown_counts, shown_dens, measure)
    link = column_label("evidence", lang)
    text = [c for c in table.columns if table[c].dtype == object and c != link]
    return {
        "one_each": not any(n > 1 for n in counts.groupby("jurisdiction", sort=False).size()),
        "count": make_trend_figure(shown_counts, lang, measure="count", period=period),
        "density": make_trend_figure(shown_dens, lang, measure=measure, national=ctx.tables.get("national"),
                                     period=period),
        "missing": ctx.t("trend_not_stated", names=fmt.listing([md(n) for n in missing], lang)) if missing else "",
        "table": table,
        "shown": table.assign(**{c: table[c].map(md) for c in text}) if not table.empty else table,
        "config": {link: evidence.evidence_column(lang)},
    }


def _period_slider(ctx: layout.Ctx, lo: int, hi: int) -> tuple[int, int]:
    """A range of years between lo and hi, kept in the URL (?period=2021-2023; all years: not written). A range
    slider's value is its own `value` (layout.bound's session-state seeding would turn it into a one-year slider on a
    rerun); a period outside the data (another selection) falls back to all of it."""
    parse = lambda raw: _within(trend.parse_period(raw), lo, hi)  # noqa: E731
    stored = layout.url_state("period", (lo, hi), parse, trend.dump_period)
    if not (isinstance(stored, tuple) and len(stored) == 2 and lo <= stored[0] <= stored[1] <= hi):
        stored = (lo, hi)
    chosen = st.select_slider(ctx.t("trend_period"), options=list(range(lo, hi + 1)), value=stored)
    period = (int(chosen[0]), int(chosen[1]))
    st.session_state["_v_period"] = period
    layout.write_query("period", trend.dump_period(period), trend.dump_period((lo, hi)))
    return period


def _within(period: tuple[int, int], lo: int, hi: int) -> tuple[int, int]:
    if not (lo <= period[0] <= period[1] <= hi):
        raise ValueError(period)
    return period


def _period_text(period) -> str:
    return trend.dump_period(period) if period else ""


def _points_table(ctx: layout.Ctx, counts, dens, measure: str):
    """Every point of both charts: place, figure, date, value, reply and the link to its sentence."""
    import pandas as pd

    from app.i18n import column_label

    frames = []
    for points, figure in ((counts, ctx.t("m_registered")), (dens, ctx.t(f"trend_measure_{measure}"))):
        if not points.empty:
            frames.append(pd.DataFrame({
                "name": points[f"name_{ctx.lang}"], "indicator": figure, "as_of": points["date"],
                "value": points["value"], "qualifier": points["qualifier"], "record_id": points["record_id"],
                "evidence": points["link"]}))
    if not frames:
        return pd.DataFrame()
    table = pd.concat(frames, ignore_index=True)
    return table.rename(columns={c: column_label(c, ctx.lang) for c in table.columns})
