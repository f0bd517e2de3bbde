"""Finds the files to check, loads each once, runs the checks for its kind and applies configuration and
suppressions. ``validate_paths`` is the whole validator as a function: paths in, sorted findings out."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..jsonio import JsonDocument, load_json_text, read_input
from . import catalog  # noqa: F401  (registers the rules)
from .config import csharp_suppressions, find_config, json_suppressed, json_suppressions
from .findings import Finding, Reporter
from .jsonpos import positions
from .modelfix import MANIFEST, model_source, rewrite
from .textutil import show

SWAGGER, PROPERTIES, ICON, SCRIPT, SETTINGS = "swagger", "properties", "icon", "script", "settings"
JSON_KINDS = {SWAGGER, PROPERTIES, SETTINGS}


def kind_of(path: Path) -> str | None:
    name = path.name
    if name.endswith(".swagger.json"):
        return SWAGGER
    return {"apiProperties.json": PROPERTIES, "icon.png": ICON, "script.csx": SCRIPT,
            "settings.json": SETTINGS}.get(name)


@dataclass
class Loaded:
    path: Path
    kind: str
    raw: bytes
    doc: JsonDocument | None = None

    @property
    def data(self) -> Any:
        return self.doc.data if self.doc is not None and self.doc.ok else None


@dataclass
class Workspace:
    """Caches file contents so that a sibling (swagger for apiProperties, apiProperties for the icon) is read once."""
    files: dict[Path, Loaded] = field(default_factory=dict)
    max_file_size: int | None = None  # None: jsonio's default ($CONNECTOR_MAX_FILE_SIZE or 32 MiB)

    def load(self, path: Path, kind: str) -> Loaded:
        key = path.resolve()
        if key not in self.files:
            raw = read_input(path, self.max_file_size)  # regular files only, size checked before reading
            item = Loaded(path, kind, raw)
            if kind in JSON_KINDS:
                item.doc = load_json_text(raw, lenient=True)
            self.files[key] = item
        return self.files[key]

    def sibling(self, path: Path, kind: str) -> Loaded | None:
        folder = path.parent
        if kind == SWAGGER:
            candidates = [folder / "apiDefinition.swagger.json"]
            try:
                candidates += sorted(p for p in folder.glob("*.swagger.json") if p.name != "apiDefinition.swagger.json")
            except OSError:
                pass
        else:
            candidates = [folder / {PROPERTIES: "apiProperties.json", ICON: "icon.png", SCRIPT: "script.csx"}[kind]]
        for c in candidates:
            if c.is_file():
                try:
                    return self.load(c, kind)
                except UsageError:
                    return None
        return None


def display(path: Path) -> str:
    """The path as the user should read it: relative to the working directory when below it, '/'-separated."""
    try:
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            return Path(rel).as_posix()
    except ValueError:
        pass
    return Path(path).as_posix()


def collect(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """The (file, kind) pairs to check, and folder-level findings. Unusable paths raise UsageError (exit 2)."""
    targets: list[tuple[Path, str]] = []
    findings: list[Finding] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{display(p)} does not exist")
        if p.is_dir():
            try:
                entries = sorted(p.iterdir())
            except OSError as exc:
                raise UsageError(f"cannot read folder {display(p)}: {exc.strerror or exc}") from None
            kinds = {}
            for e in entries:
                k = kind_of(e)
                if k and not e.is_dir():  # FIFOs, devices and dangling links are refused when read
                    targets.append((e, k))
                    kinds.setdefault(k, e)
            rep = Reporter(display(p))
            for k, name in ((SWAGGER, "apiDefinition.swagger.json"), (PROPERTIES, "apiProperties.json")):
                if k not in kinds:
                    rep.report("PP0005", "", f"the connector folder has no {name}")
            findings += rep.findings
        else:
            k = kind_of(p)
            if k is None:
                raise UsageError(f"{display(p)}: not a connector file (expected apiDefinition.swagger.json, "
                                 "*.swagger.json, apiProperties.json, icon.png, script.csx or settings.json)")
            targets.append((p, k))
    seen, unique = set(), []
    for t in targets:
        key = t[0].resolve()
        if key not in seen:
            seen.add(key)
            unique.append(t)
    return unique, findings


def check_file(ws: Workspace, path: Path, kind: str) -> list[Finding]:
    item = ws.load(path, kind)
    rep = Reporter(display(path))
    try:
        _run_checks(ws, item, rep)
    except RecursionError:
        rep.report("PP0001", "", "the document is nested too deeply to check")
    except Exception as exc:  # the safety net: a bug in a check becomes a finding, never a traceback
        rep.report("PP0000", "", f"internal error while checking: {type(exc).__name__}: {exc}")
    findings = rep.findings
    if kind in JSON_KINDS and item.data is not None and b"x-connector-suppress" in item.raw:
        supp = json_suppressions(item.data)
        findings = [f for f in findings if not json_suppressed(f, supp)]
    elif kind == SCRIPT and b"connector:" in item.raw:
        whole, lines = csharp_suppressions(item.raw.decode("utf-8", "replace"))
        findings = [f for f in findings if f.rule not in whole and f.rule not in lines.get(f.line or 0, ())]
    if kind == SWAGGER and findings:
        source = model_source(path.parent, display)
        if source is not None:  # a folder `connector build` wrote: fixes name the model's fields and lines
            findings = rewrite(findings, item.data, source)
    return place(item, findings)


def place(item: Loaded, findings: list[Finding]) -> list[Finding]:
    """Line and column for the findings that have a JSON pointer but no position yet: one targeted scan of the
    file's text for just those pointers (files without findings are never scanned)."""
    todo = {f.pointer for f in findings if f.line is None}
    if not todo or item.doc is None or item.doc.text is None:
        return findings
    where = positions(item.doc.text, todo)
    out = []
    for f in findings:
        pos = where.get(f.pointer) if f.line is None else None
        out.append(f if pos is None else replace(f, line=pos[0], column=pos[1]))
    return out


