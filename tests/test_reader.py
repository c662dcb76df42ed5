"""The reader's experience: the About page (definitions, the replies, how figures are checked, the data version and
a citation) in both languages, and one toolbar button per chart on every page."""

import ast
import hashlib
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.page_about import DEFAULT_URL, dashboard_url
from conftest import ROOT

TABLES = ROOT / "data" / "tables"
TABLE_FILES = {"documents": "documents.csv", "facts": "facts.csv", "density": "density.csv", "measures": "measures.csv",
               "national": "national.csv", "population": "population.csv", "distinctive_terms": "distinctive_terms.csv"}


def tables_version() -> str:
    """The short data version computed here from the files, not by the app: name, NUL, SHA-256 of the bytes."""
    whole = hashlib.sha256()
    for name in sorted(TABLE_FILES):
        path = TABLES / TABLE_FILES[name]
        if path.exists():
            whole.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return whole.hexdigest()[:12]


@pytest.fixture(scope="module", params=["zh", "en"])
def about(request):
    at = AppTest.from_file(str(ROOT / "pages" / "about.py"), default_timeout=30)
    at.query_params["lang"] = request.param
    return request.param, at.run()


WORDS = {"zh": ["社会团体", "社会服务机构", "民办非企业单位", "基金会", "社区社会组织", "备案", "人大代表", "政协委员",
                "◌", "暂不发布", "普查", "重新计算"],
         "en": ["social associations", "social service organisations", "private non-enterprise units", "foundations",
                "Community social organisations", "filed", "suggestions", "CPPCC", "◌", "Held back", "census", "computed"]}


def test_about_defines_the_words_and_says_how_figures_are_checked(about):
    lang, at = about
    assert not at.exception, at.exception
    shown = "\n".join(str(m.value) for m in at.markdown)
    missing = [w for w in WORDS[lang] if w not in shown]
    assert missing == []
    facts = pd.read_csv(TABLES / "facts.csv", dtype=str, keep_default_na=False)
    held = int(((facts["is_reviewed"] != "True") & (facts["confidence"] == "low")).sum())  # README: held back
    assert (f"目前有 {held} 个" if lang == "zh" else f"{held} are held back now") in shown


def test_about_lists_every_reply_with_issuer_and_date(about):
    lang, at = about
    docs = pd.read_csv(TABLES / "documents.csv", dtype=str, keep_default_na=False)
    table = at.dataframe[0].value
    assert len(table) == len(docs)
    issuer, day, title = (("发文机关", "日期", "标题") if lang == "zh" else ("Issuer", "Date", "Title"))
    for _, d in docs.iterrows():
        row = table[table[title] == d["title"]]
        assert len(row) == 1, d["record_id"]
        assert d["document_issuer"] in row[issuer].iloc[0]  # English pages add the English name before it
        assert row[day].iloc[0] == (d["document_date_written"] or d["document_date_published"])
    assert table[day].tolist() == sorted(table[day].tolist(), reverse=True)  # newest first
    if lang == "en":
        assert "Leshan Civil Affairs Bureau (乐山市民政局)" in table[issuer].tolist()


def test_about_citation_names_the_data_version_newest_reply_and_address(about):
    lang, at = about
    docs = pd.read_csv(TABLES / "documents.csv", dtype=str, keep_default_na=False)
    newest = max(docs["document_date_written"].where(docs["document_date_written"] != "", docs["document_date_published"]))
    version = tables_version()
    citation = at.code[0].value
    assert version in citation and newest in citation and DEFAULT_URL in citation
    assert re.search(r"\d{4}-\d{2}-\d{2}", citation.split(newest, 1)[1])  # the access date after the data's
    assert ("数据版本 " + version) in citation if lang == "zh" else ("data version " + version) in citation
    assert version in "\n".join(str(m.value) for m in at.markdown)  # the version section says it too


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/about?lang=en&j=quzhou", "https://example.org/"),
    ("http://localhost:8501/", "http://localhost:8501/"),
    ("https://example.org/civil/about", "https://example.org/civil/"),
    ("https://example.org/a b/about", "https://example.org/a%20b/"),
    ("javascript:alert(1)", DEFAULT_URL),
    ("https://ev[il/", DEFAULT_URL),
    ("https://user:pw@example.org/", DEFAULT_URL),
    ("https://example.org\u202e/", DEFAULT_URL),
    (None, DEFAULT_URL),
])
def test_citation_address_is_the_dashboards_root_or_the_default(url, expected):
    assert dashboard_url(url) == expected


def test_every_plotly_chart_call_takes_the_shared_config():
    """Source-level: each st.plotly_chart in app/ and pages/ passes config=...plot_config(...), never its own dict
    (Plotly's default toolbar is eight Tab stops per chart with English tooltips)."""
    calls = []
    for path in [*sorted((ROOT / "app").glob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "plotly_chart":
                config = next((k.value for k in node.keywords if k.arg == "config"), None)
                calls.append((path.name, node.lineno, isinstance(config, ast.Call)
                              and getattr(config.func, "attr", getattr(config.func, "id", "")) == "plot_config"))
    assert len(calls) >= 3  # layout.show_figure, evidence.show_linked_figure, the presenter's slide
    assert [c for c in calls if not c[2]] == []


def test_plot_config_keeps_one_localised_button():
    from app.layout import plot_config

    zh, en = plot_config("zh", "density_quzhou"), plot_config("en")
    assert zh["modeBarButtons"] == en["modeBarButtons"] == [["toImage"]]
    assert zh["toImageButtonOptions"]["filename"] == "density_quzhou" and "filename" not in en["toImageButtonOptions"]
    assert zh["locales"][zh["locale"]]["dictionary"]["Download plot as a png"] == "下载图表（PNG）"
    assert en["locales"][en["locale"]]["dictionary"]["Download plot as a png"] == "Download the chart (PNG)"
    assert zh["locale"] not in ("zh-CN", "zh", "en", "en-US")  # our own name: Plotly's number formats untouched
