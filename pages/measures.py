"""Measures page: jurisdiction × measure-category matrix by instrument type, with each cell's sentences."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/measures.py` finds app/

import streamlit as st

from app import data, layout, views
from app.charts import make_measures_figure
from app.export import file_name, to_csv

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
    fig = make_measures_figure(measures, lang, codebook=T.get("codebook"), jurisdictions=ctx.names)
    layout.show_figure(ctx, fig, key="measures")

    st.subheader(ctx.t("cell_pick"))
    cats = views.category_info(T.get("codebook"), lang, measures)
    present = [c for c in cats if c in set(measures["category"])]
    places = [s for s in ctx.slugs if s in set(measures["jurisdiction"])] or ctx.slugs
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
        # st.markdown escapes nothing by itself, but without unsafe_allow_html raw HTML in reply text is not rendered.
        st.markdown(f"**{mark}** — {m['quote_clean'] or m['quote']}")

    with st.expander(ctx.t("table"), expanded=False):
        st.dataframe(views.readable(measures, lang, names=ctx.names, categories=cats,
                                    drop=("quote", "jurisdiction_zh", "name_zh", "name_en", "quote_start", "quote_end")),
                     hide_index=True)
        st.caption(ctx.t("downloads_keep_codes"))
        st.download_button(ctx.t("download_csv"), to_csv(measures), mime="text/csv",
                           file_name=file_name("measures", ctx.slugs, [], "csv"))

st.subheader(ctx.t("terms_title"))
terms = T.get("distinctive_terms")
if terms is None:
    st.info(ctx.t("terms_missing"))
else:
    terms = data.select(terms, ctx.slugs) if "jurisdiction" in terms.columns else terms
    cols = st.columns(max(1, min(len(ctx.slugs), 5)))
    for i, slug in enumerate(ctx.slugs):
        part = terms[terms["jurisdiction"] == slug] if "jurisdiction" in terms.columns else terms.iloc[0:0]
        with cols[i % len(cols)]:
            st.markdown(f"**{ctx.names.get(slug, slug)}**")
            top = part.sort_values("score", ascending=False).head(12)
            st.write("、".join(top["term"].astype(str)) if not top.empty else "—")
