"""Every page on hostile input: markup in replies, curation files and file names shown as text; hand-edited and
broken tables named in one message, never a crash, a traceback or a server path; raw files that are not files."""

import json
import os
import re
import shutil
import string
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app import data as app_data
from app.safe import WORD_JOINER, escape_text
from conftest import ROOT
from loaders.__main__ import main as loaders_main

PAGES = ["overview", "density", "trends", "funding", "measures", "compare", "sources", "data", "present"]

# ---- markup from outside ----------------------------------------------------------------------------------

# A file name, a reply and a curation file full of Markdown, LaTeX, Streamlit directives and HTML.
HOSTILE_ID = "jiaxing-2024 [x](javascript:alert(1)) **b** $y$ :red[r]"
HOSTILE_REPLY = (
    "王五代表:\n\n您提出的《关于[链接](https://evil.example/a)支持社会组织的建议》收悉。现答复如下:\n\n"
    "# 标题\n\n"
    "目前,全市共有社会组织<img src=x onerror=alert(1)>3424家,其中**粗体**社区社会组织达到200个。\n\n"
    "$$\\color{red}{RED}$$ 全市每万人拥有社会组织7.5个。\n\n"
    "![图](https://evil.example/i.png) :red[红字] :smile: :material/warning: <script>alert(1)</script> "
    "[x](//evil.example) https://evil.example/auto 市财政安排福彩公益金500万元用于扶持社会组织发展。\n\n"
    "下一步,我们将加大政府购买服务力度 $x^2$ ,培育发展社区社会组织。\n\n"
    "嘉兴市民政局\n2024年1月2日\n"
)
HOSTILE_NAME_ZH = "嘉兴[链接](https://evil.example/n) **粗** $$\\color{red}{X}$$ :red[红]"
HOSTILE_NAME_EN = "Jiaxing [link](//evil.example) **b** :red[r] $x$ :smile:"
HOSTILE_CURATION = {
    "record_id": HOSTILE_ID,
    "jurisdiction": {"name_zh": HOSTILE_NAME_ZH, "name_en": HOSTILE_NAME_EN},
    "document": {"issuer": "嘉兴市民政局![i](https://evil.example/i.png)",
                 "reference_number": "嘉民〔2024〕1号 <img src=x onerror=alert(1)>"},
    "correct_facts": {"c327": {"label": "福彩[l](https://evil.example) :red[x]", "scope_kind": "sub_area",
                               "scope_area": "南湖区 **b** $z$", "period_kind": "since",
                               "period_text": "2020年 [p](//evil.example)",
                               "note": "=HYPERLINK(\"http://evil.example\") \t@SUM(A1)"}},
    "reviewer_notes": ["**r** [x](https://evil.example)"],
}
# What must never reach Streamlit's Markdown unescaped: each renders as a link, image, bold, math, colour, emoji
# or icon there.
MARKUP_PAYLOADS = [
    "[链接](https://evil.example/a)", "[x](//evil.example)", "![图](https://evil.example/i.png)",
    "$$\\color{red}{RED}$$", "$x^2$", "**粗体**", ":red[红字]", ":smile:", ":material/warning:",
    "[x](javascript:alert(1))", "[link](//evil.example)", "https://evil.example/auto", "# 标题",
    "[链接](https://evil.example/n)", "$$\\color{red}{X}$$", ":red[红]", "![i](https://evil.example/i.png)",
    "[l](https://evil.example)", "**b** $z$", "[p](//evil.example)",
]
# Constructs that would be markup whatever text surrounds them (an unescaped opener).
MARKUP_SIGNS = [r"(?<!\\)\]\((?:https?:|//|javascript:)", r"(?<!\\)!\[", r"(?<!\\)\$\$", r"(?<!\\)\$x\^2",
                r"(?<!\\):red\[", r"(?<!\\)\*\*(?:粗|b\b)", r"(?<!\\):smile:", r"(?<!\\):material/"]
