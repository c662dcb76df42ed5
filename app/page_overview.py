"""One card per place with the headline figures of its newest reply, the change since the one before, and what it
   does not state.

Body of the overview page (pages/overview.py calls render())."""

from __future__ import annotations

from functools import partial
import pandas as pd
import streamlit as st

from app import data, deck, fmt, layout, review, safe, views
from app.safe import escape_text as md
from app.export import file_name, tidy_facts, to_csv
from app import limits  # read at call time: tests change a limit for one run


def render() -> None:
    """Draw the overview page: everything drawn is planned once per data version, selection and language."""
    ctx = layout.setup_page()
    layout.require(ctx, "documents", "facts", "density")
    lang, T = ctx.lang, ctx.tables
    st.title(ctx.t("overview_title"))
    st.caption(ctx.t("overview_intro"))
    # The selection as an editable deck to take into a meeting; made only when clicked.
    layout.download(st, ctx.t("deck_download"), partial(deck.build_pptx, T, list(ctx.slugs), lang), mime=deck.PPTX_MIME,
                    file_name=deck.file_name(ctx.slugs, lang, "pptx"), key="overview_deck")
    plan = layout.cached_figure(ctx, "overview_plan", lambda: _plan(ctx), cards=limits.MAX_PLACES,
                                amounts=limits.MAX_CARD_AMOUNTS)
    if plan["cut"]:
        st.info(plan["cut"])
    if plan["has_drafts"]:
        st.caption(review.note(lang))  # what the ◌ 未审核 under a number means
    # "Not stated" in small grey type, never in the type of a real number (issue 23: a card of four giant 未提及).
    st.html(NOT_STATED_CSS)
    not_stated = ctx.t("not_stated")
    cols = st.columns(1 if ctx.present else 2)
    for i, card in enumerate(plan["cards"]):
        with cols[i % len(cols)].container(border=True):
            for j, (kind, value) in enumerate(card):
                if kind == "metrics":
                    # Two metrics a row: "not stated" must fit in the narrow card without being cut to "not st…".
                    for k, (col, metric) in enumerate(zip(st.columns(2), value)):
                        if metric is None:
                            continue
                        # A draft's mark under its number: ◌ 未审核 in orange, no arrow (app/review.py).
                        draft = metric[3] if len(metric) > 3 else None
                        box = col.container(key=f"not_stated_{i}_{j}_{k}") if metric[1] == not_stated else col
                        box.metric(*metric[:2], help=metric[2], delta=draft, delta_color="orange", delta_arrow="off")
                else:
                    getattr(st, kind)(value)
    if plan["table"] is not None:
        # With every place carded the table is a summary to open; with more places than cards it is the only view of
        # the others, so it is open.
        with st.expander(ctx.t("table"), expanded=plan["expanded"]):
            linked = [ctx.t(k) for k in ("m_registered", "m_per10k_reported", "m_per10k_computed", "m_community")]
            config = {c: st.column_config.LinkColumn(c, display_text=r"#(.*)$") for c in linked}
            # The readable head is made once too (views.readable renames and formats every cell shown).
            layout.show_table(ctx, plan["table"], lambda head: plan["shown"](head), hide_index=True, column_config=config)
            layout.download(st, ctx.t("download_csv"), plan["download"], mime="text/csv",
                            file_name=file_name("overview", ctx.slugs, [], "csv"))


NOT_STATED_CSS = """<style>
[class*="st-key-not_stated_"] [data-testid="stMetricValue"] { font-size: 1rem; color: #595959; font-weight: 400; }
</style>"""


