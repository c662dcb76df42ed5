"""The Sources page in Chromium: struck-through text is what cleaning removed, not the rest of the reply."""

from tests.browser.test_browser import url_of, wait_ready

# Text inside <del> elements, each character counted once (a <del> inside another is not counted twice).
DEL_TEXT_JS = """() => {
  const dels = [...document.querySelectorAll('[data-testid="stMain"] del')].filter(d => !d.parentElement.closest('del'));
  return {struck: dels.reduce((n, d) => n + d.textContent.length, 0), marks: document.querySelectorAll('[data-testid="stMain"] mark').length,
          raw: [...document.querySelectorAll('[data-testid="stMain"] .reply-text')].map(b => b.textContent.length)};
}"""
# What cleaning removes from quzhou-2023 (tests/test_dashboard_export.py): the page once struck through 4,343.
QUZHOU_REMOVED = 173


def test_sources_strikes_through_only_what_cleaning_removed(server, page):
    page.goto(url_of(server, "sources", "r=quzhou-2023"))
    wait_ready(page)
    page.wait_for_selector('[data-testid="stMain"] del', timeout=30_000)
    found = page.evaluate(DEL_TEXT_JS)
    # The browser folds CRLF into LF, so it may count fewer characters than the text holds, never more.
    assert 0 < found["struck"] <= QUZHOU_REMOVED, found
    assert found["marks"] > 0 and len(found["raw"]) == 2 and found["raw"][1] > 4000, found
    assert page.locator('[data-testid="stException"]').count() == 0


# ---- outside markup in a real browser ----------------------------------------------------------------------

import pytest  # noqa: E402

from tests.browser.conftest import start_streamlit, stop_streamlit  # noqa: E402

# What Streamlit would have made of outside text had it been read as Markdown: links, images, math, colours,
# emoji, icons, bold, headings.
MARKUP_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const hits = [];
  // Links: DOM_MARKUP_JS (tests/hostile_tables.py) allows our own addresses only.
  for (const i of main.querySelectorAll('img')) if (/evil|^x$/.test(i.getAttribute('src') || '')) hits.push('img ' + i.src);
  for (const s of main.querySelectorAll('script')) if (/alert/.test(s.textContent)) hits.push('script');  // the presenter's key script is ours
  if (main.querySelector('.katex')) hits.push('math');
  for (const c of main.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground')) hits.push('colour ' + c.textContent);
  for (const b of main.querySelectorAll('strong, b')) if (/粗体|^粗$|^b$|^r$/.test(b.textContent.trim())) hits.push('bold ' + b.textContent);
  for (const h of main.querySelectorAll('h1, h2, h3, h4, h5, h6')) if (h.textContent.trim() === '标题') hits.push('heading');
  if (main.textContent.includes('😄')) hits.push('emoji');
  for (const s of main.querySelectorAll('span[role="img"]')) if (/warning/.test(s.textContent)) hits.push('icon');
  return hits;
}"""


@pytest.fixture(scope="module")
def hostile_server(chromium_path, tmp_path_factory):
    """The dashboard on a copy of data/ holding the hostile reply, curation file and file name of test_dashboard_hostile,
    then every text field of every table made hostile (tests/hostile_tables.py)."""
    from tests.hostile_tables import poison_tables
    from tests.test_dashboard_hostile import HOSTILE_ID, make_hostile_data

    folder = make_hostile_data(tmp_path_factory.mktemp("browser_hostile") / "data")
    renamed = poison_tables(folder)
    url, proc = start_streamlit(data_dir=folder)
    yield url, renamed, renamed[HOSTILE_ID]
    stop_streamlit(proc)


from tests.hostile_tables import DOM_MARKUP_JS, MARKERS, router_pages  # noqa: E402

# Whether the takeaway's first linked number is drawn left to right: its first character left of its last.
NUMBER_LEFT_TO_RIGHT_JS = """() => {
  const a = document.querySelector('.st-key-takeaway a');
  const t = a && a.firstChild;
  if (!t || t.nodeType !== 3 || t.length < 2) return 'no number: ' + (a ? a.textContent : 'no link');
  const left = (i) => { const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
  return left(0) < left(t.length - 1);
}"""

# Every page of the router, and every slide of the presenter (Quzhou against Leshan: five slides, the pair's too).
WALK = [(name, None) for name in router_pages() if name != "present"] + [("present", step) for step in range(1, 6)]


# Each page and slide once in the browser, the languages alternating (both languages of every page and slide are
# walked through AppTest in tests/test_injection.py; the browser adds what Chromium makes of the same elements).
BROWSER_WALK = [(p, s, "zh" if i % 2 == 0 else "en") for i, (p, s) in enumerate(WALK)]


@pytest.mark.parametrize("page_name,step,lang", BROWSER_WALK, ids=[f"{p}{s or ''}-{lang}" for p, s, lang in BROWSER_WALK])
def test_outside_markup_is_text_in_the_browser(hostile_server, page, page_name, step, lang):
    """What Chromium draws of hostile replies and tables: no link, image, icon, emoji, formula or markup element made
    of the data, and the data's text on screen as typed."""
    from urllib.parse import quote

    url, renamed, rid = hostile_server
    every = ",".join(quote(renamed[s]) for s in ("ganzhou", "jiangsu", "leshan", "quzhou", "xuancheng", "jiaxing"))
    pair = f"{quote(renamed['quzhou'])},{quote(renamed['leshan'])}"
    query = {"compare": f"j={every}&a={quote(renamed['jiaxing'])}&b={quote(renamed['quzhou'])}",
             "sources": f"j={quote(renamed['jiaxing'])}&r={quote(rid)}",
             "present": f"j={pair}&step={step}"}.get(page_name, f"j={every}")
    page.goto(url_of(url, page_name, f"{query}&lang={lang}"))
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate(DOM_MARKUP_JS, MARKERS) + page.evaluate(MARKUP_JS) == []
    shown = page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")
    if page_name in ("overview", "compare"):  # the hostile name is on the page, character for character
        name = "嘉兴[链接](https://evil.example/n) **粗** $$\\color{red}{X}$$ :red[红]" if lang == "zh" else \
            "Jiaxing [link](//evil.example) **b** :red[r] $x$ :smile:"
        assert name in shown
    if page_name in ("overview", "present"):  # and the tables' text, links, icons and all
        assert "[evillink](https://evil.example/a) [eviljs](javascript:alert(1))" in shown
        assert ":material/bug_report: :smile: :rocket: :red[evilred]" in shown
    if page_name == "present":
        assert f"{step} / 5" in shown or f"Slide {step} of 5" in shown
        # The names before the takeaway's first number leave overrides (U+202E...) open: the number still reads left to
        # right (it read 59.41 for 14.95), each name's own controls closed after it (app/safe.py close_bidi).
        assert page.evaluate(NUMBER_LEFT_TO_RIGHT_JS) is True
    if page_name == "sources":
        text = page.locator('[data-testid="stMain"] .reply-text').nth(1).inner_text()
        assert "# 标题" in text and "<script>alert(1)</script>" in text and "$$\\color{red}{RED}$$" in text
