"""Page setup shared by the router and by pages run alone: sidebar, URL state, presenter mode, messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import data, fmt, safe
from app.charts import present_fonts
from app.i18n import DEFAULT_LANG, LANGS, t
from app.limits import MAX_PLACES, MAX_TABLE_ROWS

ROUTED = "_routed_ctx"  # session key holding the router's context while it runs a page
# A local image: an emoji favicon needs an emoji font, a :material/ one is fetched from fonts.gstatic.com.
FAVICON = Path(__file__).resolve().parent / "favicon.png"

PRESENT_CSS = """
<style>
html, body, [class*="st-"] { font-size: 1.25rem; }
h1, h1 span { font-size: 2.6rem !important; }  /* the span inside h1 matched [class*="st-"] and stayed body-sized */
[data-testid="stMetricValue"] { font-size: 2.1rem; }  /* under the title (2.6rem): the title stays the largest text */
</style>
"""

# A phone (390 px): nothing wider than the screen. Long words and links wrap, side-by-side blocks stack, a table
# scrolls inside its own box; the charts reflow by themselves (labels over the bars, legends under the titles).
NARROW_CSS = """
<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stAlert"] {
    overflow-wrap: anywhere; }
  [data-testid="stMarkdownContainer"] pre, [data-testid="stMarkdownContainer"] code { white-space: pre-wrap; }
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { min-width: 100% !important; }
  [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stPlotlyChart"] { max-width: 100%; overflow-x: auto; }
  [data-testid="stMetricValue"] { font-size: 1.6rem; }
}
</style>
"""


@dataclass
class Ctx:
    """What every page needs: language, the selected jurisdictions, the tables, presenter mode."""

    lang: str
    slugs: list[str]
    tables: dict
    present: bool = False
    all_slugs: list[str] = field(default_factory=list)

    @cached_property  # read many times per run; built once from every reply's row
    def names(self) -> dict[str, str]:
        """Selected slug -> display name, in selection order."""
        every = data.names(self.tables, self.lang)
        return {s: every.get(s, s) for s in self.slugs}

    def t(self, key: str, **kwargs) -> str:
        return t(key, self.lang, **kwargs)


# ---- URL state -------------------------------------------------------------------------------------------


def _query_value(name: str) -> str | None:
    try:
        value = st.query_params.get(name)
    except Exception:  # a malformed URL must never break the page
        return None
    return value if isinstance(value, str) else None


def write_query(name: str, text: str | None, default_text: str | None) -> None:
    # Defaults stay out of the URL so shared links are short; everything else is written back.
    try:
        if text is None or text == default_text:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != text:
            st.query_params[name] = text
    except Exception:
        pass


def url_state(name: str, default: Any, parse: Callable[[str], Any], dump: Callable[[Any], str]) -> Any:
    """A value that starts from the URL (falling back to default when absent or invalid) and lives in the session."""
    store = f"_v_{name}"
    if store not in st.session_state:
        raw = _query_value(name)
        try:
            value = parse(raw) if raw is not None else default
        except (ValueError, TypeError, KeyError):
            value = default
        st.session_state[store] = default if value is None else value
    return st.session_state[store]


def bound(widget: Callable, name: str, label: str, *, default: Any, parse: Callable[[str], Any],
          dump: Callable[[Any], str], **kwargs) -> Any:
    """A widget whose value is kept in the URL and survives page switches (widget state alone would not)."""
    store, wkey = f"_v_{name}", f"w_{name}"
    url_state(name, default, parse, dump)

    def _copy() -> None:
        st.session_state[store] = st.session_state[wkey]

    st.session_state[wkey] = st.session_state[store]
    value = widget(label, key=wkey, on_change=_copy, **kwargs)
    st.session_state[store] = value
    write_query(name, dump(value), dump(default))
    return value


def choice(options) -> Callable[[str], Any]:
    """Parser accepting one of options; anything else raises so url_state falls back to the default."""
    def parse(raw: str):
        if raw in options:
            return raw
        raise ValueError(raw)
    return parse


def flag(raw: str) -> bool:
    if raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if raw.strip().lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(raw)


def sync_select(name: str, options: list, default) -> Any:
    """For selectbox/radio: a remembered value no longer among the options falls back to the default."""
    store = f"_v_{name}"
    # Absent means first run: leave it to url_state so the URL value wins.
    if store in st.session_state and st.session_state[store] not in options:
        st.session_state[store] = default
    return st.session_state.get(store, default)


# ---- page setup ------------------------------------------------------------------------------------------


def presenter_requested() -> bool:
    return bool(url_state("present", False, flag, lambda v: "1" if v else "0"))


def page_config(present: bool) -> None:
    st.set_page_config(
        page_title=t("app_title", current_lang()), page_icon=str(FAVICON), layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )


def current_lang() -> str:
    return url_state("lang", DEFAULT_LANG, choice(LANGS), str)


def render_sidebar() -> Ctx:
    """The shared sidebar: jurisdictions, language, presenter toggle. Returns the context pages read."""
    tables = data.load_tables()
    all_slugs = data.jurisdictions(tables)
    lang = current_lang()
    with st.sidebar:
        lang = bound(
            st.radio, "lang", t("sidebar_language", lang), default=DEFAULT_LANG, parse=choice(LANGS), dump=str,
            options=list(LANGS), format_func=lambda code: {"zh": "中文", "en": "English"}[code], horizontal=True,
        )
        name_of = data.names(tables, lang)

        def parse_slugs(raw: str) -> list[str]:
            picked = [s for s in dict.fromkeys(raw.split(",")) if s in all_slugs]
            if not picked:
                raise ValueError(raw)
            return picked

        # Drop remembered slugs that vanished from the data, or the multiselect would raise.
        store = "_v_j"
        if store in st.session_state:
            st.session_state[store] = [s for s in st.session_state[store] if s in all_slugs]
        # Every place by default while they fit on screen; with hundreds, the first few (and say so), or every page
        # would start with hundreds of chips and draw hundreds of places. A link with ?j= still picks any set.
        default = list(all_slugs) if len(all_slugs) <= MAX_PLACES else list(all_slugs[:MAX_PLACES])
        slugs = bound(
            st.multiselect, "j", t("sidebar_jurisdictions", lang), default=default, parse=parse_slugs,
            dump=lambda v: ",".join(v), options=all_slugs, format_func=lambda s: name_of.get(s, s),
            placeholder=t("pick_jurisdictions", lang),
        )
        if len(default) < len(all_slugs):
            st.caption(t("sidebar_default_short", lang, n=len(default), total=fmt.number(len(all_slugs))))
        # A place with replies of several years: said here, since the pages show its newest figures by default.
        counts = data.derived(tables, ("reply_counts",), lambda: tables["documents"]["jurisdiction"].value_counts().to_dict()
                              if tables.get("documents") is not None else {})
        several = [(s, counts[s]) for s in slugs if counts.get(s, 0) > 1]
        if several:
            shown = fmt.listing([f"{safe.escape_text(name_of.get(s, s))}（{n}）" if lang == "zh" else
                                 f"{safe.escape_text(name_of.get(s, s))} ({n})" for s, n in several], lang)
            st.caption(t("sidebar_several_replies", lang, places=shown))
        present = bound(
            st.toggle, "present", t("sidebar_present", lang), default=False, parse=flag,
            dump=lambda v: "1" if v else "0",
        )
        st.caption(t("sidebar_link_hint", lang))
    st.html(NARROW_CSS)
    if present:
        st.html(PRESENT_CSS)
    return Ctx(lang=lang, slugs=list(slugs), tables=tables, present=present, all_slugs=all_slugs)


def _leave_legacy_pages_mode() -> None:
    """Streamlit treats a pages/ folder as the old automatic multipage app until the router first calls
    st.navigation; a first visit straight to /density would then run the page without the router (file-name
    menu, untranslated). Switch to the router and rerun. Only when the router is the main script."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        run = get_script_run_ctx()
        if run is None or not PagesManager.uses_pages_directory:
            return
        if Path(run.pages_manager.main_script_path).name != "dashboard.py":
            return
    except (ImportError, AttributeError):  # internals moved: fall back to the page running alone
        return
    PagesManager.uses_pages_directory = False
    st.rerun()


