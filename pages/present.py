"""Presenter page: one point per screen with its takeaway, steered by buttons, keys and the browser's Back."""

from functools import partial
from pathlib import Path


import streamlit as st

from app import charts, deck, layout
from app.safe import escape_text

ctx = layout.setup_page()
layout.require(ctx, "documents", "facts", "density")
lang, T = ctx.lang, ctx.tables

# The slides (takeaway, chart values, sources, quotes) are the deck's: what the screen says is what the file says.
slides = layout.cached_figure(ctx, "deck_slides", lambda: deck.make_slides(T, ctx.slugs, lang))
if not slides:
    st.title(ctx.t("present_title"))
    st.info(ctx.t("no_rows"))
    st.stop()
n = len(slides)

# The figure of each slide is the page's own (same builder, same cache key as the density, funding and measures
# pages), so a slide and its page never disagree and are built once for both.
CACHE = {"density": ("density", {"base": "census"}), "density_community": ("density_community", {"base": "census"}),
         "funding": ("funding", {"mode": "stated", "base": "census"}), "measures": ("measures", {}), "pair": ("pair", {})}


def figure_of(slide):
    name, params = CACHE[slide.key]
    return layout.cached_figure(ctx, name, lambda: deck.figure_for(slide.key, T, ctx.slugs, lang, slide), **params)


