"""Amounts by channel and jurisdiction, as stated, per year or per resident, plans apart.

Body of the funding page (pages/funding.py calls render())."""

from __future__ import annotations

import streamlit as st

from app import data, evidence, fmt, layout, review, views
from app.charts import make_funding_figure, png_filename
from app.export import file_name, funding_extra, tidy_csv, tidy_facts
from app.i18n import column_label


def render() -> None:
    """Draw the funding page."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "facts")
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("funding_title"))
    st.caption(ctx.t("funding_intro"))

    modes = ["stated", "per_year", "per_resident"]
    layout.sync_select("mode", modes, "stated")
    mode = layout.bound(
        st.radio, "mode", ctx.t("mode_label"), default="stated", parse=layout.choice(modes), dump=str,
        options=modes, format_func=lambda m: ctx.t(f"mode_{m}"), horizontal=True,
    )
    base = "census"
    if mode == "per_resident":
        bases = ["census", "nearest"]
        layout.sync_select("base", bases, "census")
        base = layout.bound(
            st.radio, "base", ctx.t("base_label"), default="census", parse=layout.choice(bases), dump=str,
            options=bases, format_func=lambda b: ctx.t(f"base_{b}"), horizontal=True,
        )
    # A log scale keeps 55万 visible beside 1.8亿; in the URL, so a link opens it.
    log_x = layout.bound(st.toggle, "log", ctx.t("funding_log"), default=False, parse=layout.flag,
                         dump=lambda v: "1" if v else "0")
    facts = data.select(T["facts"], ctx.slugs)
    population = T.get("population")

    # Each set of rows is made once per data version, selection, language and option, and both drawn and tabled.
    made = layout.cached_figure(ctx, "funding_rows", lambda: _rows(ctx, facts, mode, base), mode=mode, base=base)
    rows, dropped, plans, shown = made["rows"], made["dropped"], made["plans"], made["shown"]
    fig = layout.cached_figure(ctx, "funding", lambda: make_funding_figure(
        facts, lang, mode=mode, population=population, base=base, rows=(rows, dropped), log_x=log_x), mode=mode, base=base,
        log=log_x)
    evidence.show_linked_figure(ctx, fig, "funding", png_filename("funding", ctx.slugs, mode,
                                                                     base if mode == "per_resident" else ""))
    marks = [m for bound, m in (("lower", "▷ = " + ctx.t("lower_bound")), ("upper", "◁ = " + ctx.t("upper_bound")))
             if (rows.get("bound") is not None) and (rows["bound"] == bound).any()]
    if "is_draft" in rows.columns and rows["is_draft"].astype(bool).any():
        marks.append(review.note(lang))  # dotted bars, "◌ 未审核" after the amount
    if marks:
        st.caption(" · ".join(marks) + " · " + ctx.t("click_for_evidence"))
    for why in ("period", "scope", "population"):
        if dropped.get(why):
            # Said on the page too, not only in the figure's footnote: what was left out and why.
            st.info(ctx.t(f"funding_dropped_{why}", items=fmt.listing(dropped[why], lang, sep="; ")))

    st.subheader(ctx.t("funding_plans_title"))
    if plans[0].empty:
        st.info(ctx.t("plans_none"))
    else:
        plans_fig = layout.cached_figure(ctx, "funding_plans", lambda: make_funding_figure(
            facts, lang, status="target", rows=plans, log_x=log_x), log=log_x)
        evidence.show_linked_figure(ctx, plans_fig, "funding_plans", png_filename("funding_plans", ctx.slugs))

    with st.expander(ctx.t("table"), expanded=not ctx.present):
        if rows.empty:
            st.info(ctx.t("table_empty"))
        else:
            layout.show_table(ctx, shown, made["readable"], hide_index=True,
                              column_config={column_label("evidence", lang): evidence.evidence_column(lang)})
        st.caption(ctx.t("downloads_keep_codes"))
        layout.download(st, ctx.t("download_csv"), lambda: tidy_csv(tidy_facts(facts, T["documents"], indicators=T["indicators"], extra=funding_extra(rows, mode), lang=lang)), mime="text/csv",
                        file_name=file_name("funding", ctx.slugs, [mode], "csv"))
    st.caption(ctx.t("chart_png_hint"))


def _rows(ctx: layout.Ctx, facts, mode: str, base: str) -> dict:
    """The amounts drawn and tabled, the plans, and the table as shown (its readable head made once)."""
    lang, population = ctx.lang, ctx.tables.get("population")
    rows, dropped = views.funding_rows(facts, lang, mode=mode, population=population, base=base)
    plans = views.funding_rows(facts, lang, mode="stated", status="target")
    # The evidence link beside the amount it proves, not off the right edge of a wide table.
    shown = rows[[c for c in ("jurisdiction", "channel_label", "period", "scope", "value_text", "evidence", "amount_yuan",
                              "shown", "projects", "years", "population", "issuer", "doc_date", "reference", "quote_clean")
                  if c in rows.columns]].copy()
    shown["scope"] = shown["scope"].replace("", ctx.t("scope_whole"))
    if "is_draft" in rows.columns and "value_text" in shown.columns:  # a draft amount: ◌ 未审核 after it
        shown["value_text"] = [review.marked(v, bool(d), lang) for v, d in zip(shown["value_text"], rows["is_draft"])]
    shown = shown.drop(columns=[c for c in ("population",) if shown[c].isna().all()] if "population" in shown else [])
    heads: dict[int, object] = {}

    def readable(head):
        if len(head) not in heads:
            heads[len(head)] = views.readable(head, lang, names=ctx.names)
        return heads[len(head)]

    return {"rows": rows, "dropped": dropped, "plans": plans, "shown": shown, "readable": readable}
