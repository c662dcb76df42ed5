"""Two jurisdictions, headline figures first with their evidence and comparability warnings, then every indicator,
the measures only one has (or has done where the other only plans) and the sentences.

Body of the compare page (pages/compare.py calls render())."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import data, evidence, fmt, layout, review, safe, views
from app.charts_compare import make_compare_figure
from app.export import file_name, tidy_facts, to_csv
from app import limits  # read at call time: tests change a limit for one run


def render() -> None:
    """Draw the compare page."""
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
    start = default_pair(ctx)
    # A and B follow the sidebar: /compare?j=quzhou,leshan compares Quzhou with Leshan, and a new sidebar selection
    # starts a new pair. An explicit ?a=&b= in the link wins on the first run only.
    seen = st.session_state.get("_cmp_sidebar")
    if seen != tuple(ctx.slugs):
        explicit = seen is None and st.query_params.get("a") in options and st.query_params.get("b") in options
        if not explicit:
            st.session_state["_v_a"], st.session_state["_v_b"] = start
        st.session_state["_cmp_sidebar"] = tuple(ctx.slugs)
    left, right = st.columns(2)
    layout.sync_select("a", options, start[0])
    a = layout.bound(left.selectbox, "a", ctx.t("compare_a"), default=start[0], parse=layout.choice(options), dump=str,
                     options=options, format_func=lambda s: every.get(s, s))
    rest = [s for s in options if s != a]
    b_default = start[1] if start[1] != a else rest[0]
    layout.sync_select("b", rest, b_default)
    b = layout.bound(right.selectbox, "b", ctx.t("compare_b"), default=b_default, parse=layout.choice(rest), dump=str,
                     options=rest, format_func=lambda s: every.get(s, s))
    if [a, b] == start and len(ctx.slugs) > 2:  # the pair chosen for the reader: say why these two
        st.caption(ctx.t("cmp_default_pair"))
    # A year for each side (default: the newest reply): the figures its replies up to that year state.
    ya, yb = (_year_pick(ctx, col, name, slug) for col, name, slug in ((left, "ya", a), (right, "yb", b)))
    # Everything below the choices depends on the tables, the pair, the years and the language only: planned once,
    # drawn on every rerun from the plan.
    plan = layout.cached_figure(ctx, "compare_plan", lambda: _plan(ctx, a, b, every, {a: ya, b: yb}), a=a, b=b,
                                ya=ya, yb=yb, quotes=limits.MAX_QUOTES)
    plan["top"].replay(st)
    evidence.show_linked_figure(ctx, plan["figure"], "compare_chart", file_name("compare", [a, b], [], "png")[:-4])
    plan["rest"].replay(st)


LATEST = "latest"


def default_pair(ctx: layout.Ctx) -> list[str]:
    """The pair shown before anyone picks one: of the sidebar's places, the two that compare best
    (views.most_comparable_pair: the most headline figures both state, the same level, the closest years); with
    fewer than two places selected, the selection filled up from every place. Once per data version and selection."""
    T = ctx.tables
    if len(ctx.slugs) < 2:
        return (ctx.slugs + [s for s in ctx.all_slugs if s not in ctx.slugs])[:2]

    def choose() -> tuple[str, str]:
        docs = T["documents"]
        levels = docs.drop_duplicates("jurisdiction").set_index("jurisdiction")["jurisdiction_level"].to_dict()
        return views.most_comparable_pair(data.select(T["facts"], ctx.slugs), levels, ctx.slugs)

    return list(data.derived(T, ("compare_pair", tuple(ctx.slugs)), choose))


def _year_pick(ctx: layout.Ctx, col, name: str, slug: str) -> str:
    """The year of the replies one side is read up to, kept in the URL (?ya=2022); LATEST unless the place has
    replies of several years and one is picked."""
    docs = data.select(ctx.tables["documents"], [slug])
    years = list(dict.fromkeys(y for y in (fmt.year_of(d) for d in docs["doc_date"].tolist()) if y))
    options = [LATEST] + [str(y) for y in years[1:]]  # the newest year is "latest"
    layout.sync_select(name, options, LATEST)
    if len(years) < 2:
        return LATEST  # one year of replies: nothing to pick
    return layout.bound(col.selectbox, name, ctx.t("compare_year"), default=LATEST, parse=layout.choice(options),
                        dump=str, options=options,
                        format_func=lambda y: ctx.t("compare_year_latest", year=years[0]) if y == LATEST else y)


def _as_day(text: str) -> pd.Timestamp:
    """A figure's date as a day: YYYY-MM-DD as it is, a year as its last day."""
    return pd.Timestamp(text[:10]) if len(text) >= 10 else pd.Timestamp(f"{text[:4]}-12-31")


