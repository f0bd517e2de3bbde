"""Small text helpers: edit distance for 'did you mean' suggestions."""

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
