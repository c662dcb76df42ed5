"""Page parts of the review workbench (curate.py): the reply, its metadata form, text, fact and measure tables, saving."""

from __future__ import annotations

import hashlib
import os
import typing
from pathlib import Path

import pandas as pd
import streamlit as st

from app.highlight import Mark, merge_overlaps, render_marked
from app.i18n import DEFAULT_LANG, LANGS, t
from app.reasons import describe_reason
from app.safe import escape_text
from loaders import curate, schema
from loaders.errors import LoaderError

STATE = "wb_review"  # session key: the Review being worked on
ADDED = "wb_added"  # session key prefix: facts added in this session, per review
FLASH = "wb_flash"  # a message to show once after a rerun (what a save wrote)
FLASH_INFO = "wb_flash_info"  # the same for a note (an upload that is a stored reply opened as that record)
SHOWN = "wb_shown"  # the stored record the page showed on its last run


def current_lang() -> str:
    lang = st.query_params.get("lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def language_switch(lang: str) -> str:
    """中文 / English in the sidebar, as on the dashboard: the choice goes into the URL (?lang=), so a link keeps it."""
    chosen = st.sidebar.radio(t("sidebar_language", lang), list(LANGS), index=list(LANGS).index(lang), horizontal=True,
                              format_func=lambda code: {"zh": "中文", "en": "English"}[code], key="wb_lang")
    if chosen != lang:
        st.query_params["lang"] = chosen
        st.rerun()
    return lang


def dashboard_link(record_id: str, lang: str) -> str:
    """Where the dashboard shows a record's sources (DASHBOARD_URL, default the `make run` address on this machine)."""
    from urllib.parse import quote

    base = os.environ.get("DASHBOARD_URL", "http://127.0.0.1:8501").rstrip("/")
    return f"{base}/sources?r={quote(record_id)}&lang={lang}"


def code_label(field: str, code, lang: str) -> str:
    """A code of the review table in words (qualifier more_than → 超过（下限）), the code itself where none is known."""
    if code is None or code == "":
        return "—"
    if field == "indicator":
        return indicator_options(lang).get(code, str(code))
    if field == "category":
        return category_labels(lang).get(code, str(code))
    prefix = {"qualifier": "qualifier_", "status": "status_", "period_kind": "pk_", "scope_kind": "sk_",
              "channel": "ch_", "doc_type": "doctype_", "level": "level_", "category": "cat_",
              "measure_status": "status_"}[field]
    text = t(f"{prefix}{code}", lang)
    return str(code) if text == f"{prefix}{code}" else text


def marked_sentence(quote: str, quote_start: int, number_start: int, number_text: str, before: int = 14,
                    after: int = 40) -> str:
    """The fact's sentence with its number marked 【…】 where it stands (the first occurrence when the offsets do not
    fit, as for a fact added by hand), cut to `before` and `after` characters around it (… where cut), so that the
    number shows in the table's cell however long the sentence."""
    at = number_start - quote_start
    if not (0 <= at and quote[at:at + len(number_text)] == number_text):
        at = quote.find(number_text)
    if at < 0 or not number_text:
        return quote
    end = at + len(number_text)
    head = quote[max(0, at - before):at]
    tail = quote[end:end + after]
    return (("…" if at > before else "") + head + f"【{number_text}】" + tail
            + ("…" if len(quote) - end > after else ""))


def show_error(exc: LoaderError) -> None:
    st.error(escape_text(exc.one_line()))


def choices(literal) -> list[str]:
    return list(typing.get_args(literal))


@st.cache_data(show_spinner=False)
def place_options() -> tuple[list[str], dict[str, str]]:
    """Gazetteer slugs and their labels "name_zh (prefecture, province) slug", for a searchable selectbox."""
    slugs, labels = [], {}
    for p in curate_places():
        parents = ", ".join(x for x in (p.prefecture_zh, p.province_zh) if x and x != p.name_zh)
        labels[p.slug] = f"{p.name_zh} ({parents}) {p.slug}" if parents else f"{p.name_zh} {p.slug}"
        slugs.append(p.slug)
    return slugs, labels


def curate_places():
    from loaders.places import load_places

    return load_places()


@st.cache_data(show_spinner=False)
def indicator_options(lang: str) -> dict[str, str]:
    from loaders.facts import load_indicators

    return {code: f"{spec.get(f'label_{lang}') or code} ({code})" for code, spec in load_indicators()["indicators"].items()}


@st.cache_data(show_spinner=False)
def category_labels(lang: str) -> dict[str, str]:
    """Measure categories in words (data/reference/measure_codebook.yaml's label_zh / label_en)."""
    from loaders.measures import load_codebook

    return {spec["id"]: spec.get(f"label_{lang}") or spec["id"] for spec in load_codebook()["categories"]}


# --- the reply -----------------------------------------------------------------------


def key_of(reply: curate.Reply) -> str:
    return (reply.record_id or "new") + "-" + hashlib.sha256(reply.raw_bytes).hexdigest()[:12]


def new_reply(lang: str) -> curate.Reply | None:
    """Upload or paste; the reply read is kept in the session until another is read."""
    upload = st.file_uploader(t("wb_upload", lang), type=["txt", "html", "htm"], key="wb_upload")
    pasted = st.text_area(t("wb_paste", lang), key="wb_paste", height=120)
    if st.button(t("wb_read", lang), key="wb_read"):
        try:
            if upload is not None:
                reply = curate.read_upload(upload.name, upload.getvalue())
            elif pasted.strip():
                reply = curate.read_pasted(pasted)
            else:
                st.info(t("wb_no_reply", lang))
                return None
        except LoaderError as exc:
            show_error(exc)
            st.session_state.pop("wb_new_reply", None)
            return None
        st.session_state["wb_new_reply"] = reply
    reply = st.session_state.get("wb_new_reply")
    if reply is not None and reply.is_html:
        st.caption(t("wb_html_note", lang))
    return reply


def open_review(reply: curate.Reply, folder) -> curate.Review:
    """The review of a reply, drafted once per reply and kept across reruns."""
    key = key_of(reply)
    held = st.session_state.get(STATE)
    if held is None or held[0] != key:
        st.session_state[STATE] = (key, curate.open_review(reply, folder))
    return st.session_state[STATE][1]


# --- metadata ------------------------------------------------------------------------


def _why(draft, field: str, lang: str) -> None:
    source = next((s for s in draft.provenance if s.field == field), None)
    if source is None or not (source.note or source.evidence):
        st.caption(t("wb_unknown", lang))
    else:
        st.caption(escape_text(t("wb_why", lang, note=describe_reason(source.note or source.evidence, lang))))


def metadata_form(review: curate.Review, lang: str, key: str) -> tuple[dict, dict]:
    """(jurisdiction overrides, document overrides) from the form, each field prefilled from the record."""
    st.subheader(t("wb_metadata", lang))
    shown = review.curated or review.draft
    # The gazetteer's ~3,200 labels: made once per session, not on every rerun of the form.
    slugs, labels, by_label = memo("places", None, lambda: (lambda sl, lb: (sl, lb, {lb[x]: x for x in sl}))(*place_options()))
    current = shown.jurisdiction.slug
    index = slugs.index(current) if current in slugs else None
    col1, col2 = st.columns(2)
    with col1:
        # Options are the labels themselves (no format_func): typing any part of one (name, parent, slug) finds it.
        label = st.selectbox(t("wb_jurisdiction", lang), list(by_label), index=index,
                             placeholder=t("wb_jurisdiction_pick", lang), key=f"wb_place-{key}")
        slug = by_label.get(label) if label is not None else None
        _why(review.draft, "jurisdiction", lang)
        if slug is not None:
            from loaders.places import place_by_slug

            place = place_by_slug(slug)
            st.caption(escape_text(t("wb_level_province", lang, level=code_label("level", place.level, lang),
                                     province=place.province_zh or "—",
                                     prefecture=place.prefecture_zh or "—")))
            _why(review.draft, "level", lang)
    types = choices(schema.DocumentType)
    with col2:
        doc_type = st.selectbox(t("wb_doc_type", lang), types, index=types.index(shown.document.type),
                                format_func=lambda code: code_label("doc_type", code, lang), key=f"wb_type-{key}")
        _why(review.draft, "type", lang)
        written = st.text_input(t("wb_date_written", lang), shown.document.date_written, key=f"wb_written-{key}")
        _why(review.draft, "date_written", lang)
        published = st.text_input(t("wb_date_published", lang), shown.document.date_published,
                                  key=f"wb_published-{key}")
        _why(review.draft, "date_published", lang)
    jurisdiction = curate.jurisdiction_override(review.draft, slug, current) if slug is not None else {}
    return jurisdiction, curate.document_override(review, {"type": doc_type, "date_written": written,
                                                           "date_published": published})


# --- text and tables --------------------------------------------------------------------


def show_text(review: curate.Review, lang: str, key: str) -> None:
    st.subheader(t("wb_text", lang))
    added = st.session_state.get(f"{ADDED}-{key}") or curate.added_facts(review)
    text = review.reply.text
    marks = []
    for f in review.draft.facts:
        start = int(f.id[1:])
        # A held-back number (the loader is unsure of it, nobody decided yet): grey and outlined, not yellow.
        kind = "number_held" if curate.is_held(f, review.curation) else "mark"
        marks.append(Mark(start, start + len(f.number_text), kind, "", f"{f.id} {f.indicator}"))
    for a in added:
        pos = text.find(a["quote"])
        if pos >= 0:
            start = pos + a["quote"].find(a["number_text"])
            marks.append(Mark(start, start + len(a["number_text"]), "mark", "", f"+ {a['indicator']}"))
    with st.container(height=360):
        # The marked text changes only with the reply and the facts added to it.
        st.html(memo("marked_text", (key, id(review), repr(added)), lambda: render_marked(text, merge_overlaps(marks))))


# --- work done once per reply (or per file version), not on every rerun of the form ----------------------------

MEMO = "_wb_memo"


def memo(name: str, key, make):
    """make() once per name and key in this session (the latest key only): a rerun of the form reuses it."""
    store = st.session_state.setdefault(MEMO, {})
    held = store.get(name)
    if held is None or held[0] != key:
        held = store[name] = (key, make())
    return held[1]


def file_version(path: Path) -> tuple | None:
    """(modification time, size) of a file, None when it is absent: a changed file is read again."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def compose_review(review: curate.Review, decisions: curate.Decisions, folder: Path, key: str):
    """curate.compose and curate.review_warnings of the decisions: (record id, curated draft, curation YAML, warnings).

    Made again only when a decision, the record's curation file or the population table changes: reading the curation
    file (a ruamel round trip) and the population was most of a rerun. A LoaderError is raised every time, never kept.
    """
    store = st.session_state.setdefault(MEMO, {})
    wanted = (key, id(review), repr(decisions))
    population = file_version(folder / "reference" / "population.csv")
    held = store.get("compose")
    if held is not None and held[0] == wanted:
        rid = held[1][0]
        if held[2] == (file_version(folder / "curation" / f"{rid}.yaml"), population):
            return held[1]
    rid, curated, text = curate.compose(review, decisions, folder)
    made = (rid, curated, text, curate.review_warnings(curated, rid, folder, decisions.population_row))
    store["compose"] = (wanted, made, (file_version(folder / "curation" / f"{rid}.yaml"), population))
    return made


def curation_changed(review: curate.Review, folder: Path, rid: str) -> bool:
    """Whether the record's curation file changed on disk since the review read it (Save merges into it as it is)."""
    path = Path(folder) / "curation" / f"{rid}.yaml"
    return memo("curation_changed", (id(review), str(path), file_version(path)), lambda: review.file_changed(path))


def hold_reasons(folder: Path) -> dict:
    """frames.yaml's `reasons` (why a number is held back, in zh and en) of the data folder, read again when it
    changes; {} when it is missing or unreadable (a general sentence stands in, app/review.py)."""
    import yaml

    path = Path(folder) / "reference" / "frames.yaml"

    def read() -> dict:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return {}
        reasons = loaded.get("reasons") if isinstance(loaded, dict) else None
        return reasons if isinstance(reasons, dict) else {}

    return memo("hold_reasons", (str(path), file_version(path)), read)


def fact_table(review: curate.Review, lang: str, reasons: dict) -> pd.DataFrame:
    """The review table's rows (curate.fact_rows: held-back facts first), each held-back one with why in words."""
    from app.review import reason_text

    rows = curate.fact_rows(review)
    starts = {f.id: f.quote_start for f in review.draft.facts}
    for row in rows:
        row["why"] = reason_text(row["hold_reason"], row["hold_words"], lang, reasons) if row["held"] else ""
        row["sentence"] = marked_sentence(row["quote"], starts.get(row["id"], 0), int(row["id"][1:]),
                                          row["number_text"])
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


# The review table's columns: each number and its decisions (pinned at the left, so they stay on screen however far
# the table scrolls), a held-back fact's reason, its sentence with the number marked, the reason or note typed, then
# the fields. quote stays in the rows (the decisions read it) and off the screen.
FACT_COLUMNS = ["id", "number_text", "accept", "reject", "why", "sentence", "reason", "indicator", "value",
                "qualifier", "status", "period_kind", "period_start", "period_end", "scope_kind", "scope_area",
                "channel", "label", "quote"]
PINNED = ("id", "number_text", "accept", "reject")
SELECT_FIELDS = {"indicator": None, "qualifier": schema.Qualifier, "status": schema.Status,
                 "period_kind": schema.PeriodKind, "scope_kind": schema.ScopeKind, "channel": schema.Channel}


def column_label(name: str, lang: str) -> str:
    """A column's header in the page's language (app/i18n.py COLUMNS, then the workbench's own)."""
    from app.i18n import COLUMNS

    key = f"wb_col_{name}"
    text = t(key, lang)
    if text != key:
        return text
    pair = COLUMNS.get(name)
    return pair[0 if lang == "zh" else 1] if pair else name


def facts_editor(review: curate.Review, lang: str, key: str, folder: Path | None = None) -> list[dict]:
    st.subheader(t("wb_facts", lang))
    st.caption(t("wb_facts_help", lang))
    reasons = hold_reasons(folder or curate.data_dir())
    df = memo("fact_rows", (key, id(review), lang, id(reasons)), lambda: fact_table(review, lang, reasons))
    held = df[df["why"] != ""]
    if not held.empty:
        # The reasons in full, above the table whose cell may cut them: what a person reads before ticking accept.
        st.warning(t("wb_held_list", lang, n=len(held)) + "\n" + "\n".join(
            f"- **{escape_text(n)}** ({escape_text(i)}): {escape_text(w)}"
            for i, n, w in zip(held["id"], held["number_text"], held["why"])))
    cc = st.column_config
    # Headers and choices in words (the cells keep the codes the curation file stores).
    config = {name: cc.TextColumn(column_label(name, lang)) for name in FACT_COLUMNS}
    config.update({
        "id": cc.TextColumn(column_label("id", lang), width="small", pinned=True),
        "number_text": cc.TextColumn(column_label("number_text", lang), pinned=True),
        "sentence": cc.TextColumn(column_label("sentence", lang), width="large"),
        "why": cc.TextColumn(t("wb_held_col", lang), width="large"),
        "accept": cc.CheckboxColumn(column_label("accept", lang), pinned=True),
        "reject": cc.CheckboxColumn(column_label("reject", lang), pinned=True),
        "value": cc.NumberColumn(column_label("value", lang), format="%g"),
    })
    for name, literal in SELECT_FIELDS.items():
        options = list(indicator_options(lang)) if literal is None else choices(literal)
        config[name] = cc.SelectboxColumn(column_label(name, lang), options=options,
                                          format_func=lambda code, name=name: code_label(name, code, lang))
    # The reason column only while something is held back: an empty wide column would push the fields off screen.
    shown = [c for c in FACT_COLUMNS if (c != "why" or not held.empty) and c != "quote"]
    edited = st.data_editor(df, column_config=config,
                            disabled=["id", "number_text", "sentence", "why", "label", "quote"],
                            column_order=shown, hide_index=True, num_rows="fixed", key=f"wb_facts-{key}",
                            width="stretch")
    return edited_records("fact_dicts", edited, f"wb_facts-{key}", (key, id(review)))


def edited_records(name: str, edited: pd.DataFrame, widget_key: str, key) -> list[dict]:
    """edited.to_dict("records"), made again only when the editor's edits change: the edits (the widget's state)
    and the table it was given determine the edited table, and the conversion was a tenth of a rerun."""
    edits = st.session_state.get(widget_key)
    return memo(name, (key, repr(edits)), lambda: edited.to_dict("records"))


def measures_editor(review: curate.Review, lang: str, key: str) -> list[dict]:
    st.subheader(t("wb_measures", lang))
    df = memo("measure_rows", (key, id(review)), lambda: pd.DataFrame(
        curate.measure_rows(review), columns=["id", "category", "status", "reject", "reason", "quote"]))
    cc = st.column_config
    config = {"id": cc.TextColumn(column_label("measure_id", lang), width="small"),
              "category": cc.SelectboxColumn(column_label("category", lang), options=sorted(set(df["category"])),
                                             format_func=lambda code: code_label("category", code, lang)),
              "status": cc.SelectboxColumn(column_label("measure_status", lang), options=choices(schema.MeasureStatus),
                                           format_func=lambda code: code_label("measure_status", code, lang)),
              "reject": cc.CheckboxColumn(column_label("reject", lang)),
              "reason": cc.TextColumn(column_label("reason", lang)),
              "quote": cc.TextColumn(column_label("quote", lang), width="large")}
    edited = st.data_editor(df, column_config=config,
                            disabled=["id", "category", "status", "quote"], hide_index=True, num_rows="fixed",
                            key=f"wb_measures-{key}", width="stretch")
    return edited_records("measure_dicts", edited, f"wb_measures-{key}", (key, id(review)))


def sentence_options(text: str, spans: list[tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """Each sentence with a number as the curator reads it (its first 120 characters, one line), the span behind it;
    a sentence that reads the same as an earlier one gets its number in the list (（2）)."""
    out: dict[str, tuple[int, int]] = {}
    for a, b in spans:
        label = " ".join(text[a:b].split())
        label = label if len(label) <= 120 else label[:119] + "…"
        shown, n = label, 1
        while shown in out:
            n += 1
            shown = f"{label}（{n}）"
        out[shown] = (a, b)
    return out


def add_fact_form(review: curate.Review, lang: str, key: str) -> list[dict]:
    """Facts added in this review: a sentence chosen from the text, then a number in it. Returns every added fact."""
    store = f"{ADDED}-{key}"
    if store not in st.session_state:
        st.session_state[store] = curate.added_facts(review)
    added: list[dict] = st.session_state[store]
    st.subheader(t("wb_add_fact", lang))
    text = review.reply.text
    spans = memo("spans", (key, id(review)), lambda: curate.sentences_with_numbers(text))
    # Options are their own labels (plain strings, the sentence as it reads; a repeated one numbered): a widget's value
    # survives reruns and AppTest can choose them.
    by_label = sentence_options(text, spans)
    chosen = st.selectbox(t("wb_sentence", lang), list(by_label), index=None, key=f"wb_sentence-{key}",
                          placeholder=t("wb_sentence_pick", lang))
    if chosen is not None:
        span = by_label[chosen]
        sentence = text[span[0]:span[1]]
        numbers = {}
        for n in curate.number_choices(sentence):
            numbers[n[2] if n[2] not in numbers else f"{n[2]} ({n[0]})"] = n
        number = numbers[st.selectbox(t("wb_number", lang), list(numbers), key=f"wb_number-{key}-{span[0]}")]
        # What the words before the number say (余 → more than, 计划 → target, 2013年以来 → since 2013): suggested,
        # shown chosen, and said so; the indicator is never chosen for the curator.
        hint = curate.suggest_fields(sentence, number[0], review.draft.document)
        at = f"{key}-{span[0]}-{number[0]}"
        st.caption(t("wb_suggested", lang, qualifier=code_label("qualifier", hint["qualifier"], lang),
                     status=code_label("status", hint["status"], lang),
                     period=code_label("period_kind", hint["period_kind"], lang)))
        labels = indicator_options(lang)
        col1, col2, col3 = st.columns(3)
        with col1:
            codes = {label: code for code, label in labels.items()}
            picked = st.selectbox(t("wb_indicator", lang), list(codes), index=None, key=f"wb_indicator-{key}",
                                  placeholder=t("wb_indicator_pick", lang))
            indicator = codes.get(picked) if picked is not None else None
            value = st.number_input(t("wb_value", lang), value=float(number[3]), min_value=0.0, format="%g",
                                    key=f"wb_value-{at}")
        with col2:
            qualifiers, statuses = choices(schema.Qualifier), choices(schema.Status)
            qualifier = st.selectbox(t("wb_qualifier", lang), qualifiers, index=qualifiers.index(hint["qualifier"]),
                                     format_func=lambda c: code_label("qualifier", c, lang), key=f"wb_qualifier-{at}")
            status = st.selectbox(t("wb_status", lang), statuses, index=statuses.index(hint["status"]),
                                  format_func=lambda c: code_label("status", c, lang), key=f"wb_status-{at}")
        with col3:
            kinds = choices(schema.PeriodKind)
            period_kind = st.selectbox(t("wb_period_kind", lang), kinds, index=kinds.index(hint["period_kind"]),
                                       format_func=lambda c: code_label("period_kind", c, lang), key=f"wb_pkind-{at}")
            # A "since" or plan period has a start; "as of" only an end.
            period_start = ""
            if period_kind in ("since", "plan_period", "year", "recent_years"):
                period_start = st.text_input(t("wb_period_start", lang), hint["period_start"], key=f"wb_pstart-{at}")
            period_end = st.text_input(t("wb_period_end", lang), hint["period_end"], key=f"wb_pend-{at}")
        note = st.text_input(t("wb_note", lang), key=f"wb_addnote-{key}")
        if st.button(t("wb_add", lang), key=f"wb_add-{key}"):
            if indicator is None:
                st.error(t("wb_indicator_needed", lang))
            else:
                try:
                    entry = curate.make_added_fact(text, span, number, indicator, note, value=value,
                                                   qualifier=qualifier, status=status, period_kind=period_kind,
                                                   period_start=period_start.strip(), period_end=period_end.strip())
                    schema.AddedFact.model_validate(entry)
                except (LoaderError, ValueError) as exc:
                    st.error(escape_text(exc.one_line() if isinstance(exc, LoaderError) else str(exc).splitlines()[0]))
                else:
                    added.append(entry)
    if added:
        st.caption(t("wb_added", lang))
        table = memo("added_table", (key, repr(added), lang), lambda: pd.DataFrame(
            [{"indicator": code_label("indicator", a["indicator"], lang), "value": a["value"],
              "number_text": a["number_text"], "quote": a["quote"]} for a in added]))
        st.dataframe(table, hide_index=True,
                     column_config={c: (st.column_config.NumberColumn if c == "value" else st.column_config.TextColumn)(
                         column_label(c, lang)) for c in table.columns})
        drop = st.multiselect(t("wb_remove_added", lang), list(range(len(added))), key=f"wb_drop-{key}",
                              placeholder=t("wb_remove_pick", lang),
                              format_func=lambda i: f"{added[i]['number_text']} "
                                                    f"({code_label('indicator', added[i]['indicator'], lang)})")
        return [a for i, a in enumerate(added) if i not in drop]
    return added


POPULATION = "wb_population_row"  # session key prefix: the population row to be saved with the reply, per review


def staged_population(key: str) -> dict | None:
    """The population row this review will save with the reply (Decisions.population_row), if one was added."""
    return st.session_state.get(f"{POPULATION}-{key}")


def staged_population_box(lang: str, key: str) -> None:
    """The population row waiting for Save, with a button to drop it (also when the place changed since it was added)."""
    row = staged_population(key)
    if row is None:
        return
    st.subheader(t("wb_population", lang))
    shown = (f"{row['jurisdiction_zh'] or row['jurisdiction']} {row['kind']} {row['date']}: "
             f"{row['population_persons']:,.0f} ({row['source']})")
    st.info(escape_text(t("wb_population_staged", lang, row=shown)))
    if st.button(t("wb_population_drop", lang), key=f"wb_population_drop-{key}"):
        st.session_state.pop(f"{POPULATION}-{key}", None)
        st.rerun()


def population_form(folder, curated, lang: str, key: str) -> None:
    """A place without a population row: add one, with its source; density shows as not available until then. The row
    is checked as the build will read it and kept for Save, which writes it with the reply (nothing is written here)."""
    j = curated.jurisdiction
    if staged_population(key) is not None:
        return  # shown by staged_population_box
    if j.slug in ("", "unknown"):
        return
    try:
        base = memo("population_base", (j.slug, file_version(Path(folder) / "reference" / "population.csv")),
                    lambda: curate.population_base(folder, j.slug))
    except LoaderError as exc:  # a population.csv the build cannot read: named, line and all
        show_error(exc)
        return
    kinds = ["census", "year_end_resident", "household_registered"]
    if base:
        # The place has a base already (its own row or the 2020 census): the form stays, folded, for year-end figures.
        box = st.expander(escape_text(t("wb_population_more", lang, name=j.name_zh or j.slug, base=base)))
        kinds, default_date = kinds[1:] + kinds[:1], ""
    else:
        st.subheader(t("wb_population", lang))
        st.info(escape_text(t("wb_population_missing", lang, name=j.name_zh or j.slug)))
        box, default_date = st.container(), "2020-11-01"
    with box, st.form(f"wb_population-{key}"):
        kind = st.selectbox(t("wb_population_kind", lang), kinds)
        date = st.text_input(t("wb_population_date", lang), default_date)
        persons = st.number_input(t("wb_population_persons", lang), min_value=0, max_value=schema.MAX_POPULATION,
                                  step=1, value=0)
        source = st.text_input(t("wb_population_source", lang))
        if st.form_submit_button(t("wb_population_add", lang)):
            row = {"jurisdiction": j.slug, "jurisdiction_zh": j.name_zh, "kind": kind, "date": date.strip(),
                   "population_persons": float(persons), "source": source.strip()}
            try:
                curate.check_population_row(folder, row, j.slug)
            except LoaderError as exc:
                show_error(exc)
            else:
                st.session_state[f"{POPULATION}-{key}"] = row
                st.rerun()


def remove_box(folder: Path, record_id: str, lang: str) -> None:
    """A reply added by mistake: removed once its id is typed (curate.remove_reply keeps every file of it in
    data/removed/, from where it can be put back)."""
    with st.expander(t("wb_remove_title", lang)):
        st.caption(t("wb_remove_help", lang))
        typed = st.text_input(t("wb_remove_confirm", lang, rid=record_id), key=f"wb_remove_typed-{record_id}")
        if st.button(t("wb_remove_button", lang), key=f"wb_remove-{record_id}", disabled=typed.strip() != record_id):
            try:
                removed = curate.remove_reply(folder, record_id)
            except LoaderError as exc:
                show_error(exc)
                return
            clear_dashboard_caches()
            st.session_state[FLASH] = t("wb_removed", lang, rid=record_id, files=", ".join(removed.written))
            for name in (STATE, SHOWN, "wb_record"):  # the list falls back to another reply, as after a save
                st.session_state.pop(name, None)
            st.rerun()


def clear_dashboard_caches() -> None:
    """This process's caches; the dashboard (another process) sees new tables by their file times (app/data.py)."""
    st.cache_data.clear()
    st.cache_resource.clear()
