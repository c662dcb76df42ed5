"""Pure pandas preparation of each view's rows, shared by its chart, its table and its download."""

from __future__ import annotations

import pandas as pd

from app import fmt, reasons, review
from app.names import with_english
from app.i18n import column_label, t
from loaders.schema import DENSITY_COLUMNS

CHANNELS = ("lottery_welfare_fund", "government_purchase", "venture_philanthropy", "party_building", "other", "")
INSTRUMENT_TYPES = ("supply", "demand", "environment", "")


def name_col(df: pd.DataFrame, lang: str) -> pd.Series:
    """Display names of df's rows; the slug where a place has no name (missing or empty)."""
    col = f"name_{lang}"
    if col in df.columns:
        names = df[col].astype("string").fillna("").astype(str)
        return names.where(names != "", df["jurisdiction"].astype(str))
    return df["jurisdiction"].astype(str)


def records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """Rows as plain dicts of the given columns: what row loops need, far cheaper than iterrows() or to_dict() on
    text columns (one tolist() per column instead of boxing every cell)."""
    columns = list(df.columns) if columns is None else columns
    values = [df[c].tolist() for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)]


def density_rows(df: pd.DataFrame, *, base: str = "census", indicator: str = "social_orgs_total") -> pd.DataFrame:
    """One row per jurisdiction for a population base; reported_per_10k stays NaN when the reply gives none."""
    if df is None:
        return pd.DataFrame(columns=DENSITY_COLUMNS)
    # An empty selection keeps the table's columns (Xuancheng alone states no count): callers read is_reproducible.
    rows = df[(df["indicator"] == indicator) & (df["base"] == base)]
    return rows.drop_duplicates("jurisdiction").reset_index(drop=True)


def period_years(row) -> int | None:
    """Calendar years a flow covers, counted inclusively up to the end/reply date; None when not knowable."""
    kind = row.get("period_kind", "")
    start = fmt.year_of(row.get("period_start"))
    end = fmt.year_of(row.get("period_end")) or fmt.year_of(row.get("doc_date"))
    if kind == "year":
        return 1
    if kind in ("since", "recent_years", "plan_period") and start and end and end >= start:
        return end - start + 1
    return None


def population_for(population: pd.DataFrame | None, slug: str, base: str, date_text) -> tuple[float | None, str]:
    """Residents of slug: the 2020 census, or the year-end resident count nearest to date_text."""
    if population is None or population.empty:
        return None, ""
    rows = population[population["jurisdiction"] == slug]
    if base == "census":
        rows = rows[rows["kind"] == "census"]
        if rows.empty:
            return None, ""
        return float(rows["population_persons"].iloc[0]), str(rows["date"].iloc[0])
    rows = rows[rows["kind"] == "year_end_resident"]
    if rows.empty:
        return None, ""
    target = pd.Timestamp(str(date_text)[:10]) if fmt.year_of(date_text) else pd.Timestamp("2020-12-31")
    gap = (pd.to_datetime(rows["date"]) - target).abs()
    best = rows.loc[gap.idxmin()]
    return float(best["population_persons"]), str(best["date"])


def _fact_pos(ids: pd.Series) -> pd.Series:
    """Raw-text offset carried in a fact id (c843 -> 843); 0 for an id without one."""
    return pd.to_numeric(ids.astype(str).str.lstrip("c"), errors="coerce").fillna(0).astype(int)


def _attach_projects(facts: pd.DataFrame, funding: pd.DataFrame) -> dict[tuple[str, str], float]:
    """Project counts stated in the same sentence as an amount; each count goes to the nearest amount.

    Keyed by (record_id, fact id): fact ids are offsets, so two replies can share one. One merge on the sentence
    instead of a filter of the funding rows per count, which grew with counts × amounts.
    """
    projects = facts.loc[facts["indicator"] == "projects", ["record_id", "quote_start", "id", "value"]]
    if projects.empty or funding.empty:
        return {}
    p = projects.assign(p_pos=_fact_pos(projects["id"]), p_order=range(len(projects)))
    f = funding[["record_id", "quote_start", "id"]]
    f = f.assign(f_pos=_fact_pos(f["id"]), f_order=range(len(f)))
    pairs = p.merge(f, on=["record_id", "quote_start"], suffixes=("_p", "_f"))
    if pairs.empty:
        return {}
    pairs["dist"] = (pairs["f_pos"] - pairs["p_pos"]).abs()
    # Each count picks its nearest amount (the first of equally near ones); an amount claimed by several counts
    # keeps the nearest (the first of equally near ones), as the row-by-row version did.
    nearest = pairs.sort_values(["p_order", "dist", "f_order"], kind="stable").drop_duplicates("p_order")
    best = nearest.sort_values(["f_order", "dist", "p_order"], kind="stable").drop_duplicates("f_order")
    return {(r, i): float(v) for r, i, v in zip(best["record_id"], best["id_f"], best["value"])}


