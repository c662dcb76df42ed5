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
