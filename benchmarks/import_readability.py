#!/usr/bin/env python3
"""How readable the modules `connector import` writes are, over the shared corpus.

For every corpus folder the module is written as `connector import FOLDER` writes it (swagger, apiProperties,
script, icon and readme beside it) and measured:

- lines: the module's lines, summed over the corpus;
- numbered names: module variables whose name ends in a number (``BOARD_ID_2``), i.e. names that only a
  counter tells apart;
- default-valued arguments: keyword arguments of a model constructor (``path``, ``string``, ``Field``,
  ``Operation``, ...) whose value equals that constructor's default (``format=None`` on ``string``);
- modules whose import line lacks a model constructor (an edit would need a new import).

    .venv/bin/python benchmarks/import_readability.py [--corpus DIR] [--code CHECKOUT] [--save DIR]

``--code`` measures the importer of another checkout (e.g. ``git archive main | tar -x -C /tmp/main``) for the
"before" column; ``--save`` keeps the written modules for reading or diffing.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import dataclasses
import inspect
import keyword
import re
import sys
from dataclasses import MISSING
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NUMBERED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*?_\d+$")


def table(rows: list[tuple], headers: tuple) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def module_text(folder: Path) -> str | None:
    """The module `connector import FOLDER --out model.py` writes (None when import refuses the folder)."""
    from connector.importer import Unsupported, import_connector
    from connector.jsonio import load_json_file

    doc = load_json_file(folder / "apiDefinition.swagger.json", lenient=True)
    if not doc.ok:
        return None
    properties = None
    if (folder / "apiProperties.json").is_file():
        pdoc = load_json_file(folder / "apiProperties.json", lenient=True)
        if not pdoc.ok:
            return None
        properties = pdoc.data
    script = (folder / "script.csx").read_bytes().decode("utf-8") if (folder / "script.csx").is_file() else None
    files = {field: f"model.{suffix}" for field, name, suffix in (("icon", "icon.png", "png"),
                                                                ("readme", "readme.md", "md"))
             if (folder / name).is_file()}
    try:
        return import_connector(doc.data, properties=properties, script=script, source_name="apiDefinition.swagger.json",
                                out_name="model.py", script_file="model.csx" if script is not None else None,
                                files=files).source
    except Unsupported:
        return None


def constructors() -> dict[str, inspect.Signature]:
    import connector.model as m

    out = {}
    for name in m.__all__:
        obj = getattr(m, name)
        if callable(obj) and not name[0] == "_":
            try:
                out[name] = inspect.signature(obj)
            except (TypeError, ValueError):
                continue
    return out


def measure(text: str, signatures: dict[str, inspect.Signature]) -> dict[str, int]:
    tree = ast.parse(text)
    names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
             if isinstance(t, ast.Name)]
    imported = {a.name for node in tree.body if isinstance(node, ast.ImportFrom) and node.module == "connector.model"
                for a in node.names}
    defaults = 0
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in signatures):
            continue
        params = signatures[node.func.id].parameters
        for kw in node.keywords:
            param = params.get(kw.arg or "")
            if param is None or param.default is inspect.Parameter.empty:
                continue
            try:
                value = ast.literal_eval(kw.value)
            except (ValueError, SyntaxError, TypeError):
                if isinstance(kw.value, ast.Name) and kw.value.id == "UNSET" and repr(param.default) == "UNSET":
                    defaults += 1
                continue
            default = param.default
            if default is dataclasses._HAS_DEFAULT_FACTORY:  # type: ignore[attr-defined]  # extra={} etc.
                default = type(value)() if isinstance(value, (dict, list, tuple)) else MISSING
            elif kw.arg == "extra" and default is None:  # the short constructors take extra=None for {}
                default = {}
            if type(value) is type(default) and value == default:
                defaults += 1
    from connector.importer.pywriter import MODEL_NAMES  # the model's constructors, as the writer knows them

    wanted = set(MODEL_NAMES)
    # numbered: NAME_2 where NAME is taken too (RESPONSE_404 alone is a status code, not a counter)
    stems = set(names) | imported | set(dir(builtins)) | set(keyword.kwlist)
    values = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
              if isinstance(t, ast.Name)}
    numbered = [n for n in names if NUMBERED.match(n) and n.rsplit("_", 1)[0] in stems
                and not own_digits(values[n], n.rsplit("_", 1)[1])]
    return {"lines": text.count("\n"), "numbered": len(numbered),
            "defaults": defaults, "incomplete_import": int(bool(wanted - imported))}


def own_digits(call: ast.expr, digits: str) -> bool:
    """The number ends the thing's own name, id or status (``address_2``, ``RESPONSE_404``): not a counter."""
    if not isinstance(call, ast.Call):
        return False
    own = [a for a in call.args[:1]] + [k.value for k in call.keywords if k.arg in ("name", "id", "status")]
    return any(isinstance(v, ast.Constant) and isinstance(v.value, str)
               and re.sub(r"[^0-9A-Za-z]+", "_", v.value).rstrip("_").endswith(digits) for v in own)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose importer writes the modules")
    parser.add_argument("--save", type=Path, help="write each module here (<group>__<connector>.py)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N folders (a quick check)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    folders = sorted(p.parent for p in args.corpus.glob("*/*/apiDefinition.swagger.json"))
    if not folders:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    if args.limit:
        folders = folders[: args.limit]
    sys.setrecursionlimit(20000)
    signatures = constructors()
    totals = {"modules": 0, "lines": 0, "numbered": 0, "defaults": 0, "incomplete_import": 0}
    for folder in folders:
        text = module_text(folder)
        if text is None:
            continue
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{folder.parent.name}__{folder.name}.py").write_text(text, encoding="utf-8")
        totals["modules"] += 1
        for key, value in measure(text, signatures).items():
            totals[key] += value
    import connector

    print(f"Modules written by the importer of {Path(connector.__file__).parent.parent}\n")
    print(table([tuple(totals.values())], ("modules", "lines", "numbered names", "default-valued args",
                                            "modules lacking a constructor in the import line")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
