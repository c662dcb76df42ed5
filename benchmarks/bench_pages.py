"""Page speed of the dashboard beside a minimal one-chart page, measured in the same run.

For every page of the router (dashboard.py, st.navigation over pages/*.py) and for each table set
(`real`: data/, or `N`: the tables built from the N-reply synthetic corpus, benchmarks/out/dash-N/):

  apptest   warm rerun time under streamlit.testing.v1.AppTest: the router is run once (tables cached),
            the page switched to and run once, then page and minimal page (benchmarks/minimal_page.py)
            are rerun alternately, `--repeat` times each; medians and their ratio.
  browser   time until the first chart is drawn in Chromium (`.js-plotly-plot .main-svg` present) and
            until the page is fully drawn (script state notRunning, every Plotly chart has its SVG), for
            a fresh browser tab on an already-running server whose table cache is warm; the minimal page
            is served by a second server and loaded alternately.
  cold      time from `streamlit run dashboard.py` (process spawn) to the first page fully drawn, beside the
            same for the minimal page.

Also recorded per page: Plotly charts, traces and points drawn, dataframe rows sent, element count — to
find pages that draw every reply instead of aggregating or showing a top-N.

The dashboard reads its data folder from DASHBOARD_DATA_DIR (app/data.py); this script sets it.
Servers listen on 127.0.0.1 only; Chromium is started with networking features off.

    .venv/bin/python benchmarks/bench_pages.py --datasets real 10000 --parts apptest browser cold
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
OUT = HERE / "out"
PY = str(PROJECT / ".venv" / "bin" / "python")
MINIMAL = HERE / "minimal_page.py"
PAGES = ["overview", "density", "trends", "funding", "measures", "compare", "sources", "data", "present", "about"]
# Not pages of the router's menu, measured the same way (AppTest only): the Sources page opened on a permalink to one
# number (its mark highlighted, the list scrolled to it) and the review workbench (curate.py) on a stored reply.
SPECIAL = ["sources_marked", "workbench"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# --- table sets ---------------------------------------------------------------------------------


def dataset_dir(name: str) -> Path:
    """The folder DASHBOARD_DATA_DIR points at: data/ for `real`, else a built copy of corpus-N."""
    if name == "real":
        return PROJECT / "data"
    n = int(name)
    d = OUT / f"dash-{n}"
    if (d / "tables" / "documents.csv").exists():
        return d
    from generate_corpus import generate  # beside this script, which Python puts first on sys.path

    corpus = OUT / f"corpus-{n}"
    generate(n, corpus, quiet=True)
    d.mkdir(parents=True, exist_ok=True)
    for sub in ("reference", "curation"):
        if not (d / sub).exists():
            shutil.copytree(corpus / sub, d / sub)
    if not (d / "raw").exists():
        (d / "raw").symlink_to(corpus / "raw", target_is_directory=True)
    print(f"building the {n}-reply tables into {d} ...", file=sys.stderr, flush=True)
    # The loader's own functions, as `build` calls them, minus writing the record YAML files (the slowest part
    # of `build`, measured by bench_loader.py): the tables are the ones `build` writes.
    code = ("import sys; from pathlib import Path; from loaders.__main__ import build_all, build_outputs; "
            "from loaders.tables import write_tables; d = Path(sys.argv[1]); "
            "recs, toks, fails = build_all(d / 'raw', d / 'curation', jobs=2, progress=False); "
            "write_tables(build_outputs(recs, d / 'reference', toks), d / 'tables'); "
            "print(len(recs), 'records,', len(fails), 'failed')")
    subprocess.run([PY, "-c", code, str(d)], cwd=PROJECT, check=True)
    return d


def table_sizes(d: Path) -> dict:
    out = {}
    for p in sorted((d / "tables").glob("*.csv")):
        with p.open(encoding="utf-8") as fh:
            rows = sum(1 for _ in fh) - 1
        out[p.stem] = {"rows": rows, "mb": round(p.stat().st_size / 1e6, 2)}
    return out


# --- AppTest ---------------------------------------------------------------------------------------


_last_cpu = [0.0]


def _timed(fn):
    """Wall seconds of fn() and an error text; the process CPU seconds it took go to _last_cpu (AppTest runs the
    script in a thread of this process, so process CPU time covers it and is less sensitive to a busy machine)."""
    c0, t0 = time.process_time(), time.perf_counter()
    try:
        fn()
        err = None
    except Exception as exc:  # a timeout or a crash is a result too
        err = f"{type(exc).__name__}: {str(exc)[:200]}"
    _last_cpu[0] = time.process_time() - c0
    return time.perf_counter() - t0, err


def _what_is_drawn(at) -> dict:
    """Charts, traces, points, dataframe rows and elements of the last run."""
    charts = traces = points = 0
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        charts += 1
        for tr in spec.get("data", []):
            traces += 1
            z = tr.get("z")
            if isinstance(z, list):  # heatmap: one cell per z value
                points += sum(len(row) if isinstance(row, list) else 1 for row in z)
            else:
                points += max((len(tr[a]) for a in ("x", "y") if isinstance(tr.get(a), list)), default=0)
    df_rows = 0
    for el in at.dataframe:
        try:
            df_rows += len(el.value)
        except Exception:
            pass
    return {"charts": charts, "traces": traces, "points": points, "dataframe_rows": df_rows,
            "markdown": len(at.markdown), "metrics": len(at.metric), "download_buttons": len(at.get("download_button")),
            "exception": [str(e.value)[:300] for e in at.exception] or None}


def bench_apptest(dataset: str, repeat: int, timeout: float, slow: float, pages: list[str]) -> dict:
    from streamlit.testing.v1 import AppTest

    d = dataset_dir(dataset)
    os.environ["DASHBOARD_DATA_DIR"] = str(d)
    res: dict = {"dataset": dataset, "data_dir": str(d), "pages": {}}
    mini = AppTest.from_file(str(MINIMAL), default_timeout=timeout)
    mini.run()
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=timeout)
    res["router_first_run_s"], err = _timed(at.run)  # reads and caches the tables
    res["router_first_run_error"] = err
    print(f"[apptest {dataset}] router first run {res['router_first_run_s']:.1f} s", file=sys.stderr, flush=True)
    for name in pages:
        if name in SPECIAL:
            page_at, first, err = _special_app(name, d, timeout)
        else:
            page_at = at
            at.switch_page(f"pages/{name}.py")
            first, err = _timed(at.run)
        entry = {"first_run_s": first, "error": err, "page_s": [], "minimal_s": [], "page_cpu_s": [], "minimal_cpu_s": []}
        if err is None:
            entry["drawn"] = _what_is_drawn(page_at)
        reps = repeat if first < slow else 1
        entry["reps"] = reps
        for _ in range(reps):
            if err is not None:
                break
            m, _ = _timed(mini.run)
            entry["minimal_cpu_s"].append(_last_cpu[0])
            p, perr = _timed(page_at.run)
            entry["page_cpu_s"].append(_last_cpu[0])
            entry["minimal_s"].append(m)
            entry["page_s"].append(p)
            if perr:
                entry["error"] = perr
                break
        entry["page_median_s"] = median(entry["page_s"])
        entry["minimal_median_s"] = median(entry["minimal_s"])
        entry["ratio"] = (entry["page_median_s"] / entry["minimal_median_s"]
                          if entry["page_median_s"] and entry["minimal_median_s"] else None)
        pc, mc = median(entry["page_cpu_s"]), median(entry["minimal_cpu_s"])
        entry["page_cpu_median_s"], entry["minimal_cpu_median_s"] = pc, mc
        entry["ratio_cpu"] = pc / mc if pc and mc else None
        res["pages"][name] = entry
        print(f"[apptest {dataset}] {name}: first {first:.2f} s, warm {entry['page_median_s']} s vs minimal "
              f"{entry['minimal_median_s']} -> x{entry['ratio'] and round(entry['ratio'], 1)} {err or ''}",
              file=sys.stderr, flush=True)
    return res


def _special_app(name: str, d: Path, timeout: float):
    """An AppTest of one of SPECIAL, run until it shows what is measured; (app, seconds of the first run, error)."""
    import csv

    from streamlit.testing.v1 import AppTest

    if name == "sources_marked":
        with (d / "tables" / "facts.csv").open(encoding="utf-8") as fh:
            fact = next(csv.DictReader(fh))
        app = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=timeout)
        app.query_params.update({"r": fact["record_id"], "f": fact["id"]})
        app.run()
        app.switch_page("pages/sources.py")
        first, err = _timed(app.run)
        if err is None and not app.get("success"):
            err = "the permalink's fact is not marked"
        return app, first, err
    app = AppTest.from_file(str(PROJECT / "curate.py"), default_timeout=timeout)
    app.run()
    app.radio(key="wb_source").set_value("existing")
    first, err = _timed(app.run)
    return app, first, err


INSTRUMENT = [
    ("app.data", "load_tables"), ("app.data", "select"), ("app.layout", "render_sidebar"),
    ("app.layout", "show_figure"), ("app.charts", "make_density_figure"), ("app.charts", "make_funding_figure"),
    ("app.charts", "make_measures_figure"), ("app.views", "funding_rows"), ("app.views", "indicator_table"),
    ("app.views", "measures_matrix"), ("app.views", "_attach_projects"), ("app.export", "to_csv"),
    ("app.export", "to_xlsx"), ("app.export", "to_json"), ("app.export", "sources_sheet"),
    ("loaders.clean", "clean_text"),
]
DG_METHODS = ["plotly_chart", "dataframe", "download_button", "markdown", "metric", "multiselect", "selectbox",
              "columns", "container", "expander", "warning", "info", "caption", "subheader", "html"]


def profile_page(dataset: str, name: str, timeout: float, reps: int = 3) -> dict:
    """Where one warm rerun of a page spends its time: wall and thread-CPU seconds of the dashboard's own
    functions and of the Streamlit elements it calls, summed over the calls of the run (median of reps runs).

    cProfile sees only the thread it is started in, and AppTest runs the script in another thread, so the
    functions are wrapped instead. Nested wrapped calls are counted in both (e.g. to_csv inside download_button).
    """
    import functools
    import importlib

    from streamlit.delta_generator import DeltaGenerator
    from streamlit.testing.v1 import AppTest
    import streamlit as st

    os.environ["DASHBOARD_DATA_DIR"] = str(dataset_dir(dataset))
    acc: dict[str, list[float]] = {}

    def wrap(label, fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            c0, t0 = time.thread_time(), time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                e = acc.setdefault(label, [0, 0.0, 0.0])
                e[0] += 1
                e[1] += time.perf_counter() - t0
                e[2] += time.thread_time() - c0
        inner.__wrapped_by_bench__ = fn
        return inner

    saved = []
    for mod_name, attr in INSTRUMENT:
        mod = importlib.import_module(mod_name)
        saved.append((mod, attr, getattr(mod, attr)))
        setattr(mod, attr, wrap(f"{mod_name}.{attr}", getattr(mod, attr)))
    for meth in DG_METHODS:
        saved.append((DeltaGenerator, meth, getattr(DeltaGenerator, meth)))
        setattr(DeltaGenerator, meth, wrap(f"st.{meth}", getattr(DeltaGenerator, meth)))
        if hasattr(st, meth):
            saved.append((st, meth, getattr(st, meth)))
            setattr(st, meth, wrap(f"st.{meth}", getattr(st, meth)))
    try:
        at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=timeout)
        at.run()
        at.switch_page(f"pages/{name}.py")
        at.run()
        runs = []
        for _ in range(reps):
            acc.clear()
            wall, err = _timed(at.run)
            runs.append({"wall_s": wall, "cpu_s": _last_cpu[0], "error": err,
                         "parts": {k: {"calls": v[0], "wall_s": v[1], "cpu_s": v[2]} for k, v in acc.items()}})
    finally:
        for obj, attr, fn in reversed(saved):
            setattr(obj, attr, fn)
    best = sorted(runs, key=lambda r: r["cpu_s"])[len(runs) // 2]
    best["parts"] = dict(sorted(best["parts"].items(), key=lambda kv: -kv[1]["cpu_s"]))
    return best


def micro(dataset: str) -> dict:
    """Seconds (CPU) of the suspected costs of one rerun, called directly on the tables of `dataset`."""
    import pickle

    import pandas as pd

    from app import charts, data, export, views

    d = dataset_dir(dataset)
    out: dict[str, float] = {}

    def t(label, fn):
        c0 = time.process_time()
        res = fn()
        out[label] = time.process_time() - c0
        print(f"[micro {dataset}] {label}: {out[label]:.2f} s", file=sys.stderr, flush=True)
        return res

    T = t("read_tables (the cache miss)", lambda: data.read_tables(d))
    blob = t("st.cache_data hit = pickle.dumps ... (on store)", lambda: pickle.dumps(T, protocol=pickle.HIGHEST_PROTOCOL))
    t("st.cache_data hit = pickle.loads (every rerun of every page)", lambda: pickle.loads(blob))
    out["cached_pickle_mb"] = len(blob) / 1e6
    slugs = data.jurisdictions(T)
    facts, measures = T["facts"], T["measures"]
    t("data.select(facts, all slugs)", lambda: data.select(facts, slugs))
    t("views.funding_rows(all facts)", lambda: views.funding_rows(facts, "zh"))
    t("charts.make_measures_figure(all measures)", lambda: charts.make_measures_figure(
        measures, "zh", codebook=T.get("codebook"), jurisdictions={s: s for s in slugs}))
    t("export.to_csv(measures)", lambda: export.to_csv(measures))
    t("export.to_csv(facts)", lambda: export.to_csv(facts))
    t("export.to_json(facts)", lambda: export.to_json(facts))
    sample = facts.head(len(facts) // 20)
    xl = t("export.to_xlsx(5% of facts)", lambda: export.to_xlsx(sample, pd.DataFrame({"a": [1]})))
    out["export.to_xlsx(facts) extrapolated x20"] = out["export.to_xlsx(5% of facts)"] * 20
    del xl

    def arrow(df):
        import pyarrow as pa

        return pa.Table.from_pandas(df)

    t("st.dataframe serialisation (pyarrow) of measures", lambda: arrow(measures))
    t("st.dataframe serialisation (pyarrow) of facts", lambda: arrow(facts))
    terms = T.get("distinctive_terms")
    t("measures page: top terms loop over every slug", lambda: [
        terms[terms["jurisdiction"] == s].sort_values("score", ascending=False).head(12) for s in slugs])
    return out


# --- servers and Chromium ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` on 127.0.0.1 with the project's settings (.streamlit/config.toml)."""

    def __init__(self, script: Path, data_dir: Path | None, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ}
        if data_dir is not None:
            env["DASHBOARD_DATA_DIR"] = str(data_dir)
        cmd = [PY, "-m", "streamlit", "run", str(script), "--server.address", "127.0.0.1", "--server.port",
               str(self.port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
        self.log = open(log, "w")
        self.t_spawn = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=PROJECT, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server not healthy")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


DONE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('h1')) return false;
  const plots = document.querySelectorAll('.js-plotly-plot');
  for (const p of plots) { if (!p.querySelector('.main-svg')) return false; }
  return true;
}"""
CHART = ".js-plotly-plot .main-svg"


def load_page(browser, url: str, timeout_s: float, with_chart: bool = True, ctx=None) -> dict:
    """Open url in a fresh tab (of ctx, whose HTTP cache is warm, or of a new context); seconds to the first
    chart and to the page fully drawn."""
    own = ctx is None
    ctx = ctx or browser.new_context(viewport={"width": 1600, "height": 1000})
    page = ctx.new_page()
    out = {"first_chart_s": None, "done_s": None, "error": None}
    t0 = time.perf_counter()
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        if with_chart:
            try:
                page.wait_for_selector(CHART, state="attached", timeout=timeout_s * 1000)
                out["first_chart_s"] = time.perf_counter() - t0
            except Exception as exc:
                out["error"] = f"no chart: {type(exc).__name__}"
        remaining = max(1.0, timeout_s - (time.perf_counter() - t0))
        # script state flips to notRunning only after a run; wait for running to have happened by polling DONE
        page.wait_for_function(DONE_JS, timeout=remaining * 1000, polling=50)
        out["done_s"] = time.perf_counter() - t0
        out["charts"] = page.locator(".js-plotly-plot").count()
        out["dom_nodes"] = page.evaluate("document.getElementsByTagName('*').length")
        exc_count = page.locator('[data-testid="stException"]').count()
        if exc_count:
            out["error"] = (out["error"] or "") + f" {exc_count} exception(s) on page: " + \
                page.locator('[data-testid="stException"]').first.inner_text()[:200]
    except Exception as exc:
        out["error"] = (out["error"] or "") + f" {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    finally:
        page.close()
        if own:
            ctx.close()
    return out


def page_url(base: str, name: str) -> str:
    return base + "/" if name == "overview" else f"{base}/{name}"


HAS_CHART = {"overview": False, "density": True, "funding": True, "measures": True, "compare": False,
             "sources": False, "data": False, "present": True}


def bench_browser(dataset: str, repeat: int, timeout: float, pages: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    d = dataset_dir(dataset)
    res: dict = {"dataset": dataset, "pages": {}}
    dash = Server(PROJECT / "dashboard.py", d, OUT / f"server-dash-{dataset}.log")
    mini = Server(MINIMAL, None, OUT / f"server-minimal-{dataset}.log")
    try:
        dash.wait_healthy()
        mini.wait_healthy()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            # One browser context: static files come from its HTTP cache after the first load, as for a user
            # moving between pages. Warm both servers: the first session reads and caches the tables.
            ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
            res["warmup_dashboard"] = load_page(browser, page_url(dash.url, "overview"), timeout, False, ctx)
            res["warmup_minimal"] = load_page(browser, mini.url + "/", timeout, True, ctx)
            print(f"[browser {dataset}] warm-up {res['warmup_dashboard']}", file=sys.stderr, flush=True)
            for name in pages:
                entry = {"page": [], "minimal": []}
                for r in range(repeat):
                    entry["minimal"].append(load_page(browser, mini.url + "/", timeout, True, ctx))
                    got = load_page(browser, page_url(dash.url, name), timeout, HAS_CHART[name], ctx)
                    entry["page"].append(got)
                    if got["done_s"] is None or got["done_s"] > timeout / 2:
                        break  # one slow measurement is enough to report it
                for key in ("first_chart_s", "done_s"):
                    entry[f"page_{key}"] = median([x[key] for x in entry["page"]])
                    entry[f"minimal_{key}"] = median([x[key] for x in entry["minimal"]])
                    pm, mm = entry[f"page_{key}"], entry[f"minimal_{key}"]
                    entry[f"ratio_{key}"] = pm / mm if pm and mm else None
                entry["errors"] = [x["error"] for x in entry["page"] if x["error"]] or None
                entry["dom_nodes"] = median([x.get("dom_nodes") for x in entry["page"]])
                res["pages"][name] = entry
                print(f"[browser {dataset}] {name}: chart {entry['page_first_chart_s']} done {entry['page_done_s']} "
                      f"vs minimal {entry['minimal_first_chart_s']} -> chart x{entry['ratio_first_chart_s']} "
                      f"done x{entry['ratio_done_s']} {entry['errors'] or ''}", file=sys.stderr, flush=True)
            ctx.close()
            browser.close()
    finally:
        dash.stop()
        mini.stop()
    return res


def bench_cold(dataset: str, repeat: int, timeout: float) -> dict:
    """Process spawn of `streamlit run` to the first page fully drawn, dashboard beside minimal page."""
    from playwright.sync_api import sync_playwright

    d = dataset_dir(dataset)
    res: dict = {"dataset": dataset, "dashboard": [], "minimal": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for r in range(repeat):
            for key, script, data_dir in (("minimal", MINIMAL, None), ("dashboard", PROJECT / "dashboard.py", d)):
                srv = Server(script, data_dir, OUT / f"server-cold-{key}-{dataset}.log")
                try:
                    srv.wait_healthy()
                    t_health = time.perf_counter() - srv.t_spawn
                    got = load_page(browser, srv.url + "/", timeout, with_chart=key == "minimal")
                    total = time.perf_counter() - srv.t_spawn
                    res[key].append({"to_health_s": t_health, "to_drawn_s": total if got["done_s"] else None,
                                     "error": got["error"]})
                finally:
                    srv.stop()
            print(f"[cold {dataset}] rep {r + 1}: dashboard {res['dashboard'][-1]} minimal {res['minimal'][-1]}",
                  file=sys.stderr, flush=True)
        browser.close()
    for key in ("dashboard", "minimal"):
        res[f"{key}_median_s"] = median([x["to_drawn_s"] for x in res[key]])
    if res["dashboard_median_s"] and res["minimal_median_s"]:
        res["ratio"] = res["dashboard_median_s"] / res["minimal_median_s"]
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="+", default=["real", "10000"])
    ap.add_argument("--parts", nargs="+", default=["apptest", "browser", "cold"],
                    choices=["apptest", "browser", "cold", "profile", "micro"])
    ap.add_argument("--pages", nargs="+", default=PAGES + SPECIAL,
                    help=f"pages of the router, and (AppTest only) {', '.join(SPECIAL)}")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600, help="seconds one run or page load may take")
    ap.add_argument("--slow", type=float, default=60, help="a page slower than this on its first run is rerun once")
    ap.add_argument("--cold-repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT / "pages.json")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}

    def save():
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))

    for ds in args.datasets:
        results.setdefault("tables", {})[ds] = table_sizes(dataset_dir(ds))
        if "apptest" in args.parts:
            results.setdefault("apptest", {})[ds] = bench_apptest(ds, args.repeat, args.timeout, args.slow, args.pages)
            save()
        if "browser" in args.parts:
            results.setdefault("browser", {})[ds] = bench_browser(ds, args.repeat, args.timeout,
                                                                  [p for p in args.pages if p not in SPECIAL])
            save()
        if "cold" in args.parts:
            results.setdefault("cold", {})[ds] = bench_cold(ds, args.cold_repeat, args.timeout)
            save()
        if "micro" in args.parts:
            results.setdefault("micro", {})[ds] = micro(ds)
            save()
        if "profile" in args.parts:
            for name in [p for p in args.pages if p not in SPECIAL]:
                prof = profile_page(ds, name, args.timeout, reps=3 if ds == "real" else 1)
                results.setdefault("profile", {}).setdefault(ds, {})[name] = prof
                top = ", ".join(f"{k} {v['cpu_s']:.2f}s/{v['calls']}" for k, v in list(prof["parts"].items())[:6])
                print(f"[profile {ds}] {name}: run {prof['wall_s']:.2f} s wall, {prof['cpu_s']:.2f} s CPU; {top}",
                      file=sys.stderr, flush=True)
                save()
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
