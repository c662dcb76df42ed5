"""Time view: each place's figures at every date its replies state them."""
# The page's body is app/page_trends.py: a module is compiled once, a page file on every run.

from app.page_trends import render

render()
