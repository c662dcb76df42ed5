"""Downloads and HTML highlighting: formula escaping, BOM, XLSX sources sheet, file names, escaped reply text,
struck-through text that is exactly what cleaning removed."""

import io
import json

import openpyxl
import pandas as pd

from app import export
from app.highlight import Mark, highlight, raw_to_clean, removal_marks, render_marked, struck_length
from conftest import ROOT
from loaders.clean import clean_text
from loaders.read import decode_reply


def test_formula_starts_are_escaped_in_text_cells_only():
    df = pd.DataFrame({"text": ["=1+1", "+86", "-x", "@SUM(A1)", "plain"], "value": [1, -2, 3, 4, 5]})
    out = export.escape_formulas(df)
    assert out["text"].tolist() == ["'=1+1", "'+86", "'-x", "'@SUM(A1)", "plain"]
    assert out["value"].tolist() == [1, -2, 3, 4, 5]


def test_tab_carriage_return_and_nul_starts_are_escaped_too():
    # OWASP: some importers drop a leading tab, CR or NUL and then read the formula after it.
    df = pd.DataFrame({"note": ["\t=1+1", "\r=cmd", "\x00@SUM(A1)", "a\t=b"], "=head": [1, 2, 3, 4]})
    out = export.escape_formulas(df)
    assert out["note"].tolist() == ["'\t=1+1", "'\r=cmd", "'\x00@SUM(A1)", "a\t=b"]
    assert list(out.columns) == ["note", "'=head"]  # headers can be place names (the compare download)
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(df, pd.DataFrame({"a": ["\t=x"]}))))
    # XLSX cannot hold NUL: it becomes U+FFFD, after the quote that keeps the formula from running.
    assert [c.value for c in book["data"]["A"]][1:4] == ["'\t=1+1", "'\r=cmd", "'\ufffd@SUM(A1)"]
    assert book["sources"]["A2"].value == "'\t=x"
    assert "'\\t=1+1" in export.to_json(df).decode("utf-8")


def test_csv_has_bom_and_json_keeps_chinese():
    df = pd.DataFrame({"label": ["社会组织"], "value": [3424]})
    assert export.to_csv(df).startswith("\ufefflabel".encode("utf-8"))
    assert json.loads(export.to_json(df)) == [{"label": "社会组织", "value": 3424}]


def test_xlsx_has_sources_sheet_with_replies_filters_and_units():
    df = pd.DataFrame({"record_id": ["quzhou-2023"], "unit": ["yuan"], "quote": ["=cmd"]})
    docs = pd.DataFrame({"record_id": ["quzhou-2023"], "document_issuer": ["衢州市民政局"], "title": ["答复"],
                         "document_reference_number": ["衢市民议函〔2023〕2号"], "doc_date": ["2023-07-03"], "sha256": ["ab"]})
    sheet = export.sources_sheet(df, docs, {"jurisdiction": ["quzhou"], "indicator": ["funding"]})
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(df, sheet)))
    assert book.sheetnames == ["data", "sources"]
    assert book["data"]["C2"].value == "'=cmd"
    cells = [[c.value for c in row] for row in book["sources"].iter_rows(values_only=False)]
    flat = " ".join(str(v) for row in cells for v in row)
    assert "衢州市民政局" in flat and "funding" in flat and "yuan" in flat


def test_file_names_say_what_was_filtered():
    assert export.file_name("facts", ["quzhou", "leshan"], ["funding"], "csv") == "facts_quzhou-leshan_funding.csv"
    assert export.file_name("facts", ["quzhou"], [], "xlsx", full=True) == "facts_all.xlsx"


def test_highlight_escapes_reply_text():
    text = "<script>alert(1)</script>共有3424家"
    out = highlight(text, [(text.index("3424"), len(text), 'c1: "x" <b>')], "mark")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert '<mark title="c1: &quot;x&quot; &lt;b&gt;">3424家</mark>' in out


def test_raw_to_clean_maps_spans_through_removed_text():
    offsets = (0, 1, 5, 6)  # raw chars 2-4 were removed
    assert raw_to_clean(offsets, 1, 6) == (1, 3)


def test_marks_nest_and_split_into_well_formed_html():
    out = render_marked("abcdefghij", [Mark(0, 6, "mark", "f-c1", "A"), Mark(3, 9, "del", "", "B"),
                                       Mark(4, 5, "mark", "f-c2", "<x> & \"y\"")])
    assert out.endswith(
        '<mark id="f-c1" title="A">abc<del title="B">d<mark id="f-c2" title="&lt;x&gt; &amp; &quot;y&quot;">e</mark>'
        'f</del></mark><del title="B">ghi</del>j</div>')
    assert out.count('id="f-c1"') == 1  # a split span keeps its id on its first piece only


def test_blank_lines_inside_a_removed_span_stay_inside_its_del():
    text = "kept\n\nremoved\n\n**also removed**\n\nkept [t](https://e.com)"
    start, end = text.index("removed"), text.index("\n\nkept [")
    out = render_marked(text, [Mark(start, end, "del", "", "furniture")])
    assert struck_length(out) == end - start
    assert "**also removed**</del>" in out and "[t](https://e.com)</div>" in out


def test_every_reply_strikes_through_exactly_what_cleaning_removed():
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        cleaned = clean_text(decode_reply(path.read_bytes(), path.name))
        out = render_marked(cleaned.raw, removal_marks(cleaned.raw, cleaned.offsets, cleaned.repairs))
        removed = len(cleaned.raw) - len(set(cleaned.offsets))
        assert struck_length(out) == removed, path.name
        assert out.count("<del") == out.count("</del>")
    quzhou = clean_text(decode_reply((ROOT / "data/raw/quzhou-2023.txt").read_bytes(), "quzhou-2023.txt"))
    out = render_marked(quzhou.raw, removal_marks(quzhou.raw, quzhou.offsets, quzhou.repairs))
    assert struck_length(out) == 173  # not 4,343: the page once struck through nearly the whole reply
