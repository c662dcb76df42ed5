"""Loader throughput on the synthetic corpora, beside its floor (jieba alone on the same replies), in one run.

For every corpus size and every repeat, three processes run back to back on the same files:

  floor       read + decode every reply and segment it with the loader's own jieba tokenizer
              (loaders.measures._tokenizer().lcut, domain dictionary loaded) — nothing else; once with
              one process, once split over two (the like-for-like floor of --jobs 2)
  build -j1   python -m loaders --data DIR build --quiet --jobs 1
  build -j2   the same with --jobs 2

Each is timed from process start to exit (wall clock), with the peak resident memory of its whole process
tree (sampled from /proc every 50 ms) and the largest single process (ru_maxrss). records/ and tables/ are
deleted before every build. Medians over the repeats go to RESULTS.md; everything goes to
benchmarks/out/loader.json.

A stage breakdown (in one process, jobs 1, on a sample of replies) says where the time goes:
read, clean, metadata, facts, measures, record validation, YAML dump of the record (PyYAML pure Python,
as the loader does, and libyaml's CSafeDumper for comparison), and the table stage's extra clean and
tokenize.

    .venv/bin/python benchmarks/bench_loader.py --sizes 100 1000 --repeat 3
    .venv/bin/python benchmarks/bench_loader.py --sizes 10000 --repeat 3 --jobs 2   # long: run in background
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
OUT = HERE / "out"
PY = str(PROJECT / ".venv" / "bin" / "python")


# --- process measurement ------------------------------------------------------------------------


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of pid and all its descendants, from /proc (kB)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_measured(cmd: list[str], env: dict | None = None, cwd: Path = PROJECT) -> dict:
    """Run cmd; wall seconds, peak RSS of the process tree (sampled), largest single process (ru_maxrss, MB)."""
    import tempfile

    stop = threading.Event()
    peak = [0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True, env={**os.environ, **(env or {})})

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                stop.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        # wait4: rusage of this child and its waited-for descendants (ru_maxrss = the largest of them)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        th.join()
        out.seek(0)
        err.seek(0)
        return {"wall_s": wall, "peak_tree_mb": peak[0] / 1024, "max_process_mb": usage.ru_maxrss / 1024,
                "cpu_s": usage.ru_utime + usage.ru_stime, "rc": proc.returncode,
                "stdout": out.read().strip()[-400:], "stderr": err.read().strip()[-400:]}


# --- the floor: jieba alone -----------------------------------------------------------------------------


def _segment_files(paths: list[str]) -> tuple[int, int, float]:
    from loaders.measures import _tokenizer
    from loaders.read import load_reply

    lcut = _tokenizer().lcut
    chars = tokens = 0
    seg = 0.0
    for p in paths:
        text = load_reply(p)
        t = time.perf_counter()
        tokens += len(lcut(text))
        seg += time.perf_counter() - t
        chars += len(text)
    return chars, tokens, seg


def _init_worker():
    from loaders.measures import _tokenizer

    _tokenizer().lcut("预热")  # load the dictionary, as a loader worker does on its first reply


def floor_main(data_dir: str, jobs: int) -> int:
    """Entry of the floor subprocess: print JSON with characters, tokens and segmentation seconds."""
    paths = [str(p) for p in sorted(Path(data_dir, "raw").glob("*.txt"))]
    t0 = time.perf_counter()
    if jobs <= 1:
        _init_worker()
        init = time.perf_counter() - t0
        chars, tokens, seg = _segment_files(paths)
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [paths[i::jobs] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
            results = list(pool.map(_segment_files, chunks))
        init = float("nan")
        chars, tokens, seg = (sum(r[k] for r in results) for k in range(3))
    print(json.dumps({"chars": chars, "tokens": tokens, "segment_s": seg, "init_s": init,
                      "in_process_s": time.perf_counter() - t0}))
    return 0


# --- the loader ---------------------------------------------------------------------------------


def corpus_dir(n: int) -> Path:
    return OUT / f"corpus-{n}"


def ensure_corpus(n: int, seed: int) -> dict:
    from generate_corpus import generate  # beside this script, which Python puts first on sys.path

    return generate(n, corpus_dir(n), seed, quiet=True)


def build_once(d: Path, jobs: int, cwd: Path = PROJECT) -> dict:
    """One build; cwd: the checkout whose loaders/ package runs (--baseline: an earlier commit's)."""
    for sub in ("records", "tables"):
        shutil.rmtree(d / sub, ignore_errors=True)
    res = run_measured([PY, "-m", "loaders", "--data", str(d), "build", "--quiet", "--jobs", str(jobs)], cwd=cwd)
    if res["rc"] != 0:
        print(f"  build -j{jobs} exit {res['rc']}: {res['stderr'][-300:]}", file=sys.stderr)
    res.update(check_jurisdictions(d))
    return res


def check_jurisdictions(d: Path) -> dict:
    """Correctness beside speed: replies whose jurisdiction is not the one the generator wrote (<slug>-<year>-<n>)."""
    import csv

    path = d / "tables" / "documents.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    wrong = [(r["record_id"], r["jurisdiction"]) for r in rows if r["record_id"].rsplit("-", 2)[0] != r["jurisdiction"]]
    return {"documents": len(rows), "misidentified": len(wrong), "misidentified_examples": wrong[:10]}


def floor_once(d: Path, jobs: int) -> dict:
    res = run_measured([PY, str(Path(__file__)), "--floor", str(d), "--floor-jobs", str(jobs)])
    res.update(json.loads(res.pop("stdout").splitlines()[-1]))
    return res


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def bench_sizes(sizes: list[int], jobs_list: list[int], repeat: int, seed: int, results: dict, save,
                baseline: Path | None = None) -> None:
    for n in sizes:
        manifest = ensure_corpus(n, seed)
        d = corpus_dir(n)
        mb = manifest["bytes"] / 1e6
        # Keep earlier runs of other --jobs settings for this size (e.g. -j2 x3 now, -j1 x1 later).
        previous = results["sizes"].get(str(n), {}).get("runs", {})
        runs: dict[str, list[dict]] = {k: v for k, v in previous.items() if int(k[-1]) not in jobs_list}
        for r in range(repeat):
            for jobs in jobs_list:
                key = f"floor_j{jobs}"
                runs.setdefault(key, []).append(floor_once(d, jobs))
                print(f"  n={n} rep {r + 1}/{repeat} {key}: {runs[key][-1]['wall_s']:.1f} s", file=sys.stderr, flush=True)
                if baseline is not None:
                    # The earlier loader on the same files in the same run (before/after, equally busy machine).
                    runs.setdefault(f"baseline_j{jobs}", []).append(build_once(d, jobs, cwd=baseline))
                    print(f"  n={n} rep {r + 1}/{repeat} baseline_j{jobs}: {runs[f'baseline_j{jobs}'][-1]['wall_s']:.1f} s",
                          file=sys.stderr, flush=True)
                key = f"build_j{jobs}"
                runs.setdefault(key, []).append(build_once(d, jobs))
                keep = OUT / f"dash-{n}"
                if runs[key][-1]["rc"] == 0 and not (keep / "tables" / "documents.csv").exists():
                    # The page benchmarks read these tables (bench_pages.py, dataset N): keep the first good build.
                    keep.mkdir(parents=True, exist_ok=True)
                    for sub in ("tables", "reference", "curation"):
                        shutil.rmtree(keep / sub, ignore_errors=True)
                        shutil.copytree(d / sub, keep / sub)
                    if not (keep / "raw").exists():
                        (keep / "raw").symlink_to(d / "raw", target_is_directory=True)
                print(f"  n={n} rep {r + 1}/{repeat} {key}: {runs[key][-1]['wall_s']:.1f} s "
                      f"peak {runs[key][-1]['peak_tree_mb']:.0f} MB", file=sys.stderr, flush=True)
                summary = {"n": n, "mb": mb, "runs": runs}
                summary["median"] = {k: {f: median([x.get(f) for x in v])
                                         for f in ("wall_s", "cpu_s", "peak_tree_mb", "max_process_mb", "segment_s", "init_s", "misidentified")}
                                     for k, v in runs.items()}
                results["sizes"][str(n)] = summary
                save()


# --- where the time goes ----------------------------------------------------------------------------


def stage_breakdown(n: int, sample: int) -> dict:
    """Milliseconds per stage over the first `sample` replies of corpus-n, in this process (what one worker does)."""
    from loaders import records as rec_mod
    from loaders.clean import clean_text
    from loaders.facts import extract_facts
    from loaders.measures import _tokenizer, extract_measures, tokenize
    from loaders.metadata import extract_document, identify_jurisdiction
    from loaders.read import load_reply
    from loaders.schema import Record

    import tempfile

    d = corpus_dir(n)
    paths = sorted((d / "raw").glob("*.txt"))[:sample]
    tmp_dir = Path(tempfile.mkdtemp(prefix="bench-records-"))
    _tokenizer()
    t: dict[str, float] = {}

    def add(key, t0):
        t[key] = t.get(key, 0.0) + time.perf_counter() - t0

    for p in paths:
        t0 = time.perf_counter(); raw = load_reply(p); add("read", t0)
        t0 = time.perf_counter(); clean = clean_text(raw); add("clean", t0)
        t0 = time.perf_counter(); j = identify_jurisdiction(clean); doc = extract_document(clean, j); add("metadata", t0)
        t0 = time.perf_counter(); extract_facts(clean, j, doc); add("facts", t0)
        t0 = time.perf_counter(); extract_measures(clean); add("measures", t0)
        t0 = time.perf_counter(); record, _ = rec_mod.build_record_and_text(p, d / "curation")
        add("build_record_and_text (all of the above again, + curation, origin)", t0)
        t0 = time.perf_counter(); Record.model_validate(record.model_dump()); add("write: re-validate record", t0)
        t0 = time.perf_counter(); data = record.model_dump(mode="json"); add("write: model_dump", t0)
        t0 = time.perf_counter(); text = rec_mod.dump_yaml(data); add("write: dump_yaml (direct node builder + libyaml emitter)", t0)
        t0 = time.perf_counter(); rec_mod._dump_yaml_pyyaml(data); add("write: dump_yaml before (PyYAML representer + libyaml emitter)", t0)
        rec_path = tmp_dir / f"{record.id}.yaml"
        rec_path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter(); rec_mod.load_record(rec_path); add("read back: load_record (one libyaml parse, node check)", t0)
        t0 = time.perf_counter(); _load_record_before(rec_mod, rec_path); add("read back: load_record before (event check + yaml.load)", t0)
        t0 = time.perf_counter(); tokenize(clean.text); add("tables: tokenize (jieba + filters)", t0)
        t0 = time.perf_counter(); _tokenizer().lcut(clean.text); add("floor: jieba lcut alone", t0)
    shutil.rmtree(tmp_dir, ignore_errors=True)
    return {"n": n, "sample": len(paths), "seconds": t, "per_reply_ms": {k: 1000 * v / len(paths) for k, v in t.items()}}


def _load_record_before(rec_mod, path: Path):
    """load_record as it was before the single-parse path: the event check, then a second full parse."""
    import yaml

    from loaders.schema import Record

    text = rec_mod._read_yaml_text(path)
    rec_mod._check_yaml_events(yaml.parse(text, Loader=rec_mod._SAFE_LOADER), path)
    return Record.model_validate(yaml.load(text, Loader=rec_mod._SAFE_LOADER))


def profile_build(n: int, out: Path, top: int = 30) -> str:
    """cProfile of a whole jobs-1 build of corpus-n (in this process); returns the top functions by own time."""
    import cProfile
    import io
    import pstats

    from loaders import __main__ as cli

    d = corpus_dir(n)
    for sub in ("records", "tables"):
        shutil.rmtree(d / sub, ignore_errors=True)
    prof = cProfile.Profile()
    prof.enable()
    cli.main(["--data", str(d), "build", "--quiet", "--jobs", "1"])
    prof.disable()
    prof.dump_stats(str(out))
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    st.sort_stats("cumulative").print_stats(r"loaders|yaml/__init__|jieba/__init__|pydantic/main", top)
    st.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", type=Path, default=OUT / "loader.json")
    ap.add_argument("--stages", type=int, default=0, metavar="N", help="stage breakdown on corpus-N (sample 200)")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile a jobs-1 build of corpus-N")
    ap.add_argument("--baseline", type=Path, help="a checkout of an earlier commit (git archive REV loaders data/reference "
                    "| tar -x -C DIR): its loader is timed beside this one, in the same run")
    ap.add_argument("--floor", help=argparse.SUPPRESS)
    ap.add_argument("--floor-jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.floor:
        return floor_main(args.floor, args.floor_jobs)
    OUT.mkdir(exist_ok=True)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("sizes", {})

    def save():
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))

    if args.sizes:
        bench_sizes(args.sizes, args.jobs, args.repeat, args.seed, results, save, args.baseline)
    if args.stages:
        ensure_corpus(args.stages, args.seed)
        results["stages"] = stage_breakdown(args.stages, 200)
        save()
        print(json.dumps(results["stages"], indent=1, ensure_ascii=False))
    if args.profile:
        ensure_corpus(args.profile, args.seed)
        text = profile_build(args.profile, OUT / f"loader-{args.profile}.prof")
        (OUT / f"loader-profile-{args.profile}.txt").write_text(text)
        results["profile"] = {"n": args.profile, "file": f"benchmarks/out/loader-profile-{args.profile}.txt"}
        save()
        print(text[:6000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
