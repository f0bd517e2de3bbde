"""The lean CI subset of benchmarks/contract_corpus.py: real connectors of ../shared/corpus (one per kind of
authentication, a webhook and a polling trigger) go through `connector import` and `connector contract
--model`, and pass with schemathesis finding nothing. The whole set runs with the script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from contract_corpus import CONNECTORS, CORPUS, LEAN  # noqa: E402


def test_the_lean_subset_covers_every_kind_it_claims():
    covers = dict(CONNECTORS)
    assert set(LEAN) <= set(covers)
    text = " ".join(covers[name] for name in LEAN)
    for kind in ("OAuth", "API key header", "API key in the query", "basic", "webhook", "polling"):
        assert kind in text, kind
    everything = " ".join(covers.values())
    for kind in ("oauth2generic", "aad", "none", "dynamic values", "dynamic schema", "lists"):
        assert kind in everything, kind
    assert len(CONNECTORS) >= 25


def test_lean_corpus_connectors_pass_contract_model():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "contract_corpus.py"), "--lean",
                          "--max-examples", "5"], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert f"{len(LEAN)} of {len(LEAN)} connectors pass" in run.stdout
