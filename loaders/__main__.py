"""Command line: `python -m loaders build|extract|check|import`; user mistakes end in one line, never a traceback."""

from __future__ import annotations

import argparse
import errno
import hashlib
import logging
import math
import os
import signal
import stat
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from loaders.errors import FatalWriteError, LoaderError

__version__ = "0.12.0"

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
CURATION_DIR = DATA_DIR / "curation"
RECORDS_DIR = DATA_DIR / "records"
TABLES_DIR = DATA_DIR / "tables"
REFERENCE_DIR = DATA_DIR / "reference"

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EPILOG = """\
exit codes: 0 all well; 1 problems found (each named on one line on stderr; build still
builds every other reply); 2 usage error (a bad option, or a file or folder given that
does not exist or cannot be used).

A file name that starts with '-' is read as an option: put -- before it
(python -m loaders extract -- -reply.txt) or write ./-reply.txt.
--data, --quiet and --verbose go before or after the command."""

CHECK_DESCRIPTION = """\
Validate curation, records and tables, and that a build would write them byte for byte.

Fast path: `build` leaves fingerprints in DIR/build-cache/fingerprints.json (sha256 of the loader's
sources, of every reference file and of the installed library versions; per record, of its raw reply, its
curation file, its raw_manifest.csv line and the record file it wrote; of each table file). A record whose
fingerprints all match is trusted as that build wrote it and is not re-extracted (nor its quotes re-read);
the tables are trusted if every record a build would write is the one they were built from and each table
file hashes as built. Anything else (an edited, added or removed reply, curation file, record or table)
is re-extracted or rebuilt and compared in full. With no fingerprint file, or another loader, or --full,
every reply is re-extracted, as without fingerprints. The fast path trusts that the fingerprint file
itself is the build's: delete it (or use --full) after editing it by hand."""

# Per-reply budget, in seconds of extraction; a reply is a few KB and takes well under a second.
REPLY_SECONDS_ENV = "LOADERS_REPLY_SECONDS"
DEFAULT_REPLY_SECONDS = 60.0
# Files `import` takes from a folder; anything else is listed as skipped (a README.md beside the replies).
REPLY_SUFFIXES = (".txt",)

log = logging.getLogger("loaders")


def _use_data_dir(data_dir: Path) -> None:
    """Point every command at another data folder (tests build into a copy of data/)."""
    global DATA_DIR, RAW_DIR, CURATION_DIR, RECORDS_DIR, TABLES_DIR, REFERENCE_DIR
    DATA_DIR = data_dir
    RAW_DIR, CURATION_DIR = data_dir / "raw", data_dir / "curation"
    RECORDS_DIR, TABLES_DIR = data_dir / "records", data_dir / "tables"
    REFERENCE_DIR = data_dir / "reference"


# --- workers ------------------------------------------------------------------

_PARENT_PID: int | None = None


class _OverBudget(Exception):
    pass


def _init_worker(parent_pid: int) -> None:
    """In each pool worker: die with the parent (a `kill -9` of build must not leave orphans writing records)."""
    global _PARENT_PID
    _PARENT_PID = parent_pid
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1 (Linux)
    except (AttributeError, OSError):
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _reply_budget() -> float:
    try:
        return max(0.0, float(os.environ.get(REPLY_SECONDS_ENV, DEFAULT_REPLY_SECONDS)))
    except ValueError:
        return DEFAULT_REPLY_SECONDS


def _on_alarm(_signum, _frame):
    raise _OverBudget


