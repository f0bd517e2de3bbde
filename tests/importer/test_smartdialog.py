"""Our own build imported back: the module reads like a declaration and builds byte-identical files."""

from __future__ import annotations

import ast
import re

import pytest

from connector.cli import main
from connector.importer import import_connector
from connector.model import Dropdown, Operation, load_model

from .conftest import BUILD, load

SWAGGER = BUILD / "apiDefinition.swagger.json"
# what import reads (the swagger, apiProperties, the script) and what follows from them; icon.png and readme.md
# come from model fields these files do not carry (icon glyph, readme text)
BYTE_IDENTICAL = ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "settings.json")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from click.testing import CliRunner

    tmp = tmp_path_factory.mktemp("sd")
    out = tmp / "smartdialog_imported.py"
    result = CliRunner().invoke(main, ["import", str(BUILD), "--out", str(out)])  # the folder: all it holds
    assert result.exit_code == 0, result.output
    built = CliRunner().invoke(main, ["build", "--model", str(out), "--out", str(tmp / "build")])
    assert built.exit_code == 0, built.output
    return out, tmp / "build", result.output


@pytest.mark.parametrize("name", BYTE_IDENTICAL)
def test_the_build_of_the_imported_model_is_byte_identical(imported, name):
    if not (BUILD / name).is_file():
        pytest.skip(f"{name} is not part of the build yet")
    _, build, _ = imported
    assert (build / name).read_bytes() == (BUILD / name).read_bytes()


def test_nothing_is_kept_verbatim_for_our_own_swagger(imported):
    module, _, output = imported
    text = module.read_text()
    verbatim = [line.split()[0] for line in output.splitlines() if line.startswith("  ")]
    assert verbatim == ["scriptOperations"]  # the script's operations: the model's transforms are not in the files
    assert not re.search(r"\bextra=|path_extra=|info_extra=", text), "the model should express all of it"


def test_the_module_reads_like_a_declaration(imported, smartdialog):
    module, _, _ = imported
    text = module.read_text()
    tree = ast.parse(text)
    names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets]
    # every operation is a variable named after its id, declared before the connector
    assert set(op.id for op in smartdialog.operations) <= set(names) and names[-1] == "connector"
    # a field used by several operations is declared once and reused by reference
    assert text.count('"RequestId"') == 1 and text.count("REQUEST_ID") >= 3
    # the definitions are named declarations
    assert re.search(r'^UUID = Definition\(\s*name="uuid"', text, re.M)
    connector = load_model(module)
    dropdown_targets = {p.dropdown.operation_id: p.dropdown.operation for op in connector.operations
                        for p in op.parameters if isinstance(p.dropdown, Dropdown)}
    assert isinstance(dropdown_targets["GetUserCustomers"], Operation)  # the object, not just its id


def test_import_is_deterministic():
    doc = load(SWAGGER)
    assert import_connector(doc).source == import_connector(doc).source


def test_lines_stay_within_the_width_unless_a_string_is_longer(imported):
    module, _, _ = imported
    for line in module.read_text().splitlines():
        if len(line) > 100:
            assert re.search(r'"[^"]{40,}"|\'[^\']{40,}\'', line), line
