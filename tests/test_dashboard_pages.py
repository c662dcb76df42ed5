"""Every page through AppTest, run alone and through the router: what it shows, URL state, language, errors."""

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

PAGES = ["overview", "density", "trends", "funding", "measures", "compare", "sources", "data", "present", "about"]
TITLES_ZH = {
    "overview": "概览：各地答复说了什么", "density": "每万人拥有社会组织数", "funding": "资金投入（按渠道与地区）",
    "trends": "变化趋势：各地数字随时间", "measures": "政策措施矩阵", "compare": "两地对比", "sources": "答复原文与清洗", "data": "数据：筛选与下载",
    "present": "演示", "about": "关于本看板与引用方式",
}
TITLES_EN = {"overview": "Overview: what each reply states", "density": "Social organisations per 10,000 residents"}


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


def router(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def shown_text(markdown: str) -> str:
    """What escaped Markdown shows: backslash escapes and word joiners (app.safe.escape_text) removed."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")


def metric_values(at: AppTest) -> list[tuple[str, str]]:
    """(label, value) of every metric, a linked value ([14.95](/sources?…)) read as its text."""
    return [(m.label, re.sub(r"^\[(.*)\]\([^)]*\)$", r"\1", m.value)) for m in at.metric]




# CommonMark does not close ** right after punctuation when a letter follows, so "**层级：**地级市" shows its
# asterisks; the colon belongs outside the bold ("**层级**：地级市").
PUNCTUATION = re.compile(r"[：:，,。；;、）)”]$")
LETTER = re.compile(r"^[\w\u4e00-\u9fff]")


def unclosed_bold(markdown: str) -> bool:
    """A bold span whose closing ** follows punctuation and precedes a letter (so it never closes)."""
    parts = markdown.split("**")
    return any(PUNCTUATION.search(parts[i]) and LETTER.match(parts[i + 1]) for i in range(1, len(parts) - 1, 2))


def test_unclosed_bold_is_recognised():
    assert unclosed_bold("**层级：**地级市")
    assert not unclosed_bold("**层级**：地级市")
    assert not unclosed_bold("- 福利彩票公益金：**457.2万元**（2013年以来）")


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_alone_and_no_bold_label_shows_its_asterisks_in_chinese(name):
    at = page(name)  # one run of the page serves both checks (each run of a page costs seconds of CPU)
    assert not at.exception, at.exception
    assert at.title[0].value == TITLES_ZH[name]
    shown = [str(e.value) for e in [*at.markdown, *at.caption, *at.warning, *at.info]]
    assert [m for m in shown if unclosed_bold(m)] == []
    # Keyboard: no chart has Plotly's eight-button toolbar (eight Tab stops, English tooltips); one download button,
    # its tooltip in the page's language (app/layout.plot_config).
    for config in (json.loads(f.proto.config) for f in at.get("plotly_chart")):
        assert config["modeBarButtons"] == [["toImage"]] and config["displaylogo"] is False, name
        assert config["locales"][config["locale"]]["dictionary"]["Download plot as a png"] == "下载图表（PNG）"


@pytest.mark.parametrize("slug", ["ganzhou", "quzhou", "jiangsu", "xuancheng", "leshan"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_with_one_place_alone(name, slug):
    # A policy officer looks at their own place first; a place that states no count (Xuancheng) once crashed density.
    at = page(name, j=slug, lang="en")
    assert not at.exception, at.exception
    assert at.title


def test_density_of_a_place_without_a_count_says_not_stated():
    at = page("density", j="xuancheng", lang="en")
    assert "Xuancheng" in texts(at.info) and "not stated" in json.dumps(figures(at)[0], ensure_ascii=False)


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_through_router(name):
    at = router()
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == TITLES_ZH[name]
    assert at.sidebar.multiselect(key="w_j").value  # the router's sidebar is there, drawn once
    assert len(at.sidebar.multiselect) == 1


def test_overview_headline_figures_and_not_stated():
    at = page("overview", j="quzhou,leshan,xuancheng")
    values = metric_values(at)
    assert ("每万人（答复所述）", "14.95") in values
    assert ("每万人（答复所述）", "5.08") in values
    assert ("每万人（按普查人口计算）", "未提及") in values  # Xuancheng states no count
    assert ("登记社会组织", "3,424个") in values
    assert not any(v == "0" for _, v in values)
    assert "5.08" in texts(at.warning) and "无法" in texts(at.warning)
    assert ("全国每万人（2023年）*", "6.25") in values


def test_overview_in_english():
    at = page("overview", j="xuancheng", lang="en")
    assert at.title[0].value == TITLES_EN["overview"]
    assert ("Registered organisations", "not stated") in metric_values(at)


def test_density_shows_reported_computed_flag_and_not_stated():
    at = page("density", lang="en")
    assert "Leshan's reported 5.08 cannot be reproduced" in texts(at.warning)
    assert "Ganzhou, Xuancheng" in texts(at.info)
    fig = figures(at)[0]
    reported = next(t for t in fig["data"] if t["name"] == "Reported")
    assert dict(zip(reported["x"], reported["y"])) == {"Leshan": 5.08, "Quzhou": 14.95}
    footnote = next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "footnote")
    assert "衢州市民政局" in footnote
    table = at.dataframe[0].value
    assert "Per 10,000 (reported)" in table.columns and "reported_per_10k" not in table.columns
    assert "not stated" in table["Per 10,000 (reported)"].tolist()


def test_density_base_switch_is_in_url():
    at = page("density", base="nearest")
    assert at.radio(key="w_base").value == "nearest"
    at.radio(key="w_base").set_value("census").run()
    assert "base" not in at.query_params  # the default stays out of the URL


def test_density_hides_places_without_a_count_by_default_and_the_toggles_live_in_the_url():
    at = page("density", lang="en")
    fig = figures(at)[0]
    assert fig["layout"]["xaxis"]["categoryarray"] == ["Jiangsu", "Leshan", "Quzhou"]  # Ganzhou, Xuancheng: no count
    assert at.toggle(key="w_hide").value is True and at.toggle(key="w_sort").value is False
    assert "hide" not in at.query_params and "sort" not in at.query_params  # defaults stay out of the link
    at.toggle(key="w_sort").set_value(True).run()
    assert figures(at)[0]["layout"]["xaxis"]["categoryarray"] == ["Quzhou", "Jiangsu", "Leshan"]
    assert at.query_params["sort"] == "1"
    at.toggle(key="w_hide").set_value(False).run()
    assert figures(at)[0]["layout"]["xaxis"]["categoryarray"] == ["Quzhou", "Jiangsu", "Leshan", "Ganzhou", "Xuancheng"]
    assert at.query_params["hide"] == "0"
    # The link opens the same view.
    linked = page("density", lang="en", hide="0", sort="1")
    assert figures(linked)[0]["layout"]["xaxis"]["categoryarray"] == ["Quzhou", "Jiangsu", "Leshan", "Ganzhou", "Xuancheng"]
    assert figures(linked)[1]["layout"]["xaxis"]["categoryarray"][-2:] == ["Ganzhou", "Xuancheng"]  # community too


def test_funding_log_scale_toggle_lives_in_the_url():
    at = page("funding", lang="zh")
    assert at.toggle(key="w_log").value is False
    assert figures(at)[0]["layout"]["xaxis"].get("type") in (None, "linear")
    at.toggle(key="w_log").set_value(True).run()
    assert figures(at)[0]["layout"]["xaxis"]["type"] == "log"
    assert at.query_params["log"] == "1"
    linked = page("funding", lang="zh", log="1", mode="per_year")
    assert figures(linked)[0]["layout"]["xaxis"]["type"] == "log" and not linked.exception
    assert page("funding", lang="zh", log="maybe").toggle(key="w_log").value is False  # a bad value: the default


def test_funding_marks_more_than():
    at = page("funding", lang="en", j="quzhou")
    assert "more than (lower bound)" in texts(at.caption)
    fig = figures(at)[0]
    bar = next(t for t in fig["data"] if t["name"] == "Quzhou")
    assert "more than CNY 11 million · 300 projects" in [x.strip() for x in bar["text"]]
    assert any(t["name"] == "more than (lower bound)" for t in fig["data"])


def test_funding_in_chinese_shows_yi_and_its_bound():
    at = page("funding", j="jiangsu")
    bar = next(t for t in figures(at)[0]["data"] if t["type"] == "bar")
    assert any("超过1.8亿元" in x for x in bar["text"])


def test_funding_per_resident_says_what_was_left_out():
    at = page("funding", lang="en", j="ganzhou", mode="per_resident")
    assert "Not whole-area, no per-resident figure: Ganzhou Welfare lottery fund CNY 4.57 million" in texts(at.info)
    assert "state no funding" not in json.dumps(figures(at)[0]["layout"])


def test_funding_per_year_mode():
    at = page("funding", mode="per_year", lang="en")
    assert not at.exception
    assert "Per year" in figures(at)[0]["layout"]["title"]["text"]


def test_data_page_has_downloads_and_filters():
    at = page("data", j="quzhou,leshan", fi="funding")
    assert len(at.get("download_button")) == 7  # CSV, XLSX, JSON for displayed rows and the full table, and the ZIP
    assert at.multiselect(key="w_fi").value == ["funding"]
    assert "显示 9 行" in texts(at.caption)  # 6 amounts from Quzhou, 3 from Leshan


def test_language_switch_changes_title():
    at = router()
    assert at.title[0].value == TITLES_ZH["overview"]
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert at.title[0].value == TITLES_EN["overview"]
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_url_state_survives_page_switch():
    at = router(j="quzhou,leshan", lang="en")
    assert at.sidebar.multiselect(key="w_j").value == ["quzhou", "leshan"]
    at.switch_page("pages/density.py").run()
    assert at.title[0].value == TITLES_EN["density"]
    assert at.sidebar.multiselect(key="w_j").value == ["quzhou", "leshan"]
    assert "Ganzhou" not in texts(at.info)


def test_malformed_query_falls_back_to_defaults():
    at = router(j="nowhere,,<x>", lang="klingon", present="maybe", base="moon", step="99", tbl="x")
    assert not at.exception
    assert at.title[0].value == TITLES_ZH["overview"]
    assert len(at.sidebar.multiselect(key="w_j").value) == 5
    for name in ("density", "data", "present"):
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, name


def test_empty_selection_is_a_message():
    at = router()
    at.sidebar.multiselect(key="w_j").set_value([]).run()
    assert "未选择任何地区" in texts(at.info)
    assert not at.exception


def test_presenter_mode_steps_through_slides():
    at = router(present="1", lang="en")
    assert at.title[0].value == "Presentation"
    assert "Slide 1 of" in texts(at.markdown)
    at.button[1].click().run()
    assert "Slide 2 of" in texts(at.markdown)
    assert at.query_params["step"] in ("2", ["2"])
    assert figures(at)[0]["layout"]["font"]["size"] == 20


def test_missing_data_names_file_and_command(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    for name in ("overview", "density", "data"):
        at = page(name)
        assert not at.exception
        message = texts(at.warning)
        assert "data/tables/documents.csv" in message and "python -m loaders build" in message


@pytest.fixture
def data_with_measures(tmp_path, monkeypatch):
    """A copy of the data with a few measures and distinctive terms, until the loaders produce them."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data/tables/measures.csv").write_text(
        "record_id,jurisdiction,jurisdiction_zh,level,id,category,instrument_type,status,matched,quote,quote_start,quote_end,quote_clean,source,note\n"
        "quzhou-2023,quzhou,衢州市,prefecture,m1,direct_funding,supply,done,福彩公益金,福彩公益金资助项目,0,9,福彩公益金资助项目,extracted,\n"
        "leshan-2021,leshan,乐山市,prefecture,m2,tax_incentives,environment,planned,税收优惠,将落实税收优惠,0,7,将落实税收优惠,extracted,\n",
        encoding="utf-8",
    )
    (tmp_path / "data/tables/distinctive_terms.csv").write_text(
        "record_id,jurisdiction,rank,term,score\nquzhou-2023,quzhou,1,共同富裕,3.2\nleshan-2021,leshan,1,社区基金,2.5\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))


def test_measures_matrix_and_cell_sentences(data_with_measures):
    at = page("measures", j="quzhou,leshan")
    assert not at.exception
    heat = figures(at)[0]["data"][0]
    assert heat["type"] == "heatmap" and heat["z"] == [[2, 0], [0, 1]]
    assert "福彩公益金资助项目" in texts(at.markdown)
    at.selectbox(key="w_mj").set_value("leshan").run()
    at.selectbox(key="w_mc").set_value("tax_incentives").run()
    assert "将落实税收优惠" in texts(at.markdown)
    assert "共同富裕" in texts(at.markdown)


def test_compare_side_by_side_with_not_stated(data_with_measures):
    at = page("compare", a="quzhou", b="xuancheng", lang="en")
    table = at.table[0].value  # a static table: long cells wrap instead of being cut off
    table = table.map(shown_text).rename(index=shown_text, columns=shown_text)  # its cells are escaped Markdown
    table.index.name = shown_text(table.index.name)
    assert list(table.columns) == ["Quzhou", "Xuancheng"] and table.index.name == "Indicator"
    row = table.loc["Social organisations per 10,000 residents"].str.replace("\\", "")  # cells are escaped Markdown
    assert row["Quzhou"].startswith("14.95") and row["Xuancheng"] == "not stated"
    assert not at.warning  # both prefecture-level cities
    at = page("compare", a="quzhou", b="jiangsu", lang="en")
    assert "Quzhou is a prefecture-level city and Jiangsu a province" in texts(at.warning)
    at = page("compare", a="quzhou", b="leshan", lang="en")
    assert "Measures only Quzhou has" in texts(at.subheader)
    assert "福彩公益金资助项目" in texts(at.markdown)
    assert "Supply · Lottery-fund and other direct funding (1)" in [e.label.replace("\\", "") for e in at.expander]


def test_compare_follows_the_sidebar_and_leads_with_the_headline():
    at = page("compare", j="quzhou,leshan", lang="en")
    assert not at.exception, at.exception
    assert (at.selectbox[0].value, at.selectbox[1].value) == ("quzhou", "leshan")
    headline = at.markdown[0].value if at.markdown[0].value.startswith("| Indicator") else next(
        m.value for m in at.markdown if m.value.startswith("| Indicator"))
    rows = {line.split(" | ")[0].strip("| "): line for line in headline.splitlines()[2:]}
    assert list(rows)[:4] == ["Registered social organisations", "Per 10,000 residents (reported)",
                              "Per 10,000 residents (computed, 2020 census)", "Community social organisations"]
    # Leshan's 5.08 carries its flag, in the cell; each number links to its sentence.
    assert "[5.08 per 10,000 residents](/sources?r=leshan-2021&f=c390&lang=en)" in rows["Per 10,000 residents (reported)"]
    assert "⚠ no published population reproduces it" in rows["Per 10,000 residents (reported)"]
    # 5,611 is the total, of which 89, 52 and 5,470, each with the reply's own words.
    community = rows["Community social organisations"]
    assert "[5,611](/sources?r=leshan-2021&f=c322&lang=en)" in community
    # The reply's words in English, the Chinese kept beside (escaped Markdown).
    assert "of which: registered \\(登记在册\\) [89](/sources?r=leshan-2021&f=c335&lang=en)" in community
    assert "guided \\(纳入村和社区指导管理\\) [5,470]" in community
    assert any(k.startswith("Funding: ") for k in rows)
    assert at.expander[0].label.startswith("Every indicator (")
    # A new sidebar selection starts a new pair.
    at.multiselect(key="w_j").set_value(["ganzhou", "jiangsu"]).run()
    assert (at.selectbox[0].value, at.selectbox[1].value) == ("ganzhou", "jiangsu")


def test_compare_warns_in_the_cell_where_figures_do_not_compare():
    at = page("compare", j="quzhou,jiangsu", lang="en")
    headline = next(m.value for m in at.markdown if m.value.startswith("| Indicator"))
    registered = next(line for line in headline.splitlines() if line.startswith("| Registered"))
    # The years are said once, above the table (escaped Markdown), and not again in each row of those years.
    note = next(m.value for m in at.markdown if m.value.startswith("⚠"))
    assert "Quzhou's figures are as of 2023\\-05\\-31 and Jiangsu's as of 2020\\-12\\-31" in note
    assert "⚠" not in registered


def test_sources_page_highlights_and_shows_origin():
    at = page("sources", r="quzhou-2023")
    md = texts(at.markdown)
    html = "\n".join(h.proto.body for h in at.get("html"))  # reply text: st.html, never Markdown
    # One mark per number, with its anchor and a title naming indicator and value; removed text struck in the raw.
    assert '<mark id="f-c' in html and "<del title=" in html
    assert html.count('<mark id="f-') == html.count('<a href="#f-') > 10
    # Origin: a key/value list, not a table with an empty header row.
    assert "- **SHA-256 校验值**：`8e44e7293d5df356f95e56a563c142a1d9015a778163e81588945cd77c135b92`" in md
    assert "- **文号**：衢市民议函〔2023〕2号" in md
    assert "- **成文日期**：2023\\-07\\-03" in md  # dates from the reply are escaped text like the rest
    repairs = at.dataframe[0].value
    assert list(repairs.columns)[:4] == ["类型", "删除的内容", "替换为", "原因"]
    assert "title=\"c" not in html  # hover names the indicator, not an internal fact id
    en = page("sources", r="ganzhou-2022", lang="en")
    en_text = texts(en.markdown)
    assert "- **Reference number:** *not stated*" in en_text
    assert "spam" in en.dataframe[0].value["Kind"].tolist()
    zh = page("sources", r="ganzhou-2022")
    assert "垃圾文字" in zh.dataframe[0].value["类型"].tolist()
    assert any(r.startswith("混入正文的博彩") for r in zh.dataframe[0].value["原因"])


def test_router_uses_material_icons_and_a_local_favicon():
    import ast

    from app import layout

    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    icons = next(ast.literal_eval(node.value) for node in ast.walk(tree)
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "ICONS")
    assert set(icons) == set(PAGES)
    # Emoji need an emoji font (empty boxes without one); Material icons ship with Streamlit.
    assert all(icon.startswith(":material/") and icon.endswith(":") for icon in icons.values())
    assert layout.FAVICON.exists() and layout.FAVICON.read_bytes()[:4] == b"\x89PNG"


def test_data_page_shows_labels_but_downloads_codes():
    at = page("data", j="quzhou", fi="funding", lang="en")
    shown = at.dataframe[0].value
    assert {"Indicator", "Funding channel", "Period kind"} <= set(shown.columns)
    assert "lottery_welfare_fund" not in set(shown["Funding channel"]) and "as_of" not in set(shown["Period kind"])
    assert "Government purchase of services" in set(shown["Funding channel"])
    assert "downloads keep the column names and codes" in texts(at.caption)
    assert [r.label for r in at.radio if r.key == "w_tbl"][0] == "Table"
    assert at.radio(key="w_tbl").options == ["Facts", "Density", "Replies", "Measures"]


def test_compare_lists_a_bounded_number_of_sentences_and_says_how_many_more(monkeypatch):
    from app import limits

    at = page("compare", a="quzhou", b="leshan", lang="en")
    assert "more sentences not listed" not in texts(at.caption)  # the five replies are never cut
    monkeypatch.setattr(limits, "MAX_QUOTES", 2)
    at = page("compare", a="quzhou", b="leshan", lang="en")
    party = next(e for e in at.expander if "Party\\-building leadership" in e.label)  # labels are escaped Markdown
    assert len(party.markdown) == 2
    n = int(re.search(r"\((\d+)\)", shown_text(party.label)).group(1))
    assert f"{n - 2} more sentences not listed" in texts(party.caption)


def _computed(fig: dict) -> dict:
    bar = next(t for t in fig["data"] if t.get("name") in ("Computed", "重新计算") and t.get("x") and t["x"][0])
    return dict(zip(bar["x"], bar["y"]))


def test_cached_figures_follow_language_selection_and_base_within_a_session():
    at = page("density", lang="en")
    assert _computed(figures(at)[0]) == {"Jiangsu": 11.54, "Leshan": 5.79, "Quzhou": 15.04}
    at.radio(key="w_base").set_value("nearest").run()
    nearest = _computed(figures(at)[0])
    assert nearest["Quzhou"] == 14.95 and nearest != {"Jiangsu": 11.54, "Leshan": 5.79, "Quzhou": 15.04}
    at.radio(key="w_lang").set_value("zh").run()
    assert set(_computed(figures(at)[0])) == {"江苏省", "乐山市", "衢州市"}
    at.sidebar.multiselect(key="w_j").set_value(["quzhou"]).run()
    assert _computed(figures(at)[0]) == {"衢州市": 14.95}
    at.radio(key="w_base").set_value("census").run()
    assert _computed(figures(at)[0]) == {"衢州市": 15.04}


def test_a_figure_is_built_once_per_data_version_and_key():
    from app import data, layout

    tables = data.read_tables(ROOT / "data")
    ctx = layout.Ctx(lang="en", slugs=["quzhou"], tables=tables)
    built = []

    def build():
        built.append(1)
        return object()

    first = layout.cached_figure(ctx, "density", build, base="census")
    assert layout.cached_figure(ctx, "density", build, base="census") is first and len(built) == 1
    layout.cached_figure(ctx, "density", build, base="nearest")
    layout.cached_figure(layout.Ctx(lang="zh", slugs=["quzhou"], tables=tables), "density", build, base="census")
    layout.cached_figure(layout.Ctx(lang="en", slugs=["leshan"], tables=tables), "density", build, base="census")
    assert len(built) == 4
    rebuilt = data.read_tables(ROOT / "data")  # a new version of the data starts with no figures
    layout.cached_figure(layout.Ctx(lang="en", slugs=["quzhou"], tables=rebuilt), "density", build, base="census")
    assert len(built) == 5


def test_sources_permalink_marks_the_number_itself():
    # Quzhou's reply states 每万人拥有14.95家: the link of the card's 14.95 opens it with 14.95 marked apart.
    at = page("sources", r="quzhou-2023", f="c334")
    assert not at.exception, at.exception
    html = "\n".join(h.proto.body for h in at.get("html"))
    target = re.search(r'<mark id="f-c334" title="([^"]*)" style="[^"]*#D35400[^"]*">([^<]*)</mark>', html)
    assert target and target.group(2) == "14.95家" and "14.95" in target.group(1)
    assert '<a href="#f-c334" aria-current="true"' in html  # the list beside the text, focusable links
    assert "scrollIntoView" in html and "每万人" in texts(at.success)
    # DOMPurify drops a script whose text holds "<" before a letter or digit: ours has none.
    script = re.search(r"<script>(.*)</script>", html).group(1)
    assert not re.search(r"<[/\w]", script)
    # Another fact of the reply is marked in the plain number style, its sentence tinted.
    assert html.count("#D35400") == 1 and "background: #FFE066" in html
    # Where the metadata came from, as the record's provenance says (its sentences in the page's language).
    shown = texts(at.markdown)
    assert "地区取自发文机关“衢州市民政局”" in shown and "标题取自开头几行" in shown


def test_sources_permalink_opens_a_reply_outside_the_selection():
    at = page("sources", r="leshan-2021", f="c390", j="quzhou")
    assert at.selectbox[0].value == "leshan-2021"
    bad = page("sources", r="quzhou-2023", f="c1")
    assert "c1" in texts(bad.info) and "#D35400" not in "\n".join(h.proto.body for h in bad.get("html"))


def test_overview_figures_link_to_their_sentences():
    at = page("overview", j="quzhou,leshan")
    md = texts(at.markdown)
    assert ("每万人（答复所述）", "[14.95](/sources?r=quzhou-2023&f=c334)") in [(m.label, m.value) for m in at.metric]
    assert re.search(r"\[\*\*[^*]*万元\*\*\]\(/sources\?r=quzhou-2023&f=c\d+\)", md)  # funding amounts too
    en = page("overview", j="quzhou", lang="en")
    assert "[14.95](/sources?r=quzhou-2023&f=c334&lang=en)" in [m.value for m in en.metric]


def test_chart_png_names_say_places_and_options():
    at = page("funding", j="quzhou,leshan", mode="per_resident")
    configs = [json.loads(f.proto.config) for f in at.get("plotly_chart")]
    assert configs[0]["toImageButtonOptions"]["filename"] == "funding_quzhou-leshan_per_resident_census"
    density = page("density", j="quzhou,leshan", base="nearest")
    names = [json.loads(f.proto.config)["toImageButtonOptions"]["filename"] for f in density.get("plotly_chart")]
    assert names == ["density_quzhou-leshan_nearest", "density_community_quzhou-leshan_nearest"]


@pytest.mark.parametrize("rid", sorted(p.stem for p in (ROOT / "data" / "raw").glob("*.txt")))
def test_sources_page_strikes_through_only_what_cleaning_removed(rid):
    from app.highlight import struck_length
    from loaders.clean import clean_text
    from loaders.read import decode_reply

    at = page("sources", r=rid)
    htmls = [h.proto.body for h in at.get("html")  # the cleaned text, the facts list beside it, the raw text
             if not h.proto.body.lstrip().startswith("<style>")]  # not layout.NARROW_CSS, every page's first
    cleaned_html, raw_html = htmls[0], htmls[-1]
    cleaned = clean_text(decode_reply((ROOT / "data" / "raw" / f"{rid}.txt").read_bytes(), rid))
    assert struck_length(raw_html) == len(cleaned.raw) - len(set(cleaned.offsets))
    assert struck_length(cleaned_html) == 0 and "<mark" in cleaned_html


# ---- what makes a warm rerun cheap (issue 15): the same rows and the same elements as before -------------------


def test_select_by_place_positions_gives_the_rows_a_filter_gives():
    import pandas as pd

    from app import data

    tables = data.read_tables(ROOT / "data")
    for name in ("documents", "facts", "density", "measures"):
        cached = tables[name]
        for slugs in (["quzhou", "leshan"], ["leshan", "quzhou", "leshan", "nowhere"], [], data.jurisdictions(tables)):
            filtered = cached[cached["jurisdiction"].isin(slugs)]
            taken = data.select(cached, slugs)
            pd.testing.assert_frame_equal(taken, filtered)  # same rows, same order, same index labels
    # A frame read_tables did not index (a copy) is filtered as before.
    copy = tables["facts"].copy()
    assert data.select(copy, ["quzhou"])["jurisdiction"].unique().tolist() == ["quzhou"]


def test_a_kept_selection_is_never_changed_by_the_page_that_changed_its_copy():
    # select() keeps each selection for the next rerun; a page that adds or overwrites a column of what it got
    # (funding's scope labels) must not change what the next rerun, or another session, gets.
    from app import data

    tables = data.read_tables(ROOT / "data")
    first = data.select(tables["facts"], ["quzhou", "leshan"])
    first["unit"] = "changed"
    first["added"] = 1
    again = data.select(tables["facts"], ["quzhou", "leshan"])
    assert "changed" not in set(again["unit"]) and "added" not in again.columns
    assert "changed" not in set(tables["facts"]["unit"])
    assert set(again["jurisdiction"]) == {"quzhou", "leshan"}


def test_recorder_replays_elements_in_order_inside_their_containers():
    from app import layout

    class Target:
        def __init__(self, path, log):
            self.path, self.log = path, log

        def __getattr__(self, name):
            def call(*args, **kwargs):
                self.log.append((self.path, name, args))
                if name == "columns":
                    return [Target(f"{self.path}/col{i}", self.log) for i in range(args[0])]
                return Target(f"{self.path}/{name}", self.log)
            return call

    rec = layout.Recorder()
    rec.subheader("国家")
    with rec.expander("表"):
        rec.markdown("a")
        left, right = rec.columns(2)
        right.caption("r")
        with left:
            rec.markdown("l")
    rec.info("end")
    log: list = []
    rec.replay(Target("", log))
    assert log == [("", "subheader", ("国家",)), ("", "expander", ("表",)), ("/expander", "markdown", ("a",)),
                   ("/expander", "columns", (2,)), ("/expander/col0", "markdown", ("l",)),
                   ("/expander/col1", "caption", ("r",)), ("", "info", ("end",))]


def test_a_cards_consecutive_markdown_is_one_element_and_its_list_stays_a_list():
    from app.page_overview import merge_markdown

    card = [("subheader", "衢州市"), ("markdown", "**层级**：地级市"), ("metrics", []), ("markdown", "**资金**"),
            ("markdown", "- 福彩公益金：1,000万元"), ("markdown", "- 政府购买服务：500万元"), ("caption", "来源")]
    assert merge_markdown(card) == [
        ("subheader", "衢州市"), ("markdown", "**层级**：地级市"), ("metrics", []),
        ("markdown", "**资金**\n\n- 福彩公益金：1,000万元\n- 政府购买服务：500万元"), ("caption", "来源")]
