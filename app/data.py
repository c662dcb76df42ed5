"""The one cached loader of the curated tables, and filters applied outside the cache."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st
import yaml

ROOT = Path(__file__).resolve().parent.parent
REBUILD_COMMAND = "python -m loaders build"

# Tables without which no page can say anything; the others degrade to a message on their page.
REQUIRED = {
    "documents": "tables/documents.csv",
    "facts": "tables/facts.csv",
    "density": "tables/density.csv",
}
OPTIONAL = {
    "measures": "tables/measures.csv",
    "national": "tables/national.csv",
    "population": "tables/population.csv",
    "distinctive_terms": "tables/distinctive_terms.csv",
}
INDICATORS = "reference/indicators.yaml"
CODEBOOK = "reference/measure_codebook.yaml"

# Text columns whose missing values mean "none" rather than unknown; "" keeps comparisons simple. Names and
# document fields belong here too: an empty cell is read back as NaN, and NaN is truthy, so `name or slug` kept
# the NaN and crashed a string join (funding) and a selectbox label (sources) further on.
TEXT_COLUMNS = (
    "channel", "scope_area", "scope_kind", "period_text", "period_end", "note", "qualifier", "status",
    "period_kind", "number_text", "quote_clean", "quote", "flag_note", "count_qualifier", "category",
    "instrument_type", "matched", "label",
    "jurisdiction_zh", "jurisdiction_name_zh", "jurisdiction_name_en", "jurisdiction_level",
    "jurisdiction_province_zh", "jurisdiction_province_en", "level", "title", "source_file", "collected_from",
    "document_type", "document_issuer", "document_addressee", "document_proposal_title", "document_proposal_number",
    "document_reference_number", "document_session", "document_date_written", "document_date_published",
    "document_index_number",
)


def data_dir() -> Path:
    """Where the data lives; DASHBOARD_DATA_DIR lets tests point at a copy or an empty folder."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR", ROOT / "data"))


def _stamp(base: Path) -> tuple:
    """File modification times, so a rebuild of the tables invalidates the cache."""
    paths = [*REQUIRED.values(), *OPTIONAL.values(), INDICATORS, CODEBOOK]
    return tuple((p, (base / p).stat().st_mtime if (base / p).exists() else None) for p in paths)


def _read_csv(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"period_start": "string"}, keep_default_na=True)
    for col in TEXT_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("string").fillna("").astype(str)
    if "period_start" in df.columns:
        # Years were written as 2013.0 by the float parser in older builds; keep them as "2013".
        df["period_start"] = df["period_start"].fillna("").astype(str).str.replace(r"\.0$", "", regex=True)
    return df


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """A text column with "" for missing cells (and for a missing column, as older tables may lack one)."""
    if col not in df.columns:
        return pd.Series("", index=df.index, dtype=str)
    return df[col].astype("string").fillna("").astype(str)


