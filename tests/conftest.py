"""Shared paths for the tests."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import settings  # noqa: E402

# CI runs the same examples every time (a failure there can be replayed); developers explore new ones.
settings.register_profile("ci", derandomize=True, max_examples=200)
settings.register_profile("dev", max_examples=150)
settings.load_profile("ci" if __import__("os").environ.get("CI") else "dev")
