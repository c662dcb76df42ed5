"""How much one page sends to the browser, whatever the number of replies.

With five replies nothing here cuts anything; with ~10,000 replies from ~300 places an unbounded table or chart
takes minutes to send and cannot be read anyway. Every cut is said on screen, with what was left out and how to
see it (a download, or a smaller selection in the sidebar).
"""

MAX_TABLE_ROWS = 1_000  # rows of one st.dataframe; the download buttons next to it carry every row
MAX_PLACES = 12  # overview cards, heatmap columns, density bars, distinctive-terms columns, the sidebar's default
MAX_BARS = 40  # funding bars (one per stated amount) in one figure
MAX_NAMES = 20  # place names listed in a note about a cut before "and N more"
MAX_SOURCES = 12  # replies named in a figure's source footnote before "and N more replies"
MAX_CARD_AMOUNTS = 10  # funding lines in one overview card
MAX_QUOTES = 40  # sentences listed in one section of the compare page (the five replies have at most 28)
