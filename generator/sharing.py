"""What a council needs to link to or embed its page: addresses, copyable snippets and the badge's layout.

Pure functions of a council's view and the site's address; the embed card, the badge and the
redirects themselves are written by :mod:`generator.embeds`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .uncertainty import HIGHER, LOWER, NO_AVERAGE, SIMILAR, TOO_FEW
from .views import CouncilView, FigureView

EMBED_HEIGHT = 540  # a card with figures is at most about 520 px tall in an iframe on a 320 px phone, 365 px at 640
EMBED_HEIGHT_NO_FIGURES = 190
BADGE_HEIGHT = 20
BADGE_PADDING = 6
BADGE_LABEL = "complaints upheld"
# Approximate advance widths, in pixels, of 11px Verdana (the badge's first font); the text is
# then fitted to exactly that width with textLength, so any font fills the same box.
_NARROW = {" ": 3.9, ".": 4.4, ",": 4.4, ":": 4.4, "·": 4.4, "i": 3.1, "l": 3.1, "j": 3.4, "f": 3.9, "t": 4.3, "r": 4.7, "(": 5.4, ")": 5.4, "-": 5.0}
_WIDE = {"%": 11.9, "m": 10.7, "w": 9.0, "M": 10.4, "W": 11.1}
_DEFAULT_WIDTH = 7.0


def text_width(text: str) -> float:
    """The width of ``text`` set in 11px Verdana, approximately."""
    return round(sum(_NARROW.get(char, _WIDE.get(char, _DEFAULT_WIDTH)) for char in text), 1)


@dataclass(frozen=True)
class BadgeView:
    """The badge's two halves, their widths and where their text sits, and its text alternative."""

    title: str
    label: str
    value: str
    label_width: float
    value_width: float
    label_text_length: float
    value_text_length: float

    @property
    def width(self) -> float:
        return round(self.label_width + self.value_width, 1)

    @property
    def label_x(self) -> float:
        return round(self.label_width / 2, 1)

    @property
    def value_x(self) -> float:
        return round(self.label_width + self.value_width / 2, 1)


SHORT_VERDICTS = {
    HIGHER: "higher than the average",
    SIMILAR: "similar to the average",
    LOWER: "lower than the average",
    TOO_FEW: "too few to compare",
    NO_AVERAGE: "no average to compare with",
}


def short_count(figure: FigureView) -> str:
    """The counts behind a figure, short: "1 of 2" (or "1 upheld" for the rate per 100,000)."""
    rate = figure.rate
    if rate is None or rate.numerator is None or rate.denominator is None:
        return ""
    if figure.key == "upheld_per_100k":
        return f"{rate.numerator:,} upheld"
    return f"{rate.numerator:,} of {rate.denominator:,}"


def short_verdict(figure: FigureView) -> str:
    """The verdict, short: "too few to compare", "similar to the average 63%"."""
    comparison = figure.comparison
    if comparison is None:
        return ""
    text = SHORT_VERDICTS[comparison.verdict]
    if comparison.verdict in (HIGHER, SIMILAR, LOWER):
        return f"{text} {figure.average.text}"
    return text


def figure_caveat(figure: FigureView) -> str:
    """What a figure rests on and how it compares, for a card or badge: "1 of 2 · too few to compare"."""
    return " · ".join(part for part in (short_count(figure), short_verdict(figure)) if part)


@dataclass(frozen=True)
class EmbedRow:
    label: str
    value_text: str
    caveat: str
    average_text: str


def embed_rows(view: CouncilView) -> list[EmbedRow]:
    return [EmbedRow(figure.label, figure.value_text, figure_caveat(figure), figure.average.text) for figure in view.latest.figures]


def embed_height(view: CouncilView) -> int:
    return EMBED_HEIGHT if view.latest.has_rates else EMBED_HEIGHT_NO_FIGURES


def badge_view(view: CouncilView, title: str) -> BadgeView:
    """The badge of a council's latest upheld rate with its count and verdict: "50% · 1 of 2 · too few to compare"."""
    upheld = view.latest.figures[0]
    label = f"{BADGE_LABEL} {view.latest.year}" if view.latest.has_rates else BADGE_LABEL
    if upheld.status == "value":
        value = f"{upheld.value_text} · {figure_caveat(upheld)}"
    else:
        value = upheld.status
    label_length, value_length = text_width(label), text_width(value)
    return BadgeView(
        title=title,
        label=label,
        value=value,
        label_width=round(label_length + 2 * BADGE_PADDING, 1),
        value_width=round(value_length + 2 * BADGE_PADDING, 1),
        label_text_length=label_length,
        value_text_length=value_length,
    )


@dataclass(frozen=True)
class ShareView:
    """A council page's addresses and the HTML a council copies to link to or embed it.

    Addresses are absolute when the site's address (``site_url``) is known, and from the site's
    root (``/redditch/``) otherwise; ``absolute`` says which.
    """

    absolute: bool
    page_address: str
    code_address: str
    embed_address: str
    badge_address: str
    embed_snippet: str
    badge_snippet: str


def site_root(site_url: str | None) -> str:
    return site_url.rstrip("/") + "/" if site_url else "/"


def share_view(view: CouncilView, badge_alt: str, site_url: str | None) -> ShareView:
    council = view.council
    root = site_root(site_url)
    page = f"{root}{council.slug}/"
    embed = f"{page}embed/"
    badge = f"{page}badge.svg"
    name = html.escape(council.name, quote=True)
    iframe = (
        f'<iframe src="{embed}" title="{name}: complaint figures" width="100%" height="{embed_height(view)}" '
        f'style="border:0;max-width:40rem" loading="lazy"></iframe>'
    )
    image = f'<a href="{page}"><img src="{badge}" alt="{html.escape(badge_alt, quote=True)}" height="{BADGE_HEIGHT}"></a>'
    return ShareView(
        absolute=bool(site_url),
        page_address=page,
        code_address=f"{root}code/{council.code}/",
        embed_address=embed,
        badge_address=badge,
        embed_snippet=iframe,
        badge_snippet=image,
    )
