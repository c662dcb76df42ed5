"""Fault injection: `build` and `import` killed (SIGKILL) at random moments leave the old or the new complete set.

The kills land while records, tables and the manifest are written: LOADERS_TEST_SLOW_WRITES (inert unless
set, see loaders/records.py) makes each file write take a little longer, and the moments come from a seeded
random generator, so a failure replays."""

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from loaders import records as records_module
from loaders.__main__ import main
from loaders.records import SLOW_WRITES_ENV, read_manifest, recover_folders, recover_imports
from loaders.tables import read_table_set, write_tables

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
IDS = ("leshan-2021", "quzhou-2023")
KILLS = 20
SLOW_WRITE_SECONDS = "0.04"
NEW_REPLY = ("王五代表:\n您提出的《关于支持社区社会组织发展的建议》收悉。现答复如下:\n"
             "目前,全市登记社会组织1,205家,社区社会组织2300余个。\n绍兴市民政局\n2024年5月8日\n")


def small_copy(target: Path) -> Path:
    shutil.copytree(DATA / "reference", target / "reference")
    (target / "raw").mkdir()
    (target / "curation").mkdir()
    for rid in IDS:
        shutil.copy2(DATA / "raw" / f"{rid}.txt", target / "raw")
        shutil.copy2(DATA / "curation" / f"{rid}.yaml", target / "curation")
    lines = (DATA / "raw_manifest.csv").read_text(encoding="utf-8").splitlines()
    (target / "raw_manifest.csv").write_text("\n".join([lines[0]] + [x for x in lines if x.startswith(IDS)]) + "\n",
                                             encoding="utf-8")
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def leftovers(data: Path) -> list[str]:
    """Temporary files and stage folders anywhere in data/."""
    return sorted(str(p.relative_to(data)) for p in data.rglob(".*"))


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    """A data folder holding the old set, and the old and new curation of quzhou with the sets they give."""
    base = tmp_path_factory.mktemp("faults")
    data = small_copy(base / "data")
    assert main(["--data", str(data), "build", "--quiet"]) == 0
    old_curation = (data / "curation" / "quzhou-2023.yaml").read_text(encoding="utf-8")
    kept = snapshot(data / "tables"), snapshot(data / "records")
    record = (data / "records" / "quzhou-2023.yaml").read_text(encoding="utf-8")
    # A fact of the record that the review accepted as drafted, rejected now (and so no longer accepted).
    accepted = old_curation.split("\naccept_facts:\n", 1)[1]
    fact_id = next(line.split(": ")[0].strip() for line in accepted.splitlines() if line.startswith("  c")
                   and f"- id: {line.split(': ')[0].strip()}\n" in record)
    new_curation = old_curation.replace(f"\n  {fact_id}: ''\n", "\n", 1).replace(
        "reject_facts:\n", f"reject_facts:\n  {fact_id}: fault test\n", 1)
    assert new_curation != old_curation
    (data / "curation" / "quzhou-2023.yaml").write_text(new_curation, encoding="utf-8")
    assert main(["--data", str(data), "build", "--quiet"]) == 0
    new = snapshot(data / "tables"), snapshot(data / "records")
    assert new[0]["facts.csv"] != kept[0]["facts.csv"]
    return {"data": data, "curations": (old_curation, new_curation), "tables": (kept[0], new[0]),
            "records": (kept[1], new[1])}


def _fork(argv: list[str], exchange: bool) -> int:
    pid = os.fork()
    if pid == 0:  # the child: the same build as `python -m loaders`, with slow writes, never returning
        code = 1
        try:
            os.environ[SLOW_WRITES_ENV] = SLOW_WRITE_SECONDS
            if not exchange:  # the fallback for file systems without RENAME_EXCHANGE
                records_module._exchange = lambda a, b: False
            sys.stdout = sys.stderr = open(os.devnull, "w")
            code = main(argv)
        finally:
            os._exit(code)
    return pid


def _timed_run(argv: list[str], exchange: bool = True) -> float:
    start = time.monotonic()
    _, status = os.waitpid(_fork(argv, exchange), 0)
    assert os.waitstatus_to_exitcode(status) in (0, 1)
    return time.monotonic() - start


