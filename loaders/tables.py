"""Tables stage: flat CSV tables from the curated records, with population and density computed beside the reported figures."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.rows import RecordRows
from loaders.schema import (
    DENSITY_COLUMNS, DOCUMENT_COLUMNS, FACT_COLUMNS, MEASURE_COLUMNS, POPULATION_COLUMNS, DensityRow, PopulationRow,
    Record,
)

DENSITY_INDICATORS = {"social_orgs_total": "social_orgs_per_10k", "community_social_orgs": "community_social_orgs_per_10k"}
# A reported density reproduces when a computed one rounds to it at the decimals it is written with (14.95: two,
# 8.3: one, 14个: none); never closer than this (the float error of a division and of 5.08 itself).
REPRODUCE_TOLERANCE = 0.006
_DECIMALS = re.compile(r"\.(\d+)")


def reproduce_tolerance(number_text: str) -> float:
    """How far a computed density may be from a reported one written as number_text (8.3个/万人 -> 0.05)."""
    found = _DECIMALS.search(number_text or "")
    decimals = len(found.group(1)) if found else 0
    return max(REPRODUCE_TOLERANCE, 0.5 * 10 ** -decimals + 1e-9)


def publishes(is_reviewed, confidence):
    """The rule, once: a fact may reach cards, charts and slides when a person vouched for it or the extractor is sure
    of it (a draft, shown marked as one); a low-confidence draft waits in the workbench. On one fact's values (bool,
    str) or on whole columns of them (pandas Series of bool and of str), element by element."""
    return is_reviewed | (confidence != "low")


def is_published(fact) -> bool:
    """Whether a fact may reach cards, charts and slides (publishes). fact: a Fact or a FactRow."""
    reviewed = fact.is_reviewed
    if isinstance(reviewed, str):  # a row read back from CSV text
        reviewed = reviewed == "True"
    return bool(publishes(bool(reviewed), fact.confidence))


def published_mask(facts: pd.DataFrame) -> pd.Series:
    """publishes() of every row of a facts table (is_reviewed as booleans or as CSV text, confidence as text)."""
    reviewed = facts["is_reviewed"]
    if reviewed.dtype != bool:
        reviewed = reviewed.astype(str).str.strip().isin(["True", "true"])
    return publishes(reviewed, facts["confidence"].astype(str).str.strip())


def _base(record: Record) -> dict:
    return {"record_id": record.id, "jurisdiction": record.jurisdiction.slug,
            "jurisdiction_zh": record.jurisdiction.name_zh, "level": record.jurisdiction.level}


def build_documents_table(records: list[Record]) -> pd.DataFrame:
    rows = []
    for r in records:
        row = {"record_id": r.id}
        for k, v in r.jurisdiction.model_dump().items():
            row["jurisdiction" if k == "slug" else f"jurisdiction_{k}"] = v
        for k, v in r.document.model_dump().items():
            row[f"document_{k}"] = v
        row.update(title=r.origin.title, source_file=r.origin.source_file, collected_from=r.origin.collected_from,
                   sha256=r.origin.sha256, fact_count=len(r.facts), measure_count=len(r.measures),
                   reviewed_by=r.reviewed_by, reviewed_on=r.reviewed_on)
        rows.append(row)
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)


def build_facts_table(records: list[Record]) -> pd.DataFrame:
    rows = [{**_base(r), **f.model_dump()} for r in records for f in r.facts]
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def build_measures_table(records: list[Record]) -> pd.DataFrame:
    rows = [{**_base(r), **m.model_dump()} for r in records for m in r.measures]
    return pd.DataFrame(rows, columns=MEASURE_COLUMNS)


def load_population(path: Path, text: str | None = None) -> pd.DataFrame:
    """reference/population.csv (or text, to be written there), every row checked (loaders.schema.PopulationRow): a
    bad row, whoever wrote it, is a LoaderError naming its line, never a traceback from the density table."""
    from pydantic import ValidationError

    from loaders.errors import LoaderError
    from loaders.records import _first_error

    try:
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
        # A generated file opens with "#" lines naming its source (population_census2020.csv); only those are skipped,
        # never a "#" inside a source. Text as text: a slug is never NaN (南县's slug is "nan"), an empty cell never a float.
        df = pd.read_csv(io.StringIO(text), skiprows=_comment_lines(text), keep_default_na=False,
                         na_values={"population_persons": [""]},
                         dtype={"date": str, "jurisdiction": str, "jurisdiction_zh": str, "kind": str, "source": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise LoaderError(str(path), f"cannot be read as CSV: {str(exc).strip().splitlines()[0]}",
                          "restore it from version control") from None
    missing = [c for c in POPULATION_COLUMNS if c not in df.columns]
    if missing:
        raise LoaderError(str(path), f"has no column {', '.join(missing)}",
                          f"the header is {','.join(POPULATION_COLUMNS)}")
    lines = _data_lines(text, len(df))
    for i, row in enumerate(df.to_dict("records")):
        # An empty cell is NaN to pandas; to the schema it is the empty text it was (a head count stays NaN: refused).
        row = {k: "" if k != "population_persons" and isinstance(v, float) and v != v else v for k, v in row.items()}
        try:
            PopulationRow.model_validate(row)
        except ValidationError as exc:
            raise LoaderError(str(path), f"line {lines[i]} ({row.get('jurisdiction', '')} {row.get('kind', '')} "
                              f"{row.get('date', '')}): {_first_error(exc)}", "fix or remove the row") from None
    return df[POPULATION_COLUMNS]


def _data_lines(text: str, n: int) -> list:
    """The line number where each data row of a CSV text starts (pandas skips blank lines, a quoted cell may span
    lines); row numbers counted from the header's line where the two readings disagree."""
    import csv

    skipped = _comment_lines(text)
    starts, reader = [], csv.reader(io.StringIO(text))
    line = 1
    for number, row in enumerate(reader):
        if number > skipped and row:
            starts.append(line)
        line = reader.line_num + 1
    return starts if len(starts) == n else list(range(skipped + 2, skipped + n + 2))


