"""Shared code of the Streamlit dashboard: data access, charts, strings, layout."""