def _kill_at(argv: list[str], delay: float, exchange: bool) -> None:
    pid = _fork(argv, exchange)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_build_and_import_killed_at_random_moments_leave_a_complete_set(sets, tmp_path):
    data = sets["data"]
    rng = random.Random(11)
    build = ["--data", str(data), "build", "--quiet"]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "reply.txt").write_text(NEW_REPLY, encoding="utf-8")
    import_argv = ["--data", str(data), "import", str(incoming), "--quiet"]
    manifest_before = (data / "raw_manifest.csv").read_bytes()
    build_seconds = _timed_run(build)
    import_seconds = _timed_run(import_argv)
    (data / "raw" / "shaoxing-2024.txt").unlink()
    (data / "raw_manifest.csv").write_bytes(manifest_before)
    outcomes, caught_mid_write = [], 0
    for i in range(KILLS):
        target = rng.randrange(2)
        (data / "curation" / "quzhou-2023.yaml").write_text(sets["curations"][target], encoding="utf-8")
        is_import, exchange = i % 5 == 4, i % 3 != 2
        argv, seconds = (import_argv, import_seconds) if is_import else (build, build_seconds)
        _kill_at(argv, rng.uniform(0.05, seconds * 1.1), exchange)
        caught_mid_write += bool(leftovers(data))
        if exchange:  # no recovery needed: the folder is always a whole set
            assert snapshot(data / "tables") in sets["tables"], f"kill {i}: a mixed table set"
        recover_imports(data)
        recover_folders(data)
        assert leftovers(data) == [], f"kill {i}"
        tables = read_table_set(data / "tables")
        assert tables in sets["tables"], f"kill {i}: a mixed table set"
        records = snapshot(data / "records")
        assert records in sets["records"], f"kill {i}: a mixed record set"
        outcomes.append(sets["tables"].index(tables))
        manifest = read_manifest(data / "raw_manifest.csv")
        imported = (data / "raw" / "shaoxing-2024.txt").exists()
        assert imported == ("shaoxing-2024" in manifest), f"kill {i}: the raw file and the manifest disagree"
        if imported:
            (data / "raw" / "shaoxing-2024.txt").unlink()
            (data / "raw_manifest.csv").write_bytes(manifest_before)
        assert (data / "raw_manifest.csv").read_bytes() == manifest_before
    # The next complete run leaves nothing behind and the set it was asked for.
    _timed_run(build)
    assert leftovers(data) == []
    assert snapshot(data / "tables") == sets["tables"][target]
    # Not vacuous: some kills landed while a stage folder or a temporary file was being written.
    assert caught_mid_write >= 3, f"only {caught_mid_write} of {KILLS} kills caught a write in progress"


def test_a_reader_never_sees_a_half_switched_set(tmp_path):
    sets = [{"a": pd_frame(n), "b": pd_frame(n + 1)} for n in (1, 5)]
    expected = []
    for i, tables in enumerate(sets):
        folder = tmp_path / f"t{i}"
        write_tables(tables, folder)
        expected.append(snapshot(folder))
    target = tmp_path / "tables"
    write_tables(sets[0], target)
    stop = threading.Event()

    def keep_switching():
        n = 0
        while not stop.is_set():
            write_tables(sets[n % 2], target)
            n += 1
            # A build switches once per build; a writer that never pauses could switch during each of a reader's
            # three tries on a starved machine, and the reader then says so (OSError) instead of reading
            # (seen once in a fresh-clone run, 1 Dec).
            stop.wait(0.02)

    writer = threading.Thread(target=keep_switching)
    writer.start()
    try:
        seen, deadline = [], time.monotonic() + 20
        while time.monotonic() < deadline and (len(seen) < 200 or len({expected.index(s) for s in seen
                                                                       if s in expected}) < 2):
            seen.append(read_table_set(target))
            time.sleep(0.002)  # let the writer thread run
    finally:
        stop.set()
        writer.join()
    assert all(s in expected for s in seen)
    assert {expected.index(s) for s in seen} == {0, 1}


def pd_frame(n: int):
    import pandas as pd

    return pd.DataFrame({"x": list(range(n)), "y": [f"v{i}" for i in range(n)]})


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_build(tmp_path):
    data = small_copy(tmp_path / "data")
    env = dict(os.environ, **{SLOW_WRITES_ENV: "5"})
    proc = subprocess.Popen([sys.executable, "-m", "loaders", "build", "--jobs", "2", "--quiet", "--data", str(data)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the pool never started"
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_is_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_is_alive(w) for w in workers), "orphan workers outlived the build"
