"""apiProperties.json: Microsoft's schema (plus what reviewers now require), the facts sheet, no secret."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import replace

import pytest

from artifact_helpers import facts_oauth, facts_row
from conftest import BUILD, ROOT, anchor_validator, load_anchor_schema
from connector.errors import ConnectorError
from connector.generate import templating
from connector.generate.api_properties import api_properties
from connector.generate.build import render
from connector.generate.swagger import to_swagger
from connector.model import CorrelationIdHeader, Imported, Operation, Response, WebhookLocation, script_operation_ids

SCHEMA = "paconn-apiProperties.schema.json"


def extended_schema() -> dict:
    """Microsoft's published schema predates scriptOperations and GlobalPerConnector: add just those two."""
    schema = copy.deepcopy(load_anchor_schema(SCHEMA))
    schema["properties"]["properties"]["properties"]["scriptOperations"] = {"type": "array",
                                                                            "items": {"type": "string"}}
    schema["definitions"]["oAuthSettings"]["properties"]["redirectMode"]["enum"].append("GlobalPerConnector")
    return schema


@pytest.fixture(scope="module")
def props() -> dict:
    return json.loads((BUILD / "apiProperties.json").read_text(encoding="utf-8"))


def oauth(props: dict) -> dict:
    return props["properties"]["connectionParameters"]["token"]["oAuthSettings"]


def test_passes_microsofts_schema_extended_with_just_the_two_newer_things(props):
    errors = sorted(anchor_validator(SCHEMA, extended_schema()).iter_errors(props), key=str)
    assert errors == [], [e.message for e in errors]


def test_the_published_schema_alone_rejects_exactly_those_two(props):
    """The extension is needed and is all that is needed: the original schema fails on those keys only."""
    errors = list(anchor_validator(SCHEMA).iter_errors(props))
    text = " ".join(str(e.message) for e in errors) + " ".join(
        str(c.message) for e in errors for c in (e.context or ()))
    assert errors
    assert "scriptOperations" in text or "GlobalPerConnector" in text
    without = copy.deepcopy(props)
    del without["properties"]["scriptOperations"]
    oauth(without)["redirectMode"] = "Global"
    assert list(anchor_validator(SCHEMA).iter_errors(without)) == []


def test_connection_is_the_oauth_token_parameter_the_facts_describe(props):
    params = props["properties"]["connectionParameters"]
    assert list(params) == ["token"]  # paconn injects --secret into a parameter named token only
    assert params["token"]["type"] == "oauthSetting"
    settings = oauth(props)
    assert settings["identityProvider"] == "oauth2"
    assert settings["properties"] == {"IsFirstParty": "False"}
    assert settings["redirectMode"] == "GlobalPerConnector" and "redirectUrl" not in settings


def test_oauth_urls_and_scopes_equal_the_facts_sheet(props):
    facts = facts_oauth()
    settings = oauth(props)
    assert settings["customParameters"] == {"authorizationUrl": {"value": facts["authorization"]},
                                            "tokenUrl": {"value": facts["token"]},
                                            "refreshUrl": {"value": facts["token"]}}
    # the facts: one space-separated string; published connectors carry it as the list's single entry
    assert settings["scopes"] == [" ".join(facts["scopes"])]


def test_brand_colour_and_publisher_equal_the_facts_sheet(props):
    p = props["properties"]
    assert p["iconBrandColor"] == facts_row("icon brand colour").strip("`")
    assert p["publisher"] == p["stackOwner"] == facts_row("publisher / stackOwner")
    assert p["capabilities"] == []


