"""The benchmark script runs (CI runs it through this test on a few files; the full run is documented)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import CORPUS, ROOT


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_benchmark_script_prints_its_tables():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "import_corpus.py"), "--corpus", str(CORPUS),
                           "--limit", "6", "--runs", "1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "files  parseable  exact" in proc.stdout and "100.0%" in proc.stdout
    assert "connector import (command, end to end)" in proc.stdout and "within the 2 s budget" in proc.stdout


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_readability_benchmark_prints_its_table():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "import_readability.py"), "--corpus", str(CORPUS),
                           "--limit", "4"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    header, _, row = proc.stdout.strip().splitlines()[-3:]
    assert "numbered names" in header and "default-valued args" in header
    assert row.split()[0] == "4" and int(row.split()[1]) > 100
