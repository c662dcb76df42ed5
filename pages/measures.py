"""Measures page: jurisdiction × measure-category matrix by instrument type, with each cell's sentences."""
# The page's body is app/page_measures.py: a module is compiled once, a page file on every run.

from app.page_measures import render

render()
