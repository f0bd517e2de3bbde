"""Fixes in the model's terms for folders that `connector build` wrote.

A built folder carries ``.generated.json``, the build manifest; it names the model file the connector was
declared in. For such a folder a swagger finding's fix names the model field to set (its name from
``swaggerdoc.FIELDS``, the one table of model field <-> swagger key), the parameter and the operation it
belongs to, and the model file's line when the operation (and the parameter below it) can be found there:

    fix: In the model, give parameter 'messageId' of operation GetMessage url_encoding="single"
         (connector/smartdialog/__init__.py:84).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..jsonio import load_json_file
from ..swaggerdoc import FIELDS, at_pointer, deref, pointer_parts
from .findings import Finding

MANIFEST = ".generated.json"

# rule -> (kind of node, swagger key, what to write: a value to set, or None to remove the field)
MODEL_FIXES: dict[str, tuple[str, str, str | None]] = {
    "PP1050": ("parameter", "x-ms-summary", '"Title Case Label"'),
    "PP1051": ("parameter", "description", '"A sentence that says what to enter."'),
    "PP1052": ("parameter", "required", "True"),
    "PP1053": ("parameter", "x-ms-url-encoding", '"single"'),
    "PP1054": ("parameter", "x-ms-url-encoding", None),
    "PP1057": ("parameter", "x-ms-visibility", '"important", "advanced" or "internal"'),
    "PP1058": ("schema", "default", "the value the platform sends"),
    "PP1059": ("parameter", "required", "True"),
    "PP1060": ("schema", "format", "a format the platform knows (or no format)"),
    "PP1031": ("operation", "operationId", '"PascalCaseName"'),
    "PP1032": ("operation", "summary", '"Sentence case summary"'),
    "PP1033": ("operation", "summary", "at most 80 characters"),
    "PP1034": ("operation", "summary", "letters, digits, spaces and parentheses only"),
    "PP1035": ("operation", "description", '"A full sentence."'),
    "PP1036": ("operation", "description", "a sentence that says more than the summary"),
}


@dataclass
class ModelSource:
    """The model behind a built folder: its file (None when the manifest does not name one that exists)."""
    file: Path | None = None
    display: str = ""
    lines: list[str] = field(default_factory=list)
    # webhook triggers the build could not give a Location header (operationId -> why), from the manifest
    unwired_webhooks: dict[str, str] = field(default_factory=dict)

    def line_of(self, operation: str | None, name: str | None) -> int | None:
        """The line declaring ``operation`` (and the first line after it naming ``name``), 1-based, or None."""
        if not self.lines or not operation:
            return None
        op_word = re.compile(r"\b" + re.escape(operation) + r"\b")
        start = next((i for i, line in enumerate(self.lines) if op_word.search(line)), None)
        if start is None:
            return None
        if not name:
            return start + 1
        quoted = (f'"{name}"', f"'{name}'")
        for i in range(start, min(len(self.lines), start + 200)):
            if any(q in self.lines[i] for q in quoted):
                return i + 1
        return None


def model_source(folder: Path, display) -> ModelSource | None:
    """The model source of a folder that ``connector build`` wrote, or None for any other folder."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    doc = load_json_file(manifest)
    if not doc.ok or not isinstance(doc.data, dict) or doc.data.get("generator") != "connector":
        return None
    source = ModelSource()
    unwired = doc.data.get("unwired_webhooks")
    if isinstance(unwired, dict):
        source.unwired_webhooks = {k: v for k, v in unwired.items() if isinstance(k, str) and isinstance(v, str)}
    model = doc.data.get("model")
    if isinstance(model, str) and model:
        file = (folder / model)
        try:
            if file.is_file():
                source.file = file
                source.display = display(Path(file.resolve()))
                source.lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            pass
    return source


def _where(data: Any, ptr: str) -> tuple[str | None, str | None, str]:
    """(operationId, parameter or property name, how to name it) for a finding's pointer."""
    parts = pointer_parts(ptr)
    op_id = None
    if len(parts) >= 3 and parts[0] == "paths":
        op = at_pointer(data, "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts[:3]))
        if isinstance(op, dict) and isinstance(op.get("operationId"), str):
            op_id = op["operationId"]
    name, what = None, ""
    if "properties" in parts:
        i = len(parts) - 1 - parts[::-1].index("properties")
        if i + 1 < len(parts):
            name, what = parts[i + 1], "property"
    elif "parameters" in parts:
        i = parts.index("parameters")
        node = deref(data, at_pointer(data, "/" + "/".join(p.replace("~", "~0").replace("/", "~1")
                                                          for p in parts[:i + 2])))
        if isinstance(node, dict) and isinstance(node.get("name"), str):
            name, what = node["name"], "parameter"
    return op_id, name, what


def rewrite(findings: list[Finding], data: Any, source: ModelSource) -> list[Finding]:
    """The findings with their fixes in model terms where the rule has a model field."""
    from dataclasses import replace

    out = []
    for f in findings:
        spec = MODEL_FIXES.get(f.rule)
        if spec is None or not isinstance(data, dict):
            out.append(f)
            continue
        kind, key, value = spec
        op_id, name, what = _where(data, f.pointer)
        if kind == "parameter" and what == "property":
            kind = "schema"
        fieldname = FIELDS.get(kind, {}).get(key) or FIELDS.get("schema", {}).get(key) or key
        if kind == "operation":
            target = f"operation {op_id}" if op_id else "the operation"
        else:
            target = f"{what or 'parameter'} '{name}'" if name else "the parameter"
            if op_id:
                target += f" of operation {op_id}"
        fix = (f"In the model, give {target} {fieldname}={value}" if value and value[0] in "\"T" else
               f"In the model, set {fieldname} of {target} to {value}" if value else
               f"In the model, remove {fieldname}= from {target}")
        line = source.line_of(op_id, name if kind != "operation" else None)
        if source.file is not None:
            fix += f" ({source.display}:{line})" if line else f" (in {source.display})"
        out.append(replace(f, fix=fix + "."))
    return out
