"""Each reply's cleaned text with its facts highlighted, the raw text and what cleaning removed.

Body of the sources page (pages/sources.py calls render())."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


import pandas as pd
import streamlit as st

from app import data, evidence, fmt, layout, names, reasons, review, safe, views
from app.highlight import removal_marks, render_marked
from app.i18n import STRINGS, column_label


def render() -> None:
    """Draw the sources page."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "facts")
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("sources_title"))

    docs = data.select(T["documents"], ctx.slugs)
    records = docs["record_id"].tolist()
    # A permalink (/sources?r=<record_id>&f=<fact_id>) opens its reply even when its place is not in the sidebar's
    # selection, and wins over the reply remembered from before: a link followed is a reply asked for.
    asked = st.query_params.get("r")
    every_record = T["documents"]["record_id"].tolist()
    if isinstance(asked, str) and asked in every_record and asked not in records:
        records.append(asked)
        docs = T["documents"][T["documents"]["record_id"].isin(records)]
    if isinstance(asked, str) and asked in records and asked != st.session_state.get("_seen_r"):
        st.session_state["_v_r"] = asked
    # Selectbox options are plain text (no Markdown): names go in as they are. Names are never empty (data.py falls back
    # to the slug), and astype(str) keeps a label a string whatever the table.
    label = dict(zip(docs["record_id"], docs[f"name_{lang}"].astype(str) + " · " + docs["doc_date"].astype(str)))
    layout.sync_select("r", records, records[0])
    rid = layout.bound(st.selectbox, "r", ctx.t("sources_pick"), default=records[0], parse=layout.choice(records),
                       dump=str, options=records, format_func=lambda r: label.get(r, r))
    doc = docs[docs["record_id"] == rid].iloc[0]
    # Who reviewed the reply and when; a reply nobody has reviewed says so (its numbers are drafts, marked below).
    reviewed = review.reviewed_reply_text(doc, lang)
    if reviewed:
        st.caption(safe.escape_text(reviewed))
    else:
        st.markdown(review.unreviewed_reply_markdown(lang))

    st.subheader(ctx.t("origin"))
    origin = [
        ("issuer", doc.get("document_issuer")), ("addressee", doc.get("document_addressee")),
        ("proposal_title", doc.get("document_proposal_title")), ("reference_number", doc.get("document_reference_number")),
        ("date_written", doc.get("document_date_written")), ("date_published", doc.get("document_date_published")),
        ("source_file", doc.get("source_file")), ("collected_from", doc.get("collected_from")), ("sha256", doc.get("sha256")),
    ]
    # A key/value list, not a table: a table would need a header row, and there is nothing to put in it. Every value
    # comes from the reply, a curation file or a file name: shown as text (escaped; the checksum in a code span).
    lines = []
    for key, value in origin:
        missing = fmt.is_missing(value) or pd.isna(value)
        if missing:
            shown = f"*{ctx.t('not_stated')}*"
        elif key == "sha256":
            shown = safe.code_span(value)
        elif key == "issuer":
            shown = safe.escape_text(names.with_english(value, lang))  # 'Leshan Civil Affairs Bureau (乐山市民政局)'
        else:
            shown = safe.escape_text(value)
        lines.append(f"- **{ctx.t(key)}**：{shown}" if lang == "zh" else f"- **{ctx.t(key)}:** {shown}")
    st.markdown("\n".join(lines))

    # A record id comes from a file name (or a hand-edited table): never let it name a path outside data/raw.
    raw_name = f"{rid}.txt"
    raw_file = f"data/raw/{raw_name}"
    if Path(raw_name).name != raw_name or raw_name.startswith("."):
        st.warning(ctx.t("raw_unreadable", file=safe.escape_text(raw_file), problem=safe.escape_text("not a file name")))
        st.stop()
    raw_path = data.data_dir() / "raw" / raw_name

    # The loaders own decoding and cleaning; reuse them, don't copy. The text must be decoded exactly as the build
    # decoded it (BOM dropped, GB18030/Big5/UTF-16 recognised, CRLF kept), or the fact offsets point elsewhere.
    from loaders.errors import LoaderError  # noqa: E402
    from loaders.read import decode_reply  # noqa: E402

    try:
        # Never open a FIFO or follow a link to a device: either would hang the page or fill the memory.
        raw_bytes = data.read_regular_file(raw_path, data.MAX_RAW_BYTES)
        raw_text = decode_reply(raw_bytes, raw_file)
    except data.FileProblem as exc:
        if str(exc) == "is missing":
            st.warning(ctx.t("raw_missing", file=safe.escape_text(raw_file)))
        else:
            st.warning(ctx.t("raw_unreadable", file=safe.escape_text(raw_file), problem=safe.escape_text(exc)))
        st.stop()
    except LoaderError as exc:  # a PDF saved as .txt, an unknown encoding
        st.warning(ctx.t("raw_unreadable", file=safe.escape_text(raw_file), problem=safe.escape_text(exc.problem)))
        st.stop()
    digest = hashlib.sha256(raw_bytes).hexdigest()
    if not fmt.is_missing(doc.get("sha256")) and digest != doc.get("sha256"):
        st.warning(ctx.t("raw_changed", file=safe.escape_text(raw_file)))
    # Cleaning the reply and titling its facts depend on the reply's bytes and the tables only: once per version.
    reply = layout.cached_figure(ctx, "sources_reply", lambda: _reply(T, rid, raw_text, lang), rid=rid, raw=digest)
    cleaned, fact_rows, titles = reply["cleaned"], reply["fact_rows"], reply["titles"]
    # The fact a link points to: kept in the URL while its reply is shown, dropped when another reply is picked.
    target = st.query_params.get("f") if rid == asked else None
    if rid != asked and "f" in st.query_params:
        del st.query_params["f"]
    st.session_state["_seen_r"] = rid
    if target and target not in titles:
        st.info(ctx.t("fact_not_found", fact=safe.escape_text(target)))
        target = None
    if target:
        st.success(ctx.t("evidence_target", title=safe.escape_text(titles[target])))
        # A figure the density table flags (Leshan's 5.08): the flag where the reader lands, in their language.
        flag = views.density_flags(T.get("density"), rid, lang).get(target)
        if flag:
            st.warning(ctx.t("sources_flag", note=safe.escape_text(flag)))

    # Reply text is HTML only, never Markdown: st.html runs no Markdown, and render_marked escapes every character of the
    # reply, so the only tags are its own. One mark per number (id f-<fact_id>, titled with its indicator and value)
    # inside its tinted sentence; the list beside the text links to each (#f-<fact_id>), reachable by keyboard.
    # The marked text, the facts list, the provenance (a YAML file read) and the repairs: recorded once per reply
    # version, record file version and linked fact, replayed on a rerun.
    try:
        info = os.stat(data.data_dir() / "records" / f"{rid}.yaml")
        record_version = (info.st_mtime_ns, info.st_size)
    except OSError:
        record_version = None
    drawn = layout.cached_figure(ctx, "sources_page", lambda: _draw(ctx, rid, reply, target), rid=rid, raw=digest,
                                 target=target or "", record=record_version)
    drawn.replay(st)


