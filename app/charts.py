"""Pure chart builders: make_*_figure(df, lang, ...) -> go.Figure, with title, units and source footnote inside."""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go

from app import fmt, review, views
from app.colors import NATIONAL, color_for, contrast_ratio, text_color_for
from app.data import national_per_10k
from app.i18n import t
from app.limits import MAX_BARS, MAX_PLACES
from app.safe import escape_plot

FLAG_COLOR = "#C00000"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, Arial, sans-serif"


def _wrap(text: str, lang: str, width: int = 110) -> str:
    """Break a footnote line at about width half-width characters (a CJK glyph counts two), between words or
    between Chinese characters but never inside a number, date or Latin word, nor between a number and its unit."""
    del lang  # both languages mix Chinese names with Latin text; one rule serves both
    # A Chinese name in brackets beside its English one (Leshan Civil Affairs Bureau (乐山市民政局)) stays whole, and a
    # number keeps its unit (360.4万, 55万元) on its line.
    tokens = re.findall(r"\([\u2e80-\uffff]{1,16}\)[^\s\u2e80-\uffff]*\s*"
                        r"|[^\s\u2e80-\uffff]+(?:(?<=\d)[万亿][元]?|(?<=\d)元)?\s*|\s+|[\u2e80-\uffff]", text)
    lines, line, used = [], "", 0
    for tok in tokens:
        w = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in tok.rstrip())
        if used + w > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
            tok = tok.lstrip()
        line += tok
        used += sum(2 if ord(ch) >= 0x2E80 else 1 for ch in tok)
    if line.strip():
        lines.append(line.rstrip())
    return "<br>".join(lines) or text


def text_width(text: str, size: float = 12) -> float:
    """Rough pixel width of one line of label text: CJK glyphs are square, Latin ones about half as wide."""
    plain = re.sub(r"<[^>]+>", "", text)
    return sum(size if ord(ch) > 0x2E80 else 0.58 * size for ch in plain)


PHONE_WRAP = 58  # half-width characters of a footnote line that fit a 390-px phone's chart (11-px type)


def add_footnote(fig: go.Figure, lines: list[str], lang: str, *, gap: int = 60, width: int = 110) -> go.Figure:
    """Sources and caveats as an annotation inside the figure, so a PNG export keeps them.

    It starts at the figure's left edge (not the plot's, which long axis labels push to the right and would
    push the footnote off the figure) and gap pixels below the plot, under the axis labels. width: the half-width
    characters of a line (PHONE_WRAP for a chart that must read on a phone as on a desktop).
    """
    # Plain-text lines (names, issuers and notes come from the data), escaped once here; meta keeps them escaped.
    lines = [escape_plot(line) for line in lines if line]
    body = "<br>".join(_wrap(line, lang, width) for line in lines)
    n_lines = body.count("<br>") + 1
    left = fig.layout.margin.l if fig.layout.margin.l is not None else 60
    fig.add_annotation(
        name="footnote", text=body, xref="paper", yref="paper", x=0, y=0, xshift=-(left - 10), yshift=-gap,
        xanchor="left", yanchor="top", align="left", showarrow=False, font=dict(size=11, color="#555555"),
    )
    height = fig.layout.height or 480
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 80
    fig.update_layout(margin=dict(l=left, r=20, t=top, b=gap + 30 + 15 * n_lines), height=height + 15 * n_lines,
                      meta={"footnote": lines, "lang": lang})  # kept so presenter mode can re-wrap it wider
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


TITLE_TOP = 10  # px from the figure's top to its title
LEGEND_ROOM = 70  # px between the title's line and the plot: the legend's rows (two or three on a phone)


def legend_under_title(fig: go.Figure, title_lines: int = 1) -> go.Figure:
    """The title at the top left, the legend left-aligned under it and over the plot, with room for the legend to
    wrap onto a second and third row on a narrow screen: it never covers the title (a legend at the top right ran
    into the title on a phone) nor the bars."""
    top = TITLE_TOP + 24 * title_lines + LEGEND_ROOM
    fig.update_layout(
        title=dict(x=0, xanchor="left", xref="container", y=1, yref="container", yanchor="top",
                   pad=dict(t=TITLE_TOP + 18 * (title_lines - 1), l=4)),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", yref="paper",
                    font=dict(size=12)),
        margin=dict(t=top), height=(fig.layout.height or 480) + top - 80,  # the plot keeps its height
    )
    return fig


