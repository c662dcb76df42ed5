"""Reading a table of data/tables as the dashboard reads it, checked: the one reader of the dashboard (app/data.py)
and of `loaders check`, so a table the build writes and check passes is one every page can show.

Columns and what each must hold come from the schema (loaders/schema.py); a problem is one line naming the column
and the row as a person counts them in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
import types
import typing
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders import schema
from loaders.tables import DISTINCTIVE_COLUMNS


class FileProblem(Exception):
    """A file that cannot be read as what it should be; str() is the problem, without any server path."""


@dataclass(frozen=True)
class ColumnSpec:
    """What a column must hold: numbers (whole or not), booleans, one of a set of codes; may it be empty."""

    kind: str  # "int", "float", "bool", "choice", "key" (non-empty text)
    optional: bool = False
    choices: tuple[str, ...] = ()


def _specs_of(model, rename=lambda name: name) -> dict[str, ColumnSpec]:
    """Column checks derived from a schema model's field types, so they follow loaders/schema.py."""
    specs = {}
    for name, field in model.model_fields.items():
        annotation, optional = field.annotation, False
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation):
            annotation, optional = next(a for a in typing.get_args(annotation) if a is not type(None)), True
        if annotation is bool:
            specs[rename(name)] = ColumnSpec("bool", optional)
        elif annotation is int:
            specs[rename(name)] = ColumnSpec("int", optional)
        elif annotation is float:
            specs[rename(name)] = ColumnSpec("float", optional)
        elif typing.get_origin(annotation) is typing.Literal:
            specs[rename(name)] = ColumnSpec("choice", optional, tuple(typing.get_args(annotation)))
    return specs


KEY = ColumnSpec("key")
# Per table: the columns it must have (from the schema, or from the loader stage that writes it), what each must
# hold, and the columns whose values together must be unique.
TABLE_RULES: dict[str, dict] = {
    "documents": {
        "columns": schema.DOCUMENT_COLUMNS,
        "specs": {**_specs_of(schema.Jurisdiction, lambda n: "jurisdiction" if n == "slug" else f"jurisdiction_{n}"),
                  **_specs_of(schema.Document, lambda n: f"document_{n}"),
                  "record_id": KEY, "jurisdiction": KEY,
                  "fact_count": ColumnSpec("int"), "measure_count": ColumnSpec("int")},
        "unique": ("record_id",),
    },
    "facts": {"columns": schema.FACT_COLUMNS, "specs": {**_specs_of(schema.Fact), "record_id": KEY, "jurisdiction": KEY, "id": KEY},
              "unique": ("record_id", "id")},
    "measures": {"columns": schema.MEASURE_COLUMNS,
                 "specs": {**_specs_of(schema.Measure), "record_id": KEY, "jurisdiction": KEY, "id": KEY},
                 "unique": ("record_id", "id")},
    "density": {"columns": schema.DENSITY_COLUMNS,
                "specs": {**_specs_of(schema.DensityRow), "record_id": KEY, "jurisdiction": KEY},
                "unique": ("record_id", "indicator", "base")},
    "population": {"columns": schema.POPULATION_COLUMNS, "specs": {**_specs_of(schema.PopulationRow), "jurisdiction": KEY}},
    # national.csv is copied from data/reference/national.csv; these are the columns the density chart reads.
    "national": {"columns": ["year", "social_orgs_per_10k", "is_derived"],
                 "specs": {"year": ColumnSpec("int"), "social_orgs_per_10k": ColumnSpec("float", True),
                           "social_orgs": ColumnSpec("float", True), "is_derived": ColumnSpec("bool")},
                 "unique": ("year",)},
    "distinctive_terms": {"columns": DISTINCTIVE_COLUMNS,
                          "specs": {"rank": ColumnSpec("int"), "score": ColumnSpec("float"), "record_id": KEY}},
}
BOOLEANS = {"True": True, "False": False, "true": True, "false": False}


def _shown(value: str) -> str:
    """A cell quoted in a message: short, on one line, printable."""
    text = "".join(ch if ch.isprintable() else " " for ch in value).strip()
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


def _bad_cell(col: str, what: str, value: str, row: int) -> str:
    """'column value holds text ('abc') in row 12'; a cell holding commas most likely swallowed its neighbours."""
    hint = "; a stray \" may have joined the cells after it" if value.count(",") >= 2 else ""
    return f"column {col} holds {what} {_shown(value)} in row {row}{hint}"


