"""Every benchmark of issue 7 in one command, then the results tables as Markdown.

    .venv/bin/python benchmarks/run_all.py            # corpora, loader, pages, cold start, report (~1.5-2 h)
    .venv/bin/python benchmarks/run_all.py --report   # only re-render benchmarks/out/results-tables.md

Raw results: benchmarks/out/loader.json, benchmarks/out/pages.json (git-ignored). The tables in
benchmarks/RESULTS.md are copied from benchmarks/out/results-tables.md. Run it on an otherwise idle machine:
the loader and the pages are measured one after the other, never at the same time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
OUT = HERE / "out"
PY = str(PROJECT / ".venv" / "bin" / "python")

TARGET_LOADER_RATIO = 3.0
TARGET_10K_SECONDS = 300
TARGET_RERUN_RATIO = 2.0
TARGET_CHART_RATIO = 1.5


def run(*args: str) -> None:
    print("+", " ".join(args), file=sys.stderr, flush=True)
    subprocess.run([PY, *args], cwd=PROJECT, check=True)


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    return (f"nproc {os.cpu_count()}, CPU {cpu}, RAM {mem / 1024 ** 2:.1f} GiB, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def _f(x, digits=1, unit=""):
    if x is None:
        return "—"
    return f"{x:,.{digits}f}{unit}"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✅" if ok else " ❌")


def render() -> str:
    lines = [f"Generated {datetime.datetime.now():%Y-%m-%d %H:%M} on: {machine()}", ""]
    loader = json.loads((OUT / "loader.json").read_text()) if (OUT / "loader.json").exists() else {}
    sizes = loader.get("sizes", {})
    if sizes:
        lines += ["### Loader throughput (medians; wall clock from process start to exit)", "",
                  "| replies | MB | jobs | runs | build s | replies/s | MB/s | jieba-alone s | loader / jieba (wall) | build CPU s | jieba CPU s | loader / jieba (CPU) | peak RSS tree MB | largest process MB |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n, s in sorted(sizes.items(), key=lambda kv: int(kv[0])):
            for jobs in (1, 2):
                b, f = s["median"].get(f"build_j{jobs}"), s["median"].get(f"floor_j{jobs}")
                if not b:
                    continue
                runs = len(s["runs"].get(f"build_j{jobs}", []))
                ratio = b["wall_s"] / f["wall_s"] if f else None
                lines.append(
                    f"| {int(n):,} | {s['mb']:.1f} | {jobs} | {runs} | {_f(b['wall_s'])} | {_f(int(n) / b['wall_s'])} | "
                    f"{_f(s['mb'] / b['wall_s'], 2)} | {_f(f and f['wall_s'])} | "
                    f"{_f(ratio)}×{_mark(ratio is not None and ratio <= TARGET_LOADER_RATIO)} | "
                    f"{_f(b.get('cpu_s'))} | {_f(f and f.get('cpu_s'))} | "
                    f"{_f(b['cpu_s'] / f['cpu_s'] if f and f.get('cpu_s') and b.get('cpu_s') else None)}× | "
                    f"{_f(b['peak_tree_mb'], 0)} | {_f(b['max_process_mb'], 0)} |")
        lines.append("")
        growth = []
        for jobs in (1, 2):
            a, b = sizes.get("1000", {}).get("median", {}).get(f"build_j{jobs}"), \
                sizes.get("10000", {}).get("median", {}).get(f"build_j{jobs}")
            if a and b:
                growth.append(f"--jobs {jobs}: 1,000 → 10,000 replies took {b['wall_s'] / a['wall_s']:.1f}× the time "
                              f"(10× is linear)")
        for n, s in sorted(sizes.items(), key=lambda kv: int(kv[0])):
            b = s["median"].get("build_j2") or s["median"].get("build_j1")
            if b and b.get("misidentified") is not None:
                growth.append(f"{int(n):,} replies: {b['misidentified']:.0f} given another jurisdiction than the one "
                              "the generator wrote")
        b = sizes.get("10000", {}).get("median", {}).get("build_j2")
        if b:
            growth.append(f"10,000 replies with --jobs 2: {b['wall_s']:.0f} s (target < {TARGET_10K_SECONDS} s)"
                          f"{_mark(b['wall_s'] < TARGET_10K_SECONDS)}")
        lines += [f"- {g}" for g in growth] + [""]
    stages = loader.get("stages")
    if stages:
        lines += [f"### Where a reply's time goes (one process, first {stages['sample']} replies of corpus-{stages['n']})", "",
                  "| step | ms per reply |", "|---|---:|"]
        for k, v in stages["per_reply_ms"].items():
            lines.append(f"| {k} | {v:.1f} |")
        lines.append("")

    pages: dict = {}
    # pages.json, then any pages-*.json written by a separate run (e.g. --out out/pages-10000-browser.json)
    for path in sorted(OUT.glob("pages*.json"), key=lambda p: (p.name != "pages.json", p.name)):
        for part, by_ds in json.loads(path.read_text()).items():
            pages.setdefault(part, {}).update(by_ds)
    for ds, tab in pages.get("tables", {}).items():
        lines.append(f"- tables `{ds}`: " + ", ".join(f"{k} {v['rows']:,} rows / {v['mb']} MB" for k, v in tab.items()))
    if pages.get("tables"):
        lines.append("")
    for ds, res in pages.get("apptest", {}).items():
        lines += [f"### Warm rerun under AppTest, tables `{ds}` (router first run {res['router_first_run_s']:.1f} s)", "",
                  "| page | first run s | warm rerun s | minimal page s | ratio | ratio (CPU s) | runs | charts / traces / points | dataframe rows | markdown / metrics | error |",
                  "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---|"]
        for name, e in res["pages"].items():
            d = e.get("drawn") or {}
            r = e.get("ratio")
            lines.append(
                f"| {name} | {_f(e['first_run_s'], 2)} | {_f(e['page_median_s'], 3)} | {_f(e['minimal_median_s'], 3)} | "
                f"{_f(r)}×{_mark(r is not None and r <= TARGET_RERUN_RATIO) if r else ''} | {_f(e.get('ratio_cpu'))}× | {len(e['page_s'])} | "
                f"{d.get('charts', '—')} / {d.get('traces', '—')} / {d.get('points', '—')} | {d.get('dataframe_rows', '—')} | "
                f"{d.get('markdown', '—')} / {d.get('metrics', '—')} | {(e.get('error') or '')[:80]} |")
        lines.append("")
    for ds, res in pages.get("browser", {}).items():
        lines += [f"### Chromium, warm server, tables `{ds}`", "",
                  "| page | first chart s | minimal first chart s | ratio | fully drawn s | minimal drawn s | ratio | runs | DOM nodes | error |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for name, e in res["pages"].items():
            rc, rd = e.get("ratio_first_chart_s"), e.get("ratio_done_s")
            lines.append(
                f"| {name} | {_f(e['page_first_chart_s'], 2)} | {_f(e['minimal_first_chart_s'], 2)} | "
                f"{_f(rc, 2)}{'×' + _mark(rc <= TARGET_CHART_RATIO) if rc else ' (no chart)'} | {_f(e['page_done_s'], 2)} | "
                f"{_f(e['minimal_done_s'], 2)} | {_f(rd, 2)}× | {len(e['page'])} | {_f(e.get('dom_nodes'), 0)} | "
                f"{'; '.join(e.get('errors') or [])[:100]} |")
        lines.append("")
    for ds, profs in pages.get("profile", {}).items():
        lines += [f"### Where one warm rerun goes, tables `{ds}` (thread CPU s of wrapped functions; nested calls counted in both)", "",
                  "| page | rerun CPU s | top costs |", "|---|---:|---|"]
        for name, prof in profs.items():
            top = ", ".join(f"{k} {v['cpu_s']:.2f} s ({v['calls']}×)" for k, v in list(prof["parts"].items())[:5])
            lines.append(f"| {name} | {prof['cpu_s']:.2f} | {top} |")
        lines.append("")
    if pages.get("cold"):
        lines += ["### Cold start: `streamlit run` spawn → first page fully drawn in Chromium", "",
                  "| tables | dashboard s | minimal page s | ratio | runs |", "|---|---:|---:|---:|---:|"]
        for ds, res in pages["cold"].items():
            lines.append(f"| {ds} | {_f(res.get('dashboard_median_s'), 2)} | {_f(res.get('minimal_median_s'), 2)} | "
                         f"{_f(res.get('ratio'), 2)}× | {len(res['dashboard'])} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true", help="only render the tables from the saved results")
    ap.add_argument("--quick", action="store_true", help="100 and 1,000 replies only, real tables only (~15 min)")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    if not args.report:
        sizes = ["100", "1000"] if args.quick else ["100", "1000", "10000"]
        for n in sizes:
            run("benchmarks/generate_corpus.py", "--n", n)
        run("benchmarks/bench_loader.py", "--sizes", "100", "1000", "--repeat", "3", "--stages", "1000")
        if not args.quick:
            run("benchmarks/bench_loader.py", "--sizes", "10000", "--jobs", "2", "--repeat", "3")
            run("benchmarks/bench_loader.py", "--sizes", "10000", "--jobs", "1", "--repeat", "1")
        run("benchmarks/bench_pages.py", "--datasets", "real", "--parts", "apptest", "browser", "cold", "profile")
        if not args.quick:
            # 10,000-reply tables: slow pages are rerun once (--slow), page loads capped at 300 s, one cold start.
            run("benchmarks/bench_pages.py", "--datasets", "10000", "--parts", "apptest", "browser", "cold",
                "--repeat", "3", "--timeout", "300", "--slow", "30", "--cold-repeat", "1")
            run("benchmarks/bench_pages.py", "--datasets", "10000", "--parts", "profile",
                "--pages", "density", "compare", "sources", "--out", str(OUT / "pages-10000-profile.json"))
    text = render()
    (OUT / "results-tables.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
