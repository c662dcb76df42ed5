"""About page: what social organisations are, where the replies come from, how figures are checked, how to cite."""
# The page's body is app/page_about.py: a module is compiled once, a page file on every run.

from app.page_about import render

render()
