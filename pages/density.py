"""Density page: organisations per 10,000 residents, reported beside computed, with the national line."""
# The page's body is app/page_density.py: a module is compiled once, a page file on every run.

from app.page_density import render

render()
