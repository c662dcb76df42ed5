"""Command line: `python -m loaders build|extract|check|import`; user mistakes end in one line, never a traceback."""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from loaders.errors import LoaderError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
RAW_DIR = DATA_DIR / "raw"
CURATION_DIR = DATA_DIR / "curation"
RECORDS_DIR = DATA_DIR / "records"
TABLES_DIR = DATA_DIR / "tables"
REFERENCE_DIR = DATA_DIR / "reference"


def _use_data_dir(data_dir: Path) -> None:
    """Point every command at another data folder (tests build into a copy of data/)."""
    global DATA_DIR, RAW_DIR, CURATION_DIR, RECORDS_DIR, TABLES_DIR, REFERENCE_DIR
    DATA_DIR = data_dir
    RAW_DIR, CURATION_DIR = data_dir / "raw", data_dir / "curation"
    RECORDS_DIR, TABLES_DIR = data_dir / "records", data_dir / "tables"
    REFERENCE_DIR = data_dir / "reference"


def _build_one(args: tuple[str, str, str | None]):
    """In a worker: build one record, write it if asked, and tokenise its cleaned text for the tables.

    Everything per reply happens here, so `--jobs N` divides it; the parent only gathers the results."""
    raw_path, curation_dir, records_dir = args
    from loaders.measures import tokenize
    from loaders.records import build_record_and_text, write_record

    try:
        record, clean = build_record_and_text(Path(raw_path), Path(curation_dir))
    except LoaderError as exc:
        return None, None, exc.one_line()
    if records_dir is not None:
        write_record(record, Path(records_dir) / f"{record.id}.yaml")
    return record, tokenize(clean.text), None


