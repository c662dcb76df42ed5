"""Sources page: each reply's cleaned text with its facts highlighted, the raw text and what cleaning removed."""
# The page's body is app/page_sources.py: a module is compiled once, a page file on every run.

from app.page_sources import render

render()
