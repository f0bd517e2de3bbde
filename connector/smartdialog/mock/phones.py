"""Phone numbers in one canonical form (E.164), parsed by region with Google's libphonenumber port."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import phonenumbers

DEFAULT_REGION = "FI"  # the reference page: "Defaults to Finland if left empty"


class PhoneError(ValueError):
    pass


def known_region(code: str) -> bool:
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def canonical_phone(raw: str, regions: Iterable[str] = ()) -> str:
    """``raw`` as E.164 (``+358401234567``), trying each region in order (default Finland). A number
    written in international form (``+46 ...``, ``00358 ...``) parses the same whatever the region."""
    return _canonical(raw, tuple(regions))


@lru_cache(maxsize=4096)  # a flow sends to the same numbers again and again; parsing one costs ~25 µs
def _canonical(raw: str, regions: tuple[str, ...]) -> str:
    if len(raw) > 64 or any(not ch.isprintable() for ch in raw):
        shown = repr(raw) if len(raw) <= 40 else repr(raw[:40]) + f"... ({len(raw)} characters)"
        raise PhoneError(f"{shown} is not a phone number: it is longer than 64 characters or holds control or "
                         "formatting characters (such as a NUL or a right-to-left override)")
    tried = [r.upper() for r in regions if r] or [DEFAULT_REGION]
    for region in tried:
        if not known_region(region):
            raise PhoneError(f"{region!r} is not a phone number region (use a two-letter code such as FI or SE)")
    for region in tried:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    shown = repr(raw) if len(raw) <= 40 else repr(raw[:40]) + f"... ({len(raw)} characters)"
    raise PhoneError(f"{shown} is not a valid phone number in region(s) {', '.join(tried)}")