def build_all(raw_dir: Path, curation_dir: Path, jobs: int = 1, progress: bool = True,
              records_dir: Path | None = None):
    """Build every record; write each to records_dir as soon as it is built (None: write nothing).

    Returns (records, tokens by record id, failures)."""
    from tqdm import tqdm

    paths = sorted(raw_dir.glob("*.txt"))
    work = [(str(p), str(curation_dir), None if records_dir is None else str(records_dir)) for p in paths]
    bar = tqdm(total=len(work), desc="build", unit="reply", disable=not progress, file=sys.stderr)
    records, tokens, failures = [], {}, []
    if jobs > 1 and len(work) > 1:
        pool = ProcessPoolExecutor(max_workers=jobs)
        results = pool.map(_build_one, work, chunksize=max(1, min(32, len(work) // (jobs * 8))))
    else:
        pool, results = None, map(_build_one, work)
    try:
        for record, toks, error in results:
            if record is not None:
                records.append(record)
                tokens[record.id] = toks
            else:
                failures.append(error)
            bar.update()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        bar.close()
    return records, tokens, failures


def _show(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def build_outputs(records, reference_dir: Path, tokens: dict[str, list[str]] | None = None):
    """Tables for a list of records; a record without tokens (kept from an earlier build) is re-read and tokenised."""
    import pandas as pd

    from loaders.clean import clean_text
    from loaders.measures import tokenize
    from loaders.read import load_reply
    from loaders.tables import build_tables, load_population

    population = load_population(reference_dir / "population.csv")
    national = pd.read_csv(reference_dir / "national.csv")
    raw_dir = reference_dir.parent / "raw"
    tokens = dict(tokens or {})
    for r in records:
        if r.id not in tokens:
            tokens[r.id] = tokenize(clean_text(load_reply(raw_dir / f"{r.id}.txt")).text)
    return build_tables(records, population, national, tokens)


def cmd_build(args) -> int:
    from loaders.records import load_record
    from loaders.tables import write_tables

    records, tokens, failures = build_all(RAW_DIR, CURATION_DIR, jobs=args.jobs, progress=not args.quiet,
                                          records_dir=RECORDS_DIR)
    # A reply that failed keeps its previous record, so the tables still cover it.
    built = {r.id for r in records}
    kept = []
    for path in sorted(RECORDS_DIR.glob("*.yaml")):
        if path.stem not in built and (RAW_DIR / f"{path.stem}.txt").exists():
            try:
                kept.append(load_record(path))
            except LoaderError as exc:
                failures.append(exc.one_line())
    write_tables(build_outputs(records + kept, REFERENCE_DIR, tokens), TABLES_DIR)
    n_facts = sum(len(r.facts) for r in records)
    n_measures = sum(len(r.measures) for r in records)
    print(f"built {len(records)} records ({n_facts} facts, {n_measures} measures) into {_show(RECORDS_DIR)} "
          f"and tables into {_show(TABLES_DIR)}; {len(failures)} failed")
    for line in failures:
        print(f"error: {line}", file=sys.stderr)
    return 1 if failures else 0


def cmd_extract(args) -> int:
    from loaders.read import load_reply
    from loaders.records import build_draft, dump_yaml

    raw = load_reply(args.file)
    draft, _ = build_draft(raw)
    sys.stdout.write(dump_yaml(draft.model_dump(mode="json")))
    return 0


def cmd_check(args) -> int:
    """Validate records, curation and tables, and that a build would reproduce them byte for byte."""
    from loaders.records import dump_yaml, load_curation, load_record
    from loaders.tables import table_to_csv

    problems: list[str] = []
    for path in sorted(CURATION_DIR.glob("*.yaml")):
        try:
            load_curation(path)
        except LoaderError as exc:
            problems.append(exc.one_line())
        if not (RAW_DIR / f"{path.stem}.txt").exists():
            problems.append(f"{path}: no raw reply data/raw/{path.stem}.txt for this curation")
    records, tokens, failures = build_all(RAW_DIR, CURATION_DIR, jobs=args.jobs, progress=False)
    problems += failures
    for rec in records:
        path = RECORDS_DIR / f"{rec.id}.yaml"
        if not path.exists():
            problems.append(f"{path}: missing (run `python -m loaders build`)")
            continue
        try:
            on_disk = load_record(path)
        except LoaderError as exc:
            problems.append(exc.one_line())
            continue
        if dump_yaml(on_disk.model_dump(mode="json")) != dump_yaml(rec.model_dump(mode="json")):
            problems.append(f"{path}: out of date with data/raw and data/curation (run `python -m loaders build`)")
        raw = (RAW_DIR / f"{rec.id}.txt").read_bytes()
        from loaders.read import decode_reply

        text = decode_reply(raw, str(path))
        for item in list(on_disk.facts) + list(on_disk.measures):
            if text[item.quote_start:item.quote_end] != item.quote:
                problems.append(f"{path}: {item.id}: quote is not the raw text at {item.quote_start}:{item.quote_end}")
    for path in sorted(RECORDS_DIR.glob("*.yaml")):
        if not (RAW_DIR / f"{path.stem}.txt").exists():
            problems.append(f"{path}: no raw reply data/raw/{path.stem}.txt (remove the record or restore the reply)")
    if not failures:
        for name, df in build_outputs(records, REFERENCE_DIR, tokens).items():
            path = TABLES_DIR / f"{name}.csv"
            if not path.exists():
                problems.append(f"{path}: missing (run `python -m loaders build`)")
            elif path.read_text(encoding="utf-8") != table_to_csv(df):
                problems.append(f"{path}: out of date or edited by hand (run `python -m loaders build`)")
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    print(f"checked {len(records)} records and {len(list(CURATION_DIR.glob('*.yaml')))} curation files: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


def cmd_import(args) -> int:
    """Copy reply files byte for byte into data/raw/ under ids worked out from their text."""
    from loaders.read import load_reply
    from loaders.records import build_draft, draft_record_id, write_atomic

    src = Path(args.folder)
    files = sorted(p for p in src.iterdir() if p.is_file()) if src.is_dir() else [src]
    manifest_path = DATA_DIR / "raw_manifest.csv"
    manifest = {}
    if manifest_path.exists():
        for line in manifest_path.read_text(encoding="utf-8").splitlines()[1:]:
            rid, origin, sha = line.split(",")
            manifest[rid] = (origin, sha)
    seen: dict[str, Path] = {}
    errors = 0
    for path in files:
        try:
            draft, _ = build_draft(load_reply(path))
        except LoaderError as exc:
            print(f"error: {exc.one_line()}", file=sys.stderr)
            errors += 1
            continue
        rid = draft_record_id(draft)
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        target = RAW_DIR / f"{rid}.txt"
        if rid in seen:
            print(f"error: {path}: maps to record id {rid}, like {seen[rid]}; rename one by hand in data/raw/",
                  file=sys.stderr)
            errors += 1
            continue
        seen[rid] = path
        if target.exists() and target.read_bytes() != data:
            print(f"error: {path}: {target} already holds a different reply with the same id; not overwritten",
                  file=sys.stderr)
            errors += 1
            continue
        if not target.exists():
            RAW_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        manifest[rid] = (f"shared/replies/{path.name}" if path.parent.name == "replies" else path.name, sha)
        print(f"{path.name} -> {_show(target)}")
    lines = ["record_id,collected_from,sha256"] + [f"{k},{v[0]},{v[1]}" for k, v in sorted(manifest.items())]
    write_atomic(manifest_path, "\n".join(lines) + "\n")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="raw replies -> records -> tables")
    b.add_argument("--jobs", type=int, default=1, help="processes to use")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    e = sub.add_parser("extract", help="print the uncurated draft record of FILE as YAML; writes nothing")
    e.add_argument("file")
    c = sub.add_parser("check", help="validate records, curation and tables")
    c.add_argument("--jobs", type=int, default=1)
    i = sub.add_parser("import", help="copy reply files into data/raw/ under ids from their text")
    i.add_argument("folder")
    parser.add_argument("--data", default=str(DATA_DIR), help="data folder (default: the project's data/)")
    args = parser.parse_args(argv)
    _use_data_dir(Path(args.data).resolve())
    handler = {"build": cmd_build, "extract": cmd_extract, "check": cmd_check, "import": cmd_import}[args.command]
    try:
        return handler(args)
    except LoaderError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: files already written are complete; the others were left as they were", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
