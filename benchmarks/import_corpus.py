#!/usr/bin/env python3
"""Import every swagger of the shared corpus and print three tables.

1. The corpus: files, parseable, exact round trips (import -> module -> load_model -> build -> semantic compare),
   their share, and the total and largest import times.
2. The same corpus through the CLI path (``connector import FOLDER``, then ``connector build --model``), with
   icon, script and readme compared byte for byte.
3. The largest file, step by step, beside peers that read the same file: ``json.load`` (the floor) and
   openapi-spec-validator (a well-known tool that walks the whole swagger). The budget is 2 s for
   ``connector import`` end to end (the command as a user runs it, verification included).

    .venv/bin/python benchmarks/import_corpus.py [--corpus DIR] [--limit N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connector.importer.roundtrip import roundtrip  # noqa: E402

BUDGET_SECONDS = 2.0
JSON_FILES = ("apiDefinition.swagger.json", "apiProperties.json")


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def table(rows: list[tuple], headers: tuple) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (a quick check)")
    parser.add_argument("--runs", type=int, default=3, help="timing runs for the largest file (best is shown)")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*/*/apiDefinition.swagger.json"))
    if not files:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    if args.limit:
        files = files[: args.limit]

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        results = [roundtrip(f, f.parent / "apiProperties.json", Path(work)) for f in files]
    wall = time.perf_counter() - started
    parsed = [r for r in results if r.parsed]
    exact = [r for r in parsed if r.exact]
    slowest = max(parsed, key=lambda r: r.import_seconds)
    share = len(exact) / len(parsed) if parsed else 0.0
    print("Round trip over the corpus (import -> module -> load_model -> build -> semantic compare)\n")
    print(table([(len(results), len(parsed), len(exact), f"{share:.1%}",
                  f"{sum(r.import_seconds for r in parsed):.2f} s", f"{slowest.import_seconds * 1000:.0f} ms",
                  slowest.swagger.parent.name, f"{wall:.1f} s")],
                ("files", "parseable", "exact", "share", "import total", "import max", "slowest file",
                 "wall (with checks)")))
    for r in results:
        if not r.parsed:
            print(f"  not JSON, refused: {r.swagger.parent.name} ({r.problem})")
        elif not r.exact:
            print(f"  NOT EXACT: {r.swagger.parent.name}: {r.problem or '; '.join(r.differences[:3])}")
    checks = sum(1 for r in parsed if r.model_problems)
    print(f"  imported models failing a declaration check (`connector build` refuses until fixed): {checks}")

    cli_share = cli_path(files)

    largest = max((r.swagger for r in parsed), key=lambda p: p.stat().st_size)
    print(f"\nThe largest file: {largest.parent.name} ({largest.stat().st_size / 1e6:.2f} MB), best of {args.runs}\n")
    rows = timings(largest, args.runs)
    print(table(rows, ("step", "seconds")))
    total = dict(rows)["connector import (command, end to end)"]
    verdict = "within" if float(total) < BUDGET_SECONDS else "OVER"
    print(f"\nconnector import: {float(total):.2f} s, {verdict} the {BUDGET_SECONDS:.0f} s budget")
    return 0 if float(total) < BUDGET_SECONDS and share >= 0.99 and cli_share >= 0.99 else 1


def cli_path(files: list[Path]) -> float:
    """The corpus through the commands a user runs: `connector import FOLDER`, then `connector build --model`;
    the share of parseable folders whose swagger and apiProperties come back semantically equal and whose icon,
    script and readme come back byte-identical. Prints its table and every exception with its reason."""
    from connector.importer.roundtrip import cli_roundtrip
    from connector.jsonio import load_json_file

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        results = [cli_roundtrip(f.parent, Path(work)) for f in files]
    wall = time.perf_counter() - started
    parseable = [r for r in results if all(load_json_file(r.folder / n, lenient=True).ok for n in JSON_FILES
                                           if (r.folder / n).is_file())]  # what the platform's parser accepts
    exact = [r for r in parseable if r.exact]
    share = len(exact) / len(parseable) if parseable else 0.0
    carried = {name: sum(1 for r in exact if name in r.compared) for name in ("icon.png", "script.csx", "readme.md")}
    print("\nThrough the CLI (connector import FOLDER, then connector build --model; swagger and apiProperties "
          "semantically equal, icon, script and readme byte-identical)\n")
    print(table([(len(results), len(parseable), len(exact), f"{share:.1%}", carried["icon.png"],
                  carried["script.csx"], carried["readme.md"], f"{wall:.1f} s")],
                ("folders", "parseable", "exact", "share", "icons", "scripts", "readmes", "wall")))
    for r in parseable:
        if not r.exact:
            print(f"  NOT EXACT: {r.folder.name}: {r.problem}")
    return share


def timings(path: Path, runs: int) -> list[tuple[str, str]]:
    from click.testing import CliRunner

    from connector.cli import main as cli
    from connector.importer import import_connector, load_module_text, verify
    from connector.jsonio import load_json_file

    data = json.loads(path.read_text(encoding="utf-8-sig"))
    out: list[tuple[str, str]] = []
    out.append(("peer: json.load", f"{best_of(runs, lambda: json.loads(path.read_text(encoding='utf-8-sig'))):.3f}"))
    try:
        from openapi_spec_validator import OpenAPIV2SpecValidator

        def validate() -> None:
            list(OpenAPIV2SpecValidator(json.loads(path.read_text(encoding="utf-8-sig"))).iter_errors())

        out.append(("peer: openapi-spec-validator (validate)", f"{best_of(runs, validate):.3f}"))
    except ImportError:
        pass
    out.append(("read + parse (load_json_file)", f"{best_of(runs, lambda: load_json_file(path)):.3f}"))
    result = import_connector(data)
    out.append(("swagger -> model -> module text", f"{best_of(runs, lambda: import_connector(data)):.3f}"))
    out.append(("module -> model (exec)", f"{best_of(runs, lambda: load_module_text(result.source)):.3f}"))
    model = load_module_text(result.source)
    out.append(("build + semantic compare", f"{best_of(runs, lambda: verify(model, data)):.3f}"))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "model.py"
        runner = CliRunner()

        def command() -> None:
            res = runner.invoke(cli, ["import", str(path), "--out", str(target), "--force"])
            assert res.exit_code == 0, res.output

        out.append(("connector import (command, end to end)", f"{best_of(runs, command):.3f}"))
    return out


if __name__ == "__main__":
    sys.exit(main())