def _comment_lines(text: str) -> int:
    """How many lines at the top of a CSV text start with "#" (a generated file's note of its source)."""
    count = 0
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        count += 1
    return count


CENSUS_FILE = "population_census2020.csv"


def load_census(reference_dir: Path) -> pd.DataFrame:
    """The 2020 census population of every province, prefecture and county the source lets us join
    (data/reference/population_census2020.csv, made by tools/make_census_population.py); empty without the file."""
    path = reference_dir / CENSUS_FILE
    if not path.exists():
        return pd.DataFrame(columns=POPULATION_COLUMNS)
    return load_population(path)


def population_for(curated: pd.DataFrame, census: pd.DataFrame, places) -> pd.DataFrame:
    """The population rows a build uses: every curated row (data/reference/population.csv: census and year-end
    figures, each with its source) and, for each of `places` without a curated census row, the census's own row,
    so that every place of the gazetteer gets a computed density with nothing typed."""
    have = set(curated.loc[curated["kind"] == "census", "jurisdiction"])
    wanted = set(places) - have
    extra = census[census["jurisdiction"].isin(wanted)]
    return pd.concat([curated, extra], ignore_index=True) if len(extra) else curated


def _to_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date(int(text[:4]), 12, 31)
    except (ValueError, TypeError):
        return None


def _density_inputs(item) -> tuple:
    """(record id, slug, date written, date published, facts) of a RecordRows, a Record or a draft like one."""
    if isinstance(item, RecordRows):
        return item.id, item.slug, item.date_written, item.date_published, item.density_facts
    return item.id, item.jurisdiction.slug, item.document.date_written, item.document.date_published, item.facts


def group_population(population: pd.DataFrame) -> dict[str, list[dict]]:
    """Each place's population rows as plain dicts, in the table's order: with the census every place has a
    population, and DataFrame filters per record took 27 s of a 10,000-reply workbench save."""
    by_place: dict[str, list[dict]] = {}
    for pop in population.to_dict("records"):
        by_place.setdefault(pop["jurisdiction"], []).append(pop)
    return by_place


