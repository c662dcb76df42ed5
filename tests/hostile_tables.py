"""Hostile strings in every text field of every table, and the checks that find markup made from them.

poison_tables(folder) rewrites a built data folder's tables as a person editing them by hand (or the workbench) could:
every text cell of documents, facts, measures, density, population, national and distinctive_terms gets PAYLOAD after
its own text, and every id (record, place, fact, measure) gets KEY_PAYLOAD, the same in every table, with the raw
replies and records renamed to match. Codes the loader checks (indicator, unit, qualifier, ...) keep their values, so
every chart and slide is still drawn, now from hostile names, periods, areas, labels, titles and quotes.

Each construct in PAYLOAD renders, where a renderer reads it as markup, to an element whose whole text is its own
marker word (evillink, evilbold, ...), a word no string of ours holds: the checks look for such elements (the browser's
DOM) or for the construct left unescaped (the Markdown, Plotly and PPTX text the dashboard produces).
"""

from __future__ import annotations

import csv
import io
import os
import re
import string
from pathlib import Path

# ---- what the data holds --------------------------------------------------------------------------------------------

# Markdown and Streamlit's own rewriting: links, autolinks, images, icons, emoji, colours, math, emphasis, code, HTML.
MARKDOWN_CONSTRUCTS = [
    "[evillink](https://evil.example/a)", "[eviljs](javascript:alert(1))", "![evilimg](https://evil.example/i.png)",
    ":material/bug_report:", ":smile:", ":rocket:", ":red[evilred]", ":blue-background[evilbg]",
    ":orange-badge[evilbadge]", "$evilmath$", "$$evilblock$$", "**evilbold**", "_evilit_", "~~evildel~~",
    "`evilcode`", "<b>evilhtml</b>", '<a href="https://evil.example/h">evila</a>', "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>", "evil -> arrow",
]
AUTOLINKS = ["https://evil.example/auto", "www.evil.example", "evil@evil.example"]
# Blocks: only at the start of a line, so after a line break of the data's own.
BLOCKS = ["# evilhead", "- evilitem", "> evilquote", "| evilcell | x |"]
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM
ISOLATES = "\u2066\u2067\u2068\u200e\u200f\u061c"  # isolates (LRI, RLI, FSI) and marks, left open
# Embeddings and overrides (LRE, RLE, LRO, RLO) left open at the very end of the cell: with nothing to stop it, an open
# RLO reverses whatever follows the value on its line (the takeaway's "14.95" read "59.41").
EMBEDDINGS = "\u202a\u202b\u202d\u202e"
# Every C0 control but NUL (a table holding NUL is refused whole: app/data.py), DEL, the C1 next line, the Unicode
# line and paragraph separators, and a noncharacter (valid UTF-8, but no XML can hold it).
CONTROLS = "".join(chr(c) for c in range(1, 32)) + "\x7f\x85\u2028\u2029\ufffe"
PAYLOAD = (" " + " ".join(MARKDOWN_CONSTRUCTS + AUTOLINKS) + "\n" + "\n".join(BLOCKS) + "\n"
           + INVISIBLE + ISOLATES + " " + CONTROLS + " end" + EMBEDDINGS)
# Ids become file names (data/raw/<record_id>.txt) and comma-separated lists in links (?j=a,b): no "/" and no ",".
KEY_CONSTRUCTS = ["[evilkey](javascript:alert(1))", ":smile:", "$evilkeymath$", ":red[evilkeyred]",
                  "**evilkeybold**", "<i>evilkeyi", "www.evil.example", "![evilkeyimg](k.png)"]
KEY_PAYLOAD = " " + " ".join(KEY_CONSTRUCTS) + " \u202e\u200b\x0c\x0b\x85"

# What the dashboard reads of a cell ending in PAYLOAD: the bidirectional embeddings and isolates it leaves open are
# closed after it (four PDF, three PDI: app/safe.py close_bidi), so that it reorders nothing that follows it.
CLOSERS = "\u202c" * 4 + "\u2069" * 3
# PAYLOAD as an XLSX cell or a slide's text holds it (XML 1.0 cannot hold most control characters): each C0 control
# but tab and line feed as its Control Picture (\f as ␌), the noncharacter as U+FFFD, a carriage return as a line
# feed.
PICTURES = {c: 0x2400 + c for c in range(32) if c not in (9, 10, 13)} | {13: 10, 0xFFFE: 0xFFFD}
PAYLOAD_IN_XML = PAYLOAD.translate(PICTURES)
assert "\x0c" not in PAYLOAD_IN_XML and "\u240c" in PAYLOAD_IN_XML and "\u2028" in PAYLOAD_IN_XML

