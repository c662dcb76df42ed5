"""Links from every number shown to its sentence: charts that open the Sources page on a click, link columns."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import plotly.graph_objects as go
import streamlit as st

from app import fmt, names, reasons, review, safe
from app.charts import present_fonts
from app.highlight import Mark, merge_overlaps, raw_to_clean
from app.i18n import t
from app.layout import plot_config


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
    event = st.plotly_chart(fig, key=key, config=plot_config(ctx.lang, png_name), width="stretch", on_select="rerun",
                            selection_mode="points")
    points = (event or {}).get("selection", {}).get("points", []) if hasattr(event, "get") else []
    targets = [t for t in (link_target(p) for p in points) if t]
    # A selection survives reruns: follow each new click once, so coming back does not bounce to Sources again.
    seen = f"_followed_{key}"
    if targets and st.session_state.get(seen) != targets[0]:
        st.session_state[seen] = targets[0]
        st.switch_page("pages/sources.py", query_params=targets[0])


def evidence_column(lang: str, label: str | None = None):
    """A table column of permalinks, shown as a short focusable link ('原文' / 'open the sentence')."""
    return st.column_config.LinkColumn(label or t("evidence", lang), display_text=t("open_sentence", lang),
                                       help=t("click_for_evidence", lang))


# ---- the Sources page's evidence: one mark per number, a list of the reply's facts, metadata provenance ----------

FACT_ID = re.compile(r"^c\d{1,9}$")


def anchor_of(fact_id: str) -> str:
    """The element id of a fact's number mark: f-<fact_id>, the target of #f-<fact_id> links."""
    return f"f-{fact_id}"


def number_span(raw: str, fact: dict) -> tuple[int, int]:
    """Raw-text span of the fact's number: its id is 'c' + the number's offset; the number as written starts there.

    A curated fact whose number is not at that offset (older ids) is found by its text inside its sentence; failing
    both, the whole sentence."""
    text = str(fact.get("number_text") or "")
    start = int(fact["id"][1:]) if FACT_ID.match(str(fact.get("id", ""))) else -1
    if text and 0 <= start and raw[start:start + len(text)] == text:
        return start, start + len(text)
    q0, q1 = int(fact["quote_start"]), int(fact["quote_end"])
    found = raw.find(text, q0, q1) if text else -1
    if found >= 0:
        return found, found + len(text)
    return q0, q1


def fact_title(fact: dict, indicator_label: str, lang: str, *, named: bool = False) -> str:
    """'每万人拥有社会组织数 = 14.95个/万人（原文写作：14.95家）': indicator, value and the number as the reply wrote it.

    named: the reply states this indicator more than once, so its own words tell the figures apart (每个城市社区…)."""
    if named and fact.get("label") and str(fact["label"]) not in indicator_label:
        indicator_label = f"{indicator_label} · “{fmt.reply_words(fact['label'], lang)}”"
    value = fmt.format_value(fact["value"], fact["unit"], fact["qualifier"], lang, fact.get("value_max"))
    written = str(fact.get("number_text") or "")
    if written:
        value += f"（{t('as_written', lang)}：{written}）" if lang == "zh" else f" ({t('as_written', lang)}: {written})"
    return f"{indicator_label} = {value}"


def fact_marks(facts: list[dict], raw: str, offsets: tuple[int, ...], titles: dict[str, str],
               target: str | None) -> list[Mark]:
    """Marks on the cleaned text: each fact's sentence tinted (the target's in yellow) and each number its own mark,
    with the id f-<fact_id> and its title; sentences holding several facts are tinted once."""
    sentences, numbers = [], []
    target_sentence = None
    for f in facts:
        q = raw_to_clean(offsets, int(f["quote_start"]), int(f["quote_end"]))
        if f["id"] == target:
            target_sentence = q
        sentences.append(q)
        n0, n1 = raw_to_clean(offsets, *number_span(raw, f))
        # A draft's number is underlined with dashes (app/review.py's mark), the linked one stands out either way.
        kind = "number_target" if f["id"] == target else "number_draft" if review.is_draft(f) else "number"
        numbers.append(Mark(n0, n1, kind, anchor_of(f["id"]), titles.get(f["id"], "")))
    plain = merge_overlaps([Mark(a, b, "sentence") for a, b in dict.fromkeys(sentences) if (a, b) != target_sentence])
    marks = list(plain)
    if target_sentence:
        marks.append(Mark(*target_sentence, "sentence_target"))
    # Two numbers never share an offset (the id is the offset), but a number inside another fact's number text
    # (a 其中 part written inside a total) would nest: keep the first, so every id stays on the page once.
    kept: list[Mark] = []
    for m in sorted(numbers, key=lambda m: (m.start, -m.end)):
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return marks + kept