def _build_one(args: tuple[str, str, str | None, str | None, bool]):
    """In a worker: build one record, write it if asked, and make what the tables need of it.

    Everything per reply happens here, so `--jobs N` divides it; the parent only gathers the results.
    Returns (rows, term counts, record, error line, is_fatal, is_same): rows the record's table rows
    (loaders.rows.RecordRows), term counts its tokens as (terms, counts), record the Record itself only
    when asked (check compares it with its file; in a pool worker it is sent as its JSON), is_same when
    compare_dir holds a file for the record with exactly the bytes a build would write (check), so the
    parent need not read it back."""
    raw_path, curation_dir, records_dir, compare_dir, keep_record = args
    if _PARENT_PID is not None and os.getppid() != _PARENT_PID:
        os._exit(1)
    from loaders.measures import tokenize
    from loaders.records import build_record_and_text, write_record
    from loaders.rows import count_terms, make_record_rows

    budget = _reply_budget()
    timed = budget > 0 and hasattr(signal, "setitimer") and _is_main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        record, clean = build_record_and_text(Path(raw_path), Path(curation_dir))
        terms = count_terms(tokenize(clean.text))
    except _OverBudget:
        return None, None, None, (f"{raw_path}: extraction took more than {budget:g} s and was stopped "
                                  f"(split the file into one reply per file, or raise {REPLY_SECONDS_ENV})"), False, False
    except FatalWriteError as exc:
        return None, None, None, exc.one_line(), True, False
    except LoaderError as exc:
        return None, None, None, exc.one_line(), False, False
    except Exception as exc:  # noqa: BLE001 - one reply's bug must not stop the other replies
        log.debug("%s", traceback.format_exc())
        text = LoaderError(raw_path, f"unexpected error while extracting ({type(exc).__name__}: {exc})",
                           "the other replies were built; please report this file").one_line()
        return None, None, None, text, False, False
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if records_dir is not None:
        try:
            write_record(record, Path(records_dir) / f"{record.id}.yaml")
        except FatalWriteError as exc:
            return None, None, None, exc.one_line(), True, False
    is_same = compare_dir is not None and _is_same_record(record, Path(compare_dir))
    kept = None
    if keep_record:
        kept = record
        # In a pool worker the record goes back as its JSON: pydantic writes and reads it about three times
        # faster than pickle does its ~100 models. JSON has no infinity: a record holding one is pickled.
        if _PARENT_PID is not None and all(math.isfinite(v) for f in record.facts
                                           for v in (f.value, f.value_max or 0.0)):
            kept = record.model_dump_json()
    # The rows, not the record: the parent appends them and never validates a record again.
    return make_record_rows(record), terms, kept, None, False, is_same