def setup_page() -> Ctx:
    """Call first in every page: reuses the router's context, or builds config and sidebar when run alone."""
    ctx = st.session_state.get(ROUTED)
    if isinstance(ctx, Ctx):
        return ctx
    _leave_legacy_pages_mode()
    page_config(presenter_requested())
    return render_sidebar()


def indicator_labels(ctx: Ctx) -> dict[str, str]:
    """Indicator code -> label in the page's language, for tables."""
    return {code: data.indicator_label(ctx.tables, code, ctx.lang) for code in ctx.tables.get("indicators", {})}


def require(ctx: Ctx, *names: str, need_selection: bool = True) -> None:
    """Stop the page with one message naming the missing or broken table it needs and the rebuild command.

    A broken table this page does not need is named in one warning, and the page goes on without it.
    """
    problems = ctx.tables.get("problems") or {}
    needed = [problems[n] for n in names if n in problems]
    others = [p for n, p in problems.items() if n not in names]
    for name in names:  # tables read by older callers without problems (a Ctx built by hand)
        if ctx.tables.get(name) is None and name not in problems:
            rel = {**data.REQUIRED, **data.OPTIONAL}.get(name, name)
            needed.append(data.TableProblem(name, f"data/{rel}", "is missing", is_missing=True))
    if needed and all(p.is_missing for p in needed):
        st.warning(ctx.t("missing_file", file=needed[0].file))
        st.stop()
    if needed:
        st.error(ctx.t("table_broken", problems=table_problems(needed)))
        st.stop()
    if others:
        st.warning(ctx.t("table_broken_elsewhere", problems=table_problems(others)))
    if need_selection and not ctx.slugs:
        st.info(ctx.t("empty_selection"))
        st.stop()


