"""Checks for icon.png: a PNG, square, 100-230 px, at most 1 MB, opaque background (the four corners) equal to
iconBrandColor from the sibling apiProperties.json."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from .findings import Reporter

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 1024 * 1024
TOLERANCE = 3  # per channel, for colour-managed exports that round the brand colour


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % rgb


def brand_colour(properties: Any) -> tuple[int, int, int] | None:
    colour = properties.get("properties", {}).get("iconBrandColor") if isinstance(properties, dict) and \
        isinstance(properties.get("properties"), dict) else None
    if isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
    return None


def check_icon(rep: Reporter, raw: bytes, properties: Any = None) -> None:
    from PIL import Image

    if len(raw) > MAX_BYTES:
        rep.report("PP3003", "", f"icon.png is {len(raw)} bytes; the limit is 1 MB (1048576 bytes)")
    if not raw.startswith(PNG_SIGNATURE):
        rep.report("PP3001", "", "the file does not start with the PNG signature")
        return
    try:
        with Image.open(io.BytesIO(raw)) as img:
            img.load()
            if img.format != "PNG":
                rep.report("PP3001", "", f"the image is {img.format}, not PNG")
                return
            width, height = img.size
            rgba = img.convert("RGBA")
    except Exception as exc:  # Pillow raises many types for broken images (and DecompressionBombError)
        rep.report("PP3001", "", f"the PNG cannot be decoded: {exc}")
        return
    if width != height or not (100 <= width <= 230):
        rep.report("PP3002", "", f"the icon is {width}x{height} px; it must be square, 100-230 px (230x230 is best)")
    corners = [rgba.getpixel(p) for p in ((0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1))]
    transparent = [c for c in corners if c[3] < 255]
    if transparent:
        rep.report("PP3004", "", f"{len(transparent)} of 4 corners are not opaque (alpha {min(c[3] for c in transparent)})")
        return
    background = Counter(c[:3] for c in corners).most_common(1)[0][0]
    brand = brand_colour(properties)
    if brand is not None:
        if any(abs(a - b) > TOLERANCE for a, b in zip(background, brand)):
            rep.report("PP3005", "", f"the background {_hex(background)} differs from iconBrandColor {_hex(brand)}")
    elif _hex(background) in ("#ffffff", "#007ee5"):
        rep.report("PP3005", "", f"the background {_hex(background)} is not allowed")