def held_marks(held: list[dict], raw: str, offsets: tuple[int, ...], taken: list[Mark]) -> list[Mark]:
    """Marks of held-back numbers (grey, outlined, id f-<fact_id>, titled with why), where no published number is."""
    out = []
    for f in held:
        n0, n1 = raw_to_clean(offsets, *number_span(raw, f))
        if not any(m.start < n1 and n0 < m.end for m in taken if m.kind.startswith("number")):
            out.append(Mark(n0, n1, "number_held", anchor_of(f["id"]), f.get("why", "")))
    return out


def held_list_html(held: list[dict], heading: str) -> str:
    """The held-back facts as a list, each linked to its grey mark in the text, with why in words (all escaped)."""
    items = [f'<li><a href="#{safe.escape_html(anchor_of(h["id"]))}">{safe.escape_html(h["title"])}</a>'
             f'<br><span style="color: #555555">{safe.escape_html(h["why"])}</span></li>' for h in held]
    return (f'<nav aria-label="{safe.escape_html(heading)}" class="held-facts" style="{LIST_STYLE}">'
            f'<ul style="padding-left: 1.2em; margin: 0">' + "".join(items) + "</ul></nav>")


LIST_STYLE = ("max-height: 600px; overflow-y: auto; line-height: 1.5; font-size: 0.92rem; padding-right: 4px")


def facts_list_html(facts: list[dict], titles: dict[str, str], target: str | None, lang: str,
                    heading: str, flags: dict[str, str] | None = None) -> str:
    """The reply's facts as a list of links to their marks (#f-<fact_id>): focusable, so a keyboard reaches each
    number (Tab, then Enter scrolls the text to it). flags: fact id -> why the figure is flagged (views.density_flags),
    said under its link. Every outside string is escaped."""
    items = []
    flags = flags or {}
    for f in facts:
        current = ' aria-current="true" style="font-weight:700; background:#FFE066"' if f["id"] == target else ""
        mark = f" {review.html_badge(lang)}" if review.is_draft(f) else ""  # a draft: ◌ 未审核 beside its link
        if f["id"] in flags:  # a figure no published population reproduces (Leshan's 5.08): why, under its link
            mark += (f'<br><span class="fact-flag" style="color: #C00000">'
                     f'{safe.escape_html(t("sources_flag", lang, note=flags[f["id"]]))}</span>')
        items.append(f'<li><a href="#{safe.escape_html(anchor_of(f["id"]))}"{current}>'
                     f'{safe.escape_html(titles.get(f["id"], f["id"]))}</a>{mark}</li>')
    return (f'<nav aria-label="{safe.escape_html(heading)}" style="{LIST_STYLE}"><ol style="padding-left: 1.4em; margin: 0">'
            + "".join(items) + "</ol></nav>")


