"""The baseline of the page benchmarks: the least a Streamlit page with one chart costs on this machine.

A title and one small Plotly bar chart (the dashboard's chart library), no data loading. Every dashboard page is
measured beside this page in the same run (benchmarks/bench_pages.py).
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="minimal", layout="wide")
st.title("Minimal page")
fig = go.Figure(go.Bar(x=["甲", "乙", "丙", "丁", "戊"], y=[3, 1, 4, 1, 5]))
fig.update_layout(title="one chart", template="plotly_white")
st.plotly_chart(fig, key="minimal")
