"""Outside strings (replies, curation files, file names) made inert before Streamlit or Plotly renders them.

Streamlit reads Markdown in st.markdown, st.caption, st.info/warning/error, st.metric, st.table cells, expander,
tab and widget labels and radio options (links, images, `$` math, `:red[...]` colours, `:smile:` emoji,
`:material/...:` icons, bare URLs, ` -> ` arrows); Plotly reads its own HTML subset (`<a href>`, `<b>`, `<br>`)
in every text, label and tick. Selectbox and multiselect options and st.dataframe cells are plain text: pass
them as they are, escaping there would show the backslashes.
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


def escape_text(value, *, inline: bool = True) -> str:
    """Any outside value as Markdown that Streamlit shows character for character, as text.

    inline (the default) turns line breaks into spaces, so a value inside a list item, a label or a table cell
    cannot end it and start a block (heading, list, code) of its own; a blank line in a reply would.
    """
    text = "" if value is None else str(value)
    text = text.replace("\x00", "")
    if inline:
        text = _NEWLINES.sub(" ", text)
    text = _SYMBOL.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], text)
    text = _SHORTCODE.sub(r"\1" + WORD_JOINER, text)
    text = _WWW.sub(r"\1" + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_html(value) -> str:
    """Any outside value as HTML text (and attribute value): st.html, unsafe_allow_html Markdown."""
    return html.escape("" if value is None else str(value), quote=True)


def escape_plot(value) -> str:
    """Any outside value as Plotly text: Plotly reads <a href>, <b>, <br> and entities in labels and ticks."""
    return html.escape("" if value is None else str(value), quote=False)


def code_span(value) -> str:
    """An outside value as a Markdown code span (file names, checksums): shown verbatim, in monospace.

    Backslash escapes do not work inside a code span; a fence longer than any run of backticks in the value does,
    and Streamlit's own rewriting of `:material/` happens before parsing, so its colon gets a word joiner.
    """
    text = _NEWLINES.sub(" ", "" if value is None else str(value)).replace("\x00", "")
    text = text.replace(":material/", ":" + WORD_JOINER + "material/")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
