"""Funding page: amounts by channel and jurisdiction, as stated, per year or per resident, plans apart."""
# The page's body is app/page_funding.py: a module is compiled once, a page file on every run.

from app.page_funding import render

render()
