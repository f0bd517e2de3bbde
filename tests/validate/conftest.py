from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from connector.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "compliant"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
if not CORPUS.is_dir():  # the worktree lives beside main; CI clones the project next to shared/
    CORPUS = Path("/work/shared/corpus")


def png(size=(230, 230), colour=(0xDA, 0x3B, 0x01, 255), mode="RGBA", fmt="PNG") -> bytes:
    from PIL import Image

    img = Image.new(mode, size, colour if mode == "RGBA" else colour[:3])
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


class Connector:
    """A copy of the compliant fixture in a temp folder, with JSON documents editable as dicts."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(FIXTURE, root)
        self.swagger = json.loads((root / "apiDefinition.swagger.json").read_text())
        self.props = json.loads((root / "apiProperties.json").read_text())
        self.settings = json.loads((root / "settings.json").read_text())
        self.script = (root / "script.csx").read_text()
        self.raw: dict[str, bytes] = {}  # file name -> bytes written as is, after the documents
        self.remove: list[str] = []

    def write(self) -> Path:
        (self.root / "apiDefinition.swagger.json").write_text(json.dumps(self.swagger, indent=2))
        (self.root / "apiProperties.json").write_text(json.dumps(self.props, indent=2))
        (self.root / "settings.json").write_text(json.dumps(self.settings, indent=2))
        (self.root / "script.csx").write_text(self.script)
        for name, data in self.raw.items():
            (self.root / name).write_bytes(data)
        for name in self.remove:
            (self.root / name).unlink()
        return self.root


def run_cli(*args: str):
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def findings_of(*paths) -> list[dict]:
    result = run_cli("--format", "json", *map(str, paths))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


@pytest.fixture
def connector(tmp_path) -> Connector:
    return Connector(tmp_path / "conn")
