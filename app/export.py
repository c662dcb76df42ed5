"""Downloads: CSV (UTF-8 with BOM for Excel), XLSX with a sources sheet, JSON; formula-safe and named by filter."""

from __future__ import annotations

import io
import json
import re

import pandas as pd

# What a spreadsheet may run as a formula at the start of a cell (OWASP CSV injection): = + - @, and tab, carriage
# return and NUL, which some importers drop before looking at the next character. A curation note or label, or any
# text of a reply, can reach a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00")


def escape_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote (CSV injection).

    Column headers too: a table's headers can be place names (the compare download).
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_escape_cell)
    out.columns = [_escape_cell(c) for c in out.columns]
    return out


def _escape_cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def to_csv(df: pd.DataFrame) -> bytes:
    return escape_formulas(df).to_csv(index=False).encode("utf-8-sig")


def to_json(df: pd.DataFrame) -> bytes:
    records = json.loads(escape_formulas(df).to_json(orient="records", force_ascii=False))
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def _xlsx_text(df: pd.DataFrame) -> pd.DataFrame:
    """Control characters (NUL, \\x01…) replaced by U+FFFD: XLSX cannot hold them, and openpyxl raises on them."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def clean(v):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(clean)
    out.columns = [clean(c) for c in out.columns]
    return out


def to_xlsx(df: pd.DataFrame, sources: pd.DataFrame) -> bytes:
    """Data sheet plus a 'sources' sheet: source replies, filters applied and units."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _xlsx_text(escape_formulas(df)).to_excel(writer, sheet_name="data", index=False)
        _xlsx_text(escape_formulas(sources)).to_excel(writer, sheet_name="sources", index=False)
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
