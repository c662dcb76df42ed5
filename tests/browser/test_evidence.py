"""Evidence a reader can follow, in a real Chromium: a number leads to its sentence with the number marked, Chinese
amounts in 亿, a compare page that follows the sidebar, and downloads that open in pandas and openpyxl."""

import io
import time
import zipfile
from urllib.parse import parse_qs, urlparse

import openpyxl
import pandas as pd
import pytest

from app.i18n import t
from tests.browser.conftest import SCREENSHOTS, SIZES
from tests.browser.test_browser import TIMEOUT, main_text, url_of, wait_ready
from tests.test_dashboard_export import check_data_package

TARGET_STYLE_JS = """(id) => {
  const el = document.getElementById(id);
  if (!el) return null;
  const box = el.getBoundingClientRect();
  const scroller = el.closest('[data-testid="stVerticalBlockBorderWrapper"], .stVerticalBlock') || document.body;
  const frame = el.closest('[data-testid="stVerticalBlock"]')?.parentElement?.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {text: el.textContent, tag: el.tagName, bg: style.backgroundColor, weight: style.fontWeight,
          top: box.top, bottom: box.bottom, height: window.innerHeight,
          sentence: getComputedStyle(el.parentElement).backgroundColor, title: el.title};
}"""


IN_VIEW_JS = """(id) => {
  const el = document.getElementById(id);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def assert_number_marked(page, fact_id: str, number: str) -> dict:
    """The number itself is marked in its own style, inside its yellow sentence, and scrolled into view."""
    # The page's scroll script runs once the text is drawn: wait until the number is on screen (or time out).
    page.wait_for_function(IN_VIEW_JS, arg=f"f-{fact_id}", timeout=TIMEOUT)
    info = page.evaluate(TARGET_STYLE_JS, f"f-{fact_id}")
    assert info["text"].startswith(number) and info["tag"] == "MARK"
    assert info["bg"] == "rgb(211, 84, 0)" and int(info["weight"]) >= 700  # dark orange, bold: apart from the rest
    assert info["sentence"] == "rgb(255, 224, 102)"  # its sentence in yellow
    assert 0 <= info["top"] and info["bottom"] <= info["height"], info  # on screen, not 3 screens down
    assert number in info["title"]
    return info


# Both languages and both sizes, each once (Chinese on the projector's 1280x720, English at 1920x1080).
@pytest.mark.parametrize("lang,size", [("zh", "1280x720"), ("en", "1920x1080")], ids=["zh-1280x720", "en-1920x1080"])
def test_a_cards_14_95_leads_to_its_sentence_with_14_95_marked(server, page, lang, size):
    w, h = SIZES[size]
    page.set_viewport_size({"width": w, "height": h})
    page.goto(url_of(server, "overview", f"lang={lang}&j=quzhou,leshan"))
    wait_ready(page)
    link = page.locator('[data-testid="stMain"] a', has_text="14.95").first
    href = link.get_attribute("href")
    assert "r=quzhou-2023" in href and "f=c334" in href
    link.focus()  # a link a keyboard reaches
    before = len(page.context.pages)
    page.keyboard.press("Enter")
    # Streamlit opens Markdown links in a new tab; either way the reader lands on the sentence.
    deadline = time.monotonic() + TIMEOUT / 1000
    while len(page.context.pages) == before and "/sources" not in page.url:
        assert time.monotonic() < deadline, "Enter on the focused link opened nothing"
        page.wait_for_timeout(100)
    target = page.context.pages[-1] if len(page.context.pages) > before else page
    target.wait_for_url("**/sources?**", timeout=TIMEOUT)
    wait_ready(target)
    query = parse_qs(urlparse(target.url).query)
    assert query["r"] == ["quzhou-2023"] and query["f"] == ["c334"]
    assert_number_marked(target, "c334", "14.95")
    assert "14.95" in main_text(target)
    shot(target, f"evidence_sources_{lang}_{size}")


TARGET_ID_JS = "(document.querySelector(':target') || {id: null}).id"


def test_the_facts_list_beside_the_text_works_by_keyboard(server, page):
    page.goto(url_of(server, "sources", "r=leshan-2021&lang=en"))
    wait_ready(page)
    link = page.locator('nav a[href="#f-c390"]')
    link.focus()
    # focus() alone scrolls the list item, and the number beside it, into view: what only Enter does is follow
    # the link, making the number the document's :target.
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#f-c390"
    assert page.evaluate(TARGET_ID_JS) is None
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({TARGET_ID_JS}) === 'f-c390'", timeout=10_000)  # times out unless Enter followed it
    page.wait_for_function(IN_VIEW_JS, arg="f-c390", timeout=10_000)
    box = page.locator("#f-c390").bounding_box()
    assert box and 0 <= box["y"] <= page.viewport_size["height"]
    assert page.locator("#f-c390").get_attribute("title").startswith("Social organisations per 10,000")
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "evidence_keyboard_en")


def test_a_chart_bar_opens_its_sentence(server, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(url_of(server, "funding", "lang=zh&j=jiangsu"))
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT)
    svg = page.locator(".js-plotly-plot").first.inner_text()
    assert "1.8亿元" in svg and "超过" in svg  # 1.8亿余元: in 亿 with its bound, never 18,000万元
    assert "亿元" in svg and "k" not in svg.replace("Make", "")  # the axis reads in 亿元, never "5k"
    shot(page, "evidence_funding_zh")
    # Plotly takes clicks on its drag layer above the bars: click where the first bar is drawn.
    box = page.locator(".js-plotly-plot g.point path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/sources?**", timeout=TIMEOUT)
    wait_ready(page)
    fact = parse_qs(urlparse(page.url).query)["f"][0]
    assert page.locator(f"#f-{fact}").count() == 1
    shot(page, "evidence_from_chart_zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_follows_the_sidebar_and_carries_the_flag(server, page, lang):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(url_of(server, "compare", f"lang={lang}&j=quzhou,leshan"))
    wait_ready(page)
    boxes = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]')
    names = {"zh": ("衢州市", "乐山市"), "en": ("Quzhou", "Leshan")}[lang]
    shown = [boxes.nth(i).locator("input").first.input_value() for i in (0, 1)]
    assert names[0] in shown[0] and names[1] in shown[1], shown
    table = page.locator('[data-testid="stMain"] table').first.inner_text()
    row = next(line for line in table.splitlines() if "5.08" in line)
    assert "⚠" in row
    assert "5,611" in table and ("其中" in table or "of which" in table)
    shot(page, f"evidence_compare_{lang}")


def _download(page, label: str, nth: int = 0):
    with page.expect_download(timeout=TIMEOUT) as info:
        page.locator('[data-testid="stDownloadButton"] button', has_text=label).nth(nth).click()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()


def _tidy_csv(body: bytes) -> pd.DataFrame:
    df = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    assert {"record_id", "fact_id", "value", "unit", "qualifier", "quote", "raw_sha256"} <= set(df.columns)
    assert pd.api.types.is_float_dtype(df["value"]) or pd.api.types.is_integer_dtype(df["value"])
    assert all(c == c.lower() and " " not in c for c in df.columns)
    return df


def _open_expanders(page):
    for details in page.locator('[data-testid="stExpander"] details').all():
        if details.get_attribute("open") is None:
            details.locator("summary").first.click()
    page.wait_for_timeout(600)


def test_every_download_opens_in_pandas_and_openpyxl(server, page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    for name, query in (("overview", "j=quzhou,leshan"), ("funding", "j=quzhou,leshan&mode=per_year"),
                        ("compare", "j=quzhou,leshan")):
        page.goto(url_of(server, name, "lang=en&" + query))
        wait_ready(page)
        _open_expanders(page)
        file, body = _download(page, t("download_csv", "en"))
        df = _tidy_csv(body)
        assert file.endswith(".csv") and set(df["jurisdiction"]) <= {"quzhou", "leshan"} and len(df) > 0
        if name == "funding":
            assert pd.api.types.is_float_dtype(df["value_charted"]) and set(df["value_charted_unit"]) == {"yuan_per_year"}
    page.goto(url_of(server, "data", "lang=en&j=quzhou,leshan"))
    wait_ready(page)
    _tidy_csv(_download(page, t("dl_csv", "en"))[1])
    file, body = _download(page, t("dl_xlsx", "en"))
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["data", "sources", "columns"]
    data = pd.read_excel(io.BytesIO(body), sheet_name="data")
    assert pd.api.types.is_float_dtype(data["value"]) and pd.api.types.is_datetime64_any_dtype(data["document_date"])
    file, body = _download(page, t("dl_zip", "en"))
    zf = zipfile.ZipFile(io.BytesIO(body))
    assert {"datapackage.json", "README.txt", "facts.csv", "density.csv"} <= set(zf.namelist())
    check_data_package(zf)
