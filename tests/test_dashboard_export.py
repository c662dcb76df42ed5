"""Downloads and HTML highlighting: formula escaping, BOM, XLSX sources sheet, file names, escaped reply text."""

import io
import json

import openpyxl
import pandas as pd

from app import export
from app.highlight import highlight, raw_to_clean


def test_formula_starts_are_escaped_in_text_cells_only():
    df = pd.DataFrame({"text": ["=1+1", "+86", "-x", "@SUM(A1)", "plain"], "value": [1, -2, 3, 4, 5]})
    out = export.escape_formulas(df)
    assert out["text"].tolist() == ["'=1+1", "'+86", "'-x", "'@SUM(A1)", "plain"]
    assert out["value"].tolist() == [1, -2, 3, 4, 5]


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