def _read_yaml(path: Path) -> dict | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _enrich(df: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Attach names and document identity so charts can name their source replies from the frame alone."""
    info = docs[["record_id", "jurisdiction", "name_zh", "name_en", "issuer", "doc_date", "doc_type", "reference"]]
    if "jurisdiction" in df.columns:  # keep the table's own slug; only tables keyed by record_id get one here
        info = info.drop(columns=["jurisdiction"])
    drop = [c for c in info.columns if c != "record_id" and c in df.columns]
    return df.drop(columns=drop).merge(info, on="record_id", how="left")


def read_tables(base: Path) -> dict:
    """Read every table under base. Returns {"missing": [files], "broken": [files], name: DataFrame, ...}."""
    out: dict = {"missing": [], "broken": [], "base": str(base)}
    for name, rel in {**REQUIRED, **OPTIONAL}.items():
        path = base / rel
        if not path.exists():
            out[name] = None
            if name in REQUIRED or name == "measures":
                out["missing"].append(f"data/{rel}")
            continue
        try:
            out[name] = _read_csv(path)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError):
            out[name] = None
            out["broken"].append(f"data/{rel}")
    docs = out.get("documents")
    if docs is not None:
        docs = docs.copy()
        docs["jurisdiction"] = docs["jurisdiction"].astype("string").fillna("").astype(str)
        # A reply whose place could not be identified has no name: show its slug rather than nothing.
        docs["name_zh"] = _text(docs, "jurisdiction_name_zh").where(lambda s: s != "", docs["jurisdiction"])
        docs["name_en"] = _text(docs, "jurisdiction_name_en").where(lambda s: s != "", docs["jurisdiction"])
        docs["issuer"] = _text(docs, "document_issuer")
        written, published = _text(docs, "document_date_written"), _text(docs, "document_date_published")
        docs["doc_date"] = written.where(written != "", published)
        docs["doc_type"] = _text(docs, "document_type")
        docs["reference"] = _text(docs, "document_reference_number")
        out["documents"] = docs
        for name in ("facts", "density", "measures", "distinctive_terms"):
            if out.get(name) is not None and "record_id" in out[name].columns:
                out[name] = _enrich(out[name], docs)
    if out.get("density") is not None:
        rep = out["density"]["is_reproducible"].astype("string").fillna("").str.strip().str.lower()
        out["density"]["is_reproducible"] = rep.map({"true": "True", "false": "False"}).fillna("")
    # Figures built from these tables (layout.cached_figure): they live and die with this version of the data.
    out["figures"] = {}
    out["indicators"] = (_read_yaml(base / INDICATORS) or {}).get("indicators", {})
    out["codebook"] = _read_yaml(base / CODEBOOK)
    return out


# cache_resource, not cache_data: cache_data hands every rerun a deserialised copy of the whole dict (over a second
# with ~10,000 replies, before a page draws anything). Sharing one object is safe because pages never modify the
# tables: they filter with select(), which copies, and pandas' copy-on-write keeps any derived frame separate.
# The stamp in the key still invalidates on a rebuild; max_entries drops the versions a rebuild replaced.
@st.cache_resource(show_spinner=False, max_entries=4)
def _cached(base: str, stamp: tuple) -> dict:
    return read_tables(Path(base))


def load_tables() -> dict:
    """The tables, cached per data directory and file versions, shared by every session: read only.

    Pages filter the result (select() copies), never the cache."""
    base = data_dir()
    return _cached(str(base), _stamp(base))


def jurisdictions(tables: dict) -> list[str]:
    """Jurisdiction slugs in document order."""
    docs = tables.get("documents")
    if docs is None:
        return []
    return list(dict.fromkeys(docs["jurisdiction"].tolist()))


def names(tables: dict, lang: str) -> dict[str, str]:
    docs = tables.get("documents")
    if docs is None:
        return {}
    shown = docs[f"name_{lang}"].astype("string").fillna("").astype(str)
    return dict(zip(docs["jurisdiction"], shown.where(shown != "", docs["jurisdiction"])))


def select(df: pd.DataFrame | None, slugs) -> pd.DataFrame | None:
    """Rows of the chosen jurisdictions, in a fresh frame so callers may modify it.

    A boolean selection is already a new frame, and with pandas' copy-on-write (pandas 3) writing to it never
    reaches the cached table, so no second, deep copy.
    """
    if df is None:
        return None
    return df[df["jurisdiction"].isin(list(slugs))]


def indicator_label(tables: dict, code: str, lang: str) -> str:
    entry = tables.get("indicators", {}).get(code) or {}
    return entry.get(f"label_{lang}") or code


def national_per_10k(national: pd.DataFrame | None, year) -> tuple[float | None, bool]:
    """China's organisations per 10,000 for a year, and whether it is derived; (None, False) if not known."""
    if national is None or year is None:
        return None, False
    row = national[national["year"] == int(year)]
    if row.empty or pd.isna(row["social_orgs_per_10k"].iloc[0]):
        return None, False
    return float(row["social_orgs_per_10k"].iloc[0]), bool(row["is_derived"].iloc[0])
