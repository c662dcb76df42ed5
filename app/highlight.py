"""Escaped HTML with highlighted spans: reply text is always escaped, only our own tags are markup."""

from __future__ import annotations

import html
from bisect import bisect_left


def raw_to_clean(offsets: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """Map a raw-text span to the cleaned text, given offsets[i] = raw position of cleaned char i."""
    return bisect_left(offsets, start), bisect_left(offsets, end)


def highlight(text: str, spans: list[tuple[int, int, str]], tag: str = "mark") -> str:
    """text with each (start, end, title) wrapped in <tag title=...>; overlaps merge into the earlier span."""
    merged: list[list] = []
    for start, end, title in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = f"{merged[-1][2]}\n{title}" if title and title not in merged[-1][2] else merged[-1][2]
            continue
        merged.append([start, end, title])
    out, pos = [], 0
    for start, end, title in merged:
        out.append(html.escape(text[pos:start]))
        out.append(f'<{tag} title="{html.escape(title, quote=True)}">{html.escape(text[start:end])}</{tag}>')
        pos = end
    out.append(html.escape(text[pos:]))
    return '<div style="white-space: pre-wrap; line-height: 1.7">' + "".join(out) + "</div>"
