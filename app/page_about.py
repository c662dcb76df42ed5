"""About and how to cite: what social organisations are, where the replies come from, how the figures are checked,
the data's version, and a citation the reader can copy.

Body of the About page (pages/about.py calls render())."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from app import data, fmt, layout, names, review, safe

# The dashboard's address when the browser's is not known (a page run by AppTest, a script): where `make run` serves.
DEFAULT_URL = "http://localhost:8501/"
HOST = re.compile(r"^[A-Za-z0-9.\-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$")


def render() -> None:
    """Draw the About page."""
    ctx = layout.setup_page()
    st.title(ctx.t("about_title"))
    st.markdown(ctx.t("about_intro"))
    # What the words mean needs no table: said before a missing table stops the page.
    st.subheader(ctx.t("about_what_head"))
    st.markdown(ctx.t("about_what"))
    layout.require(ctx, "documents", need_selection=False)
    T = ctx.tables
    docs = T["documents"]

    st.subheader(ctx.t("about_replies_head"))
    st.markdown(ctx.t("about_replies", n=fmt.number(len(docs))))
    # Made once per data version and language (10,000 replies: half a second a rerun when made each time).
    table = layout.cached_figure(ctx, "about_replies", lambda: replies_table(docs, ctx.lang), all_places=True)
    layout.show_table(ctx, table, hide_index=True, column_config={
        ctx.t("evidence"): st.column_config.LinkColumn(ctx.t("evidence"), display_text=ctx.t("about_open_reply"))})

    st.subheader(ctx.t("about_check_head"))
    held = T.get("held_facts")
    st.markdown(ctx.t("about_check", mark=review.DRAFT_MARK, held=fmt.number(0 if held is None else len(held))))

    version = layout.cached_figure(ctx, "about_version", lambda: version_facts(T), all_places=True)
    st.subheader(ctx.t("about_version_head"))
    st.markdown(ctx.t("about_version", version=version["short"], newest=safe.escape_text(version["newest"]),
                      time=safe.escape_text(version["time"]), replies=fmt.number(len(docs)),
                      facts=fmt.number(version["facts"])))

    st.subheader(ctx.t("about_cite_head"))
    st.caption(ctx.t("about_cite_intro"))
    st.code(citation(ctx.lang, version, dashboard_url(_browser_url()), date.today().isoformat()), language=None,
            wrap_lines=True)


def replies_table(docs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per reply, newest first: place, date, kind, issuer, a link that opens it on the Sources page, title.

    A data grid shows its cells as text (never Markdown), so the reply's own words go in as they are."""
    from app.i18n import t

    docs = docs.sort_values("doc_date", ascending=False, kind="stable")  # "" (no date) sorts last
    unknown = t("about_unknown", lang)
    suffix = "" if lang == "zh" else f"&lang={quote(lang)}"
    # The link before the long title, so it is on screen without scrolling the grid sideways.
    return pd.DataFrame({
        t("about_col_place", lang): docs[f"name_{lang}"].astype(str).tolist(),
        t("about_col_date", lang): [d or unknown for d in docs["doc_date"].astype(str)],
        t("about_col_type", lang): [t(f"doctype_{d}", lang) if f"doctype_{d}" in _doctypes() else (d or unknown)
                                    for d in docs["doc_type"].astype(str)],
        t("about_col_issuer", lang): [names.with_english(i, lang) or unknown for i in docs["issuer"].astype(str)],
        t("evidence", lang): [f"/sources?r={quote(r, safe='')}{suffix}" for r in docs["record_id"].astype(str)],
        t("about_col_title", lang): docs["title"].astype(str).tolist() if "title" in docs.columns else "",
    })


def _doctypes() -> set[str]:
    from app.i18n import STRINGS

    return {k for k in STRINGS if k.startswith("doctype_")}


def version_facts(tables: dict) -> dict:
    """The short data version, the newest reply's date, the tables' file time and the published numbers' count."""
    version = tables.get("version") or {}
    docs = tables.get("documents")
    dates = sorted(d for d in docs["doc_date"].astype(str) if re.match(r"^\d{4}-\d{2}-\d{2}$", d)) \
        if docs is not None and "doc_date" in docs.columns else []
    facts = tables.get("facts")
    return {"short": version.get("short", "") or "—", "newest": dates[-1] if dates else "—",
            "time": (version.get("tables_time") or "—").replace("T", " ").replace("Z", " UTC"),
            "facts": 0 if facts is None else len(facts)}


def citation(lang: str, version: dict, url: str, today: str) -> str:
    """The text a reader copies to cite the dashboard: its name, the data version, the access date and its address."""
    from app.i18n import t

    return t("about_citation", lang, version=version["short"], newest=version["newest"], today=today, url=url)


def _browser_url() -> str | None:
    try:
        url = st.context.url
    except Exception:  # no browser behind this run (AppTest, a script)
        return None
    return url if isinstance(url, str) else None


def dashboard_url(url: str | None) -> str:
    """The dashboard's own address from the one the browser asked for: scheme, host and the path before the page's name
    (a dashboard served under /civil/ keeps it), no query. The browser's address comes from outside: anything that is
    not an http(s) URL with a plain host gives the default, and the path is percent-encoded."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return DEFAULT_URL
    if parts.scheme not in ("http", "https") or not HOST.match(parts.netloc or ""):
        return DEFAULT_URL
    path = re.sub(r"/about/?$", "/", parts.path or "/")
    path = path if path.endswith("/") else path + "/"
    return f"{parts.scheme}://{parts.netloc}{quote(path, safe='/%')}"
