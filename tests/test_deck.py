"""The presenter's deck: native charts whose values are the dashboard's, marks, sources, notes; the slides' takeaways."""

import io
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from streamlit.testing.v1 import AppTest

from app import charts, deck
from app.data import read_tables
from app.safe import escape_text
from conftest import ROOT

PAIR = ["quzhou", "leshan"]
EVERY = ["ganzhou", "jiangsu", "leshan", "quzhou", "xuancheng"]
# What the replies say (facts.csv quote_clean), checked in the speaker notes.
QUZHOU_COUNT = "截至2023年5月底,全市共有注册登记的社会组织3424家"
LESHAN_FUNDING = "2019年以来,仅民政系统就整合各类资金3200余万元用于购买社会组织服务。"


@pytest.fixture(scope="module")
def tables():
    return read_tables(ROOT / "data")


def open_deck(tables, slugs, lang):
    return Presentation(io.BytesIO(deck.build_pptx(tables, slugs, lang)))


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def chart_of(slide):
    charts_ = [s.chart for s in slide.shapes if s.has_chart]
    assert len(charts_) == 1, slide_text(slide)
    return charts_[0]


def series_of(chart) -> dict[str, tuple]:
    return {s.name: tuple(s.values) for s in chart.plots[0].series}


def labels_of(chart, name: str) -> list[str]:
    series = next(s for s in chart.plots[0].series if s.name == name)
    return [p.data_label.text_frame.text if v is not None else "" for p, v in zip(series.points, series.values)]


def plotted(fig, name: str) -> dict[str, float]:
    """x -> y of one trace of a dashboard figure."""
    tr = next(t for t in fig.data if t.name == name and t.x and t.x[0] is not None)
    return dict(zip(tr.x, tr.y))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_point_slide_has_native_chart_or_table_source_line_and_quotes(tables, lang):
    prs = open_deck(tables, PAIR, lang)
    # title, two densities, funding, measures, Quzhou against Leshan
    assert len(prs.slides) == 6
    cover = slide_text(prs.slides[0])
    assert "quzhou-2023" in cover and "leshan-2021" in cover and "衢市民议函〔2023〕2号" in cover
    for i, slide in enumerate(prs.slides):
        if i == 0:
            continue
        text = slide_text(slide)
        assert ("来源：" if lang == "zh" else "Source: ") in text
        assert "quzhou-2023" in text and "leshan-2021" in text and "2023-07-03" in text and "2021-08-20" in text
        notes = slide.notes_slide.notes_text_frame.text
        assert "“" in notes and ("2023-07-03" in notes or "2021-08-20" in notes)
        has_table = any(s.has_table for s in slide.shapes)
        assert has_table or chart_of(slide) is not None
        assert not any(s.shape_type == 13 for s in slide.shapes)  # 13: a picture; charts are PowerPoint's own
    assert QUZHOU_COUNT in prs.slides[1].notes_slide.notes_text_frame.text
    assert LESHAN_FUNDING in prs.slides[3].notes_slide.notes_text_frame.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_density_chart_values_equal_the_dashboards(tables, lang):
    prs = open_deck(tables, EVERY, lang)
    chart = chart_of(prs.slides[1])
    names = {"zh": ["赣州市", "江苏省", "乐山市", "衢州市", "宣城市"], "en": ["Ganzhou", "Jiangsu", "Leshan", "Quzhou", "Xuancheng"]}[lang]
    # A place without a count, and a slot without a value, say so under the place's name (a native chart cannot
    # label a point that has no value; a blank slot would read as a forgotten 0).
    missing = {"zh": ("未提及总数", "答复所述：未提及"), "en": ("count not stated", "Reported: not stated")}[lang]
    assert list(chart.plots[0].categories) == [f"{names[0]}\n{missing[0]}", f"{names[1]}\n{missing[1]}", *names[2:4],
                                               f"{names[4]}\n{missing[0]}"]
    reported, computed, national = (
        {"zh": "答复所述", "en": "Reported"}[lang], {"zh": "重新计算", "en": "Computed"}[lang],
        {"zh": "全国（同年）", "en": "China (same year)"}[lang])
    values = series_of(chart)
    assert values[reported] == (None, None, 5.08, 14.95, None)
    assert values[computed] == (None, 11.54, 5.79, 15.04, None)
    assert values[national] == (None, 6.33, 6.38, 6.25, None)
    fig = deck.figure_for("density", tables, EVERY, lang)
    for name, series in ((reported, values[reported]), (computed, values[computed])):
        dashboard = plotted(fig, name)
        assert {n: v for n, v in zip(names, series) if v is not None} == dashboard
    # The flag and the derived national figures are marked on the chart and explained under it.
    assert labels_of(chart, reported) == ["", "", "5.08 ⚑", "14.95", ""]
    assert labels_of(chart, national) == ["", "6.33*", "6.38", "6.25*", ""]
    # The flag's implied population in the reader's units: 360.4万 in Chinese, 3.604 million in English.
    assert "⚑" in slide_text(prs.slides[1]) and ("360.4万" if lang == "zh" else "3.604 million") in slide_text(prs.slides[1])


