"""The linter and the import layers run with the suite, so CI fails on either (rules and contracts are
written down in pyproject.toml: [tool.ruff] and [tool.importlinter])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run(sys.executable, "-m", "ruff", "check", "--no-cache", "connector", "tests", "benchmarks", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_layers_hold():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout, result.stdout


def test_the_layer_check_can_fail(tmp_path):
    """A stage importing a sibling stage breaks the layers contract (the check is not vacuous)."""
    config = (ROOT / "pyproject.toml").read_text()
    probe = ROOT / "connector" / "diff" / "_layer_probe.py"
    probe.write_text("from ..importer import compare  # noqa: F401\n")
    try:
        (tmp_path / "pyproject.toml").write_text(config)
        result = run(str(BIN / "lint-imports"), "--no-cache", "--config", str(tmp_path / "pyproject.toml"))
    finally:
        probe.unlink()
    assert result.returncode != 0 and "connector.diff._layer_probe -> connector.importer.compare" in result.stdout, \
        result.stdout
