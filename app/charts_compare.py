"""The compare page's chart: the headline indicators of two places side by side, one small panel per indicator (each
with its own scale: a count of thousands beside a density of 5 would flatten one of them), every bar labelled with
its value and the date it stands for; a figure a reply does not state is written as 'not stated', never drawn as 0."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app import review
from app.charts import FLAG_COLOR, FONT, _wrap
from app.colors import color_for
from app.i18n import t
from app.safe import escape_plot

# What make_compare_figure reads from each row: one row per indicator and place.
COMPARE_COLUMNS = ("indicator", "jurisdiction", "name", "value", "value_text", "when", "link", "is_draft", "flag")


def make_compare_figure(rows: pd.DataFrame, lang: str) -> go.Figure:
    """rows: one per (indicator, place), in the order to draw (indicators left to right, places A then B), with the
    indicator's label, the place's slug and name, the value (NaN: not stated), its text as the table shows it
    (value_text), the date it stands for (when), its sentence's permalink (link, opened on a click), is_draft and
    flag (a figure no published population reproduces: outlined in red, ⚠ after its label)."""
    indicators = list(dict.fromkeys(rows["indicator"].tolist())) if not rows.empty else []
    title = t("cmp_chart_title", lang)
    if not indicators:
        fig = go.Figure()
        fig.add_annotation(text=t("not_stated", lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
        fig.update_layout(title=dict(text=title), xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig
    # Titles wrapped to their panel's width (a quarter of the page: about 26 half-width characters).
    width = max(14, 104 // len(indicators))

    def title_of(text: str) -> str:  # a long title breaks before its bracket: 每万人社会组织数<br>（答复所述）
        text = escape_plot(text)
        if sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text) <= width:
            return text
        for bracket in ("（", " ("):
            if bracket in text:
                head, _, tail = text.partition(bracket)
                return f"{head}<br>{bracket.strip()}{tail}"
        return _wrap(text, lang, width)

    fig = make_subplots(rows=1, cols=len(indicators), subplot_titles=[title_of(i) for i in indicators],
                        horizontal_spacing=0.06)
    places = list(dict.fromkeys(rows["jurisdiction"].tolist()))
    names = {s: escape_plot(n) for s, n in zip(rows["jurisdiction"], rows["name"])}
    not_stated = t("not_stated", lang)
    for col, indicator in enumerate(indicators, start=1):
        panel = rows[rows["indicator"] == indicator]
        top = pd.to_numeric(panel["value"], errors="coerce").max()
        top = float(top) if pd.notna(top) and top > 0 else 1.0
        for slug in places:
            one = panel[panel["jurisdiction"] == slug]
            if one.empty:
                continue
            r = one.iloc[0]
            x = [names[slug]]
            if pd.isna(r["value"]):
                # Not stated: a word where the bar would be, no bar (a bar of 0 would read as "none").
                fig.add_trace(go.Scatter(
                    x=x, y=[top * 0.04], mode="text", text=[escape_plot(not_stated)], textposition="top center",
                    textfont=dict(color="#555555", size=13), showlegend=False, name=names[slug],
                    hovertemplate=f"{names[slug]}: {escape_plot(not_stated)}<extra></extra>",
                ), row=1, col=col)
                continue
            label = escape_plot(str(r["value_text"])) + ("<br>" + escape_plot(str(r["when"])) if r["when"] else "")
            if r.get("flag"):
                label = "⚠ " + label
            if r.get("is_draft"):
                label += "<br>" + escape_plot(review.draft_label(lang))
            color = color_for(slug)
            fig.add_trace(go.Bar(
                x=x, y=[float(r["value"])], name=names[slug], showlegend=False,
                marker=dict(color=color, line=dict(color=FLAG_COLOR if r.get("flag") else color,
                                                   width=3 if r.get("flag") else 0)),
                text=[label], textposition="outside", cliponaxis=False, textfont=dict(size=13), constraintext="none",
                customdata=[[str(r["link"] or "")]],
                hovertemplate=f"<b>{names[slug]}</b><br>{label}<br>{escape_plot(t('click_for_evidence', lang))}"
                              "<extra></extra>",
            ), row=1, col=col)
        # Room above the tallest bar for its two-line label.
        fig.update_yaxes(range=[0, top * 1.45], showticklabels=False, showgrid=False, zeroline=True, row=1, col=col)
    fig.update_xaxes(tickfont=dict(size=12))
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left"), font=dict(family=FONT), template="plotly_white", bargap=0.3,
        height=380, margin=dict(l=20, r=20, t=110, b=40), showlegend=False,
    )
    fig.update_annotations(font=dict(size=13))  # the panels' titles
    return fig