def _name(row: dict, lang: str) -> str:
    """The place's display name, or its slug when the reply's place has no name (NaN and "" alike)."""
    name = row.get(f"name_{lang}")
    return name if isinstance(name, str) and name else str(row["jurisdiction"])


# What funding_rows reads from a fact (with fmt.period_label, fmt.scope_label and period_years).
_FUNDING_COLUMNS = {"jurisdiction", "record_id", "id", "value", "qualifier", "channel", "label", "period_kind",
                    "period_start", "period_end", "scope_kind", "scope_area", "doc_date", "issuer", "doc_type",
                    "reference", "quote_clean", "number_text", "unit", "status", "value_max", "is_reviewed"}


def funding_rows(
    facts: pd.DataFrame,
    lang: str,
    *,
    mode: str = "stated",
    status: str = "achievement",
    population: pd.DataFrame | None = None,
    base: str = "census",
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Amounts in yuan, one row per fact, with the shown value for mode; also what was left out and why."""
    dropped: dict[str, list[str]] = {"period": [], "scope": [], "population": []}
    cols = ["jurisdiction", "id", "name", "channel", "channel_label", "amount_yuan", "shown", "lower_bound",
            "qualifier", "period", "scope", "projects", "label", "record_id", "years", "population", "is_draft"]
    if facts is None or facts.empty:
        return pd.DataFrame(columns=cols), dropped
    funding = facts[(facts["indicator"] == "funding") & (facts["unit"] == "yuan") & (facts["status"] == status)]
    funding = funding[funding["value"].notna()]
    projects = _attach_projects(facts, funding)
    populations: dict[tuple, tuple[float | None, str]] = {}  # one lookup per place and date, not per amount
    rows = []
    # Plain dicts of the columns used, not iterrows(): the same values at a fraction of the cost of a Series per row.
    used = [c for c in funding.columns if c in _FUNDING_COLUMNS or c == f"name_{lang}"]
    for f in records(funding, used):
        name = _name(f, lang)
        channel = f.get("channel", "") or ""
        period = fmt.period_label(f, lang)
        scope = fmt.scope_label(f, lang)
        ident = f"{name} {t('ch_' + channel, lang)} {fmt.format_value(f['value'], 'yuan', f['qualifier'], lang)}"
        years = period_years(f)
        pop = None
        # In yuan (per year, per resident-year): the chart picks 万元 or 亿元 for its axis (fmt.money_scale).
        shown = float(f["value"])
        if mode in ("per_year", "per_resident"):
            if years is None:
                dropped["period"].append(f"{ident} ({period})")
                continue
            shown = shown / years
        if mode == "per_resident":
            if f.get("scope_kind", "whole") not in ("", "whole"):
                dropped["scope"].append(f"{ident} ({scope})")
                continue
            key = (f["jurisdiction"], f.get("period_end") or f.get("doc_date"))
            if key not in populations:
                populations[key] = population_for(population, key[0], base, key[1])
            pop, _ = populations[key]
            if not pop:
                dropped["population"].append(ident)
                continue
            shown = f["value"] / years / pop
        channel_label = t("ch_" + channel, lang)
        rows.append({
            "jurisdiction": f["jurisdiction"], "id": f["id"], "name": name, "channel": channel,
            "channel_label": channel_label, "amount_yuan": float(f["value"]), "shown": float(shown),
            "lower_bound": f["qualifier"] in ("more_than", "at_least"), "qualifier": f["qualifier"],
            "period": period, "scope": scope, "projects": projects.get((f["record_id"], f["id"])),
            "record_id": f["record_id"], "years": years, "population": pop, "issuer": f.get("issuer", ""),
            "doc_date": f.get("doc_date", ""), "doc_type": f.get("doc_type", ""), "reference": f.get("reference", ""),
            "quote_clean": f.get("quote_clean", ""), "term": f.get("label", "") or "",
            "label": " · ".join(x for x in (name, channel_label, period, scope) if x),
            "value_text": fmt.format_value(f["value"], "yuan", f["qualifier"], lang),
            "number_text": f.get("number_text", "") or "", "bound": fmt.bound_of(f["qualifier"]),
            "evidence": fmt.permalink(f["record_id"], f["id"], lang), "is_draft": review.is_draft(f),
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=cols), dropped
    # Two amounts can share channel and period (Quzhou states several "other" sums): tell them apart by the
    # reply's own word for each (意向, 落地资金), quoted as written; the fact id only as a last resort.
    dup = out["label"].duplicated(keep=False)
    out.loc[dup, "label"] = out.loc[dup, "label"] + " · “" + out.loc[dup, "term"].map(lambda w: fmt.reply_words(w, lang)) + "”"
    dup = out["label"].duplicated(keep=False)
    out.loc[dup, "label"] = out.loc[dup, "label"] + " · " + out.loc[dup, "id"]
    return out, dropped


def bar_budget(rows: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """At most limit of the funding rows, kept in their order, and the rows left out.

    Places take turns: every place's largest amount first (in order of first appearance), then every place's
    second largest, and so on, so a selection of many places shows each place before a second bar of any.
    """
    if len(rows) <= limit:
        return rows, rows.iloc[0:0]
    place_order = {s: i for i, s in enumerate(rows["jurisdiction"].unique().tolist())}
    turn = rows.groupby("jurisdiction", sort=False)["shown"].rank(method="first", ascending=False)
    order = pd.DataFrame({"turn": turn, "place": rows["jurisdiction"].map(place_order), "pos": range(len(rows))},
                         index=rows.index)
    keep = order.sort_values(["turn", "place", "pos"], kind="stable").index[:limit]
    kept = rows.index.isin(keep)
    return rows[kept], rows[~kept]


def headline_facts(facts: pd.DataFrame, indicators) -> dict[tuple[str, str], dict]:
    """(place, indicator) -> the first whole-area achievement: the reply's headline figure for it."""
    rows = facts[facts["indicator"].isin(list(indicators)) & (facts["status"] == "achievement")
                 & facts["scope_kind"].isin(["", "whole"])]
    rows = rows.drop_duplicates(["jurisdiction", "indicator"])
    return {(r["jurisdiction"], r["indicator"]): r for r in records(rows)}


def as_of(fact: dict) -> str:
    """The date a figure stands for: its period end (an as-of date or a year), else its reply's date."""
    return str(fact.get("period_end") or fact.get("as_of") or fact.get("doc_date") or "")


def previous_figures(facts: pd.DataFrame, indicators) -> dict[tuple[str, str], dict]:
    """(place, indicator) -> the headline figure of the place's next older reply that states it, as of an earlier
    date than its newest (headline_facts): what the newest one changed from. facts in reply order (newest first)."""
    rows = facts[facts["indicator"].isin(list(indicators)) & (facts["status"] == "achievement")
                 & facts["scope_kind"].isin(["", "whole"])]
    heads = rows.drop_duplicates(["jurisdiction", "indicator", "record_id"])
    out: dict[tuple[str, str], dict] = {}
    newest: dict[tuple[str, str], dict] = {}
    for row in records(heads):
        key = (row["jurisdiction"], row["indicator"])
        if key not in newest:
            newest[key] = row
        elif key not in out and as_of(row) and as_of(row) < as_of(newest[key]):
            out[key] = row
    return out


def change_since(now: dict, before: dict, lang: str) -> tuple[str, list[str]]:
    """("+339", notes): the change from before to now, and why the two should not be subtracted (a bound against an
    exact figure, another scope or unit); the text is empty when they cannot be."""
    notes = []
    if (now.get("unit") or "") != (before.get("unit") or ""):
        return "", [t("change_unit_differs", lang)]
    s1, s2 = now.get("scope_kind") or "whole", before.get("scope_kind") or "whole"
    if s1 != s2 or (now.get("scope_area") or "") != (before.get("scope_area") or ""):
        notes.append(t("cmp_scope_differs", lang, scope=fmt.scope_label(now, lang) or t("scope_whole", lang),
                       other=fmt.scope_label(before, lang) or t("scope_whole", lang)))
    b1, b2 = fmt.bound_of(now.get("qualifier") or ""), fmt.bound_of(before.get("qualifier") or "")
    if b1 or b2:
        notes.append(t("change_bound", lang))
    if notes:
        return "", notes
    diff = float(now["value"]) - float(before["value"])
    decimals = 0 if float(now["value"]).is_integer() and float(before["value"]).is_integer() else 2
    return ("+" if diff > 0 else "−" if diff < 0 else "±") + fmt.number(abs(diff), decimals), []


def census_density(density: pd.DataFrame) -> dict[tuple[str, str], dict]:
    """(place, indicator) -> the first density row on the 2020 census."""
    rows = density[density["base"] == "census"].drop_duplicates(["jurisdiction", "indicator"])
    return {(r["jurisdiction"], r["indicator"]): r for r in records(rows)}


def measures_matrix(measures: pd.DataFrame | None, codebook: dict | None, lang: str) -> pd.DataFrame:
    """Category rows (ordered by instrument type) × jurisdiction columns: 'done', 'planned' or ''."""
    if measures is None or measures.empty:
        return pd.DataFrame()
    cats = category_info(codebook, lang, measures)
    m = measures.copy()
    m["_rank"] = m["status"].map({"done": 2, "planned": 1}).fillna(0)
    best = m.groupby(["category", "jurisdiction"])["_rank"].max().unstack(fill_value=0)
    order = [c for c in cats if c in best.index] + [c for c in best.index if c not in cats]
    best = best.reindex(order)
    return best.map(lambda v: {2: "done", 1: "planned"}.get(int(v), ""))


def category_info(codebook: dict | None, lang: str, measures: pd.DataFrame | None = None) -> dict[str, dict]:
    """Category code -> {label, instrument_type}, ordered supply, demand, environment; codes as labels without a codebook."""
    info: dict[str, dict] = {}
    for entry in (codebook or {}).get("categories", []) or []:
        if isinstance(entry, dict) and entry.get("id"):
            info[entry["id"]] = {
                "label": entry.get(f"label_{lang}") or entry["id"],
                "instrument_type": entry.get("instrument_type", ""),
            }
    if measures is not None and not measures.empty:
        for _, row in measures.drop_duplicates("category").iterrows():
            info.setdefault(row["category"], {"label": row["category"], "instrument_type": row.get("instrument_type", "")})
    rank = {k: i for i, k in enumerate(INSTRUMENT_TYPES)}
    return dict(sorted(info.items(), key=lambda kv: rank.get(kv[1]["instrument_type"], len(rank))))


def indicator_table(facts: pd.DataFrame, slugs: list[str], labels: dict[str, str], lang: str,
                    parts: dict[tuple[str, str], list[dict]] | None = None) -> pd.DataFrame:
    """Every indicator × the given jurisdictions, each cell the stated values or 'not stated'.

    A total and its parts (breakdowns()) make one entry: the total, then 其中 / of which its parts with their words.
    Where a place states one indicator several times, each value is named by the reply's own words (城市社区 …,
    农村社区 …), so they read as different figures and not as rivals."""
    parts = breakdowns(facts) if parts is None else parts
    inside = part_ids(parts)
    indicators = list(dict.fromkeys(facts["indicator"].tolist())) if facts is not None else []
    cells: dict[tuple[str, str], list[tuple[str, str]]] = {}
    if indicators:
        # One pass over the facts (in table order), instead of one filter per indicator and place.
        for f in records(facts[facts["jurisdiction"].isin(list(slugs))]):
            if (f["record_id"], f["id"]) in inside:
                continue
            text = fmt.format_value(f["value"], f["unit"], f["qualifier"], lang, f.get("value_max"))
            extra = [x for x in (fmt.period_label(f, lang), fmt.scope_label(f, lang)) if x]
            if f["status"] == "target":
                extra.insert(0, t("planned", lang))
            cell = f"{text}（{'，'.join(extra)}）" if lang == "zh" else f"{text} ({', '.join(extra)})"
            cell = review.marked(cell, review.is_draft(f), lang)
            items = parts.get((f["record_id"], f["id"]))
            if items:
                sep = "、" if lang == "zh" else ", "
                shown = sep.join(f"{fmt.reply_words(p['part_label'], lang)} {fmt.format_value(p['value'], p['unit'], 'exact', lang)}"
                                 for p in items)
                cell += f" — {t('cmp_of_which', lang)}{'：' if lang == 'zh' else ': '}{shown}"
            cells.setdefault((f["indicator"], f["jurisdiction"]), []).append((str(f.get("label") or ""), cell))
    rows = []
    for code in indicators:
        row = {t("indicator", lang): labels.get(code, code)}
        for slug in slugs:
            found = cells.get((code, slug))
            if found and len(found) > 1 and len({w for w, _ in found}) > 1:
                found = [(w, f"{w}：{c}" if lang == "zh" else f"“{fmt.reply_words(w, lang)}”: {c}") if w else (w, c)
                         for w, c in found]
            row[slug] = ("；" if lang == "zh" else "; ").join(c for _, c in found) if found else t("not_stated", lang)
        rows.append(row)
    # The columns even without a row (a facts table with a header only), so callers can index by them.
    return pd.DataFrame(rows, columns=[t("indicator", lang), *dict.fromkeys(slugs)])


# Columns holding codes, and how a code becomes words; the shown table gets words, downloads keep codes.
_CODE_PREFIX = {
    "level": "level_", "jurisdiction_level": "level_", "channel": "ch_", "status": "status_", "period_kind": "pk_",
    "scope_kind": "sk_", "source": "src_", "qualifier": "qualifier_", "count_qualifier": "qualifier_",
    "base": "base_", "doc_type": "doctype_", "document_type": "doctype_", "instrument_type": "it_",
}


NOT_APPLICABLE = ("value_max", "years", "population")
# Columns of counts, people and yuan a table shows as its reader writes them (97,800; 9.78万 in Chinese: every digit
# kept); downloads keep the numbers themselves.
READABLE_NUMBERS = ("value", "value_max", "count", "population_persons", "population", "amount_yuan", "projects")
# Document fields a reply may or may not state; read as "" (app.data reads every text cell so), shown as "not stated" like on the
# sources page, rather than as a blank cell.
STATED_BY_THE_REPLY = (
    "document_addressee", "document_proposal_title", "document_proposal_number", "document_reference_number",
    "document_session", "document_date_written", "document_date_published", "document_index_number",
)


def readable(df: pd.DataFrame, lang: str, *, names: dict[str, str] | None = None,
             indicator_labels: dict[str, str] | None = None, categories: dict[str, dict] | None = None,
             drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of df for display: codes turned into words, column headers translated."""
    out = df.drop(columns=[c for c in drop if c in df.columns]).copy()
    for col in out.columns:
        if col == "jurisdiction" and names:
            out[col] = out[col].map(lambda v: names.get(v, v))
        elif col == "indicator" and indicator_labels is not None:
            out[col] = out[col].map(lambda v: indicator_labels.get(v, v))
        elif col == "category" and categories is not None:
            out[col] = out[col].map(lambda v: categories.get(v, {}).get("label", v))
        elif col == "unit":
            # Tables hold amounts in yuan (the charts convert to 万元), so the unit shown is 元, not the chart's 万元.
            out[col] = out[col].map(lambda v: ("元" if lang == "zh" else "yuan") if v == "yuan"
                                    else t("u_" + str(v), lang).strip() or (str(v) if lang == "zh" else "count"))
        elif col in READABLE_NUMBERS and pd.api.types.is_numeric_dtype(out[col]):
            ns = "—" if col in NOT_APPLICABLE else t("not_stated", lang)
            out[col] = out[col].map(lambda v, ns=ns: ns if pd.isna(v) else fmt.table_number(v, lang))
        elif col == "flag_note":  # the loader's English sentence, in the reader's language (360.4万: 3.604 million)
            out[col] = out[col].map(lambda v: "" if fmt.is_missing(v) else reasons.describe_reason(str(v), lang))
        elif col in ("issuer", "document_issuer") and lang == "en":  # 'Leshan Civil Affairs Bureau (乐山市民政局)'
            out[col] = out[col].map(lambda v: v if fmt.is_missing(v) else with_english(v, lang))
        elif col == "population_source":
            out[col] = out[col].map(lambda v: fmt.note_text(v, lang))
        elif col == "is_reproducible":
            out[col] = out[col].map({"True": t("yes", lang), "False": t("no", lang)}).fillna("")
        elif col in ("is_reviewed", "reported_is_reviewed"):
            out[col] = out[col].map(lambda v: review.review_words(v, lang))  # 已审核 / ◌ 未审核
        elif col == "reviewed_by":  # a measure's reply: who reviewed it, or the draft mark
            out[col] = out[col].map(lambda v: v if not fmt.is_missing(v) else review.draft_label(lang))
        elif col == "confidence":
            out[col] = out[col].map(lambda v: t(f"confidence_{'' if fmt.is_missing(v) else v}", lang))
        elif col in STATED_BY_THE_REPLY:
            out[col] = out[col].map(lambda v: t("not_stated", lang) if fmt.is_missing(v) else v)
        elif col in _CODE_PREFIX:
            prefix = _CODE_PREFIX[col]
            out[col] = out[col].map(lambda v, p=prefix: "" if fmt.is_missing(v) else _word(p + str(v), lang, v))
        if out[col].dtype == object and out[col].map(lambda v: v is None).any():
            out[col] = out[col].map(lambda v: "" if v is None else v)
        if pd.api.types.is_float_dtype(out[col]) and out[col].isna().any():
            # A blank or "None" cell reads as nothing or as an error; say "not stated" like everywhere else,
            # except where a gap means "does not apply" (no upper value outside a range, no year count).
            ns = "—" if col in NOT_APPLICABLE else t("not_stated", lang)
            out[col] = out[col].map(lambda v: ns if pd.isna(v) else fmt.number(float(v)))
    return out.rename(columns={c: column_label(c, lang) for c in out.columns})


REVIEW_COLUMNS = ("is_reviewed", "reported_is_reviewed", "reviewed_by", "reviewed_on")


def review_up_front(df: pd.DataFrame) -> pd.DataFrame:
    """df with its review columns just after its key (fact id, count fact id or reply id), where a reader sees
    them without scrolling to the table's right end."""
    return _columns_after(df, REVIEW_COLUMNS, ("id", "fact_id", "record_id"))


FLAG_COLUMNS = ("is_reproducible", "flag_note")


def flag_up_front(df: pd.DataFrame) -> pd.DataFrame:
    """df (the density table) with its flag columns (is_reproducible, flag_note) just after the place and indicator,
    where a reader sees Leshan's flag without scrolling to the table's right end."""
    return _columns_after(df, FLAG_COLUMNS, ("indicator", "jurisdiction", "record_id"))


def _columns_after(df: pd.DataFrame, columns, keys) -> pd.DataFrame:
    """df with `columns` (those it has) moved just after the first of `keys` it has; as it is without either."""
    moved = [c for c in columns if c in df.columns]
    key = next((c for c in keys if c in df.columns), None)
    if not moved or key is None:
        return df
    rest = [c for c in df.columns if c not in moved]
    at = rest.index(key) + 1
    return df[rest[:at] + moved + rest[at:]]


def _word(key: str, lang: str, code) -> str:
    text = t(key, lang)
    return code if text == key else text


# ---- compare: totals with their parts, comparability, the headline rows (issue 12 §4) -----------------------------

PART_MARKERS = ("其中", "(", "（")
_LABEL_STOPS = set("、，,；;：:。")


def _fact_offset(fact: dict) -> int | None:
    text = str(fact.get("id", ""))
    return int(text[1:]) if text[:1] == "c" and text[1:].isdigit() else None


def part_label(quote: str, pos: int) -> str:
    """The words just before a part's number in its sentence, back to the previous separator, brackets kept whole:
    '登记在册', '乡镇(街道)备案', '市本级' (其中 dropped)."""
    depth, i = 0, pos - 1
    while i >= 0:
        ch = quote[i]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _LABEL_STOPS:
            break
        i -= 1
    words = quote[i + 1:pos].strip()
    return words[2:] if words.startswith("其中") else words


def breakdowns(facts: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """(record_id, total fact id) -> its parts: facts of the same indicator and sentence that come after the
    largest one, behind 其中 or an opening bracket, and do not add up to more than it (5,611 个社区社会组织（其中：登记
    在册89个、乡镇(街道)备案52个、纳入村和社区指导管理5470个）). Each part carries its label from the sentence."""
    out: dict[tuple[str, str], list[dict]] = {}
    if facts is None or facts.empty:
        return out
    cols = [c for c in ("record_id", "id", "indicator", "quote_start", "quote", "value", "unit", "status") if c in facts.columns]
    for _, group in facts[cols].groupby(["record_id", "indicator", "quote_start"], sort=False):
        if len(group) < 2:
            continue
        rows = records(group)
        total = max(rows, key=lambda r: (float(r["value"]), -(_fact_offset(r) or 0)))
        t0, q0 = _fact_offset(total), int(total["quote_start"])
        quote = str(total["quote"])
        if t0 is None:
            continue
        parts = []
        for r in rows:
            pos = _fact_offset(r)
            if r is total or pos is None or pos <= t0 or r["unit"] != total["unit"]:
                continue
            between = quote[t0 - q0:pos - q0]
            if any(m in between for m in PART_MARKERS):
                parts.append({**r, "part_label": part_label(quote, pos - q0)})
        if parts and sum(float(p["value"]) for p in parts) <= float(total["value"]) * 1.0001 + 1e-9:
            out[(total["record_id"], total["id"])] = parts
    return out


def part_ids(parts: dict[tuple[str, str], list[dict]]) -> set[tuple[str, str]]:
    return {(p["record_id"], p["id"]) for items in parts.values() for p in items}


def fact_year(fact: dict) -> int | None:
    """The year a figure stands for: its as-of or period end, else the reply's date."""
    return fmt.year_of(fact.get("period_end")) or fmt.year_of(fact.get("as_of")) or fmt.year_of(fact.get("doc_date"))


def comparability(one: dict | None, other: dict | None, lang: str) -> list[str]:
    """Why one figure should not be read against the other: years more than one apart, different scopes (省本级
    against a whole city), a bound against an exact figure. Said in the cell of `one`."""
    if one is None or other is None:
        return []
    notes = []
    y1, y2 = fact_year(one), fact_year(other)
    if y1 and y2 and abs(y1 - y2) > 1:
        notes.append(t("cmp_years_differ", lang, a=y1, b=y2))
    s1, s2 = one.get("scope_kind") or "whole", other.get("scope_kind") or "whole"
    if s1 != s2:
        notes.append(t("cmp_scope_differs", lang, scope=fmt.scope_label(one, lang) or t("scope_whole", lang),
                       other=fmt.scope_label(other, lang) or t("scope_whole", lang)))
    b1, b2 = fmt.bound_of(one.get("qualifier") or ""), fmt.bound_of(other.get("qualifier") or "")
    if bool(b1) != bool(b2):
        notes.append(t("cmp_bound_vs_exact", lang) if b1 else t("cmp_exact_vs_bound", lang))
    return notes


def meaningful_terms(terms: pd.DataFrame, excluded: set[str]) -> pd.DataFrame:
    """Distinctive terms without place names, bureau names and pronouns (衢州市, 我省, 民政厅): what is left says
    what a reply talks about. A term is dropped when it is excluded or contains an excluded name of two or more
    characters (赣县 in 赣县区)."""
    if terms is None or terms.empty or "term" not in terms.columns:
        return terms
    long_names = [n for n in excluded if len(n) >= 2]

    def keep(term: str) -> bool:
        term = str(term)
        return term not in excluded and not any(n in term for n in long_names) and len(term) >= 2

    return terms[terms["term"].map(keep)]


def excluded_terms(reference_dir) -> set[str]:
    """Place names (every gazetteer name and alias, with and without 省/市/县/区, and the curated sub-areas), stop
    words and data/reference/term_exclusions.txt: the words that make distinctive terms say nothing."""
    import csv
    import re
    from pathlib import Path

    import yaml

    base = Path(reference_dir)
    names: set[str] = set()

    def add(name: str) -> None:
        name = str(name or "").strip()
        if name:
            names.add(name)
            short = re.sub(r"(省|自治区|市|自治州|州|盟|地区|县|区|旗)$", "", name)
            if len(short) >= 2:
                names.add(short)

    gazetteer = base / "gazetteer_cn.csv"
    if gazetteer.exists():
        with gazetteer.open(encoding="utf-8") as fh:
            for row in csv.DictReader(line for line in fh if not line.startswith("#")):
                add(row.get("name_zh"))
                add(row.get("province_zh"))
                for alias in str(row.get("aliases") or "").split("|"):
                    add(alias)
    curated = base / "jurisdictions.yaml"
    if curated.exists():
        for j in (yaml.safe_load(curated.read_text(encoding="utf-8")) or {}).get("jurisdictions", []) or []:
            add(j.get("name_zh"))
            for area in j.get("sub_areas", []) or []:
                add(area)
    for name in ("stopwords.txt", "term_exclusions.txt"):
        path = base / name
        if path.exists():
            names |= {w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")}
    return names


def density_flags(density: pd.DataFrame | None, record_id: str, lang: str) -> dict[str, str]:
    """Fact id -> why no published population reproduces it (flag_note_text, in the reader's language), for the
    reported densities of one reply that the density table flags (is_reproducible False): Leshan's 5.08."""
    if density is None or density.empty or "is_reproducible" not in density.columns:
        return {}
    bad = density[(density["record_id"] == record_id) & (density["is_reproducible"].astype(str) == "False")]
    out: dict[str, str] = {}
    for row in records(bad):
        fact = row.get("reported_fact_id")
        if not fmt.is_missing(fact) and str(fact) not in out:
            out[str(fact)] = flag_note_text(row, lang)
    return out


def flag_note_text(row, lang: str) -> str:
    """Why a reported density cannot be reproduced (the density row's flag_note), in the reader's language:
    '1,831 ÷ 5.08 × 10000 意味着常住人口 360.4万…' in Chinese, '… implies 3.604 million residents …' in English, never
    the loader's mix of English and 万. A note of another form: app.charts.flag_text's, from the row's numbers."""
    note = "" if fmt.is_missing(row.get("flag_note")) else str(row.get("flag_note"))
    described = reasons.describe_reason(note, lang)
    if note and described != note:
        return described
    from app.charts import flag_text

    return flag_text(row, lang)


# ---- compare: the pair a reader sees first ------------------------------------------------------------------------

HEADLINE_INDICATORS = ("social_orgs_total", "social_orgs_per_10k", "community_social_orgs")


def most_comparable_pair(facts: pd.DataFrame, levels: dict[str, str], slugs: list[str],
                         indicators=HEADLINE_INDICATORS, *, limit: int = 60) -> tuple[str, str] | None:
    """The two places of slugs (the first `limit` of them) that compare best: the most headline indicators both
    state (headline_facts), then the same level (two cities rather than a city and a province), then the figures'
    years closest (the mean gap over the shared indicators), then the order of slugs. In slugs' order; None with
    fewer than two places."""
    slugs = list(dict.fromkeys(slugs))[:limit]
    if len(slugs) < 2:
        return None
    if len(slugs) == 2:
        return slugs[0], slugs[1]
    stated: dict[str, dict[str, int | None]] = {s: {} for s in slugs}
    if facts is not None and not facts.empty:
        head = headline_facts(facts[facts["jurisdiction"].isin(slugs)], indicators)
        for (slug, indicator), fact in head.items():
            stated[slug][indicator] = fact_year(fact)
    best, best_key = None, None
    for i, a in enumerate(slugs):
        for j in range(i + 1, len(slugs)):
            b = slugs[j]
            shared = [k for k in stated[a] if k in stated[b]]
            gaps = [abs(stated[a][k] - stated[b][k]) for k in shared if stated[a][k] and stated[b][k]]
            gap = sum(gaps) / len(gaps) if gaps else float("inf")
            same_level = bool(levels.get(a)) and levels.get(a) == levels.get(b)
            key = (-len(shared), not same_level, gap, i, j)
            if best_key is None or key < best_key:
                best, best_key = (a, b), key
    return best
