"""Print the validation tables: the rule table (from the rule catalog; the documentation site generates its
own) and the most frequent findings over the shared corpus (benchmarks/README.md shows them).

    .venv/bin/python benchmarks/validate_tables.py [CORPUS_DIR] [--top N]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from validate_corpus import default_corpus  # noqa: E402
from connector.validate import RULES, validate_paths  # noqa: E402


def rule_table() -> str:
    lines = ["| id | name | severity | checks |", "|---|---|---|---|"]
    for rid in sorted(RULES):
        r = RULES[rid]
        summary = r.summary.replace("|", "\\|")
        lines.append(f"| {r.id} | `{r.slug}` | {r.severity.value} | {summary} |")
    return "\n".join(lines)


def corpus_table(corpus: Path, top: int) -> str:
    folders = sorted(p for p in corpus.glob("*/*") if p.is_dir())
    by_rule: Counter = Counter()
    connectors: dict[str, set] = {}
    crashes = 0
    for folder in folders:
        for f in validate_paths([folder]):
            by_rule[f.rule] += 1
            connectors.setdefault(f.rule, set()).add(folder)
            crashes += f.rule == "PP0000"
    lines = [f"{len(folders)} connector folders, {sum(by_rule.values())} findings, {crashes} crashes.", "",
             "| rule | name | severity | findings | connectors |", "|---|---|---|---:|---:|"]
    for rid, n in by_rule.most_common(top):
        r = RULES[rid]
        lines.append(f"| {rid} | `{r.slug}` | {r.severity.value} | {n} | {len(connectors[rid])} |")
    return "\n".join(lines)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 20
    if "--top" in sys.argv:
        args = [a for a in args if a != str(top)]
    corpus = Path(args[0]) if args else default_corpus()
    print(rule_table())
    print()
    print(corpus_table(corpus, top))
