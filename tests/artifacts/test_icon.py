"""icon.png: 230 x 230 opaque PNG in the brand colour, a white glyph in the central 160 x 160, < 1 MB."""

from __future__ import annotations

import io
import json
import struct
from dataclasses import replace

import pytest
from PIL import Image, ImageChops

from conftest import BUILD
from connector.errors import ConnectorError
from connector.generate.icon import icon_png


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def chunks(png: bytes) -> list[str]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        out.append(png[pos + 4:pos + 8].decode("ascii"))
        pos += 12 + length
    return out


def check_icon(data: bytes, brand: str) -> None:
    assert len(data) < 1024 * 1024
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (230, 230) and image.mode == "RGB"  # RGB: no alpha at all
    image = image.convert("RGB")
    colour = rgb(brand)
    for corner in ((0, 0), (229, 0), (0, 229), (229, 229)):
        assert image.getpixel(corner) == colour, corner
    # the whole 35-pixel frame around the logo square is background
    frame = [image.getpixel((x, y)) for x in range(230) for y in range(230)
             if not (35 <= x < 195 and 35 <= y < 195)]
    assert set(frame) == {colour}
    # the glyph: white, inside the central 160 x 160, and about that size
    background = Image.new("RGB", image.size, colour)
    box = ImageChops.difference(image, background).getbbox()  # everything that is not background
    assert box is not None, "no glyph drawn"
    assert (255, 255, 255) in {image.getpixel((x, y)) for x in range(35, 195) for y in range(35, 195)}
    left, top, right, bottom = box
    assert 35 <= left and 35 <= top and right <= 195 and bottom <= 195, box
    assert max(right - left, bottom - top) >= 140, box
    assert abs((left + right) / 2 - 115) <= 2 and abs((top + bottom) / 2 - 115) <= 2, box  # centred


def test_committed_icon_meets_the_certification_rules():
    data = (BUILD / "icon.png").read_bytes()
    brand = json.loads((BUILD / "apiProperties.json").read_text())["properties"]["iconBrandColor"]
    check_icon(data, brand)


def test_no_metadata_chunks():
    """Only image data: no time, text, gamma or physical-size chunks that could differ between machines."""
    names = chunks((BUILD / "icon.png").read_bytes())
    assert names[0] == "IHDR" and names[-1] == "IEND" and set(names[1:-1]) == {"IDAT"}


@pytest.mark.parametrize("brand", ["#000000", "#DA3B01", "#0a7c59", "#808080"])
def test_any_brand_colour(smartdialog, brand):
    check_icon(icon_png(replace(smartdialog, brand_color=brand)), brand)


@pytest.mark.parametrize("glyph", ["W", "ABC", "Mm"])
def test_any_glyph_fits(smartdialog, glyph):
    check_icon(icon_png(replace(smartdialog, icon_glyph=glyph)), smartdialog.brand_color)


def test_glyph_defaults_to_the_titles_initials(smartdialog):
    c = replace(smartdialog, title="Tiny Weather", icon_glyph=None)
    assert c.glyph == "TW"
    assert icon_png(c) == icon_png(replace(c, icon_glyph="TW"))
    assert icon_png(c) != icon_png(replace(c, icon_glyph="TX"))


def test_same_model_same_bytes(smartdialog):
    assert icon_png(smartdialog) == icon_png(smartdialog) == (BUILD / "icon.png").read_bytes()


@pytest.mark.parametrize("bad", ["254A8E", "#254A8", "#GGGGGG", "blue", ""])
def test_a_bad_brand_colour_is_a_clear_error(smartdialog, bad):
    with pytest.raises(ConnectorError) as info:
        icon_png(replace(smartdialog, brand_color=bad))
    assert "brand_color" in info.value.format_message() and "#254A8E" in info.value.format_message()
