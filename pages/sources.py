"""Sources page: each reply's cleaned text with its facts highlighted, the raw text and what cleaning removed."""

import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/sources.py` finds app/

import pandas as pd
import streamlit as st

from app import data, fmt, layout
from app.highlight import highlight, raw_to_clean
from app.i18n import REPAIR_REASONS_ZH, STRINGS, column_label

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts")
lang, T = ctx.lang, ctx.tables
st.title(ctx.t("sources_title"))

docs = data.select(T["documents"], ctx.slugs)
records = docs["record_id"].tolist()
# Names are never empty (data.py falls back to the slug), and astype(str) keeps a label a string whatever the table.
label = dict(zip(docs["record_id"], docs[f"name_{lang}"].astype(str) + " · " + docs["doc_date"].astype(str)))
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
# A key/value list, not a table: a table would need a header row, and there is nothing to put in it.
lines = []
for key, value in origin:
    missing = fmt.is_missing(value) or pd.isna(value)
    shown = f"*{ctx.t('not_stated')}*" if missing else f"`{value}`" if key in ("source_file", "collected_from", "sha256") else str(value)
    lines.append(f"- **{ctx.t(key)}**：{shown}" if lang == "zh" else f"- **{ctx.t(key)}:** {shown}")
st.markdown("\n".join(lines))

raw_path = data.data_dir() / "raw" / f"{rid}.txt"
if not raw_path.exists():
    st.warning(ctx.t("raw_missing", file=f"data/raw/{rid}.txt"))
    st.stop()

# The loaders own decoding and cleaning; reuse them, don't copy. The text must be decoded exactly as the build
# decoded it (BOM dropped, GB18030/Big5/UTF-16 recognised, CRLF kept), or the fact offsets point elsewhere.
from loaders.clean import clean_text  # noqa: E402
from loaders.errors import LoaderError  # noqa: E402
from loaders.read import decode_reply  # noqa: E402

try:
    raw_bytes = raw_path.read_bytes()
    raw_text = decode_reply(raw_bytes, f"data/raw/{rid}.txt")
except (LoaderError, OSError) as exc:  # a PDF saved as .txt, an unknown encoding, an unreadable file
    problem = exc.problem if isinstance(exc, LoaderError) else (exc.strerror or type(exc).__name__)
    st.warning(ctx.t("raw_unreadable", file=f"data/raw/{rid}.txt", problem=problem))
    st.stop()
if not fmt.is_missing(doc.get("sha256")) and hashlib.sha256(raw_bytes).hexdigest() != doc.get("sha256"):
    st.warning(ctx.t("raw_changed", file=f"data/raw/{rid}.txt"))
cleaned = clean_text(raw_text)
facts = T["facts"][T["facts"]["record_id"] == rid]
spans = []
for _, f in facts.iterrows():
    start, end = raw_to_clean(cleaned.offsets, int(f["quote_start"]), int(f["quote_end"]))
    title = f"{data.indicator_label(T, f['indicator'], lang)} = {fmt.value_text(f['value'], f['unit'], f['qualifier'], lang)}"
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
if not cleaned.repairs:
    st.info(ctx.t("repairs_none"))
else:
    repairs_table = pd.DataFrame([{
        "kind": ctx.t(f"repair_kind_{r.kind}") if f"repair_kind_{r.kind}" in STRINGS else r.kind,
        "removed": r.removed, "replacement": r.replacement,
        "reason": REPAIR_REASONS_ZH.get(r.reason, r.reason) if lang == "zh" else r.reason,
        "raw_start": r.raw_start, "raw_end": r.raw_end,
    } for r in cleaned.repairs])
    st.dataframe(repairs_table.rename(columns=lambda c: column_label(c, lang)), hide_index=True, width="stretch")
