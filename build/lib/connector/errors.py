"""User-facing errors: every one carries a message that names the place and the fix, and an exit code.

They subclass ``click.ClickException`` so the command line prints ``Error: ...`` and exits with the code,
never a traceback.
"""

from __future__ import annotations

import click


class ConnectorError(click.ClickException):
    """Base of every error a user can cause. ``exit_code`` 1 unless a subclass says otherwise."""

    exit_code = 1


class UsageError(ConnectorError):
    """Bad command-line input or an unreadable file (exit 2, like click's own usage errors)."""

    exit_code = 2


class DeclarationError(ConnectorError):
    """A connector declaration breaks one or more model rules. Holds every problem, not just the first."""

    exit_code = 1

    def __init__(self, problems: list[str], source: str = "model"):
        self.problems = list(problems)
        self.source = source
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the connector declaration ({source}):\n{lines}")
