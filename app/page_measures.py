"""Jurisdiction × measure-category matrix by instrument type, with each cell's sentences.

Body of the measures page (pages/measures.py calls render())."""

from __future__ import annotations

from functools import partial
import streamlit as st

from app import data, layout, review, views
from app.safe import escape_text as md
from app.charts import make_measures_figure, places_cut_note
from app.export import file_name, to_csv, with_review
from app import limits  # read at call time: tests change a limit for one run


def render() -> None:
    """Draw the measures page."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "measures")
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("measures_title"))
    st.caption(ctx.t("measures_intro"))
    if T.get("codebook") is None:
        st.info(ctx.t("codebook_missing"))

    measures = data.select(T["measures"], ctx.slugs)
    if measures.empty:
        st.info(ctx.t("measures_none"))
    else:
        fig = layout.cached_figure(ctx, "measures", lambda: make_measures_figure(
            measures, lang, codebook=T.get("codebook"), jurisdictions=ctx.names))
        layout.show_figure(ctx, fig, key="measures")

        st.subheader(ctx.t("cell_pick"))
        cats = views.category_info(T.get("codebook"), lang, measures)
        # Sets built once: a set per candidate rebuilt them from every measure row for every place.
        in_rows, with_rows = set(measures["category"].unique().tolist()), set(measures["jurisdiction"].unique().tolist())
        present = [c for c in cats if c in in_rows]
        # Every selected place, also those the matrix leaves out, so any cell can still be opened.
        places = [s for s in ctx.slugs if s in with_rows] or ctx.slugs
        left, right = st.columns(2)
        layout.sync_select("mj", places, places[0])
        slug = layout.bound(
            left.selectbox, "mj", ctx.t("jurisdiction_one"), default=places[0], parse=layout.choice(places),
            dump=str, options=places, format_func=lambda s: ctx.names.get(s, s),
        )
        layout.sync_select("mc", present, present[0])
        cat = layout.bound(
            right.selectbox, "mc", ctx.t("category"), default=present[0], parse=layout.choice(present), dump=str,
            options=present, format_func=lambda c: f"{ctx.t('it_' + cats[c]['instrument_type'])} · {cats[c]['label']}",
        )
        cell = measures[(measures["jurisdiction"] == slug) & (measures["category"] == cat)]
        if cell.empty:
            st.write(ctx.t("no_sentences"))
        for _, m in cell.iterrows():
            mark = "■ " + ctx.t("done") if m["status"] == "done" else "□ " + ctx.t("planned")
            # Reply text through md(): Markdown would otherwise read its links, images, $math$ and :colour[...].
            # A measure of a reply nobody has reviewed is a draft: the badge after it (app/review.py).
            st.markdown(review.badged(f"**{mark}** — {md(m['quote_clean'] or m['quote'])}",
                                      not str(m.get("reviewed_by", "x") or "").strip(), lang))

        def _measures_table() -> layout.Recorder:
            st = layout.Recorder()  # recorded once per data version, selection, language and option, replayed on a rerun
            with st.expander(ctx.t("table"), expanded=False):
                layout.show_table(ctx, measures, lambda head: views.readable(
                    head, lang, names=ctx.names, categories=cats,
                    drop=("quote", "jurisdiction_zh", "name_zh", "name_en", "quote_start", "quote_end")), hide_index=True,
                    container=st)
                st.caption(ctx.t("downloads_keep_codes"))
                layout.download(st, ctx.t("download_csv"), lambda: to_csv(with_review(measures, lang)), mime="text/csv",
                                file_name=file_name("measures", ctx.slugs, [], "csv"))

            return st

        layout.cached_figure(ctx, "_measures_table", _measures_table).replay(st)
    def _measures_terms() -> layout.Recorder:
        st = layout.Recorder()  # recorded once per data version, selection and language, replayed on a rerun
        st.subheader(ctx.t("terms_title"))
        terms = T.get("distinctive_terms")
        if terms is None:
            if "distinctive_terms" not in (T.get("problems") or {}):  # a broken table is named once, at the top
                st.info(ctx.t("terms_missing"))
        else:
            # The first limits.MAX_PLACES selected places only, each from one pass over the terms table (grouped once).
            slugs = ctx.slugs[:limits.MAX_PLACES]
            terms = data.select(terms, slugs) if "jurisdiction" in terms.columns else terms.iloc[0:0]
            terms = views.meaningful_terms(terms, views.excluded_terms(data.data_dir() / "reference"))  # no 衢州市, 我省
            groups = dict(tuple(terms.groupby("jurisdiction", sort=False))) if "jurisdiction" in terms.columns else {}
            cols = st.columns(max(1, min(len(slugs), 5)))
            for i, slug in enumerate(slugs):
                part = groups.get(slug, terms.iloc[0:0])
                with cols[i % len(cols)]:
                    st.markdown(f"**{md(ctx.names.get(slug, slug))}**")
                    top = part.sort_values("score", ascending=False).head(12)
                    st.markdown(md("、".join(top["term"].astype(str))) if not top.empty else "—")
            cut = [ctx.names.get(s, s) for s in ctx.slugs[limits.MAX_PLACES:]]
            if cut:
                st.info(places_cut_note([md(n) for n in cut], limits.MAX_PLACES, lang))
        return st

    layout.cached_figure(ctx, "_measures_terms", _measures_terms, places=limits.MAX_PLACES).replay(st)
