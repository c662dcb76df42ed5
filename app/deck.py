"""The presenter's slides as data (one point each, with takeaway, chart values, sources and quotes) and the decks made from them."""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from app import charts, data, fmt, review, views
from app.colors import color_for
from app.i18n import t
from app.limits import MAX_BARS, MAX_PLACES, MAX_SOURCES
from app.safe import escape_plot, escape_text, office_text

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP_MIME = "application/zip"
FLAG_MARK = "⚑"
NATIONAL_BAR = "#C8C8C8"  # China beside the places: light grey, not a place's colour
SLIDE_PX = (1920, 1080)
MIN_SLIDE_FONT = 18  # px at 1920×1080: the smallest type a slide may use


@dataclass
class Part:
    """A piece of a takeaway line; href points to the evidence of the number it holds."""

    text: str
    href: str | None = None


@dataclass
class Series:
    name: str
    values: list[float | None]
    labels: list[str]  # the data label of each point ("≥ 14.95", "5.08 ⚑", "" for no point)
    colors: list[str]  # one per point (the place's colour) or all the same
    tinted: bool = False  # drawn lighter (computed beside reported)


@dataclass
class Slide:
    """One point: what the page shows above its figure and what the deck puts on its slide."""

    key: str
    title: str
    takeaway: list[Part]
    categories: list[str] = field(default_factory=list)
    # What a category lacks ("count not stated", "Reported: not stated"), written under its name in the deck's chart:
    # a native chart cannot label a point that has no value, and a blank slot must not read as a forgotten 0.
    category_notes: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    horizontal: bool = False
    value_title: str = ""
    table: list[list[str]] | None = None  # first row is the header
    footnotes: list[str] = field(default_factory=list)
    source: str = ""
    notes: list[str] = field(default_factory=list)


# ---- shared wording ------------------------------------------------------------------------------------------


def evidence_link(record_id: str, fact_id: str, lang: str) -> str:
    """The Sources page's permalink to one fact of one reply."""
    query = {"r": record_id, "f": fact_id}
    if lang != "zh":
        query["lang"] = lang
    return "/sources?" + urlencode(query)


def measures_link(slug: str, lang: str) -> str:
    query = {"mj": slug}
    if lang != "zh":
        query["lang"] = lang
    return "/measures?" + urlencode(query)


def fill(template: str, **slots) -> list[Part]:
    """A translated sentence with {slots} as Parts: a linked number stays a Part of its own, text is merged.

    Word order differs between the languages (全国（6.25）的2.4倍 / 2.4 times China's 6.25), so the sentence is a
    template and not a sequence of fragments."""
    parts: list[Part] = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        value = slots[piece] if i % 2 else piece
        part = value if isinstance(value, Part) else Part(str(value))
        if not part.text:
            continue
        if parts and part.href is None and parts[-1].href is None:
            parts[-1] = Part(parts[-1].text + part.text)
        else:
            parts.append(part)
    return parts


def takeaway_text(parts: list[Part]) -> str:
    return "".join(p.text for p in parts)


def takeaway_markdown(parts: list[Part]) -> str:
    """The takeaway as Markdown, each number a link to its evidence. Every part's text holds names, periods and areas
    from the replies and tables: it goes through app/safe.py (links, icons, emoji, math, colours, bare URLs inert);
    the links are our own (evidence_link, measures_link: paths of this app, their query URL-encoded)."""
    return "".join(f"[{escape_text(p.text)}]({p.href})" if p.href else escape_text(p.text) for p in parts)


def source_line(df: pd.DataFrame | None, lang: str) -> str:
    """Every reply behind df: issuer, reference, date and record id, in one line."""
    if df is None or df.empty or "record_id" not in df.columns:
        return ""
    items = []
    for row in views.records(df.drop_duplicates("record_id")):
        rid = row["record_id"]
        items.append(f"{fmt.doc_label(row, lang)}（{rid}）" if lang == "zh" else f"{fmt.doc_label(row, lang)} ({rid})")
    return t("source_prefix", lang) + ("；" if lang == "zh" else "; ").join(items)


def _fact_index(facts: pd.DataFrame | None) -> dict[tuple[str, str], dict]:
    if facts is None or facts.empty:
        return {}
    return {(r["record_id"], r["id"]): r for r in views.records(facts)}


def _dm(label: str, is_draft: bool) -> str:
    """A slide's label with the draft's footnote mark ◌ after it (app/review.py; the footnote says what it means)."""
    return f"{label} {review.DRAFT_MARK}" if is_draft and label else label


def _quote_note(fact: dict | None, what: str, lang: str) -> str:
    """'衢州市 · 社会组织总数 3,424：“…” —— 衢州市民政局答复，…，2023-07-03（quzhou-2023 · c299）'; a draft's note
    starts with ◌ 未审核."""
    if not fact:
        return ""
    if review.is_draft(fact):
        return f"{review.draft_label(lang)} · {_quote_note({**fact, 'is_reviewed': True}, what, lang)}"
    quote = fact.get("quote_clean") or fact.get("quote") or ""
    place = fact.get(f"name_{lang}") or fact.get("jurisdiction", "")
    value = fmt.value_text(fact.get("value"), fact.get("unit", ""), fact.get("qualifier", ""), lang, fact.get("value_max"))
    ref = f"{fact['record_id']} · {fact['id']}"
    if lang == "zh":
        return f"{place} · {what} {value}：“{quote}” —— {fmt.doc_label(fact, lang)}（{ref}）"
    return f"{place} · {what} {value}: “{quote}” — {fmt.doc_label(fact, lang)} ({ref})"


