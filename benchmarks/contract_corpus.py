"""`connector import FOLDER` -> `connector contract --model FILE` over real connectors of ../shared/corpus.

The connectors are chosen to cover every authentication kind (OAuth 2.0 with the generic, aad and
oauth2generic identity providers, an API key in a header and in the query, basic, none), webhook and
polling triggers, dropdowns (x-ms-dynamic-values), lists and dynamic schemas. Each runs through the CLI as a
user runs it: import into a Python module, then the contract run, which starts the generic mock, runs the
derived scenarios and schemathesis with every default check. Prints one row per connector and the total.

    .venv/bin/python benchmarks/contract_corpus.py              # the whole set
    .venv/bin/python benchmarks/contract_corpus.py --lean       # the subset CI runs
    .venv/bin/python benchmarks/contract_corpus.py --only Pushcut --verbose
    .venv/bin/python benchmarks/contract_corpus.py --folder PATH...   # any other connector folders

Exit code 1 when any connector fails.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

# (corpus folder, what it covers). Keep every kind covered when changing the list.
C, U, I = "certified-connectors/", "custom-connectors/", "independent-publisher-connectors/"
CONNECTORS: list[tuple[str, str]] = [
    (C + "Datablend", "OAuth 2.0 (oauth2), basePath /, lists, create"),
    (C + "Yeelight", "OAuth 2.0 (oauth2generic template)"),
    (C + "ModuleQ", "OAuth 2.0 (aad), polling trigger"),
    (C + "PROS AI", "OAuth 2.0 (aad)"),
    (C + "Public360", "OAuth 2.0 (aad)"),
    (C + "Eigen Events Connector", "API key header, webhook trigger, dynamic values, dynamic schema"),
    (C + "JotForm Enterprise", "API key header, webhook trigger, dynamic values, dynamic schema"),
    (C + "Feathery Forms", "API key header, polling triggers, lists"),
    (C + "Documenatron Templating", "API key header"),
    (C + "SMSLink", "API key in the query"),
    (C + "Tesseron Asset", "API key in the query, integer ids"),
    (C + "BulkSMS", "basic"),
    (C + "WenDocs Linker", "basic, lists"),
    (C + "Babybots", "basic"),
    (C + "DomainToolsIrisEnrich", "basic"),
    (C + "Jupyrest", "none, dynamic values, dynamic schema"),
    (C + "Certopus", "API key header, dynamic list through a list GET ending in a parameter"),
    (C + "DataMotion", "none, delete with 204"),
    (C + "HitHorizons", "API key header"),
    (C + "HubPlanner", "API key header"),
    (C + "LeadDesk", "API key in the query"),
    (C + "Repfabric Lead Loader", "basic"),
    (C + "KnowledgeLakeRPA", "none, lists"),
    (U + "Infobip", "basic, webhook trigger"),
    (I + "1pt", "none"),
    (I + "Affirmations", "none"),
    (I + "Coinbase", "none"),
    (I + "AADInvitationManager", "OAuth 2.0 (oauth2)"),
    (I + "Abstract Holidays", "API key in the query, lists"),
    (I + "Calendarific", "API key in the query, lists"),
    (I + "AMEE Open Business", "basic, lists"),
]
# CI (tests/contract/test_contract_corpus.py): one per kind of authentication, a webhook and a polling trigger
LEAN: tuple[str, ...] = (C + "Datablend", C + "Eigen Events Connector", C + "Feathery Forms", C + "SMSLink",
                         C + "BulkSMS")


@dataclass
class Row:
    name: str
    covers: str
    ok: bool
    scenarios: str
    fuzz: str
    seconds: float
    detail: str = ""


def connector_cmd() -> list[str]:
    return [sys.executable, "-c", "from connector.cli import main; main()"]


def run_one(folder: Path, covers: str, work: Path, max_examples: int, verbose: bool) -> Row:
    start = time.perf_counter()
    name = folder.name
    module = work / re.sub(r"\W+", "_", name).strip("_").lower() / "model.py"
    imported = subprocess.run([*connector_cmd(), "import", str(folder), "--out", str(module), "--force"],
                              capture_output=True, text=True, timeout=300)
    if imported.returncode != 0:
        return Row(name, covers, False, "-", "-", time.perf_counter() - start,
                   "import failed: " + (imported.stdout + imported.stderr).strip()[-600:])
    run = subprocess.run([*connector_cmd(), "contract", "--model", str(module), "--max-examples",
                          str(max_examples)], capture_output=True, text=True, timeout=600)
    out = run.stdout + run.stderr
    if verbose:
        print(out)
    total = re.search(r"(\d+) scenarios: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?", out)
    fuzz = re.search(r"schemathesis\s+[\d.]+s\s+(\d+) operations, (\d+) failures, (\d+) errors", out)
    scenarios = f"{total.group(2)}/{total.group(1)}" + (f" ({total.group(4)} skipped)" if total and total.group(4)
                                                        else "") if total else "-"
    fuzz_text = f"{fuzz.group(2)} failures, {fuzz.group(3)} errors / {fuzz.group(1)} ops" if fuzz else "-"
    fails = [line for line in out.splitlines() if line.startswith("FAIL")]
    detail = "; ".join(f[:200] for f in fails[:3]) if run.returncode else ""
    if run.returncode and not fails:
        detail = out.strip()[-400:]
    return Row(name, covers, run.returncode == 0, scenarios, fuzz_text, time.perf_counter() - start, detail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lean", action="store_true", help="Only the subset CI runs.")
    parser.add_argument("--only", action="append", default=[], help="Only this corpus connector (repeatable).")
    parser.add_argument("--folder", action="append", default=[], type=Path, help="Another connector folder.")
    parser.add_argument("--max-examples", type=int, default=10, help="schemathesis cases per operation.")
    parser.add_argument("--verbose", action="store_true", help="Print each contract run's output.")
    args = parser.parse_args()
    chosen = [(name, covers) for name, covers in CONNECTORS
              if (not args.lean or name in LEAN) and (not args.only or Path(name).name in args.only)
              and not (args.folder and not args.only)]
    folders = [(CORPUS / name, covers) for name, covers in chosen] + [(f, "given") for f in args.folder]
    rows: list[Row] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="contract-corpus-") as tmp:
        for folder, covers in folders:
            row = run_one(folder, covers, Path(tmp), args.max_examples, args.verbose)
            rows.append(row)
            print(f"{'PASS' if row.ok else 'FAIL'}  {row.name:40} {row.scenarios:>12}  {row.fuzz:32} "
                  f"{row.seconds:6.1f}s  {row.detail}", flush=True)
    elapsed = time.perf_counter() - start
    print()
    print("| connector | covers | scenarios passed | schemathesis | time (s) |")
    print("|---|---|---:|---|---:|")
    for row in rows:
        print(f"| {row.name} | {row.covers} | {row.scenarios} | {row.fuzz} | {row.seconds:.1f} |")
    passed = sum(r.ok for r in rows)
    print(f"\n{passed} of {len(rows)} connectors pass `connector contract --model` ({elapsed:.0f} s in all)")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
