"""Build fingerprints: what a build read and wrote, by sha256, so `check` re-extracts only what changed.

Each entry is a fact about the loader, not about the folder: "this loader (sources, reference files, library
versions) given these raw bytes, this curation file and this manifest line writes a record of these bytes";
"given records of these bytes it writes tables of these bytes". A fact stays true however old the file is, so
a stale or copied fingerprint file can make `check` slower, never wrong; a fact whose inputs changed while
the build ran is not written. `check` trusts a record only where the current loader fingerprint, the
current inputs and the current record file all match a fact, and the tables only where every record a build
would write matches and the table files hash as built. `check --full` ignores the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from loaders.errors import LoaderError

FORMAT = 1
# In the data folder, git-ignored: a fresh clone has none and checks in full. Not hidden: a hidden name in the
# data folder is what a killed build leaves (stage folders, temporary files), and the next build removes those.
CACHE_FOLDER = "build-cache"
CACHE_FILE = "fingerprints.json"
LOADER_DIR = Path(__file__).resolve().parent
# Extraction reads the project's own data/reference (each module's REFERENCE_DIR), whatever --data says;
# the tables read population.csv and national.csv from the data folder's reference/.
PROJECT_REFERENCE_DIR = LOADER_DIR.parent / "data" / "reference"
NO_CURATION = "none"


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_regular_file(path: Path) -> str | None:
    """sha256 of a regular file as the loader reads it (no link, FIFO or device), or None if it cannot be read:
    an entry holding None matches no fact, so that reply takes the full path and its problem is named there."""
    from loaders.read import read_regular_file

    try:
        return hash_bytes(read_regular_file(path))
    except LoaderError:
        return None


def _hash_tree(digest, folder: Path, label: str, suffix: str | None = None) -> None:
    """Every file under folder, name and bytes, in a fixed order (a removed or renamed file changes it too)."""
    digest.update(f"{label}\0".encode())
    if not folder.is_dir():
        digest.update(b"(missing)\0")
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        if suffix is not None and path.suffix != suffix:
            continue
        data = path.read_bytes()
        digest.update(f"{path.relative_to(folder).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)


def describe_libraries() -> list[str]:
    """The interpreter, libyaml and every installed distribution with its version: any of them may shape
    the output (jieba's dictionary, opencc's tables, pydantic's and PyYAML's writers, pandas's CSV), and
    naming all of them, rather than a hand-kept list, cannot miss one the loader starts importing."""
    import yaml

    lines = [f"python {sys.version}", f"libyaml {getattr(yaml, '__with_libyaml__', False)}"]
    return lines + list(_distributions(_site_stamp()))


def _site_stamp() -> tuple:
    """The folders distributions are found in, with their inode and modification time: installing, upgrading or
    removing a distribution adds or removes its .dist-info folder there, which changes the time."""
    stamp = []
    for entry in sys.path:
        try:
            st = os.stat(entry or ".")
        except OSError:
            continue
        stamp.append((entry, st.st_ino, st.st_mtime_ns))
    return tuple(stamp)


@lru_cache(maxsize=1)
def _distributions(_stamp: tuple) -> tuple[str, ...]:
    """Every installed distribution as "name version" (each METADATA parsed once; once per process while the
    folders they are installed in stay as they were: a workbench saves many times)."""
    from importlib import metadata

    names = set()
    for d in metadata.distributions():
        meta = d.metadata
        if meta["Name"]:
            names.add(f"{meta['Name']} {meta['Version']}")
    return tuple(sorted(names))


def loader_fingerprint(reference_dirs: list[Path], loader_dir: Path | None = None,
                       libraries: list[str] | None = None) -> str:
    """One sha256 over the loader's sources (loaders/**/*.py), every file of each reference folder and the
    library versions: if any changes, every fact of an earlier build is void."""
    digest = hashlib.sha256(f"loaders fingerprint {FORMAT}\0".encode())
    _hash_tree(digest, loader_dir or LOADER_DIR, "loaders", suffix=".py")
    seen = set()
    for folder in reference_dirs:
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        _hash_tree(digest, Path(real), "reference")
    for line in describe_libraries() if libraries is None else libraries:
        digest.update(f"{line}\0".encode())
    return digest.hexdigest()


def hash_inputs(raw_dir: Path, curation_dir: Path) -> dict[str, dict[str, str | None]]:
    """record id -> sha256 of its raw reply, of its curation file (NO_CURATION if there is none) and of the
    manifest line the record's collected_from comes from: everything of the folder a record is built from."""
    return {path.stem: hash_record_inputs(raw_dir, curation_dir, path.stem) for path in sorted(raw_dir.glob("*.txt"))}


def hash_record_inputs(raw_dir: Path, curation_dir: Path, rid: str) -> dict[str, str | None]:
    """hash_inputs of one record (a workbench save vouches for the record it rebuilt)."""
    from loaders.records import _collected_from

    curation = curation_dir / f"{rid}.yaml"
    try:
        origin = hash_bytes(_collected_from(raw_dir.parent / "raw_manifest.csv", rid).encode("utf-8"))
    except (LoaderError, OSError):
        origin = None
    return {
        "raw": hash_regular_file(raw_dir / f"{rid}.txt"),
        "curation": hash_regular_file(curation) if os.path.lexists(curation) else NO_CURATION,
        "origin": origin,
    }


def hash_record_files(records_dir: Path, ids) -> dict[str, str | None]:
    return {rid: hash_regular_file(records_dir / f"{rid}.yaml") for rid in ids}


def hash_record(record) -> str:
    """sha256 of the bytes write_record writes for record."""
    from loaders.records import dump_yaml

    return hash_bytes(dump_yaml(record.model_dump(mode="json")).encode("utf-8"))


def hash_table_files(tables_dir: Path) -> dict[str, str]:
    from loaders.tables import read_table_set

    try:
        return {name: hash_bytes(data) for name, data in read_table_set(tables_dir).items()}
    except OSError:
        return {}


def digest_record_set(record_hashes: dict[str, str]) -> str:
    """One sha256 of the records a table set is built from (the ids and the bytes of each): a record's bytes
    hold the sha256 of its raw reply, so they fix the tokens of the distinctive-terms table too."""
    digest = hashlib.sha256()
    for rid in sorted(record_hashes):
        digest.update(f"{rid}\0{record_hashes[rid]}\0".encode())
    return digest.hexdigest()


def make_fingerprints(loader_before: str, loader_after: str, inputs_before: dict, inputs_after: dict,
                      record_hashes: dict[str, str | None], table_hashes: dict[str, str] | None) -> dict:
    """The facts a build can vouch for. Inputs are hashed before and after the build: a reply, curation file
    or manifest line edited meanwhile may have been read either way, so it gets no fact. The tables get one
    only if every reply was built (none failed, none came or went) and nothing changed meanwhile."""
    if loader_before != loader_after:
        return {"format": FORMAT, "loader": None, "records": {}, "tables": None}
    records = {}
    for rid, record_hash in record_hashes.items():
        before, after = inputs_before.get(rid), inputs_after.get(rid)
        if record_hash is None or before is None or before != after or None in before.values():
            continue
        records[rid] = {**before, "record": record_hash}
    tables = None
    if table_hashes and inputs_before == inputs_after and set(records) == set(inputs_before):
        tables = {"records": digest_record_set({rid: e["record"] for rid, e in records.items()}),
                  "files": dict(sorted(table_hashes.items()))}
    return {"format": FORMAT, "loader": loader_before, "records": records, "tables": tables}


def cache_path(data_dir: Path) -> Path:
    return data_dir / CACHE_FOLDER / CACHE_FILE


def load_fingerprints(data_dir: Path) -> dict | None:
    """The fingerprints of the last build, or None (none yet, unreadable, damaged or of another format)."""
    try:
        with open(cache_path(data_dir), "rb") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("records"), dict):
        return None
    return data


