"""Links from every number shown to its sentence: charts that open the Sources page on a click, link columns."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import plotly.graph_objects as go
import streamlit as st

from app.charts import present_fonts


def link_target(point: dict) -> dict[str, str] | None:
    """The Sources page query (r, f, lang) of a clicked chart point whose customdata starts with a permalink."""
    data = point.get("customdata")
    first = data[0] if isinstance(data, (list, tuple)) and data else data
    if not isinstance(first, str) or not first.startswith("/sources?"):
        return None
    query = {k: v[0] for k, v in parse_qs(urlparse(first).query).items() if v}
    return query if query.get("r") and query.get("f") else None


def show_linked_figure(ctx, fig: go.Figure, key: str, png_name: str) -> None:
    """A chart whose bars open their evidence when clicked (st.switch_page with the permalink's query); its PNG is
    named after the places and options it shows."""
    if ctx.present:
        fig = present_fonts(fig)
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": png_name}}
    event = st.plotly_chart(fig, key=key, config=config, width="stretch", on_select="rerun", selection_mode="points")
    points = (event or {}).get("selection", {}).get("points", []) if hasattr(event, "get") else []
    targets = [t for t in (link_target(p) for p in points) if t]
    # A selection survives reruns: follow each new click once, so coming back does not bounce to Sources again.
    seen = f"_followed_{key}"
    if targets and st.session_state.get(seen) != targets[0]:
        st.session_state[seen] = targets[0]
        st.switch_page("pages/sources.py", query_params=targets[0])


def evidence_column(lang: str):
    """A table column of permalinks, shown as a short focusable link ('原文' / 'open the sentence')."""
    from app.i18n import t

    return st.column_config.LinkColumn(t("evidence", lang), display_text=t("open_sentence", lang),
                                       help=t("click_for_evidence", lang))
