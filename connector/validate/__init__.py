"""``connector validate``: offline checks of a Power Platform connector folder against Swagger 2.0 and the
certification rules. ``validate_paths(paths) -> list[Finding]`` is the API; ``cli.validate`` the command."""

from .engine import validate_paths
from .findings import RULES, Finding, Severity

__all__ = ["validate_paths", "Finding", "Severity", "RULES"]
