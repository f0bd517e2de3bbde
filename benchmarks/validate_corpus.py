"""`connector validate` as users run it, against openapi-spec-validator alone, over every folder of the corpus.

    .venv/bin/python benchmarks/validate_corpus.py [CORPUS_DIR]      (make bench-validate)

Both sides run as a process of their own, timed from the outside, in one run, one after the other:

- ours: the installed command in ONE call over every connector folder, `--format json` (every file of every
  folder: swagger, apiProperties, icon, script; every rule; positions; the JSON report);
- theirs: openapi-spec-validator alone, in one Python process, over the same folders' swagger files
  (`OpenAPIV2SpecValidator(data).iter_errors()` exhausted per file, reading and parsing included).

Then the calibration of issue 14, from the same JSON report: how many folders have at least one error now and
before (``validate_before.json``: the error findings per folder at commit 295ba39, before the calibration),
which rules account for the difference, and a check that no label or description error falls on an element
users never see (the body parameter itself, an internal parameter, a parameter of an internal operation).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = Path(__file__).with_name("validate_before.json")
LABEL_RULES = ("PP1050", "PP1051")

OSV = r"""
import json, sys
from openapi_spec_validator import OpenAPIV2SpecValidator
count = 0
for name in sys.stdin.read().splitlines():
    try:
        data = json.loads(open(name, "rb").read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        count += 1
        continue
    try:
        count += sum(1 for _ in OpenAPIV2SpecValidator(data).iter_errors())
    except Exception:  # it raises on some inputs; that is one problem
        count += 1
print(count)
"""


def default_corpus() -> Path:
    for candidate in (ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
        if candidate.is_dir():
            return candidate
    raise SystemExit("corpus not found; pass its folder as the first argument")


def connector_exe() -> str:
    exe = Path(sys.executable).with_name("connector")
    return str(exe if exe.exists() else ROOT / ".venv" / "bin" / "connector")


def run_ours(folders: list[Path]) -> tuple[float, dict]:
    start = time.perf_counter()
    res = subprocess.run([connector_exe(), "validate", "--format", "json", *map(str, folders)],
                         capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if res.returncode not in (0, 1):
        raise SystemExit(f"connector validate failed ({res.returncode}): {res.stderr[-2000:]}")
    return seconds, json.loads(res.stdout)


def run_osv(swaggers: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", OSV], input="\n".join(map(str, swaggers)), capture_output=True,
                         text=True)
    seconds = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"openapi-spec-validator run failed: {res.stderr[-2000:]}")
    return seconds, int(res.stdout.strip() or 0)


def folder_of(file: str, corpus: Path) -> str:
    rel = Path(os.path.abspath(file)).relative_to(os.path.abspath(corpus))
    return "/".join(rel.parts[:2])


def errors_by_folder(report: dict, corpus: Path) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for f in report["findings"]:
        if f["severity"] == "error":
            out.setdefault(folder_of(f["file"], corpus), Counter())[f["rule"]] += 1
    return out


def unseen_label_errors(report: dict) -> list[str]:
    """Label/description errors that fall on the body wrapper, an internal parameter or an internal operation."""
    from connector.jsonio import load_json_text
    from connector.swaggerdoc import at_pointer, deref, pointer_parts

    docs: dict[str, object] = {}
    wrong = []
    for f in report["findings"]:
        if f["rule"] not in LABEL_RULES:
            continue
        if f["file"] not in docs:
            docs[f["file"]] = load_json_text(Path(f["file"]).read_bytes(), lenient=True).data
        doc = docs[f["file"]]
        node = deref(doc, at_pointer(doc, f["pointer"]))
        parts = pointer_parts(f["pointer"])
        op = at_pointer(doc, "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts[:3])) \
            if parts[:1] == ["paths"] and len(parts) > 4 else None
        if not isinstance(node, dict) or node.get("in") == "body" or node.get("x-ms-visibility") == "internal" or (
                isinstance(op, dict) and op.get("x-ms-visibility") == "internal"):
            wrong.append(f"{f['file']}#{f['pointer']}")
    return wrong


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else default_corpus()
    folders = sorted(p for p in corpus.glob("*/*") if p.is_dir())
    swaggers = sorted(s for folder in folders for s in folder.glob("*.swagger.json"))
    ours, report = run_ours(folders)
    osv, n_osv = run_osv(swaggers)
    print(f"{len(folders)} connector folders ({report['files_checked']} files, {len(swaggers)} swaggers) from {corpus}")
    print()
    print("| tool (one process, timed from outside)                         | time (s) | findings |")
    print("|----------------------------------------------------------------|---------:|---------:|")
    print(f"| connector validate --format json FOLDER... (every file, rule)   | {ours:8.2f} | "
          f"{len(report['findings']):8d} |")
    print(f"| openapi-spec-validator alone, the same folders' swaggers         | {osv:8.2f} | {n_osv:8d} |")
    print(f"ratio connector validate / openapi-spec-validator: {ours / osv:.2f}")

    now = errors_by_folder(report, corpus)
    before_doc = json.loads(BEFORE.read_text())
    before = {k: Counter(v) for k, v in before_doc["folders"].items()}
    print()
    print(f"Folders with at least one error, before (commit {before_doc['commit']}) and now:")
    print()
    print("| | before | now |")
    print("|---|---:|---:|")
    print(f"| folders with >= 1 error | {len(before)} | {len(now)} |")
    print(f"| error findings | {sum(sum(c.values()) for c in before.values())} | "
          f"{sum(sum(c.values()) for c in now.values())} |")
    label_before = sum(c[r] for c in before.values() for r in LABEL_RULES)
    label_now = sum(c[r] for c in now.values() for r in LABEL_RULES)
    print(f"| label/description errors (PP1050, PP1051) | {label_before} | {label_now} |")
    cleared = sorted(set(before) - set(now))
    new = sorted(set(now) - set(before))
    why = Counter(r for f in cleared for r in before[f])
    print()
    print(f"{len(cleared)} folders no longer have an error; the rules their errors came from (a folder counts "
          f"under each):")
    print()
    print("| rule | folders cleared | error folders before | error folders now |")
    print("|---|---:|---:|---:|")
    for rule, n in why.most_common():
        print(f"| {rule} | {n} | {sum(1 for c in before.values() if c[rule])} | "
              f"{sum(1 for c in now.values() if c[rule])} |")
    if new:
        print(f"{len(new)} folders have an error now and had none before: "
              + ", ".join(f"{f} ({', '.join(sorted(now[f]))})" for f in new[:10]))
    wrong = unseen_label_errors(report)
    print()
    print(f"label/description errors on the body wrapper, internal parameters or internal operations: {len(wrong)}")
    for w in wrong[:10]:
        print("  " + w)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
