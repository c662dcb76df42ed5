"""Review workbench: add a reply and vouch for its numbers in the browser. Started only by `make curate` (127.0.0.1)."""
# The page's body is app/page_review.py: a module is compiled once, a page file on every run.

import streamlit as st

from app import workbench as wb
from app.i18n import t
from app.page_review import review_page

st.set_page_config(page_title=t("wb_title", wb.current_lang()), layout="wide")
# One page, declared: without st.navigation Streamlit would list the dashboard's pages/ folder beside this script.
st.navigation([st.Page(review_page, title=t("wb_title", wb.current_lang()), url_path="curate", default=True)],
              position="hidden").run()
