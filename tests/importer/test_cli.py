"""`connector import` as a user runs it: files and folders in, a module out, a report of what was kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from connector.cli import main
from connector.model import load_model

from .conftest import BUILD, FIXTURES, ROOT

ZOO = FIXTURES / "features.swagger.json"


def test_import_writes_a_module_that_builds_the_swagger_back(runner, tmp_path):
    out = tmp_path / "zoo.py"
    result = runner.invoke(main, ["import", str(ZOO), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "6 operations, 4 definitions, 2 shared parameters" in result.output
    assert "round trip:" in result.output
    connector = load_model(out)
    assert [op.id for op in connector.operations] == ["ListAnimals", "AddAnimal", "GetAnimal", "DeleteAnimal",
                                                      "ListKinds", "OnAnimal"]
    built = runner.invoke(main, ["build", "--model", str(out), "--out", str(tmp_path / "build")])
    assert built.exit_code == 0, built.output
    from connector.importer import differences

    regenerated = json.loads((tmp_path / "build" / "apiDefinition.swagger.json").read_text())
    assert differences(json.loads(ZOO.read_text()), regenerated) == []


def test_import_reports_what_it_kept_verbatim_with_pointers(runner, tmp_path):
    result = runner.invoke(main, ["import", str(ZOO), "--out", str(tmp_path / "zoo.py")])
    out = result.output
    assert "kept verbatim" in out
    for line in ("x-ms-openai-data", "/paths/~1animals/get/x-ms-openai-data",
                 "/paths/~1animals/post/responses/201/examples", "/definitions/Pet/allOf",
                 "/paths/~1animals~1{id}/x-swagger-router-controller", "/definitions/Animal/properties/parent/$ref",
                 "/paths/~1animals~1{id}/parameters"):
        assert line in out, line
    kept_line = next(line for line in out.splitlines() if line.strip().startswith("headers"))
    assert kept_line.split()[1] == "1"


def test_invalid_json_is_refused_with_line_and_column(runner, tmp_path):
    bad = tmp_path / "bad.swagger.json"
    bad.write_text('{\n  "swagger": "2.0",\n  "info": {,}\n}\n')
    result = runner.invoke(main, ["import", str(bad), "--out", str(tmp_path / "m.py")])
    assert result.exit_code == 2
    assert f"{bad}:3:12:" in result.output and "not valid JSON" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "m.py").exists()


def test_text_that_is_not_utf8_is_refused_with_the_bad_byte_position(runner, tmp_path):
    bad = tmp_path / "latin.json"
    bad.write_bytes(b'{\n  "swagger": "2.0",\n  "x": "Br\xf8nn"\n}\n')
    result = runner.invoke(main, ["import", str(bad), "--out", str(tmp_path / "m.py")])
    assert result.exit_code == 2 and f"{bad}:3:11:" in result.output and "UTF-8" in result.output


def test_existing_module_is_not_overwritten_without_force(runner, tmp_path):
    out = tmp_path / "m.py"
    out.write_text("# mine\n")
    result = runner.invoke(main, ["import", str(ZOO), "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.output and out.read_text() == "# mine\n"
    assert runner.invoke(main, ["import", str(ZOO), "--out", str(out), "--force"]).exit_code == 0


def test_out_must_be_a_python_file(runner, tmp_path):
    result = runner.invoke(main, ["import", str(ZOO), "--out", str(tmp_path / "m.txt")])
    assert result.exit_code == 2 and ".py" in result.output


def test_a_swagger_the_model_cannot_carry_is_refused_naming_the_place(runner, tmp_path):
    doc = json.loads(ZOO.read_text())
    del doc["paths"]["/kinds"]["get"]["operationId"]
    src = tmp_path / "s.json"
    src.write_text(json.dumps(doc))
    result = runner.invoke(main, ["import", str(src), "--out", str(tmp_path / "m.py")])
    assert result.exit_code == 1 and "/paths/~1kinds/get" in result.output and "operationId" in result.output


def test_a_folder_brings_its_api_properties_and_script(runner, tmp_path):
    folder = tmp_path / "conn"
    folder.mkdir()
    shutil.copy(ZOO, folder / "apiDefinition.swagger.json")
    props = {"properties": {"iconBrandColor": "#123456", "publisher": "Zoo Oy", "capabilities": [],
                            "connectionParameters": {"api_key": {"type": "securestring"}},
                            "policyTemplateInstances": [{"templateId": "setheader", "title": "t", "parameters": {}}]}}
    (folder / "apiProperties.json").write_text(json.dumps(props))
    script = "public class Script : ScriptBase\r\n{\r\n    // kept as is\r\n}\r\n"
    (folder / "script.csx").write_bytes(script.encode())
    out = tmp_path / "zoo.py"
    result = runner.invoke(main, ["import", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "and the same apiProperties.json" in result.output
    assert (tmp_path / "zoo.csx").read_bytes() == script.encode()
    connector = load_model(out)
    assert connector.brand_color == "#123456" and connector.publisher == "Zoo Oy"
    assert connector.imported.script_source == script  # CRLF kept
    # nothing of apiProperties is lost: what the build does not write from fields is kept verbatim
    from connector.importer.properties import render_properties

    rendered = render_properties(connector)
    assert (rendered or {"properties": dict(connector.imported.properties_extra)}) == props
    built = runner.invoke(main, ["build", "--model", str(out), "--out", str(tmp_path / "b")])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "b" / "script.csx").read_bytes() == script.encode()


def test_model_check_problems_are_reported(runner, tmp_path):
    doc = json.loads(ZOO.read_text())
    doc["paths"]["/animals/{id}"]["parameters"][0]["required"] = False
    src = tmp_path / "s.json"
    src.write_text(json.dumps(doc))
    result = runner.invoke(main, ["import", str(src), "--out", str(tmp_path / "m.py")])
    # no round trip is claimed for a module that `connector build` refuses: exit 1, the problems listed
    assert result.exit_code == 1, result.output
    assert "model checks: 2 problem(s)" in result.output and "path parameters must be required" in result.output
    assert "writes a swagger equal" not in result.output and "no round trip" in result.output
    assert (tmp_path / "m.py").is_file()  # the module is written, for the author to fix
    built = runner.invoke(main, ["build", "--model", str(tmp_path / "m.py"), "--out", str(tmp_path / "b")])
    assert built.exit_code == 1 and "path parameters must be required" in built.output


def test_the_installed_command_runs(tmp_path):
    exe = ROOT / ".venv" / "bin" / "connector"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "connector.cli"]
    out = tmp_path / "sd.py"
    proc = subprocess.run([*cmd, "import", str(BUILD / "apiDefinition.swagger.json"), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "20 operations" in proc.stdout and out.is_file()


def _png(path, colour=(1, 2, 3)):
    from PIL import Image

    Image.new("RGB", (230, 230), colour).save(path, format="PNG")
    return path.read_bytes()


def test_a_folder_brings_its_own_icon_and_readme_and_the_build_copies_them_unchanged(runner, tmp_path):
    folder = tmp_path / "conn"
    folder.mkdir()
    shutil.copy(ZOO, folder / "apiDefinition.swagger.json")
    (folder / "apiProperties.json").write_text(json.dumps({"properties": {"iconBrandColor": "#123456"}}))
    icon = _png(folder / "icon.png")
    readme = "# Zoo\r\n\r\nThe author's own words, CRLF and all.\r\n".encode()
    (folder / "readme.md").write_bytes(readme)
    out = tmp_path / "mod" / "zoo.py"
    out.parent.mkdir()
    result = runner.invoke(main, ["import", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mod" / "zoo.icon.png").read_bytes() == icon
    assert (tmp_path / "mod" / "zoo.readme.md").read_bytes() == readme
    source = out.read_text()
    assert 'icon=Path(__file__).parent / "zoo.icon.png"' in source
    assert 'readme=Path(__file__).parent / "zoo.readme.md"' in source
    connector = load_model(out)
    assert connector.icon == tmp_path / "mod" / "zoo.icon.png" and connector.capabilities is None
    build = tmp_path / "b"
    built = runner.invoke(main, ["build", "--model", str(out), "--out", str(build)])
    assert built.exit_code == 0, built.output
    assert (build / "icon.png").read_bytes() == icon and (build / "readme.md").read_bytes() == readme
    # apiProperties without "capabilities" stays without it
    assert json.loads((build / "apiProperties.json").read_text()) == {"properties": {"iconBrandColor": "#123456"}}
    # the manifest records them: the next build is not refused as "edited since the last build"
    again = runner.invoke(main, ["build", "--model", str(out), "--out", str(build)])
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output and "wrote" not in again.output
    # an existing copy is not overwritten without --force
    refused = runner.invoke(main, ["import", str(folder), "--out", str(out)])
    assert refused.exit_code == 2 and "exists" in refused.output


def test_a_hand_written_connector_names_its_icon_and_readme_files_relative_to_its_module(runner, tmp_path):
    icon = _png(tmp_path / "logo.png", (9, 9, 9))
    (tmp_path / "README-connector.md").write_text("# Mine\n")
    model = tmp_path / "mine.py"
    model.write_text(
        "from connector.model import Connector, Operation, Response\n"
        "connector = Connector(title='Mine', description='Mine.', host='api.example.com', icon='logo.png',\n"
        "                      readme='README-connector.md',\n"
        "                      operations=[Operation(id='Ping', method='get', path='/ping', summary='Ping',\n"
        "                                            description='Ping.', responses=[Response(status='200',\n"
        "                                            description='OK')])])\n")
    built = runner.invoke(main, ["build", "--model", str(model), "--out", str(tmp_path / "b")])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "b" / "icon.png").read_bytes() == icon
    assert (tmp_path / "b" / "readme.md").read_text() == "# Mine\n"
    model.write_text(model.read_text().replace("logo.png", "missing.png"))
    refused = runner.invoke(main, ["build", "--model", str(model), "--out", str(tmp_path / "b")])
    assert refused.exit_code != 0 and "icon='missing.png'" in refused.output and "mine.py:2" in refused.output
