"""Overview page: one card per reply with its headline figures, and what it does not state."""
# The page's body is app/page_overview.py: a module is compiled once, a page file on every run.

from app.page_overview import render

render()