# Found in the text after parsing (escapes resolved), so made into links whatever their escapes: GFM autolinks.
AUTOLINK_SIGNS = r"(?i)https?://|www\.|[\w.+-]@[\w-]+\."
HTML_SIGNS = ["<script", "<img", "<a ", "<iframe"]


def unescaped(payload: str) -> re.Pattern:
    """payload as it would stand in Markdown with none of its punctuation escaped."""
    parts = [(r"(?<!\\)" + re.escape(c)) if c in string.punctuation else re.escape(c) for c in payload]
    return re.compile("".join(parts))


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    return make_hostile_data(tmp_path_factory.mktemp("hostile_markup") / "data")


def make_hostile_data(folder: Path) -> Path:
    """A built copy of data/ in folder, holding the hostile reply, its curation file and its file name
    (the browser test of the same markup uses it too)."""
    shutil.copytree(ROOT / "data", folder)
    (folder / "raw" / f"{HOSTILE_ID}.txt").write_text(HOSTILE_REPLY, encoding="utf-8")
    (folder / "curation" / f"{HOSTILE_ID}.yaml").write_text(yaml.safe_dump(HOSTILE_CURATION, allow_unicode=True),
                                                          encoding="utf-8")
    assert loaders_main(["--data", str(folder), "build", "--quiet"]) == 0
    return folder