def empty_figure(message: str, title: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(title=dict(text=title), xaxis=dict(visible=False), yaxis=dict(visible=False))
    return fig


def _ink(color: str) -> str:
    """Black or white text, whichever has the higher WCAG contrast on a bar of this colour."""
    return max(("#1A1A1A", "#FFFFFF"), key=lambda ink: contrast_ratio(ink, color))


def flag_text(row, lang: str) -> str:
    """Why a reported density cannot be reproduced, in the reader's language, from the row's own numbers.

    The published populations tried are listed in the pipeline's (English) note; they are taken from there.
    """
    count, reported = row.get("count"), row.get("reported_per_10k")
    note = str(row.get("flag_note", "") or "")
    if fmt.is_missing(count) or fmt.is_missing(reported) or not reported:
        return note
    implied = f"{float(count) / float(reported):,.1f}万"
    tried = re.search(r"\(([^()]*万[^()]*)\)", note)
    pops = tried.group(1).replace(", ", "、" if lang == "zh" else ", ") if tried else "?"
    if lang == "en":  # English never reads 万: millions
        implied = f"{float(count) / float(reported) / 100:.4g} million"
        pops = re.sub(r"(\d[\d,]*(?:\.\d+)?)万", lambda m: f"{float(m.group(1).replace(',', '')) / 100:.4g} million", pops)
    return t("flag_detail", lang, count=fmt.number(float(count)), reported=f"{float(reported):.2f}", implied=implied,
             pops=pops)


def places_cut_note(cut: list[str], shown: int, lang: str) -> str:
    """The footnote line naming the places a figure leaves out, and how to see them; "" when none is."""
    if not cut:
        return ""
    return t("places_cut", lang, n=shown, total=fmt.number(shown + len(cut)), names=fmt.listing(cut, lang))


def _not_stated_text(text: str, names: list[str], top: float, group: str | None) -> go.Scatter:
    return go.Scatter(
        name=text, x=names, y=[top * 0.02] * len(names), mode="text", text=[text] * len(names),
        textposition="top center", textfont=dict(color="#777777", size=12), offsetgroup=group,
        showlegend=False, hovertemplate="%{x}: " + text + "<extra></extra>",
    )


def draft_markers(x: list, y: list, lang: str, **kwargs) -> go.Scatter:
    """The open marker of a draft (app/review.py) at each (x, y), hovering the word; not in the legend (draft_legend)."""
    return go.Scatter(
        name=review.draft_label(lang), x=x, y=y, mode="markers", showlegend=False, cliponaxis=False,
        marker=dict(symbol="circle", size=13, color="#FFFFFF", line=dict(color=review.DRAFT_COLOR, width=2.5)),
        hovertemplate="%{x}: " + review.draft_label(lang) + "<extra></extra>", **kwargs,
    )


def draft_legend(lang: str) -> go.Scatter:
    """The legend entry of the draft mark: an open circle and ◌ 未审核."""
    return go.Scatter(name=review.draft_label(lang), x=[None], y=[None], mode="markers", showlegend=True,
                      hoverinfo="skip", marker=dict(symbol="circle", size=13, color="#FFFFFF",
                                                    line=dict(color=review.DRAFT_COLOR, width=2.5)))


def make_density_figure(
    df: pd.DataFrame,
    lang: str,
    *,
    base: str = "census",
    indicator: str = "social_orgs_total",
    national: pd.DataFrame | None = None,
    all_jurisdictions: dict[str, str] | None = None,
    max_places: int = MAX_PLACES,
    hide_empty: bool = False,
    sort_by_value: bool = False,
) -> go.Figure:
    """Per 10,000 residents: reported (solid) beside computed (hatched), values inside the bars, the as-of date
    and China's figure for the same year under each place's name, that figure also a dashed segment over the bars.

    all_jurisdictions maps slug -> display name of every selected place; those without a count stay on the axis
    with "not stated" in their slots (never a bar of 0), unless hide_empty, when the footnote alone names them; a
    reply that gives no density of its own shows "not stated" in its reported slot. sort_by_value: the places from
    the highest density down (the computed one, else the reported). Only the first max_places places are drawn; the
    footnote names the others.
    """
    title_key = "density_title" if indicator == "social_orgs_total" else "density_community_title"
    title = t(title_key, lang)  # the title already names the unit (per 10,000 residents)
    rows = views.density_rows(df, base=base, indicator=indicator)
    # Bounded: a bar chart of 300 places can be neither sent quickly nor read.
    without_count: list[str] = []
    if all_jurisdictions and hide_empty:  # hidden first, so the places with a figure take the slots
        counted = set(rows["jurisdiction"])
        without_count = [s for s in all_jurisdictions if s not in counted]
        hidden_names = dict(all_jurisdictions)
        all_jurisdictions = {s: n for s, n in all_jurisdictions.items() if s in counted}
    if all_jurisdictions:
        places = list(all_jurisdictions)
        cut = [all_jurisdictions[s] for s in places[max_places:]]
        all_jurisdictions = {s: all_jurisdictions[s] for s in places[:max_places]}
        rows = rows[rows["jurisdiction"].isin(list(all_jurisdictions))].reset_index(drop=True)
    else:
        places = list(dict.fromkeys(rows["jurisdiction"]))
        cut = views.name_col(rows.drop_duplicates("jurisdiction"), lang).tolist()[max_places:]
        rows = rows[rows["jurisdiction"].isin(places[:max_places])].reset_index(drop=True)
    if cut and without_count:  # the places hidden are not drawn either: counted among those left out
        cut += [hidden_names[s] for s in without_count]
    ns = t("not_stated", lang)
    fig = go.Figure()
    notes: list[str] = []
    drafts: list[tuple[str, list[str]]] = []  # (bar group, categories of its draft bars)
    stated = list(dict.fromkeys(rows["jurisdiction"])) if not rows.empty else []
    order = [s for s in (all_jurisdictions or {}) if s in stated] + [s for s in stated if s not in (all_jurisdictions or {})]
    missing = [s for s in (all_jurisdictions or {}) if s not in stated]
    if sort_by_value and order:
        by = rows.set_index("jurisdiction")
        value = by["computed_per_10k"].fillna(by["reported_per_10k"]).to_dict()
        order = sorted(order, key=lambda s: -float(value.get(s, 0.0) or 0.0))  # stable: ties keep the selection's order
    # Without a count, a place is only an empty slot; hidden, the footnote still names it.
    slotted = [] if hide_empty else missing
    name_of = dict(zip(rows["jurisdiction"], views.name_col(rows, lang))) if not rows.empty else {}
    name_of.update({s: n for s, n in (all_jurisdictions or {}).items() if s not in name_of})
    if without_count:
        name_of.update({s: hidden_names[s] for s in without_count})
        missing = without_count
    rows = rows.set_index("jurisdiction").loc[order].reset_index() if order else rows
    # Names and dates come from the data: escaped wherever Plotly draws them (axis, bars, hovers); the footnote
    # lines are plain text, escaped once by add_footnote.
    shown_of = {s: escape_plot(n) for s, n in name_of.items()}
    categories = [shown_of[s] for s in order + slotted]
    ticks = [f"<b>{shown_of[s]}</b><br>{t('as_of', lang)} {escape_plot(rows.set_index('jurisdiction').at[s, 'as_of'])}" for s in order]
    ticks += [f"<b>{shown_of[s]}</b><br>{t('count_not_stated', lang)}" for s in slotted]
    top = 1.0
    if not rows.empty:
        top = max([1.0, *rows["computed_per_10k"].dropna(), *rows["reported_per_10k"].dropna()])
        rep = rows[rows["reported_per_10k"].notna()]
        if not rep.empty:
            bad = (rep["is_reproducible"] == "False").tolist()
            # A draft (nobody vouched for the fact behind the bar): ◌ after its value, the word in its hover, an open
            # marker at its foot (app/review.py).
            rep_drafts = review.draft_column(rep, "reported_is_reviewed").tolist()
            colors = [color_for(s) for s in rep["jurisdiction"]]
            fig.add_trace(go.Bar(
                name=t("reported", lang), x=[shown_of[s] for s in rep["jurisdiction"]], y=rep["reported_per_10k"].tolist(),
                marker=dict(color=colors, line=dict(color=[FLAG_COLOR if b else "rgba(0,0,0,0)" for b in bad],
                                                    width=[4 if b else 0 for b in bad])),
                text=[f"{v:.2f}{' ⚠' if b else ''}{' ' + review.DRAFT_MARK if d else ''}"
                      for v, b, d in zip(rep["reported_per_10k"], bad, rep_drafts)],
                textposition="auto", insidetextanchor="end", textangle=0,
                textfont=dict(color=[_ink(c) for c in colors]), outsidetextfont=dict(color="#1A1A1A"),  # off the bar: on white
                offsetgroup="reported",
                customdata=[[fmt.permalink(r, f, lang), f"{t('as_of', lang)} {escape_plot(d)}",
                             f"<br>{review.draft_label(lang)}" if dr else ""]
                            for r, f, d, dr in zip(rep["record_id"], rep["reported_fact_id"], rep["as_of"], rep_drafts)],
                hovertemplate="%{x}<br>" + t("reported", lang) + ": %{y:.2f}<br>%{customdata[1]}%{customdata[2]}<br>"
                + t("click_for_evidence", lang) + "<extra></extra>",
            ))
            drafts.append(("reported", [shown_of[s] for s, d in zip(rep["jurisdiction"], rep_drafts) if d]))
            for (_, r), b in zip(rep.iterrows(), bad):
                if b:
                    name = name_of.get(r["jurisdiction"], r["jurisdiction"])
                    colon = "：" if lang == "zh" else ": "
                    notes.append(f"⚠ {t('flag_short', lang, name=name, value=f'{r.reported_per_10k:.2f}')}{colon}{flag_text(r, lang)}")
        comp = rows[rows["computed_per_10k"].notna()]
        comp_drafts = review.draft_column(comp, "is_reviewed").tolist()
        fig.add_trace(go.Bar(
            name=t("computed", lang), x=[shown_of[s] for s in comp["jurisdiction"]], y=comp["computed_per_10k"].tolist(),
            marker=dict(color=[color_for(s) for s in comp["jurisdiction"]], opacity=0.45,
                        pattern=dict(shape="/", fgcolor="#FFFFFF", fgopacity=0.6, solidity=0.25)),
            text=[f"{v:.2f}{' ' + review.DRAFT_MARK if d else ''}" for v, d in zip(comp["computed_per_10k"], comp_drafts)],
            textposition="auto", insidetextanchor="end",
            textangle=0, textfont=dict(color="#1A1A1A"), offsetgroup="computed",
            customdata=[[fmt.permalink(r, f, lang), f"{t('as_of', lang)} {escape_plot(d)}",
                         f"<br>{review.draft_label(lang)}" if dr else ""]
                        for r, f, d, dr in zip(comp["record_id"], comp["fact_id"], comp["as_of"], comp_drafts)],
            hovertemplate="%{x}<br>" + t("computed", lang) + ": %{y:.2f}<br>%{customdata[1]}%{customdata[2]}<br>"
            + t("click_for_evidence", lang) + "<extra></extra>",
        ))
        drafts.append(("computed", [shown_of[s] for s, d in zip(comp["jurisdiction"], comp_drafts) if d]))
        for group, xs in drafts:
            if xs:  # the open marker at the foot of each draft bar, in the bar's own slot
                fig.add_trace(draft_markers(xs, [top * 0.045] * len(xs), lang, offsetgroup=group))
        # "Not stated" written into the empty slots, so a gap reads as a gap and not as a forgotten 0: in the
        # reported slot of a reply that gives no density of its own, across the whole place when no count is given.
        no_rep = [shown_of[s] for s in order if pd.isna(rows.set_index("jurisdiction").at[s, "reported_per_10k"])]
        if no_rep and "reported" in [tr.offsetgroup for tr in fig.data]:
            fig.add_trace(_not_stated_text(ns, no_rep, top, "reported"))
        # Grey legend swatches: the bars take each place's colour, so a coloured swatch would name one place.
        for label, marker in ((t("reported", lang), dict(color="#8C8C8C")),
                              (t("computed", lang), dict(color="#8C8C8C", opacity=0.45,
                                                         pattern=dict(shape="/", fgcolor="#FFFFFF", fgopacity=0.6)))):
            if label in [tr.name for tr in fig.data]:
                fig.add_trace(go.Bar(name=label, x=[None], y=[None], marker=marker, showlegend=True, hoverinfo="skip"))
        if any(xs for _, xs in drafts):
            fig.add_trace(draft_legend(lang))
            notes.append(review.note(lang))
        for tr in fig.data:
            if tr.type == "bar" and tr.x and tr.x[0] is not None:
                tr.showlegend = False
        if indicator == "social_orgs_total" and national is not None:
            nx, ny, labels = [], [], []
            for slug in order:
                year = fmt.year_of(rows.set_index("jurisdiction").at[slug, "as_of"])
                value, derived = national_per_10k(national, year)
                if value is None:
                    continue
                nx.append(shown_of[slug])
                ny.append(value)
                labels.append(t("national_value", lang, value=f"{value:.2f}", year=f"{year}{'*' if derived else ''}"))
            if nx:
                for name, value, label in zip(nx, ny, labels):
                    i = categories.index(name)
                    fig.add_shape(type="line", xref="x", yref="y", x0=i - 0.42, x1=i + 0.42, y0=value, y1=value,
                                  line=dict(color=NATIONAL, width=2, dash="dash"), name="national")
                    # Its label is a line of the place's axis label, under the plot: over the bars it covered their
                    # values, and six places' labels ran into one line.
                    ticks[i] += f"<br><span style='color:{NATIONAL}'>{label}</span>"
                # Hover targets on the segments (invisible), and a dashed legend entry like the segments.
                fig.add_trace(go.Scatter(
                    name=t("national", lang), x=nx, y=ny, mode="markers", text=labels, showlegend=False,
                    hovertemplate="%{text}<extra></extra>", marker=dict(size=30, color="rgba(0,0,0,0)"),
                ))
                fig.add_trace(go.Scatter(name=t("national", lang), x=[None], y=[None], mode="lines",
                                         line=dict(color=NATIONAL, width=2, dash="dash"), hoverinfo="skip"))
                derived_note = (f"（{t('derived_mark', lang)}）" if lang == "zh" else f" ({t('derived_mark', lang)})") if any("*" in x for x in labels) else ""
                notes.append(f"{t('national_note', lang)}{derived_note}")
    for s_ in slotted:
        fig.add_annotation(name="not_stated", x=categories.index(shown_of[s_]), y=top * 0.02, xref="x", yref="y",
                           text=ns, showarrow=False, yanchor="bottom", font=dict(color="#777777", size=12))
    if missing:
        notes.append(t("density_not_stated", lang, names=fmt.listing([name_of[s] for s in missing], lang)))
    notes.insert(0, t("density_base_note", lang, base=t(f"base_{base}", lang)))
    notes.append(places_cut_note(cut, max_places, lang))
    fig.update_layout(barmode="group", scattermode="group", bargroupgap=0.06, margin=dict(l=70))
    _base(fig, title, t("axis_per10k", lang))
    legend_under_title(fig)
    fig.update_xaxes(categoryorder="array", categoryarray=categories, tickvals=categories, ticktext=ticks,
                     range=[-0.5, max(len(categories), 1) - 0.5])
    # Upright names: turned, they ran into the footnote on a phone; three places (without the empty slots) fit.
    fig.update_xaxes(tickangle=0, tickfont=dict(size=11))
    fig.update_yaxes(range=[0, top * 1.12])
    # A third line under each name (China's figure) needs the room.
    return add_footnote(fig, [fmt.sources_line(rows, lang), *notes], lang, gap=75 if national is not None else 55,
                        width=PHONE_WRAP)


BAR_WIDTH = 0.42  # of a funding row: the bar in its lower part, its label over it
ROW_LINE = 16  # px of one line of a funding bar's label
ROW_BAR = 48  # px of a funding row besides its label's lines: the bar (BAR_WIDTH of the row) and the gap


def make_funding_figure(
    df: pd.DataFrame,
    lang: str,
    *,
    mode: str = "stated",
    status: str = "achievement",
    population: pd.DataFrame | None = None,
    base: str = "census",
    max_bars: int = MAX_BARS,
    rows: tuple[pd.DataFrame, list] | None = None,
    log_x: bool = False,
) -> go.Figure:
    """One horizontal bar per stated amount, coloured by jurisdiction; lower bounds get ≥ and an open ▷.

    Each bar's label (place, channel, period, area) stands over it and its amount beside or inside it, so the bars
    keep the figure's whole width on a phone as on a desktop. log_x: a logarithmic amount axis, on which 55万 stays
    visible beside 1.8亿.

    At most max_bars bars (places take turns, each one's largest amount first); the footnote says how many were
    left out and names the places without a bar. rows: views.funding_rows of the same arguments, when the caller
    has them already (the funding page shows them as a table too).
    """
    rows, dropped = rows or views.funding_rows(df, lang, mode=mode, status=status, population=population, base=base)
    # Not summed per place: amounts of one place cover different, overlapping periods, so a sum would count
    # money twice. A bounded number of the stated amounts keeps what each bar means.
    total = len(rows)
    rows, left_out = views.bar_budget(rows, max_bars)
    drawn = set(rows["jurisdiction"].tolist())
    no_bar = list(dict.fromkeys(n for s, n in zip(left_out["jurisdiction"].tolist(), left_out["name"].tolist())
                                if s not in drawn))
    title = t("funding_title" if status == "achievement" else "funding_plans_title", lang)
    # Amounts on an axis of 万元 or 亿元 (CNY million or billion in English), never "5k"; per resident in yuan.
    if mode == "per_resident":
        divisor, unit_text = 1.0, t("axis_yuan_resident_year", lang)
    else:
        divisor, unit_text = fmt.money_scale(float(rows["shown"].max()) if not rows.empty else 0.0, lang)
        if mode == "per_year":
            unit_text = t("axis_per_year", lang, unit=unit_text)
    # The mode and unit on a second, smaller line: on one line the title ran off a phone's screen.
    title = (f"{title}<br><span style='font-size:13px'>{t('mode_' + mode, lang)}（{unit_text}）</span>" if lang == "zh"
             else f"{title}<br><span style='font-size:13px'>{t('mode_' + mode, lang)} ({unit_text})</span>")
    fig = go.Figure()
    if rows.empty:
        left_out_all = [*dropped.get("period", []), *dropped.get("scope", []), *dropped.get("population", [])]
        if left_out_all:
            # Amounts were stated but none can be shown this way: say so, and which and why, never "none stated".
            fig = empty_figure(t("funding_none_shown", lang, n=fmt.number(len(left_out_all))), title)
            return add_footnote(fig, [fmt.sources_line(df, lang), *funding_dropped_notes(dropped, lang)], lang)
        fig = empty_figure(t("funding_none" if status == "achievement" else "plans_none", lang), title)
        return add_footnote(fig, [fmt.sources_line(df, lang)], lang)
    # Names, periods, areas and the reply's own words are Plotly text here: escaped, on the axis and in hovers.
    rows = rows.assign(**{c: rows[c].map(escape_plot) for c in ("name", "label", "period", "scope", "id", "channel_label",
                                                                 "number_text") if c in rows.columns})
    # Two-line axis labels: the place (in its chart colour) and channel, then period and scope.
    ticks = []
    for _, r in rows.iterrows():
        second = " · ".join(x for x in (r["period"], r["scope"]) if x)
        if r["label"].endswith("”") or r["label"].split(" · ")[-1] == r["id"]:
            second += " · " + r["label"].split(" · ")[-1]
        if text_width(second) > 300:  # wider than a phone's plot: the area on a line of its own
            second = second.replace(" · ", "<br>", 1)
        ticks.append(f"<b><span style='color:{text_color_for(r['jurisdiction'])}'>{r['name']}</span></b> · "
                     f"{r['channel_label']}<br>{second}")
    for slug, part in rows.groupby("jurisdiction", sort=False):
        text, hover = [], []
        drafted = [bool(d) for d in part["is_draft"]] if "is_draft" in part.columns else [False] * len(part)
        for (_, r), is_draft in zip(part.iterrows(), drafted):
            value = r["shown"]
            # Each amount as its readers write it (超过1,100万元, more than CNY 11 million), its qualifier in words
            # beside the open ▷/◁ mark drawn at the bar's end (leading spaces keep the two apart).
            if mode == "per_resident":
                shown = fmt.format_value(value, "yuan_per_person_year", r["qualifier"], lang)
            else:
                shown = fmt.format_value(value, "yuan", r["qualifier"], lang)
                if mode == "per_year":
                    shown = t("axis_per_year", lang, unit=shown)
            label = ("\u2003 " if r["bound"] in ("lower", "upper") else "") + shown
            if pd.notna(r["projects"]):
                label += " · " + t("projects", lang, n=fmt.number(r["projects"]))
            # A draft (nobody vouched for the amount): the word after it, dots on its bar (app/review.py).
            label = review.marked(label, is_draft, lang)
            text.append(label)
            hover.append(f"{r['value_text']}<br>{t('as_written', lang)}: {r['number_text']}<br>"
                         + (f"{review.draft_label(lang)}<br>" if is_draft else "") + t("click_for_evidence", lang))
        fig.add_trace(go.Bar(
            name=part["name"].iloc[0], y=part["label"].tolist(), x=(part["shown"] / divisor).tolist(), orientation="h",
            marker=dict(color=color_for(slug), pattern=dict(shape=["." if d else "" for d in drafted], fgcolor="#FFFFFF",
                                                            fgopacity=0.9, size=7, solidity=0.35)),
            # Inside a bar long enough to hold it (from its start, clear of the ▷ at its end), else beside it: on a
            # phone's narrow plot the long bars' amounts no longer run off the figure.
            text=text, textposition="auto", insidetextanchor="start", cliponaxis=False, width=BAR_WIDTH,
            insidetextfont=dict(color=_ink(color_for(slug))), outsidetextfont=dict(color="#2A3F5F"),
            constraintext="none",
            showlegend=False, customdata=[[e, n] for e, n in zip(part["evidence"], hover)],
            hovertemplate="%{y}<br>%{customdata[1]}<extra></extra>",
        ))
    for bound, symbol, key in (("lower", "triangle-right-open", "lower_bound"), ("upper", "triangle-left-open", "upper_bound")):
        part = rows[rows["bound"] == bound]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            name=t(key, lang), y=part["label"].tolist(), x=(part["shown"] / divisor).tolist(), mode="markers",
            marker=dict(symbol=symbol, size=16, color="#222222", line=dict(width=2)),
            hoverinfo="skip", showlegend=True,
        ))
    has_drafts = "is_draft" in rows.columns and bool(rows["is_draft"].astype(bool).any())
    if has_drafts:  # the legend's swatch of a draft bar: grey with the dots
        fig.add_trace(go.Bar(name=review.draft_label(lang), x=[None], y=[None], orientation="h", showlegend=True,
                             hoverinfo="skip", marker=dict(color="#8C8C8C", pattern=dict(
                                 shape=".", fgcolor="#FFFFFF", fgopacity=0.9, size=7, solidity=0.35))))
    has_marks = rows["bound"].isin(["lower", "upper"]).any()
    fig.update_layout(barmode="overlay", margin=dict(l=12), showlegend=bool(has_marks or has_drafts))
    _base(fig, title, unit_text, value_axis="x")
    legend_under_title(fig, title_lines=2)
    # The labels inside the plot, over their bars (each bar fills the lower part of its row): a column of labels at
    # the left took most of a phone's width and left the bars a sliver behind their amounts.
    lines = max(tick.count("<br>") + 1 for tick in ticks)
    row = ROW_LINE * lines + ROW_BAR  # px: the label's lines, then the bar
    fig.update_yaxes(autorange="reversed", tickvals=rows["label"].tolist(), ticktext=ticks, automargin=False,
                     ticklabelposition="inside", ticks="", showgrid=False, tickfont=dict(size=12),
                     ticklabelshift=int((BAR_WIDTH * row + ROW_LINE * lines) / 2) + 2)
    # Room right of the longest bar for its label (amounts in words are longer than bare numbers): a CJK glyph
    # counts two.
    longest = max((sum(2 if ord(ch) >= 0x2E80 else 1 for ch in str(x)) for tr in fig.data if tr.type == "bar"
                   for x in (tr.text or [])), default=10)
    top = rows["shown"].max() / divisor
    if log_x:  # the room right of the longest bar, as a share of the axis, in powers of ten
        low = math.log10(max(rows["shown"].min() / divisor, 1e-9)) - 0.5
        high = math.log10(top)
        fig.update_xaxes(type="log", range=[low, high + (high - low) * (min(2.2, 1.25 + 0.016 * longest) - 1) / 2],
                         exponentformat="none", separatethousands=True, dtick=1)
    else:
        fig.update_xaxes(range=[0, top * min(2.2, 1.25 + 0.016 * longest)], exponentformat="none",
                         separatethousands=True)
    notes = [fmt.sources_line(rows, lang)]
    if has_drafts:
        notes.append(review.note(lang))
    if rows["scope"].ne("").any():
        notes.append(t("funding_scope_note", lang))
    if mode != "stated":
        notes.append(t("funding_years_note", lang))
    if log_x:
        notes.append(t("funding_log_note", lang))
    # Counted here, each amount listed on the page under the chart: a list of them made the footnote taller than the
    # chart.
    notes += [t(f"funding_dropped_{why}", lang, items=t("funding_dropped_count", lang, n=fmt.number(len(items))))
              for why, items in dropped.items() if items]
    if mode == "per_resident":
        notes.append(t("population_base_note", lang, base=t(f"base_{base}", lang)))
    if not left_out.empty:
        notes.append(t("funding_cut", lang, n=fmt.number(len(rows)), total=fmt.number(total)))
        if no_bar:
            notes.append(t("funding_cut_places", lang, names=fmt.listing(no_bar, lang)))
    # Room over the first row for its label, which stands higher than the row's half (the bar takes the rest).
    extra = max(0.0, (ROW_LINE * lines + BAR_WIDTH * row / 2 + 6 - row / 2) / row)
    fig.update_yaxes(range=[len(rows) - 0.5, -0.5 - extra], autorange=False)
    fig.update_layout(height=max(300, int(row * (len(rows) + extra)) + 230))
    return add_footnote(fig, notes, lang, gap=50, width=PHONE_WRAP)


