"""Place colours used as text read at WCAG AA (4.5:1) on the white page; the contrast formula itself."""

import re

import pytest

from app import colors


def test_contrast_ratio_matches_wcag_reference_values():
    assert colors.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert colors.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert colors.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
    assert colors.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # ... and the just-passes one
    assert colors.contrast_ratio("#E69F00") < 2.5  # Leshan's colour: why text needs a darker variant


def test_every_place_colour_has_a_text_variant_at_4_5_to_1_on_white():
    assert set(colors.TEXT) == set(colors.PALETTE)
    for fill, ink in colors.TEXT.items():
        assert re.fullmatch(r"#[0-9A-F]{6}", ink)
        assert colors.contrast_ratio(ink, colors.BACKGROUND) >= 4.5, (fill, ink)
        # the same hue, only darker: a reader still matches the name to its bars
        assert colors.relative_luminance(ink) <= colors.relative_luminance(fill)
    assert colors.contrast_ratio(colors.NATIONAL) >= 4.5


@pytest.mark.parametrize("slug", ["leshan", "quzhou", "jiangsu", "ganzhou", "xuancheng", "tongling", "chaoyang-beijing"])
def test_text_colour_of_a_place_is_its_colours_variant(slug):
    assert colors.text_color_for(slug) == colors.TEXT[colors.color_for(slug)]
    assert colors.contrast_ratio(colors.text_color_for(slug)) >= 4.5


def test_funding_axis_names_places_in_their_text_colour():
    """The funding chart writes each place's name in its colour: the text variant, never the bar colour."""
    from app import charts
    from app.data import ROOT, read_tables, select

    tables = read_tables(ROOT / "data")
    fig = charts.make_funding_figure(select(tables["facts"], ["leshan", "quzhou"]), "zh")
    ticks = " ".join(str(t) for t in (fig.layout.yaxis.ticktext or ()))
    used = set(re.findall(r"color:\s*(#[0-9A-Fa-f]{6})", ticks))
    assert colors.text_color_for("leshan") in used and colors.text_color_for("quzhou") in used, ticks
    assert colors.color_for("leshan") not in used
    assert all(colors.contrast_ratio(c) >= 4.5 for c in used), used


def test_bar_labels_pick_the_ink_with_more_contrast():
    from app.charts import _ink

    for fill in colors.PALETTE:
        ink = _ink(fill)
        other = "#FFFFFF" if ink == "#1A1A1A" else "#1A1A1A"
        assert colors.contrast_ratio(ink, fill) >= colors.contrast_ratio(other, fill)
