"""Shared paths for the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI runs the same examples every time (a failure there can be replayed); developers explore new ones.
settings.register_profile("ci", derandomize=True, max_examples=200)
settings.register_profile("dev", max_examples=150)
settings.load_profile("ci" if __import__("os").environ.get("CI") else "dev")


# The longest tests first (seconds measured on this two-core machine, alone), so that they do not end the run on
# one worker while the other is idle; every other browser test next, then the rest. Node-id prefixes.
LONGEST_FIRST = (
    "tests/browser/test_sessions.py::test_ten_sessions_each_see_their_own_selection",
    "tests/browser/test_sessions.py::test_memory_stays_bounded_over_repeated_page_switches",
    "tests/browser/test_sources_marks.py::test_outside_markup_is_text_in_the_browser",
    "tests/browser/test_workbench_browser.py",
    "tests/browser/test_review_browser.py",
    "tests/browser/test_event_only_browser.py",
    "tests/browser/test_evidence.py::test_every_download_opens_in_pandas_and_openpyxl",
    "tests/test_faults.py",
    "tests/browser/test_present_keys.py::test_keys_and_back_move_between_slides",
    "tests/browser/test_browser.py::test_a_copied_url_reopens_the_same_view_after_a_page_switch",
    "tests/browser/test_evidence.py::test_a_chart_bar_opens_its_sentence",
    "tests/browser/test_present_keys.py::test_slides_are_readable_and_screenshotted",
)
# Tests that share a server of their own (a module-scoped fixture): one worker runs them all, so it starts once.
# Every other browser test uses the one dashboard of the run (tests/browser/conftest.py) and goes to any worker.
ONE_WORKER = ("tests/browser/test_sources_marks.py::test_outside_markup_is_text_in_the_browser",
              "tests/browser/test_review_browser.py",  # in order: its last test saves
              "tests/browser/test_event_only_browser.py",
              "tests/browser/test_over_time_browser.py")


def _rank(nodeid: str) -> int:
    for i, prefix in enumerate(LONGEST_FIRST):
        if nodeid.startswith(prefix):
            return i
    return len(LONGEST_FIRST) + (0 if nodeid.startswith("tests/browser/") else 1)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: _rank(item.nodeid))  # stable: collection order within a rank


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` (pytest -n 2): tests are handed out one at a time in the order above (longest first), except the
    tests of one ONE_WORKER prefix, which go to one worker together. Each worker launches one Chromium; the
    dashboard server is shared by both. (xdist's own --dist loadgroup does not group under pytest 9: it renames
    item._nodeid, which pytest 9 no longer reads.)"""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    config.option.loadscopereorder = False  # keep the order above, not "most tests per group first"

    class LongestFirst(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((prefix for prefix in ONE_WORKER if nodeid.startswith(prefix)), nodeid)

    return LongestFirst(config, log)


@pytest.fixture(scope="session")
def over_time_data(tmp_path_factory):
    """data/ with three Quzhou replies (tests/over_time.py), built once per test process; read only."""
    from tests.over_time import make_over_time_data

    return make_over_time_data(tmp_path_factory.mktemp("over_time") / "data")