def merge_fingerprints(old: dict | None, new: dict, ids) -> dict:
    """The new facts over the old ones of the same loader (a fact stays true): a reply that failed in this build
    keeps the fact of the build that last built it, and a build with a failure keeps the last table fact. Only
    the facts of ids (the replies there are now) are kept."""
    if old is None or old.get("loader") != new["loader"]:
        return new
    records = {rid: fact for rid, fact in {**old["records"], **new["records"]}.items() if rid in ids}
    return {**new, "records": records, "tables": new["tables"] or old.get("tables")}


def write_fingerprints(data_dir: Path, fingerprints: dict) -> None:
    """Write atomically, and only if changed (a build that changed nothing leaves the folder as it was)."""
    from loaders.records import write_atomic

    path = cache_path(data_dir)
    # One line, written by json's C encoder (any indent takes the Python one: 0.25 s a save at 10,000 replies).
    text = json.dumps(fingerprints, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # A temporary file left by a build killed while writing is removed by the next build's recover_folders.
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)


# --- check ------------------------------------------------------------------------------


@dataclass
class CheckPlan:
    """What `check` must still look at: the replies to re-extract and, for the tables, the facts to compare."""

    recheck: list[Path]                       # raw replies to re-extract and compare on the full path
    trusted: dict[str, str]                   # record id -> record sha256: file as built from inputs as they are
    on_disk: dict[str, str | None] = field(default_factory=dict)  # record id -> sha256 of its file now
    tables: dict | None = None                # the build's table fact, or None

    def check_tables(self, rebuilt: list, same: set[str], has_problems: bool,
                     tables_dir: Path) -> tuple[list[str], str]:
        """(problems, how) for the tables, given the re-extracted records (all built: no failure); how is
        "compared", "rebuild" or "not compared".

        If the records a build would write are those the tables were built from, each table file must hash as
        built ("compared"). Otherwise the tables must be rebuilt to be compared ("rebuild"); where a record
        problem is named already, the build that fixes it rewrites the tables too, so they are not."""
        expected = dict(self.trusted)
        for rec in rebuilt:
            on_disk = self.on_disk.get(rec.id)
            expected[rec.id] = on_disk if rec.id in same and on_disk is not None else hash_record(rec)
        if self.tables is None or digest_record_set(expected) != self.tables["records"]:
            return [], "not compared" if has_problems else "rebuild"
        problems = []
        now = hash_table_files(tables_dir)
        for name, sha in self.tables["files"].items():
            if name not in now:
                problems.append(f"{tables_dir / name}: missing (run `python -m loaders build`)")
            elif now[name] != sha:
                problems.append(f"{tables_dir / name}: out of date or edited by hand (run `python -m loaders build`)")
        return problems, "compared"


def plan_check(data_dir: Path, raw_dir: Path, curation_dir: Path, records_dir: Path,
               reference_dirs: list[Path]) -> CheckPlan | None:
    """The fast path of `check`, or None for the full path (no fingerprints, or another loader)."""
    fingerprints = load_fingerprints(data_dir)
    if fingerprints is None or fingerprints.get("loader") != loader_fingerprint(reference_dirs):
        return None
    facts = fingerprints["records"]
    inputs = hash_inputs(raw_dir, curation_dir)
    on_disk = hash_record_files(records_dir, inputs)
    trusted, recheck = {}, []
    for rid, entry in inputs.items():
        fact = facts.get(rid)
        if (isinstance(fact, dict) and on_disk[rid] is not None and None not in entry.values()
                and fact == {**entry, "record": on_disk[rid]}):
            trusted[rid] = on_disk[rid]
        else:
            recheck.append(raw_dir / f"{rid}.txt")
    tables = fingerprints.get("tables")
    if not (isinstance(tables, dict) and isinstance(tables.get("files"), dict) and "records" in tables):
        tables = None
    return CheckPlan(recheck=recheck, trusted=trusted, on_disk=on_disk, tables=tables)
