"""The one cached loader of the curated tables, each checked when read, and filters applied outside the cache."""

from __future__ import annotations

import os
import re
import stat
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
import yaml

from app import safe
from loaders.read import MAX_BYTES
# The tables are read and checked as `loaders check` reads them (loaders/table_read.py); pages catch data.FileProblem.
from loaders.table_read import FileProblem, parse_table
from loaders.tables import DENSITY_INDICATORS, published_mask

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
FRAMES = "reference/frames.yaml"  # why a number is held back, in words (its `reasons`)

# Every column that is not a number or a boolean is read as text, with "" for an empty cell (never NaN: NaN is
# truthy, so `name or slug` kept the NaN and crashed a string join (funding) and a selectbox label (sources)).


def data_dir() -> Path:
    """Where the data lives; DASHBOARD_DATA_DIR lets tests point at a copy or an empty folder."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR", ROOT / "data"))


# ---- reading files that may be anything ------------------------------------------------------------------

# A table of ~10,000 replies is tens of MB; past this a file is not a table the dashboard can show anyway, and
# reading it whole would only exhaust the server's memory.
MAX_TABLE_BYTES = 512 * 1024 * 1024
MAX_RAW_BYTES = MAX_BYTES  # the loader refuses larger replies, so the Sources page does too


def read_regular_file(path: Path, limit: int, dir_fd: int | None = None) -> bytes:
    """The bytes of a regular file of at most limit bytes; anything else is a FileProblem, never a hang.

    A FIFO would block open() and read() forever, a link to /dev/zero would never end: lstat refuses both
    before opening, O_NONBLOCK | O_NOFOLLOW refuse them if the file is swapped in between, fstat checks again.
    """
    try:
        info = os.lstat(path, dir_fd=dir_fd)
    except FileNotFoundError:
        raise FileProblem("is missing") from None
    except OSError as exc:
        raise FileProblem(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISLNK(info.st_mode):
        raise FileProblem("is a symbolic link, not a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"is {_file_kind(info.st_mode)}, not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0), dir_fd=dir_fd)
    except OSError as exc:
        raise FileProblem(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"is {_file_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileProblem(f"is {info.st_size / 1e6:,.1f} MB, larger than the {limit / 1e6:,.0f} MB allowed")
        chunks, size = [], 0
        while size <= limit:  # the file may grow after fstat: never read past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileProblem(f"is larger than the {limit / 1e6:,.0f} MB allowed")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    finally:
        os.close(fd)


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a file"


# ---- table checks ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableProblem:
    """Why one table cannot be used: file is the project path (data/tables/facts.csv), problem says what is wrong."""

    name: str
    file: str
    problem: str
    is_missing: bool = False

    def message(self) -> str:
        """One line naming the file, what is wrong and the command that rebuilds it."""
        return f"{self.file}: {self.problem} (rebuild with {REBUILD_COMMAND})"


def read_table_bytes(tables_dir: Path) -> dict[str, bytes | TableProblem]:
    """The bytes of every table under tables_dir (documents, facts, ...), or the problem that kept one from being read.

    The one place tables are read from disk: read_tables parses what this returns.
    """
    # Every file through one descriptor of the folder: `build` switches in a new set by swapping the folder
    # (loaders.records.switch_folder), so a set read through the old descriptor is the old set, whole. If the
    # folder we hold was swapped out while we read, read again (as loaders.tables.read_table_set does).
    for attempt in range(3):
        try:
            dir_fd = os.open(tables_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            dir_fd = None  # no folder (or a moment between two renames): each table says it is missing
        out: dict[str, bytes | TableProblem] = {}
        try:
            for name, rel in {**REQUIRED, **OPTIONAL}.items():
                file = f"data/{rel}"
                target = Path(rel).name if dir_fd is not None else tables_dir / Path(rel).name
                try:
                    out[name] = read_regular_file(target, MAX_TABLE_BYTES, dir_fd=dir_fd)
                except FileProblem as exc:
                    out[name] = TableProblem(name, file, str(exc), is_missing=str(exc) == "is missing")
            if dir_fd is None:
                return out
            held = os.fstat(dir_fd)
        finally:
            if dir_fd is not None:
                os.close(dir_fd)
        try:
            now = os.stat(tables_dir)
        except OSError:
            now = None
        if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
            return out
    return out


def data_version(tables_dir: Path, raws: dict) -> dict:
    """The version of the tables as read: a SHA-256 over each table's name and bytes (a table that could not be read
    counts as absent), its first 12 hex digits as the short version a citation names, and the newest file time (UTC,
    ISO 8601) of the tables read. Computed once per version of the tables (read_tables is cached)."""
    import hashlib
    from datetime import datetime, timezone

    whole = hashlib.sha256()
    newest = None
    for name in sorted(raws):
        raw = raws[name]
        if not isinstance(raw, bytes):
            continue
        whole.update(name.encode("ascii") + b"\0" + hashlib.sha256(raw).digest())
        try:
            mtime = os.lstat(tables_dir / Path({**REQUIRED, **OPTIONAL}[name]).name).st_mtime
        except OSError:
            continue
        newest = mtime if newest is None else max(newest, mtime)
    sha = whole.hexdigest()
    stamp = datetime.fromtimestamp(newest, tz=timezone.utc).strftime("%Y-%m-%dT%H:%MZ") if newest is not None else ""
    return {"sha256": sha, "short": sha[:12], "tables_time": stamp}


def _stamp(base: Path) -> tuple:
    """File sizes and modification times, so a rebuild of the tables invalidates the cache."""
    paths = [*REQUIRED.values(), *OPTIONAL.values(), INDICATORS, CODEBOOK, FRAMES]
    stamps = []
    for p in paths:
        try:
            info = os.lstat(base / p)  # lstat: never follows a link, never opens a FIFO
            stamps.append((p, info.st_mtime_ns, info.st_size, info.st_mode))
        except OSError:
            stamps.append((p, None))
    return tuple(stamps)


def _text(df: pd.DataFrame, col: str) -> pd.Series:
    """A text column with "" for missing cells (and for a missing column, as older tables may lack one)."""
    if col not in df.columns:
        return pd.Series("", index=df.index, dtype=str)
    return df[col].astype("string").fillna("").astype(str)


def _read_yaml(path: Path) -> dict | None:
    """A reference YAML file, or None when it is missing or unreadable (pages then show codes)."""
    try:
        loaded = yaml.safe_load(read_regular_file(path, MAX_TABLE_BYTES).decode("utf-8-sig"))
    except (FileProblem, UnicodeDecodeError, yaml.YAMLError):
        return None
    return loaded if isinstance(loaded, dict) else {}


def newest_first(docs: pd.DataFrame) -> pd.DataFrame:
    """The replies grouped by place (places in the order they first appear) and, within a place, newest first (by
    the date written, else published; then by id). Every page takes a place's first row of an indicator as its
    figure, so this order makes each place's newest figure the default everywhere (issue 22)."""
    if docs.empty:
        return docs
    place = docs["jurisdiction"].map({slug: i for i, slug in enumerate(dict.fromkeys(docs["jurisdiction"].tolist()))})
    order = pd.DataFrame({"place": place.to_numpy(), "date": docs["doc_date"].astype(str).to_numpy(),
                          "id": docs["record_id"].astype(str).to_numpy()})
    order = order.sort_values(["place", "date", "id"], ascending=[True, False, False], kind="stable")
    if (order.index.to_numpy() == np.arange(len(order))).all():
        return docs  # one reply per place (the seeds): as it was
    return docs.iloc[order.index.to_numpy()].reset_index(drop=True)


