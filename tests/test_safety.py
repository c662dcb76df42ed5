"""Safety: reply text is never HTML, downloads can't run formulas, odd links and broken data end in a message."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.__main__ import main as loaders_main

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_REPLY = (
    "赵六代表:\n您提出的《关于<script>alert(1)</script>的建议》收悉。\n"
    "目前,全市共有社会组织<img src=x onerror=alert(1)>3424家。\n"
    "=HYPERLINK(\"http://example.invalid\",\"点我\") 全市社区社会组织达到200个。\n\n"
    "1. **粗体** [链接](javascript:alert(2)) 实施项目93个。\n"
    "嘉兴市民政局\n2024年1月2日\n"
)


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "raw" / "jiaxing-2024.txt").write_text(HOSTILE_REPLY, encoding="utf-8")
    assert loaders_main(["--data", str(data), "build", "--quiet"]) == 0
    return data


def run_page(name, data_dir, monkeypatch, **query):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def html_bodies(at) -> list[str]:
    """Everything the page hands to the browser as HTML (markdown with unsafe_allow_html, st.html)."""
    bodies = [m.value for m in at.markdown if getattr(m.proto, "allow_html", False)]
    bodies += [h.proto.body for h in at.get("html")]
    return bodies


def test_reply_html_is_shown_as_text_on_the_sources_page(hostile_data, monkeypatch):
    at = run_page("sources", hostile_data, monkeypatch, r="jiaxing-2024", j="jiaxing")
    assert not at.exception
    html = "\n".join(html_bodies(at))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;" in html
    assert "<img" not in html and "<script" not in html
    # markdown syntax in a reply is not interpreted either: no link to javascript:
    assert "javascript:" not in html.replace("[链接](javascript:alert(2))", "")


@pytest.mark.parametrize("name", ["measures", "compare", "overview", "data"])
def test_reply_text_is_never_raw_html_on_other_pages(hostile_data, monkeypatch, name):
    at = run_page(name, hostile_data, monkeypatch, j="jiaxing,quzhou", a="jiaxing", b="quzhou")
    assert not at.exception
    for body in html_bodies(at):
        assert "<img" not in body and "<script" not in body


def test_downloads_escape_formulas():
    import pandas as pd

    from app.export import to_csv, to_xlsx

    frame = pd.DataFrame({"quote": ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "全市"], "value": [1, 2, 3, 4, 5]})
    text = to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n'+1," in text and "\n'-2," in text and "'@SUM" in text
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, pd.DataFrame({"a": ["b"]})))).active
    assert [c.value for c in sheet["A"]][1:5] == ["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)"]
    assert [c.value for c in sheet["B"]][1:3] == [1, 2]  # numbers stay numbers


@pytest.mark.parametrize("query", [
    {"j": "../../etc/passwd", "lang": "<script>"},
    {"j": "quzhou,,,,nowhere", "lang": "xx", "present": "maybe", "step": "-1e309"},
    {"base": "'; DROP TABLE", "mode": "%00", "tbl": "../../secret"},
])
@pytest.mark.parametrize("name", ["density", "funding", "data", "present"])
def test_hostile_query_values_fall_back_to_defaults(monkeypatch, name, query):
    at = run_page(name, ROOT / "data", monkeypatch, **query)
    assert not at.exception
    assert at.title[0].value  # the page still has its title


def test_corrupt_data_file_names_the_file_and_the_command(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "tables" / "facts.csv").write_bytes(b"\x00\x01\x02garbage\xff\xfe")
    at = run_page("overview", data, monkeypatch)
    assert not at.exception
    error = " ".join(e.value for e in at.error)
    assert "`data/tables/facts.csv`: holds NUL bytes" in error and "python -m loaders build" in error