def run_page(name: str, data_dir: Path, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def markdown_bodies(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit reads as Markdown."""
    bodies = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "title",
                                        "subheader", "header") for e in getattr(at, kind)
              if not getattr(e.proto, "allow_html", False)]
    bodies += [m.label for m in at.metric] + [m.proto.help for m in at.metric] + [str(m.value) for m in at.metric]
    bodies += [e.label for e in at.expander] + [t.label for t in at.tabs]
    for radio in at.radio:
        bodies += [radio.label, *map(str, radio.options)]
    bodies += [w.label for kind in ("selectbox", "multiselect", "toggle", "checkbox") for w in getattr(at, kind)]
    for table in at.table:
        frame = table.value
        bodies += [str(v) for v in frame.to_numpy().ravel()] + [str(c) for c in frame.columns]
        bodies += [str(i) for i in frame.index] + [str(frame.index.name)]
    return bodies


def html_bodies(at: AppTest) -> list[str]:
    bodies = [m.value for m in at.markdown if getattr(m.proto, "allow_html", False)]
    return bodies + [h.proto.body for h in at.get("html")]


def plot_strings(at: AppTest) -> list[str]:
    """Every string in the page's Plotly figures (Plotly reads its own HTML subset in all of them)."""
    from tests.hostile_tables import figure_strings

    return [text for chart in at.get("plotly_chart") for text in figure_strings(chart.proto.spec)]


# Our own tags on the Sources page (pages/sources.py): the facts list links to the number marks (#f-<fact id>).
OWN_TAGS = re.compile(r'<a href="#f-c\d+"(?: aria-current="true" style="[^"<>]*")?>|</a>')


def without_own_tags(body: str) -> str:
    return OWN_TAGS.sub("", body)


def markup_found(at: AppTest) -> list[str]:
    """Every payload or sign of markup the page would render; [] when all outside text is text."""
    found = []
    for body in markdown_bodies(at):
        found += [f"markdown {p!r} in {body[:80]!r}" for p in MARKUP_PAYLOADS if unescaped(p).search(body)]
        found += [f"markdown /{s}/ in {body[:80]!r}" for s in MARKUP_SIGNS if re.search(s, body)]
        found += [f"html {s!r} in {body[:80]!r}" for s in HTML_SIGNS[:3] if re.search(r"(?<!\\)" + re.escape(s), body)]
        if re.search(AUTOLINK_SIGNS, re.sub(r"\\(.)", r"\1", body)):
            found.append(f"autolink in {body[:80]!r}")
    # HTML we send (st.html, Plotly's labels): the reply's tags arrive as &lt;...&gt; text, never as tags.
    # The presenter's own keyboard script is a <script> of ours: the reply's is the one that says alert.
    for body in html_bodies(at) + plot_strings(at):
        body = without_own_tags(body)
        found += [f"html {s!r} in {body[:80]!r}" for s in ["<script>alert", *HTML_SIGNS[1:]] if s in body]
    return found


def test_escape_text_makes_every_payload_plain():
    for payload in MARKUP_PAYLOADS:
        out = escape_text(payload)
        assert not unescaped(payload).search(out) and not any(re.search(s, out) for s in MARKUP_SIGNS), payload
        assert re.sub(r"\\(.)", r"\1", out).replace(WORD_JOINER, "") == payload  # and shows every character
    assert escape_text("a\n\n# b") == "a \\# b"  # a blank line cannot start a block of its own
    assert escape_text(":smile:") == "\\:\u2060smile\\:\u2060"
    assert escape_text("www.e.cn a@b.cn") == "www\u2060\\.e\\.cn a\\@\u2060b\\.cn"
    for payload in MARKUP_PAYLOADS + ["www.evil.example", "x@evil.example"]:
        assert not re.search(AUTOLINK_SIGNS, re.sub(r"\\(.)", r"\1", escape_text(payload))), payload
    assert escape_text("a -> b") == "a \\-\u2060\\> b"


RLO, PDF, LRI, RLI, PDI = "\u202e", "\u202c", "\u2066", "\u2067", "\u2069"


def test_a_value_keeps_its_bidirectional_controls_to_itself():
    """A place name ending in U+202E (RIGHT-TO-LEFT OVERRIDE) reversed everything after it on its line: the
    presenter's 14.95 read 59.41. Every escape, and every table as it is read, closes what the value opens."""
    from app.safe import close_bidi, code_span, escape_html, escape_plot, office_text

    assert close_bidi("衢州市" + RLO) == "衢州市" + RLO + PDF
    assert close_bidi("a" + RLI + "b\u202ac") == "a" + RLI + "b\u202ac" + PDF + PDI  # innermost first
    for balanced in ("a" + RLO + "b" + PDF + "c", LRI + RLO + "x" + PDI, PDF + "stray" + PDI, "衢州市", ""):
        assert close_bidi(balanced) == balanced
    for escape in (escape_text, escape_html, escape_plot, office_text):
        assert escape("Quzhou" + RLO).endswith(RLO + PDF), escape
    assert code_span("sha" + RLO) == "`sha" + RLO + PDF + "`"


def test_a_facts_link_finds_its_mark_whatever_its_id_holds():
    """The Sources page's list links to each number's mark by its id: both are HTML through one function, so an id
    holding an open override (a hand-edited table) is written the same in the link and in the mark."""
    from app.evidence import facts_list_html
    from app.highlight import Mark, render_marked

    fid = "c12" + RLO + '"><b>x'
    marked = render_marked("3424家", [Mark(0, 4, "number", "f-" + fid, "t")])
    listed = facts_list_html([{"id": fid}], {fid: "社会组织"}, None, "zh", "事实")
    anchor = re.search(r'id="([^"]*)"', marked).group(1)
    assert f'href="#{anchor}"' in listed and anchor.endswith("x" + PDF) and "<b>x" not in marked + listed


def test_tables_are_read_with_each_cells_controls_closed(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("records"))
    path = folder / "tables" / "documents.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",衢州市,Quzhou,", f",衢州市{RLO},Quzhou{LRI},", 1),
                    encoding="utf-8")
    docs = app_data.read_tables(folder)["documents"].set_index("record_id")
    assert docs.at["quzhou-2023", "name_zh"] == "衢州市" + RLO + PDF
    assert docs.at["quzhou-2023", "name_en"] == "Quzhou" + LRI + PDI
    assert docs.at["leshan-2021", "name_zh"] == "乐山市"  # the others as they were


HOSTILE_QUERIES = {
    "overview": {"j": "jiaxing,quzhou"}, "density": {"j": "jiaxing,quzhou"}, "trends": {"j": "jiaxing,quzhou"}, "funding": {"j": "jiaxing,quzhou"},
    "measures": {"j": "jiaxing,quzhou"}, "compare": {"a": "jiaxing", "b": "quzhou"},
    "sources": {"j": "jiaxing", "r": HOSTILE_ID}, "data": {"j": "jiaxing"}, "present": {"j": "jiaxing,quzhou"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_outside_markup_is_shown_as_text_on_every_page(hostile_data, monkeypatch, name, lang):
    at = run_page(name, hostile_data, monkeypatch, lang=lang, **HOSTILE_QUERIES[name])
    assert not at.exception, at.exception
    assert markup_found(at) == []
    shown = "\n".join(markdown_bodies(at))
    if name in ("overview", "compare", "sources"):  # the name (or the file name) is on the page, as text
        assert escape_text(HOSTILE_NAME_ZH if lang == "zh" else HOSTILE_NAME_EN) in shown or escape_text(HOSTILE_ID) in shown


def test_measures_and_compare_show_reply_sentences_as_text(hostile_data, monkeypatch):
    at = run_page("compare", hostile_data, monkeypatch, a="jiaxing", b="quzhou")
    shown = "\n".join(markdown_bodies(at))
    assert escape_text("$$\\color{red}{RED}$$ 全市每万人拥有社会组织7.5个。") in shown
    at = run_page("measures", hostile_data, monkeypatch, j="jiaxing")
    assert markup_found(at) == [] and escape_text(":red[红字]") in "\n".join(markdown_bodies(at))


def test_hostile_reply_on_the_sources_page_is_escaped_html(hostile_data, monkeypatch):
    at = run_page("sources", hostile_data, monkeypatch, j="jiaxing", r=HOSTILE_ID)
    # Every html element but the page's own narrow-screen CSS (app/layout.py NARROW_CSS, a <style> of ours).
    html = "\n".join(h.proto.body for h in at.get("html") if not h.proto.body.lstrip().startswith("<style"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<img" not in html
    # Markdown is never applied: the syntax stays as typed, after blank lines too.
    for typed in ("# 标题", "**粗体**", "[x](//evil.example)", "$$\\color{red}{RED}$$", "$x^2$", ":red[红字]"):
        assert typed in html, typed
    assert not re.search(r"<(?!/?(?:div|mark|del|span|nav|ol|li)\b)", without_own_tags(html))  # only our own tags
    # The file name is text too, in the origin list.
    assert escape_text(f"data/raw/{HOSTILE_ID}.txt") in "\n".join(markdown_bodies(at))


# ---- tables edited by hand ---------------------------------------------------------------------------------


def _rows(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _edit_csv(name: str, change):
    """A variant: table name's text changed by change(text) -> text (or bytes)."""
    def apply(folder: Path):
        path = folder / "tables" / f"{name}.csv"
        out = change(path.read_text(encoding="utf-8"))
        path.write_bytes(out if isinstance(out, bytes) else out.encode("utf-8"))
    return apply


def _set_cell(column: str, value: str, row: int = 1):
    """Change one cell (row 1 = first data row), by rewriting the table with the csv module."""
    import csv
    import io

    def change(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        rows[row][rows[0].index(column)] = value
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return buf.getvalue()
    return change


def _drop_column(column: str):
    import csv
    import io

    def change(text: str) -> str:
        rows = list(csv.reader(io.StringIO(text)))
        i = rows[0].index(column)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
        return buf.getvalue()
    return change


def _replace_file(name: str, make):
    def apply(folder: Path):
        path = folder / "tables" / f"{name}.csv"
        path.unlink()
        make(path)
    return apply


def _raw(make):
    """A variant of the raw reply of quzhou-2023 (the Sources page reads it)."""
    def apply(folder: Path):
        path = folder / "raw" / "quzhou-2023.txt"
        path.unlink()
        make(path)
    return apply


# (id, how to break the data, the file the message must name or None when every page must simply work)
VARIANTS = [
    ("facts_missing_column", _edit_csv("facts", _drop_column("value")), "facts.csv"),
    ("facts_extra_column", _edit_csv("facts", lambda t: t.replace("\n", ",x\n").replace(",note,x\n", ",note,extra\n", 1)), None),
    ("facts_stray_quote", _edit_csv("facts", lambda t: t.replace(",exact,", ',"exact,', 1)), "facts.csv"),
    ("facts_text_in_value", _edit_csv("facts", _set_cell("value", "很多")), "facts.csv"),
    ("facts_text_in_quote_start", _edit_csv("facts", _set_cell("quote_start", "12a")), "facts.csv"),
    ("facts_fraction_in_quote_end", _edit_csv("facts", _set_cell("quote_end", "1.5")), "facts.csv"),
    ("facts_empty_quote_start", _edit_csv("facts", _set_cell("quote_start", "")), "facts.csv"),
    ("facts_unknown_qualifier", _edit_csv("facts", _set_cell("qualifier", "roughly")), "facts.csv"),
    ("facts_infinite_value", _edit_csv("facts", _set_cell("value", "inf")), "facts.csv"),
    ("facts_empty_file", _edit_csv("facts", lambda t: ""), "facts.csv"),
    ("facts_header_only", _edit_csv("facts", lambda t: _rows(t)[0]), None),
    ("facts_duplicate_id", _edit_csv("facts", lambda t: t + _rows(t)[1]), "facts.csv"),
    ("facts_too_many_fields", _edit_csv("facts", lambda t: "".join(
        r.replace("\n", ",,\n") if i == 3 else r for i, r in enumerate(_rows(t)))), "facts.csv"),
    ("facts_empty_column_name", _edit_csv("facts", lambda t: t.replace(",is_reviewed\n", ",\n", 1)), "facts.csv"),
    ("facts_utf16", _edit_csv("facts", lambda t: t.encode("utf-16")), "facts.csv"),
    ("facts_gbk", _edit_csv("facts", lambda t: t.encode("gbk")), "facts.csv"),
    ("facts_bom", _edit_csv("facts", lambda t: t.encode("utf-8-sig")), None),
    ("facts_crlf", _edit_csv("facts", lambda t: t.replace("\n", "\r\n")), None),
    ("facts_nul_bytes", _edit_csv("facts", lambda t: t[:500] + "\x00" + t[500:]), "facts.csv"),
    ("facts_huge_row", _edit_csv("facts", _set_cell("quote_clean", "很长" * 1_000_000)), None),
    ("facts_binary", _edit_csv("facts", lambda t: b"\x00\x01\x02garbage\xff\xfe"), "facts.csv"),
    ("facts_fifo", _replace_file("facts", lambda p: os.mkfifo(p)), "facts.csv"),
    ("facts_link_to_dev_zero", _replace_file("facts", lambda p: p.symlink_to("/dev/zero")), "facts.csv"),
    ("facts_folder", _replace_file("facts", lambda p: p.mkdir()), "facts.csv"),
    ("facts_missing", _replace_file("facts", lambda p: None), "facts.csv"),
    ("documents_missing_column", _edit_csv("documents", _drop_column("jurisdiction")), "documents.csv"),
    ("documents_duplicate_id", _edit_csv("documents", lambda t: t + _rows(t)[1]), "documents.csv"),
    ("documents_text_in_count", _edit_csv("documents", _set_cell("fact_count", "twelve")), "documents.csv"),
    ("documents_header_only", _edit_csv("documents", lambda t: _rows(t)[0]), None),
    ("documents_empty_file", _edit_csv("documents", lambda t: "\n\n"), "documents.csv"),
    ("density_text_in_number", _edit_csv("density", _set_cell("computed_per_10k", "n/a")), "density.csv"),
    ("density_bad_boolean", _edit_csv("density", _set_cell("is_reproducible", "maybe")), "density.csv"),
    ("density_missing", _replace_file("density", lambda p: None), "density.csv"),
    ("measures_stray_quote", _edit_csv("measures", lambda t: t.replace(",supply,", ',"supply,', 1)), "measures.csv"),
    ("measures_unknown_type", _edit_csv("measures", _set_cell("instrument_type", "magic")), "measures.csv"),
    ("national_text_in_year", _edit_csv("national", _set_cell("year", "2020年")), "national.csv"),
    ("national_bad_boolean", _edit_csv("national", _set_cell("is_derived", "yes")), "national.csv"),
    ("population_text_in_number", _edit_csv("population", _set_cell("population_persons", "约200万")), "population.csv"),
    ("terms_missing_column", _edit_csv("distinctive_terms", _drop_column("rank")), "distinctive_terms.csv"),
    ("raw_fifo", _raw(lambda p: os.mkfifo(p)), None),
    ("raw_link_to_dev_zero", _raw(lambda p: p.symlink_to("/dev/zero")), None),
    ("raw_utf16_garbage", _raw(lambda p: p.write_bytes(b"\xff\xfe\x00\xd8garbage")), None),
]
SERVER_PATHS = re.compile(r"/(?:work|tmp|home|root|usr)/|site-packages|\.venv")


def shown_text(markdown: str) -> str:
    """What escaped Markdown shows: backslash escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace(WORD_JOINER, "")


def every_text(at: AppTest) -> str:
    """Everything the page sends as text: Markdown, HTML, table cells, options, figures, exceptions."""
    parts = markdown_bodies(at) + html_bodies(at) + plot_strings(at)
    for frame in at.dataframe:
        parts += [str(v) for v in frame.value.to_numpy().ravel()] + [str(c) for c in frame.value.columns]
    parts += [str(o) for w in at.selectbox for o in w.options] + [str(o) for w in at.multiselect for o in w.options]
    parts += [f"{e.value} {e.stack_trace}" for e in at.exception]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def variant_dirs(tmp_path_factory):
    """One copy of the data per variant, made once for all pages."""
    made = {}
    for ident, apply, _ in VARIANTS:
        folder = tmp_path_factory.mktemp(ident) / "data"
        shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("records"))
        apply(folder)
        made[ident] = folder
    return made


# The tables each page stops without (its layout.require call).
NEEDS = {"overview": {"documents", "facts", "density"}, "density": {"documents", "density"},
         "funding": {"documents", "facts"}, "measures": {"documents", "measures"}, "compare": {"documents", "facts"},
         "sources": {"documents", "facts"}, "data": {"documents", "facts"}, "present": {"documents", "facts", "density"},
         "trends": {"documents", "facts"}}


# Every page reads the tables through one loader (app/data.py) and stops by one rule (layout.require, NEEDS below):
# these variants, one of each kind of damage, are walked over every page; every other variant over two pages, the
# first that stops without its table and the first that does not need it (the same rule on every other page).
EVERY_PAGE = ("facts_stray_quote", "facts_fifo", "documents_duplicate_id", "density_missing", "measures_unknown_type",
              "facts_huge_row", "raw_fifo")


def _pages_for(ident: str, expected: str | None) -> list[str]:
    if ident in EVERY_PAGE or expected is None:
        return PAGES if ident in EVERY_PAGE else PAGES[:2]
    table = expected.removesuffix(".csv")
    stops = [p for p in PAGES if table in NEEDS[p]]
    works = [p for p in PAGES if table not in NEEDS[p]]
    return stops[:1] + works[:1]


@pytest.mark.parametrize("ident,expected,name", [(v[0], v[2], page) for v in VARIANTS for page in _pages_for(v[0], v[2])],
                         ids=[f"{v[0]}-{page}" for v in VARIANTS for page in _pages_for(v[0], v[2])])
def test_hand_edited_tables_end_in_one_message_on_every_page(variant_dirs, monkeypatch, ident, expected, name):
    at = run_page(name, variant_dirs[ident], monkeypatch, r="quzhou-2023")
    assert not at.exception, f"{ident} on {name}: {at.exception}"
    text = every_text(at)
    assert "Traceback" not in text and not SERVER_PATHS.search(text), text[:2000]
    messages = [e.value for e in at.error] + [w.value for w in at.warning]
    if expected is None:
        assert not at.error, (ident, name, messages)
        return
    naming = [m for m in messages if expected in m]
    assert len(naming) == 1, (ident, name, messages)  # one message, naming the table
    assert "python -m loaders build" in naming[0]
    if expected.removesuffix(".csv") in NEEDS[name]:
        assert not at.title, (ident, name)  # the page stops at the message
    else:
        assert at.title and not at.error, (ident, name, messages)  # a page that does not need the table still works



def test_a_broken_table_says_how_in_one_line(variant_dirs, monkeypatch):
    cases = {
        "facts_text_in_value": "`data/tables/facts.csv`: column value holds text, not a number: '很多' in row 2 (rebuild",
        "facts_stray_quote": "`data/tables/facts.csv`: column qualifier holds an unknown code: "
                             "'exact,achievement,as_of,,2022-06-30,,who…' in row 2; a stray \" may have joined the cells",
        "facts_utf16": "`data/tables/facts.csv`: holds NUL bytes (saved as UTF-16, or not a text file)",
        "facts_gbk": "`data/tables/facts.csv`: is not UTF-8 text (byte 0x",
        "facts_fifo": "`data/tables/facts.csv`: is a FIFO (named pipe), not a regular file",
        "facts_link_to_dev_zero": "`data/tables/facts.csv`: is a symbolic link, not a regular file",
        "facts_duplicate_id": "`data/tables/facts.csv`: record_id and id 'ganzhou-2022 / c402' appears twice (again in row",
        "facts_unknown_qualifier": "`data/tables/facts.csv`: column qualifier holds an unknown code: 'roughly' in row 2 (",
        "documents_missing_column": "`data/tables/documents.csv`: column jurisdiction missing (rebuild with `python -m loaders build`)",
        "facts_too_many_fields": "`data/tables/facts.csv`: row 4 has 32 fields where the header has 30",
        "facts_empty_column_name": "`data/tables/facts.csv`: column is_reviewed missing",
    }
    for ident, expected in cases.items():
        at = run_page("overview", variant_dirs[ident], monkeypatch)
        message = shown_text(" ".join(e.value for e in at.error))
        assert expected in message, (ident, message)


def test_the_sources_page_names_a_raw_file_that_is_not_a_file(variant_dirs, monkeypatch):
    for ident, problem in (("raw_fifo", "is a FIFO"), ("raw_link_to_dev_zero", "is a symbolic link")):
        at = run_page("sources", variant_dirs[ident], monkeypatch, r="quzhou-2023")
        warning = shown_text(" ".join(w.value for w in at.warning))
        assert "data/raw/quzhou-2023.txt" in warning and problem in warning, warning


def test_a_table_larger_than_the_limit_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("records"))
    monkeypatch.setattr(app_data, "MAX_TABLE_BYTES", 1000)
    tables = app_data.read_tables(folder)
    assert "larger than" in tables["problems"]["facts"].problem and tables["facts"] is None


def test_downloads_of_a_hostile_curation_cannot_run_formulas(hostile_data):
    import csv
    import io

    import openpyxl

    from app.export import FORMULA_START, to_csv, to_json, to_xlsx_with_sources

    tables = app_data.read_tables(hostile_data)
    for name in ("facts", "documents", "measures"):
        frame = tables[name]
        cells = [c for row in csv.reader(io.StringIO(to_csv(frame).decode("utf-8-sig"))) for c in row]
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx_with_sources(frame, tables["documents"], {})))
        cells += [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        cells += [v for row in json.loads(to_json(frame)) for v in row.values() if isinstance(v, str)]
        assert not [c for c in cells if c.startswith(FORMULA_START)], name
    note = tables["facts"].loc[tables["facts"]["id"] == "c327", "note"].iloc[0]
    shown = [c for row in csv.reader(io.StringIO(to_csv(tables["facts"]).decode("utf-8-sig"))) for c in row]
    assert note.startswith("=HYPERLINK") and "'" + note in shown
