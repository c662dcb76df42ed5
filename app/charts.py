"""Pure chart builders: make_*_figure(df, lang, ...) -> go.Figure, with title, units and source footnote inside."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from app import fmt, views
from app.colors import NATIONAL, color_for
from app.data import national_per_10k
from app.i18n import t

FLAG_COLOR = "#C00000"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Arial, sans-serif"


def _wrap(text: str, lang: str, width: int = 110) -> str:
    # Chinese has no spaces to break on, so wrap it by character count (narrower: CJK glyphs are wide).
    if lang == "zh":
        step = width // 2
        return "<br>".join(text[i : i + step] for i in range(0, len(text), step))
    return "<br>".join(textwrap.wrap(text, width)) or text


def add_footnote(fig: go.Figure, lines: list[str], lang: str) -> go.Figure:
    """Sources and caveats as an annotation inside the figure, so a PNG export keeps them."""
    body = "<br>".join(_wrap(line, lang) for line in lines if line)
    n_lines = body.count("<br>") + 1
    fig.add_annotation(
        name="footnote", text=body, xref="paper", yref="paper", x=0, y=0, yshift=-60, xanchor="left",
        yanchor="top", align="left", showarrow=False, font=dict(size=11, color="#555555"),
    )
    fig.update_layout(margin=dict(l=20, r=20, t=80, b=90 + 15 * n_lines), height=480 + 15 * n_lines)
    return fig


def _base(fig: go.Figure, title: str, unit_title: str, value_axis: str = "y") -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left"), font=dict(family=FONT), template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1), bargap=0.25,
    )
    if value_axis == "y":
        fig.update_yaxes(title_text=unit_title, rangemode="tozero")
    else:
        fig.update_xaxes(title_text=unit_title, rangemode="tozero")
    return fig


def empty_figure(message: str, title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(title=dict(text=title), xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


def make_density_figure(
    df: pd.DataFrame,
    lang: str,
    *,
    base: str = "census",
    indicator: str = "social_orgs_total",
    national: pd.DataFrame | None = None,
    all_jurisdictions: dict[str, str] | None = None,
) -> go.Figure:
    """Per 10,000 residents: reported (solid) beside computed (hatched), as-of dates on bars, China as a marker.

    all_jurisdictions maps slug -> display name of every selected place, so those without a count are named
    in the footnote as not stated rather than silently absent (and never drawn as 0).
    """
    title_key = "density_title" if indicator == "social_orgs_total" else "density_community_title"
    title = t(title_key, lang)  # the title already names the unit (per 10,000 residents)
    rows = views.density_rows(df, base=base, indicator=indicator)
    fig = go.Figure()
    notes: list[str] = []
    if not rows.empty:
        names = views.name_col(rows, lang).tolist()
        colors = [color_for(s) for s in rows["jurisdiction"]]
        as_of = [f"{t('as_of', lang)} {d}" for d in rows["as_of"]]
        rep = rows[rows["reported_per_10k"].notna()]
        if not rep.empty:
            bad = rep["is_reproducible"] == "False"
            fig.add_trace(go.Bar(
                name=t("reported", lang), x=views.name_col(rep, lang).tolist(), y=rep["reported_per_10k"].tolist(),
                marker=dict(color=[color_for(s) for s in rep["jurisdiction"]],
                            line=dict(color=[FLAG_COLOR if b else "rgba(0,0,0,0)" for b in bad], width=[4 if b else 0 for b in bad])),
                text=[f"{v:.2f}{' ⚠' if b else ''}<br>{t('as_of', lang)} {d}" for v, b, d in zip(rep["reported_per_10k"], bad, rep["as_of"])],
                textposition="outside", offsetgroup="reported", customdata=rep["jurisdiction"].tolist(),
            ))
            for _, r in rep[bad].iterrows():
                name = r.get(f"name_{lang}") or r["jurisdiction"]
                notes.append(f"⚠ {t('flag_short', lang, name=name, value=f'{r.reported_per_10k:.2f}')}: {r.get('flag_note', '')}")
        comp = rows[rows["computed_per_10k"].notna()]
        fig.add_trace(go.Bar(
            name=t("computed", lang), x=views.name_col(comp, lang).tolist(), y=comp["computed_per_10k"].tolist(),
            marker=dict(color=[color_for(s) for s in comp["jurisdiction"]], opacity=0.55, pattern=dict(shape="/")),
            text=[f"{v:.2f}<br>{a}" for v, a in zip(comp["computed_per_10k"], as_of)],
            textposition="outside", offsetgroup="computed", customdata=comp["jurisdiction"].tolist(),
        ))
        if indicator == "social_orgs_total" and national is not None:
            nx, ny, nt = [], [], []
            for name, d in zip(names, rows["as_of"]):
                value, derived = national_per_10k(national, fmt.year_of(d))
                if value is not None:
                    nx.append(name)
                    ny.append(value)
                    nt.append(f"{value:.2f} ({fmt.year_of(d)}{'*' if derived else ''})")
            if nx:
                # Values go to the footnote, not beside the marker, where they collided with the bar labels.
                fig.add_trace(go.Scatter(
                    name=t("national", lang), x=nx, y=ny, mode="markers", text=nt,
                    hovertemplate="%{text}<extra></extra>",
                    marker=dict(symbol="line-ew", size=70, line=dict(width=3, color=NATIONAL), color=NATIONAL),
                ))
                listed = ", ".join(dict.fromkeys(nt))
                notes.append(f"{t('national', lang)}: {listed}. {t('national_note', lang)} (* derived)")
        del colors
    stated = set(rows["jurisdiction"]) if not rows.empty else set()
    missing = [name for slug, name in (all_jurisdictions or {}).items() if slug not in stated]
    if missing:
        notes.append(t("density_not_stated", lang, names=", ".join(missing)))
    base_text = t(f"base_{base}", lang)
    notes.insert(0, t("density_base_note", lang, base=base_text))
    fig.update_layout(barmode="group")
    _base(fig, title, t("axis_per10k", lang))
    fig.update_xaxes(title_text=t("axis_jurisdiction", lang))
    # Headroom for the outside labels (value + as-of date) above the tallest bar.
    top = max([*rows.get("computed_per_10k", pd.Series(dtype=float)).dropna(), *rows.get("reported_per_10k", pd.Series(dtype=float)).dropna(), 1])
    fig.update_yaxes(range=[0, top * 1.3])
    return add_footnote(fig, [fmt.sources_line(rows, lang), *notes], lang)


def make_funding_figure(
    df: pd.DataFrame,
    lang: str,
    *,
    mode: str = "stated",
    status: str = "achievement",
    population: pd.DataFrame | None = None,
    base: str = "census",
) -> go.Figure:
    """One horizontal bar per stated amount, coloured by jurisdiction; lower bounds get ≥ and an open ▷."""
    rows, dropped = views.funding_rows(df, lang, mode=mode, status=status, population=population, base=base)
    title = t("funding_title" if status == "achievement" else "funding_plans_title", lang)
    unit = {"stated": "axis_wan_yuan", "per_year": "axis_wan_yuan_year", "per_resident": "axis_yuan_resident_year"}[mode]
    title = f"{title} · {t('mode_' + mode, lang)}（{t(unit, lang)}）" if lang == "zh" else f"{title} · {t('mode_' + mode, lang)} ({t(unit, lang)})"
    fig = go.Figure()
    if rows.empty:
        fig = empty_figure(t("funding_none" if status == "achievement" else "plans_none", lang), title)
        return add_footnote(fig, [fmt.sources_line(df, lang)], lang)
    decimals = 2 if mode == "per_resident" else 1
    for slug, part in rows.groupby("jurisdiction", sort=False):
        text = []
        for _, r in part.iterrows():
            # Leading spaces keep the ≥ label clear of the open ▷ marker drawn at the bar's end.
            label = ("\u2003 ≥ " if r["lower_bound"] else "") + f"{r['shown']:,.{decimals}f}"
            if pd.notna(r["projects"]):
                label += " · " + t("projects", lang, n=fmt.number(r["projects"]))
            text.append(label)
        fig.add_trace(go.Bar(
            name=part["name"].iloc[0], y=part["label"].tolist(), x=part["shown"].tolist(), orientation="h",
            marker=dict(color=color_for(slug)), text=text, textposition="outside", customdata=part["id"].tolist(),
            hovertemplate="%{y}<br>%{text}<extra>%{customdata}</extra>",
        ))
    lb = rows[rows["lower_bound"]]
    if not lb.empty:
        fig.add_trace(go.Scatter(
            name=t("lower_bound", lang), y=lb["label"].tolist(), x=lb["shown"].tolist(), mode="markers",
            marker=dict(symbol="triangle-right-open", size=16, color="#222222", line=dict(width=2)),
            hoverinfo="skip",
        ))
    fig.update_layout(barmode="overlay")
    _base(fig, title, t(unit, lang), value_axis="x")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(range=[0, rows["shown"].max() * 1.35])
    notes = [fmt.sources_line(rows, lang)]
    if rows["scope"].ne("").any():
        notes.append(t("funding_scope_note", lang))
    if mode != "stated":
        notes.append(t("funding_years_note", lang))
    if dropped["period"]:
        notes.append(t("funding_dropped_period", lang, items="; ".join(dropped["period"])))
    if dropped["scope"]:
        notes.append(t("funding_dropped_scope", lang, items="; ".join(dropped["scope"])))
    if mode == "per_resident":
        notes.append(t("population_base_note", lang, base=t(f"base_{base}", lang)))
    fig.update_layout(height=max(300, 45 * len(rows) + 200))
    return add_footnote(fig, notes, lang)


def make_measures_figure(
    df: pd.DataFrame,
    lang: str,
    *,
    codebook: dict | None = None,
    jurisdictions: dict[str, str] | None = None,
) -> go.Figure:
    """Category × jurisdiction matrix, grouped by instrument type; ■ done, □ planned, blank absent."""
    title = t("measures_title", lang)
    matrix = views.measures_matrix(df, codebook, lang)
    if matrix.empty:
        return add_footnote(empty_figure(t("measures_none", lang), title), [], lang)
    cats = views.category_info(codebook, lang, df)
    slugs = [s for s in (jurisdictions or {c: c for c in matrix.columns}) if s in matrix.columns]
    matrix = matrix[slugs]
    names = [(jurisdictions or {}).get(s, s) for s in slugs]
    ylabels = [f"{t('it_' + cats.get(c, {}).get('instrument_type', ''), lang)} · {cats.get(c, {}).get('label', c)}" for c in matrix.index]
    z = matrix.map(lambda v: {"done": 2, "planned": 1}.get(v, 0)).values.tolist()
    text = matrix.map(lambda v: {"done": "■ " + t("done", lang), "planned": "□ " + t("planned", lang)}.get(v, "")).values.tolist()
    fig = go.Figure(go.Heatmap(
        z=z, x=names, y=ylabels, text=text, texttemplate="%{text}", zmin=0, zmax=2, showscale=False, xgap=2, ygap=2,
        colorscale=[[0, "#F4F4F4"], [0.5, "#BFD7EA"], [1, "#0072B2"]], hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
    ))
    _base(fig, title, "")
    fig.update_yaxes(autorange="reversed", automargin=True, rangemode=None)
    fig.update_layout(height=max(420, 28 * len(ylabels) + 220))
    return add_footnote(fig, [fmt.sources_line(df, lang), t("measures_intro", lang)], lang)


def present_fonts(fig: go.Figure) -> go.Figure:
    """Larger type for screen sharing; a copy so the cached/tested figure is untouched."""
    fig = go.Figure(fig)
    fig.update_layout(font=dict(size=20), title_font=dict(size=28))
    fig.update_annotations(font_size=15)
    # The footnote grows with its font; give it room so it is not clipped at the bottom.
    bottom = fig.layout.margin.b or 100
    fig.update_layout(margin_b=int(bottom * 1.5), height=int((fig.layout.height or 480) + bottom * 0.5))
    fig.update_traces(textfont_size=18, selector=dict(type="bar"))
    return fig
