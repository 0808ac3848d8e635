"""The Sankey diagram of a balance: inputs → company → outputs, as SVG and Mermaid.

The picture is drawn by this module alone (no browser, no plotting library):
the largest flows per side get a band of their own, the rest are grouped as
"other", the unexplained gap is a band of its own on the side it belongs to,
and flows without a known mass are listed as a note under the picture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .balance import Balance
from .dataset import INPUT_KINDS, Dataset
from .i18n import t
from .numbers import format_number

ZERO = Decimal(0)
TOP = 8
"""Flows per side drawn as a band of their own; the rest are grouped."""

# Drawing sizes in SVG user units (pixels at 100 %).
WIDTH = 960
LABEL_WIDTH = 250
NODE_WIDTH = 14
CENTRE_WIDTH = 26
STACK_HEIGHT = 360
MIN_BAND = 2.0
SLOT = 34.0
"""Vertical room a node needs for its two label lines."""
NODE_GAP = 8.0
TOP_MARGIN = 64.0
NOTE_LINE = 18.0
MAX_LABEL = 34
MAX_TITLE = 90

COLOURS = {
    "raw_material": "#3a7ca5",
    "composite_material": "#5a9bd4",
    "semi_finished": "#7fb3d5",
    "auxiliary": "#8e9eb0",
    "product": "#2e8b57",
    "by_product": "#8cbf4f",
    "waste": "#b5651d",
    "wastewater": "#4f9a9e",
    "emission": "#a3a3a3",
    "other": "#c2c2c2",
    "stock": "#d4ac0d",
    "gap": "#c0392b",
}

# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Band:
    """One band of the picture: a flow, a group of flows, the gap or a stock change."""

    label: str
    kg: Decimal
    role: str
    """The flow kind, or "other", "gap" or "stock"."""
    count: int = 1
    """How many flows the band stands for."""


@dataclass(frozen=True)
class Sankey:
    """What the picture shows, in the reader's language."""

    title: str
    centre: str
    inputs: tuple[Band, ...]
    outputs: tuple[Band, ...]
    inputs_kg: Decimal
    language: str
    notes: tuple[str, ...] = field(default=())
    """Flows not drawn because their mass is unknown or not converted."""


def clean(text: object) -> str:
    """One line of text with no characters XML cannot carry."""
    return " ".join(_NOT_XML.sub("", "" if text is None else str(text)).split())


def build(
    dataset: Dataset, balance: Balance, language: str = "nl", top: int = TOP
) -> Sankey:
    """The bands of a balance: the `top` largest flows per side, the rest as other."""
    sides: dict[str, dict[str, list]] = {"in": {}, "out": {}}
    for flow in dataset.flows:
        kg = flow.kg
        if kg is None or kg <= 0:
            continue
        side = "in" if flow.flow.kind in INPUT_KINDS else "out"
        name = clean(flow.flow.name) or "?"
        # Flows of one name on one side are one band: a reader sees one stream.
        entry = sides[side].setdefault(name, [ZERO, flow.flow.kind, 0])
        entry[0] += kg
        entry[2] += 1

    def grouped(side: str) -> list[Band]:
        bands = [
            Band(name, kg, kind, count)
            for name, (kg, kind, count) in sides[side].items()
        ]
        bands.sort(key=lambda b: (-b.kg, b.label))
        if len(bands) <= top + 1:
            return bands  # grouping one flow as "other" would only hide its name
        rest = bands[top:]
        count = sum(b.count for b in rest)
        other = Band(
            t("sankey.other", language, count=count),
            sum((b.kg for b in rest), ZERO),
            "other",
            count,
        )
        return [*bands[:top], other]

    inputs, outputs = grouped("in"), grouped("out")
    # The two sides weigh the same once the stock change and the gap are drawn:
    # in - out = stock change + gap.
    stock = balance.stock_change_kg
    if stock > 0:
        outputs.append(Band(t("sankey.stock_up", language), stock, "stock"))
    elif stock < 0:
        inputs.append(Band(t("sankey.stock_down", language), -stock, "stock"))
    gap = balance.gap_kg
    if gap > 0:
        outputs.append(Band(t("gap", language), gap, "gap"))
    elif gap < 0:
        inputs.append(Band(t("gap", language), -gap, "gap"))

    notes = [
        f"{clean(item['flow'])}: {clean(item['reason'])}"
        for item in balance.unconverted
    ] + [
        f"{clean(item['flow'])}: {t('report.quantity_unknown', language)}"
        for item in balance.unknown
    ]
    company = clean(dataset.data.company.name) or "?"
    return Sankey(
        title=t("sankey.title", language, company=company),
        centre=company,
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        inputs_kg=balance.inputs_kg,
        language=language,
        notes=tuple(notes),
    )


