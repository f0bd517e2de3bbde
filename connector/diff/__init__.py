"""``connector diff``: breaking and harmless changes between two versions of a connector."""

from .engine import BREAKING, HARMLESS, RULES, Change, Differ, diff

__all__ = ["BREAKING", "HARMLESS", "RULES", "Change", "Differ", "diff"]