def test_no_secret_anywhere_and_the_client_id_is_a_placeholder(props):
    client_id = oauth(props)["clientId"]
    assert client_id.startswith("[[") and client_id.endswith("]]")

    def keys(node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield k
                yield from keys(v)
        elif isinstance(node, list):
            for v in node:
                yield from keys(v)

    assert not [k for k in keys(props) if "secret" in k.lower()]
    for name in os.listdir(BUILD):
        data = (BUILD / name).read_bytes()
        assert b"clientSecret" not in data and b"client_secret" not in data, name


def test_script_operations_are_exactly_the_scripted_operations_and_all_exist(props, smartdialog, swagger):
    listed = props["properties"]["scriptOperations"]
    ids = {op["operationId"] for item in swagger["paths"].values() for op in item.values()
           if isinstance(op, dict) and "operationId" in op}
    assert listed and set(listed) <= ids
    assert len(listed) == len(set(listed))
    # SmartDialog's correlation id header goes on every request, so the script handles every operation
    assert set(listed) == ids


def test_script_operations_follow_the_transforms(smartdialog):
    """A header limited to two operations plus the webhook Location: exactly those three, in declaration
    order; no transform at all: no scriptOperations key (an empty list would mean every operation)."""
    trigger = smartdialog.operation("NewMessage")
    narrowed = replace(smartdialog, transforms=(
        CorrelationIdHeader(operations=("SendMessage", smartdialog.operation("GetUserCustomers"))),
        smartdialog.transforms[1]))
    assert isinstance(smartdialog.transforms[1], WebhookLocation) and trigger is not None
    assert api_properties(narrowed)["properties"]["scriptOperations"] == ["SendMessage", "NewMessage",
                                                                          "GetUserCustomers"]
    assert script_operation_ids(narrowed) == ["SendMessage", "NewMessage", "GetUserCustomers"]
    bare = replace(smartdialog, transforms=())
    assert "scriptOperations" not in api_properties(bare)["properties"]
    assert "script.csx" not in render(bare)


def test_any_text_stays_valid_json(smartdialog):
    odd = 'Quote " back\\slash </script> {{ x }} {% y %}\nnew line \u00e4\u2028'
    doc = api_properties(replace(smartdialog, publisher=odd, stack_owner=odd,
                                 imported=Imported(properties_extra={"x-note": {"a": [1, odd]}})))
    assert doc["properties"]["publisher"] == odd and doc["properties"]["x-note"] == {"a": [1, odd]}


def test_a_connector_without_oauth_has_no_connection_parameters(smartdialog):
    op = Operation(id="Ping", method="GET", path="/ping", summary="Ping", description="Pings.",
                   responses=(Response(status="200", description="OK"),))
    doc = api_properties(replace(smartdialog, security=None, operations=(op,), transforms=(),
                                 publisher=None, stack_owner=None))
    assert doc == {"properties": {"iconBrandColor": smartdialog.brand_color, "capabilities": []}}
    assert "securityDefinitions" not in to_swagger(replace(smartdialog, security=None, operations=(op,),
                                                           transforms=()))


def test_templates_ship_in_the_package_and_the_top_level_files_extend_them(monkeypatch, smartdialog):
    assert templating.template_root() == ROOT
    links = [p for p in (ROOT / "connector").rglob("*") if p.is_symlink()]
    assert links == []  # symbolic links break on Windows checkouts
    for name in templating.TEMPLATES:
        packaged = templating.PACKAGED / name.split("/")[-1]
        assert packaged.is_file() and not packaged.is_symlink(), name
        first = (ROOT / name).read_text().splitlines()[0]
        assert first == f'{{% extends "packaged/{packaged.name}" %}}', name
    with_overrides = (api_properties(smartdialog), render(smartdialog)["readme.md"])
    monkeypatch.setattr(templating, "template_root", lambda: None)  # an installed package: no checkout
    assert (api_properties(smartdialog), render(smartdialog)["readme.md"]) == with_overrides


def test_a_broken_template_is_reported_with_its_line(tmp_path, monkeypatch, smartdialog):
    (tmp_path / "apiProperties.json.j2").write_text('{\n  "properties": {\n    "x": 1,\n  }\n}\n')
    monkeypatch.setattr(templating, "template_root", lambda: tmp_path)
    with pytest.raises(ConnectorError) as info:
        api_properties(smartdialog)
    message = info.value.format_message()
    assert "apiProperties.json.j2" in message and "line 4" in message and "Fix the template" in message
