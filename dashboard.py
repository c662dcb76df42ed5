"""Router of the dashboard: page config, the shared sidebar and navigation over the pages in pages/."""

import streamlit as st

from app import layout
from app.i18n import t

present = layout.presenter_requested()
layout.page_config(present)
ctx = layout.render_sidebar()

PAGES = ("overview", "density", "trends", "funding", "measures", "compare", "sources", "data", "present", "about")
# Material icons ship with Streamlit's own font; emoji rendered as empty boxes on machines without an emoji font.
ICONS = {"overview": ":material/dashboard:", "density": ":material/groups:", "trends": ":material/timeline:", "funding": ":material/payments:",
         "measures": ":material/grid_view:", "compare": ":material/compare_arrows:", "sources": ":material/description:",
         "data": ":material/download:", "present": ":material/slideshow:", "about": ":material/info:"}
pages = {
    name: st.Page(f"pages/{name}.py", title=t(f"nav_{name}", ctx.lang), icon=ICONS[name], default=name == "overview")
    for name in PAGES
}
nav = st.navigation(list(pages.values()))
# A presenter link (present=1) opens once on the slide sequence; the overview stays the root page so every
# page keeps its own URL.
if ctx.present and nav.url_path == "" and not st.session_state.get("_presented"):
    st.session_state["_presented"] = True
    st.switch_page(pages["present"])
# Pages pick the context up via layout.setup_page(); cleared afterwards so a page run alone builds its own.
st.session_state[layout.ROUTED] = ctx
try:
    nav.run()
finally:
    st.session_state.pop(layout.ROUTED, None)
