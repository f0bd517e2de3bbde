"""icon.png: the connector's brand colour with its glyph in white, as certification wants it.

230 x 230 pixels, RGB (no transparency), the background exactly ``iconBrandColor``, the glyph (a few
letters, ``Connector.glyph``) fitted into the central 160 x 160 square. The letters are set in the font
that Pillow itself ships (``ImageFont.load_default``), so every machine with the package draws the same
pixels; the PNG carries no timestamp, text or physical-size chunk, so the same model gives the same bytes. A connector whose ``icon`` names a file gets that file unchanged.
"""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw, ImageFont

from ..errors import ConnectorError
from ..model import Connector

SIZE = 230
LOGO = 160  # the glyph fits in a LOGO x LOGO square centred in the icon
WHITE = (255, 255, 255)
DEFAULT_COLOR = "#da3b01"  # the background when the connector has no brand colour
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def brand_rgb(connector: Connector) -> tuple[int, int, int]:
    match = _HEX.match(DEFAULT_COLOR if connector.brand_color is None else connector.brand_color)
    if not match:
        raise ConnectorError(f"brand_color {connector.brand_color!r} of connector '{connector.title}' is not a "
                             "'#rrggbb' colour; declare it like brand_color=\"#254A8E\".")
    value = match.group(1)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _stroke(size: int) -> int:
    return max(1, size // 28)  # a little weight: Pillow's font is a regular cut


def _fit(glyph: str) -> tuple[ImageFont.FreeTypeFont, int]:
    """The largest font size (and stroke) whose drawn glyph fits the LOGO square."""
    lo, hi, best = 8, 400, None
    while lo <= hi:
        mid = (lo + hi) // 2
        font = ImageFont.load_default(size=mid)
        left, top, right, bottom = font.getbbox(glyph, stroke_width=_stroke(mid))
        if right - left <= LOGO and bottom - top <= LOGO:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    size = best or 8
    return ImageFont.load_default(size=size), _stroke(size)


def draw_icon(connector: Connector) -> Image.Image:
    background = brand_rgb(connector)
    image = Image.new("RGB", (SIZE, SIZE), background)
    glyph = connector.glyph
    font, stroke = _fit(glyph)
    left, top, right, bottom = font.getbbox(glyph, stroke_width=stroke)
    x = (SIZE - (right - left)) // 2 - left
    y = (SIZE - (bottom - top)) // 2 - top
    ImageDraw.Draw(image).text((x, y), glyph, font=font, fill=WHITE, stroke_width=stroke, stroke_fill=WHITE)
    return image


def icon_png(connector: Connector) -> bytes:
    out = io.BytesIO()
    # no pnginfo, no dpi: Pillow then writes IHDR, IDAT and IEND only (no time or text chunks)
    draw_icon(connector).save(out, format="PNG", optimize=True)
    return out.getvalue()


def emit(connector: Connector, context: object = None) -> bytes:
    if connector.icon is not None:  # the author's own icon, copied byte for byte
        return connector.icon.read_bytes()
    return icon_png(connector)
