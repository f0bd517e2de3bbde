"""An author imports a real connector, edits the written module the way one does (an optional query parameter
added with the module's own constructors, an action's summary reworded, an operation's id renamed), builds it,
and `connector diff` reports exactly those three changes: nothing else moved in the rebuilt connector."""

from __future__ import annotations

import difflib
import json

import pytest

from connector.cli import main

from .conftest import CORPUS

MONDAY = CORPUS / "certified-connectors" / "monday"


def _operation_block(source: str, variable: str) -> tuple[int, int]:
    start = source.index(f"\n{variable} = Operation(\n") + 1
    return start, source.index("\n)\n", start) + 3


def _edit(source: str, variable: str, old: str, new: str) -> str:
    start, end = _operation_block(source, variable)
    block = source[start:end]
    assert block.count(old) == 1, (variable, old)
    return source[:start] + block.replace(old, new) + source[end:]


@pytest.mark.skipif(not MONDAY.is_dir(), reason="shared corpus not present")
def test_an_edited_import_builds_to_exactly_the_edits_in_connector_diff(runner, tmp_path):
    module = tmp_path / "monday.py"
    done = runner.invoke(main, ["import", str(MONDAY), "--out", str(module)])
    assert done.exit_code == 0 and "round trip:" in done.output, done.output
    built = runner.invoke(main, ["build", "--model", str(module), "--out", str(tmp_path / "old")])
    assert built.exit_code == 0, built.output

    source = module.read_text(encoding="utf-8")
    # 1. an optional query parameter, last in GetItemById's parameters; `query` is already imported
    source = _edit(source, "GetItemById", "\n    ),\n    responses=(",
                   '\n        query("includeSubitems", type="boolean", label="Include subitems",'
                   ' description="Also return the item\'s subitems."),\n    ),\n    responses=(')
    # 2. the action's name in the designer (its summary)
    source = _edit(source, "GetItemById", 'summary="Get an item by ID"', 'summary="Get one item by its ID"')
    # 3. an operation renamed (no dropdown calls it, so nothing else refers to its id)
    source = _edit(source, "CreateWorkspace", 'id="CreateWorkspace",', 'id="CreateNewWorkspace",')
    module.write_text(source, encoding="utf-8")
    built = runner.invoke(main, ["build", "--model", str(module), "--out", str(tmp_path / "new")])
    assert built.exit_code == 0, built.output

    diff = runner.invoke(main, ["diff", str(tmp_path / "old"), str(tmp_path / "new"), "--format", "json"])
    assert diff.exit_code == 1, diff.output  # the operationId change breaks flows that use the action
    report = json.loads(diff.output)
    changes = sorted((c["rule"], c["severity"], c["pointer"], c.get("operationId")) for c in report["changes"])
    assert changes == [
        ("description-changed", "harmless", "/paths/~1getData~1getItemById/get/summary", "GetItemById"),
        ("operation-id-changed", "breaking", "/paths/~1executePowerAutomateAction~1CreateWorkspace/post/operationId",
         "CreateNewWorkspace"),
        ("parameter-added", "harmless", "/paths/~1getData~1getItemById/get/parameters/3", "GetItemById"),
    ]
    assert (report["breaking"], report["harmless"]) == (1, 2)
    added = next(c for c in report["changes"] if c["rule"] == "parameter-added")
    assert "query parameter 'includeSubitems'" in added["message"]

    # nothing else moved: the other files are byte-identical but for the readme the build writes from the
    # summaries (monday ships none), whose one changed line is the action's heading
    old, new = tmp_path / "old", tmp_path / "new"
    differing = {p.name for p in new.iterdir() if p.is_file() and p.read_bytes() != (old / p.name).read_bytes()}
    assert differing == {"apiDefinition.swagger.json", "readme.md", ".generated.json"}
    readme = [line for line in difflib.unified_diff((old / "readme.md").read_text(encoding="utf-8").splitlines(),
                                                    (new / "readme.md").read_text(encoding="utf-8").splitlines(),
                                                    lineterm="", n=0) if line[:1] in "+-" and line[:3] not in "---+++"]
    assert readme == ["-### Get an item by ID", "+### Get one item by its ID"]
    swagger = json.loads((new / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    parameter = swagger["paths"]["/getData/getItemById"]["get"]["parameters"][3]
    assert parameter == {"name": "includeSubitems", "in": "query", "required": False, "type": "boolean",
                         "x-ms-summary": "Include subitems", "description": "Also return the item's subitems."}