def scroll_script(fact_id: str) -> str:
    """Scroll the reply text to the target number once it is drawn (our own script; the id is checked, then JSON)."""
    if not FACT_ID.match(fact_id or ""):
        return ""
    target = json.dumps(anchor_of(fact_id))
    # Streamlit draws the page in pieces: scroll once the run is over and the text is laid out, and again while
    # late elements push it down, but only until the reader scrolls (a wheel, key or touch stops it). No "<" in
    # the script: DOMPurify drops a script whose text holds "<" before a letter or digit (its mXSS guard).
    return ("<script>(function(){let n=0,stop=false;const quit=()=>{stop=true;};"
            "['wheel','keydown','touchstart','mousedown'].forEach(e=>window.addEventListener(e,quit,{once:true,capture:true}));"
            "const go=()=>{if(stop)return;const el=document.getElementById(" + target + ");"
            "const app=document.querySelector('[data-testid=\"stApp\"]');"
            "const done=app&&app.getAttribute('data-test-script-state')==='notRunning';"
            "if(el){const r=el.getBoundingClientRect();const h=window.innerHeight;"
            "if(0>r.top||r.bottom>h||r.top>h*0.7)el.scrollIntoView({block:'center'});}"
            "n+=1;if((done?25:60)>n)setTimeout(go,120);};go();})();</script>")


def read_provenance(record_id: str) -> list[dict] | None:
    """The record's provenance (list of FieldSource: field, value, signal, evidence, start, end, note) from
    data/records/<id>.yaml; None when the record does not carry it (not recorded yet), [] when it is empty."""
    import yaml

    from app import data

    path = data.data_dir() / "records" / f"{record_id}.yaml"
    if Path(record_id).name != record_id or not path.exists():
        return None
    try:
        record = yaml.safe_load(data.read_regular_file(path, data.MAX_RAW_BYTES * 4).decode("utf-8")) or {}
    except (data.FileProblem, yaml.YAMLError, UnicodeDecodeError, OSError):
        return None
    if not isinstance(record, dict) or "provenance" not in record:
        return None
    items = record.get("provenance", []) or []
    return [p for p in items if isinstance(p, dict)]


def _provenance_value(field: str, value, lang: str) -> str:
    """A provenance value as the reader's words: a level, a document type, a place's slug as its name; names of
    places and offices with their English name on English pages."""
    text = "" if value is None else str(value)
    if field == "level":
        return reasons.word("level", text, lang)
    if field == "type":
        return reasons.word("doc_type", text, lang)
    if field in ("jurisdiction", "slug"):
        from loaders.places import place_by_slug

        place = place_by_slug(text)
        if place is not None:
            return place.name_zh if lang == "zh" else names.with_english(place.name_zh, lang)
        return reasons.word("level", text, lang) if text == "unknown" else text
    if field in ("issuer", "source", "name_zh", "province_zh", "prefecture_zh"):
        return names.with_english(text, lang)
    if field == "parents":
        return " ".join(names.with_english(part, lang) for part in text.split(" "))
    return text


def provenance_lines(items: list[dict] | None, lang: str) -> list[str]:
    """'地区：乐山市（依据发文机关：乐山市民政局） — 地区取自发文机关“乐山市民政局”' per field, as escaped Markdown list
    items, every code key and loader sentence in the reader's language (app/reasons.py). A curator's note, which the
    loader repeats after every field the curation file overrides, is listed once, after the fields."""
    if items is None:
        return [f"- *{t('not_recorded', lang)}*"]
    lines, notes = [], []
    for p in items:
        code = str(p.get("field", "") or "")
        field = safe.escape_text(reasons.word("field", code, lang))
        value = safe.escape_text(_provenance_value(code, p.get("value", ""), lang))
        signal = safe.escape_text(reasons.word("signal", p.get("signal", "") or "", lang))
        evidence = str(p.get("evidence", "") or "")
        if evidence:
            line = t("provenance_line", lang, field=field, value=value, signal=signal, evidence=safe.escape_text(evidence))
        else:
            line = reasons.word("page", "line_bare", lang).format(field=field, value=value, signal=signal)
        head, note = reasons.split_curator_note(str(p.get("note", "") or ""))
        if note and note not in notes:
            notes.append(note)
        if head:
            line += f" — {safe.escape_text(reasons.describe_reason(head, lang))}"
        lines.append(f"- {line}")
    label = reasons.word("page", "curator_note", lang)
    lines += [f"- **{label}**：{safe.escape_text(n)}" if lang == "zh" else f"- **{label}:** {safe.escape_text(n)}"
              for n in notes]
    return lines or [f"- *{t('not_recorded', lang)}*"]
