"""Presenter page: one chart per screen, stepping through a prepared sequence of key comparisons."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `streamlit run pages/present.py` finds app/

import streamlit as st

from app import charts, data, layout

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts", "density")
lang, T = ctx.lang, ctx.tables
st.title(ctx.t("present_title"))
density = data.select(T["density"], ctx.slugs)
facts = data.select(T["facts"], ctx.slugs)

SLIDES = [
    lambda: charts.make_density_figure(density, lang, base="census", national=T.get("national"), all_jurisdictions=ctx.names),
    lambda: charts.make_density_figure(density, lang, base="census", indicator="community_social_orgs", all_jurisdictions=ctx.names),
    lambda: charts.make_funding_figure(facts, lang, mode="stated"),
    lambda: charts.make_funding_figure(facts, lang, mode="per_year"),
]
measures = data.select(T.get("measures"), ctx.slugs)
if measures is not None and not measures.empty:
    SLIDES.append(lambda: charts.make_measures_figure(measures, lang, codebook=T.get("codebook"), jurisdictions=ctx.names))
n = len(SLIDES)


def parse_step(raw: str) -> int:
    step = int(raw)
    if not 1 <= step <= n:
        raise ValueError(raw)
    return step


step = layout.url_state("step", 1, parse_step, str)
step = min(max(int(step), 1), n)


def move(delta: int) -> None:
    st.session_state["_v_step"] = min(max(step + delta, 1), n)


prev, label, nxt = st.columns([1, 3, 1])
prev.button(ctx.t("prev"), on_click=move, args=(-1,), disabled=step <= 1, width="stretch")
label.markdown(f"<div style='text-align:center'>{ctx.t('slide_of', i=step, n=n)}</div>", unsafe_allow_html=True)
nxt.button(ctx.t("next"), on_click=move, args=(1,), disabled=step >= n, width="stretch")
layout._write_query("step", str(step), "1")

fig = charts.present_fonts(SLIDES[step - 1]())
fig.update_layout(height=max(fig.layout.height or 0, 720))
st.plotly_chart(fig, key=f"slide_{step}", width="stretch", config={"displaylogo": False})
