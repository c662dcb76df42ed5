"""The review workbench (curate.py) with the loader unsure of one number, for the browser tests of issue 20.

`streamlit run tests/browser/curate_held.py`: the workbench exactly as `make curate` starts it, after
tests/review_data.py's install_hold_back() has made the extractor hold 860万元 back (as the extractor being written
on another branch marks a number it cannot place). Never part of the app."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from review_data import install_hold_back  # noqa: E402

install_hold_back()
_CURATE = ROOT / "curate.py"
exec(compile(_CURATE.read_text(encoding="utf-8"), str(_CURATE), "exec"))