def marks_note(qualifiers, lang: str) -> str:
    """The key of the marks (≥, ≤, ≈) that labels of these qualifiers carry, each mark once, in the order ≥ ≤ ≈; ""
    when none is drawn. The marks are fmt.QUALIFIER_MARK's, the words i18n's: a label and its key never disagree."""
    bounds = {fmt.bound_of(q) for q in qualifiers if q in fmt.QUALIFIER_MARK}
    items = [t("mark_" + b, lang) for b in ("lower", "upper", "about") if b in bounds]
    return t("marks_note", lang, items=("；" if lang == "zh" else "; ").join(items)) if items else ""


def _basis(reported: bool, year, lang: str, short: bool = False) -> str:
    """Which figure a takeaway's density is (the reply's own or computed here on the census) and its year."""
    key = "tk_basis_" + ("reported" if reported else "computed") + ("_short" if short else "")
    return t(key, lang, year=year if year else "?")


def _num(value: float) -> str:
    return f"{value:.2f}"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}"


def _places(slugs: list[str], names: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The first MAX_PLACES selected places (as the charts draw them) and the names of those left out."""
    shown = {s: names.get(s, s) for s in slugs[:MAX_PLACES]}
    return shown, [names.get(s, s) for s in slugs[MAX_PLACES:]]


# ---- the point slides -------------------------------------------------------------------------------------------


def _density_slide(tables: dict, slugs: list[str], lang: str, names: dict[str, str], indicator: str) -> Slide | None:
    """Per 10,000 residents on the 2020 census: the density chart's rows (views.density_rows), reported beside computed."""
    density = data.select(tables.get("density"), slugs)
    rows = views.density_rows(density, base="census", indicator=indicator)
    places, cut = _places(slugs, names)
    rows = rows[rows["jurisdiction"].isin(list(places))]
    by_slug = {r["jurisdiction"]: r for r in views.records(rows)}
    facts = _fact_index(data.select(tables.get("facts"), slugs))
    national = tables.get("national") if indicator == "social_orgs_total" else None
    title = t("density_title" if indicator == "social_orgs_total" else "density_community_title", lang)
    cats, rep, nat = [], Series(t("reported", lang), [], [], []), Series(t("national", lang), [], [], [])
    comp = Series(t("computed", lang), [], [], [], tinted=True)
    footnotes = [t("density_base_note", lang, base=t("base_census", lang))]
    notes, missing, derived_any = [], [], False
    drafts: set[str] = set()  # fact ids of the draft figures drawn
    quals: set[str] = set()  # qualifiers of the figures drawn (their marks' key)
    missing_of: dict[str, list[str]] = {}  # slug -> the series with no value for it
    year_of: dict[str, int | None] = {}
    candidates = []  # (value, slug, used reported?, fact id behind the value)
    what = data.indicator_label(tables, indicator, lang)
    for slug, name in places.items():
        r = by_slug.get(slug)
        cats.append(name)
        if r is None:
            missing.append(name)
            for s in (rep, comp, nat):
                s.values.append(None), s.labels.append(""), s.colors.append(color_for(slug))
            continue
        count_fact = facts.get((r["record_id"], r["fact_id"]))
        rep_fact = facts.get((r["record_id"], r.get("reported_fact_id") or ""))
        flagged = r.get("is_reproducible") == "False"
        value = r.get("reported_per_10k")
        if pd.notna(value):
            sign = fmt.QUALIFIER_SIGN.get((rep_fact or {}).get("qualifier", ""), "")
            quals.add((rep_fact or {}).get("qualifier", ""))
            rep.values.append(float(value))
            rep_draft = review.is_draft(r, "reported_is_reviewed")
            drafts |= {r.get("reported_fact_id")} if rep_draft else set()
            rep.labels.append(_dm(f"{sign}{_num(value)}{' ' + FLAG_MARK if flagged else ''}", rep_draft))
            if flagged:
                colon = "：" if lang == "zh" else ": "
                footnotes.append(f"{FLAG_MARK} {t('flag_short', lang, name=name, value=_num(value))}{colon}"
                                 f"{charts.flag_text(r, lang)}")
        else:
            rep.values.append(None), rep.labels.append("")
            missing_of.setdefault(slug, []).append(rep.name)
        rep.colors.append(color_for(slug))
        computed = r.get("computed_per_10k")
        if pd.notna(computed):
            sign = fmt.QUALIFIER_SIGN.get(r.get("count_qualifier", ""), "")
            quals.add(r.get("count_qualifier", ""))
            comp.values.append(float(computed))
            drafts |= {r["fact_id"]} if review.is_draft(r) else set()
            comp.labels.append(_dm(f"{sign}{_num(computed)}", review.is_draft(r)))
        else:
            comp.values.append(None), comp.labels.append("")
            missing_of.setdefault(slug, []).append(comp.name)
        comp.colors.append(color_for(slug))
        year_of[slug] = fmt.year_of(r.get("as_of"))
        value_nat, derived = data.national_per_10k(national, year_of[slug])
        if value_nat is None:
            missing_of.setdefault(slug, []).append(nat.name)
        nat.values.append(value_nat)
        nat.labels.append(f"{_num(value_nat)}{'*' if derived else ''}" if value_nat is not None else "")
        nat.colors.append(NATIONAL_BAR)
        derived_any |= bool(derived and value_nat is not None)
        if pd.notna(value) and not flagged:
            candidates.append((float(value), slug, True, r.get("reported_fact_id"), value_nat, derived))
        elif pd.notna(computed):
            candidates.append((float(computed), slug, False, r["fact_id"], value_nat, derived))
        notes.append(_quote_note(count_fact, data.indicator_label(tables, r["indicator"], lang), lang))
        if rep_fact:
            notes.append(_quote_note(rep_fact, data.indicator_label(tables, "social_orgs_per_10k", lang), lang))
    if not candidates:
        return None
    series = [rep, comp] if any(v is not None for v in rep.values) else [comp]
    if any(v is not None for v in nat.values):
        series.append(nat)
        footnotes.append(t("national_note", lang) + (f"（{t('derived_mark', lang)}）" if lang == "zh" else
                                                     f" ({t('derived_mark', lang)})") * derived_any)
    if missing:
        footnotes.append(t("density_not_stated", lang, names=fmt.listing(missing, lang)))
    if drafts:
        footnotes.append(review.note(lang))
    footnotes.append(marks_note(quals, lang))
    footnotes.append(charts.places_cut_note(cut, MAX_PLACES, lang))
    shown_series = {s.name for s in series}
    sep = "；" if lang == "zh" else "; "
    category_notes = []
    for slug, name in places.items():
        if slug not in by_slug:
            category_notes.append(t("count_not_stated", lang))
            continue
        lacking = [x for x in missing_of.get(slug, []) if x in shown_series]
        category_notes.append(sep.join(t("slide_missing", lang, what=x) for x in lacking))
    record_of = {r["jurisdiction"]: r["record_id"] for r in by_slug.values()}
    # The takeaway: the highest place, against China in its year; the lowest when several places are shown.
    value, slug, reported, fid, value_nat, derived = max(candidates, key=lambda c: c[0])
    noun = t("tk_noun_" + ("total" if indicator == "social_orgs_total" else "community"), lang)
    parts = fill(t("tk_density", lang), name=places[slug], noun=noun, basis=_basis(reported, year_of.get(slug), lang),
                 value=Part(_dm(_num(value), fid in drafts), evidence_link(record_of[slug], fid, lang)))
    if value_nat:
        parts += fill(t("tk_vs_national", lang), national=_num(value_nat) + ("*" if derived else ""),
                      ratio=_ratio(value, value_nat))
    if len(candidates) > 1:
        low = min(candidates, key=lambda c: c[0])
        parts += fill(t("tk_lowest", lang), name=places[low[1]], basis=_basis(low[2], year_of.get(low[1]), lang, True),
                      value=Part(_dm(_num(low[0]), low[3] in drafts),
                                                                  evidence_link(record_of[low[1]], low[3], lang)))
    parts.append(Part(t("tk_stop", lang)))
    return Slide(key="density" if indicator == "social_orgs_total" else "density_community", title=title,
                 takeaway=parts, categories=cats, category_notes=category_notes, series=series,
                 value_title=t("axis_per10k", lang),
                 footnotes=[f for f in footnotes if f], source=source_line(rows, lang), notes=[n for n in notes if n])


def _funding_slide(tables: dict, slugs: list[str], lang: str) -> Slide | None:
    """The funding chart's bars (views.funding_rows, views.bar_budget): one per stated amount, never summed."""
    facts = data.select(tables.get("facts"), slugs)
    rows, _ = views.funding_rows(facts, lang, mode="stated", population=tables.get("population"))
    rows, left_out = views.bar_budget(rows, MAX_BARS)
    if rows.empty:
        return None
    fact_of = _fact_index(facts)
    # The page's axis unit (万元 or 亿元; CNY million or billion: English never counts in 万), and each bar's label the
    # amount as its readers write it (≥ 1.8亿元, ≥ CNY 180 million) with its qualifier's mark, explained in the key.
    divisor, unit = fmt.money_scale(float(rows["shown"].max()), lang)
    title = t("funding_title", lang)
    title = f"{title} · {t('mode_stated', lang)}（{unit}）" if lang == "zh" else f"{title} · {t('mode_stated', lang)} ({unit})"
    labels, values, colors, notes = [], [], [], []
    for r in views.records(rows):
        # Chinese: 1.8亿元, 4,545.12万元 as a reader writes them; English: the number of the axis's CNY million.
        amount = fmt.yuan_zh(r["shown"]) if lang == "zh" else fmt.scaled_text(r["shown"], divisor)
        labels.append(_dm(fmt.QUALIFIER_SIGN.get(r["qualifier"], "") + amount, bool(r.get("is_draft"))))
        values.append(round(float(r["shown"]) / divisor, 6))
        colors.append(color_for(r["jurisdiction"]))
        notes.append(_quote_note(fact_of.get((r["record_id"], r["id"])), r["channel_label"], lang))
    footnotes = [marks_note(rows["qualifier"], lang)]
    if rows["is_draft"].astype(bool).any():
        footnotes.append(review.note(lang))
    if rows["scope"].ne("").any():
        footnotes.append(t("funding_scope_note", lang))
    if not left_out.empty:
        footnotes.append(t("funding_cut", lang, n=fmt.number(len(rows)), total=fmt.number(len(rows) + len(left_out))))
    top = views.records(rows.sort_values("shown", ascending=False, kind="stable").head(1))[0]
    detail = " · ".join(x for x in (top["period"], top["scope"]) if x)
    amount = fmt.value_text(top["amount_yuan"], "yuan", top["qualifier"], lang)
    parts = fill(t("tk_funding", lang), name=top["name"], channel=top["channel_label"],
                 amount=Part(_dm(amount, bool(top.get("is_draft"))), evidence_link(top["record_id"], top["id"], lang)),
                 detail=t("tk_funding_detail", lang, detail=detail) if detail else "")
    return Slide(key="funding", title=title, takeaway=[p for p in parts if p.text], categories=rows["label"].tolist(),
                 series=[Series(unit, values, labels, colors)], horizontal=True,
                 value_title=unit, footnotes=[f for f in footnotes if f], source=source_line(rows, lang),
                 notes=[n for n in notes if n])


def _measures_slide(tables: dict, slugs: list[str], lang: str, names: dict[str, str]) -> Slide | None:
    """The measures matrix (views.measures_matrix) as a table: ■ done, □ planned, blank absent."""
    measures = data.select(tables.get("measures"), slugs)
    if measures is None or measures.empty:
        return None
    order = [s for s in slugs if s in set(measures["jurisdiction"])]
    measures = measures[measures["jurisdiction"].isin(order[:MAX_PLACES])]
    codebook = tables.get("codebook")
    matrix = views.measures_matrix(measures, codebook, lang)
    if matrix.empty:
        return None
    cats = views.category_info(codebook, lang, measures)
    cols = [s for s in order if s in matrix.columns]
    matrix = matrix[cols]
    word = {"done": "■ " + t("done", lang), "planned": "□ " + t("planned", lang)}
    # A reply nobody has reviewed: its measures are drafts, its column's heading carries the mark.
    unreviewed = set(measures.loc[measures["reviewed_by"].astype(str).str.strip() == "", "jurisdiction"]) \
        if "reviewed_by" in measures.columns else set()
    table = [[t("category", lang), *[_dm(names.get(s, s), s in unreviewed) for s in cols]]]
    for code, row in matrix.iterrows():
        label = f"{t('it_' + cats.get(code, {}).get('instrument_type', ''), lang)} · {cats.get(code, {}).get('label', code)}"
        table.append([label, *[word.get(v, "") for v in row.tolist()]])
    done = matrix.eq("done").sum()
    best = done.idxmax()
    everywhere = [cats.get(c, {}).get("label", c) for c in matrix.index if (matrix.loc[c] == "done").all()]
    parts = []
    if len(cols) > 1 and everywhere:
        parts += fill(t("tk_measures_all", lang), items=fmt.listing(everywhere, lang, limit=6))
    parts += fill(t("tk_measures_most" if len(cols) > 1 else "tk_measures_one", lang), name=names.get(best, best),
                  count=Part(f"{int(done[best])}/{len(matrix)}", measures_link(best, lang)))
    notes = []
    first = measures.drop_duplicates(["jurisdiction", "category"])
    for row in views.records(first):
        label = cats.get(row["category"], {}).get("label", row["category"])
        quote = row.get("quote_clean") or row.get("quote") or ""
        place = names.get(row["jurisdiction"], row["jurisdiction"])
        notes.append(f"{place} · {label}：“{quote}” —— {fmt.doc_label(row, lang)}（{row['record_id']}）" if lang == "zh"
                     else f"{place} · {label}: “{quote}” — {fmt.doc_label(row, lang)} ({row['record_id']})")
    return Slide(key="measures", title=t("measures_title", lang), takeaway=parts, table=table,
                 footnotes=[t("measures_intro", lang), *([t("measures_draft_note", lang)] if unreviewed & set(cols) else [])],
                 source=source_line(measures, lang), notes=notes)


def _pair_slide(tables: dict, slugs: list[str], lang: str, names: dict[str, str]) -> Slide | None:
    """A against B on the two densities, both computed on the 2020 census (one basis for both places)."""
    if len(slugs) != 2:
        return None
    a, b = slugs
    density = data.select(tables.get("density"), slugs)
    facts = _fact_index(data.select(tables.get("facts"), slugs))
    indicators = ("social_orgs_total", "community_social_orgs")
    found = {}
    for ind in indicators:
        for r in views.records(views.density_rows(density, base="census", indicator=ind)):
            if pd.notna(r.get("computed_per_10k")):
                found[(r["jurisdiction"], ind)] = r
    cats = [t("tk_pair_" + ind, lang) for ind in indicators]
    series, notes, quals = [], [], set()
    # Each place's year (of its count of all organisations, else of any): the two replies may be years apart, and a
    # comparison across years says so, on the chart (the legend) and in the takeaway.
    years = {}
    for slug in (a, b):
        row = found.get((slug, "social_orgs_total")) or next((found[(slug, i)] for i in indicators if (slug, i) in found), None)
        years[slug] = fmt.year_of(row.get("as_of")) if row else None
    for slug in (a, b):
        values = [float(found[(slug, i)]["computed_per_10k"]) if (slug, i) in found else None for i in indicators]
        labels = [_dm(fmt.QUALIFIER_SIGN.get(found[(slug, i)].get("count_qualifier", ""), "") + _num(v),
                      review.is_draft(found[(slug, i)])) if v is not None else "" for i, v in zip(indicators, values)]
        name = names.get(slug, slug)
        series.append(Series(t("tk_pair_place", lang, name=name, year=years[slug]) if years[slug] else name, values,
                             labels, [color_for(slug)] * len(indicators)))
        for i in indicators:
            if (slug, i) in found:
                r = found[(slug, i)]
                quals.add(r.get("count_qualifier", ""))
                notes.append(_quote_note(facts.get((r["record_id"], r["fact_id"])), data.indicator_label(tables, i, lang), lang))
    if not any(v is not None for s in series for v in s.values):
        return None
    title = t("tk_pair_title", lang, a=names.get(a, a), b=names.get(b, b))
    pair_drafts = any(review.is_draft(r) for r in found.values())
    ra, rb = found.get((a, "social_orgs_total")), found.get((b, "social_orgs_total"))
    if ra and rb:
        va, vb = float(ra["computed_per_10k"]), float(rb["computed_per_10k"])
        hi, lo = (ra, rb) if va >= vb else (rb, ra)
        vh, vl = max(va, vb), min(va, vb)
        parts = fill(t("tk_pair", lang), high=names.get(hi["jurisdiction"]), low=names.get(lo["jurisdiction"]),
                     vh=Part(_dm(_num(vh), review.is_draft(hi)), evidence_link(hi["record_id"], hi["fact_id"], lang)),
                     vl=Part(_dm(_num(vl), review.is_draft(lo)), evidence_link(lo["record_id"], lo["fact_id"], lang)),
                     ratio=_ratio(vh, vl) if vl else "—", yh=years[hi["jurisdiction"]] or "?",
                     yl=years[lo["jurisdiction"]] or "?")
    else:
        have = ra or rb or next(iter(found.values()))
        lacking = b if have["jurisdiction"] == a else a
        parts = [Part(t("tk_pair_missing", lang, name=names.get(lacking, lacking)))]
    used = pd.DataFrame(list(found.values()))
    sep = "；" if lang == "zh" else "; "
    category_notes = [sep.join(t("slide_missing", lang, what=s.name) for s in series if s.values[k] is None)
                      for k in range(len(indicators))]
    footnotes = [t("density_base_note", lang, base=t("base_census", lang)), *([review.note(lang)] if pair_drafts else []),
                 marks_note(quals, lang)]
    return Slide(key="pair", title=title, takeaway=parts, categories=cats, category_notes=category_notes, series=series,
                 value_title=t("axis_per10k", lang), footnotes=[f for f in footnotes if f],
                 source=source_line(used, lang), notes=[n for n in notes if n])


def make_slides(tables: dict, slugs: list[str], lang: str) -> list[Slide]:
    """The point slides of a selection, in presenting order; a point without data is left out."""
    every = data.names(tables, lang)
    names = {s: every.get(s, s) for s in slugs}
    slides = [
        _density_slide(tables, slugs, lang, names, "social_orgs_total"),
        _density_slide(tables, slugs, lang, names, "community_social_orgs"),
        _funding_slide(tables, slugs, lang),
        _measures_slide(tables, slugs, lang, names),
        _pair_slide(tables, slugs, lang, names),
    ]
    return [s for s in slides if s is not None]


def replies(tables: dict, slugs: list[str], lang: str) -> list[str]:
    """The replies behind a selection, as the title slide names them."""
    docs = data.select(tables.get("documents"), slugs)
    if docs is None:
        return []
    out = []
    for row in views.records(docs.head(MAX_SOURCES)):
        name = row.get(f"name_{lang}") or row["jurisdiction"]
        title = row.get("title") or ""
        sep = "：" if lang == "zh" else ": "
        unreviewed = "" if review.reply_is_reviewed(row) else f" · {t('review_none', lang)}"
        out.append(f"{name}{sep}{fmt.doc_label(row, lang)}" + (f"《{title}》" if lang == "zh" and title else
                                                               f", “{title}”" if title else "") + f" [{row['record_id']}]"
                   + unreviewed)
    if len(docs) > MAX_SOURCES:
        out.append(t("sources_more", lang, n=fmt.number(len(docs) - MAX_SOURCES)).lstrip("；; "))
    return out


# ---- figures (the page's and the PNGs') ---------------------------------------------------------------------------


def make_pair_figure(slide: Slide, lang: str) -> go.Figure:
    """The A-against-B slide as a Plotly figure: its two densities side by side, values on the bars."""
    fig = go.Figure()
    # The slide holds plain text (place names in its title and legend): escaped here, where it becomes Plotly text.
    for s in slide.series:
        fig.add_trace(go.Bar(name=escape_plot(s.name), x=[escape_plot(c) for c in slide.categories], y=s.values,
                             text=[escape_plot(x) for x in s.labels], textposition="outside",
                             marker=dict(color=s.colors[0]), cliponaxis=False))
    top = max([v for s in slide.series for v in s.values if v is not None] or [1.0])
    charts._base(fig, escape_plot(slide.title), escape_plot(slide.value_title))
    fig.update_layout(barmode="group", margin=dict(l=70), height=480)
    fig.update_yaxes(range=[0, top * 1.18])
    return charts.add_footnote(fig, [slide.source, *slide.footnotes], lang, gap=55)


def figure_for(key: str, tables: dict, slugs: list[str], lang: str, slide: Slide | None = None) -> go.Figure:
    """The dashboard's figure of a slide: the same builder and arguments as the density, funding and measures pages."""
    every = data.names(tables, lang)
    names = {s: every.get(s, s) for s in slugs}
    if key in ("density", "density_community"):
        indicator = "social_orgs_total" if key == "density" else "community_social_orgs"
        return charts.make_density_figure(data.select(tables["density"], slugs), lang, base="census", indicator=indicator,
                                          national=tables.get("national") if key == "density" else None,
                                          all_jurisdictions=names)
    if key == "funding":
        return charts.make_funding_figure(data.select(tables["facts"], slugs), lang, mode="stated",
                                          population=tables.get("population"))
    if key == "measures":
        return charts.make_measures_figure(data.select(tables.get("measures"), slugs), lang,
                                           codebook=tables.get("codebook"), jurisdictions=names)
    if key == "pair":
        return make_pair_figure(slide or _pair_slide(tables, slugs, lang, names), lang)
    raise KeyError(key)


MAX_ROW_LABEL_PX = 520


def _one_line(label: str, width: float, size: float) -> str:
    text = label.replace("<br>", " ")
    if charts.text_width(text, size) <= width:
        return text
    while text and charts.text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip(" ,，、·") + "…"


def slide_rows(fig: go.Figure) -> int:
    """Rows of a horizontal chart (funding bars, measures matrix); 0 for a column chart."""
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    if heat:
        return len(heat[0].y)
    if any(tr.type == "bar" and tr.orientation == "h" for tr in fig.data):
        return len(fig.layout.yaxis.tickvals or [])
    return 0


def slide_fonts(fig: go.Figure) -> go.Figure:
    """No type under MIN_SLIDE_FONT px on a slide (applied after charts.present_fonts): row labels, bar values,
    annotations and the footnote, which is re-wrapped to fit a 1280-px wide screen at that size."""
    fig = go.Figure(fig)
    m = MIN_SLIDE_FONT
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if (axis.tickfont.size or 0) < m:
            axis.tickfont.size = m
    for tr in fig.data:
        font = getattr(tr, "textfont", None)
        if font is not None and isinstance(font.size, (int, float)) and font.size < m:
            tr.textfont.size = m
    if (fig.layout.legend.font.size or 0) < m:
        fig.layout.legend.font.size = m
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    if any(tr.type == "bar" for tr in fig.data):
        fig.update_layout(uniformtext=dict(minsize=m, mode="show"))  # Plotly would shrink a value that does not fit
    if heat:
        # One line per row: at MIN_SLIDE_FONT a two-line row label runs into its neighbours. A label too long for
        # one line is cut (with …); the measures page and the deck's table keep it whole.
        heat[0].y = [_one_line(str(y), MAX_ROW_LABEL_PX, m) for y in heat[0].y]
    hbars = [tr for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]
    labels = [str(x) for x in (fig.layout.yaxis.ticktext or (heat[0].y if heat else []) or [])] if heat or hbars else []
    left = int(max(charts.text_width(line, m) for x in labels for line in x.split("<br>")) + 30) if labels else None
    if left and left > (fig.layout.margin.l or 0):
        fig.update_layout(margin=dict(l=left))
    n_lines = 0
    for ann in fig.layout.annotations:
        if (ann.font.size or 0) < m:
            ann.font.size = m
        if ann.name == "footnote":
            if meta.get("footnote"):
                ann.text = "<br>".join(charts._wrap(line, meta.get("lang", "en"), 120) for line in meta["footnote"])
            n_lines = ann.text.count("<br>") + 1
            if left:
                ann.xshift = -(left - 10)
    if n_lines:
        gap = -min([a.yshift or 0 for a in fig.layout.annotations if a.name == "footnote"] or [0])
        fig.update_layout(margin=dict(b=int(gap + 24 + 1.35 * m * n_lines)))
    return fig


def keep_cell_words(page_fig: go.Figure, fig: go.Figure) -> go.Figure:
    """The measures matrix's cells with their words (■ 已实施, □ planned) as on the page: charts.present_fonts leaves
    only ■/□ in a matrix of many rows, and with the footnote under the chart (without_footnote) nothing on the slide
    said what they meant."""
    page = [tr for tr in page_fig.data if tr.type == "heatmap"]
    if not page:
        return fig
    fig = go.Figure(fig)
    # The page's cells may hold the symbols alone (many places on a phone): their words ride in customdata.
    words = page[0].customdata if page[0].customdata is not None else page[0].text
    for tr in fig.data:
        if tr.type == "heatmap":
            tr.text = words
            tr.textfont.size = MIN_SLIDE_FONT  # the smallest type a slide holds (18 px at 1920×1080)
    return fig


def without_footnote(fig: go.Figure) -> tuple[go.Figure, list[str]]:
    """A slide's figure for the presenter's screen, and its footnote lines as plain text.

    At 1280×720 five footnote lines inside the figure left the chart 150 px and cut the source line ("2023-07-0");
    the page shows them under the chart instead (pages/present.py), and the chart keeps the slide's height. The lines
    are the figure's own (meta, as add_footnote escaped them for Plotly), unescaped back to text: the page escapes
    them again for where it shows them."""
    import html

    fig = go.Figure(fig)
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    lines = [html.unescape(str(x)) for x in meta.get("footnote") or [] if x]
    # The footnote stood gap px under the plot, below the axis's labels: the bottom margin keeps that room only.
    gap = -min([a.yshift or 0 for a in fig.layout.annotations if a.name == "footnote"] or [0])
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != "footnote"]
    fig.update_layout(margin=dict(b=int(gap + 12)))
    return fig, lines


