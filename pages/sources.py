"""Sources page: each reply's cleaned text with its facts highlighted, the raw text and what cleaning removed."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/sources.py` finds app/

import pandas as pd
import streamlit as st

from app import data, fmt, layout
from app.highlight import highlight, raw_to_clean

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts")
lang, T = ctx.lang, ctx.tables
st.title(ctx.t("sources_title"))

docs = data.select(T["documents"], ctx.slugs)
records = docs["record_id"].tolist()
label = dict(zip(docs["record_id"], docs[f"name_{lang}"] + " · " + docs["doc_date"].astype(str)))
layout.sync_select("r", records, records[0])
rid = layout.bound(st.selectbox, "r", ctx.t("sources_pick"), default=records[0], parse=layout.choice(records),
                   dump=str, options=records, format_func=lambda r: label.get(r, r))
doc = docs[docs["record_id"] == rid].iloc[0]

st.subheader(ctx.t("origin"))
origin = [
    ("issuer", doc.get("document_issuer")), ("addressee", doc.get("document_addressee")),
    ("proposal_title", doc.get("document_proposal_title")), ("reference_number", doc.get("document_reference_number")),
    ("date_written", doc.get("document_date_written")), ("date_published", doc.get("document_date_published")),
    ("source_file", doc.get("source_file")), ("collected_from", doc.get("collected_from")), ("sha256", doc.get("sha256")),
]
st.dataframe(
    pd.DataFrame([(ctx.t(k), "" if fmt.is_missing(v) or pd.isna(v) else str(v)) for k, v in origin], columns=["", " "]),
    hide_index=True, width="stretch",
)

raw_path = data.data_dir() / "raw" / f"{rid}.txt"
if not raw_path.exists():
    st.warning(ctx.t("raw_missing", file=f"data/raw/{rid}.txt"))
    st.stop()

from loaders.clean import clean_text  # noqa: E402  (the loaders own the cleaning rules; reuse, don't copy)

cleaned = clean_text(raw_path.read_text(encoding="utf-8"))
facts = T["facts"][T["facts"]["record_id"] == rid]
spans = []
for _, f in facts.iterrows():
    start, end = raw_to_clean(cleaned.offsets, int(f["quote_start"]), int(f["quote_end"]))
    title = f"{f['id']}: {data.indicator_label(T, f['indicator'], lang)} = {fmt.value_text(f['value'], f['unit'], f['qualifier'], lang)}"
    spans.append((start, end, title))
repairs = [(r.raw_start, r.raw_end, f"{r.kind}: {r.reason}") for r in cleaned.repairs]

left, right = st.columns(2)
with left:
    st.markdown(f"**{ctx.t('clean_text')}**")
    with st.container(height=600):
        # highlight() escapes the reply text; only its own <mark> tags are HTML.
        st.markdown(highlight(cleaned.text, spans, "mark"), unsafe_allow_html=True)
with right:
    st.markdown(f"**{ctx.t('raw_text')}**")
    with st.container(height=600):
        st.markdown(highlight(cleaned.raw, repairs, "del"), unsafe_allow_html=True)

st.subheader(ctx.t("repairs"))
st.dataframe(
    pd.DataFrame([{"kind": r.kind, "raw_start": r.raw_start, "raw_end": r.raw_end, "removed": r.removed,
                   "replacement": r.replacement, "reason": r.reason} for r in cleaned.repairs]),
    hide_index=True, width="stretch",
)