def _check_frame(name: str, df: pd.DataFrame) -> str | None:
    """The first problem of a table read as text, in words; None when the table is usable."""
    rules = TABLE_RULES.get(name, {})
    missing = [c for c in rules.get("columns", ()) if c not in df.columns]
    if missing:
        return f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing"
    if df.columns.duplicated().any():
        return f"column {df.columns[df.columns.duplicated()][0]} appears twice in the header"
    for col, spec in rules.get("specs", {}).items():
        if col not in df.columns:
            continue
        values = df[col].str.strip()
        empty = values == ""
        # An empty code cell reads as "not stated" on every page (a place of unknown level); only a code the schema
        # does not know is wrong.
        if (spec.kind == "key" or not spec.optional) and spec.kind != "choice" and empty.any():
            return f"column {col} is empty in row {_row(empty)}"
        present = ~empty
        if spec.kind in ("int", "float"):
            numbers = pd.to_numeric(values.where(present), errors="coerce")
            # inf and -inf parse as numbers; a page cannot draw them (vectorised: 2.9 million cells at 10,000 replies).
            bad = present & (numbers.isna() | np.isinf(numbers.fillna(0)))
            if bad.any():
                return _bad_cell(col, "text, not a number:", df[col][bad].iloc[0], _row(bad))
            if spec.kind == "int":
                fraction = present & (numbers % 1 != 0)
                if fraction.any():
                    return _bad_cell(col, "a fraction, not a whole number:", df[col][fraction].iloc[0], _row(fraction))
        elif spec.kind == "bool":
            bad = present & ~values.isin(list(BOOLEANS))
            if bad.any():
                return _bad_cell(col, "neither True nor False:", df[col][bad].iloc[0], _row(bad))
        elif spec.kind == "choice":
            bad = present & ~values.isin(list(spec.choices))
            if bad.any():
                return _bad_cell(col, "an unknown code:", df[col][bad].iloc[0], _row(bad))
    unique = [c for c in rules.get("unique", ()) if c in df.columns]
    if unique:
        dup = df.duplicated(unique, keep="first")
        if dup.any():
            key = " / ".join(str(df[c][dup].iloc[0]) for c in unique)
            return f"{' and '.join(unique)} {_shown(key)} appears twice (again in row {_row(dup)})"
    return None


def _row(mask: pd.Series) -> int:
    """Row number as a person counts in a spreadsheet: the header is row 1, the first data row is row 2."""
    return int(mask.to_numpy().nonzero()[0][0]) + 2


def _parse_problem(exc: Exception) -> str:
    """pandas' tokenizer message without its jargon: 'Expected 26 fields in line 5, saw 27'."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if found:
        return f"row {found.group(2)} has {found.group(3)} fields where the header has {found.group(1)}"
    if "EOF inside string" in str(exc) or "EOF while" in str(exc):
        return "a quoted field is never closed (a stray \" ?)"
    return "is not a CSV table"


def parse_table(name: str, raw: bytes) -> pd.DataFrame:
    """One table from its bytes, checked against its rules; a FileProblem says what is wrong."""
    if not raw.strip():
        raise FileProblem("is empty")
    if b"\x00" in raw:
        raise FileProblem("holds NUL bytes (saved as UTF-16, or not a text file)")
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"is not UTF-8 text (byte {raw[exc.start]:#04x} at position {exc.start:,}); "
                          "save it as UTF-8") from None
    try:
        # Everything as text first, so a stray letter in a number column is found here, by column and row,
        # instead of as a TypeError deep inside a page.
        # From the bytes, not a StringIO of the text: pandas wraps a StringIO in _BytesIOWrapper, which reads n
        # characters per n bytes asked and keeps the surplus, so with Chinese text (3 bytes a character) the
        # surplus grows every chunk and reading is quadratic (the 10,000-reply facts.csv took minutes).
        # Lines end in \n (loaders.tables writes them so): a bare \r is a character of its cell, which csv writes
        # unquoted (a curator's note, a reply with old Mac line ends), and must not end a row. A file saved with \r\n
        # line ends (edited on Windows) is read with either ending.
        # pandas' tokenizer is about three times slower with a line terminator of its own, so it is set only for a
        # file that holds a bare \r at all (a 10,000-reply facts.csv: 7.5 s against 21 s).
        header_end = raw.find(b"\n")
        is_crlf = header_end > 0 and raw[header_end - 1:header_end] == b"\r"
        terminator = None if is_crlf or b"\r" not in raw else "\n"
        df = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False, na_filter=False,
                         lineterminator=terminator)
    except pd.errors.EmptyDataError:
        raise FileProblem("is empty") from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise FileProblem(_parse_problem(exc)) from None
    df.columns = [str(c).strip() for c in df.columns]
    problem = _check_frame(name, df)
    if problem:
        raise FileProblem(problem)
    return _typed(name, df)


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The checked text table with numbers as floats (missing: NaN, never 0) and booleans as booleans."""
    for col, spec in TABLE_RULES.get(name, {}).get("specs", {}).items():
        if col not in df.columns:
            continue
        if spec.kind in ("int", "float"):
            numbers = pd.to_numeric(df[col].str.strip().replace("", None), errors="coerce")
            if spec.kind == "int" and not numbers.isna().any():
                numbers = numbers.astype("int64")
            df[col] = numbers
        elif spec.kind == "bool" and name != "density":  # density's is_reproducible stays "True"/"False"/""
            df[col] = df[col].str.strip().map(BOOLEANS).fillna(False).astype(bool)
    return df