def _plan(ctx: layout.Ctx) -> dict:
    """The cards (each a list of (element, content)), the summary table and its download, from the tables alone."""
    lang, T = ctx.lang, ctx.tables
    facts = data.select(T["facts"], ctx.slugs)
    density = data.select(T["density"], ctx.slugs)
    # One card per place: its newest reply (app/data.py orders each place's replies newest first), each figure the
    # newest that any of its replies states, with the change since the one before.
    all_docs = data.select(T["documents"], ctx.slugs)
    docs = {d["jurisdiction"]: d for d in views.records(all_docs.drop_duplicates("jurisdiction"))}
    older = {slug: group["doc_date"].tolist()[1:] for slug, group in all_docs.groupby("jurisdiction", sort=False)
             if len(group) > 1}
    NS = ctx.t("not_stated")
    COLON, SP = ("：", "") if lang == "zh" else (":", " ")

    # Every lookup prepared once for all places (dicts and groups), not by filtering the whole frame per card.
    HEADLINE = ("social_orgs_total", "social_orgs_per_10k", "community_social_orgs")
    first = views.headline_facts(facts, HEADLINE)
    dens_of = views.census_density(density)
    money = facts[(facts["indicator"] == "funding") & (facts["unit"] == "yuan")]
    # The amounts of the newest reply that states any (a place's replies each report their own years' money).
    money = money[money["record_id"] == money.groupby("jurisdiction", sort=False)["record_id"].transform("first")]
    money_of = dict(tuple(money.groupby("jurisdiction", sort=False)))
    before_of = views.previous_figures(facts, ("social_orgs_total", "social_orgs_per_10k"))
    places = [s for s in ctx.slugs if s in docs]
    carded = places[:limits.MAX_PLACES]

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
            "registered": link(total["record_id"], total["id"]) if total is not None else "",
            "reported": link(reported["record_id"], reported["id"]) if reported is not None else "",
            "computed": link(dens["record_id"], dens["fact_id"]) if dens is not None and comp_text != NS else "",
            "community": link(comm["record_id"], comm["fact_id"]) if comm is not None
            else link(comm_fact["record_id"], comm_fact["id"]) if comm_fact is not None else "",
        }
        used = [(f["record_id"], f["id"], key) for key, f in (("registered", total), ("per_10k_reported", reported),
                                                            ("community", comm_fact)) if f is not None]
        if dens is not None:
            used.append((dens["record_id"], dens["fact_id"], "per_10k_computed"))
        # Which figures are drafts (nobody vouched for the fact they come from): marked on the card and in the table.
        drafts = {
            "registered": review.is_draft(total),
            "reported": review.is_draft(reported),
            "computed": comp_text != NS and review.is_draft(dens),
            "community": review.is_draft(comm) if comm is not None else review.is_draft(comm_fact),
        }
        return {"doc": doc, "dens": dens, "reported": reported, "registered": registered, "rep_text": rep_text,
                "comp_text": comp_text, "comm_text": comm_text, "year": year, "nat": nat, "derived": derived,
                "links": links, "used": used, "total": total, "comm_fact": comm_fact, "drafts": drafts}


    cut = ctx.t("overview_cut", n=len(carded), total=fmt.number(len(places))) if len(places) > len(carded) else ""
    summary, cards = [], []
    used_facts: list[tuple] = []
    has_drafts = False
    for i, slug in enumerate(places):
        v = figures_of(slug)
        doc, dens, nat, derived, year = v["doc"], v["dens"], v["nat"], v["derived"], v["year"]
        used_facts += v["used"]
        has_drafts |= any(v["drafts"].values())
        # Table cells are the numbers themselves, each a link to its sentence (LinkColumn shows the text after '#'),
        # a draft with its mark.
        cell = lambda key, text: (lambda shown: f"{v['links'][key]}#{shown}" if v["links"][key] else shown)(  # noqa: E731
            review.marked(text, v["drafts"][key], lang))
        summary.append({
            "record_id": doc["record_id"], "jurisdiction": slug, ctx.t("m_registered"): cell("registered", v["registered"]),
            ctx.t("m_per10k_reported"): cell("reported", v["rep_text"]), ctx.t("m_per10k_computed"): cell("computed", v["comp_text"]),
            ctx.t("m_community"): cell("community", v["comm_text"]),
            "national_per_10k": f"{nat:.2f}{'*' if derived else ''}" if nat is not None else NS,
        })
        if i >= len(carded):
            continue  # past the cards: in the table only
        card: list[tuple[str, object]] = []
        cards.append(card)
        # Names, issuers, dates, periods and labels come from replies and curation files: md() shows them as text.
        province = doc[f"jurisdiction_province_{lang}"] if doc["jurisdiction_level"] != "province" else ""
        card.append(("subheader", " · ".join(md(x) for x in (doc[f"name_{lang}"], province) if x)))
        card.append(("markdown",
            f"**{ctx.t('card_level')}**{COLON}{SP}{ctx.t('level_' + str(doc['jurisdiction_level']))}  \n"
            f"**{ctx.t('card_document')}**{COLON}{SP}{ctx.t('doctype_' + str(doc['doc_type']))} — {md(doc['issuer'])}  \n"
            f"**{ctx.t('card_date')}**{COLON}{SP}{md(doc['doc_date'])}"
            + (f"  \n{ctx.t('card_replies', n=len(older[slug]) + 1, older=md(('、' if lang == 'zh' else ', ').join(older[slug])))}"
               if slug in older else "")
            # A reply nobody has reviewed says so at the top of its card; a reviewed one names who in its caption.
            + ("" if review.reply_is_reviewed(doc) else f"  \n{review.unreviewed_reply_markdown(lang)}")
        ))
        # Every figure on the card is a link to its sentence (the number itself; our own text, nothing to escape).
        linked = lambda key, text: f"[{text}]({v['links'][key]})" if v["links"][key] else text  # noqa: E731
        # The tooltip gives the number as the reply wrote it (3424家, 5611个).
        def written(f):
            """The tooltip: the number as the reply wrote it, and which reply when not the card's own."""
            if f is None or not f.get("number_text"):
                return None
            text = f"{ctx.t('as_written')}{COLON}{SP}{safe.escape_text(f['number_text'])}"
            if f["record_id"] != doc["record_id"]:
                text += f" · {ctx.t('from_reply', record=safe.escape_text(f['record_id']), date=safe.escape_text(f.get('doc_date') or ''))}"
            return text
        mark = lambda key: review.draft_label(lang) if v["drafts"][key] else None  # noqa: E731
        card.append(("metrics", [(ctx.t("m_registered"), linked("registered", v["registered"]), written(v["total"]),
                                  mark("registered")),
                                 (ctx.t("m_community"), linked("community", v["comm_text"]), written(v["comm_fact"]),
                                  mark("community"))]))
        card.append(("metrics", [(ctx.t("m_per10k_reported"), linked("reported", v["rep_text"]), written(v["reported"]),
                                  mark("reported")),
                                 (ctx.t("m_per10k_computed"), linked("computed", v["comp_text"]), ctx.t("m_per10k_computed_help"),
                                  mark("computed"))]))
        national = None
        if nat is not None and (dens is not None or v["reported"] is not None):
            national = (ctx.t("m_national", year=year) + ("*" if derived else ""), f"{nat:.2f}",
                        ctx.t("derived_mark") if derived else None)
        card.append(("metrics", [national, None]))
        changes = []
        for key, what in (("social_orgs_total", ctx.t("m_registered")), ("social_orgs_per_10k", ctx.t("m_per10k_reported"))):
            now, before = first.get((slug, key)), before_of.get((slug, key))
            if now is None or before is None:
                continue
            diff, why = views.change_since(now, before, lang)
            shown_before = fmt.format_value(before["value"], before["unit"], before["qualifier"], lang)
            before_link = f"[{shown_before}]({fmt.permalink(before['record_id'], before['id'], lang)})"
            date = md(views.as_of(before))
            changes.append(ctx.t("change_line", what=what, diff=diff, date=date, before=before_link) if diff else
                           ctx.t("change_not_comparable", what=what, date=date, before=before_link, why="；".join(why) if lang == "zh" else "; ".join(why)))
        if changes:
            card.append(("markdown", f"**{ctx.t('card_change')}**{COLON}{SP}" + ("；" if lang == "zh" else "; ").join(changes)))
        if dens is not None and dens["is_reproducible"] == "False":
            stop = "。" if lang == "zh" else ". "
            card.append(("warning", f"{ctx.t('flag_title')}{COLON}{SP}{ctx.t('flag_short', name=md(doc[f'name_{lang}']), value=v['rep_text'])}"
                                    f"{stop}{md(views.flag_note_text(dens, lang))}"))
        card.append(("markdown", f"**{ctx.t('card_funding')}**"))
        money = money_of.get(slug)
        if money is None or money.empty:
            card.append(("markdown", f"- {NS}"))
        else:
            for f in views.records(money.head(limits.MAX_CARD_AMOUNTS)):
                extra = [md(x) for x in (fmt.period_label(f, lang), fmt.scope_label(f, lang)) if x]
                if f["channel"] in ("other", "") and f.get("label"):
                    extra.append(f"“{md(fmt.reply_words(f['label'], lang))}”")  # the reply's own word tells "other" sums apart
                if f["status"] == "target":
                    extra.insert(0, ctx.t("planned"))
                detail = f"（{'，'.join(extra)}）" if lang == "zh" else f" ({', '.join(extra)})"
                used_facts.append((f["record_id"], f["id"], "funding"))
                amount = fmt.format_value(f["value"], "yuan", f["qualifier"], lang)
                line = f"- {ctx.t('ch_' + f['channel'])}{COLON}{SP}[**{amount}**]({fmt.permalink(f['record_id'], f['id'], lang)})"
                has_drafts |= review.is_draft(f)
                card.append(("markdown", review.badged(line, review.is_draft(f), lang) + detail))
            if len(money) > limits.MAX_CARD_AMOUNTS:
                card.append(("markdown", f"- {ctx.t('card_more_amounts', n=fmt.number(len(money) - limits.MAX_CARD_AMOUNTS))}"))
        reviewed = review.reviewed_reply_text(doc, lang)
        card.append(("caption", md(fmt.sources_line(pd.DataFrame([doc]), lang)) + (f" · {md(reviewed)}" if reviewed else "")))

    table = pd.DataFrame(summary) if summary else None

    def download() -> bytes:
        # The download is tidy: one row per fact shown on the cards, numbers as numbers, with unit, qualifier,
        # period, scope, sentence, reply and checksum; computed densities beside their count. Made when clicked.
        keys = pd.DataFrame(used_facts, columns=["record_id", "id", "shown_as"]).drop_duplicates(["record_id", "id", "shown_as"])
        dens_cols = density[density["base"] == "census"][["record_id", "fact_id", "computed_per_10k", "population_persons",
                                                           "population_date", "population_source"]].drop_duplicates(["record_id", "fact_id"])
        extra = keys.merge(dens_cols.rename(columns={"fact_id": "id"}), on=["record_id", "id"], how="left")
        extra.loc[extra["shown_as"] != "per_10k_computed", ["computed_per_10k", "population_persons", "population_date",
                                                            "population_source"]] = None
        return to_csv(tidy_facts(facts, T["documents"], indicators=T["indicators"], extra=extra, lang=lang))

    readable: dict[int, pd.DataFrame] = {}

    def shown(head: pd.DataFrame) -> pd.DataFrame:
        if len(head) not in readable:
            readable[len(head)] = views.readable(head, lang, names=ctx.names)
        return readable[len(head)]

    return {"cut": cut, "cards": [merge_markdown(c) for c in cards], "table": table, "shown": shown, "has_drafts": has_drafts,
            "expanded": len(places) > len(carded), "download": download}


def merge_markdown(card: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Consecutive Markdown items of a card as one element (the funding heading and its list of amounts).

    Every element costs a rerun its own share: at 10,000 replies the twelve cards drew 95 Markdown elements."""
    out: list[tuple[str, object]] = []
    for kind, value in card:
        if kind == "markdown" and out and out[-1][0] == "markdown":
            before = out[-1][1]
            # a list item after a list item stays in the list; anything else starts a new paragraph
            joint = "\n" if value.startswith("- ") and before.rsplit("\n", 1)[-1].startswith("- ") else "\n\n"
            out[-1] = ("markdown", before + joint + value)
        else:
            out.append((kind, value))
    return out