def _is_same_record(record, compare_dir: Path) -> bool:
    """The record file in compare_dir holds exactly what write_record would write for record. A file that
    differs in any byte (or cannot be read) is read back by the parent, which names the problem."""
    from loaders.records import dump_yaml

    path = compare_dir / f"{record.id}.yaml"
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with open(path, "rb") as fh:
            on_disk = fh.read()
    except OSError:
        return False
    return on_disk == dump_yaml(record.model_dump(mode="json")).encode("utf-8")


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def build_all(raw_dir: Path, curation_dir: Path, jobs: int = 1, progress: bool = True,
              records_dir: Path | None = None, compare_dir: Path | None = None, same: set | None = None,
              records: list | None = None, paths: list[Path] | None = None):
    """Build every record; write each to records_dir as soon as it is built (None: write nothing).

    Returns (rows, term counts, failures): the table rows of each record built (loaders.rows.RecordRows, in
    file order), the term counts of its tokens by record id (loaders.rows.TermCounts), and the error lines;
    build_outputs makes the tables of them. The records themselves are not kept (ten thousand pydantic
    records are gigabytes), unless `records` is given: the validated records are appended to it (check).
    A write that no reply can avoid failing (a full disk) raises FatalWriteError at once. With compare_dir
    (check), the workers compare each record with its file there and the ids of those identical byte for
    byte are added to `same`. paths: only these replies (check's fast path re-extracts only what changed
    since the build)."""
    from tqdm import tqdm

    from loaders.rows import TermCounts
    from loaders.schema import Record

    paths = sorted(raw_dir.glob("*.txt")) if paths is None else sorted(paths)
    keep_record = records is not None
    work = [(str(p), str(curation_dir), None if records_dir is None else str(records_dir),
             None if compare_dir is None else str(compare_dir), keep_record) for p in paths]
    bar = tqdm(total=len(work), desc="build", unit="reply", disable=not progress, file=sys.stderr)
    all_rows, terms, failures = [], TermCounts(), []
    if jobs > 1 and len(work) > 1:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(os.getpid(),))
        results = pool.map(_build_one, work, chunksize=max(1, min(32, len(work) // (jobs * 8))))
    else:
        pool, results = None, map(_build_one, work)
    try:
        for rows, counts, record, error, is_fatal, is_same in results:
            if is_fatal:
                raise FatalWriteError(*_split_line(error))
            if rows is not None:
                all_rows.append(rows)
                terms.add(rows.id, *counts)
                if keep_record:
                    records.append(Record.model_validate_json(record) if isinstance(record, str) else record)
                if is_same and same is not None:
                    same.add(rows.id)
                log.debug("built %s (%d facts, %d measures)", rows.id, rows.n_facts, rows.n_measures)
            else:
                failures.append(error)
            bar.update()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        bar.close()
    return all_rows, terms, failures


def _split_line(line: str) -> tuple[str, str]:
    path, _, problem = line.partition(": ")
    return path, problem


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def build_outputs(records, reference_dir: Path, tokens=None) -> dict[str, bytes]:
    """The bytes of every table file (name -> CSV bytes; loaders.tables.write_tables writes them) for a list of
    records: RecordRows (from build_all) or Records (one kept from an earlier build, the review workbench's), in
    any order. tokens: by record id, TermCounts (from build_all) or token lists; a record without them is re-read
    and tokenised. TermCounts given are added to, not copied."""
    import pandas as pd

    from loaders.clean import clean_text
    from loaders.measures import tokenize
    from loaders.read import load_reply
    from loaders.rows import as_record_rows, make_term_counts
    from loaders.tables import build_table_files, load_census, load_population, population_for

    national = pd.read_csv(reference_dir / "national.csv")
    raw_dir = reference_dir.parent / "raw"
    terms = make_term_counts(tokens)
    rows = [as_record_rows(r) for r in records]
    population = population_for(load_population(reference_dir / "population.csv"), load_census(reference_dir),
                                {r.slug for r in rows})
    for r in rows:
        if r.id not in terms:
            terms.add_tokens(r.id, tokenize(clean_text(load_reply(raw_dir / f"{r.id}.txt")).text))
    return build_table_files(rows, population, national, terms)


# --- curation files as a set ------------------------------------------------------


def check_curation_files(curation_dir: Path, raw_dir: Path, load_all: bool,
                          trusted: frozenset | set = frozenset()) -> tuple[list[str], list[str]]:
    """(problems, warnings) of the curation folder as a whole: a file with no reply, two files claiming one
    record_id, a file whose name does not end in .yaml. load_all: validate every file (check); otherwise
    only the files that no reply would read (build), so a build of ten thousand replies stays fast. trusted:
    ids whose curation file, byte for byte, the last build read (check's fast path): it loaded and claimed
    its own id then, or that record would have failed."""
    from loaders.records import load_curation

    problems, warnings = [], []
    if not curation_dir.is_dir():
        return problems, warnings
    claims: dict[str, Path] = {}
    for path in sorted(curation_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if path.suffix in (".yml", ".YAML", ".Yaml") or (path.suffix != ".yaml" and path.is_file()):
            warnings.append(f"{path}: ignored: a curation file is named <record_id>.yaml")
            continue
        if path.suffix != ".yaml":
            continue
        has_reply = os.path.lexists(raw_dir / f"{path.stem}.txt")
        if has_reply and (not load_all or path.stem in trusted):
            claims.setdefault(path.stem, path)
            continue
        try:
            curation = load_curation(path)
        except LoaderError as exc:
            problems.append(exc.one_line())
            continue
        rid = curation.record_id if curation is not None else path.stem
        if rid in claims or (rid != path.stem and os.path.lexists(curation_dir / f"{rid}.yaml")):
            other = claims.get(rid, curation_dir / f"{rid}.yaml")
            problems.append(f"{path}: claims record_id {rid!r}, like {other}; one file per record, named "
                            f"<record_id>.yaml (merge the two)")
            continue
        claims[rid] = path
        if not has_reply:
            line = f"{path}: no raw reply data/raw/{path.stem}.txt for this curation"
            (problems if load_all else warnings).append(line)
    return problems, warnings


# --- commands -----------------------------------------------------------------


def _lock_data_dir(data_dir: Path | None = None):
    """One build, import or workbench save at a time per data folder: an advisory lock on the folder itself
    (no lock file). data_dir: another folder than the command's (the review workbench passes its own)."""
    import fcntl

    folder = DATA_DIR if data_dir is None else data_dir
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise LoaderError(str(folder), "another build or import is running on this folder",
                          "wait for it to finish") from None
    return fd


def cmd_build(args) -> int:
    import shutil

    from loaders import fingerprint
    from loaders.records import load_record, make_stage, recover_folders, recover_imports, switch_folder, sync_folder
    from loaders.tables import load_population, write_tables

    lock = _lock_data_dir()
    try:
        for line in recover_imports(DATA_DIR) + recover_folders(DATA_DIR):
            log.info("%s (left by an interrupted build or import)", line)
        problems, warnings = check_curation_files(CURATION_DIR, RAW_DIR, load_all=False)
        for line in warnings:
            log.warning("%s", line)
        load_population(REFERENCE_DIR / "population.csv")  # a bad row stops the build before any reply is read
        # Fingerprints (loaders/fingerprint.py) of the inputs before the build and after it: check trusts neither alone.
        loader_before = fingerprint.loader_fingerprint(_reference_dirs())
        inputs_before = fingerprint.hash_inputs(RAW_DIR, CURATION_DIR)
        # Records are built into a fresh folder and switched in as a whole, like the tables.
        stage = make_stage(RECORDS_DIR)
        try:
            rows, tokens, failures = build_all(RAW_DIR, CURATION_DIR, jobs=args.jobs, progress=_progress(args),
                                               records_dir=stage)
            failures = problems + failures
            # A reply that failed keeps its previous record, so the tables still cover it.
            built = {r.id for r in rows}
            kept = []
            if RECORDS_DIR.is_dir():
                for path in sorted(RECORDS_DIR.glob("*.yaml")):
                    if path.stem in built:
                        continue
                    _carry_over(path, stage / path.name)
                    if os.path.lexists(RAW_DIR / f"{path.stem}.txt"):
                        try:
                            kept.append(load_record(path))
                        except LoaderError as exc:
                            failures.append(exc.one_line())
            # The tables sort by record id, so a kept record goes in at its place.
            tables = build_outputs(rows + kept, REFERENCE_DIR, tokens)
            sync_folder(stage)
            record_hashes = fingerprint.hash_record_files(stage, built)  # the private stage: as written, unedited
            switched_ns = time.time_ns()  # until now no record file was anyone's but this build's
            switch_folder(stage, RECORDS_DIR)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        write_tables(tables, TABLES_DIR)
        loader_after, inputs_after = _write_fingerprints(loader_before, inputs_before, record_hashes,
                                                         is_complete=not kept)
        _write_table_rows(loader_before, loader_after, switched_ns, rows, kept, tokens, tables, record_hashes,
                          inputs_before, inputs_after)
    finally:
        os.close(lock)
    n_facts = sum(r.n_facts for r in rows)
    n_measures = sum(r.n_measures for r in rows)
    print(f"built {len(rows)} records ({n_facts} facts, {n_measures} measures) into {_show(RECORDS_DIR)} "
          f"and tables into {_show(TABLES_DIR)}; {len(failures)} failed")
    for line in failures:
        log.error("%s", line)
    return EXIT_PROBLEMS if failures else EXIT_OK


def _reference_dirs() -> list[Path]:
    from loaders.fingerprint import PROJECT_REFERENCE_DIR

    return [PROJECT_REFERENCE_DIR, REFERENCE_DIR]


def _write_fingerprints(loader_before: str, inputs_before: dict, record_hashes: dict,
                        is_complete: bool) -> tuple[str, dict]:
    """After a build: the facts check's fast path may trust (loaders/fingerprint.py). A cache: failing to write
    it only makes the next check take the full path. Returns the loader fingerprint and the inputs after the build."""
    from loaders import fingerprint

    inputs_after = fingerprint.hash_inputs(RAW_DIR, CURATION_DIR)
    loader_after = fingerprint.loader_fingerprint(_reference_dirs())
    facts = fingerprint.make_fingerprints(
        loader_before, loader_after, inputs_before, inputs_after, record_hashes,
        fingerprint.hash_table_files(TABLES_DIR) if is_complete else None)
    if facts["loader"] is None:
        return loader_after, inputs_after  # the loader changed while it ran: this build vouches for nothing
    try:
        fingerprint.write_fingerprints(
            DATA_DIR, fingerprint.merge_fingerprints(fingerprint.load_fingerprints(DATA_DIR), facts, inputs_after))
    except LoaderError as exc:
        log.warning("%s (the next check re-extracts every reply)", exc.one_line())
    return loader_after, inputs_after


def _write_table_rows(loader_before: str, loader_after: str, switched_ns: int, rows: list, kept: list, tokens,
                      tables: dict, record_hashes: dict, inputs_before: dict, inputs_after: dict) -> None:
    """After a build: what a workbench save splices the tables from (loaders/incremental.py); a cache like the
    fingerprints. A reply that changed while the build ran has its term counts made again by the next save."""
    from loaders import incremental

    if loader_before != loader_after:
        incremental.drop_cache(DATA_DIR)
        return
    raw_hashes = {rid: entry["raw"] if inputs_after.get(rid, {}).get("raw") == entry["raw"] else None
                  for rid, entry in inputs_before.items()}
    incremental.write_after_build(DATA_DIR, loader_before, switched_ns, rows, kept, tokens, tables, record_hashes,
                                  raw_hashes)


def _carry_over(old: Path, new: Path) -> None:
    """An old record not rebuilt (its reply failed, or is gone) goes into the new set unchanged."""
    import shutil

    if old.is_symlink() or not old.is_file():
        return
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def cmd_extract(args) -> int:
    from loaders.read import load_reply
    from loaders.records import build_draft, dump_yaml

    raw = load_reply(args.file)
    draft, _ = build_draft(raw)
    sys.stdout.write(dump_yaml(draft.model_dump(mode="json")))
    return EXIT_OK


def cmd_check(args) -> int:
    """Validate records, curation and tables, and that a build would reproduce them byte for byte.

    Fast path (loaders/fingerprint.py): a record whose loader, raw reply, curation file, manifest line and file
    all hash as the last build left them is as that build wrote it, and is not re-extracted; --full re-extracts all."""
    from loaders import fingerprint
    from loaders.read import decode_reply, read_regular_file
    from loaders.records import dump_yaml, load_record
    from loaders.tables import load_population, read_table_set

    load_population(REFERENCE_DIR / "population.csv")  # a bad row is named before any reply is read
    plan = None if args.full else fingerprint.plan_check(DATA_DIR, RAW_DIR, CURATION_DIR, RECORDS_DIR,
                                                         _reference_dirs())
    if plan is not None:
        log.info("fast path: %d record(s) as the last build wrote them, %d to re-extract (--full: all)",
                 len(plan.trusted), len(plan.recheck))
    problems, warnings = check_curation_files(CURATION_DIR, RAW_DIR, load_all=True,
                                              trusted=set() if plan is None else set(plan.trusted))
    for line in warnings:
        log.warning("%s", line)
    same: set[str] = set()
    records: list = []
    rows, tokens, failures = build_all(RAW_DIR, CURATION_DIR, jobs=args.jobs, progress=False,
                                       compare_dir=RECORDS_DIR, same=same, records=records,
                                       paths=None if plan is None else plan.recheck)
    problems += failures
    for rec in records:
        path = RECORDS_DIR / f"{rec.id}.yaml"
        if not os.path.lexists(path):
            problems.append(f"{path}: missing (run `python -m loaders build`)")
            continue
        try:
            # A file identical byte for byte to the rebuilt record (compared in the worker) is that record:
            # reading it back would only repeat the build's own validation.
            on_disk = rec if rec.id in same else load_record(path)
            text = decode_reply(read_regular_file(RAW_DIR / f"{rec.id}.txt"), str(RAW_DIR / f"{rec.id}.txt"))
        except LoaderError as exc:
            problems.append(exc.one_line())
            continue
        if rec.id not in same and dump_yaml(on_disk.model_dump(mode="json")) != dump_yaml(rec.model_dump(mode="json")):
            problems.append(f"{path}: out of date with data/raw and data/curation (run `python -m loaders build`)")
        for item in list(on_disk.facts) + list(on_disk.measures):
            if text[item.quote_start:item.quote_end] != item.quote:
                problems.append(f"{path}: {item.id}: quote is not the raw text at {item.quote_start}:{item.quote_end}")
    if RECORDS_DIR.is_dir():
        for path in sorted(RECORDS_DIR.glob("*.yaml")):
            if not os.path.lexists(RAW_DIR / f"{path.stem}.txt"):
                problems.append(f"{path}: no raw reply data/raw/{path.stem}.txt (remove the record or restore the reply)")
    n_trusted = 0 if plan is None else len(plan.trusted)
    needs_rebuild = plan is None  # the full path always rebuilds and compares the tables
    if not failures and plan is not None:
        table_problems, how = plan.check_tables(records, same, bool(problems), TABLES_DIR)
        problems += table_problems
        needs_rebuild = how == "rebuild"
        if needs_rebuild:  # the records a build writes changed since it, yet each is on disk (a workbench save)
            log.info("records changed since the last build: re-extracting the other %d to compare the tables", n_trusted)
            more_rows, more_tokens, failures = build_all(RAW_DIR, CURATION_DIR, jobs=args.jobs, progress=False,
                                                         paths=[RAW_DIR / f"{rid}.txt" for rid in plan.trusted])
            rows, n_trusted = rows + more_rows, 0
            tokens.update(more_tokens)
            problems += failures
        elif how == "not compared":
            log.warning("tables not compared: the build that fixes the records above rewrites them")
    if not failures and needs_rebuild:
        on_disk_tables = read_table_set(TABLES_DIR) if TABLES_DIR.is_dir() else {}
        for name, data in build_outputs(rows, REFERENCE_DIR, tokens).items():
            path = TABLES_DIR / f"{name}.csv"
            if f"{name}.csv" not in on_disk_tables:
                problems.append(f"{path}: missing (run `python -m loaders build`)")
            elif on_disk_tables[f"{name}.csv"] != data:
                problems.append(f"{path}: out of date or edited by hand (run `python -m loaders build`)")
    problems += check_tables_readable(TABLES_DIR)
    for line in problems:
        log.error("%s", line)
    n_curation = len(list(CURATION_DIR.glob("*.yaml"))) if CURATION_DIR.is_dir() else 0
    print(f"checked {len(records) + n_trusted} records and {n_curation} curation files: {len(problems)} problem(s)")
    return EXIT_PROBLEMS if problems else EXIT_OK


def check_tables_readable(tables_dir: Path) -> list[str]:
    """Problems of the table files the dashboard would meet reading them (loaders/table_read.py, its own reader): a
    table `build` wrote and `check` compared may still be one no page can show (a curator's note holding a bare \r
    once was). Read whole every time, as check writes nothing (the 10,000-reply tables take ten seconds)."""
    from loaders.table_read import FileProblem, parse_table
    from loaders.tables import read_table_set

    if not tables_dir.is_dir():
        return []
    problems = []
    for name, data in sorted(read_table_set(tables_dir).items()):
        try:
            parse_table(Path(name).stem, data)
        except FileProblem as exc:
            problems.append(f"{tables_dir / name}: the dashboard cannot read it: {exc} (run `python -m loaders build`, "
                            "then find the cell in the curation file or reply it names)")
    return problems


def _is_reply_text(text: str) -> bool:
    """A reply is Chinese prose; a README, a licence or a log file beside the replies is not."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    return han >= 20


def _list_import_candidates(src: Path) -> tuple[list[Path], list[str]]:
    """(files to import, lines saying what was skipped and why): regular .txt files directly in the folder."""
    from loaders.read import describe_kind

    if not src.is_dir():
        return [src], []
    files, skipped = [], []
    for entry in sorted(os.scandir(src), key=lambda e: e.name):
        path = Path(entry.path)
        mode = entry.stat(follow_symlinks=False).st_mode
        if not stat.S_ISREG(mode):
            skipped.append(f"{path}: skipped: {describe_kind(mode)}, not a regular file")
        elif entry.name.startswith("."):
            skipped.append(f"{path}: skipped: a hidden file")
        elif not entry.name.lower().endswith(REPLY_SUFFIXES):
            skipped.append(f"{path}: skipped: not a .txt reply (save the reply's text as .txt to import it)")
        else:
            files.append(path)
    return files, skipped


def cmd_import(args) -> int:
    """Copy reply files byte for byte into data/raw/ under ids worked out from their text; all or nothing per file."""
    from loaders.read import decode_reply, name_problem, read_regular_file
    from loaders.records import (
        build_draft, commit_new_file, draft_record_id, format_manifest, read_manifest, recover_folders, recover_imports,
        stage_new_file, write_atomic,
    )

    src = Path(args.folder)
    if not os.path.lexists(src):
        raise LoaderError(str(src), "does not exist", "give the folder (or file) holding the replies")
    try:
        if os.path.samefile(src, RAW_DIR) if RAW_DIR.exists() else False:
            log.info("%s is the raw folder itself: every reply in it is imported already", src)
    except OSError:
        pass
    lock = _lock_data_dir()
    try:
        for line in recover_imports(DATA_DIR) + recover_folders(DATA_DIR, names=()):
            log.info("%s (left by an interrupted import)", line)
        RAW_DIR.mkdir(parents=True, exist_ok=True)
        manifest_path = DATA_DIR / "raw_manifest.csv"
        manifest = read_manifest(manifest_path)
        by_sha = {sha: rid for rid, (_origin, sha) in manifest.items()}
        files, skipped = _list_import_candidates(src)
        for line in skipped:
            log.warning("%s", line)
        seen: dict[str, Path] = {}
        errors = 0
        for path in files:
            problem = name_problem(path.name)
            if problem:
                log.error("%s", LoaderError(str(path), f"not imported: {problem}", "rename the file").one_line())
                errors += 1
                continue
            try:
                data = read_regular_file(path)
                text = decode_reply(data, str(path))
                if not _is_reply_text(text):
                    log.warning("%s", LoaderError(str(path), "skipped: does not read as a reply (hardly any "
                                                  "Chinese text)").one_line())
                    continue
                draft, _ = build_draft(text)
            except FatalWriteError:
                raise
            except LoaderError as exc:
                log.error("%s", exc.one_line())
                errors += 1
                continue
            except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the others
                log.debug("%s", traceback.format_exc())
                log.error("%s", LoaderError(str(path), f"unexpected error while reading ({type(exc).__name__}: "
                                            f"{exc}); not imported", "please report this file").one_line())
                errors += 1
                continue
            sha = hashlib.sha256(data).hexdigest()
            if sha in by_sha:
                print(f"{path.name}: already imported as {_show(RAW_DIR / (by_sha[sha] + '.txt'))}; nothing changed")
                continue
            rid = draft_record_id(draft)
            target = RAW_DIR / f"{rid}.txt"
            if rid in seen:
                log.error("%s: maps to record id %s, like %s; rename one by hand in data/raw/", path, rid, seen[rid])
                errors += 1
                continue
            seen[rid] = path
            if os.path.lexists(target) or rid in manifest:
                is_same = (os.path.isfile(target) and not os.path.islink(target)
                           and read_regular_file(target) == data)
                if not is_same:
                    log.error("%s: %s already holds a different reply with the same id; not overwritten "
                              "(rename one by hand in data/raw/ and add it to raw_manifest.csv)", path, target)
                    errors += 1
                    continue
            # All or nothing, in three steps a kill can interrupt anywhere: the reply staged beside its name,
            # the manifest naming it, then the name (recover_imports finishes the last step on the next run).
            staged = None if os.path.lexists(target) else stage_new_file(target, data)
            origin = f"shared/replies/{path.name}" if path.parent.name == "replies" else path.name
            manifest[rid] = (origin, sha)
            by_sha[sha] = rid
            try:
                write_atomic(manifest_path, format_manifest(manifest), fsync=True)
            except BaseException:
                if staged is not None:
                    staged.unlink()
                raise
            if staged is not None:
                commit_new_file(staged, target)
            print(f"{path.name} -> {_show(target)}")
            if draft.jurisdiction.slug == "unknown":
                log.warning("%s: no issuer (X市民政局, X省民政厅) found in the text, so it was imported as %s; set "
                            "the place with a `jurisdiction:` override in data/curation/%s.yaml, or rename the file "
                            "in data/raw/ and raw_manifest.csv", path, target.name, rid)
    finally:
        os.close(lock)
    return EXIT_PROBLEMS if errors else EXIT_OK


# --- command line -------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        if "required: file" in message:
            message += " (a file name that starts with '-' is read as an option: put -- before it, " \
                       "e.g. `python -m loaders extract -- -reply.txt`)"
        super().error(message)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1; give 1 or more processes")
    return value


class _StderrHandler(logging.Handler):
    """Writes to whatever sys.stderr is at the time (tests capture it), as `level: message`, one line."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"{record.levelname.lower()}: {self.format(record)}\n")
        except (OSError, ValueError):
            pass


def _configure_logging(args) -> None:
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.DEBUG if getattr(args, "verbose", False) else
                 logging.WARNING if getattr(args, "quiet", False) else logging.INFO)


def _progress(args) -> bool:
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def make_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=argparse.SUPPRESS, metavar="DIR",
                        help="data folder (default: the project's data/)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bar, only warnings and errors")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="say what each step does; tracebacks of unexpected errors")
    parser = _Parser(prog="python -m loaders", description=__doc__, epilog=EPILOG, parents=[common],
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{build,extract,check,import,review}")
    kw = dict(parents=[common], epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    b = sub.add_parser("build", help="raw replies -> records -> tables", **kw)
    b.add_argument("--jobs", type=_positive_int, default=1, help="processes to use (1 or more)")
    e = sub.add_parser("extract", help="print the uncurated draft record of FILE as YAML; writes nothing", **kw)
    e.add_argument("file", help="the reply file (a name starting with '-': put -- before it)")
    c = sub.add_parser("check", help="validate records, curation and tables (only what changed since the last "
                       "build; --full: everything)", description=CHECK_DESCRIPTION, **kw)
    c.add_argument("--jobs", type=_positive_int, default=1, metavar="N", help="processes to use (1 or more)")
    c.add_argument("--full", action="store_true",
                   help="re-extract every reply and rebuild the tables, ignoring the last build's fingerprints")
    i = sub.add_parser("import", help="copy reply files into data/raw/ under ids from their text", **kw)
    i.add_argument("folder", help="a folder of .txt replies (or one reply file)")
    r = sub.add_parser("review", help="record that a person reviewed a stored reply whole: every fact of its draft "
                       "not rejected or corrected in its curation file is accepted as drafted", **kw)
    r.add_argument("record_id", help="the record, e.g. quzhou-2023")
    r.add_argument("--by", required=True, help="the reviewer's name")
    r.add_argument("--date", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)")
    return parser


def _iso_date(text: str) -> str:
    from loaders.schema import _check_date_text

    try:
        value = _check_date_text(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if len(value) != 10:
        raise argparse.ArgumentTypeError(f"{text!r}: write the whole date, YYYY-MM-DD")
    return value


def cmd_review(args) -> int:
    import datetime

    from loaders.curate import accept_whole_reply

    saved = accept_whole_reply(DATA_DIR, args.record_id, args.by, args.date or datetime.date.today().isoformat())
    print(f"{saved.record_id}: reviewed by {args.by}; wrote {', '.join(saved.written)}")
    return 0


def _check_data_dir(path: Path) -> None:
    if not path.exists():
        raise LoaderError(str(path), "does not exist", "give --data the project's data folder, which holds raw/")
    if not path.is_dir():
        raise LoaderError(str(path), "is a file, not a folder", "give --data the data folder, which holds raw/")


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    _configure_logging(args)
    handler = {"build": cmd_build, "extract": cmd_extract, "check": cmd_check, "import": cmd_import,
               "review": cmd_review}[args.command]
    try:
        data = Path(getattr(args, "data", str(DATA_DIR))).absolute()
        if args.command != "extract" or hasattr(args, "data"):
            _check_data_dir(data)
        _use_data_dir(Path(os.path.realpath(data)))
        if args.command in ("build", "check") and not RAW_DIR.is_dir():
            raise LoaderError(str(RAW_DIR), "does not exist", "is --data the data folder? it holds raw/ and curation/")
    except LoaderError as exc:
        log.error("%s", exc.one_line())
        return EXIT_USAGE
    try:
        return handler(args)
    except FatalWriteError as exc:
        log.error("%s", exc.one_line())
        return EXIT_PROBLEMS
    except LoaderError as exc:
        log.error("%s", exc.one_line())
        return EXIT_USAGE
    except KeyboardInterrupt:
        log.error("interrupted: the previous records and tables are intact; the next build removes what was left")
        return 130
    except OSError as exc:
        from loaders.errors import describe_write_error

        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM):
            log.error("%s", describe_write_error(exc.filename or DATA_DIR, exc).one_line())
        else:
            log.error("%s: %s", exc.filename or DATA_DIR, exc.strerror or exc)
        return EXIT_PROBLEMS
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, the traceback only with --verbose
        log.debug("%s", traceback.format_exc())
        log.error("unexpected %s: %s (run again with --verbose for the traceback, and please report it)",
                  type(exc).__name__, exc)
        return EXIT_PROBLEMS


if __name__ == "__main__":
    sys.exit(main())