# The element a renderer makes of each construct holds exactly this text.
MARKERS = sorted(set(re.findall(r"\bevil[a-z]+\b", " ".join(MARKDOWN_CONSTRUCTS + BLOCKS + KEY_CONSTRUCTS)))
                 - {"evil"})
ICONS = ["bug_report"]  # :material/bug_report:
EMOJI = ["😄", "🚀"]  # :smile:, :rocket:

IDS = ("record_id", "jurisdiction", "id", "fact_id", "reported_fact_id")
# Text columns that are codes the pages look up, where an unknown code shows as itself. Changing them would leave no
# chart to draw: each reply gets one more row per table whose codes are hostile (and published), beside its own.
CODES = {"facts": ("indicator", "unit", "level", "hold_reason"), "measures": ("category", "level"),
         "density": ("indicator",)}
TABLES = ("documents", "facts", "measures", "density", "population", "national", "distinctive_terms")


def poison_tables(folder: Path) -> dict[str, str]:
    """Every text field of every table of a built data folder made hostile (see the module's docstring); returns the
    old id -> new id of every record and place."""
    from loaders.table_read import TABLE_RULES

    renamed: dict[str, str] = {}
    for name in TABLES:
        path = folder / "tables" / f"{name}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        head, specs = rows[0], TABLE_RULES[name]["specs"]
        codes = CODES.get(name, ())
        if name == "facts":
            hold_back(head, rows)
        extra = coded_rows(head, rows, codes)
        for row in rows[1:]:
            for i, column in enumerate(head):
                if column in IDS and not (name == "population" and row[i] == "china"):
                    if row[i]:
                        renamed[row[i]] = row[i] + KEY_PAYLOAD
                        row[i] += KEY_PAYLOAD
                elif column in codes and any(row is r for r in extra):
                    row[i] += PAYLOAD
                elif column in codes or (column in specs and specs[column].kind != "key"):
                    continue  # numbers, booleans and codes the loader checks
                else:
                    row[i] += PAYLOAD
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    for sub, ext in (("raw", ".txt"), ("records", ".yaml")):
        for path in list((folder / sub).glob(f"*{ext}")):
            if path.stem in renamed:
                os.rename(path, os.path.join(path.parent, renamed[path.stem] + ext))
    return renamed


def coded_rows(head: list[str], rows: list[list[str]], codes: tuple[str, ...]) -> list[list[str]]:
    """A copy of each reply's first row appended to rows (its id made its own), whose codes poison_tables then makes
    hostile; the copies."""
    if not codes:
        return []
    col = {c: i for i, c in enumerate(head)}
    firsts = {row[col["record_id"]]: row for row in reversed(rows[1:])}
    extra = []
    for row in firsts.values():
        copy = list(row)
        if "id" in col:
            copy[col["id"]] += "-coded"
        for name in ("confidence", "is_reviewed"):  # published, as a reviewed fact
            if name in col:
                copy[col[name]] = {"confidence": "high", "is_reviewed": "True"}[name]
        extra.append(copy)
    rows.extend(extra)
    return extra


def hold_back(head: list[str], rows: list[list[str]]) -> None:
    """The last fact of each reply held back for review (low confidence, unreviewed), with a reason whose words
    (hold_words) are the data's: the Sources page lists it apart, with why in words."""
    col = {c: i for i, c in enumerate(head)}
    last = {row[col["record_id"]]: row for row in rows[1:]}
    for row in last.values():
        row[col["confidence"]], row[col["is_reviewed"]], row[col["hold_reason"]] = "low", "False", "unknown_verb"
        row[col["hold_words"]] = row[col["hold_words"]] or "培育"


def router_pages() -> list[str]:
    """The pages of the router (dashboard.py's PAGES), read from its source: a page added there is walked too."""
    import ast

    source = (Path(__file__).resolve().parent.parent / "dashboard.py").read_text(encoding="utf-8")
    found = next(node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", None) == "PAGES" for t in node.targets))
    return list(ast.literal_eval(found))


# ---- finding markup made from the data --------------------------------------------------------------------------


def unescaped(construct: str) -> re.Pattern:
    """construct as it would stand in Markdown with none of its punctuation escaped."""
    parts = [(r"(?<!\\)" + re.escape(c)) if c in string.punctuation else re.escape(c) for c in construct]
    return re.compile("".join(parts))


# Our own links: the Sources and measures pages' permalinks, their query URL-encoded (deck.evidence_link,
# fmt.permalink), so a hostile id in them is a link's address, never its text or a second link.
OWN_LINK = re.compile(r"\]\(/(?:sources|measures)\?[^()\s]*\)")
CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp)://|\bwww\.|\bmailto:|[\w.+-]@[\w-]+\.\w")


