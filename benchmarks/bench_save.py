"""One workbench save (loaders.curate.save_review) on the synthetic corpora: wall time and peak memory, beside an
earlier commit's save on the same data, and whether both leave the same tables (issue 21, item 12).

For each size N, a data folder is built once from corpus-N with this checkout's `python -m loaders build --jobs 2`
(out/save-N/base, kept while the loader is unchanged). Each side (this checkout, and with --baseline an earlier
commit's loaders/ and data/reference/) then gets its own copy of it and runs the same saves in a row, each in a fresh
process, as the workbench does: the reply opened (open_review, not timed), the tokenizer loaded (a workbench process
has it after its first save; loading jieba's dictionary costs about a second once), then save_review timed:

  existing   a stored reply: its first drafted fact rejected (the distinctive terms stay as they are)
  again      the same reply: its first two facts rejected (a second save in a row)
  new        a reply not in the folder (tests/fixtures/unseen/11_luoyang_prefecture_npc.txt) uploaded and saved
             (every TF-IDF score changes: the distinctive-terms table is made again)
  other      another stored reply: its first fact rejected

Wall and CPU seconds of save_review alone; peak resident memory of the process during the save (VmHWM, reset just
before it through /proc/self/clear_refs), beside its resident memory before. After the saves the two copies' tables
are compared file by file: the earlier commit rebuilds every table from every record, so equal files say the
splice wrote what a rebuild writes. Results go to out/save.json.

    rm -rf /tmp/base && mkdir /tmp/base && git archive 2632193 loaders data/reference | tar -x -C /tmp/base
    .venv/bin/python benchmarks/bench_save.py --sizes 1000 10000 --baseline /tmp/base
    .venv/bin/python benchmarks/bench_save.py --sizes 10000 --baseline /tmp/base --baseline-ops new   # before: minutes a save
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
OUT = HERE / "out"
PY = str(PROJECT / ".venv" / "bin" / "python")
NEW_REPLY = PROJECT / "tests" / "fixtures" / "unseen" / "11_luoyang_prefecture_npc.txt"
OPS = ("existing", "again", "new", "other")

# Run with cwd = the checkout whose loaders/ is measured (python -c puts the cwd first on sys.path).
CHILD = r"""
import json, os, sys, time
from pathlib import Path
import loaders, loaders.curate as curate
folder, op, arg = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
if op == "new":
    review = curate.open_review(curate.read_upload(Path(arg).name, Path(arg).read_bytes()), folder)
    decisions = curate.Decisions()
else:
    review = curate.open_review(curate.read_existing(folder, arg), folder)
    n = 2 if op == "again" else 1
    decisions = curate.Decisions(reject_facts={f.id: "bench_save" for f in review.draft.facts[:n]})
from loaders.measures import tokenize
tokenize("社会组织")  # the tokenizer loaded, as in a workbench after its first save
how = {"how": "full (every record read)"}
try:
    import loaders.incremental as inc
    real = inc.update_tables
    def update_tables(*a, **k):
        how["how"] = real(*a, **k)
        return how["how"]
    inc.update_tables = update_tables
except ImportError:
    pass
def status(key):
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key))
rss_before = status("VmRSS:")
try:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # reset VmHWM: the peak from here on
    reset = True
except OSError:
    reset = False
t0, c0 = time.perf_counter(), time.process_time()
saved = curate.save_review(review, decisions, folder)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"op": op, "record_id": saved.record_id, "wall_s": wall, "cpu_s": cpu, "rss_before_mb": rss_before / 1024,
                  "peak_mb": status("VmHWM:") / 1024, "peak_is_of_the_save": reset, "how": how["how"],
                  "loaders": str(Path(loaders.__file__).parent), "load_avg": os.getloadavg()[0]}))
