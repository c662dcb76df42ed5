"""Incremental tables: a workbench save rebuilds its one record and updates the tables from what the last build or
save kept of every other record, byte for byte the tables a rebuild from every record writes (issue 21, item 12).

A save used to read every other record file (10 ms each) and read, clean and tokenise every other raw reply (the
distinctive-terms table is TF-IDF over all replies): 54 s at 1,433 replies. What is kept instead, in
data/build-cache/table-rows.bin (git-ignored, like the fingerprints; written by `build` and by every save):

- per record, in record-id order: the length of its lines in documents.csv, facts.csv, measures.csv and density.csv
  (those tables are each record's lines joined in record-id order: loaders.tables.ROW_TABLES, and a record's density
  rows read only its own facts and its place's population), its slug and dates, its term counts, and the sha256 of
  the record file and of the raw reply they were made from;
- the sha256 and size of each of those table files and of distinctive_terms.csv.

A save then copies the other records' lines from the old table files around its record's new lines, remakes the small
tables (population, national; the distinctive terms only when a reply's terms, a slug or the set of replies
changed: a new reply changes every TF-IDF score) and switches the set in as `build` does. What it trusts, and why:

- the loader: the cache names the loader fingerprint it was made with (loaders/fingerprint.py, which covers the
  census populations); another voids it, and so does another reference/population.csv (the density lines);
- the tables: every byte of each old file it copies from (or links, when unchanged) is hashed on the way; a file that
  is not the one the cache describes (edited by hand, replaced, damaged) voids the new set before it is switched in;
- each other record file and raw reply: its sha256 as kept, while lstat gives the inode, size, modification and
  change time it had when it was hashed and that change time is RACY_NS older than the moment the cache began to look
  (a file changed within the same clock tick as it was looked at keeps its times: git's index has the same rule);
  a file that fails either is hashed again, and where its bytes changed that record is read, or its reply tokenised,
  again, exactly as the full path does;
- the cache file itself: its first line holds the sha256 of the rest.

Anything else (no cache, a damaged one, another loader, tables not as described) takes the full path: every record
file and raw reply read as the workbench always read them, and a new cache written. Either way the save then vouches
in the build's fingerprints for the record it built and for the tables, so `check` takes its fast path after a save
and still names a table edited or left stale afterwards.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import sys
import time
import traceback
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from loaders.errors import LoaderError, describe_write_error

log = logging.getLogger("loaders")

FORMAT = 2
CACHE_FILE = "table-rows.bin"
MAGIC = b"table-rows"
# A file whose change time is this close to (or after) the moment its times were taken may change again within the
# same clock tick without showing it: it is hashed rather than trusted by its times (coarse timestamps are 1-10 ms).
RACY_NS = 2_000_000_000
# loaders.tables.ROW_TABLES and the density table, in the order of an entry's lengths
SPLICED = ("documents", "facts", "measures", "density")
DISTINCTIVE = "distinctive_terms"
CHUNK = 1 << 20
_UNIT = array("I").itemsize


class Stale(Exception):
    """The cache does not describe the folder as it is; the save takes the full path."""


# --- what is kept of one record --------------------------------------------------------------------------------


@dataclass
class Entry:
    """What the tables hold of one record. rows and density_csv are set for a record whose lines are made now (built,
    or read again); otherwise its lines are in the old tables, at the place the lengths of the records before it give."""

    id: str
    slug: str
    date_written: str
    date_published: str
    n_facts: int
    n_measures: int
    lengths: tuple[int, int, int, int]
    record_sha: str | None          # sha256 of the record file its lines come from; None: read it again next time
    record_sig: list[int] | None    # lstat of that file when it was hashed (inode, size, mtime, ctime)
    raw_sha: str | None             # sha256 of the raw reply its term counts come from
    raw_sig: list[int] | None
    terms: tuple[array, array]      # numbered in the cache's vocabulary (TermCounts.numbered)
    rows: object | None = None      # loaders.rows.RecordRows, when the lines are made now
    density_csv: bytes | None = None  # its density.csv lines, when made now

    def new_lines(self, table: int) -> bytes:
        """Its lines of SPLICED[table], made now."""
        from loaders.tables import ROW_TABLES

        name = SPLICED[table]
        return self.density_csv if name == "density" else getattr(self.rows, ROW_TABLES[name])


def entry_of_rows(rows, by_place: dict, terms: tuple[array, array], record_sha: str | None, record_sig,
                  raw_sha: str | None, raw_sig) -> Entry:
    """by_place: loaders.tables.group_population of every population the density table may use."""
    from loaders.tables import density_lines

    density = density_lines(rows, by_place)
    return Entry(id=rows.id, slug=rows.slug, date_written=rows.date_written, date_published=rows.date_published,
                 n_facts=rows.n_facts, n_measures=rows.n_measures,
                 lengths=(len(rows.document_csv), len(rows.facts_csv), len(rows.measures_csv), len(density)),
                 record_sha=record_sha, record_sig=record_sig, raw_sha=raw_sha, raw_sig=raw_sig, terms=terms,
                 rows=rows, density_csv=density)


def light_rows(entry: Entry):
    """A RecordRows without lines or facts, for the distinctive-terms table (which reads ids and slugs)."""
    from loaders.rows import RecordRows

    return RecordRows(entry.id, entry.slug, entry.date_written, entry.date_published, b"", b"", b"", (),
                      entry.n_facts, entry.n_measures)


@dataclass
class Reference:
    """The population the tables are made with, read once per save or build: reference/population.csv (its sha256
    keys the cache: the density lines depend on it) and the 2020 census (part of the loader's fingerprint)."""

    population_sha: str
    curated: object   # DataFrame: loaders.tables.load_population
    census: object    # DataFrame: loaders.tables.load_census
    by_place: dict    # every place's rows as the density table uses them (loaders.tables.group_population)

    def population_of(self, places) -> object:
        """The population table of a build of these places (loaders.__main__.build_outputs)."""
        from loaders.tables import population_for

        return population_for(self.curated, self.census, places)


def read_reference(folder: Path) -> Reference:
    from loaders.read import read_regular_file
    from loaders.tables import group_population, load_census, load_population, population_for

    path = folder / "reference" / "population.csv"
    data = read_regular_file(path, limit=1 << 30)
    curated = load_population(path, data.decode("utf-8-sig"))
    census = load_census(folder / "reference")
    # A place's rows are the same whichever other places a build has: its curated rows, then the census's own
    # row where no curated census row stands.
    every = population_for(curated, census, set(census["jurisdiction"]) | set(curated["jurisdiction"]))
    return Reference(hashlib.sha256(data).hexdigest(), curated, census, group_population(every))


@dataclass
class Cache:
    loader: str
    snapshot_ns: int                 # no file was looked at before this moment (see RACY_NS)
    files: dict[str, str]            # table file name -> sha256, of the tables the entries describe
    sizes: dict[str, int]
    vocabulary: list[str]
    entries: list[Entry] = field(default_factory=list)  # in record-id order
    population: str | None = None    # sha256 of reference/population.csv (the density lines were made with)


# --- the cache file ---------------------------------------------------------------------------------------------


def cache_path(folder: Path) -> Path:
    from loaders.fingerprint import CACHE_FOLDER

    return folder / CACHE_FOLDER / CACHE_FILE


_COLUMNS = ("id", "slug", "date_written", "date_published", "n_facts", "n_measures", "lengths", "record_sha",
            "record_sig", "raw_sha", "raw_sig", "n_terms")


def dump_cache(cache: Cache) -> bytes:
    columns: dict[str, list] = {name: [] for name in _COLUMNS}
    payload: list[bytes] = []
    for e in cache.entries:
        ids, counts = e.terms
        for name, value in (("id", e.id), ("slug", e.slug), ("date_written", e.date_written),
                            ("date_published", e.date_published), ("n_facts", e.n_facts),
                            ("n_measures", e.n_measures), ("lengths", list(e.lengths)), ("record_sha", e.record_sha),
                            ("record_sig", e.record_sig), ("raw_sha", e.raw_sha), ("raw_sig", e.raw_sig),
                            ("n_terms", len(ids))):
            columns[name].append(value)
        payload += [ids.tobytes(), counts.tobytes()]
    header = {"format": FORMAT, "byteorder": sys.byteorder, "unit": _UNIT, "loader": cache.loader,
              "snapshot_ns": cache.snapshot_ns, "files": cache.files, "sizes": cache.sizes,
              "population": cache.population, "vocabulary": cache.vocabulary,
              "records": columns}
    body = json.dumps(header, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n" + b"".join(payload)
    return MAGIC + f" {FORMAT} {hashlib.sha256(body).hexdigest()}\n".encode("ascii") + body


def load_cache(folder: Path) -> Cache | None:
    """The cache of the last build or save, or None (none, damaged, of another format or machine)."""
    from loaders.read import read_regular_file

    path = cache_path(folder)
    if not os.path.lexists(path):
        return None
    try:
        data = read_regular_file(path, limit=1 << 34)
        first = data.index(b"\n")
        magic, version, digest = data[:first].decode("ascii").split(" ")
        if magic.encode() != MAGIC or version != str(FORMAT):
            return None
        body = memoryview(data)[first + 1:]
        if hashlib.sha256(body).hexdigest() != digest:
            return None
        split = data.index(b"\n", first + 1)
        header = json.loads(data[first + 1:split])
        if (header.get("format") != FORMAT or header.get("byteorder") != sys.byteorder
                or header.get("unit") != _UNIT):
            return None
        cache = Cache(loader=header["loader"], snapshot_ns=int(header["snapshot_ns"]), files=header["files"],
                      sizes=header["sizes"], vocabulary=header["vocabulary"], population=header["population"])
        cols = header["records"]
        payload = memoryview(data)[split + 1:]
        at = 0
        for i, rid in enumerate(cols["id"]):
            n = cols["n_terms"][i]
            ids, counts = array("I"), array("I")
            ids.frombytes(payload[at:at + n * _UNIT])
            counts.frombytes(payload[at + n * _UNIT:at + 2 * n * _UNIT])
            at += 2 * n * _UNIT
            cache.entries.append(Entry(
                id=rid, slug=cols["slug"][i], date_written=cols["date_written"][i],
                date_published=cols["date_published"][i], n_facts=cols["n_facts"][i],
                n_measures=cols["n_measures"][i], lengths=tuple(cols["lengths"][i]), record_sha=cols["record_sha"][i],
                record_sig=cols["record_sig"][i], raw_sha=cols["raw_sha"][i], raw_sig=cols["raw_sig"][i],
                terms=(ids, counts)))
        if at != len(payload) or [e.id for e in cache.entries] != sorted({e.id for e in cache.entries}):
            return None
        return cache
    except (LoaderError, OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return None


def write_cache(folder: Path, cache: Cache) -> None:
    """Atomically (a kill leaves the old file or the new one, and a temporary file the next build or save removes).
    Not flushed to disk: a file damaged by a crash fails its sha256 and is ignored."""
    from loaders.records import write_atomic

    try:
        write_atomic(cache_path(folder), dump_cache(cache))
    except LoaderError as exc:
        log.warning("%s (the next save reads every record)", exc.one_line())


def drop_cache(folder: Path) -> None:
    try:
        os.unlink(cache_path(folder))
    except FileNotFoundError:
        pass


# --- files as they are ------------------------------------------------------------------------------------------


def file_sig(path: Path) -> list[int] | None:
    """lstat of a regular file as [inode, size, mtime_ns, ctime_ns]; None for anything else or nothing."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def is_unchanged(sig_now: list[int] | None, sig_then: list[int] | None, snapshot_ns: int) -> bool:
    """The file's times say it is the one hashed then (and it was not changed in the moments before they were taken)."""
    return (sig_now is not None and sig_then is not None and list(sig_then) == sig_now
            and sig_now[3] < snapshot_ns - RACY_NS)


def steady_hash(path: Path, read):
    """(sha256 of the file, read(path)) where the file hashes the same before and after read: what read made is of
    those bytes. sha256 None when the file changed meanwhile (nothing of it is trusted later)."""
    from loaders.fingerprint import hash_regular_file

    before = hash_regular_file(path)
    value = read(path)
    after = hash_regular_file(path)
    return (before if before == after else None), value


def loader_fingerprint(folder: Path) -> str:
    from loaders.fingerprint import PROJECT_REFERENCE_DIR
    from loaders.fingerprint import loader_fingerprint as fingerprint_of

    return fingerprint_of([PROJECT_REFERENCE_DIR, folder / "reference"])


def tokenized(path: Path) -> tuple[tuple[str, ...], array]:
    """A raw reply's term counts, read as the full path reads it (loaders.__main__.build_outputs)."""
    from loaders.clean import clean_text
    from loaders.measures import tokenize
    from loaders.read import load_reply
    from loaders.rows import count_terms

    return count_terms(tokenize(clean_text(load_reply(path)).text))


def record_ids(folder: Path) -> list[str]:
    """The records the tables are made of: every record file whose raw reply is there (as the full path reads them)."""
    raw_dir, records_dir = folder / "raw", folder / "records"
    names = set(os.listdir(raw_dir)) if raw_dir.is_dir() else set()
    records = os.listdir(records_dir) if records_dir.is_dir() else []
    return sorted({name[:-5] for name in records if name.endswith(".yaml") and f"{name[:-5]}.txt" in names})


# --- a save ------------------------------------------------------------------------------------------------------


@dataclass
class Rebuilt:
    written: list[str]
    how: str  # "spliced", or "full: <why>"


def rebuild(folder: Path, record_id: str | None) -> Rebuilt:
    """Rebuild one record (None: none) and then the tables, with the loader's own functions; hold the lock."""
    from loaders.fingerprint import hash_record_inputs
    from loaders.records import build_record_and_text, recover_folders, write_record

    snapshot_ns = time.time_ns()  # before any file is looked at
    recover_folders(folder)  # what a save, build or import killed on the way left (we hold the lock)
    written: list[str] = []
    built = terms = inputs = None
    if record_id is not None:
        from loaders.measures import tokenize
        from loaders.rows import count_terms

        inputs = hash_record_inputs(folder / "raw", folder / "curation", record_id)
        built, clean = build_record_and_text(folder / "raw" / f"{record_id}.txt", folder / "curation")
        write_record(built, folder / "records" / f"{record_id}.yaml")
        terms = count_terms(tokenize(clean.text))
        written.append(f"data/records/{record_id}.yaml")
    how = update_tables(folder, built, terms, snapshot_ns, inputs)
    written.append("data/tables/")
    return Rebuilt(written, how)


def update_tables(folder: Path, built, terms, snapshot_ns: int, inputs: dict | None = None) -> str:
    """The tables of every record, `built` (with its term counts) as it is now: spliced from the cache when it
    describes the folder, else made from every record file. Then the cache and the fingerprints are written."""
    loader = loader_fingerprint(folder)
    reference = read_reference(folder)
    cache = load_cache(folder)
    why = ("no cache" if cache is None else "another loader" if cache.loader != loader else
           "another population" if cache.population != reference.population_sha else None)
    result = None
    if why is None:
        try:
            result = _splice(folder, cache, built, terms, reference)
        except Stale as exc:
            why = str(exc)
        except LoaderError:
            raise  # a record file that does not load, a full disk: the full path would stop on it the same way
        except Exception as exc:  # noqa: BLE001 - a fault of the splice must not cost a curator the save
            log.warning("tables: the splice failed (%s: %s); they are made from every record instead",
                        type(exc).__name__, exc)
            log.debug("%s", traceback.format_exc())
            why = f"unexpected {type(exc).__name__}: {exc}"
    if result is None:
        log.debug("tables: the full path (%s)", why)
        result = _full(folder, built, terms, reference)
    entries, table_hashes, sizes, vocabulary = result
    write_cache(folder, Cache(loader=loader, snapshot_ns=snapshot_ns, files=_kept_files(table_hashes), sizes=sizes,
                              vocabulary=vocabulary, entries=entries, population=reference.population_sha))
    _vouch(folder, loader, built, inputs, entries, table_hashes)
    return "spliced" if why is None else f"full: {why}"


def _kept_files(table_hashes: dict[str, str]) -> dict[str, str]:
    return {f"{name}.csv": table_hashes[f"{name}.csv"] for name in (*SPLICED, DISTINCTIVE)}


def _built_entry(folder: Path, built, terms, vocab, by_place: dict) -> Entry:
    from loaders.fingerprint import hash_record
    from loaders.rows import make_record_rows

    return entry_of_rows(make_record_rows(built), by_place, vocab.numbered_terms(*terms), hash_record(built),
                         file_sig(folder / "records" / f"{built.id}.yaml"), built.origin.sha256,
                         file_sig(folder / "raw" / f"{built.id}.txt"))


class Vocabulary:
    """Term numbers of the cache (only ever appended to, so kept entries keep theirs)."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = list(terms)
        self.number = {t: i for i, t in enumerate(self.terms)}

    def numbered_terms(self, terms, counts) -> tuple[array, array]:
        number, words = self.number, self.terms
        ids = array("I")
        for term in terms:
            n = number.get(term)
            if n is None:
                n = number[term] = len(words)
                words.append(term)
            ids.append(n)
        return ids, array("I", counts)

    def as_dict(self, numbered: tuple[array, array]) -> dict[str, int]:
        ids, counts = numbered
        return {self.terms[i]: c for i, c in zip(ids, counts)}


def _splice(folder: Path, cache: Cache, built, terms, reference: Reference):
    """(entries, table hashes, sizes, vocabulary) of the tables spliced from the old ones and switched in; Stale when
    the cache does not describe the folder."""
    from loaders.fingerprint import hash_regular_file
    from loaders.records import load_record
    from loaders.rows import make_record_rows

    vocab = Vocabulary(cache.vocabulary)
    old = {e.id: e for e in cache.entries}
    ids = record_ids(folder)
    if built is not None and built.id not in ids:
        ids = sorted({*ids, built.id})
    entries: list[Entry] = []
    same_terms = ids == [e.id for e in cache.entries]
    # Paths as text: 10,000 Path objects cost a tenth of a second; a file read again gets its Path.
    records_dir, raw_dir = str(folder / "records"), str(folder / "raw")
    for rid in ids:
        was = old.get(rid)
        if built is not None and rid == built.id:
            entry = _built_entry(folder, built, terms, vocab, reference.by_place)
        else:
            record_path, raw_path = f"{records_dir}{os.sep}{rid}.yaml", f"{raw_dir}{os.sep}{rid}.txt"
            record_sig, raw_sig = file_sig(record_path), file_sig(raw_path)
            record_ok = was is not None and was.record_sha is not None and (
                is_unchanged(record_sig, was.record_sig, cache.snapshot_ns)
                or (record_sig is not None and hash_regular_file(Path(record_path)) == was.record_sha))
            raw_ok = was is not None and was.raw_sha is not None and (
                is_unchanged(raw_sig, was.raw_sig, cache.snapshot_ns)
                or (raw_sig is not None and hash_regular_file(Path(raw_path)) == was.raw_sha))
            if record_ok:
                entry = Entry(**{**was.__dict__, "record_sig": record_sig})
            else:
                # Read again, as the full path reads it (a record file that does not load stops the save the same way).
                sha, record = steady_hash(Path(record_path), load_record)
                entry = entry_of_rows(make_record_rows(record), reference.by_place,
                                      was.terms if was else (array("I"), array("I")),
                                      sha, record_sig, was.raw_sha if was else None, was.raw_sig if was else None)
            if raw_ok:
                entry.raw_sig = raw_sig
            else:
                sha, counted = steady_hash(Path(raw_path), tokenized)
                entry.terms, entry.raw_sha, entry.raw_sig = vocab.numbered_terms(*counted), sha, raw_sig
        if was is None or was.slug != entry.slug or (
                entry.terms is not was.terms and vocab.as_dict(entry.terms) != vocab.as_dict(was.terms)):
            same_terms = False
        entries.append(entry)
    hashes, sizes = _write_spliced(folder, cache, entries, vocab, reference, keep_distinctive=same_terms)
    return entries, hashes, sizes, vocab.terms


def _pieces(cache: Cache, entries: list[Entry], table: int, header: bytes) -> list:
    """The new file of one of SPLICED as pieces: (start, end) of the old file, or bytes made now."""
    offsets, at = {}, len(header)
    for e in cache.entries:
        offsets[e.id] = at
        at += e.lengths[table]
    if at != cache.sizes.get(f"{SPLICED[table]}.csv"):
        raise Stale(f"the cache does not add up to {SPLICED[table]}.csv")
    pieces: list = [(0, len(header))]
    for e in entries:
        if e.rows is not None:
            piece = e.new_lines(table)
            if piece:
                pieces.append(piece)
            continue
        start = offsets[e.id]
        end = start + e.lengths[table]
        last = pieces[-1]
        if isinstance(last, tuple) and last[1] == start:
            pieces[-1] = (last[0], end)
        elif end > start:
            pieces.append((start, end))
    return pieces


def _write_spliced(folder: Path, cache: Cache, entries: list[Entry], vocab: Vocabulary, reference: Reference,
                   keep_distinctive: bool):
    """Write the new table set into a stage and switch it in; (sha256 of each file, size of each file)."""
    import pandas as pd

    from loaders.records import make_stage, switch_folder
    from loaders.rows import TermCounts
    from loaders.tables import small_table_files, table_header

    tables_dir = folder / "tables"
    # As a build takes it (loaders.__main__.build_outputs): the curated rows, and the census's for the other places.
    population = reference.population_of({e.slug for e in entries})
    national = pd.read_csv(folder / "reference" / "national.csv")
    names = ("population", "national") if keep_distinctive else ("distinctive_terms", "population", "national")
    counts = rows = None
    if not keep_distinctive:
        rows = [light_rows(e) for e in entries]
        counts = TermCounts.from_vocabulary(vocab.terms)
        for e in entries:
            counts.add_numbered(e.id, *e.terms)
    small = small_table_files(rows, population, national, counts, names=names)
    if not tables_dir.is_dir():
        raise Stale("no tables folder")
    hashes, sizes = {}, {}
    stage = make_stage(tables_dir)
    try:
        for i, name in enumerate(SPLICED):
            header = table_header(name)
            pieces = _pieces(cache, entries, i, header)
            file = f"{name}.csv"
            hashes[file], sizes[file] = splice_file(tables_dir / file, stage / file, pieces, header,
                                                    cache.files.get(file), cache.sizes.get(file))
        if keep_distinctive:
            file = f"{DISTINCTIVE}.csv"
            size = cache.sizes.get(file)
            hashes[file], sizes[file] = splice_file(tables_dir / file, stage / file, [(0, size)], b"",
                                                    cache.files.get(file), size)
        for name, data in small.items():
            hashes[f"{name}.csv"], sizes[f"{name}.csv"] = _write_new(stage / f"{name}.csv", data)
        _carry_over_others(tables_dir, stage, hashes)
        switch_folder(stage, tables_dir)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise describe_write_error(tables_dir, exc) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return hashes, sizes


def _write_new(path: Path, data: bytes) -> tuple[str, int]:
    from loaders.records import _slow_down

    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    _slow_down()
    return hashlib.sha256(data).hexdigest(), len(data)


def _carry_over_others(tables_dir: Path, stage: Path, hashes: dict) -> None:
    """What write_folder carries over: a file of the old folder that is no table (a README someone put there)."""
    from loaders.fingerprint import hash_regular_file

    for old in tables_dir.iterdir():
        if old.name not in hashes and old.is_file() and not old.is_symlink() and not old.name.startswith("."):
            shutil.copy2(old, stage / old.name)
            if old.name.endswith(".csv"):
                hashes[old.name] = hash_regular_file(stage / old.name)


def splice_file(old_path: Path, new_path: Path, pieces: list, header: bytes, expected_sha: str | None,
                expected_size: int | None) -> tuple[str, int]:
    """Write new_path from pieces ((start, end) of old_path, or bytes; the old ranges in order) and return its
    (sha256, size). Every byte of old_path is hashed on the way (once, while the new file is the same so far): if it
    is not the file of expected_sha and expected_size, Stale. A new file that is all of the old one is a hard link to
    it (a table file is never written in place: a build or save writes a new folder)."""
    from loaders.records import _slow_down

    if expected_sha is None or expected_size is None:
        raise Stale(f"the cache does not describe {old_path.name}")
    try:
        fd = os.open(old_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        raise Stale(f"{old_path.name} cannot be read") from None
    with os.fdopen(fd, "rb", buffering=0) as src:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or os.fstat(fd).st_size != expected_size:
            raise Stale(f"{old_path.name} is not the file the cache describes")
        if header and os.pread(fd, len(header), 0) != header:
            raise Stale(f"{old_path.name} has other columns")
        whole = pieces == [(0, expected_size)] or (expected_size == 0 and not pieces)
        old_hash = hashlib.sha256()
        new_hash = None  # None: the new file is the old one so far, and old_hash stands for both
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        pos = 0
        out = None if whole else open(new_path, "wb", buffering=0)

        def diverge():
            nonlocal new_hash
            if new_hash is None:
                new_hash = old_hash.copy()

        def take(end: int, keep: bool) -> None:
            nonlocal pos
            while pos < end:
                n = src.readinto(view[:min(CHUNK, end - pos)])
                if not n:
                    raise Stale(f"{old_path.name} is shorter than the cache says")
                chunk = view[:n]
                old_hash.update(chunk)
                if keep:
                    if new_hash is not None:
                        new_hash.update(chunk)
                    if out is not None:
                        out.write(chunk)
                pos += n

        try:
            for piece in pieces:
                if isinstance(piece, tuple):
                    start, end = piece
                    if start > pos:
                        diverge()
                        take(start, keep=False)
                    take(end, keep=True)
                else:
                    diverge()
                    new_hash.update(piece)
                    out.write(piece)
            if pos < expected_size:
                diverge()
                take(expected_size, keep=False)
            if src.read(1):
                raise Stale(f"{old_path.name} is longer than the cache says")
            if old_hash.hexdigest() != expected_sha:
                raise Stale(f"{old_path.name} is not the file the cache describes (edited since?)")
            if out is not None:
                out.flush()
                os.fsync(out.fileno())
                size = out.tell()
        finally:
            if out is not None:
                out.close()
    if whole:
        try:
            os.link(old_path, new_path)
        except OSError:  # another file system (a tables folder that is a link), or no hard links there
            shutil.copyfile(old_path, new_path)
            with open(new_path, "rb") as fh:
                os.fsync(fh.fileno())
            if hashlib.sha256(Path(new_path).read_bytes()).hexdigest() != expected_sha:
                raise Stale(f"{old_path.name} changed while it was copied") from None
        return expected_sha, expected_size
    _slow_down()
    return (new_hash or old_hash).hexdigest(), size


def _full(folder: Path, built, terms, reference: Reference):
    """Today's path: every other record file read and every raw reply tokenised (loaders.__main__.build_outputs), the
    tables written whole; (entries, table hashes, sizes, vocabulary) for the cache."""
    from loaders.__main__ import build_outputs
    from loaders.records import load_record
    from loaders.rows import TermCounts, make_record_rows
    from loaders.tables import write_tables

    records_dir, raw_dir = folder / "records", folder / "raw"
    vocab = Vocabulary([])
    entries = []
    for rid in record_ids(folder) if built is None else sorted({*record_ids(folder), built.id}):
        if built is not None and rid == built.id:
            entries.append(_built_entry(folder, built, terms, vocab, reference.by_place))
            continue
        record_path, raw_path = records_dir / f"{rid}.yaml", raw_dir / f"{rid}.txt"
        record_sig = file_sig(record_path)
        record_sha, record = steady_hash(record_path, load_record)
        entries.append(entry_of_rows(make_record_rows(record), reference.by_place, (array("I"), array("I")),
                                     record_sha, record_sig, None, None))
    # The replies are tokenised once every record has loaded (build_outputs' order: a broken record is named first).
    for e in entries:
        if e.raw_sha is None and not (built is not None and e.id == built.id):
            raw_path = raw_dir / f"{e.id}.txt"
            e.raw_sig = file_sig(raw_path)
            e.raw_sha, counted = steady_hash(raw_path, tokenized)
            e.terms = vocab.numbered_terms(*counted)
    counts = TermCounts.from_vocabulary(vocab.terms)
    for e in entries:
        counts.add_numbered(e.id, *e.terms)
    tables = build_outputs([e.rows for e in entries], folder / "reference", counts)
    write_tables(tables, folder / "tables")
    hashes = {f"{name}.csv": hashlib.sha256(data).hexdigest() for name, data in tables.items()}
    sizes = {f"{name}.csv": len(data) for name, data in tables.items()}
    return entries, hashes, sizes, vocab.terms


# --- the fingerprints ------------------------------------------------------------------------------------------


def _vouch(folder: Path, loader: str, built, inputs: dict | None, entries: list[Entry], table_hashes: dict) -> None:
    """What a save can vouch for in the build's fingerprints (loaders/fingerprint.py): the record it built, from its
    inputs as they were before and after (a curation file edited meanwhile gets no fact), and the tables, from the
    records each line came from (none where a record file changed while it was read)."""
    from loaders import fingerprint

    record_hashes = {e.id: e.record_sha for e in entries}
    records = {}
    if built is not None and inputs is not None and None not in inputs.values():
        after = fingerprint.hash_record_inputs(folder / "raw", folder / "curation", built.id)
        sha = fingerprint.hash_regular_file(folder / "records" / f"{built.id}.yaml")
        if after == inputs and sha == record_hashes.get(built.id):
            records[built.id] = {**inputs, "record": sha}
    tables = None
    if None not in record_hashes.values():
        tables = {"records": fingerprint.digest_record_set(record_hashes), "files": dict(sorted(table_hashes.items()))}
    new = {"format": fingerprint.FORMAT, "loader": loader, "records": records, "tables": tables}
    ids = {p.stem for p in (folder / "raw").glob("*.txt")}
    try:
        fingerprint.write_fingerprints(folder, fingerprint.merge_fingerprints(fingerprint.load_fingerprints(folder),
                                                                              new, ids))
    except LoaderError as exc:
        log.warning("%s (the next check re-extracts every reply)", exc.one_line())


# --- a build ---------------------------------------------------------------------------------------------------


def write_after_build(folder: Path, loader: str, snapshot_ns: int, rows: list, kept: list, tokens,
                      tables: dict[str, bytes], record_hashes: dict[str, str], raw_hashes: dict[str, str | None]) -> None:
    """The cache of the tables a build wrote: rows of the records it built (their files hash as record_hashes) and
    the records it kept from an earlier build (read again by the next save); raw_hashes of the replies that hashed
    the same before and after the build (None for one that changed meanwhile)."""
    from loaders.rows import as_record_rows

    records_dir, raw_dir = folder / "records", folder / "raw"
    reference = read_reference(folder)  # changed since the build read it: the density lines do not add up, or
    # do not hash as the table, and the next save takes the full path
    vocab = Vocabulary(tokens.vocabulary)
    built = {r.id for r in rows}
    entries = []
    for item in sorted([*rows, *kept], key=lambda r: r.id):
        r = as_record_rows(item)
        record_sha = record_hashes.get(r.id) if r.id in built else None
        entries.append(entry_of_rows(r, reference.by_place, tokens.numbered(r.id), record_sha,
                                     file_sig(records_dir / f"{r.id}.yaml"),
                                     raw_hashes.get(r.id), file_sig(raw_dir / f"{r.id}.txt")))
    hashes = {f"{name}.csv": hashlib.sha256(data).hexdigest() for name, data in tables.items()}
    sizes = {f"{name}.csv": len(data) for name, data in tables.items()}
    write_cache(folder, Cache(loader=loader, snapshot_ns=snapshot_ns, files=_kept_files(hashes), sizes=sizes,
                              vocabulary=vocab.terms, entries=entries, population=reference.population_sha))
