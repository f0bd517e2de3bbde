"""Validate every swagger of the shared corpus with our full rule set and with openapi-spec-validator alone, in
one run, and print both times and the ratio.

    .venv/bin/python benchmarks/validate_corpus.py [CORPUS_DIR]

Both sides get the same files and include reading and parsing them. Ours is the whole validator
(``validate_paths``: structure via the vendored Swagger 2.0 schema, every certification rule, suppressions);
openapi-spec-validator is ``OpenAPIV2SpecValidator(data).iter_errors()`` exhausted.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def default_corpus() -> Path:
    for candidate in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
        if candidate.is_dir():
            return candidate
    raise SystemExit("corpus not found; pass its folder as the first argument")


def run_ours(files: list[Path]) -> tuple[float, int]:
    from connector.validate.engine import validate_paths

    validate_paths(files[:1])  # warm-up: schema compilation and imports are paid once, like in a CLI run
    start = time.perf_counter()
    count = 0
    for f in files:
        count += len(validate_paths([f]))
    return time.perf_counter() - start, count


def run_osv(files: list[Path]) -> tuple[float, int]:
    from openapi_spec_validator import OpenAPIV2SpecValidator

    start = time.perf_counter()
    count = 0
    for f in files:
        try:
            data = json.loads(f.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            count += 1
            continue
        try:
            count += sum(1 for _ in OpenAPIV2SpecValidator(data).iter_errors())
        except Exception:  # it raises on some inputs; count that as one problem
            count += 1
    return time.perf_counter() - start, count


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else default_corpus()
    files = sorted(corpus.rglob("*.swagger.json"))
    ours, n_ours = run_ours(files)
    osv, n_osv = run_osv(files)
    print(f"{len(files)} swagger files from {corpus}")
    print("| validator                                  | time (s) | per file (ms) | findings |")
    print("|--------------------------------------------|---------:|--------------:|---------:|")
    print(f"| connector validate (all rules + structure) | {ours:8.2f} | {1000 * ours / len(files):13.1f} | {n_ours:8d} |")
    print(f"| openapi-spec-validator alone               | {osv:8.2f} | {1000 * osv / len(files):13.1f} | {n_osv:8d} |")
    print(f"ratio ours / openapi-spec-validator: {ours / osv:.2f}")


if __name__ == "__main__":
    main()
