"""Outside strings (replies, curation files, file names) made inert before Streamlit or Plotly renders them.

Streamlit reads Markdown in st.markdown, st.caption, st.info/warning/error, st.metric, st.table cells, expander,
tab and widget labels and radio options (links, images, `$` math, `:red[...]` colours, `:smile:` emoji,
`:material/...:` icons, bare URLs, ` -> ` arrows); Plotly reads its own HTML subset (`<a href>`, `<b>`, `<br>`)
in every text, label and tick. Selectbox and multiselect options and st.dataframe cells are plain text: pass
them as they are, escaping there would show the backslashes. XLSX cells and PPTX text are XML 1.0, which cannot hold
most control characters (office_text). One function per context; every page, chart, slide and download calls it.
Each also closes the bidirectional overrides a value leaves open (close_bidi), as app/data.py does for every table.
"""

from __future__ import annotations

import html
import re
import string

# CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character starts no construct
# (emphasis, link, image, math, directive, autolink, heading, list, table cell, HTML).
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
# Streamlit also rewrites text that is already plain, after parsing, where an escaped character is itself again:
# `:name:` emoji, `:material/x:` icons, bare URLs and e-mail addresses (GFM autolink literals: https://…, www.…,
# a@b.cn) and the ` -> `, ` -- `, ` >= ` arrows and dashes. A word joiner (U+2060: invisible, not a \w) after
# every colon and @, inside www. and inside the arrows breaks each of those patterns.
WORD_JOINER = "\u2060"
_SHORTCODE = re.compile(r"([:@])")
_WWW = re.compile(r"(?i)\b(www)(?=\.)")
_SYMBOL = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
_NEWLINES = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


# Explicit bidirectional formatting: embeddings and overrides (LRE, RLE, LRO, RLO; PDF pops one) and isolates (LRI, RLI,
# FSI; PDI pops one). One left open runs on past the value into whatever follows it on the same line: a place name
# ending in U+202E showed the presenter's "14.95" as "59.41".
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_OPENS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
          "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}


def close_bidi(value) -> str:
    """value with every bidirectional embedding, override or isolate it opens closed at its end (PDF, PDI), so that it
    reorders nothing outside itself; every character of the value kept. Called on every text cell of a table as it
    is read (app/data.py) and by each escape below, so a name keeps its effects to itself wherever it is put."""
    text = "" if value is None else str(value)
    if not _BIDI.search(text):
        return text
    stack: list[str] = []
    for ch in _BIDI.findall(text):
        if ch in _OPENS:
            stack.append(_OPENS[ch])
        elif ch == "\u202c" and stack and stack[-1] == "\u202c":  # a PDF closes an embedding, never across an isolate
            stack.pop()
        elif ch == "\u2069" and "\u2069" in stack:  # a PDI closes its isolate and the embeddings opened inside it
            while stack.pop() != "\u2069":
                pass
    return text + "".join(reversed(stack))


def escape_text(value, *, inline: bool = True) -> str:
    """Any outside value as Markdown that Streamlit shows character for character, as text.

    inline (the default) turns line breaks into spaces, so a value inside a list item, a label or a table cell
    cannot end it and start a block (heading, list, code) of its own; a blank line in a reply would.
    """
    text = close_bidi(value).replace("\x00", "")
    if inline:
        text = _NEWLINES.sub(" ", text)
    text = _SYMBOL.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], text)
    text = _SHORTCODE.sub(r"\1" + WORD_JOINER, text)
    text = _WWW.sub(r"\1" + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# XML 1.0 (an XLSX cell, a PPTX run, a chart's category) holds no C0 control but tab, line feed and carriage return,
# and neither U+FFFE, U+FFFF nor a lone surrogate: openpyxl and lxml raise on them, python-pptx's chart data writes
# XML that cannot be read back. Each C0 control is shown as its Control Picture (U+2400 + code: \f as ␌, NUL as ␀),
# so a reader sees which character the cell held; the noncharacters and surrogates as U+FFFD. A carriage return is a
# line break, as XML's own end-of-line handling reads it (CR LF and a lone CR become LF): python-pptx writes one in a
# run as the text _x000D_ and a chart's XML reads it back as LF, so only LF is the same in every file.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _picture(match: re.Match) -> str:
    code = ord(match.group(0))
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def office_text(value) -> str:
    """Any outside value as the text of an XLSX cell or a PPTX run, label or category: every character XML 1.0 cannot
    hold replaced visibly (see _NOT_XML); tab and line feed kept, a carriage return read as a line feed."""
    text = close_bidi(value)
    return _NOT_XML.sub(_picture, text.replace("\r\n", "\n").replace("\r", "\n"))


def escape_html(value) -> str:
    """Any outside value as HTML text (and attribute value): st.html, unsafe_allow_html Markdown."""
    return html.escape(close_bidi(value), quote=True)


def escape_plot(value) -> str:
    """Any outside value as Plotly text: Plotly reads <a href>, <b>, <br> and entities in labels and ticks. Control
    characters, which a chart or a PNG slide would not show, become Control Pictures as in office_text (Plotly shows a
    tab, line feed or carriage return as a space)."""
    return _NOT_XML.sub(_picture, html.escape(close_bidi(value), quote=False))


def code_span(value) -> str:
    """An outside value as a Markdown code span (file names, checksums): shown verbatim, in monospace.

    Backslash escapes do not work inside a code span; a fence longer than any run of backticks in the value does,
    and Streamlit's own rewriting of `:material/` happens before parsing, so its colon gets a word joiner.
    """
    text = _NEWLINES.sub(" ", close_bidi(value)).replace("\x00", "")
    text = text.replace(":material/", ":" + WORD_JOINER + "material/")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