SLIDE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.2rem; padding-bottom: 0; }
.st-key-present_bar h1, .st-key-present_bar h1 span { font-size: 1.6rem !important; padding: 0; margin: 0; }
.st-key-present_bar [data-testid="stMarkdownContainer"] p { margin: 0; }
.st-key-takeaway [data-testid="stMarkdownContainer"] p { font-size: 1.15rem; line-height: 1.45; margin: 0; color: #0B3D66; }
.st-key-slide { height: max(%(min)dpx, calc(100vh - 17rem)) !important; max-height: max(%(min)dpx, calc(100vh - 17rem)) !important; min-height: 0 !important; flex: 0 0 auto !important; overflow: hidden; }
.st-key-slide_notes [data-testid="stExpander"] summary { padding-top: 0.2rem; padding-bottom: 0.2rem; }
.st-key-slide [data-testid="stElementContainer"], .st-key-slide [data-testid="stPlotlyChart"] { height: 100% !important; }
</style>
"""

# Keys: a clicker sends PageUp/PageDown, a keyboard ←/→, Home/End. Each key pushes ?step=N onto the history and
# tells Streamlit the URL changed (its own popstate handler reruns with the new query string), so Back undoes a
# key as it undoes a button. Installed once per page load; it does nothing on other pages or inside a widget.
KEYS_JS = """
<script>
(function () {
  window.__slideCount = %d;
  if (window.__slideKeys) return;
  window.__slideKeys = true;
  document.addEventListener('keydown', function (e) {
    if (!document.querySelector('.st-key-present_bar')) return;
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const el = e.target;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    const n = window.__slideCount || 1;
    const url = new URL(window.location.href);
    const step = Math.min(Math.max(parseInt(url.searchParams.get('step') || '1', 10) || 1, 1), n);
    const to = {ArrowRight: step + 1, PageDown: step + 1, ArrowLeft: step - 1, PageUp: step - 1, Home: 1, End: n}[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = Math.min(Math.max(to, 1), n);
    if (next === step) return;
    if (next === 1) url.searchParams.delete('step'); else url.searchParams.set('step', String(next));
    window.history.pushState({}, '', url.toString());
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, true);
})();
</script>
"""


def parse_step(raw: str) -> int:
    step = int(raw)
    if not 1 <= step <= n:
        raise ValueError(raw)
    return step


def url_step() -> int:
    raw = layout._query_value("step")
    try:
        return parse_step(raw) if raw is not None else 1
    except ValueError:
        return 1


STORE, SHOWN = "_v_step", "_step_in_url"
step = layout.url_state("step", 1, parse_step, str)
# The URL moved while no button did (Back, Forward, a key, an edited address): the URL wins.
if SHOWN in st.session_state and url_step() != st.session_state[SHOWN]:
    step = st.session_state[STORE] = url_step()
step = min(max(int(step), 1), n)


def move(to: int) -> None:
    st.session_state[STORE] = min(max(to, 1), n)


slide = slides[step - 1]
fig = figure_of(slide)
# A chart of many rows (funding, measures) needs about 26 px a row at 18-px type; on a small screen the page then
# scrolls rather than labels running into each other. The chart still starts on screen.
# A column chart has no rows: it takes the window's height (less the bar, the takeaway and the notes' line).
rows = deck.slide_rows(fig)
min_height = max(520, 260 + 26 * rows) if rows else 300
# One compact bar (title, position, previous/next, downloads) and under it the takeaway and the chart, sized to the
# window by CSS so the chart starts on screen at 1280×720 as well as at 1920×1080.
st.html(SLIDE_CSS.replace("%(min)d", str(min_height)))
with st.container(key="present_bar"):
    title, label, prev, nxt, files = st.columns([2.6, 1.5, 1.3, 1.3, 1.5], vertical_alignment="center")
    title.title(ctx.t("present_title"))
    label.markdown(f"<div style='text-align:center'>{ctx.t('slide_of', i=step, n=n)}</div>", unsafe_allow_html=True)
    # The keys under the position, in sight (they were inside the download menu); the whole list in its tooltip.
    label.caption(f"<div style='text-align:center'>{ctx.t('present_keys_short')}</div>", unsafe_allow_html=True,
                  help=ctx.t("present_keys"))
    prev.button(ctx.t("prev"), on_click=move, args=(step - 1,), disabled=step <= 1, width="stretch")
    nxt.button(ctx.t("next"), on_click=move, args=(step + 1,), disabled=step >= n, width="stretch")
    with files.popover(ctx.t("deck_menu"), width="stretch"):
        layout.download(st, ctx.t("deck_download"), partial(deck.build_pptx, T, list(ctx.slugs), lang),
                        file_name=deck.file_name(ctx.slugs, lang, "pptx"), mime=deck.PPTX_MIME, key="deck_pptx")
        if deck.can_make_pngs():
            layout.download(st, ctx.t("deck_png"), partial(deck.build_png_zip, T, list(ctx.slugs), lang),
                            file_name=deck.file_name(ctx.slugs, lang, "zip"), mime=deck.ZIP_MIME, key="deck_png")
        else:
            st.caption(ctx.t("deck_png_missing"))
layout.write_query("step", str(step), "1")
st.session_state[SHOWN] = step

with st.container(key="takeaway"):
    st.markdown(deck.takeaway_markdown(slide.takeaway))

# Large type only in presenter mode: beside an open sidebar it would not fit and labels would collide.
if not ctx.present:
    st.caption(ctx.t("present_hint"))


def screen_figure(page_fig):
    """The slide as the screen shows it, and its notes. The footnote (sources, how a value was computed, flags) goes
    under the chart, folded: inside the figure it took five lines of a 720-px screen and cut the source line."""
    shown = deck.keep_cell_words(page_fig, deck.slide_fonts(charts.present_fonts(page_fig))) if ctx.present \
        else page_fig
    return deck.without_footnote(shown)


# Made once per slide, data version, selection and mode: three figure copies a rerun were half of it.
fig, notes = layout.cached_figure(ctx, "present_screen", lambda: screen_figure(fig), slide=slide.key,
                                  present=bool(ctx.present), **CACHE[slide.key][1])
with st.container(key="slide"):
    st.plotly_chart(fig, key=f"slide_{step}", width="stretch", height="stretch",
                    config=layout.plot_config(lang))
if notes:
    with st.container(key="slide_notes"), st.expander(ctx.t("slide_notes", n=len(notes))):
        st.markdown("\n".join(f"- {escape_text(line)}" for line in notes))
st.html(KEYS_JS % n, unsafe_allow_javascript=True)