def _reply(T: dict, rid: str, raw_text: str, lang: str) -> dict:
    """The cleaned reply, its facts' rows and each fact's title."""
    from loaders.clean import clean_text

    cleaned = clean_text(raw_text)
    facts = T["facts"][T["facts"]["record_id"] == rid]
    columns = ["id", "quote_start", "quote_end", "indicator", "value", "value_max", "unit", "qualifier", "number_text",
               "label", "is_reviewed"]
    fact_rows = views.records(facts, [c for c in columns if c in facts.columns])
    repeated = {i for i, n in facts["indicator"].value_counts().items() if n > 1}
    titles = {f["id"]: evidence.fact_title(f, data.indicator_label(T, f["indicator"], lang), lang,
                                           named=f["indicator"] in repeated) for f in fact_rows}
    # Held back (the loader is unsure what they count, nobody has accepted them): listed apart, with why, never charted.
    held = T.get("held_facts")
    held = held[held["record_id"] == rid] if held is not None else None
    held_rows = []
    for f in views.records(held) if held is not None and not held.empty else []:
        title = evidence.fact_title(f, data.indicator_label(T, f["indicator"], lang), lang, named=True)
        why = review.reason_text(f.get("hold_reason", ""), f.get("hold_words", ""), lang, T.get("reasons"))
        held_rows.append({"id": f["id"], "title": title, "why": why, "number_text": f["number_text"],
                          "quote_start": f["quote_start"], "quote_end": f["quote_end"]})
    return {"cleaned": cleaned, "fact_rows": fact_rows, "titles": titles, "held": held_rows}


