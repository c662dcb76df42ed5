"""Compare page: two jurisdictions side by side on every indicator, and the measures only one of them has."""

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/compare.py` finds app/

import streamlit as st

from app import data, fmt, layout, views
from app.safe import escape_text as md
from app.export import file_name, to_csv
from app.limits import MAX_QUOTES

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts", need_selection=False)
lang, T = ctx.lang, ctx.tables
st.title(ctx.t("compare_title"))

every = data.names(T, lang)
# Offer every place, not only the sidebar's selection, so any pair can be compared; default to the selection.
options = ctx.all_slugs
if len(options) < 2:
    st.info(ctx.t("compare_need_two"))
    st.stop()
start = (ctx.slugs + [s for s in options if s not in ctx.slugs])[:2]
left, right = st.columns(2)
layout.sync_select("a", options, start[0])
a = layout.bound(left.selectbox, "a", ctx.t("compare_a"), default=start[0], parse=layout.choice(options), dump=str,
                 options=options, format_func=lambda s: every.get(s, s))
rest = [s for s in options if s != a]
layout.sync_select("b", rest, start[1] if start[1] != a else rest[0])
b = layout.bound(right.selectbox, "b", ctx.t("compare_b"), default=rest[0], parse=layout.choice(rest), dump=str,
                 options=rest, format_func=lambda s: every.get(s, s))

levels = T["documents"].drop_duplicates("jurisdiction").set_index("jurisdiction")["jurisdiction_level"].to_dict()
if levels.get(a) != levels.get(b):
    st.warning(ctx.t("compare_levels", a=md(every.get(a, a)), b=md(every.get(b, b)),
                     la=ctx.t(f"level_{levels.get(a)}").lower() if lang == "en" else ctx.t(f"level_{levels.get(a)}"),
                     lb=ctx.t(f"level_{levels.get(b)}").lower() if lang == "en" else ctx.t(f"level_{levels.get(b)}")))
facts = data.select(T["facts"], [a, b])
labels = {code: data.indicator_label(T, code, lang) for code in facts["indicator"].unique()}
table = views.indicator_table(facts, [a, b], labels, lang).rename(columns={a: every.get(a, a), b: every.get(b, b)})
st.subheader(ctx.t("compare_indicators"))
# A static table wraps long cells ("457.2万元 (2013年以来, 仅市本级); 108万元 …") instead of cutting them off. Its
# cells, index and headers are Markdown, and hold names, periods and areas from the replies: every one escaped
# (the download keeps them as they are).
shown = table.set_index(ctx.t("indicator"))
shown = shown.map(md).rename(index=md, columns=md)
shown.index.name = md(shown.index.name)
st.table(shown)
layout.download(st, ctx.t("download_csv"), partial(to_csv, table), mime="text/csv",
                file_name=file_name("compare", [a, b], [], "csv"))
st.caption(md(fmt.sources_line(facts, lang)))

measures = T.get("measures")
cols = st.columns(2)
if measures is None or data.select(measures, [a, b]).empty:
    st.info(ctx.t("compare_measures_none"))
else:
    m = data.select(measures, [a, b])
    cats = views.category_info(T.get("codebook"), lang, m)
    for col, one, other in ((cols[0], a, b), (cols[1], b, a)):
        only = set(m[m["jurisdiction"] == one]["category"]) - set(m[m["jurisdiction"] == other]["category"])
        with col:
            st.subheader(ctx.t("compare_only", name=md(every.get(one, one))))
            if not only:
                st.write("—")
            # One collapsed section per category: the names read as a list, the sentences open on demand.
            for cat in [c for c in cats if c in only]:
                sentences = m[(m["jurisdiction"] == one) & (m["category"] == cat)]
                with st.expander(f"{ctx.t('it_' + cats[cat]['instrument_type'])} · {md(cats[cat]['label'])} ({len(sentences)})"):
                    for row in views.records(sentences.head(MAX_QUOTES), ["quote_clean", "quote"]):
                        st.markdown(f"> {md(row['quote_clean'] or row['quote'])}")
                    if len(sentences) > MAX_QUOTES:
                        st.caption(ctx.t("quotes_cut", n=fmt.number(len(sentences) - MAX_QUOTES)))

with st.expander(ctx.t("compare_quotes")):
    qa, qb = st.columns(2)
    for col, slug in ((qa, a), (qb, b)):
        with col:
            st.markdown(f"**{md(every.get(slug, slug))}**")
            own = facts[facts["jurisdiction"] == slug]
            for i, (quote, group) in enumerate(own.groupby("quote_clean", sort=False)):
                if i == MAX_QUOTES:
                    st.caption(ctx.t("quotes_cut", n=fmt.number(own["quote_clean"].nunique() - MAX_QUOTES)))
                    break
                st.markdown(f"- {md(quote)}  \n  *({md(', '.join(labels[c] for c in dict.fromkeys(group['indicator'])))})*")
