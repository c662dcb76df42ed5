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