def markdown_problems(body: str) -> list[str]:
    """Markup a Markdown body (what Streamlit renders with st.markdown, a caption, a label...) would make of the data:
    a construct of PAYLOAD or KEY_PAYLOAD left unescaped, or an autolink left in its text. [] when there is none."""
    body = OWN_LINK.sub("]", body)
    # A code span (safe.code_span: checksums, file names) shows its text verbatim; Streamlit still rewrites an icon
    # shortcode in it before parsing, so that is all a span's text is checked for.
    spans = [m.group(2) for m in CODE_SPAN.finditer(body)]
    body = CODE_SPAN.sub("", body)
    found = [f"icon in code span {x!r}" for x in spans if ":material/" in x]
    found += [f"{c!r} in {_around(body, m.start())!r}" for c in MARKDOWN_CONSTRUCTS + KEY_CONSTRUCTS + BLOCKS[:3]
             for m in unescaped(c).finditer(body)]
    # GFM autolinks and Streamlit's shortcodes are found in the text after escapes are resolved.
    text = re.sub(r"\\(.)", r"\1", body)
    found += [f"autolink {m.group(0)!r} in {_around(text, m.start())!r}" for m in AUTOLINK.finditer(text)]
    return found


def _around(text: str, at: int) -> str:
    return text[max(0, at - 60):at + 60]


# Plotly's own HTML subset: a data string's tags must arrive as &lt;...&gt; text.
PLOT_TAGS = re.compile(r"<(?:b|i|a|img|script|sup|sub|span|em|s)\b[^<>]*>evil|<a\s|<img|<script", re.I)


def plot_problems(strings: list[str]) -> list[str]:
    """Tags from the data in the strings of Plotly figures (texts, labels, ticks, hovers, titles, annotations)."""
    return [f"{m.group(0)!r} in {s[:120]!r}" for s in strings for m in PLOT_TAGS.finditer(s)]


def figure_strings(fig) -> list[str]:
    """Every string of a Plotly figure (its JSON)."""
    import json

    found: list[str] = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(fig if isinstance(fig, str) else fig.to_json()))
    return found


# The browser's view: every link, image, icon, emoji, formula or markup element made from the data, in the main area.
DOM_MARKUP_JS = """(markers) => {
  const main = document.querySelector('[data-testid="stApp"]');  // the page and its sidebar (place names in chips)
  const hits = [];
  // Our links: permalinks (/sources?r=…&f=…, /measures?mj=…), anchors within the page (headings, the facts list) and
  // the sidebar's navigation, all on this server. A link the data made would also hold its marker (evillink...).
  const own = (href) => {
    if (href.startsWith('#')) return true;
    const u = new URL(href, location.href);
    return u.origin === location.origin && /^\\/[a-z]*$/.test(u.pathname);
  };
  for (const a of main.querySelectorAll('a')) {
    const href = a.getAttribute('href') ?? a.getAttribute('xlink:href');
    if (href !== null && !own(href)) hits.push('link ' + href);
  }
  for (const i of main.querySelectorAll('img')) hits.push('img ' + i.getAttribute('src'));
  for (const i of main.querySelectorAll('image')) {
    const href = i.getAttribute('href') ?? i.getAttribute('xlink:href') ?? '';
    if (!href.startsWith('data:')) hits.push('svg image ' + href);
  }
  for (const s of main.querySelectorAll('script')) if (/alert/.test(s.textContent)) hits.push('script');
  for (const k of main.querySelectorAll('.katex, math')) hits.push('math ' + k.textContent.slice(0, 40));
  for (const i of main.querySelectorAll('[data-testid="stIconMaterial"]')) if (i.textContent.trim() === 'bug_report') hits.push('icon');
  for (const e of ['\\u{1F604}', '\\u{1F680}']) if (main.textContent.includes(e)) hits.push('emoji ' + e);
  const words = new Set(markers);
  for (const el of main.querySelectorAll('a, strong, b, em, i, del, s, code, pre, h1, h2, h3, h4, h5, h6, li, blockquote, td, th, span, tspan, mark, p')) {
    const text = el.textContent.trim();
    if (words.has(text)) hits.push(el.tagName.toLowerCase() + ' ' + text);
  }
  return hits;
}"""
