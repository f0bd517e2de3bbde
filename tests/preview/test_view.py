"""connector preview without a browser: what the page holds for the tutorial's Tasks connector and for
SmartDialog, where findings land, the command line, and the committed build/preview/ being fresh."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from connector.cli import main
from connector.generate.build import render
from connector.model import load_model
from connector.preview import page_for_folder, page_for_model, render_html

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "build" / "preview" / "SmartDialog" / "index.html"


def card(page, op_id):
    return next(c for c in page.cards if c.operation_id == op_id)


def test_tasks_inputs_follow_the_designer(tasks_model):
    page = page_for_model(tasks_model)
    assert [c.operation_id for c in page.cards] == ["CreateTask", "ListTasks"]  # ListProjects is internal
    assert page.hidden_operations == 1
    create = card(page, "CreateTask")
    inputs = {i.key: i for i in create.inputs}
    assert list(inputs) == ["project", "body/title", "body/priority", "body/due/date", "body/due/zone",
                            "body/notes"]
    assert inputs["project"].required and inputs["project"].control == "select"
    assert inputs["project"].dropdown == "Filled by List projects (ListProjects)"
    assert inputs["body/priority"].choices == [("low", "low"), ("normal", "normal"), ("high", "high")]
    assert inputs["body/priority"].default_value == "normal" and not inputs["body/priority"].required
    assert inputs["body/due/date"].label == "Due Date"  # flattened: the parent's label prefixed
    assert inputs["body/due/zone"].default_text == "UTC"
    assert [i.key for i in create.advanced_inputs] == ["body/notes"]
    assert [o.label for o in create.outputs] == ["Body", "Task Id", "Task Title", "Priority", "Project Id"]
    assert create.findings == [] and page.findings == []
    listing = card(page, "ListTasks")
    assert [i.key for i in listing.advanced_inputs] == ["limit"]
    assert [o.key for o in listing.outputs] == ["body", "id", "title", "priority", "project"]  # array items


def test_smartdialog_cards_internal_fields_and_trigger():
    page = page_for_model(None)
    connector = load_model(None)
    visible = [o.id for o in connector.operations if o.kind != "internal"]
    assert sorted(c.operation_id for c in page.cards) == sorted(visible)
    assert [c.operation_id for c in page.triggers] == ["NewMessage"]
    trigger = card(page, "NewMessage")
    assert any(i.visibility == "internal" for i in trigger.inputs)  # the webhook's callback URL: never shown
    assert "Message Content" in [o.label for o in trigger.outputs]
    send = card(page, "SendMessage")
    recipients = [i for i in send.inputs if i.key.startswith("body/Recipients")]
    assert recipients[0].control == "group" and recipients[1].label == "Recipients Address"
    assert recipients[1].in_array == "Recipients" and recipients[1].required


def test_findings_sit_beside_what_they_concern(tmp_path):
    folder = tmp_path / "SmartDialog"
    folder.mkdir()
    for name, data in render(load_model(None)).items():
        (folder / name).write_bytes(data)
    swagger = json.loads((folder / "apiDefinition.swagger.json").read_text())
    params = swagger["paths"]["/messages"]["post"]["parameters"]
    customer = next(p for p in params if p["name"] == "Customer-Id")
    del customer["x-ms-summary"]
    swagger["paths"]["/messages"]["post"]["summary"] = "Send message."  # trailing punctuation
    del swagger["info"]["contact"]
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(swagger))
    page = page_for_folder(folder)
    send = card(page, "SendMessage")
    customer_input = next(i for i in send.inputs if i.key == "Customer-Id")
    assert "PP1050" in [f.rule for f in customer_input.findings]
    assert send.findings and all(f.rule != "PP1050" for f in send.findings)
    assert "PP1016" in [f.rule for f in page.findings]  # connector level: no card owns info.contact
    html = render_html(page)
    row = re.search(r'<div class="input" data-parameter="Customer-Id".*?</ul>', html, re.S).group(0)
    assert 'data-rule="PP1050"' in row


def test_the_page_is_self_contained():
    html = render_html(page_for_model(None))
    assert not re.search(r'(src|href)\s*=\s*"(?!#|data:)', html)
    assert not re.search(r"url\((?!data:)", html)
    assert "default-src 'none'" in html  # the browser itself refuses anything from the network


def test_committed_preview_is_fresh():
    assert COMMITTED.read_text(encoding="utf-8") == render_html(page_for_model(None)), \
        "build/preview/SmartDialog/index.html is stale: run make build and commit it"


def test_cli_writes_and_refuses_mixed_input(tmp_path, tasks_model):
    runner = CliRunner()
    res = runner.invoke(main, ["preview", "--model", str(tasks_model), "--out", str(tmp_path / "p")])
    assert res.exit_code == 0, res.output
    assert "(2 actions, 0 triggers, 0 findings)" in res.output
    assert (tmp_path / "p" / "index.html").is_file()
    both = runner.invoke(main, ["preview", str(tmp_path), "--model", str(tasks_model)])
    assert both.exit_code == 2 and "not both" in both.output
    missing = runner.invoke(main, ["preview", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(main, ["preview", str(empty)])
    assert res.exit_code == 2 and "apiDefinition.swagger.json" in res.output
    bad_url = runner.invoke(main, ["preview", "--mock-url", "localhost:8080"])
    assert bad_url.exit_code == 2 and "http" in bad_url.output


def test_a_person_s_index_html_is_not_overwritten(tmp_path, tasks_model):
    (tmp_path / "index.html").write_text("mine")
    res = CliRunner().invoke(main, ["preview", "--model", str(tasks_model), "--out", str(tmp_path)])
    assert res.exit_code == 1 and (tmp_path / "index.html").read_text() == "mine"
    assert "--force" in res.output
    shutil.rmtree(tmp_path)


def test_mock_url_fills_dropdowns_with_the_mock_s_values(tmp_path):
    from connector.contract.mockproc import MockServer
    from connector.mock.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    with MockServer(client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET) as mock:
        res = CliRunner().invoke(main, ["preview", "--mock-url", mock.url, "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    page_html = (tmp_path / "index.html").read_text(encoding="utf-8")
    send = re.search(r'data-operation-id="SendMessage".*?</article>', page_html, re.S).group(0)
    customer = re.search(r'data-parameter="Customer-Id".*?</select>', send, re.S).group(0)
    values = re.findall(r'<option value="([^"]+)"', customer)
    assert values, customer  # the mock's demo customers
    service = re.search(r'data-parameter="Service-Id".*?</div>\s*</div>', send, re.S).group(0)
    assert "from the mock" in service and re.findall(r'<option value="([^"]+)"', service)  # chained on Customer


def test_mock_url_that_does_not_answer_is_a_usage_error(tmp_path):
    from connector.contract.mockproc import free_port

    res = CliRunner().invoke(main, ["preview", "--mock-url", f"http://127.0.0.1:{free_port()}", "--out",
                                    str(tmp_path)])
    assert res.exit_code == 2 and "connector mock" in res.output and "Traceback" not in res.output


def test_deprecated_refs_and_output_findings_from_a_hand_written_swagger():
    from connector.preview import Finding, build_page

    swagger = {
        "swagger": "2.0", "info": {"title": "Zoo", "description": "Animals."},
        "paths": {"/animals": {
            "get": {"operationId": "ListAnimals", "summary": "List animals", "deprecated": True,
                    "parameters": [{"$ref": "#/parameters/Kind"}],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Animal"}}}},
            "post": {"operationId": "AddAnimal", "summary": "Add animal",
                     "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Animal"}},
                                    {"name": "extra", "in": "body", "x-ms-summary": "Extra", "schema": {
                                        "type": "object", "x-ms-dynamic-schema": {"operationId": "ListKinds"}}}],
                     "responses": {"201": {"description": "ok"}}}}},
        "parameters": {"Kind": {"name": "kind", "in": "query", "type": "string", "x-ms-summary": "Kind",
                                "x-ms-dynamic-list": {"dynamicState": {"operationId": "ListKinds"}}}},
        "definitions": {"Animal": {"type": "object", "properties": {
            "name": {"type": "string", "x-ms-summary": "Name"},
            "secret": {"type": "string", "x-ms-visibility": "internal"}}}},
    }
    finding = Finding("PP1050", "error", "x-ms-summary missing")
    page = build_page(swagger, None, None, [("swagger", "/definitions/Animal/properties/secret", finding),
                                            ("swagger", "/parameters/Kind", finding)])
    listing, add = card(page, "ListAnimals"), card(page, "AddAnimal")
    assert listing.deprecated and 'data-deprecated="true"' in render_html(page)
    kind = listing.inputs[0]
    assert kind.key == "kind" and kind.dropdown_operation == "ListKinds" and kind.findings == [finding]
    assert [o.key for o in listing.outputs] == ["body", "name"]  # internal output properties offer no token
    secret = next(i for i in add.inputs if i.key == "body/secret")
    assert secret.visibility == "internal" and secret.findings == [finding]  # a definition's finding, at its use
    assert page.brand_color == "#da3b01" and page.findings == []
    extra = next(i for i in add.inputs if i.key == "extra")
    assert extra.control == "textarea" and extra.dropdown.startswith("Fields loaded by ListKinds")


def test_a_model_s_pyproject_switches_rules_off_in_its_preview(tmp_path, tasks_model):
    text = tasks_model.read_text(encoding="utf-8")
    model = tmp_path / "tasks.py"
    model.write_text(re.sub(r"\n\s*publisher=[^\n]*", "", text), encoding="utf-8")
    assert "PP2011" in [f.rule for f in page_for_model(model).findings]  # publisher missing
    (tmp_path / "pyproject.toml").write_text('[tool.connector.validate]\ndisable = ["publisher-missing"]\n')
    assert "PP2011" not in [f.rule for f in page_for_model(model).findings]
