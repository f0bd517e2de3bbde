"""Small text helpers: edit distance for 'did you mean' suggestions; values and sentences in messages."""

from __future__ import annotations

from functools import lru_cache


def levenshtein(a: str, b: str, limit: int = 1 << 30) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=4096)
def _closest(word: str, candidates: tuple[str, ...], max_distance: int) -> str | None:
    best, best_d = None, max_distance + 1
    for c in candidates:
        d = levenshtein(word.lower(), c.lower(), max_distance)
        if d < best_d:
            best, best_d = c, d
    return best if best_d <= max_distance else None


def closest(word: str, candidates, max_distance: int = 2) -> str | None:
    """The candidate nearest to ``word`` within ``max_distance`` edits (case-insensitive), or None."""
    return _closest(word, tuple(candidates), max_distance)


def show(value) -> str:
    """A value from the user's file as the message shows it: strings in quotes, everything else as JSON writes it
    (null, true, 5, [..]), never a Python repr; long values shortened."""
    import json

    if isinstance(value, str):
        text = "'" + value + "'"
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (ValueError, TypeError, RecursionError):
            text = type(value).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def sentence(text: str) -> str:
    """A message as a sentence: capital first letter, final full stop."""
    text = text.strip()
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():  # an English word, not a key such as info.title or x-ms-summary
        text = text[0].upper() + text[1:]
    if text[-1] not in ".!?":
        text += "."
    return text