# SVG


def _x(text: str) -> str:
    """Text for an XML element or a double-quoted attribute."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate, rounded so the file is stable and small."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _figure(band: Band, sankey: Sankey) -> str:
    kg = format_number(band.kg, sankey.language) + " kg"
    if not sankey.inputs_kg:
        return kg
    share = format_number(band.kg / sankey.inputs_kg * 100, sankey.language, 1)
    return f"{kg} · {share} %"


@dataclass
class _Placed:
    band: Band
    y: float
    """Top of the node at the side."""
    height: float
    stack_y: float = 0.0
    """Top of the band where it meets the company node."""


def _place(bands: tuple[Band, ...], scale: float, top: float) -> list[_Placed]:
    placed = []
    y = top
    for band in bands:
        height = max(MIN_BAND, float(band.kg) * scale)
        slot = max(height, SLOT)
        placed.append(_Placed(band, y + (slot - height) / 2, height))
        y += slot + NODE_GAP
    return placed


def _band_path(x1: float, y1: float, x2: float, y2: float, height: float) -> str:
    middle = (x1 + x2) / 2
    return (
        f"M{_n(x1)} {_n(y1)} C{_n(middle)} {_n(y1)} {_n(middle)} {_n(y2)} "
        f"{_n(x2)} {_n(y2)} L{_n(x2)} {_n(y2 + height)} C{_n(middle)} "
        f"{_n(y2 + height)} {_n(middle)} {_n(y1 + height)} {_n(x1)} "
        f"{_n(y1 + height)} Z"
    )


def to_svg(sankey: Sankey) -> str:
    """The picture as a standalone SVG document."""
    total = max(
        sum((b.kg for b in sankey.inputs), ZERO),
        sum((b.kg for b in sankey.outputs), ZERO),
    )
    scale = STACK_HEIGHT / float(total) if total else 0.0
    left = _place(sankey.inputs, scale, TOP_MARGIN)
    right = _place(sankey.outputs, scale, TOP_MARGIN)

    def extent(placed: list[_Placed]) -> float:
        if not placed:
            return TOP_MARGIN
        return max(p.y + max(p.height, SLOT) for p in placed)

    left_stack = sum(p.height for p in left)
    right_stack = sum(p.height for p in right)
    centre_height = max(left_stack, right_stack, 40.0)
    columns_bottom = max(extent(left), extent(right))
    centre_top = TOP_MARGIN + max(
        0.0, (columns_bottom - TOP_MARGIN - centre_height) / 2
    )
    bottom = max(columns_bottom, centre_top + centre_height) + 16

    for placed, stack in ((left, left_stack), (right, right_stack)):
        y = centre_top + (centre_height - stack) / 2
        for p in placed:
            p.stack_y = y
            y += p.height

    x_left = LABEL_WIDTH
    x_centre = WIDTH / 2 - CENTRE_WIDTH / 2
    x_right = WIDTH - LABEL_WIDTH - NODE_WIDTH
    notes = list(sankey.notes)
    height = bottom + (NOTE_LINE * (len(notes) + 1) + 8 if notes else 0)

    out: list[str] = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" height="{_n(height)}" '
        f'role="img" aria-labelledby="sankey-title" class="sankey" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif" '
        'font-size="12">',
        f'<title id="sankey-title">{_x(sankey.title)}</title>',
        "<defs>"
        '<pattern id="sankey-gap-hatch" width="8" height="8" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{COLOURS["gap"]}" fill-opacity="0.18"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{COLOURS["gap"]}" '
        'stroke-width="3" stroke-opacity="0.7"/>'
        "</pattern>"
        "</defs>",
        f'<rect width="{WIDTH}" height="{_n(height)}" fill="#ffffff"/>',
        f'<text x="{WIDTH / 2:g}" y="26" text-anchor="middle" font-size="16" '
        f'font-weight="600" fill="#1d2a25">'
        f"{_x(_short(sankey.title, MAX_TITLE))}</text>",
    ]

    def band_svg(p: _Placed, side: str) -> None:
        band = p.band
        colour = COLOURS.get(band.role, COLOURS["other"])
        gap = band.role == "gap"
        fill = "url(#sankey-gap-hatch)" if gap else colour
        label = f"{band.label}: {_figure(band, sankey)}"
        if side == "in":
            path = _band_path(x_left + NODE_WIDTH, p.y, x_centre, p.stack_y, p.height)
            node_x = x_left
            text_x, anchor = x_left - 8, "end"
        else:
            path = _band_path(
                x_centre + CENTRE_WIDTH, p.stack_y, x_right, p.y, p.height
            )
            node_x = x_right
            text_x, anchor = x_right + NODE_WIDTH + 8, "start"
        role = "gap" if gap else band.role
        out.append(f'<g class="band {side} {role}">')
        out.append(f"<title>{_x(label)}</title>")
        stroke = f' stroke="{colour}" stroke-dasharray="4 3"' if gap else ""
        out.append(
            f'<path d="{path}" fill="{fill}" '
            f'fill-opacity="{"1" if gap else "0.42"}"{stroke}/>'
        )
        out.append(
            f'<rect x="{_n(node_x)}" y="{_n(p.y)}" width="{NODE_WIDTH}" '
            f'height="{_n(p.height)}" fill="{colour}"/>'
        )
        middle = p.y + p.height / 2
        weight = ' font-weight="600"' if gap else ""
        out.append(
            f'<text x="{_n(text_x)}" y="{_n(middle - 2)}" text-anchor="{anchor}" '
            f'fill="#1d2a25"{weight}>{_x(_short(band.label))}</text>'
        )
        out.append(
            f'<text x="{_n(text_x)}" y="{_n(middle + 12)}" text-anchor="{anchor}" '
            f'fill="#55615b">{_x(_figure(band, sankey))}</text>'
        )
        out.append("</g>")

    for p in left:
        band_svg(p, "in")
    for p in right:
        band_svg(p, "out")

    out.append(
        f'<rect class="company" x="{_n(x_centre)}" y="{_n(centre_top)}" '
        f'width="{CENTRE_WIDTH}" height="{_n(centre_height)}" fill="#24583f" rx="3"/>'
    )
    out.append(
        f'<text x="{WIDTH / 2:g}" y="{_n(centre_top - 8)}" text-anchor="middle" '
        f'font-weight="600" fill="#24583f" stroke="#ffffff" stroke-width="4" '
        f'paint-order="stroke">{_x(_short(sankey.centre, 48))}</text>'
    )
    if not left and not right:
        out.append(
            f'<text x="{WIDTH / 2:g}" y="{_n(centre_top + centre_height + 20)}" '
            f'text-anchor="middle" fill="#55615b">'
            f"{_x(t('sankey.empty', sankey.language))}</text>"
        )
    if notes:
        y = bottom + NOTE_LINE
        out.append(f'<g class="notes" transform="translate(16 {_n(y)})">')
        out.append(
            f'<text x="0" y="0" font-weight="600" fill="#8a4b00">'
            f"{_x(t('sankey.not_drawn', sankey.language))}</text>"
        )
        for i, note in enumerate(notes, start=1):
            out.append(
                f'<text x="0" y="{_n(i * NOTE_LINE)}" fill="#55615b">'
                f"{_x('• ' + note)}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# Mermaid


def _csv_field(text: str) -> str:
    """A quoted CSV field, as Mermaid's sankey-beta reads it."""
    return '"' + clean(text).replace('"', '""') + '"'


