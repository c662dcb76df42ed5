"""Data page: filter the curated tables and download displayed rows or full tables as CSV, XLSX or JSON."""
# The page's body is app/page_data.py: a module is compiled once, a page file on every run.

from app.page_data import render

render()
