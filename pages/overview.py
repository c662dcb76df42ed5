"""Overview page: one card per reply with its headline figures, and what it does not state."""

from functools import partial
from pathlib import Path


import pandas as pd
import streamlit as st

from app import data, deck, fmt, layout, safe, views
from app.safe import escape_text as md
from app.charts import flag_text
from app.export import file_name, tidy_facts, to_csv
from app.limits import MAX_CARD_AMOUNTS, MAX_PLACES

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts", "density")
lang, T = ctx.lang, ctx.tables
st.title(ctx.t("overview_title"))
st.caption(ctx.t("overview_intro"))
# The selection as an editable deck to take into a meeting; made only when clicked.
layout.download(st, ctx.t("deck_download"), partial(deck.build_pptx, T, list(ctx.slugs), lang), mime=deck.PPTX_MIME,
                file_name=deck.file_name(ctx.slugs, lang, "pptx"), key="overview_deck")

facts = data.select(T["facts"], ctx.slugs)
density = data.select(T["density"], ctx.slugs)
# One card per place; two replies from one place: the card shows the first.
docs = {d["jurisdiction"]: d for d in views.records(data.select(T["documents"], ctx.slugs).drop_duplicates("jurisdiction"))}
NS = ctx.t("not_stated")
COLON, SP = ("：", "") if lang == "zh" else (":", " ")

# Every lookup prepared once for all places (dicts and groups), not by filtering the whole frame per card.
HEADLINE = ("social_orgs_total", "social_orgs_per_10k", "community_social_orgs")
first = views.headline_facts(facts, HEADLINE)
dens_of = views.census_density(density)
money_of = dict(tuple(facts[(facts["indicator"] == "funding") & (facts["unit"] == "yuan")].groupby("jurisdiction", sort=False)))
places = [s for s in ctx.slugs if s in docs]
carded = places[:MAX_PLACES]


def figures_of(slug: str) -> dict:
    """The headline figures of one place as shown on its card and in the table."""
    doc = docs[slug]
    total, reported = first.get((slug, "social_orgs_total")), first.get((slug, "social_orgs_per_10k"))
    dens, comm = dens_of.get((slug, "social_orgs_total")), dens_of.get((slug, "community_social_orgs"))
    comm_fact = first.get((slug, "community_social_orgs"))
    registered = fmt.value_text(total["value"], "count", total["qualifier"], lang) if total is not None else NS
    rep_text = (ctx.t("q_" + (reported["qualifier"] or "exact")) + f"{reported['value']:.2f}") if reported is not None else NS
    comp_text = f"{dens['computed_per_10k']:.2f}" if dens is not None and pd.notna(dens["computed_per_10k"]) else NS
    if comm is not None:
        comm_text = fmt.value_text(comm["count"], "count", comm["count_qualifier"], lang)
    elif comm_fact is not None:
        comm_text = fmt.value_text(comm_fact["value"], "count", comm_fact["qualifier"], lang)
    else:
        comm_text = NS
    year = fmt.year_of(dens["as_of"]) if dens is not None else fmt.year_of(doc["doc_date"])
    nat, derived = data.national_per_10k(T.get("national"), year)
    # Each figure's evidence: the fact it is (the count behind a computed density), as a Sources permalink.
    link = lambda rid, fid: fmt.permalink(rid, fid, lang) if rid and fid else ""  # noqa: E731
    links = {
        "registered": link(doc["record_id"], total["id"]) if total is not None else "",
        "reported": link(doc["record_id"], reported["id"]) if reported is not None else "",
        "computed": link(dens["record_id"], dens["fact_id"]) if dens is not None and comp_text != NS else "",
        "community": link(doc["record_id"], comm["fact_id"] if comm is not None else comm_fact["id"])
        if comm is not None or comm_fact is not None else "",
    }
    used = [(doc["record_id"], f["id"], key) for key, f in (("registered", total), ("per_10k_reported", reported),
                                                          ("community", comm_fact)) if f is not None]
    if dens is not None:
        used.append((dens["record_id"], dens["fact_id"], "per_10k_computed"))
    return {"doc": doc, "dens": dens, "reported": reported, "registered": registered, "rep_text": rep_text,
            "comp_text": comp_text, "comm_text": comm_text, "year": year, "nat": nat, "derived": derived,
            "links": links, "used": used, "total": total, "comm_fact": comm_fact}


if len(places) > len(carded):
    st.info(ctx.t("overview_cut", n=len(carded), total=fmt.number(len(places))))

