"""Overview page: one card per reply with its headline figures, and what it does not state."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/overview.py` finds app/

import pandas as pd
import streamlit as st

from app import data, fmt, layout, views
from app.charts import flag_text
from app.export import to_csv

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts", "density")
lang, T = ctx.lang, ctx.tables
st.title(ctx.t("overview_title"))
st.caption(ctx.t("overview_intro"))

facts = data.select(T["facts"], ctx.slugs)
density = data.select(T["density"], ctx.slugs)
docs = data.select(T["documents"], ctx.slugs).set_index("jurisdiction")
NS = ctx.t("not_stated")
COLON, SP = ("：", "") if lang == "zh" else (":", " ")


def first_fact(slug: str, indicator: str):
    """The first whole-area achievement of an indicator: the reply's headline figure for it."""
    rows = facts[(facts["jurisdiction"] == slug) & (facts["indicator"] == indicator) & (facts["status"] == "achievement")]
    whole = rows[rows["scope_kind"].isin(["", "whole"])]
    return whole.iloc[0] if not whole.empty else None


def density_row(slug: str, indicator: str):
    rows = density[(density["jurisdiction"] == slug) & (density["indicator"] == indicator) & (density["base"] == "census")]
    return rows.iloc[0] if not rows.empty else None


summary = []
cols = st.columns(1 if ctx.present else 2)
for i, slug in enumerate(s for s in ctx.slugs if s in docs.index):
    doc = docs.loc[slug]
    if isinstance(doc, pd.DataFrame):  # two replies from one place: the card shows the first
        doc = doc.iloc[0]
    total = first_fact(slug, "social_orgs_total")
    reported = first_fact(slug, "social_orgs_per_10k")
    dens = density_row(slug, "social_orgs_total")
    comm = density_row(slug, "community_social_orgs")
    comm_fact = first_fact(slug, "community_social_orgs")
    registered = fmt.value_text(total["value"], "count", total["qualifier"], lang) if total is not None else NS
    rep_text = f"{reported['value']:.2f}" if reported is not None else NS
    comp_text = f"{dens['computed_per_10k']:.2f}" if dens is not None and pd.notna(dens["computed_per_10k"]) else NS
    if comm is not None:
        comm_text = fmt.value_text(comm["count"], "count", comm["count_qualifier"], lang)
    elif comm_fact is not None:
        comm_text = fmt.value_text(comm_fact["value"], "count", comm_fact["qualifier"], lang)
    else:
        comm_text = NS
    year = fmt.year_of(dens["as_of"]) if dens is not None else fmt.year_of(doc["doc_date"])
    nat, derived = data.national_per_10k(T.get("national"), year)
    with cols[i % len(cols)].container(border=True):
        st.subheader(f"{doc[f'name_{lang}']} · {doc[f'jurisdiction_province_{lang}'] if doc['jurisdiction_level'] != 'province' else ''}".rstrip(" ·"))
        st.markdown(
            f"**{ctx.t('card_level')}{COLON}**{SP}{ctx.t('level_' + str(doc['jurisdiction_level']))}  \n"
            f"**{ctx.t('card_document')}{COLON}**{SP}{ctx.t('doctype_' + str(doc['doc_type']))} — {doc['issuer']}  \n"
            f"**{ctx.t('card_date')}{COLON}**{SP}{doc['doc_date']}"
        )
        # Two metrics a row: "not stated" must fit in the narrow card without being cut to "not st…".
        a, b = st.columns(2)
        a.metric(ctx.t("m_registered"), registered)
        b.metric(ctx.t("m_community"), comm_text)
        c, d = st.columns(2)
        c.metric(ctx.t("m_per10k_reported"), rep_text)
        d.metric(ctx.t("m_per10k_computed"), comp_text, help=ctx.t("m_per10k_computed_help"))
        e, _ = st.columns(2)
        if nat is not None and (dens is not None or reported is not None):
            e.metric(ctx.t("m_national", year=year) + ("*" if derived else ""), f"{nat:.2f}",
                     help=ctx.t("derived_mark") if derived else None)
        if dens is not None and dens["is_reproducible"] == "False":
            stop = "。" if lang == "zh" else ". "
            st.warning(f"{ctx.t('flag_title')}{COLON}{SP}{ctx.t('flag_short', name=doc[f'name_{lang}'], value=rep_text)}"
                       f"{stop}{flag_text(dens, lang)}")
        st.markdown(f"**{ctx.t('card_funding')}**")
        money = facts[(facts["jurisdiction"] == slug) & (facts["indicator"] == "funding") & (facts["unit"] == "yuan")]
        if money.empty:
            st.markdown(f"- {NS}")
        for _, f in money.iterrows():
            extra = [x for x in (fmt.period_label(f, lang), fmt.scope_label(f, lang)) if x]
            if f["channel"] in ("other", "") and f.get("label"):
                extra.append(f"“{f['label']}”")  # the reply's own word tells several "other" sums apart
            if f["status"] == "target":
                extra.insert(0, ctx.t("planned"))
            detail = f"（{'，'.join(extra)}）" if lang == "zh" else f" ({', '.join(extra)})"
            st.markdown(f"- {ctx.t('ch_' + f['channel'])}{COLON}{SP}**{fmt.value_text(f['value'], 'yuan', f['qualifier'], lang)}**{detail}")
        st.caption(fmt.sources_line(pd.DataFrame([{**doc.to_dict(), "record_id": doc["record_id"]}]), lang))
    summary.append({
        "record_id": doc["record_id"], "jurisdiction": slug, ctx.t("m_registered"): registered,
        ctx.t("m_per10k_reported"): rep_text, ctx.t("m_per10k_computed"): comp_text, ctx.t("m_community"): comm_text,
        "national_per_10k": f"{nat:.2f}{'*' if derived else ''}" if nat is not None else NS,
    })

if summary:
    with st.expander(ctx.t("table")):
        table = pd.DataFrame(summary)
        st.dataframe(views.readable(table, lang, names=ctx.names), hide_index=True)
        st.download_button(ctx.t("download_csv"), to_csv(table), file_name=f"overview_{'-'.join(ctx.slugs)}.csv", mime="text/csv")