def plain_kg(value: Decimal) -> str:
    """A mass as plain dot-decimal text, to the gram."""
    rounded = value.quantize(Decimal("0.001"))
    if rounded == 0 and value:
        rounded = value
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def to_mermaid(sankey: Sankey) -> str:
    """The same bands as a Mermaid `sankey-beta` diagram (without the fence)."""
    used: set[str] = set()

    def unique(label: str, side: str) -> str:
        # A node with one name on both sides would make a cycle, which Mermaid
        # refuses; suffix the later one.
        name = clean(label) or "?"
        if name not in used:
            used.add(name)
            return name
        for number in range(1, 1000):
            suffix = t(f"sankey.side_{side}", sankey.language)
            candidate = f"{name} ({suffix})" if number == 1 else f"{name} ({number})"
            if candidate not in used:
                used.add(candidate)
                return candidate
        raise AssertionError("no unique name")  # pragma: no cover

    centre = unique(sankey.centre, "centre")
    lines = ["sankey-beta", ""]
    for band in sankey.inputs:
        name = unique(band.label, "in")
        lines.append(f"{_csv_field(name)},{_csv_field(centre)},{plain_kg(band.kg)}")
    for band in sankey.outputs:
        name = unique(band.label, "out")
        lines.append(f"{_csv_field(centre)},{_csv_field(name)},{plain_kg(band.kg)}")
    return "\n".join(lines)
