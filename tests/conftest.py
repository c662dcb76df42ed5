"""Shared paths for the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI runs the same examples every time (a failure there can be replayed); developers explore new ones.
settings.register_profile("ci", derandomize=True, max_examples=200)
settings.register_profile("dev", max_examples=150)
settings.load_profile("ci" if __import__("os").environ.get("CI") else "dev")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` (pytest -n 2): the tests of one browser module stay on one worker, and those modules are
    handed out first (most tests first), so each worker starts at most one dashboard server and one Chromium
    (session fixtures) and the long browser modules do not end the run alone; every other test is handed out
    on its own, as with plain -n. One group for all browser tests was slower: test_sessions.py alone takes
    minutes, so one worker ran browser tests long after the other had finished the rest. (xdist's own
    --dist loadgroup does not group under pytest 9: it renames item._nodeid, which pytest 9 no longer reads.)"""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid.split("::", 1)[0] if nodeid.startswith("tests/browser/") else nodeid

    return BrowserModulesTogether(config, log)