def check_unwired_webhooks(item: Loaded, rep: Reporter) -> None:
    """PP1084 for the webhook triggers that the build of this folder recorded as getting no Location header (only
    the model knows a trigger's delete operation, so only a folder `connector build` wrote can say)."""
    if not isinstance(item.data, dict) or not (item.path.parent / MANIFEST).is_file():
        return
    source = model_source(item.path.parent, display)
    if source is None or not source.unwired_webhooks:
        return
    from ..swaggerdoc import operations_by_id, pointer

    ops = operations_by_id(item.data)
    for op_id, why in sorted(source.unwired_webhooks.items()):
        path, method, _ = ops.get(op_id, (None, None, None))
        ptr = pointer("paths", path, method) if path is not None else ""
        rep.report("PP1084", ptr, f"webhook trigger {show(op_id)} declares webhook_delete, but its registration "
                   f"answer gets no Location header: {why}")


def _run_checks(ws: Workspace, item: Loaded, rep: Reporter) -> None:
    if item.kind in JSON_KINDS:
        doc = item.doc
        assert doc is not None
        if doc.problem is not None:
            rule = "PP0004" if doc.problem.code == "json-encoding" else "PP0001"
            rep.report(rule, "", doc.problem.message, line=doc.problem.line, column=doc.problem.column)
            return
        if doc.warnings:
            first = doc.warnings[0]
            rep.report("PP0007", "", "The file is not strict JSON: " + "; ".join(
                f"{w.message} at {w.line}:{w.column}" for w in doc.warnings) + ". The platform's parser accepts "
                "this and the file is checked as the platform reads it, but strict JSON tools refuse it",
                line=first.line, column=first.column)
        if doc.had_bom:
            rep.report("PP0002", "", "the file starts with a UTF-8 byte-order mark")
        for obj_ptr, key in doc.duplicate_keys:
            rep.report("PP0003", obj_ptr, f"key {show(key)} appears more than once in the same object")
    if item.kind == SWAGGER:
        from .swagger import check_swagger
        check_swagger(rep, item.data, len(item.raw))
        check_unwired_webhooks(item, rep)
    elif item.kind == PROPERTIES:
        from .properties import check_properties
        swagger = ws.sibling(item.path, SWAGGER)
        check_properties(rep, item.data, swagger.data if swagger else None)
    elif item.kind == ICON:
        from .icon import check_icon
        props = ws.sibling(item.path, PROPERTIES)
        check_icon(rep, item.raw, props.data if props else None)
    elif item.kind == SCRIPT:
        from .script import check_script
        check_script(rep, item.raw)
    elif item.kind == SETTINGS:
        from .settings import check_settings
        check_settings(rep, item.data, item.path.parent)


def validate_paths(paths: list[Path], max_file_size: int | None = None) -> list[Finding]:
    """Every finding for the given connector folders and files, configuration applied, in a stable order."""
    targets, findings = collect(paths)
    ws = Workspace(max_file_size=max_file_size)
    configs_seen = set()
    for path, kind in targets:
        cfg = find_config(path)
        if cfg.path is not None and cfg.path not in configs_seen:
            configs_seen.add(cfg.path)
            findings += [f.__class__(**{**f.__dict__, "file": display(cfg.path)}) for f in cfg.findings]
        findings += [f for f in check_file(ws, path, kind) if f.rule not in cfg.disabled]
    unique = {(f.rule, f.file, f.pointer, f.line, f.column, f.message): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)