def test_funding_chart_values_and_bounds_equal_the_dashboards(tables):
    prs = open_deck(tables, PAIR, "zh")
    chart = chart_of(prs.slides[3])
    fig = deck.figure_for("funding", tables, PAIR, "zh")
    bars = {y: x for tr in fig.data if tr.type == "bar" for y, x in zip(tr.y, tr.x)}
    values = series_of(chart)["万元"]
    assert dict(zip(chart.plots[0].categories, values)) == bars
    assert values == (3200.0, 135.0, 55.0, 1100.0, 400.0, 4545.12, 2300.0, 2171.6, 1044.8)
    assert labels_of(chart, "万元") == ["≥ 3,200万元", "135万元", "55万元", "≥ 1,100万元", "≥ 400万元", "4,545.12万元",
                                       "≥ 2,300万元", "2,171.6万元", "1,044.8万元"]
    assert "标记：≥ 下限（超过、以上、不少于）" in slide_text(prs.slides[3])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_funding_units_are_the_readers_and_every_mark_is_in_the_key(tables, lang):
    """English never counts in 万 (CNY million on the axis, in the title and on the bars); Chinese writes 1.8亿元, not
    ≥ 18,000 on a 万元 axis; 近30万 is drawn ≤ and the key says what ≤ means (it said ≈ before)."""
    prs = open_deck(tables, EVERY, lang)
    slide = prs.slides[3]
    chart = chart_of(slide)
    unit = {"zh": "亿元", "en": "CNY million"}[lang]
    text = slide_text(slide)
    assert f"({unit})" in text or f"（{unit}）" in text
    assert list(series_of(chart)) == [unit]
    assert chart.value_axis.axis_title.text_frame.text == unit
    labels = labels_of(chart, unit)
    jiangsu, xuancheng = labels[1], labels[-1]
    if lang == "en":
        assert "万" not in text + "".join(labels) + "".join(chart.plots[0].categories).replace("万元", "")
        assert (jiangsu, xuancheng) == ("≥ 180", "≤ 0.3") and series_of(chart)[unit][1] == 180.0
        assert "Marks: ≥ a lower bound (more than, at least); ≤ an upper bound (nearly, at most)" in text
    else:
        assert (jiangsu, xuancheng) == ("≥ 1.8亿元", "≤ 30万元") and series_of(chart)[unit][1] == 1.8
        assert "标记：≥ 下限（超过、以上、不少于）；≤ 上限（近、不超过）" in text
    assert "≈" not in text  # no approximate figure is drawn, so the key does not explain one