def table_problems(problems: list) -> str:
    """The problems' one-line messages as Markdown lines, with any cell they quote escaped."""
    return "  \n".join(f"`{p.file}`: {safe.escape_text(p.problem)} (rebuild with `{data.REBUILD_COMMAND}`)"
                       for p in problems)


def show_table(ctx: Ctx, df: pd.DataFrame, prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None, *,
               container=None, **kwargs):
    """st.dataframe of at most MAX_TABLE_ROWS rows, with a caption when rows were left out (downloads have all).

    prepare (e.g. views.readable) runs on the rows shown only, not on the whole frame. container: where to draw
    (a Recorder while a page plans), st by default.
    """
    where = st if container is None else container
    head = df.head(MAX_TABLE_ROWS)
    shown = where.dataframe(prepare(head) if prepare else head, **kwargs)
    if len(df) > len(head):
        where.caption(ctx.t("table_cut", n=fmt.number(len(head)), total=fmt.number(len(df))))
    return shown


def download(container, label: str, make: Callable[[], bytes], *, file_name: str, mime: str, key: str | None = None):
    """A download button whose file is made only when it is clicked (Streamlit calls make then, on its own thread).

    Made eagerly, every download was rebuilt on every rerun whether anyone wanted it or not (XLSX alone was most of
    the data page's time). on_click="ignore": the click fetches the file and the page stays as it is, instead of a
    rerun that redraws the same page and replaces the file's link while the browser asks for it.
    """
    return container.download_button(label, data=make, file_name=file_name, mime=mime, key=key, on_click="ignore")