def build_density_table(records: list, population: pd.DataFrame) -> pd.DataFrame:
    """Organisations per 10,000 residents, computed on the census and on the population nearest the as-of date.

    records: RecordRows or Records (or anything with a Record's id, jurisdiction, document and facts)."""
    by_place = group_population(population)
    return pd.DataFrame([row for item in records for row in density_rows(item, by_place)], columns=DENSITY_COLUMNS)


def density_lines(item, by_place: dict[str, list[dict]]) -> bytes:
    """One record's lines of density.csv, as table_to_csv(build_density_table(...)) writes them: the table is each
    record's lines joined in record-id order, so a workbench save splices one record's lines (loaders/incremental.py)."""
    from loaders.rows import format_csv_lines

    return format_csv_lines([tuple(row.values()) for row in density_rows(item, by_place)])


def density_rows(item, by_place: dict[str, list[dict]]) -> list[dict]:
    """The density rows of one record (DensityRow dumps, in DENSITY_COLUMNS order): none for a place without a
    population. by_place: group_population(the population table)."""
    record_id, slug, date_written, date_published, facts = _density_inputs(item)
    pops = by_place.get(slug)
    if not pops:
        return []
    rows = []
    resident = [p for p in pops if p["kind"] in ("census", "year_end_resident")]
    heads = {}
    facts = [f for f in facts if is_published(f)]
    for f in facts:
        if f.indicator in DENSITY_INDICATORS and f.scope_kind == "whole" and f.status == "achievement":
            # The total, not the breakdown after it (Leshan 2021: 5611个(其中:登记在册89个…)).
            if f.indicator not in heads or f.value > heads[f.indicator].value:
                heads[f.indicator] = f
    for f in heads.values():
        as_of = f.period_end or date_written or date_published
        as_of_date = _to_date(as_of)
        reported = next((g for g in facts if g.indicator == DENSITY_INDICATORS[f.indicator]
                         and g.qualifier == "exact" and g.status == "achievement"), None)
        # Every population we have, resident or household-registered, gets a chance to reproduce it.
        candidates = [f.value / p["population_persons"] * 1e4 for p in pops]
        is_reproducible = None
        note = ""
        if reported is not None:
            tolerance = reproduce_tolerance(reported.number_text)
            is_reproducible = any(abs(c - reported.value) <= tolerance for c in candidates)
            if not is_reproducible:
                implied = f.value / reported.value * 1e4
                note = (f"{f.value:,.0f} / {reported.value:g} per 10,000 implies {implied / 1e4:,.1f}万 residents; "
                        f"no published population ({', '.join(f'{p / 1e4:,.1f}万' for p in sorted(q['population_persons'] for q in pops))}) "
                        f"gives {reported.value:g}")
        census = [p for p in resident if p["kind"] == "census"]
        bases = []
        if census:
            bases.append(("census", census[0]))
        if as_of_date is not None and resident:
            # the first of the nearest, in the table's order (as idxmin took it)
            bases.append(("nearest", min(resident, key=lambda p: abs((_to_date(p["date"]) - as_of_date).days))))
        for base, pop in bases:
            rows.append(DensityRow(
                record_id=record_id, jurisdiction=slug, indicator=f.indicator, fact_id=f.id,
                count=f.value, count_qualifier=f.qualifier, as_of=as_of or "",
                reported_per_10k=reported.value if reported else None,
                reported_fact_id=reported.id if reported else "", base=base,
                population_persons=float(pop["population_persons"]), population_date=pop["date"],
                population_source=pop["source"], computed_per_10k=round(f.value / pop["population_persons"] * 1e4, 2),
                is_reproducible=is_reproducible, flag_note=note,
            ).model_dump())
    return rows


DISTINCTIVE_COLUMNS = ["record_id", "jurisdiction", "rank", "term", "score"]