def _in_reply_order(df: pd.DataFrame, rank: pd.Series) -> pd.DataFrame:
    """Rows in the order of their replies (newest_first), each reply's rows in their own order."""
    if df.empty:
        return df
    position = rank.reindex(df["record_id"].to_numpy()).fillna(len(rank)).to_numpy()
    if (position[1:] >= position[:-1]).all():
        return df
    return df.iloc[position.argsort(kind="stable")].reset_index(drop=True)


def _enrich(df: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Attach names and document identity so charts can name their source replies from the frame alone."""
    info = docs[["record_id", "jurisdiction", "name_zh", "name_en", "issuer", "doc_date", "doc_type", "reference"]]
    if "jurisdiction" in df.columns:  # keep the table's own slug; only tables keyed by record_id get one here
        info = info.drop(columns=["jurisdiction"])
    drop = [c for c in info.columns if c != "record_id" and c in df.columns]
    return df.drop(columns=drop).merge(info, on="record_id", how="left")


def split_published(facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(published, held back) rows of a facts table, by the loader's own rule (loaders.tables.publishes): every page,
    chart, slide and download reads the first; the Sources page and the workbench list the second."""
    published = published_mask(facts)
    if bool(published.all()):  # the usual case: no copy of a large table
        return facts, facts.iloc[0:0].copy()
    return facts[published].reset_index(drop=True), facts[~published].reset_index(drop=True)


def _density_review(density: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """density with is_reviewed (of the count behind the computed figure) and reported_is_reviewed (of the reported
    density): whether a person vouched for the published fact each figure comes from. A fact not found (a table
    built apart) counts as reviewed: no mark is better than a wrong one."""
    wanted = set(DENSITY_INDICATORS) | set(DENSITY_INDICATORS.values())
    rows = facts.loc[facts["indicator"].isin(list(wanted)), ["record_id", "id", "is_reviewed"]]
    known = pd.Series(rows["is_reviewed"].to_numpy(), index=pd.MultiIndex.from_arrays([rows["record_id"], rows["id"]]))
    known = known[~known.index.duplicated()]
    for column, key in (("is_reviewed", "fact_id"), ("reported_is_reviewed", "reported_fact_id")):
        index = pd.MultiIndex.from_arrays([density["record_id"].astype(str), density[key].astype(str)])
        density[column] = known.reindex(index).fillna(True).astype(bool).to_numpy()
    return density


IDS = ("record_id", "jurisdiction", "id", "fact_id", "reported_fact_id")
# The UTF-8 bytes of the characters that open a bidirectional embedding, override or isolate (U+202A-U+202E,
# U+2066-U+2068): one search of a table's bytes, so a table without them (every real one) is not read twice.
_BIDI_BYTES = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa8]")


def close_bidi_cells(df: pd.DataFrame, raw: bytes) -> pd.DataFrame:
    """A cell that opens a bidirectional override, embedding or isolate is closed at its end (safe.close_bidi), so
    wherever pages, charts, slides and downloads put it, it reorders nothing after it. Not the ids: they name files
    (data/raw/<record_id>.txt) and are the keys of links and joins; each escape closes them where shown."""
    if not _BIDI_BYTES.search(raw):
        return df
    for col in df.columns:
        if col not in IDS and (df[col].dtype == object or pd.api.types.is_string_dtype(df[col])):
            df[col] = df[col].map(lambda v: safe.close_bidi(v) if isinstance(v, str) else v)
    return df


def read_tables(base: Path) -> dict:
    """Read every table under base. Returns {"problems": {name: TableProblem}, name: DataFrame or None, ...}.

    tables["facts"] holds the published facts only (a person vouched for them, or the loader is sure of them: the
    unreviewed ones are drafts, shown marked, app/review.py); tables["held_facts"] the ones held back for a person.
    "missing" and "broken" list the files of the problems, for older callers.
    """
    out: dict = {"missing": [], "broken": [], "problems": {}, "base": str(base)}
    raws = read_table_bytes(base / "tables")
    out["version"] = data_version(base / "tables", raws)
    for name, raw in raws.items():
        file = f"data/{({**REQUIRED, **OPTIONAL})[name]}"
        problem = raw if isinstance(raw, TableProblem) else None
        if problem is None:
            try:
                out[name] = close_bidi_cells(parse_table(name, raw), raw)
            except FileProblem as exc:
                problem = TableProblem(name, file, str(exc))
        if problem is not None:
            out[name] = None
            # A table the build has not made yet (national, distinctive terms) is no problem; a broken one is.
            if problem.is_missing and name not in REQUIRED and name != "measures":
                continue
            out["problems"][name] = problem
            out["missing" if problem.is_missing else "broken"].append(file)
    out["held_facts"] = None
    if out.get("facts") is not None:
        # Years were written as 2013.0 by the float parser in older builds; keep them as "2013".
        out["facts"]["period_start"] = out["facts"]["period_start"].str.replace(r"\.0$", "", regex=True)
        # Once per version of the tables (this function is cached), never per rerun.
        out["facts"], out["held_facts"] = split_published(out["facts"])
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
        docs = newest_first(docs)
        out["documents"] = docs
        rank = pd.Series(range(len(docs)), index=docs["record_id"].to_numpy())
        rank = rank[~rank.index.duplicated()]
        for name in ("facts", "held_facts", "density", "measures", "distinctive_terms"):
            if out.get(name) is not None and "record_id" in out[name].columns:
                out[name] = _enrich(out[name], docs)
                # The tables whose first row per place is taken as its figure: in reply order (newest first).
                if name in ("facts", "held_facts", "density"):
                    out[name] = _in_reply_order(out[name], rank)
        if out.get("measures") is not None and "record_id" in out["measures"].columns:
            # A measure is a draft while nobody has reviewed its reply: the reviewer rides along (app/review.py).
            by = dict(zip(docs["record_id"], _text(docs, "reviewed_by")))
            out["measures"]["reviewed_by"] = [by.get(r, "") for r in out["measures"]["record_id"].tolist()]
    if out.get("density") is not None and out.get("facts") is not None:
        out["density"] = _density_review(out["density"], out["facts"])
    if out.get("density") is not None:
        rep = out["density"]["is_reproducible"].astype("string").fillna("").str.strip().str.lower()
        out["density"]["is_reproducible"] = rep.map({"true": "True", "false": "False"}).fillna("")
    # Figures built from these tables (layout.cached_figure): they live and die with this version of the data.
    out["figures"] = {}
    # Row positions per place, so select() takes a few rows instead of testing 400k slugs on every rerun.
    for name in ("documents", "facts", "held_facts", "density", "measures", "distinctive_terms"):
        if out.get(name) is not None and "jurisdiction" in out[name].columns:
            index_places(out[name])
    out["indicators"] = (_read_yaml(base / INDICATORS) or {}).get("indicators", {}) or {}
    if not isinstance(out["indicators"], dict):
        out["indicators"] = {}
    out["codebook"] = _read_yaml(base / CODEBOOK)
    reasons = (_read_yaml(base / FRAMES) or {}).get("reasons")
    out["reasons"] = reasons if isinstance(reasons, dict) else {}
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


def derived(tables: dict, key: tuple, make):
    """A value computed from the tables once per version of them (kept in the cached dict); read only."""
    store = tables.setdefault("derived", {})
    if key not in store:
        store[key] = make()
    return store[key]


def jurisdictions(tables: dict) -> list[str]:
    """Jurisdiction slugs in document order (a fresh list; computed once per version of the tables)."""
    docs = tables.get("documents")
    if docs is None:
        return []
    return list(derived(tables, ("jurisdictions",), lambda: tuple(dict.fromkeys(docs["jurisdiction"].tolist()))))


def names(tables: dict, lang: str) -> dict[str, str]:
    """Slug -> display name in lang (a fresh dict; computed once per version of the tables and language)."""
    docs = tables.get("documents")
    if docs is None:
        return {}

    def make() -> dict[str, str]:
        shown = docs[f"name_{lang}"].astype("string").fillna("").astype(str)
        return dict(zip(docs["jurisdiction"], shown.where(shown != "", docs["jurisdiction"])))
    return dict(derived(tables, ("names", lang), make))


# id(frame) -> (weak reference to the frame, slug -> row positions, selections made): filled by read_tables for the
# cached tables only.
_PLACE_ROWS: dict[int, tuple[weakref.ref, dict[str, np.ndarray], dict[tuple, pd.DataFrame]]] = {}
# Selections kept per table, and the largest kept: taking ~15,000 rows of 26 text columns is 30-50 ms a rerun with
# ~10,000 replies, and a person reruns the same selection again and again (every widget click).
MAX_KEPT_SELECTIONS = 16
MAX_KEPT_ROWS = 100_000


def index_places(df: pd.DataFrame) -> None:
    """Remember the row positions of each jurisdiction of df (a cached table), for select()."""
    for key in [k for k, (ref, *_) in _PLACE_ROWS.items() if ref() is None]:  # tables of replaced versions
        del _PLACE_ROWS[key]
    codes, places = pd.factorize(df["jurisdiction"], use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(places) + 1))
    _PLACE_ROWS[id(df)] = (weakref.ref(df), {p: order[bounds[i]:bounds[i + 1]] for i, p in enumerate(places)}, {})


def select(df: pd.DataFrame | None, slugs) -> pd.DataFrame | None:
    """Rows of the chosen jurisdictions, in table order, in a fresh frame so callers may modify it.

    A cached table takes its rows by the positions read_tables indexed (a ~400k-row isin was 70-110 ms a rerun with
    ~10,000 replies); any other frame is filtered. Either is a new frame, and with pandas' copy-on-write (pandas 3)
    writing to it never reaches the cached table, so no second, deep copy.
    """
    if df is None:
        return None
    entry = _PLACE_ROWS.get(id(df))
    if entry is not None and entry[0]() is df:
        ref, positions, kept = entry
        key = tuple(s for s in dict.fromkeys(slugs) if s in positions)
        made = kept.get(key)
        if made is None:
            parts = [positions[s] for s in key]
            made = df.take(np.sort(np.concatenate(parts)) if parts else np.array([], dtype=np.intp))
            if len(made) <= MAX_KEPT_ROWS:
                if len(kept) >= MAX_KEPT_SELECTIONS:
                    kept.clear()
                kept[key] = made
        # A shallow copy: with copy-on-write (pandas 3) a caller's change to it never reaches the kept one.
        return made.copy(deep=False)
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