# ---- the .pptx ----------------------------------------------------------------------------------------------------


def file_name(slugs: list[str], lang: str, ext: str) -> str:
    """social-orgs_quzhou-leshan_zh.pptx: the places and the language (ASCII only, as the other downloads)."""
    places = "-".join(re.sub(r"[^0-9A-Za-z_]+", "-", str(s)).strip("-").lower() for s in slugs) or "none"
    return f"social-orgs_{places}"[:140] + f"_{lang}.{ext}"


def _rgb(color: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(color.lstrip("#").upper())


def _text_box(slide, x, y, w, h, lines: list[tuple[str, float, bool, str]]):
    """A word-wrapped text box of (text, size in pt, bold, colour) paragraphs (plain text, through office_text)."""
    from pptx.util import Pt
    box = slide.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = True
    for i, (text, size, bold, color) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = office_text(text)
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = _rgb(color)
    return box


def _nice_step(top: float, ticks: int = 5) -> float:
    """A round axis step (1, 2 or 5 × 10^k) giving about `ticks` gridlines up to top."""
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


GREYS = ("#595959", "#A6A6A6", "#D0D0D0")


def _tint(color: str, amount: float) -> str:
    """color mixed with white (amount 0: unchanged, 1: white)."""
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{int(c + (255 - c) * amount):02X}" for c in (r, g, b))


def _add_chart(slide, spec: Slide, x, y, w, h):
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Pt

    # Categories and series names are place names and labels from the tables: XML text (office_text), since
    # python-pptx writes the chart's XML as given and a control character in it makes a file nothing can open.
    chart_data = CategoryChartData(number_format="#,##0.00")
    notes = spec.category_notes or [""] * len(spec.categories)
    chart_data.categories = [office_text(f"{c}\n{n}" if n else c) for c, n in zip(spec.categories, notes)]
    for s in spec.series:
        chart_data.add_series(office_text(s.name), s.values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if spec.horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    chart = slide.shapes.add_chart(kind, x, y, w, h, chart_data).chart
    chart.font.size = Pt(14)
    chart.has_title = False  # the slide's title says it; PowerPoint would otherwise title a one-series chart by its name
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.vary_by_categories = False
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("#DDDDDD")
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = office_text(spec.value_title)
    value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
    top = max([v for s in spec.series for v in s.values if v is not None] or [1.0])
    value_axis.major_unit = step = _nice_step(top)
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0  # 0.5 steps on a 亿元 axis read 0.5, not 1
    value_axis.tick_labels.number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    value_axis.tick_labels.number_format_is_linked = False
    if spec.horizontal:
        chart.category_axis.reverse_order = True  # first row on top, as on the page
        # ...and the value axis stays at the bottom: it crosses the categories at their maximum. python-pptx has no
        # setting for the value axis's own c:crosses, so it is written directly.
        from pptx.oxml.ns import qn
        chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
        chart.category_axis.tick_labels.font.size = Pt(11 if len(spec.categories) > 8 else 12)
    # Every category named: LibreOffice leaves out every other label of a crowded axis unless told to skip none.
    _skip_no_label(chart.category_axis)
    per_place = any(len(set(s.colors)) > 1 for s in spec.series)
    for k, (s, series) in enumerate(zip(spec.series, plot.series)):
        # Data labels on for the whole series (c:dLbls showVal), and each point's own label below (c:dLbl with its
        # text and showVal): a renderer or a restyle that drops one still has the other, and no label is left out.
        series.data_labels.show_value = True
        series.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        series.data_labels.font.size = Pt(14 if not spec.horizontal else 13)
        # Bars take their place's colour; reported and computed bars of one place differ in tint, and the legend's
        # swatches (the series' own fill) are greys, as on the page, since a coloured swatch would name one place.
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(GREYS[min(k, len(GREYS) - 1)] if per_place and len(spec.series) > 1
                                                 else (s.colors[0] if s.colors else "#888888"))
        for i, (value, label, color) in enumerate(zip(s.values, s.labels, s.colors)):
            if value is None:
                continue
            point = series.points[i]
            if per_place or spec.horizontal:
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(_tint(color, 0.45 if s.tinted else 0.0))
            # The label as the dashboard writes it (≥ for a lower bound, ⚑ for a flag), so a restyled chart keeps it.
            point.data_label.text_frame.text = office_text(label)
            point.data_label.text_frame.paragraphs[0].runs[0].font.size = Pt(14 if not spec.horizontal else 13)
            point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END
    return chart


def _skip_no_label(axis) -> None:
    """c:tickLblSkip 1 on a category axis (python-pptx has no setting for it), in its place in the schema's order, and
    its labels' rotation fixed at 0: LibreOffice otherwise staggers or drops every other label of a crowded axis (it
    ignores tickLblSkip while the rotation is automatic)."""
    from pptx.oxml.ns import qn
    from pptx.util import Pt
    from lxml import etree

    if axis.tick_labels.font.size is None:
        axis.tick_labels.font.size = Pt(12)  # which writes the axis's c:txPr
    body = axis._element.find(qn("c:txPr")).find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")
    el = axis._element
    for old in el.findall(qn("c:tickLblSkip")):
        el.remove(old)
    skip = etree.SubElement(el, qn("c:tickLblSkip"))
    skip.set("val", "1")
    el.remove(skip)
    after = [el.find(qn(f"c:{tag}")) for tag in ("lblOffset", "lblAlgn", "auto", "crosses", "crossAx")]
    anchor = next((x for x in after if x is not None), None)
    if anchor is not None:
        anchor.addnext(skip)
    else:
        el.append(skip)


def _add_table(slide, rows: list[list[str]], x, y, w, h):
    from pptx.util import Emu, Pt
    shape = slide.shapes.add_table(len(rows), len(rows[0]), x, y, w, h)
    table = shape.table
    first = int(w * 0.34)
    table.columns[0].width = Emu(first)
    for j in range(1, len(rows[0])):
        table.columns[j].width = Emu(int((w - first) / (len(rows[0]) - 1)))
    size = 12 if len(rows) <= 14 else 10
    for i, row in enumerate(rows):
        table.rows[i].height = Emu(int(h / len(rows)))
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_top = cell.margin_bottom = Emu(12000)
            # Every cell gets a sized run, an empty one too: an empty cell would take the default 18 pt and make
            # its row twice as high.
            para = cell.text_frame.paragraphs[0]
            # A no-break space in an absent cell: an empty cell takes the default 18 pt and doubles its row's height.
            para.add_run().text = office_text(text) or "\u00a0"
            run = para.runs
            if run:
                run[0].font.size = Pt(size)
                run[0].font.bold = i == 0
            if i > 0 and j > 0 and text.strip():
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb("#0072B2" if text.startswith("■") else "#BFD7EA")
                if run:
                    run[0].font.color.rgb = _rgb("#FFFFFF" if text.startswith("■") else "#1A1A1A")
    return table


def build_pptx(tables: dict, slugs: list[str], lang: str) -> bytes:
    """The selection as an editable 16:9 deck: a title slide naming the replies, then one point per slide with a
    native chart (or table), its takeaway, its footnotes, its source line, and the quotes in the speaker notes."""
    from pptx import Presentation
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    W = prs.slide_width
    margin = Inches(0.5)
    inner = W - 2 * margin

    slides = make_slides(tables, slugs, lang)
    listed = replies(tables, slugs, lang)
    cover = prs.slides.add_slide(blank)
    _text_box(cover, margin, Inches(1.4), inner, Inches(1.2), [(t("app_title", lang), 40, True, "#1A1A1A")])
    _text_box(cover, margin, Inches(2.7), inner, Inches(0.6), [(t("deck_replies", lang, n=len(listed)), 20, True, "#444444")])
    _text_box(cover, margin, Inches(3.3), inner, Inches(3.6), [(line, 16 if len(listed) <= 6 else 12, False, "#333333")
                                                               for line in listed])
    cover.notes_slide.notes_text_frame.text = office_text("\n".join(listed))

    for spec in slides:
        s = prs.slides.add_slide(blank)
        # One line: a long title (English funding) in smaller type rather than running into the takeaway.
        title_pt = 28 if charts.text_width(spec.title, 28) < inner / 12700 * 0.95 else 22
        _text_box(s, margin, Inches(0.3), inner, Inches(0.7), [(spec.title, title_pt, True, "#1A1A1A")])
        _text_box(s, margin, Inches(0.95), inner, Inches(0.8), [(takeaway_text(spec.takeaway), 18, False, "#0B3D66")])
        foot = [*spec.footnotes, spec.source]
        foot_h = Inches(0.24) * sum(1 + len(line) // (110 if lang == "zh" else 190) for line in foot)
        # Source lines name every reply (issuer, reference, date): long names must not leave the chart a negative
        # height (python-pptx refuses it and the deck was not made). The chart keeps two inches at least; the
        # footnote shrinks its type to fit what is left (PowerPoint's and LibreOffice's own autofit).
        foot_h = min(foot_h, int(prs.slide_height / 2 - Inches(0.25)))
        body_top, body_bottom = Inches(1.8), prs.slide_height - Inches(0.2) - foot_h
        if spec.table:
            _add_table(s, spec.table, margin, body_top, inner, body_bottom - body_top)
        else:
            _add_chart(s, spec, margin, body_top, inner, body_bottom - body_top)
        footnote = _text_box(s, margin, body_bottom + Inches(0.05), inner, foot_h,
                             [(line, 10.5, False, "#555555") for line in foot])
        footnote.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        notes = [takeaway_text(spec.takeaway), "", t("deck_notes_head", lang), *spec.notes]
        s.notes_slide.notes_text_frame.text = office_text("\n".join(notes))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# ---- PNGs ----------------------------------------------------------------------------------------------------------


def browser_for_png() -> str | None:
    """A Chromium or Chrome that Kaleido can drive (it needs one; nothing is downloaded), or None."""
    found = os.environ.get("BROWSER_PATH")
    if found and Path(found).exists():
        return found
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def can_make_pngs() -> bool:
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return browser_for_png() is not None


def slide_figure(fig: go.Figure, slide: Slide, lang: str) -> go.Figure:
    """A page figure in slide type, with the takeaway (wrapped) under its title, for a 1920×1080 picture."""
    fig = slide_fonts(charts.present_fonts(fig))
    title = fig.layout.title.text or escape_plot(slide.title)  # the figure's own title is Plotly text already
    takeaway = charts._wrap(escape_plot(takeaway_text(slide.takeaway)), lang, 120)
    fig.update_layout(title=dict(text=title, font=dict(size=36), subtitle=dict(text=takeaway, font=dict(size=26,
                                 color="#0B3D66")), x=0, xanchor="left", y=0.98, yanchor="top", pad=dict(l=28)),
                      margin=dict(t=130 + 34 * (takeaway.count("<br>") + 1)), width=SLIDE_PX[0], height=SLIDE_PX[1])
    return fig


def cover_figure(tables: dict, slugs: list[str], lang: str) -> go.Figure:
    listed = replies(tables, slugs, lang)
    fig = go.Figure()
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False), template="plotly_white",
                      font=dict(family=charts.FONT), width=SLIDE_PX[0], height=SLIDE_PX[1], margin=dict(l=80, r=80))
    fig.add_annotation(text=f"<b>{t('app_title', lang)}</b>", x=0, y=0.85, xref="paper", yref="paper", showarrow=False,
                       xanchor="left", font=dict(size=64))
    # Each line names a reply: its place, issuer, reference and title, as the replies and tables give them.
    lines = "<br>".join(charts._wrap(escape_plot(line), lang, 120) for line in listed)
    fig.add_annotation(text=f"<b>{t('deck_replies', lang, n=len(listed))}</b><br><br>" + lines, x=0, y=0.68,
                       xref="paper", yref="paper", showarrow=False, xanchor="left", yanchor="top", align="left",
                       font=dict(size=26, color="#333333"))
    return fig


def build_png_zip(tables: dict, slugs: list[str], lang: str) -> bytes:
    """Every slide as a 1920×1080 PNG in one ZIP: the page's own Plotly figures, drawn by Kaleido in the
    machine's Chromium (one browser for all slides)."""
    import plotly.io as pio

    slides = make_slides(tables, slugs, lang)
    figs = [cover_figure(tables, slugs, lang)]
    figs += [slide_figure(figure_for(s.key, tables, slugs, lang, s), s, lang) for s in slides]
    names = ["00_title.png"] + [f"{i:02d}_{s.key}.png" for i, s in enumerate(slides, 1)]
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / n for n in names]
        pio.write_images(figs, paths, width=SLIDE_PX[0], height=SLIDE_PX[1], scale=1)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, p.name)
    return buf.getvalue()