MAX_CACHED_FIGURES = 256


def cached_figure(ctx: Ctx, name: str, build: Callable[[], go.Figure], **params) -> go.Figure:
    """The figure build() makes, made once per data version, selection, language and params and then shared.

    Building a Plotly figure (every property validated) was most of a warm rerun of the chart pages. The figure is
    read only afterwards: show_figure's presenter mode and st.plotly_chart copy it before changing or sending it.
    params must name everything else the figure depends on (base, mode, status, indicator).
    """
    store = ctx.tables.setdefault("figures", {})
    key = (name, tuple(ctx.slugs), ctx.lang, tuple(sorted(params.items())))
    fig = store.get(key)
    if fig is None:
        if len(store) >= MAX_CACHED_FIGURES:
            store.clear()
        fig = store[key] = build()
    return fig


# Plotly's toolbar had eight buttons per chart (zoom, pan, select, autoscale...), each a stop for the Tab key, with
# English tooltips on the Chinese pages. Every chart keeps one: the PNG download, its tooltip in the reader's language
# (a chart-local Plotly locale whose dictionary has that one phrase; numbers and dates keep Plotly's defaults).
PLOT_BUTTONS = [["toImage"]]
PLOT_PHRASES = ("Download plot as a PNG", "Download plot as a png", "Download plot")  # plotly.js 3 and 2 spell it so
PLOT_LOCALE = "dash-{lang}"  # a name of our own: never one of Plotly's registered locales


def plot_config(lang: str, png_name: str | None = None) -> dict:
    """The config of every st.plotly_chart of the dashboard: one download button, labelled in lang, no logo."""
    image = {"format": "png", "scale": 2}
    if png_name:
        image["filename"] = png_name
    locale = PLOT_LOCALE.format(lang=lang)
    return {"displaylogo": False, "modeBarButtons": PLOT_BUTTONS, "toImageButtonOptions": image, "locale": locale,
            "locales": {locale: {"dictionary": {phrase: t("plot_download_png", lang) for phrase in PLOT_PHRASES}}}}


def show_figure(ctx: Ctx, fig: go.Figure, key: str | None = None, **kwargs):
    """Charts go through here so presenter mode enlarges them consistently."""
    if ctx.present:
        fig = present_fonts(fig)
    return st.plotly_chart(fig, key=key, config=plot_config(ctx.lang), width="stretch", **kwargs)


class Recorder:
    """Stands in for `st` while a page plans what it draws; replay() draws it, on every rerun, without recomputing.

    Element calls are recorded in order, and `with` blocks and columns nest as in Streamlit, so planning code reads
    like drawing code. Only for elements without state: widgets with keys are drawn directly by the page.
    """

    def __init__(self) -> None:
        self.ops: list = []
        self._stack = [self.ops]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return _record(self, self._stack[-1], name)

    def replay(self, target) -> None:
        _replay(self.ops, target)


class _Slot:
    """A recorded container (expander, column, container): calls on it, or inside `with` it, land in its ops."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder, self.ops = recorder, []

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return _record(self._recorder, self.ops, name)

    def __enter__(self):
        self._recorder._stack.append(self.ops)
        return self

    def __exit__(self, *exc) -> bool:
        self._recorder._stack.pop()
        return False


def _record(recorder: Recorder, ops: list, name: str):
    def call(*args, **kwargs):
        n = (args[0] if isinstance(args[0], int) else len(args[0])) if name == "columns" else 1
        slots = [_Slot(recorder) for _ in range(n)]
        ops.append((name, args, kwargs, [s.ops for s in slots]))
        return slots if name == "columns" else slots[0]
    return call


def _replay(ops: list, target) -> None:
    for name, args, kwargs, children in ops:
        result = getattr(target, name)(*args, **kwargs)
        if name == "columns":
            for column, child in zip(result, children):
                _replay(child, column)
        elif children[0]:
            _replay(children[0], result)
