"""Organisations per 10,000 residents, reported beside computed, with the national line.

Body of the density page (pages/density.py calls render())."""

from __future__ import annotations

from functools import partial
import streamlit as st

from app import data, evidence, fmt, layout, review, views
from app.charts import make_density_figure, png_filename
from app.export import file_name, to_csv, with_raw_checksum, with_review
from app.i18n import column_label
from app.safe import escape_text as md
from app import limits  # read at call time: tests change a limit for one run


def render() -> None:
    """Draw the density page."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "density")
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("density_title"))
    st.caption(ctx.t("density_intro"))

    bases = ["census", "nearest"]
    layout.sync_select("base", bases, "census")
    base = layout.bound(
        st.radio, "base", ctx.t("base_label"), default="census", parse=layout.choice(bases), dump=str,
        options=bases, format_func=lambda b: ctx.t(f"base_{b}"), horizontal=True,
    )
    # View options kept in the URL, so a link opens the same view: empty slots hidden (the default), sorted.
    hide, sort = (layout.bound(st.toggle, name, ctx.t(label), default=default, parse=layout.flag,
                               dump=lambda v: "1" if v else "0")
                  for name, label, default in (("hide", "density_hide_empty", True), ("sort", "density_sort", False)))
    density = data.select(T["density"], ctx.slugs)

    fig = layout.cached_figure(ctx, "density", lambda: make_density_figure(
        density, lang, base=base, national=T.get("national"), all_jurisdictions=ctx.names, hide_empty=hide,
        sort_by_value=sort), base=base, hide=hide, sort=sort)
    evidence.show_linked_figure(ctx, fig, "density_total", png_filename("density", ctx.slugs, base))

    def _density_notes() -> layout.Recorder:
        st = layout.Recorder()  # recorded once per data version, selection, language and option, replayed on a rerun
        # The flag is repeated outside the chart so it is read even when the footnote is not: in full for the places the
        # chart draws (the first limits.MAX_PLACES), by name for the others.
        rows = views.density_rows(density, base=base)
        charted = set(list(ctx.names)[:limits.MAX_PLACES])
        flagged = rows[rows["is_reproducible"] == "False"]
        for _, r in flagged[flagged["jurisdiction"].isin(charted)].iterrows():
            name = md(ctx.names.get(r["jurisdiction"], r["jurisdiction"]))  # names and notes come from the data: text
            st.warning(f"**{ctx.t('flag_title')}** — {ctx.t('flag_short', name=name, value=f'{r.reported_per_10k:.2f}')}{'。' if lang == 'zh' else '. '}{md(views.flag_note_text(r, lang))}")
        others = [ctx.names.get(s, s) for s in flagged["jurisdiction"] if s not in charted]
        if others:
            st.warning(ctx.t("flag_more", n=fmt.number(len(others)), names=fmt.listing([md(n) for n in others], lang)))
        drafted = rows[rows["jurisdiction"].isin(charted)]
        if review.draft_column(drafted).any() or review.draft_column(drafted, "reported_is_reviewed").any():
            st.caption(review.note(lang))  # what the ◌ on a bar means, outside the chart too
        stated = set(rows["jurisdiction"])
        missing = [n for s, n in ctx.names.items() if s not in stated]
        if missing:
            st.info(ctx.t("density_not_stated", names=fmt.listing([md(n) for n in missing], lang)))

        return st

    layout.cached_figure(ctx, "_density_notes", _density_notes, base=base, places=limits.MAX_PLACES).replay(st)
    st.subheader(ctx.t("density_community_title"))
    fig2 = layout.cached_figure(ctx, "density_community", lambda: make_density_figure(
        density, lang, base=base, indicator="community_social_orgs", all_jurisdictions=ctx.names, hide_empty=hide,
        sort_by_value=sort), base=base, hide=hide, sort=sort)
    evidence.show_linked_figure(ctx, fig2, "density_community", png_filename("density_community", ctx.slugs, base))
    st.caption(ctx.t("click_for_evidence"))

    def _density_table() -> layout.Recorder:
        st = layout.Recorder()  # recorded once per data version, selection, language and option, replayed on a rerun
        with st.expander(ctx.t("density_table_caption"), expanded=not ctx.present):
            shown = density[density["base"] == base].drop(columns=["name_zh", "name_en", "doc_type"], errors="ignore")
            labels = layout.indicator_labels(ctx)
            # The numbers link to their sentences: the count to its fact, the reported density to its own.
            linked = shown.assign(
                evidence=[fmt.permalink(r, f, lang) for r, f in zip(shown["record_id"], shown["fact_id"])],
                reported_evidence=[fmt.permalink(r, f, lang) if f else "" for r, f in zip(shown["record_id"], shown["reported_fact_id"])])
            if linked.empty:  # said in the page's language, not an empty grid reading "empty"
                st.info(ctx.t("table_empty"))
            else:
                config = {column_label("evidence", lang): evidence.evidence_column(lang),
                          column_label("reported_evidence", lang): evidence.evidence_column(lang, column_label("reported_evidence", lang))}
                layout.show_table(ctx, linked, lambda head: views.readable(
                    head, lang, names=ctx.names, indicator_labels=labels, drop=("record_id", "fact_id", "reported_fact_id")),
                    hide_index=True, column_config=config, container=st)
            st.caption(ctx.t("downloads_keep_codes"))
            layout.download(st, ctx.t("download_csv"), partial(to_csv, with_review(with_raw_checksum(shown.drop(
                columns=["issuer", "doc_date", "reference"], errors="ignore"), T["documents"]), lang)), mime="text/csv",
                            file_name=file_name("density", ctx.slugs, [base], "csv"))
        return st

    layout.cached_figure(ctx, "_density_table", _density_table, base=base, present=ctx.present).replay(st)
    st.caption(ctx.t("chart_png_hint"))
