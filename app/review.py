"""Review state, shown one way everywhere (issue 20).

A draft is a published number nobody has vouched for yet (is_reviewed False): wherever it is shown it carries the
word 未审核 / unreviewed and the mark ◌ (DRAFT_MARK) — beside the number as text, as an orange badge in Markdown, as
a dashed underline in the reply text, as an open marker or a dotted pattern in charts, as a footnote mark on slides
and as a review column in downloads. A reply nobody has reviewed says so; a reviewed one names who and when. Held-back
numbers (low confidence, unreviewed) never reach a card, chart or slide: app/data.py keeps them in tables["held_facts"],
and the Sources page and the workbench list them with the reason in words (data/reference/frames.yaml, `reasons`).
"""

from __future__ import annotations

import pandas as pd

from app.i18n import t
from app.safe import escape_html

DRAFT_MARK = "◌"
DRAFT_COLOR = "#B35900"  # the mark's colour in charts and HTML: dark orange, readable on white and on a bar
DRAFT_SYMBOL = "circle-open"  # the open marker a chart draws beside a draft figure


def draft_label(lang: str) -> str:
    """'◌ 未审核' / '◌ unreviewed': the mark and the word, as plain text."""
    return f"{DRAFT_MARK} {t('draft_word', lang)}"


def marked(text: str, is_draft: bool, lang: str) -> str:
    """Plain text (a table cell, a chart label, a slide) with the draft mark after it when it is a draft."""
    return f"{text} {draft_label(lang)}" if is_draft else text


def badge(lang: str) -> str:
    """The mark as Streamlit Markdown: an orange badge holding our own words (nothing from the data)."""
    return f":orange-badge[{draft_label(lang)}]"


def badged(markdown: str, is_draft: bool, lang: str) -> str:
    """Markdown (already escaped or our own) with the badge after it when it is a draft."""
    return f"{markdown} {badge(lang)}" if is_draft else markdown


def html_badge(lang: str) -> str:
    """The mark in HTML (st.html, the Sources page's lists): the word with a dashed underline."""
    return (f'<span class="draft-mark" style="color: {DRAFT_COLOR}; border-bottom: 1px dashed {DRAFT_COLOR}; '
            f'white-space: nowrap; font-size: 0.85em">{escape_html(draft_label(lang))}</span>')


def is_draft(row, column: str = "is_reviewed") -> bool:
    """A row (dict or Series) whose number nobody vouched for: its column is False. A row without the column (an older
    table, a frame made by hand) is not marked."""
    if row is None:
        return False
    value = row.get(column, True) if hasattr(row, "get") else True
    if value is None or (isinstance(value, float) and value != value):
        return False
    if isinstance(value, str):
        return value.strip().lower() == "false"
    return not bool(value)


def draft_column(df: pd.DataFrame, column: str = "is_reviewed") -> pd.Series:
    """is_draft() of every row, as a boolean column (all False when df lacks the column)."""
    if df is None or column not in df.columns:
        return pd.Series(False, index=None if df is None else df.index, dtype=bool)
    values = df[column]
    if values.dtype == bool:
        return ~values
    return values.map(lambda v: is_draft({column: v})).astype(bool)


def review_words(is_reviewed, lang: str) -> str:
    """What a download's review column says: '已审核' / '◌ 未审核'."""
    return draft_label(lang) if is_draft({"is_reviewed": is_reviewed}) else t("reviewed_word", lang)


def note(lang: str) -> str:
    """The footnote or caption line that says what the mark means."""
    return t("draft_note", lang)


# ---- a reply's review ----------------------------------------------------------------------------------------------


def reviewer(doc) -> tuple[str, str]:
    """(who, when) reviewed a reply (a documents row); ('', '') when nobody has."""
    def text(key: str) -> str:
        value = doc.get(key, "") if doc is not None else ""
        return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
    return text("reviewed_by"), text("reviewed_on")


def reply_is_reviewed(doc) -> bool:
    return bool(reviewer(doc)[0])


def unreviewed_reply_markdown(lang: str) -> str:
    """The card's line for a reply nobody has reviewed (our own words: no escaping needed)."""
    return f":orange-badge[{DRAFT_MARK} {t('review_none', lang)}]"


def reviewed_reply_text(doc, lang: str) -> str:
    """'已审核：项目维护者，2026-11-22' as plain text (escape it for Markdown); '' when nobody has reviewed it."""
    who, when = reviewer(doc)
    return t("review_by", lang, by=who, date=when or "—") if who else ""


# ---- held-back facts --------------------------------------------------------------------------------------------------


def reason_text(code: str, words: str, lang: str, reasons: dict | None) -> str:
    """Why a fact is held back, in words (frames.yaml `reasons`, {words} filled in); a general sentence for a code the
    file does not know. Plain text: escape it where it goes."""
    entry = (reasons or {}).get(str(code or "")) if isinstance(reasons, dict) else None
    template = entry.get(lang) or entry.get("en") if isinstance(entry, dict) else None
    if not isinstance(template, str) or not template:
        return t("reason_unknown", lang)
    try:
        text = template.format(words=words or "…")
    except (KeyError, IndexError, ValueError):
        text = template
    return text[:1].upper() + text[1:]  # a sentence of its own (the English templates start in lower case)
