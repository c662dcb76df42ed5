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
    # XLSX cannot hold NUL: it becomes its picture ␀, after the quote that keeps the formula from running; a carriage
    # return is a line feed there (app/safe.py office_text).
    assert [c.value for c in book["data"]["A"]][1:4] == ["'\t=1+1", "'\n=cmd", "'\u2400@SUM(A1)"]
    assert book["sources"]["A2"].value == "'\t=x"
    assert "'\\t=1+1" in export.to_json(df).decode("utf-8")


# Every character a cell of a UTF-8 table can carry that some format cannot simply hold: the C0 controls (\f is a PDF's
# page break, copied with a sentence), DEL, the C1 next line, the Unicode line and paragraph separators, noncharacters.
EVERY_CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\x85\u2028\u2029\ufffe\uffff"
# The same in an XLSX cell: XML 1.0 holds none of the C0 controls but tab, line feed and carriage return, and neither
# noncharacter; each C0 control is shown as its Control Picture, a carriage return as the line break it is
# (app/safe.py office_text).
EVERY_CONTROL_IN_XLSX = ("␀␁␂␃␄␅␆␇␈\t\n␋␌\n␎␏␐␑␒␓␔␕␖␗␘␙␚␛␜␝␞␟" "\x7f\x85\u2028\u2029\ufffd\ufffd")
FORM_FEED = "截至2023年底，全市共有社会组织3424家。\f第二页：其中社会团体1500家。"


def test_a_form_feed_and_every_control_character_survive_into_every_download(real_tables):
    """Issue 21 §9: the XLSX download raised on a form feed (nothing downloaded, the page said nothing). CSV, JSON and
    the ZIP keep every character; every XLSX writer (data page, overview, sources sheet) shows them visibly."""
    facts = real_tables["facts"].head(3).copy()
    facts["quote"] = [FORM_FEED, "x" + EVERY_CONTROL, EVERY_CONTROL + "=1+1"]
    tidy = export.tidy_facts(facts, real_tables["documents"], indicators=real_tables["indicators"])
    kept = ["'" + v if v.startswith(("\t", "\r", "\x00")) else v for v in facts["quote"]]  # formula escaping
    back = pd.read_csv(io.BytesIO(export.to_csv(tidy)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["quote"].tolist() == kept
    assert [r["quote"] for r in json.loads(export.to_json(tidy))] == kept
    with zipfile.ZipFile(io.BytesIO(export.to_zip({"facts": tidy}, title="t", description="d"))) as z:
        inner = pd.read_csv(io.BytesIO(z.read("facts.csv")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert inner["quote"].tolist() == kept
    shown = ["截至2023年底，全市共有社会组织3424家。␌第二页：其中社会团体1500家。", "x" + EVERY_CONTROL_IN_XLSX,
             "'" + EVERY_CONTROL_IN_XLSX + "=1+1"]
    documents = real_tables["documents"].assign(title=lambda d: d["title"] + "\f")  # the sources sheet's text too
    for blob in (export.to_xlsx_described(tidy, documents, {"jurisdiction": ["ganzhou\f"]}),
                 export.to_xlsx_with_sources(tidy, documents, {"jurisdiction": ["ganzhou\f"]})):
        book = openpyxl.load_workbook(io.BytesIO(blob))
        column = [c.value for c in book["data"][1]].index("quote") + 1
        assert [book["data"].cell(i, column).value for i in (2, 3, 4)] == shown
        sources = [c.value for row in book["sources"].iter_rows() for c in row if isinstance(c.value, str)]
        assert "ganzhou␌" in sources and any("的答复␌" in v for v in sources)


def test_office_text_replaces_only_what_xml_cannot_hold():
    from app.safe import office_text

    assert office_text(EVERY_CONTROL) == EVERY_CONTROL_IN_XLSX
    assert office_text("a\r\nb\rc") == "a\nb\nc"  # a Windows line break is one line break
    assert office_text("社会组织 ␌ ok\U0001F600") == "社会组织 ␌ ok\U0001F600" and office_text(None) == ""


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


# ---- tidy downloads, described XLSX, the Frictionless ZIP (issue 12 §5) ------------------------------------------

import datetime as dt
import re
import zipfile

import jsonschema
import pytest

from app.data import ROOT, read_tables

# The parts of the Frictionless Data Package and Table Schema specs (v1) the ZIP uses, as a JSON Schema: names,
# paths, profiles, field names and types, missing values, primary keys.
FRICTIONLESS_SUBSET = {
    "type": "object",
    "required": ["name", "resources"],
    "properties": {
        "profile": {"enum": ["data-package", "tabular-data-package"]},
        "name": {"type": "string", "pattern": "^[a-z0-9._-]+$"},
        "title": {"type": "string"}, "description": {"type": "string"},
        "licenses": {"type": "array", "items": {"type": "object", "anyOf": [{"required": ["name"]}, {"required": ["path"]}]}},
        "resources": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "path", "schema"],
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z0-9._-]+$"},
                "path": {"type": "string", "pattern": "^[^/\\\\.][^\\\\]*$"},
                "profile": {"enum": ["data-resource", "tabular-data-resource"]},
                "format": {"type": "string"}, "mediatype": {"type": "string"}, "encoding": {"type": "string"},
                "schema": {"type": "object", "required": ["fields"], "properties": {
                    "fields": {"type": "array", "minItems": 1, "items": {
                        "type": "object", "required": ["name"],
                        "properties": {
                            "name": {"type": "string"}, "description": {"type": "string"},
                            "type": {"enum": ["string", "number", "integer", "boolean", "date", "datetime", "year",
                                              "object", "array", "any"]},
                            "trueValues": {"type": "array", "items": {"type": "string"}},
                            "falseValues": {"type": "array", "items": {"type": "string"}},
                        }}},
                    "missingValues": {"type": "array", "items": {"type": "string"}},
                    "primaryKey": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                }},
            }}},
    },
}