def chart_xml(prs) -> list[str]:
    """The XML of every chart part of a deck, as the file holds it."""
    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(buf) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.startswith("ppt/charts/chart")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bar_label_and_category_is_forced_on_in_the_pptx_xml(tables, lang):
    """LibreOffice dropped every other label of a crowded axis: the file says to show every value (series and point)
    and to skip no category, with a fixed rotation (LibreOffice ignores the skip while rotation is automatic)."""
    import re

    prs = open_deck(tables, EVERY, lang)
    xml = chart_xml(prs)
    assert len(xml) == 3  # two densities and funding; the measures slide is a table
    for part in xml:
        for ser in re.findall(r"<c:ser>.*?</c:ser>", part, re.S):
            dlbls = re.search(r"<c:dLbls>(.*)</c:dLbls>", ser, re.S).group(1)
            points = re.findall(r"<c:pt idx=\"(\d+)\"><c:v>[-0-9.]+</c:v>", ser.split("<c:val>")[1])
            labelled = re.findall(r"<c:dLbl><c:idx val=\"(\d+)\"/>.*?<c:showVal val=\"1\"/>", dlbls, re.S)
            assert points and labelled == points  # a label of its own for every point that has a value
            series_level = re.sub(r"<c:dLbl>.*?</c:dLbl>", "", dlbls, flags=re.S)
            assert '<c:showVal val="1"/>' in series_level and '<c:dLblPos val="outEnd"/>' in series_level
        cat_ax = re.search(r"<c:catAx>.*?</c:catAx>", part, re.S).group(0)
        assert '<c:tickLblSkip val="1"/>' in cat_ax and 'rot="0"' in cat_ax
    for slide in list(prs.slides)[1:4]:
        chart = chart_of(slide)
        for series in chart.plots[0].series:
            assert all(label for label, v in zip(labels_of(chart, series.name), series.values) if v is not None)


def test_measures_slide_is_a_native_table_of_the_matrix(tables):
    prs = open_deck(tables, PAIR, "en")
    table = next(s.table for s in prs.slides[4].shapes if s.has_table)
    header = [table.cell(0, j).text for j in range(3)]
    assert header == ["Category", "Quzhou", "Leshan"]
    rows = {table.cell(i, 0).text: (table.cell(i, 1).text, table.cell(i, 2).text) for i in range(1, len(table.rows))}
    assert rows["Supply · Lottery-fund and other direct funding"] == ("■ done", "□ planned")
    assert rows["Demand · Government purchase of services"] == ("■ done", "■ done")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pair_slide_compares_a_and_b_on_the_census(tables, lang):
    prs = open_deck(tables, PAIR, lang)
    chart = chart_of(prs.slides[5])
    names = {"zh": ("衢州市", "乐山市"), "en": ("Quzhou", "Leshan")}[lang]
    years = {"zh": ("衢州市（2023年）", "乐山市（2021年）"), "en": ("Quzhou (2023)", "Leshan (2021)")}[lang]
    assert series_of(chart) == {years[0]: (15.04, 63.26), years[1]: (5.79, 17.76)}
    # The same computed densities as the dashboard's density chart.
    fig = deck.figure_for("density", tables, PAIR, lang)
    computed = plotted(fig, {"zh": "重新计算", "en": "Computed"}[lang])
    assert (computed[names[0]], computed[names[1]]) == (15.04, 5.79)