def funding_dropped_notes(dropped: dict[str, list[str]], lang: str) -> list[str]:
    """One line per reason an amount was left out (period unknown, not whole-area, no population), naming each."""
    return [t(f"funding_dropped_{why}", lang, items=fmt.listing(items, lang, sep="; "))
            for why, items in dropped.items() if items]


def png_filename(kind: str, names: list[str], *options: str) -> str:
    """funding_Quzhou-Leshan_per_resident_census: what the chart holds, for its PNG export."""
    import re as _re

    parts = [kind, "-".join(names) or "none", *[o for o in options if o]]
    return _re.sub(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+", "-", "_".join(parts))[:120]


def make_measures_figure(
    df: pd.DataFrame,
    lang: str,
    *,
    codebook: dict | None = None,
    jurisdictions: dict[str, str] | None = None,
    max_places: int = MAX_PLACES,
) -> go.Figure:
    """Category × jurisdiction matrix, grouped by instrument type; ■ done, □ planned, blank absent.

    One column for each of the first max_places places with measures (in the order of jurisdictions); the
    footnote names the others.
    """
    title = t("measures_title", lang)
    cut: list[str] = []
    if df is not None and not df.empty:
        places = df["jurisdiction"].unique().tolist()  # vectorised: iterating a text column costs ~1 µs a cell
        with_rows = set(places)
        order = [s for s in (jurisdictions or places) if s in with_rows]
        cut = [(jurisdictions or {}).get(s, s) for s in order[max_places:]]
        if cut:  # the matrix, its rows and its sources come from the places drawn only
            df = df[df["jurisdiction"].isin(order[:max_places])]
    matrix = views.measures_matrix(df, codebook, lang)
    if matrix.empty:
        return add_footnote(empty_figure(t("measures_none", lang), title), [], lang)
    cats = views.category_info(codebook, lang, df)
    slugs = [s for s in (jurisdictions or {c: c for c in matrix.columns}) if s in matrix.columns]
    matrix = matrix[slugs]
    # A reply nobody has reviewed: its measures are drafts, its column says so under the place's name.
    unreviewed = set(df.loc[df["reviewed_by"].astype(str).str.strip() == "", "jurisdiction"]) if "reviewed_by" in df.columns else set()
    names = [escape_plot((jurisdictions or {}).get(s, s)) + (f"<br>{review.draft_label(lang)}" if s in unreviewed else "")
             for s in slugs]
    ylabels = [f"{t('it_' + cats.get(c, {}).get('instrument_type', ''), lang)} · {escape_plot(cats.get(c, {}).get('label', c))}" for c in matrix.index]
    # A very long category name goes on two lines rather than being cut off at the figure's left edge.
    ylabels = [y if text_width(y) < 420 else y.replace(", ", ",<br>", 1) for y in ylabels]
    z = matrix.map(lambda v: {"done": 2, "planned": 1}.get(v, 0)).values.tolist()
    # The words in the cells while a phone's cells can hold them (three places); with more, the symbols alone (the
    # words ran out of their cells on a phone), the words in each cell's hover and in the footnote.
    words = len(slugs) <= 3
    text = matrix.map(lambda v: {"done": "■ " + t("done", lang), "planned": "□ " + t("planned", lang)}.get(v, "")).values.tolist()
    shown = text if words else [[cell.split(" ")[0] for cell in row] for row in text]
    fig = go.Figure(go.Heatmap(
        z=z, x=names, y=ylabels, text=shown, customdata=text, texttemplate="%{text}", zmin=0, zmax=2, showscale=False,
        xgap=3, ygap=3, textfont=dict(size=12),
        colorscale=[[0, "#F4F4F4"], [0.5, "#BFD7EA"], [1, "#0072B2"]], hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
    ))
    _base(fig, title, "")
    left = int(min(440, max(text_width(line) for y in ylabels for line in y.split("<br>")) + 20))
    fig.update_yaxes(autorange="reversed", automargin=False, rangemode=None)
    fig.update_xaxes(side="top", automargin=True)  # place names above the columns, where the eye starts
    fig.update_layout(height=max(420, 30 * len(ylabels) + 160), margin=dict(l=left))
    return add_footnote(fig, [fmt.sources_line(df, lang), t("measures_intro", lang),
                              t("measures_draft_note", lang) if unreviewed & set(slugs) else "",
                              places_cut_note(cut, max_places, lang)], lang, gap=20, width=PHONE_WRAP)


def present_fonts(fig: go.Figure, scale: float = 1.6) -> go.Figure:
    """Larger type for screen sharing; a copy so the cached/tested figure is untouched.

    Margins and the footnote's offsets grow with the type, so nothing is clipped. Charts with many rows (the
    funding bars, the measures matrix) keep smaller row labels on one line, so every row still fits on a
    1280×720 screen.
    """
    fig = go.Figure(fig)
    heat = [tr for tr in fig.data if tr.type == "heatmap"]
    hbars = [tr for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]
    rows = len(heat[0].y) if heat else len(fig.layout.yaxis.tickvals or []) if hbars else 0
    dense = rows > 8
    tick = 13 if dense else 20
    fig.update_layout(font=dict(size=20), title_font=dict(size=28), legend_font_size=18)
    fig.update_xaxes(tickfont_size=20 if not heat else 18, title_font_size=20)
    fig.update_yaxes(tickfont_size=tick if (heat or hbars) else 20, title_font_size=20)
    if hbars and fig.layout.yaxis.ticktext:
        fig.update_yaxes(ticktext=[str(x).replace("<br>", " · ") for x in fig.layout.yaxis.ticktext])
    labels = [str(x) for x in (fig.layout.yaxis.ticktext or (heat[0].y if heat else []))]
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    n_lines = 0
    for ann in fig.layout.annotations:
        if ann.name == "footnote":
            # A full screen has room for longer lines; fewer lines leave more height to the chart itself.
            if meta.get("footnote"):
                ann.text = "<br>".join(_wrap(line, meta.get("lang", "en"), 150) for line in meta["footnote"])
            n_lines = ann.text.count("<br>") + 1
            ann.font.size = 14
            ann.yshift = (ann.yshift or 0) * (1.0 if heat else scale)
        else:
            ann.font.size = 17
    m = fig.layout.margin
    left = int(max(text_width(line, tick) for x in labels for line in x.split("<br>")) + 30) if labels else int((m.l or 60) * scale)
    if fig.layout.yaxis.ticklabelposition == "inside":  # the labels stand inside the plot (funding): no column for them
        left = m.l or 12
    for ann in fig.layout.annotations:
        if ann.name == "footnote":
            ann.xshift = -(left - 10)
    gap = -min([a.yshift or 0 for a in fig.layout.annotations if a.name == "footnote"] or [0])
    bottom = int(gap + 24 + 19 * n_lines) if n_lines else (m.b or 80)
    fig.update_layout(margin=dict(l=left, b=bottom, t=int((m.t or 80) * 1.2)), height=int((fig.layout.height or 480) * 1.3))
    fig.update_traces(textfont_size=14 if dense else 18, selector=dict(type="bar"))
    fig.update_traces(textfont_size=18, selector=dict(type="scatter", mode="text"))
    if heat and dense:
        # Symbols only: the colour says done/planned, the footnote says what ■ and □ mean.
        fig.update_traces(text=[[str(v).split(" ")[0] if v else "" for v in row] for row in heat[0].text],
                          textfont_size=16, selector=dict(type="heatmap"))
    return fig