summary = []
used_facts: list[tuple] = []
cols = st.columns(1 if ctx.present else 2)
for i, slug in enumerate(places):
    v = figures_of(slug)
    doc, dens, nat, derived, year = v["doc"], v["dens"], v["nat"], v["derived"], v["year"]
    used_facts += v["used"]
    # Table cells are the numbers themselves, each a link to its sentence (LinkColumn shows the text after '#').
    cell = lambda key, text: f"{v['links'][key]}#{text}" if v["links"][key] else text  # noqa: E731
    summary.append({
        "record_id": doc["record_id"], "jurisdiction": slug, ctx.t("m_registered"): cell("registered", v["registered"]),
        ctx.t("m_per10k_reported"): cell("reported", v["rep_text"]), ctx.t("m_per10k_computed"): cell("computed", v["comp_text"]),
        ctx.t("m_community"): cell("community", v["comm_text"]),
        "national_per_10k": f"{nat:.2f}{'*' if derived else ''}" if nat is not None else NS,
    })
    if i >= len(carded):
        continue  # past the cards: in the table only
    with cols[i % len(cols)].container(border=True):
        # Names, issuers, dates, periods and labels come from replies and curation files: md() shows them as text.
        province = doc[f"jurisdiction_province_{lang}"] if doc["jurisdiction_level"] != "province" else ""
        st.subheader(" · ".join(md(x) for x in (doc[f"name_{lang}"], province) if x))
        st.markdown(
            f"**{ctx.t('card_level')}**{COLON}{SP}{ctx.t('level_' + str(doc['jurisdiction_level']))}  \n"
            f"**{ctx.t('card_document')}**{COLON}{SP}{ctx.t('doctype_' + str(doc['doc_type']))} — {md(doc['issuer'])}  \n"
            f"**{ctx.t('card_date')}**{COLON}{SP}{md(doc['doc_date'])}"
        )
        # Two metrics a row: "not stated" must fit in the narrow card without being cut to "not st…".
        a, b = st.columns(2)
        # Every figure on the card is a link to its sentence (the number itself; our own text, nothing to escape).
        linked = lambda key, text: f"[{text}]({v['links'][key]})" if v["links"][key] else text  # noqa: E731
        # The tooltip gives the number as the reply wrote it (3424家, 5611个).
        written = lambda f: f"{ctx.t('as_written')}{COLON}{SP}{safe.escape_text(f['number_text'])}" if f is not None and f.get("number_text") else None  # noqa: E731
        a.metric(ctx.t("m_registered"), linked("registered", v["registered"]), help=written(v["total"]))
        b.metric(ctx.t("m_community"), linked("community", v["comm_text"]), help=written(v["comm_fact"]))
        c, d = st.columns(2)
        c.metric(ctx.t("m_per10k_reported"), linked("reported", v["rep_text"]), help=written(v["reported"]))
        d.metric(ctx.t("m_per10k_computed"), linked("computed", v["comp_text"]), help=ctx.t("m_per10k_computed_help"))
        e, _ = st.columns(2)
        if nat is not None and (dens is not None or v["reported"] is not None):
            e.metric(ctx.t("m_national", year=year) + ("*" if derived else ""), f"{nat:.2f}",
                     help=ctx.t("derived_mark") if derived else None)
        if dens is not None and dens["is_reproducible"] == "False":
            stop = "。" if lang == "zh" else ". "
            st.warning(f"{ctx.t('flag_title')}{COLON}{SP}{ctx.t('flag_short', name=md(doc[f'name_{lang}']), value=v['rep_text'])}"
                       f"{stop}{md(flag_text(dens, lang))}")
        st.markdown(f"**{ctx.t('card_funding')}**")
        money = money_of.get(slug)
        if money is None or money.empty:
            st.markdown(f"- {NS}")
        else:
            for f in views.records(money.head(MAX_CARD_AMOUNTS)):
                extra = [md(x) for x in (fmt.period_label(f, lang), fmt.scope_label(f, lang)) if x]
                if f["channel"] in ("other", "") and f.get("label"):
                    extra.append(f"“{md(fmt.reply_words(f['label'], lang))}”")  # the reply's own word tells "other" sums apart
                if f["status"] == "target":
                    extra.insert(0, ctx.t("planned"))
                detail = f"（{'，'.join(extra)}）" if lang == "zh" else f" ({', '.join(extra)})"
                used_facts.append((f["record_id"], f["id"], "funding"))
                amount = fmt.format_value(f["value"], "yuan", f["qualifier"], lang)
                st.markdown(f"- {ctx.t('ch_' + f['channel'])}{COLON}{SP}[**{amount}**]({fmt.permalink(f['record_id'], f['id'], lang)}){detail}")
            if len(money) > MAX_CARD_AMOUNTS:
                st.markdown(f"- {ctx.t('card_more_amounts', n=fmt.number(len(money) - MAX_CARD_AMOUNTS))}")
        st.caption(md(fmt.sources_line(pd.DataFrame([doc]), lang)))

if summary:
    # With every place carded the table is a summary to open; with more places than cards it is the only view of
    # the others, so it is open.
    with st.expander(ctx.t("table"), expanded=len(places) > len(carded)):
        table = pd.DataFrame(summary)
        linked = [ctx.t(k) for k in ("m_registered", "m_per10k_reported", "m_per10k_computed", "m_community")]
        config = {c: st.column_config.LinkColumn(c, display_text=r"#(.*)$") for c in linked}
        layout.show_table(ctx, table, lambda head: views.readable(head, lang, names=ctx.names), hide_index=True,
                          column_config=config)
        # The download is tidy: one row per fact shown on the cards, numbers as numbers, with unit, qualifier,
        # period, scope, sentence, reply and checksum; computed densities beside their count.
        keys = pd.DataFrame(used_facts, columns=["record_id", "id", "shown_as"]).drop_duplicates(["record_id", "id", "shown_as"])
        dens_cols = density[density["base"] == "census"][["record_id", "fact_id", "computed_per_10k", "population_persons",
                                                           "population_date", "population_source"]].drop_duplicates(["record_id", "fact_id"])
        extra = keys.merge(dens_cols.rename(columns={"fact_id": "id"}), on=["record_id", "id"], how="left")
        extra.loc[extra["shown_as"] != "per_10k_computed", ["computed_per_10k", "population_persons", "population_date",
                                                            "population_source"]] = None
        layout.download(st, ctx.t("download_csv"), lambda: to_csv(tidy_facts(
            facts, T["documents"], indicators=T["indicators"], extra=extra, lang=lang)), mime="text/csv",
            file_name=file_name("overview", ctx.slugs, [], "csv"))
