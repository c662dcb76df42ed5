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
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("trends_title"))
    st.caption(ctx.t("trend_intro"))
    facts = data.select(T["facts"], ctx.slugs)
    density = data.select(T["density"], ctx.slugs) if T.get("density") is not None else None
    measures = ["computed_per_10k", "reported_per_10k"]
    layout.sync_select("measure", measures, measures[0])
    measure = layout.bound(st.radio, "measure", ctx.t("trend_measure"), default=measures[0],
                           parse=layout.choice(measures), dump=str, options=measures,
                           format_func=lambda m: ctx.t(f"trend_measure_{m}"), horizontal=True)
    counts = layout.cached_figure(ctx, "trend_points_count", lambda: trend.trend_points(facts, density, "count", lang))
    dens = layout.cached_figure(ctx, "trend_points_density",
                                lambda: trend.trend_points(facts, density, measure, lang), measure=measure)
    spans = [r for r in (trend.year_range(counts), trend.year_range(dens)) if r]
    period = None
    if spans:
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        period = (lo, hi)
        if hi > lo:
            period = _period_slider(ctx, lo, hi)
    shown_counts, shown_dens = trend.in_period(counts, period), trend.in_period(dens, period)
    several = [n for n, g in counts.groupby("jurisdiction", sort=False) if len(g) > 1]
    if not several:
        st.info(ctx.t("trend_one_each"))
    fig = layout.cached_figure(ctx, "trend_count", lambda: make_trend_figure(shown_counts, lang, measure="count",
                                                                            period=period), period=period)
    evidence.show_linked_figure(ctx, fig, "trend_count", png_filename("trend_count", ctx.slugs, _period_text(period)))
    fig2 = layout.cached_figure(ctx, "trend_density", lambda: make_trend_figure(
        shown_dens, lang, measure=measure, national=T.get("national"), period=period), period=period, measure=measure)
    evidence.show_linked_figure(ctx, fig2, "trend_density",
                                png_filename("trend_density", ctx.slugs, measure, _period_text(period)))
    st.caption(ctx.t("click_for_evidence"))
    stated = set(counts["jurisdiction"])
    missing = [name for slug, name in ctx.names.items() if slug not in stated]
    if missing:
        st.info(ctx.t("trend_not_stated", names=fmt.listing([md(n) for n in missing], lang)))
    with st.expander(ctx.t("trend_table"), expanded=False):
        table = _points_table(ctx, shown_counts, shown_dens, measure)
        if table.empty:
            st.info(ctx.t("table_empty"))
        else:
            from app.i18n import column_label

            config = {column_label("evidence", lang): evidence.evidence_column(lang)}
            text = [c for c in table.columns if table[c].dtype == object and c != column_label("evidence", lang)]
            layout.show_table(ctx, table, lambda head: head.assign(**{c: head[c].map(md) for c in text}),
                              hide_index=True, column_config=config)
            layout.download(st, ctx.t("download_csv"), partial(to_csv, table), mime="text/csv",
                            file_name=file_name("trend", ctx.slugs, [measure, _period_text(period)], "csv"))


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
