"""One colour per jurisdiction, the same on every chart."""

import hashlib

# Okabe-Ito-like palette: distinguishable for colour-blind readers and on a projector.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D31", "#7F7F7F", "#F0E442", "#332288")

# Known places are pinned so adding a new reply never repaints the existing ones.
FIXED = {"quzhou": PALETTE[0], "leshan": PALETTE[1], "jiangsu": PALETTE[2], "ganzhou": PALETTE[3], "xuancheng": PALETTE[4]}

NATIONAL = "#444444"


def color_for(slug: str) -> str:
    """Colour of a jurisdiction; unknown slugs get a stable colour from a hash (not Python's salted hash())."""
    if slug in FIXED:
        return FIXED[slug]
    digest = hashlib.sha1(str(slug).encode("utf-8")).digest()
    return PALETTE[5 + digest[0] % (len(PALETTE) - 5)]


def color_map(slugs) -> dict[str, str]:
    return {slug: color_for(slug) for slug in slugs}


# ---- text in a place's colour ------------------------------------------------------------------------------------

BACKGROUND = "#FFFFFF"  # the page's and the charts' background (Streamlit's light theme, Plotly's white template)

# A darker variant of each palette colour for TEXT (axis labels, names) on the white page: WCAG AA asks a contrast
# of 4.5:1 for text, and Leshan's yellow-orange (#E69F00) gave about 2.2:1, the yellow #F0E442 1.3:1. Same hue,
# less lightness; bars, lines and markers keep the palette colour. tests/test_colors.py checks every pair.
TEXT = {
    "#0072B2": "#0072B2",
    "#E69F00": "#9C6C00",
    "#009E73": "#008460",
    "#CC79A7": "#BB4D8A",
    "#D55E00": "#BE5400",
    "#56B4E9": "#177AB2",
    "#8C6D31": "#8C6D31",
    "#7F7F7F": "#757575",
    "#F0E442": "#80770A",
    "#332288": "#332288",
}


def text_color_for(slug: str) -> str:
    """The colour of a place's name written as text: its chart colour darkened to read at 4.5:1 on white."""
    return TEXT[color_for(slug)]


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(color.lstrip("#")[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str = BACKGROUND) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21); AA asks 4.5 for text, 3 for large text and graphics."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
