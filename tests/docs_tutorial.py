"""The tutorial (docs/tutorial.md) as data: the files it prints and the commands it runs, in order.

A fenced block opened with ```python title="NAME" is a file; a ```console block holds commands (lines
starting with "$ ") each followed by the output it prints. Tests run these exactly as printed, and the
preview tests take their example connector from the same page, so it is written once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "docs" / "tutorial.md"

FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.S | re.M)


@dataclass
class Command:
    line: str
    output: list[str] = field(default_factory=list)


@dataclass
class Step:
    kind: str  # "file" or "commands"
    name: str = ""
    text: str = ""
    commands: list[Command] = field(default_factory=list)


def steps(path: Path = TUTORIAL) -> list[Step]:
    out = []
    for lang, info, body in FENCE.findall(path.read_text(encoding="utf-8")):
        title = re.search(r'title="([^"]+)"', info)
        if title:
            out.append(Step("file", name=title.group(1), text=body))
        elif lang == "console":
            step = Step("commands")
            for line in body.splitlines():
                if line.startswith("$ "):
                    step.commands.append(Command(line[2:]))
                elif line.strip() and step.commands:
                    step.commands[-1].output.append(line)
            out.append(step)
    return out


def files(path: Path = TUTORIAL) -> dict[str, str]:
    return {s.name: s.text for s in steps(path) if s.kind == "file"}


def write_files(folder: Path, path: Path = TUTORIAL) -> dict[str, Path]:
    written = {}
    for name, text in files(path).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written[name] = target
    return written