def check_data_package(zf: zipfile.ZipFile) -> dict:
    """The descriptor validates against the spec subset, and every CSV agrees with its schema: same columns in
    order, numbers parse as numbers, integers as integers, dates as ISO dates, primary keys unique."""
    descriptor = json.loads(zf.read("datapackage.json"))
    jsonschema.validate(descriptor, FRICTIONLESS_SUBSET)
    names = [r["name"] for r in descriptor["resources"]]
    assert len(names) == len(set(names))
    for res in descriptor["resources"]:
        df = pd.read_csv(io.BytesIO(zf.read(res["path"])), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        fields = res["schema"]["fields"]
        assert list(df.columns) == [f["name"] for f in fields], res["name"]
        missing = set(res["schema"].get("missingValues", [""]))
        for f in fields:
            values = [v for v in df[f["name"]] if v not in missing]
            if f["type"] == "number":
                [float(v) for v in values]
            elif f["type"] == "integer":
                assert all(re.fullmatch(r"-?\d+", v) for v in values), f["name"]
            elif f["type"] == "date":
                [dt.date.fromisoformat(v) for v in values]
            elif f["type"] == "boolean":
                assert set(values) <= set(f.get("trueValues", ["true"]) + f.get("falseValues", ["false"])), f["name"]
        key = res["schema"].get("primaryKey")
        if key:
            assert not df.duplicated(key if isinstance(key, list) else [key]).any()
    return descriptor


@pytest.fixture(scope="module")
def real_tables():
    return read_tables(ROOT / "data")


def test_tidy_facts_one_row_per_fact_numbers_as_numbers(real_tables):
    facts = real_tables["facts"]
    tidy = export.tidy_facts(facts, real_tables["documents"], indicators=real_tables["indicators"])
    assert len(tidy) == len(facts) and list(tidy.columns) == export.TIDY_COLUMNS
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in tidy.columns)
    assert tidy["value"].dtype == float and pd.api.types.is_integer_dtype(tidy["quote_start"])
    row = tidy[(tidy["record_id"] == "quzhou-2023") & (tidy["fact_id"] == "c334")].iloc[0]
    assert (row["value"], row["unit"], row["qualifier"], row["number_text"]) == (14.95, "per_10k", "exact", "14.95家")
    assert row["raw_sha256"] == "8e44e7293d5df356f95e56a563c142a1d9015a778163e81588945cd77c135b92"
    assert row["evidence_url"] == "/sources?r=quzhou-2023&f=c334" and "每万人拥有14.95家" in row["quote"]
    # every column is described, from the schema where it declares the field
    described = export.columns_sheet(tidy)
    assert (described["description"] != "").all()
    assert described.set_index("column").at["number_text", "description"] == "The number exactly as written in the raw text"


def test_xlsx_has_data_sources_and_columns_with_dates_as_dates(real_tables):
    tidy = export.tidy_facts(real_tables["facts"].head(5), real_tables["documents"], indicators=real_tables["indicators"])
    tidy["quote"] = "=HYPERLINK(\"x\")"  # formula escaping is kept
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_described(tidy, real_tables["documents"], {"jurisdiction": ["ganzhou"]})))
    assert book.sheetnames == ["data", "sources", "columns"]
    header = [c.value for c in book["data"][1]]
    date_col = header.index("document_date") + 1
    assert isinstance(book["data"].cell(2, date_col).value, dt.datetime)
    assert isinstance(book["data"].cell(2, header.index("value") + 1).value, (int, float))
    assert book["data"].cell(2, header.index("quote") + 1).value.startswith("'=")
    columns = [[c.value for c in row] for row in book["columns"].iter_rows(min_row=2)]
    assert [r[0] for r in columns] == header and all(r[2] for r in columns)


def test_full_zip_is_a_valid_data_package(real_tables):
    tables = {"facts": export.tidy_facts(real_tables["facts"], real_tables["documents"]),
              "density": export.with_raw_checksum(real_tables["density"], real_tables["documents"]),
              "population": real_tables["population"]}
    zf = zipfile.ZipFile(io.BytesIO(export.to_zip(tables, title="t", description="d")))
    assert sorted(zf.namelist()) == ["README.txt", "datapackage.json", "density.csv", "facts.csv", "population.csv"]
    descriptor = check_data_package(zf)
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and fields["document_date"]["type"] == "date"
    assert fields["value"]["description"] == "Value in base units (万 and 亿 expanded)"
    assert descriptor["resources"][0]["schema"]["primaryKey"] == ["record_id", "fact_id"]
    facts = pd.read_csv(io.BytesIO(zf.read("facts.csv")), encoding="utf-8-sig")
    assert facts["value"].dtype == float


def test_a_broken_descriptor_fails_the_check():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.csv", "x\n1\n")
        zf.writestr("datapackage.json", json.dumps({"name": "Bad Name", "resources": [{"name": "a", "path": "a.csv",
                                                                                       "schema": {"fields": [{"name": "x", "type": "num"}]}}]}))
    with pytest.raises(jsonschema.ValidationError):
        check_data_package(zipfile.ZipFile(buf))


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
