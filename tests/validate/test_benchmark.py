"""CI runs the validate benchmark in full (every corpus folder through the CLI, then openapi-spec-validator on
the same swaggers): it must run, print both sides and the calibration table, and find no label or description
error on what users never see. Times are printed, never asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_validate_benchmark_runs_over_the_whole_corpus():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "validate_corpus.py"), str(CORPUS)],
                          capture_output=True, text=True, timeout=600)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert re.search(r"^725 connector folders", out, re.M), out
    assert "| connector validate --format json FOLDER..." in out and "| openapi-spec-validator alone" in out
    assert re.search(r"ratio connector validate / openapi-spec-validator: \d+\.\d\d", out)
    before, now = map(int, re.search(r"\| folders with >= 1 error \| (\d+) \| (\d+) \|", out).groups())
    assert now < before
    assert "label/description errors on the body wrapper, internal parameters or internal operations: 0" in out
