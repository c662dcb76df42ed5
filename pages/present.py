"""Presenter page: one chart per screen, stepping through a prepared sequence of key comparisons."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/present.py` finds app/

import streamlit as st

from app import charts, data, layout

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts", "density")
lang, T = ctx.lang, ctx.tables
density = data.select(T["density"], ctx.slugs)
facts = data.select(T["facts"], ctx.slugs)

# The same figures as the density, funding and measures pages (the same cache keys), made once for both.
SLIDES = [
    lambda: layout.cached_figure(ctx, "density", lambda: charts.make_density_figure(
        density, lang, base="census", national=T.get("national"), all_jurisdictions=ctx.names), base="census"),
    lambda: layout.cached_figure(ctx, "density_community", lambda: charts.make_density_figure(
        density, lang, base="census", indicator="community_social_orgs", all_jurisdictions=ctx.names), base="census"),
    lambda: layout.cached_figure(ctx, "funding", lambda: charts.make_funding_figure(
        facts, lang, mode="stated", population=T.get("population")), mode="stated", base="census"),
    lambda: layout.cached_figure(ctx, "funding", lambda: charts.make_funding_figure(
        facts, lang, mode="per_year", population=T.get("population")), mode="per_year", base="census"),
]
measures = data.select(T.get("measures"), ctx.slugs)
if measures is not None and not measures.empty:
    SLIDES.append(lambda: layout.cached_figure(ctx, "measures", lambda: charts.make_measures_figure(
        measures, lang, codebook=T.get("codebook"), jurisdictions=ctx.names)))
n = len(SLIDES)

SLIDE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.2rem; padding-bottom: 0; }
.st-key-present_bar h1 { font-size: 1.6rem !important; padding: 0; margin: 0; }
.st-key-present_bar [data-testid="stMarkdownContainer"] p { margin: 0; }
.st-key-slide { height: max(400px, calc(100vh - 8.7rem)) !important; max-height: max(400px, calc(100vh - 8.7rem)) !important; min-height: 0 !important; flex: 0 0 auto !important; overflow: hidden; }
.st-key-slide [data-testid="stElementContainer"], .st-key-slide [data-testid="stPlotlyChart"] { height: 100% !important; }
</style>
"""


def parse_step(raw: str) -> int:
    step = int(raw)
    if not 1 <= step <= n:
        raise ValueError(raw)
    return step


step = layout.url_state("step", 1, parse_step, str)
step = min(max(int(step), 1), n)


def move(delta: int) -> None:
    st.session_state["_v_step"] = min(max(step + delta, 1), n)


# One compact bar (title, position, previous/next) and under it the slide, sized to the window by CSS so it fits
# a 1280×720 screen share as well as a 1920×1080 one without scrolling.
st.html(SLIDE_CSS)
with st.container(key="present_bar"):
    title, label, prev, nxt = st.columns([3, 2, 1.3, 1.3], vertical_alignment="center")
    title.title(ctx.t("present_title"))
    label.markdown(f"<div style='text-align:center'>{ctx.t('slide_of', i=step, n=n)}</div>", unsafe_allow_html=True)
    prev.button(ctx.t("prev"), on_click=move, args=(-1,), disabled=step <= 1, width="stretch")
    nxt.button(ctx.t("next"), on_click=move, args=(1,), disabled=step >= n, width="stretch")
layout._write_query("step", str(step), "1")

# Large type only in presenter mode: beside an open sidebar it would not fit and labels would collide.
fig = SLIDES[step - 1]()
if ctx.present:
    fig = charts.present_fonts(fig)
else:
    st.caption(ctx.t("present_hint"))
with st.container(key="slide"):
    st.plotly_chart(fig, key=f"slide_{step}", width="stretch", height="stretch",
                    config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}})
