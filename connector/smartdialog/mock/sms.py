"""How many SMS parts a text takes: GSM 03.38 7-bit (160 alone, 153 per concatenated part; the extension
table's characters take two septets and never straddle a part boundary) or, as soon as one character is
outside the GSM alphabet, UCS-2 (70 alone, 67 per part, counted in UTF-16 code units; a surrogate pair is
never split)."""

from __future__ import annotations

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("\f^{}\\[~]|€")


def encoding(text: str) -> str:
    return "GSM-7" if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text) else "UCS-2"


def _parts(units: list[int], single: int, multi: int) -> int:
    """Parts needed for characters of the given unit sizes, never splitting a character."""
    total = sum(units)
    if total <= single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > multi:
            parts += 1
            used = 0
        used += size
    return parts


def part_count(text: str) -> int:
    if encoding(text) == "GSM-7":
        return _parts([2 if ch in GSM_EXTENSION else 1 for ch in text], 160, 153)
    return _parts([2 if ord(ch) > 0xFFFF else 1 for ch in text], 70, 67)
