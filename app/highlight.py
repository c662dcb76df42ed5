"""Reply text as one block of escaped HTML with marked spans: only our own tags are markup, never Markdown.

Reply text never goes through Markdown: a blank line inside a removed span ended Markdown's HTML block, the
<del> was never closed and the rest of the reply showed as struck through (Quzhou 2023: 4,343 characters where
cleaning removed 172), and `**`, `# `, `[text](url)` or `$…$` after a blank line became markup.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass

from app.safe import escape_html

# kind -> (tag, inline style); "changed": a character cleaning replaced (繁→简), kept in the cleaned text.
KINDS = {
    "mark": ("mark", ""),
    "del": ("del", ""),
    "changed": ("span", "text-decoration: underline dotted"),
    # Evidence (pages/sources.py): every fact's sentence tinted, each number its own mark; the one a link points
    # to stands out, its sentence yellow and the number itself dark on orange with an outline.
    "sentence": ("span", "background: #FFF6D5"),
    "sentence_target": ("span", "background: #FFE066"),
    # scroll-margin: a number reached by its link (#f-<id>) stops a third of the screen down, never at the very edge.
    "number": ("mark", "background: #FFD27A; color: inherit; border-bottom: 2px solid #B36B00; padding: 0 1px; "
                       "scroll-margin: 30vh"),
    # A draft's number (nobody vouched for it, app/review.py): a lighter mark with a dashed underline.
    "number_draft": ("mark", "background: #FFF0D9; color: inherit; border-bottom: 2px dashed #B35900; padding: 0 1px; "
                             "scroll-margin: 30vh"),
    # A held-back number (not published until a person accepts it): grey, outlined with dashes.
    "number_held": ("mark", "background: #EEEEEE; color: inherit; outline: 1px dashed #777777; padding: 0 1px; "
                            "scroll-margin: 30vh"),
    "number_target": ("mark", "background: #D35400; color: #FFFFFF; font-weight: 700; outline: 3px solid #7A2E00; "
                              "padding: 0 2px; scroll-margin: 40vh"),
}
# Where two spans start and end together, the outer one: removed text around a highlight, never the reverse.
KIND_ORDER = {"del": 0, "changed": 1, "sentence": 2, "sentence_target": 2, "mark": 3, "number": 4, "number_draft": 4, "number_held": 4, "number_target": 4}
BLOCK_STYLE = "white-space: pre-wrap; line-height: 1.7; overflow-wrap: anywhere"


@dataclass(frozen=True)
class Mark:
    """A span of text to mark: kind is a key of KINDS; id (unique on the page) and title go on its element."""

    start: int
    end: int
    kind: str = "mark"
    id: str = ""
    title: str = ""


def raw_to_clean(offsets: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """Map a raw-text span to the cleaned text, given offsets[i] = raw position of cleaned char i."""
    return bisect_left(offsets, start), bisect_left(offsets, end)


def _open(mark: Mark, first: bool) -> str:
    tag, style = KINDS.get(mark.kind, KINDS["mark"])
    attrs = []
    if mark.id and first:  # a span split around another keeps its id on its first piece only: ids stay unique
        attrs.append(f'id="{escape_html(mark.id)}"')
    if mark.title:
        attrs.append(f'title="{escape_html(mark.title)}"')
    if style:
        attrs.append(f'style="{style}"')
    return f"<{tag}{' ' if attrs else ''}{' '.join(attrs)}>"


def render_marked(text: str, marks: list[Mark]) -> str:
    """text HTML-escaped in one <div> that keeps its line breaks, each mark wrapped in its element.

    Marks may nest or overlap: at every boundary the elements that end are closed and those that go on are
    reopened, so each element opens and closes inside the block and the HTML is well formed.
    """
    spans = []
    for i, m in enumerate(marks):
        start, end = max(0, m.start), min(len(text), m.end)
        if end > start:
            spans.append((start, end, m, i))
    # Outer first: earlier start, then longer, then by kind, then in the order given.
    spans.sort(key=lambda s: (s[0], -s[1], KIND_ORDER.get(s[2].kind, 9), s[3]))
    points = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[str] = []
    stack: list[tuple] = []
    opened: set[int] = set()
    pending = list(spans)  # sorted by start: spans move into `live` as the sweep reaches them
    live: list[tuple] = []
    for a, b in zip(points, points[1:]):
        while pending and pending[0][0] <= a:
            live.append(pending.pop(0))
        live = [s for s in live if s[1] > a]
        active = [s for s in live if s[0] <= a and s[1] >= b]
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        for s in reversed(stack[keep:]):
            out.append(f"</{KINDS.get(s[2].kind, KINDS['mark'])[0]}>")
        stack = stack[:keep]
        for s in active[keep:]:
            out.append(_open(s[2], s[3] not in opened))
            opened.add(s[3])
            stack.append(s)
        out.append(escape_html(text[a:b]))
    for s in reversed(stack):
        out.append(f"</{KINDS.get(s[2].kind, KINDS['mark'])[0]}>")
    return f'<div class="reply-text" style="{BLOCK_STYLE}">' + "".join(out) + "</div>"


def merge_overlaps(marks: list[Mark]) -> list[Mark]:
    """Marks of one kind that overlap become one, their titles joined: several facts in one sentence."""
    merged: list[Mark] = []
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        if merged and m.start < merged[-1].end and m.kind == merged[-1].kind:
            last = merged[-1]
            title = last.title if not m.title or m.title in last.title.split("\n") else f"{last.title}\n{m.title}"
            merged[-1] = Mark(last.start, max(last.end, m.end), last.kind, last.id, title)
        elif m.end > m.start:
            merged.append(m)
    return merged


def highlight(text: str, spans: list[tuple[int, int, str]], tag: str = "mark") -> str:
    """text with each (start, end, title) marked as tag ("mark" or "del"); overlaps merge into one mark."""
    return render_marked(text, merge_overlaps([Mark(s, e, tag, "", title) for s, e, title in spans]))


def removal_marks(raw: str, offsets: tuple[int, ...], repairs) -> list[Mark]:
    """Marks on the raw text: <del> on every run of characters cleaning removed, and only on those.

    A character is removed when no cleaned character comes from it (offsets); a repair that replaced text
    (traditional to simplified characters) keeps its characters, marked as changed. Titles name the repairs.
    """
    kept = bytearray(len(raw))
    for pos in offsets:
        if 0 <= pos < len(raw):
            kept[pos] = 1
    repairs = sorted(repairs, key=lambda r: (r.raw_start, r.raw_end))

    def title_of(start: int, end: int) -> str:
        reasons = dict.fromkeys(f"{r.kind}: {r.reason}" for r in repairs if r.raw_start < end and r.raw_end > start)
        return "\n".join(reasons)

    marks: list[Mark] = []
    pos = 0
    while pos < len(raw):
        if kept[pos]:
            pos += 1
            continue
        end = pos
        while end < len(raw) and not kept[end]:
            end += 1
        marks.append(Mark(pos, end, "del", "", title_of(pos, end)))
        pos = end
    for r in repairs:
        if r.replacement:
            start, end = max(0, r.raw_start), min(len(raw), r.raw_end)
            if end > start and all(kept[start:end]):
                marks.append(Mark(start, end, "changed", "", f"{r.kind}: {r.removed} → {r.replacement}\n{r.reason}"))
    return marks


def struck_length(rendered: str) -> int:
    """Characters of text inside <del> elements of render_marked's output (entities count as one)."""
    depth, total = 0, 0
    for token in re.findall(r"<[^>]+>|[^<]+", rendered):
        if token.startswith("</del"):
            depth -= 1
        elif token.startswith("<del"):
            depth += 1
        elif not token.startswith("<") and depth > 0:
            total += len(html.unescape(token))
    return total