def _draw(ctx: layout.Ctx, rid: str, reply: dict, target: str | None) -> layout.Recorder:
    """The reply's text, facts, provenance and repairs, recorded (layout.Recorder) instead of drawn."""
    st = layout.Recorder()  # the code below reads as drawing code; every element goes into the recording
    lang = ctx.lang
    cleaned, fact_rows, titles = reply["cleaned"], reply["fact_rows"], reply["titles"]
    left, right = st.columns([5, 2])
    with left:
        st.markdown(f"**{ctx.t('clean_text')}**")
        with st.container(height=600, key="reply_text"):
            marks = evidence.fact_marks(fact_rows, cleaned.raw, cleaned.offsets, titles, target)
            marks += evidence.held_marks(reply["held"], cleaned.raw, cleaned.offsets, marks)  # grey, not published
            st.html(render_marked(cleaned.text, marks))
    with right:
        st.markdown(f"**{ctx.t('facts_in_reply')}**")
        if fact_rows:
            flags = views.density_flags(ctx.tables.get("density"), rid, lang)
            st.html(evidence.facts_list_html(fact_rows, titles, target, lang, ctx.t("facts_in_reply"), flags))
            if any(review.is_draft(f) for f in fact_rows):
                st.caption(review.note(lang))
        else:
            st.info(ctx.t("table_empty"))
        if reply["held"]:
            # Each links to its grey mark in the text; every string is the reply's or a reason with its words: escaped.
            st.markdown(f"**{ctx.t('held_title')}**")
            st.caption(ctx.t("held_intro"))
            st.html(evidence.held_list_html(reply["held"], ctx.t("held_title")))
        st.markdown(f"**{ctx.t('provenance')}**")
        st.markdown("\n".join(evidence.provenance_lines(evidence.read_provenance(rid), lang)))
    if target:
        # Our own script, no outside text: the id is checked against the reply's facts and passed as JSON.
        st.html(evidence.scroll_script(target), unsafe_allow_javascript=True)
    # The raw text stays on screen (below, not folded away): what cleaning removed is evidence too.
    st.markdown(f"**{ctx.t('raw_and_removed')}**")
    with st.container(height=600):
        st.html(render_marked(cleaned.raw, removal_marks(cleaned.raw, cleaned.offsets, cleaned.repairs)))

    st.subheader(ctx.t("repairs"))
    if not cleaned.repairs:
        st.info(ctx.t("repairs_none"))
    else:
        repairs_table = pd.DataFrame([{
            "kind": ctx.t(f"repair_kind_{r.kind}") if f"repair_kind_{r.kind}" in STRINGS else r.kind,
            "removed": r.removed, "replacement": r.replacement,
            "reason": reasons.describe_reason(r.reason, lang),
            "raw_start": r.raw_start, "raw_end": r.raw_end,
        } for r in cleaned.repairs])
        st.dataframe(repairs_table.rename(columns=lambda c: column_label(c, lang)), hide_index=True, width="stretch")
    return st