def up_to_year(df: pd.DataFrame | None, years: dict[str, str]) -> pd.DataFrame | None:
    """The rows of replies written in or before each place's chosen year (LATEST: every reply)."""
    if df is None or df.empty:
        return df
    keep = pd.Series(True, index=df.index)
    for slug, year in years.items():
        if year != LATEST:
            reply_year = df["doc_date"].astype(str).str[:4]
            keep &= ~((df["jurisdiction"] == slug) & (reply_year > year))
    return df if bool(keep.all()) else df[keep]


def _plan(ctx: layout.Ctx, a: str, b: str, every: dict[str, str], years: dict[str, str] | None = None) -> dict:
    """What the page draws for the pair a, b (each read up to its year), recorded (layout.Recorder) instead of drawn:
    what comes before the chart (top), the chart (figure) and what comes after it (rest)."""
    st = layout.Recorder()  # the code below reads as drawing code; every element goes into the recording
    lang, T = ctx.lang, ctx.tables
    pair = [a, b]
    years = years or {}

    levels = T["documents"].drop_duplicates("jurisdiction").set_index("jurisdiction")["jurisdiction_level"].to_dict()
    if levels.get(a) != levels.get(b):
        st.warning(ctx.t("compare_levels", a=safe.escape_text(every.get(a, a)), b=safe.escape_text(every.get(b, b)),
                         la=ctx.t(f"level_{levels.get(a)}").lower() if lang == "en" else ctx.t(f"level_{levels.get(a)}"),
                         lb=ctx.t(f"level_{levels.get(b)}").lower() if lang == "en" else ctx.t(f"level_{levels.get(b)}")))
    facts = up_to_year(data.select(T["facts"], pair), years)
    density = up_to_year(data.select(T["density"], pair), years) if T.get("density") is not None else None
    parts = views.breakdowns(facts)
    chosen_docs = up_to_year(data.select(T["documents"], pair), years)
    doc_date = chosen_docs.drop_duplicates("jurisdiction").set_index("jurisdiction")["doc_date"].to_dict()


    drafts_shown = []  # whether any number shown is a draft: then the caption says what its mark means

    def link(fact: dict, text: str, column: str = "is_reviewed") -> str:
        """Our own formatted number as a link to its sentence; a draft with its badge (app/review.py)."""
        is_draft = review.is_draft(fact, column)
        drafts_shown.append(is_draft)
        return review.badged(f"[{text}]({fmt.permalink(fact['record_id'], fact['id'], lang)})", is_draft, lang)


    def cell(text: str, notes: list[str]) -> str:
        # Notes name scopes and areas from the replies (仅沙湾区): escaped like every outside string.
        return " ".join([text, *map(safe.escape_text, notes)]) if text else ctx.t("not_stated")


    def with_date(fact: dict) -> dict:
        return {**fact, "doc_date": fact.get("doc_date") or doc_date.get(fact.get("jurisdiction"), "")}


    # ---- headline: the comparable indicators, each number linked, warnings in the cell -------------------------------
    head = views.headline_facts(facts, ("social_orgs_total", "social_orgs_per_10k", "community_social_orgs"))
    dens = views.census_density(density) if density is not None else {}
    flagged = set()
    if density is not None and not density.empty:
        bad = density[density["is_reproducible"] == "False"]
        flagged = set(zip(bad["record_id"], bad["reported_fact_id"]))

    table_rows: list[tuple[str, list[str]]] = []
    chart_rows: list[dict] = []  # the headline figures, for make_compare_figure
    said_once: set[str] = set()  # notes said once above the table, not repeated in each cell

    def chart_row(label: str, slug: str, fact: dict | None, text: str = "", flag: bool = False) -> None:
        missing = fact is None or fmt.is_missing(fact.get("value"))
        chart_rows.append({
            "indicator": label, "jurisdiction": slug, "name": every.get(slug, slug),
            "value": float("nan") if missing else float(fact["value"]), "value_text": text,
            "when": "" if missing else fmt.period_label(fact, lang),
            "link": "" if missing else fmt.permalink(fact["record_id"], fact["id"], lang),
            "is_draft": False if missing else review.is_draft(fact), "flag": flag,
        })

    def specific(notes: list[str]) -> list[str]:
        return [n for n in notes if n not in said_once]


    def fact_row(label: str, indicator: str) -> None:
        found = [head.get((s, indicator)) for s in pair]
        cells = []
        for i, f in enumerate(found):
            if f is None:
                cells.append(ctx.t("not_stated"))
                chart_row(label, pair[i], None)
                continue
            f = with_date(f)
            short = (ctx.t("q_" + (f["qualifier"] or "exact")) + fmt.number(float(f["value"])) if f["unit"] == "per_10k"
                     else fmt.format_value(f["value"], f["unit"], f["qualifier"], lang, f.get("value_max")))
            chart_row(label, pair[i], f, short, (f["record_id"], f["id"]) in flagged)
            text = link(f, fmt.format_value(f["value"], f["unit"], f["qualifier"], lang, f.get("value_max")))
            extra = [safe.escape_text(x) for x in (fmt.period_label(f, lang), fmt.scope_label(f, lang)) if x]  # areas: reply text
            text += f"（{'，'.join(extra)}）" if lang == "zh" else f" ({', '.join(extra)})"
            # A total and its parts: the total, then its breakdown with the reply's own words for each part.
            items = parts.get((f["record_id"], f["id"]))
            if items:
                shown = [f"{safe.escape_text(fmt.reply_words(p['part_label'], lang))} {link(p, fmt.format_value(p['value'], p['unit'], 'exact', lang))}"
                         for p in items]
                text += f" — {ctx.t('cmp_of_which')}{'：' if lang == 'zh' else ': '}" + ("、" if lang == "zh" else ", ").join(shown)
            # Warnings once per row, in B's cell: the figure read against A's.
            notes = specific(views.comparability(f, with_date(found[0]), lang)) if i == 1 and found[0] is not None else []
            if (f["record_id"], f["id"]) in flagged:
                notes.insert(0, ctx.t("cmp_flag"))
            cells.append(cell(text, notes))
        table_rows.append((label, cells))


    # Figures as of dates far apart: said once, above the chart and the table, and not again in each row whose
    # years are the same two (a row of other years still says its own).
    years_note = ""
    shared = next((k for k in views.HEADLINE_INDICATORS if (a, k) in head and (b, k) in head), None)
    if shared:
        fa, fb = with_date(head[(a, shared)]), with_date(head[(b, shared)])
        dates = [views.as_of(fa), views.as_of(fb)]
        yb_, ya_ = views.fact_year(fb), views.fact_year(fa)
        year_notes = [ctx.t("cmp_years_differ", a=yb_, b=ya_)] if yb_ and ya_ and abs(yb_ - ya_) > 1 else []
        apart = (abs((_as_day(dates[0]) - _as_day(dates[1])).days) / 365.25
                 if fmt.year_of(dates[0]) and fmt.year_of(dates[1]) else 0.0)
        if year_notes or apart > 1.5:
            said_once.update(year_notes)
            years_note = ctx.t("cmp_dates_once", a=safe.escape_text(every.get(a, a)), da=safe.escape_text(dates[0]),
                               b=safe.escape_text(every.get(b, b)), db=safe.escape_text(dates[1]), years=f"{apart:.1f}")
    fact_row(ctx.t("cmp_row_registered"), "social_orgs_total")
    fact_row(ctx.t("cmp_row_reported"), "social_orgs_per_10k")
    computed = []
    for i, s in enumerate(pair):
        d = dens.get((s, "social_orgs_total"))
        if d is None or pd.isna(d.get("computed_per_10k")):
            computed.append(None)
            continue
        computed.append({**d, "id": d["fact_id"], "period_end": d["as_of"], "qualifier": d["count_qualifier"],
                         "scope_kind": "whole"})
    cells = []
    for i, d in enumerate(computed):
        if d is None:
            cells.append(ctx.t("not_stated"))
            chart_row(ctx.t("cmp_row_computed"), pair[i], None)
            continue
        chart_row(ctx.t("cmp_row_computed"), pair[i], {**d, "value": float(d["computed_per_10k"]), "period_kind": "as_of"},
                  f"{float(d['computed_per_10k']):.2f}")
        # The as-of date is the density table's text: escaped like every outside string.
        as_of = safe.escape_text(fmt.period_label({"period_kind": "as_of", "period_end": d["as_of"]}, lang))
        text = link(d, f"{float(d['computed_per_10k']):.2f}") + (f"（{as_of}）" if lang == "zh" else f" ({as_of})")
        cells.append(cell(text, specific(views.comparability(d, computed[0], lang)) if i == 1 and computed[0] else []))
    table_rows.append((ctx.t("cmp_row_computed"), cells))
    fact_row(ctx.t("cmp_row_community"), "community_social_orgs")

    # Funding by channel per resident-year: whole-area amounts over known years and the census population only; what
    # could not be put per resident is counted in the cell, with why.
    population = T.get("population")
    per_resident, _ = views.funding_rows(facts, lang, mode="per_resident", population=population)
    funding = facts[(facts["indicator"] == "funding") & (facts["unit"] == "yuan") & (facts["status"] == "achievement")]
    channels = [c for c in views.CHANNELS if c in set(funding["channel"])]
    for channel in channels:
        cells, firsts, bodies = [], [], []
        shown_as = set()  # "per_resident", "total": what this row's cells show
        for s in pair:
            mine = per_resident[(per_resident["jurisdiction"] == s) & (per_resident["channel"] == channel)] if not per_resident.empty else per_resident
            included = set(mine["id"]) if not mine.empty else set()
            stated = [with_date(f) for f in views.records(funding[(funding["jurisdiction"] == s) & (funding["channel"] == channel)])]
            shown_as.update(["per_resident"] if not mine.empty else [])
            items = [link({**r, "is_reviewed": not r.get("is_draft")}, fmt.format_value(r["shown"], "yuan_per_person_year", r["qualifier"], lang))
                     + (f"（{safe.escape_text(r['period'])}）" if lang == "zh" else f" ({safe.escape_text(r['period'])})")
                     for r in views.records(mine)]
            # Amounts that cannot be put per resident are still shown, as stated, with why they are not per resident:
            # a 省本级 budget beside a whole city's is exactly what a reader must see.
            for f in stated:
                if f["id"] in included:
                    continue
                shown_as.add("total")
                why = ("cmp_why_scope" if (f.get("scope_kind") or "whole") != "whole"
                       else "cmp_why_period" if views.period_years(f) is None else "cmp_why_population")
                extra = [safe.escape_text(x) for x in (fmt.period_label(f, lang), fmt.scope_label(f, lang)) if x]
                extra.append(ctx.t("cmp_not_per_resident", why=ctx.t(why)))
                items.append(link(f, fmt.format_value(f["value"], "yuan", f["qualifier"], lang))
                             + (f"（{'，'.join(extra)}）" if lang == "zh" else f" ({', '.join(extra)})"))
            # The figure read against the other side's: its first amount per resident. Totals are not read against
            # each other (each says in its cell why it is not per resident): no ⚠ for them.
            firsts.append(next((f for f in stated if f["id"] in included), None))
            bodies.append(("；" if lang == "zh" else "; ").join(items))
        for i in range(2):
            cells.append(cell(bodies[i], specific(views.comparability(firsts[1], firsts[0], lang)) if i == 1 else []))
        unit = ("cmp_row_funding" if shown_as == {"per_resident"} else "cmp_row_funding_total" if shown_as == {"total"}
                else "cmp_row_funding_mixed")
        table_rows.append((ctx.t(unit, channel=ctx.t("ch_" + channel)), cells))

    st.subheader(ctx.t("compare_headline"))
    if years_note:
        st.markdown(years_note)
    # The chart is drawn by render() between the two recordings: its bars open their sentences (a widget's state).
    fig = make_compare_figure(pd.DataFrame(chart_rows), lang)
    top, st = st, layout.Recorder()
    header = f"| {ctx.t('indicator')} | {safe.escape_text(every.get(a, a))} | {safe.escape_text(every.get(b, b))} |"
    lines = [header, "|---|---|---|"] + [f"| {label} | {cells[0]} | {cells[1]} |" for label, cells in table_rows]
    st.markdown("\n".join(lines))
    st.caption(ctx.t("compare_headline_note") + (f" {review.note(lang)}" if any(drafts_shown) else ""))
    layout.download(st, ctx.t("download_csv"), lambda: to_csv(tidy_facts(facts, T["documents"], indicators=T["indicators"],
                                                                         lang=lang)),
                    mime="text/csv", file_name=file_name("compare", pair, [], "csv"))
    st.caption(safe.escape_text(fmt.sources_line(facts, lang)))

    # ---- every indicator, folded ------------------------------------------------------------------------------------
    labels = {code: data.indicator_label(T, code, lang) for code in facts["indicator"].unique()}
    table = views.indicator_table(facts, pair, labels, lang, parts=parts).rename(columns={a: every.get(a, a), b: every.get(b, b)})
    with st.expander(ctx.t("compare_all_indicators", n=len(table))):
        # A static table wraps long cells instead of cutting them off; its cells read Markdown, so they are escaped.
        shown = table.set_index(ctx.t("indicator")).map(safe.escape_text).rename(index=safe.escape_text, columns=safe.escape_text)
        shown.index.name = safe.escape_text(shown.index.name)
        st.table(shown)

    # ---- measures: only one has them, or one has done what the other only plans ---------------------------------------
    measures = up_to_year(T.get("measures"), years)
    if measures is None or data.select(measures, pair).empty:
        st.info(ctx.t("compare_measures_none"))
    else:
        m = data.select(measures, pair)
        cats = views.category_info(T.get("codebook"), lang, m)

        def sentences_of(one: str, cat: str, status: str | None = None) -> None:
            rows = m[(m["jurisdiction"] == one) & (m["category"] == cat)]
            if status:
                rows = rows[rows["status"] == status]
            with st.expander(f"{ctx.t('it_' + cats[cat]['instrument_type'])} · {safe.escape_text(cats[cat]['label'])} ({len(rows)})"):
                for row in views.records(rows.head(limits.MAX_QUOTES), ["quote_clean", "quote"]):
                    st.markdown(f"> {safe.escape_text(row['quote_clean'] or row['quote'])}")
                if len(rows) > limits.MAX_QUOTES:
                    st.caption(ctx.t("quotes_cut", n=fmt.number(len(rows) - limits.MAX_QUOTES)))

        cols = st.columns(2)
        for col, one, other in ((cols[0], a, b), (cols[1], b, a)):
            mine, theirs = m[m["jurisdiction"] == one], m[m["jurisdiction"] == other]
            only = set(mine["category"]) - set(theirs["category"])
            done_here = set(mine[mine["status"] == "done"]["category"])
            planned_there = set(theirs["category"]) - set(theirs[theirs["status"] == "done"]["category"])
            ahead = done_here & planned_there
            with col:
                st.subheader(ctx.t("compare_only", name=safe.escape_text(every.get(one, one))))
                if not only:
                    st.write("—")
                # One collapsed section per category: the names read as a list, the sentences open on demand.
                for cat in [c for c in cats if c in only]:
                    sentences_of(one, cat)
                st.markdown(f"**{ctx.t('compare_done_vs_planned', name=safe.escape_text(every.get(one, one)), other=safe.escape_text(every.get(other, other)))}**")
                if not ahead:
                    st.write("—")
                for cat in [c for c in cats if c in ahead]:
                    sentences_of(one, cat, "done")

    with st.expander(ctx.t("compare_quotes")):
        qa, qb = st.columns(2)
        for col, slug in ((qa, a), (qb, b)):
            with col:
                st.markdown(f"**{safe.escape_text(every.get(slug, slug))}**")
                own = facts[facts["jurisdiction"] == slug]
                for i, (quote, group) in enumerate(own.groupby("quote_clean", sort=False)):
                    if i == limits.MAX_QUOTES:
                        st.caption(ctx.t("quotes_cut", n=fmt.number(own["quote_clean"].nunique() - limits.MAX_QUOTES)))
                        break
                    st.markdown(f"- {safe.escape_text(quote)}  \n  *({safe.escape_text(', '.join(labels[c] for c in dict.fromkeys(group['indicator'])))})*")
    return {"top": top, "figure": fig, "rest": st}