def test_takeaways_are_computed_and_link_every_reply_number(tables):
    slides = {s.key: s for s in deck.make_slides(tables, EVERY, "zh")}
    # Each density says which figure it is (the reply's own or computed) and its year: the pair slide's 15.04 and
    # this 14.95 are two figures of one place, and Quzhou (2023) against Leshan (2021) is across years.
    assert deck.takeaway_text(slides["density"].takeaway) == (
        "衢州市每万人拥有社会组织14.95个（答复所述，2023年），约为同年全国（6.25*）的2.4倍；"
        "最低为乐山市（5.79，2021年，按2020年普查人口重新计算）。")
    links = [(p.text, p.href) for p in slides["density"].takeaway if p.href]
    assert links == [("14.95", "/sources?r=quzhou-2023&f=c334"), ("5.79", "/sources?r=leshan-2021&f=c310")]
    assert deck.takeaway_text(slides["funding"].takeaway) == (
        "所述最大一笔：江苏省福利彩票公益金超过1.8亿元（截至2020-12-31 · 仅省本级）；各笔时段与范围不同，未相加。")
    assert [p.href for p in slides["funding"].takeaway if p.href] == ["/sources?r=jiangsu-2021&f=c578"]
    en = {s.key: s for s in deck.make_slides(tables, PAIR, "en")}
    assert deck.takeaway_text(en["pair"].takeaway) == (
        "Quzhou has 15.04 social organisations per 10,000 residents (2023), 2.6 times Leshan (5.79, 2021); "
        "both computed on the 2020 census.")
    assert "computed" in en["pair"].title
    assert deck.takeaway_text(en["density"].takeaway).startswith(
        "Quzhou has 14.95 social organisations per 10,000 residents (as the reply states, 2023)")
    zh = {s.key: s for s in deck.make_slides(tables, PAIR, "zh")}
    assert "（2023年）" in deck.takeaway_text(zh["pair"].takeaway) and "（5.79，2021年）" in deck.takeaway_text(zh["pair"].takeaway)
    # Markdown through app/safe.py: each number a link (its text escaped too), every other word as text.
    assert deck.takeaway_markdown(en["pair"].takeaway).startswith(
        "Quzhou has [15\\.04](/sources?r=quzhou-2023&f=c299&lang=en) social")


def test_a_selection_without_a_count_has_no_density_slide(tables):
    keys = [s.key for s in deck.make_slides(tables, ["xuancheng"], "zh")]
    assert keys == ["funding", "measures"]
    assert len(open_deck(tables, ["xuancheng"], "zh").slides) == 3


def test_file_name_says_places_and_language():
    assert deck.file_name(PAIR, "zh", "pptx") == "social-orgs_quzhou-leshan_zh.pptx"
    assert deck.file_name(["suzhou-jiangsu"], "en", "zip") == "social-orgs_suzhou-jiangsu_en.zip"


def test_slide_type_is_at_least_18_px(tables):
    for slide in deck.make_slides(tables, EVERY, "en"):
        fig = deck.slide_fonts(charts.present_fonts(deck.figure_for(slide.key, tables, EVERY, "en", slide)))
        sizes = [fig.layout.xaxis.tickfont.size, fig.layout.yaxis.tickfont.size, fig.layout.legend.font.size]
        sizes += [a.font.size for a in fig.layout.annotations]
        sizes += [tr.textfont.size for tr in fig.data if getattr(tr, "textfont", None) is not None
                  and tr.textfont.size is not None]
        assert min(sizes) >= 18, (slide.key, sizes)
        heat = [tr for tr in fig.data if tr.type == "heatmap"]
        if heat:
            assert not any("<br>" in y for y in heat[0].y)


@pytest.mark.skipif(not deck.can_make_pngs(), reason="slide pictures need kaleido and a local Chromium")
def test_png_zip_holds_every_slide_at_1920x1080(tables):
    from PIL import Image

    with zipfile.ZipFile(io.BytesIO(deck.build_png_zip(tables, PAIR, "zh"))) as z:
        names = z.namelist()
        assert names == ["00_title.png", "01_density.png", "02_density_community.png", "03_funding.png",
                         "04_measures.png", "05_pair.png"]
        for name in names:
            assert Image.open(io.BytesIO(z.read(name))).size == (1920, 1080)