class _Only(Mapping):
    """The entries of a mapping whose keys are in `keys`, read through (nothing copied)."""

    def __init__(self, mapping: Mapping, keys) -> None:
        self._mapping, self._keys = mapping, [k for k in mapping if k in keys]

    def __getitem__(self, key):
        return self._mapping[key]

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def distinctive_terms_rows(records: list, tokens: Mapping) -> list[tuple]:
    """The rows of the distinctive-terms table: (record id, slug, rank, term, score), in record-id order."""
    from loaders.measures import score_distinctive_terms
    from loaders.rows import TermCounts, score_term_counts

    slug = {r.id: r.slug if isinstance(r, RecordRows) else r.jurisdiction.slug for r in records}
    if isinstance(tokens, TermCounts):  # a build's, check's or a save's: the same scores, on arrays
        terms = score_term_counts(tokens, [rid for rid in tokens if rid in slug])
    else:
        terms = score_distinctive_terms(_Only(tokens, slug))
    return [(rid, slug[rid], i + 1, term, score)
            for rid, items in sorted(terms.items()) for i, (term, score) in enumerate(items)]


def build_distinctive_terms_table(records: list, tokens: Mapping) -> pd.DataFrame:
    """Terms that set each reply apart from the others (TF-IDF over jieba tokens, loaders.measures.tokenize).

    tokens: by record id, a reply's token list or its TermCounts ({term: count} is all the TF-IDF reads)."""
    return pd.DataFrame(distinctive_terms_rows(records, tokens), columns=DISTINCTIVE_COLUMNS)