"""


def base_folder(n: int) -> Path:
    """out/save-N/base: corpus-N built by this checkout's loader (built again when the loader changed)."""
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(PROJECT))
    from generate_corpus import generate

    from loaders.fingerprint import PROJECT_REFERENCE_DIR, load_fingerprints, loader_fingerprint

    corpus = OUT / f"corpus-{n}"
    generate(n, corpus, quiet=True)
    base = OUT / f"save-{n}" / "base"
    fingerprints = load_fingerprints(base) if base.is_dir() else None
    if fingerprints and fingerprints.get("loader") == loader_fingerprint([PROJECT_REFERENCE_DIR, base / "reference"]) \
            and (base / "tables" / "documents.csv").exists():
        return base
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    for sub in ("raw", "reference"):
        shutil.copytree(corpus / sub, base / sub)
    (base / "curation").mkdir()
    print(f"building {base} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    subprocess.run([PY, "-m", "loaders", "--data", str(base), "build", "--quiet", "--jobs", "2"], cwd=PROJECT,
                   check=True)
    print(f"  built in {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return base


def fresh_copy(base: Path, name: str) -> Path:
    target = base.parent / name
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-a", str(base), str(target)], check=True)
    return target


def run_save(folder: Path, op: str, cwd: Path, ids: list[str]) -> dict:
    arg = {"existing": ids[0], "again": ids[0], "other": ids[1], "new": str(NEW_REPLY)}[op]
    proc = subprocess.run([PY, "-c", CHILD, str(folder), op, arg], cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"save {op} in {folder} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def same_tables(a: Path, b: Path) -> dict[str, bool]:
    names = sorted({p.name for p in (a / "tables").glob("*.csv")} | {p.name for p in (b / "tables").glob("*.csv")})
    out = {}
    for name in names:
        pa, pb = a / "tables" / name, b / "tables" / name
        out[name] = pa.exists() and pb.exists() and pa.stat().st_size == pb.stat().st_size and \
            pa.read_bytes() == pb.read_bytes()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--ops", nargs="+", default=list(OPS), choices=OPS, help="saves of this checkout, in this order")
    ap.add_argument("--baseline", type=Path, help="an earlier commit's loaders/ and data/reference/ (git archive)")
    ap.add_argument("--baseline-ops", nargs="+", choices=OPS, help="saves of the baseline (default: --ops)")
    ap.add_argument("--repeat", type=int, default=1, help="run the saves this many times, each on a fresh copy")
    ap.add_argument("--out", type=Path, default=OUT / "save.json")
    args = ap.parse_args(argv)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    for n in args.sizes:
        base = base_folder(n)
        ids = sorted(p.stem for p in (base / "raw").glob("*.txt"))
        ids = [ids[len(ids) // 2], ids[len(ids) // 3]]
        sides = [("after", PROJECT, args.ops)]
        if args.baseline is not None:
            sides.append(("before", args.baseline.resolve(), args.baseline_ops or args.ops))
        folders = {}
        entry = {"n": n, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "saves": {}}
        for side, cwd, ops in sides:
            for _ in range(args.repeat):
                folders[side] = fresh_copy(base, f"work-{side}")
                for op in ops:
                    res = run_save(folders[side], op, cwd, ids)
                    entry["saves"].setdefault(side, []).append(res)
                    print(f"n={n} {side:6} {op:8} {res['wall_s']:7.2f} s wall {res['cpu_s']:7.2f} s CPU  peak "
                          f"{res['peak_mb']:6.0f} MB (before {res['rss_before_mb']:.0f} MB)  {res['how']}  "
                          f"load {res['load_avg']:.1f}", flush=True)
            if args.repeat > 1:
                for op in ops:
                    walls = sorted(r["wall_s"] for r in entry["saves"][side] if r["op"] == op)
                    print(f"n={n} {side:6} {op:8} median {statistics.median(walls):.2f} s wall "
                          f"(of {len(walls)}: {walls[0]:.2f}-{walls[-1]:.2f})", flush=True)
        if len(folders) == 2 and [r["op"] for r in entry["saves"]["after"]] == \
                [r["op"] for r in entry["saves"]["before"]]:
            entry["same_tables"] = same_tables(folders["after"], folders["before"])
            print(f"n={n} tables equal after the same saves: {entry['same_tables']}", flush=True)
        results[str(n)] = entry
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
