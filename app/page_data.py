"""Filter the curated tables and download displayed rows or full tables as CSV, XLSX or JSON.

Body of the data page (pages/data.py calls render())."""

from __future__ import annotations

import streamlit as st

from app import data, fmt, layout, views
from app import export


def render() -> None:
    """Draw the data page."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "facts")
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("data_title"))

    tables = [name for name in ("facts", "density", "documents", "measures") if T.get(name) is not None]
    layout.sync_select("tbl", tables, "facts")
    table = layout.bound(st.radio, "tbl", ctx.t("f_table"), default="facts", parse=layout.choice(tables), dump=str,
                         options=tables, horizontal=True, format_func=lambda name: ctx.t(f"tbl_{name}"))
    plain = ["name_zh", "name_en", "issuer", "doc_date", "doc_type", "reference"]
    # The whole table as cached: dropping the joined columns of ~400k rows on every rerun copied its number columns,
    # and tidy() drops them anyway when a file is made.
    full = T[table]
    # Selected from the cached table (its rows indexed per place), then trimmed of the joined columns.
    rows = views.flag_up_front(views.review_up_front(data.select(T[table], ctx.slugs).drop(columns=plain, errors="ignore")))
    filters: dict[str, list[str]] = {"jurisdiction": list(ctx.slugs)}

    # Filters exist only for columns the chosen table has; each is kept in the URL like the sidebar.
    FILTERS = [("indicator", "fi", "f_indicator"), ("channel", "fc", "f_channel"),
               ("period_kind", "fp", "f_period"), ("qualifier", "fq", "f_qualifier")]
    present = [f for f in FILTERS if f[0] in rows.columns]
    cols = st.columns(max(1, len(present)))
    for col, (column, key, label_key) in zip(cols, present):
        # A filter's options come from the whole table: once per version of the tables, not on every rerun.
        options = list(data.derived(T, ("options", table, column),
                                    lambda: tuple(sorted(v for v in full[column].dropna().astype(str).unique()))))

        def fmt_option(v, column=column):
            if column == "indicator":
                return data.indicator_label(T, v, lang)
            if column == "channel":
                return ctx.t("ch_" + v)
            if column == "period_kind":
                return ctx.t("pk_" + v) if v else "—"
            if column == "qualifier":
                return ctx.t("qualifier_" + v) if v else "—"
            return v or "—"

        def parse(raw, options=options):
            picked = [v for v in raw.split(",") if v in options]
            if not picked:
                raise ValueError(raw)
            return picked

        store = f"_v_{key}"
        if store in st.session_state:
            st.session_state[store] = [v for v in st.session_state[store] if v in options]
        chosen = layout.bound(col.multiselect, key, ctx.t(label_key), default=[], parse=parse,
                              dump=lambda v: ",".join(v), options=options, format_func=fmt_option,
                              placeholder=ctx.t("filter_all"))
        if chosen:
            rows = rows[rows[column].astype(str).isin(chosen)]
            filters[column] = chosen

    st.caption(ctx.t("rows_shown", n=fmt.number(len(rows)), total=fmt.number(len(full))))
    if rows.empty:
        # Said in the page's language, instead of an empty grid reading "empty" in English.
        st.info(ctx.t("no_rows"))
    codebook = views.category_info(T.get("codebook"), lang, T.get("measures")) if table == "measures" else None
    names, labels = data.names(T, lang), layout.indicator_labels(ctx)
    if not rows.empty:
        # The rows shown, made readable once per table, selection, filters and language.
        layout.show_table(ctx, rows, lambda head: layout.cached_figure(ctx, "data_head", lambda: views.readable(
            head, lang, names=names, indicator_labels=labels, categories=codebook,
            drop=("jurisdiction_zh", "jurisdiction_name_zh", "jurisdiction_name_en")), table=table,
            filters=repr(sorted(filters.items())), rows=len(head)), hide_index=True, width="stretch")
    st.caption(ctx.t("downloads_keep_codes"))

    # File names say what was filtered: facts_quzhou-leshan_funding.csv.
    parts = [v for k, vals in filters.items() if k != "jurisdiction" for v in vals]
    selection = ctx.slugs if set(ctx.slugs) != set(ctx.all_slugs) else ["all"]
    docs = T["documents"]


    def tidy(frame, name: str = table):
        """What a download holds: facts one row per fact with unit, qualifier, period, scope, sentence, reply and the raw
        file's checksum (numbers as numbers, snake_case headers); other tables with the checksum of their reply."""
        plain = frame.drop(columns=["name_zh", "name_en", "issuer", "doc_date", "doc_type", "reference"], errors="ignore")
        if name == "facts":
            return export.tidy_facts(plain, docs, indicators=T["indicators"], lang=lang)
        # Every table says, in words, which rows are drafts (a review column, as the pages mark them).
        return export.with_review(export.with_raw_checksum(plain, docs) if name != "documents" else plain, lang)


    def everything() -> bytes:
        tables = {name: tidy(T[name], name) for name in ("facts", "density", "documents", "measures") if T.get(name) is not None}
        for name in ("population", "national"):
            if T.get(name) is not None:
                tables[name] = T[name]
        return export.to_zip(tables, title=ctx.t("app_title"), description=ctx.t("zip_description"))


    for heading, frame, is_full in ((ctx.t("dl_displayed"), rows, False), (ctx.t("dl_full"), full, True)):
        st.markdown(f"**{heading}**")
        applied = filters if not is_full else {}
        c1, c2, c3 = st.columns(3)
        tag = "full" if is_full else "shown"
        # Each file is made when its button is clicked, not on every rerun (partial binds this loop's frame).
        layout.download(c1, ctx.t("dl_csv"), lambda frame=frame: export.to_csv(tidy(frame)), mime="text/csv", key=f"csv_{tag}",
                        file_name=export.file_name(table, selection, parts, "csv", full=is_full))
        layout.download(c2, ctx.t("dl_xlsx"), lambda frame=frame, applied=applied: export.to_xlsx_described(tidy(frame), docs, applied),
                        key=f"xlsx_{tag}", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        file_name=export.file_name(table, selection, parts, "xlsx", full=is_full))
        layout.download(c3, ctx.t("dl_json"), lambda frame=frame: export.to_json(tidy(frame)), mime="application/json",
                        key=f"json_{tag}", file_name=export.file_name(table, selection, parts, "json", full=is_full))
    st.markdown(f"**{ctx.t('dl_everything')}**")
    layout.download(st, ctx.t("dl_zip"), everything, mime="application/zip", key="zip_all", file_name="social-orgs_all-tables.zip")
    st.caption(ctx.t("dl_zip_note"))
