"""Downloads: CSV (UTF-8 with BOM for Excel), XLSX with a sources sheet, JSON; formula-safe and named by filter."""

from __future__ import annotations

import io
import json
import re

import pandas as pd

from app.review import is_draft, review_words
from app.safe import office_text

# What a spreadsheet may run as a formula at the start of a cell (OWASP CSV injection): = + - @, and tab, carriage
# return and NUL, which some importers drop before looking at the next character. A curation note or label, or any
# text of a reply, can reach a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


def escape_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote (CSV injection).

    Column headers too: a table's headers can be place names (the compare download).
    """
    return _map_text_cells(df, _escape_cell)


def _map_text_cells(df: pd.DataFrame, fn) -> pd.DataFrame:
    """A copy with fn applied to every text cell and every column header (numbers and dates stay as they are)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(fn)
    out.columns = [fn(c) for c in out.columns]
    return out


def _escape_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_csv(df: pd.DataFrame) -> bytes:
    return escape_formulas(df).to_csv(index=False).encode("utf-8-sig")


def to_json(df: pd.DataFrame) -> bytes:
    records = json.loads(escape_formulas(df).to_json(orient="records", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def _write_sheet(writer: pd.ExcelWriter, df: pd.DataFrame, name: str, *, dates: bool = False) -> None:
    """One sheet of an XLSX download; every sheet of every XLSX file is written here. Formulas are escaped, then
    every text cell and header goes through safe.office_text: XLSX is XML 1.0, which cannot hold a form feed or most
    other control characters (openpyxl raised on them, and the download failed with nothing on the page), so each is
    shown as its Control Picture (\\f as ␌). dates: ISO-date columns become dates (sorted and filtered as dates)."""
    out = escape_formulas(df)
    if dates:
        out = _dates_as_dates(out)
    out = _map_text_cells(out, lambda v: office_text(v) if isinstance(v, str) else v)
    out.to_excel(writer, sheet_name=name, index=False)


def to_xlsx(df: pd.DataFrame, sources: pd.DataFrame) -> bytes:
    """Data sheet plus a 'sources' sheet: source replies, filters applied and units."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _write_sheet(writer, df, "data")
        _write_sheet(writer, sources, "sources")
    return buf.getvalue()


def to_xlsx_with_sources(df: pd.DataFrame, documents: pd.DataFrame | None, filters: dict[str, list[str]]) -> bytes:
    """to_xlsx with its sources sheet, in one call, so a download can make both only when it is clicked."""
    return to_xlsx(df, sources_sheet(df, documents, filters))


def sources_sheet(df: pd.DataFrame, documents: pd.DataFrame | None, filters: dict[str, list[str]]) -> pd.DataFrame:
    """Rows of (section, key, value): the replies behind df, the filters applied, the units present."""
    rows = []
    ids = list(dict.fromkeys(df["record_id"])) if "record_id" in df.columns else []
    docs = documents.set_index("record_id") if documents is not None else pd.DataFrame()
    for rid in ids:
        if rid in docs.index:
            d = docs.loc[rid]
            text = " | ".join(str(d.get(c, "")) for c in ("document_issuer", "title", "document_reference_number", "doc_date", "sha256") if str(d.get(c, "")) not in ("", "nan"))
        else:
            text = ""
        rows.append({"section": "source reply", "key": rid, "value": text})
    for key, values in filters.items():
        rows.append({"section": "filter", "key": key, "value": ", ".join(map(str, values)) if values else "(all)"})
    if "unit" in df.columns:
        for unit in sorted(set(df["unit"].dropna().astype(str))):
            note = "amounts in yuan (元); the dashboard shows 万元 = 10,000 yuan" if unit == "yuan" else ""
            rows.append({"section": "unit", "key": unit, "value": note})
    return pd.DataFrame(rows, columns=["section", "key", "value"])


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]+", "-", str(text)).strip("-").lower()


def file_name(table: str, slugs: list[str], parts: list[str], ext: str, full: bool = False) -> str:
    """facts_quzhou-leshan_funding.csv: the table, the places and the other filters, so files say what they hold."""
    if full:
        return f"{table}_all.{ext}"
    pieces = [table, "-".join(_slug(s) for s in slugs) or "none"]
    pieces += [p for p in (_slug(x) for x in parts) if p]
    return "_".join(pieces)[:150] + f".{ext}"


# ---- tidy downloads: one row per fact, numbers as numbers, described columns (issue 12 §5) ------------------------

# The columns of every tidy fact download, in order. Numbers stay numbers (value in the base unit named by unit);
# each row names its sentence (quote), its reply (record_id) and the raw file's checksum, so it can be traced alone.
TIDY_COLUMNS = [
    "record_id", "fact_id", "jurisdiction", "jurisdiction_name_zh", "jurisdiction_name_en", "indicator",
    "indicator_label_en", "value", "value_max", "unit", "qualifier", "number_text", "status", "period_kind",
    "period_start", "period_end", "period_text", "scope_kind", "scope_area", "channel", "label", "quote",
    "quote_clean", "quote_start", "quote_end", "source", "note", "review", "is_reviewed", "confidence",
    "reviewed_by", "reviewed_on", "document_issuer", "document_date", "source_file", "raw_sha256", "evidence_url",
]

# Descriptions of the columns the schema does not declare (the others come from loaders.schema, see describe()).
EXTRA_DESCRIPTIONS = {
    "record_id": "Reply the row comes from: data/records/<record_id>.yaml",
    "fact_id": "Stable key of the fact: 'c' + character offset of the number in the raw text",
    "jurisdiction": "English slug of the place the reply speaks for, e.g. quzhou",
    "jurisdiction_zh": "Chinese name of the place",
    "jurisdiction_name_zh": "Chinese name of the place, e.g. 衢州市",
    "jurisdiction_name_en": "English name of the place, e.g. Quzhou",
    "level": "Administrative level of the place: province, prefecture, county",
    "indicator_label_en": "English label of the indicator (data/reference/indicators.yaml)",
    "unit": "Unit of value and value_max: yuan (元, 万 and 亿 expanded), count, person, per_10k (per 10,000 residents), ...",
    "qualifier": "How the reply bounds the number: exact, more_than (余/多/超过/以上, a lower bound), at_least, "
                 "nearly (近, an upper bound), at_most, approx (约), range",
    "status": "achievement (done) or target (planned)",
    "period_kind": "as_of, since, recent_years, year, plan_period, unspecified",
    "scope_kind": "whole (the whole place), level_only (市本级/省本级: the bureau's own budget), sub_area (one district)",
    "channel": "Funding channel: lottery_welfare_fund, government_purchase, venture_philanthropy, party_building, other",
    "quote_start": "Character offset in the raw text where the sentence starts",
    "quote_end": "Character offset in the raw text where the sentence ends",
    "source": "extracted (by the loader), corrected or added (by a curator)",
    "note": "Curator's note",
    "document_issuer": "Issuing bureau of the reply, e.g. 衢州市民政局",
    "document_date": "Date the reply was written (or published, where no writing date is stated)",
    "source_file": "Path of the raw reply in the project, e.g. data/raw/quzhou-2023.txt",
    "raw_sha256": "SHA-256 of the raw reply file, to check it is the file the figures come from",
    "sha256": "SHA-256 of the raw reply file",
    "evidence_url": "Path on the dashboard that opens the reply at this fact's sentence",
    "value_charted": "The value drawn in the chart, in value_charted_unit",
    "value_charted_unit": "Unit of value_charted: yuan, yuan_per_year or yuan_per_resident_year",
    "years": "Calendar years the amount covers (for per-year figures)",
    "population": "Residents the per-resident figure divides by",
    "projects": "Number of projects stated in the same sentence",
    "computed_per_10k": "Organisations per 10,000 residents computed from the count and the population",
    "reported_per_10k": "Organisations per 10,000 residents as the reply states it",
    "is_reproducible": "Whether a published population reproduces the reported density (empty: nothing to check)",
    "review": "Whether a person vouched for the figure, in words: reviewed, or '◌ unreviewed' (a draft the loader made "
              "and nobody has checked yet; the dashboard marks it the same way)",
    "reported_is_reviewed": "Whether a person vouched for the reported density's fact (False: a draft)",
    "reviewed_by": "Who reviewed the reply ('' : nobody has yet, so its numbers are drafts)",
    "reviewed_on": "When the reply was reviewed (ISO date)",
}
NUMBER_COLUMNS = {"value", "value_max", "value_charted", "years", "population", "projects", "count",
                  "reported_per_10k", "computed_per_10k", "population_persons", "social_orgs", "social_orgs_per_10k"}
INTEGER_COLUMNS = {"quote_start", "quote_end", "fact_count", "measure_count", "year"}
BOOLEAN_COLUMNS = {"is_reproducible", "is_derived", "is_reviewed", "reported_is_reviewed"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def tidy_facts(facts: pd.DataFrame, documents: pd.DataFrame | None, *, indicators: dict | None = None,
               extra: pd.DataFrame | None = None, lang: str = "zh") -> pd.DataFrame:
    """One row per fact with TIDY_COLUMNS (and extra's columns, joined on record_id + fact_id)."""
    from app.fmt import permalink

    f = facts.rename(columns={"id": "fact_id"}).copy()
    docs = documents if documents is not None else pd.DataFrame(columns=["record_id"])
    info = pd.DataFrame({"record_id": docs["record_id"]})
    for out, col in (("jurisdiction_name_zh", "jurisdiction_name_zh"), ("jurisdiction_name_en", "jurisdiction_name_en"),
                     ("document_issuer", "document_issuer"), ("source_file", "source_file"), ("raw_sha256", "sha256"),
                     ("reviewed_by", "reviewed_by"), ("reviewed_on", "reviewed_on")):
        info[out] = docs[col] if col in docs.columns else ""
    written = docs["document_date_written"] if "document_date_written" in docs.columns else pd.Series("", index=docs.index)
    published = docs["document_date_published"] if "document_date_published" in docs.columns else written
    info["document_date"] = written.astype(str).where(written.astype(str).str.len() > 0, published.astype(str))
    f = f.drop(columns=[c for c in info.columns if c != "record_id" and c in f.columns]).merge(info, on="record_id", how="left")
    f["indicator_label_en"] = f["indicator"].map(lambda c: ((indicators or {}).get(c) or {}).get("label_en", c))
    f["evidence_url"] = [permalink(r, i, lang) for r, i in zip(f["record_id"], f["fact_id"])]
    if "is_reviewed" in f.columns:  # the words a person reads beside the code (app/review.py: the dashboard's mark)
        f["review"] = f["is_reviewed"].map(lambda v: review_words(v, lang))
    for col in TIDY_COLUMNS:
        if col not in f.columns:
            f[col] = ""
    out = f[TIDY_COLUMNS]
    if extra is not None and not extra.empty:
        extra = extra.rename(columns={"id": "fact_id"})
        out = out.merge(extra, on=["record_id", "fact_id"], how="inner")
    for col in out.columns:
        if col in NUMBER_COLUMNS:
            out[col] = pd.to_numeric(out[col], errors="coerce")
    return out.reset_index(drop=True)


def with_review(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """df with a `review` column in words (reviewed / ◌ unreviewed, as the dashboard marks a draft): from is_reviewed
    (and reported_is_reviewed: a density row is a draft when either of its figures is), or, for a table of replies or
    measures, from whether anybody has reviewed the reply (reviewed_by). df as it is when it carries neither."""
    if "review" in df.columns:
        return df
    if "is_reviewed" in df.columns:
        reviewed = df["is_reviewed"].map(lambda v: not is_draft({"is_reviewed": v}))
        if "reported_is_reviewed" in df.columns:
            reviewed &= df["reported_is_reviewed"].map(lambda v: not is_draft({"is_reviewed": v}))
    elif "reviewed_by" in df.columns:
        reviewed = df["reviewed_by"].astype("string").fillna("").str.strip() != ""
    else:
        return df
    return df.assign(review=[review_words(bool(v), lang) for v in reviewed])


def funding_extra(rows: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The charted value of each funding row and its unit, to join onto tidy_facts."""
    unit = {"stated": "yuan", "per_year": "yuan_per_year", "per_resident": "yuan_per_resident_year"}[mode]
    cols = [c for c in ("record_id", "id", "shown", "years", "population", "projects") if c in rows.columns]
    out = rows[cols].rename(columns={"shown": "value_charted"})
    out.insert(out.columns.get_loc("value_charted") + 1, "value_charted_unit", unit)
    return out


def with_raw_checksum(df: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """df with the raw file's checksum (raw_sha256) where it has a record_id and does not carry one already."""
    if documents is None or "record_id" not in df.columns or "sha256" in df.columns or "raw_sha256" in df.columns:
        return df
    return df.merge(documents[["record_id", "sha256"]].rename(columns={"sha256": "raw_sha256"}), on="record_id", how="left")


def describe(column: str) -> str:
    """The column's description: the schema's (loaders.schema Field descriptions) or EXTRA_DESCRIPTIONS."""
    from loaders import schema

    if column in EXTRA_DESCRIPTIONS:
        return EXTRA_DESCRIPTIONS[column]
    for model in (schema.Fact, schema.DensityRow, schema.PopulationRow, schema.Measure, schema.Document, schema.Origin):
        field = model.model_fields.get(column) or model.model_fields.get(column.removeprefix("document_"))
        if field is not None and field.description:
            return field.description
    return ""


def field_type(column: str, series: pd.Series) -> str:
    """Frictionless Table Schema type of a column."""
    if column in BOOLEAN_COLUMNS:
        return "boolean"
    if column in INTEGER_COLUMNS or pd.api.types.is_integer_dtype(series):
        return "integer"
    if column in NUMBER_COLUMNS or pd.api.types.is_float_dtype(series):
        return "number"
    text = series.dropna().astype(str)
    text = text[text != ""]
    if len(text) and text.str.match(ISO_DATE).all():
        return "date"
    return "string"


def columns_sheet(df: pd.DataFrame) -> pd.DataFrame:
    """One row per column of df: name, type, description."""
    return pd.DataFrame([{"column": c, "type": field_type(c, df[c]), "description": describe(c)} for c in df.columns],
                        columns=["column", "type", "description"])


def _dates_as_dates(df: pd.DataFrame) -> pd.DataFrame:
    """Columns whose every value is an ISO date become dates, so a spreadsheet sorts and filters them as dates."""
    out = df.copy()
    for col in out.columns:
        if field_type(col, out[col]) == "date":
            out[col] = pd.to_datetime(out[col].replace("", None), errors="coerce").dt.date
    return out


def to_xlsx_described(df: pd.DataFrame, documents: pd.DataFrame | None, filters: dict[str, list[str]]) -> bytes:
    """XLSX with sheets data (dates as dates), sources (replies, filters, units) and columns (every column described)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _write_sheet(writer, df, "data", dates=True)
        _write_sheet(writer, sources_sheet(df, documents, filters), "sources")
        _write_sheet(writer, columns_sheet(df), "columns")
    return buf.getvalue()


def tidy_csv(df: pd.DataFrame) -> bytes:
    """to_csv of a tidy frame (kept as its own name so pages say what they download)."""
    return to_csv(df)


def _resource(name: str, df: pd.DataFrame) -> dict:
    fields = []
    for col in df.columns:
        field = {"name": col, "type": field_type(col, df[col])}
        if describe(col):
            field["description"] = describe(col)
        if field["type"] == "boolean":
            field["trueValues"], field["falseValues"] = ["True", "true"], ["False", "false"]
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if "record_id" in df.columns and ("fact_id" in df.columns or "id" in df.columns):
        key = ["record_id", "fact_id" if "fact_id" in df.columns else "id"]
        if not df.duplicated(key).any():
            schema["primaryKey"] = key
    return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig", "schema": schema}


def datapackage(tables: dict[str, pd.DataFrame], *, title: str, description: str) -> dict:
    """A Frictionless Data Package descriptor (datapackage.json) of the given CSV tables."""
    return {
        "profile": "tabular-data-package", "name": "social-organisations-replies", "title": title,
        "description": description, "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": [_resource(name, df) for name, df in tables.items()],
    }


README_TEXT = """Social organisations: replies compared — full data
===================================================

Each CSV is described in datapackage.json (a Frictionless Data Package: column types and descriptions).

facts.csv    one row per number a reply states: value in the base unit named by `unit` (yuan with 万 and 亿
             expanded), its qualifier (more_than = a lower bound, nearly = an upper bound), period, scope, the
             sentence it comes from (`quote`, an exact substring of the raw reply), the reply (`record_id`) and the
             raw file's SHA-256 (`raw_sha256`); `evidence_url` opens the sentence on the dashboard.
density.csv  organisations per 10,000 residents: reported by the reply and computed on a population base.
documents.csv, measures.csv, population.csv, national.csv: the replies, their coded policy measures, and the
             population and national figures used (each with its source).

Missing is not zero: an empty cell means the reply does not state it.
"""


def to_zip(tables: dict[str, pd.DataFrame], *, title: str, description: str) -> bytes:
    """The full data as one ZIP: every table as CSV, datapackage.json and a README."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, df in tables.items():
            zf.writestr(f"{name}.csv", to_csv(df))
        descriptor = datapackage(tables, title=title, description=description)
        zf.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=1))
        zf.writestr("README.txt", README_TEXT)
    return buf.getvalue()