def router(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update(query)
    return at.run()


def test_present_page_shows_the_takeaway_and_follows_the_url():
    at = router(present="1", j="quzhou,leshan")
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "衢州市每万人拥有社会组织[14\\.95](/sources?r=quzhou-2023&f=c334)个" in shown
    assert "第 1 / 5 张" in shown
    assert {b.proto.label for b in at.get("download_button")} == {"下载演示文稿（PPTX）", "下载幻灯片图片（PNG 1920×1080，ZIP）"} \
        or {b.proto.label for b in at.get("download_button")} == {"下载演示文稿（PPTX）"}
    # The URL moved without a button (Back, or a key): the page follows it.
    at.query_params["step"] = "3"
    at.run()
    assert "第 3 / 5 张" in "\n".join(m.value for m in at.markdown)
    at.button[0].click().run()  # previous
    assert "第 2 / 5 张" in "\n".join(m.value for m in at.markdown)
    assert at.query_params["step"] in ("2", ["2"])


def test_overview_offers_the_deck_made_only_when_clicked(monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    made, built = {}, []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    real = deck.build_pptx
    monkeypatch.setattr(deck, "build_pptx", lambda *a: (built.append(a[1:]), real(*a))[1])
    at = router(lang="en", j="quzhou,leshan")
    assert "Download slides (PPTX)" in [b.proto.label for b in at.get("download_button")]
    assert built == []  # nothing built until the click
    prs = Presentation(io.BytesIO(made["social-orgs_quzhou-leshan_en.pptx"]()))
    assert built == [(["quzhou", "leshan"], "en")] and len(prs.slides) == 6


# ---- outside text on the slides (issue 21, items 7 and 8) ---------------------------------------------------------

# A funding fact's area as typed in the workbench, and a place name edited by hand.
LINKY = "https://evil.example/x :material/warning: www.evil.example"


def edited(tables, columns: dict) -> dict:
    """tables with some cells changed: columns maps (table, column) to {(record id, fact id or None): value}; the
    figures and derived values cached in the dict are left behind, so nothing is reused from the original."""
    out = {k: v for k, v in tables.items() if k not in ("figures", "derived")}
    for (name, column), cells in columns.items():
        frame = out[name].copy()
        for (rid, fid), value in cells.items():
            rows = (frame["record_id"] == rid) & (frame["id"] == fid if fid else True)
            assert rows.any(), (name, rid, fid)
            frame.loc[rows, column] = value
        out[name] = frame
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_links_and_icons_of_the_data_are_text_in_every_takeaway(tables, lang):
    """The presenter's steps 1 and 2 name places, step 3 the largest amount's area: all as text, through app/safe.py.
    The takeaway escaped on its own and left `:material/…:`, bare URLs and www. live."""
    hostile = edited(tables, {
        ("facts", "scope_area"): {("jiangsu-2021", "c578"): LINKY},  # the largest amount: the funding takeaway's
        ("documents", f"name_{lang}"): {("quzhou-2023", None): f"Quzhou {LINKY}"},  # the densest place
    })
    slides = {s.key: s for s in deck.make_slides(hostile, EVERY, lang)}
    for key in ("density", "density_community", "funding"):
        markdown = deck.takeaway_markdown(slides[key].takeaway)
        assert LINKY in deck.takeaway_text(slides[key].takeaway), key
        assert escape_text(LINKY) in markdown, key  # the one function's output, whole
        assert ":material/" not in markdown and "https://" not in markdown and "www." not in markdown, key
        assert [p.href for p in slides[key].takeaway if p.href] and all(
            p.href.startswith("/sources?") for p in slides[key].takeaway if p.href)


def test_reply_titles_are_text_on_the_png_title_slide(tables):
    """The title slide names each reply by its title, which comes from the reply: Plotly text, never its tags."""
    title = "关于<a href='https://evil.example/t'>点我</a>的<b>建议</b>\f"
    hostile = edited(tables, {("documents", "title"): {("quzhou-2023", None): title}})
    notes = [a.text for a in deck.cover_figure(hostile, PAIR, "zh").layout.annotations]
    shown = "".join(notes).replace("<br>", "")  # wrapped to the slide's width: lines broken between characters
    assert "&lt;a href='https://evil.example/t'&gt;点我&lt;/a&gt;的&lt;b&gt;建议&lt;/b&gt;␌" in shown
    assert "<a " not in shown and "<b>建议" not in shown
    prs = Presentation(io.BytesIO(deck.build_pptx(hostile, PAIR, "zh")))  # the PPTX cover names it as typed
    assert "《关于<a href='https://evil.example/t'>点我</a>的<b>建议</b>␌》" in slide_text(prs.slides[0])


def test_every_control_character_of_a_name_reaches_the_deck_visibly(tables):
    """A hand-edited place name holding every control character: the PPTX is made and opens (a chart category with
    \\f was XML nobody could read), each character shown as its Control Picture, in the text and in the chart."""
    controls = "".join(chr(c) for c in range(32)) + "\ufffe"
    hostile = edited(tables, {("documents", "name_en"): {("quzhou-2023", None): "Quzhou" + controls}})
    prs = open_deck(hostile, PAIR, "en")
    shown = "Quzhou␀␁␂␃␄␅␆␇␈\t\n␋␌\n␎␏␐␑␒␓␔␕␖␗␘␙␚␛␜␝␞␟\ufffd"
    assert list(chart_of(prs.slides[1]).plots[0].categories)[0] == shown
    assert shown in prs.slides[1].notes_slide.notes_text_frame.text
    pair_slide = deck.make_slides(hostile, PAIR, "en")[-1]
    fig = deck.slide_figure(deck.figure_for("pair", hostile, PAIR, "en", pair_slide), pair_slide, "en")
    assert "Quzhou␀␁" in fig.layout.title.text and "\x0c" not in fig.to_json()


def test_long_source_lines_leave_the_chart_room(tables):
    """A source line names each reply's issuer: a long one (a hand-edited table) made the chart's height negative and
    python-pptx refused to make the deck. The chart keeps its room; the footnote shrinks its type to fit."""
    long = {("quzhou-2023", None): "衢州市民政局" * 400}  # the issuer rides along with every row (app/data.py)
    hostile = edited(tables, {(name, "issuer"): long for name in ("documents", "facts", "density", "measures")})
    prs = open_deck(hostile, PAIR, "zh")
    for slide in list(prs.slides)[1:]:
        body = next(s for s in slide.shapes if s.has_chart or s.has_table)
        assert body.height >= 1828800 and body.top + body.height <= prs.slide_height  # two inches at least, on the slide
        foot = max((s for s in slide.shapes if s.has_text_frame), key=lambda s: s.top)
        assert "衢州市民政局" * 400 in foot.text_frame.text
        assert foot.text_frame.auto_size == MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presenter_slides_keep_their_notes_out_of_the_chart(tables, lang):
    """At 1280×720 the footnote inside the figure left the density chart 150 px and cut its source line: on the
    presenter's screen every slide's figure has no footnote and a small bottom margin, and its notes (the source line
    whole) are handed to the page, which shows them under the chart."""
    for slide in deck.make_slides(tables, EVERY, lang):
        page = deck.figure_for(slide.key, tables, EVERY, lang, slide)
        shown = deck.keep_cell_words(page, deck.slide_fonts(charts.present_fonts(page)))
        fig, notes = deck.without_footnote(shown)
        assert not [a for a in fig.layout.annotations if a.name == "footnote"], slide.key
        # Only what the place labels under the axis need (three lines on the density chart: name, as of, national).
        assert fig.layout.margin.b <= 140, (slide.key, fig.layout.margin.b)
        source = next(n for n in notes if n.startswith(("来源：", "Source: ")))
        assert source.endswith("2024-07-29") or "2023-07-03" in source, source  # whole, never "2023-07-0"
        assert "&lt;" not in "".join(notes) and "&amp;" not in "".join(notes)
        heat = [tr for tr in fig.data if tr.type == "heatmap"]
        if heat:  # the matrix's cells keep their words, not ■/□ alone
            words = {c for row in heat[0].text for c in row if c}
            assert words <= {"■ " + deck.t("done", lang), "□ " + deck.t("planned", lang)} and len(words) == 2
