"""Compare page: two jurisdictions, headline figures first with their evidence and comparability warnings, then
every indicator, the measures only one has (or has done where the other only plans) and the sentences."""
# The page's body is app/page_compare.py: a module is compiled once, a page file on every run.

from app.page_compare import render

render()