def distinctive_terms_csv(records: list, tokens: Mapping) -> bytes:
    """table_to_csv(build_distinctive_terms_table(records, tokens)), byte for byte, without a DataFrame (150,000 rows
    at 10,000 replies): pandas writes these columns (text, int, float) with the csv module, a float as its repr."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(DISTINCTIVE_COLUMNS)
    writer.writerows(distinctive_terms_rows(records, tokens))
    return buf.getvalue().encode("utf-8")


def build_tables(records: list[Record], population: pd.DataFrame, national: pd.DataFrame,
                 tokens: Mapping | None = None) -> dict[str, pd.DataFrame]:
    """All tables; `tokens` (tokens of each cleaned text, by record id) feed the distinctive-terms table."""
    records = sorted(records, key=lambda r: r.id)
    return {
        "distinctive_terms": build_distinctive_terms_table(records, tokens or {}),
        "documents": build_documents_table(records),
        "facts": build_facts_table(records),
        "measures": build_measures_table(records),
        "population": population.sort_values(["jurisdiction", "kind", "date"]).reset_index(drop=True),
        "density": build_density_table(records, population),
        "national": national,
    }


def build_table_files(rows: list[RecordRows], population: pd.DataFrame, national: pd.DataFrame,
                      tokens: Mapping) -> dict[str, bytes]:
    """The bytes of every table file, from the rows a build's workers made (loaders.rows): byte for byte
    table_to_csv(build_tables(records, ...)) of the same records, without a DataFrame of every fact.

    The documents, facts and measures files are the workers' CSV lines joined in record-id order (a record
    carried over from an earlier build goes in at its place); the small tables are made as build_tables does."""
    rows = sorted(rows, key=lambda r: r.id)
    out = small_table_files(rows, population, national, tokens)
    for name, field in ROW_TABLES.items():
        out[name] = b"".join([table_header(name), *(getattr(r, field) for r in rows)])
    return {name: out[name] for name in TABLE_ORDER}


# The tables made of each record's own lines (RecordRows' fields), joined in record-id order: a workbench save
# splices one record's lines into them (loaders/incremental.py). The others are small and made whole.
ROW_TABLES = {"documents": "document_csv", "facts": "facts_csv", "measures": "measures_csv"}
SMALL_TABLES = ("distinctive_terms", "population", "density", "national")
TABLE_ORDER = ("distinctive_terms", "documents", "facts", "measures", "population", "density", "national")


def table_header(name: str) -> bytes:
    """The first line of one of ROW_TABLES, or of density.csv (also each record's lines joined)."""
    from loaders.rows import format_csv_lines

    columns = {"documents": DOCUMENT_COLUMNS, "facts": FACT_COLUMNS, "measures": MEASURE_COLUMNS,
               "density": DENSITY_COLUMNS}[name]
    return format_csv_lines([columns])


def small_table_files(rows: list[RecordRows], population: pd.DataFrame, national: pd.DataFrame, tokens: Mapping,
                      names=SMALL_TABLES) -> dict[str, bytes]:
    """The bytes of the small tables `names` (of SMALL_TABLES) from rows in record-id order, as build_table_files
    makes them. The density table reads only the rows of places with a population."""
    out = {}
    for name in names:
        if name == "distinctive_terms":
            out[name] = distinctive_terms_csv(rows, tokens)
            continue
        if name == "population":
            table = population.sort_values(["jurisdiction", "kind", "date"]).reset_index(drop=True)
        elif name == "density":
            by_place = group_population(population)
            out[name] = b"".join([table_header("density"), *(density_lines(r, by_place) for r in rows)])
            continue
        elif name == "national":
            table = national
        else:
            raise ValueError(f"{name} is not a small table")
        out[name] = table_to_csv(table).encode("utf-8")
    return out


def table_to_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def table_bytes(table: pd.DataFrame | bytes) -> bytes:
    """A table's file: a DataFrame written as CSV, or the bytes build_table_files made."""
    return table if isinstance(table, bytes) else table_to_csv(table).encode("utf-8")


def write_tables(tables: dict[str, pd.DataFrame | bytes], out_dir: Path) -> None:
    """Write the whole table set at once: into a new hidden folder beside out_dir, flushed to disk, then
    switched with out_dir in one step (loaders.records.switch_folder), so an interrupted build or a full
    disk leaves the complete old set and never a new documents.csv beside an old facts.csv."""
    from loaders.records import write_folder

    write_folder(out_dir, {f"{name}.csv": table_bytes(table) for name, table in tables.items()})


def read_table_set(tables_dir: Path, attempts: int = 3) -> dict[str, bytes]:
    """Every CSV of one table set, file name -> bytes ({"facts.csv": b"..."}), never a mix of two sets.

    All files are opened through one file descriptor of the folder, so a build that switches in a new set
    meanwhile cannot mix the two. A build removes the old set after switching; if that happened while we
    read (a file vanished, or the folder we hold is no longer tables_dir), read again. Raises
    FileNotFoundError if tables_dir does not exist, OSError if it keeps changing."""
    import os

    tables_dir = Path(tables_dir)
    last_error: OSError | None = None
    for attempt in range(attempts):
        try:
            fd = os.open(tables_dir, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError as exc:
            # Without RENAME_EXCHANGE the old set is moved aside a moment before the new one moves in.
            last_error = exc
            _pause(attempt)
            continue
        try:
            files: dict[str, bytes] = {}
            names = sorted(n for n in os.listdir(fd) if n.endswith(".csv") and not n.startswith("."))
            for name in names:
                with open(name, "rb", opener=lambda path, flags: os.open(path, flags | os.O_NOFOLLOW, dir_fd=fd)) as fh:
                    files[name] = fh.read()
            held = os.fstat(fd)
            try:
                now = os.stat(tables_dir)
                is_current = (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev)
            except FileNotFoundError:
                is_current = False
            # Still the folder at tables_dir: nothing was switched, so nothing of it was being removed.
            if is_current and held.st_nlink > 0:
                return files
            last_error = OSError(f"{tables_dir}: a build switched the tables while they were read")
        except FileNotFoundError as exc:
            last_error = exc
        finally:
            os.close(fd)
        _pause(attempt)
    raise last_error or OSError(str(tables_dir))


def _pause(attempt: int) -> None:
    import time

    time.sleep(0.01 * (attempt + 1))
