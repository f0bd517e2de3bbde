"""apiProperties.json: mapped onto the model where it can be, the rest kept verbatim, nothing lost.

Until the artifacts stage registers its apiProperties emitter, everything stays verbatim in
``properties_extra``. With an emitter registered, each verbatim key the emitter already writes from the
model is dropped: shown here with a small stand-in emitter that behaves the way the swagger emitter does
(model fields first, ``properties_extra`` laid over them)."""

from __future__ import annotations

import json

import pytest

from connector.generate import build as build_module
from connector.generate.build import BuildContext, render
from connector.importer import import_connector, load_module_text, verify
from connector.importer.swagger import Unsupported
from connector.jsonio import dumps
from connector.model import OAuth2

from .conftest import FIXTURES, load

ZOO = load(FIXTURES / "features.swagger.json")
OAUTH = {**ZOO, "securityDefinitions": {"oauth2_auth": {
    "type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://login.example.com/authorize",
    "tokenUrl": "https://login.example.com/token", "scopes": {}}}, "security": [{"oauth2_auth": []}]}
PROPS = {"properties": {
    "connectionParameters": {"token": {"type": "oauthSetting", "oAuthSettings": {
        "identityProvider": "oauth2", "clientId": "abc", "scopes": [], "redirectMode": "Global",
        "customParameters": {"refreshUrl": {"value": "https://login.example.com/refresh"}}}}},
    "iconBrandColor": "#007ee5", "capabilities": [], "publisher": "Zoo Oy", "stackOwner": "Zoo Inc.",
    "policyTemplateInstances": [{"templateId": "routerequesttoendpoint", "title": "t", "parameters": {}}]}}


def stand_in_emitter(connector, context: BuildContext) -> str:
    props = {"iconBrandColor": connector.brand_color, "capabilities": []}
    if connector.publisher:
        props["publisher"] = connector.publisher
    if connector.stack_owner:
        props["stackOwner"] = connector.stack_owner
    props.update(connector.imported.properties_extra)
    return dumps({"properties": props})


def test_without_an_emitter_everything_is_kept_verbatim(monkeypatch):
    monkeypatch.delitem(build_module.ARTIFACTS, "apiProperties.json", raising=False)
    result = import_connector(OAUTH, properties=PROPS)
    c = result.connector
    assert dict(c.imported.properties_extra) == PROPS["properties"]
    assert (c.brand_color, c.publisher, c.stack_owner) == ("#007ee5", "Zoo Oy", "Zoo Inc.")
    assert isinstance(c.security, OAuth2) and c.security.client_id == "abc"
    assert c.security.refresh_url == "https://login.example.com/refresh" and c.security.redirect_mode == "Global"
    assert {k.pointer for k in result.kept if k.pointer.startswith("/properties/")} == {
        "/properties/" + k for k in PROPS["properties"]}


def test_with_an_emitter_only_what_it_cannot_write_stays_verbatim(monkeypatch):
    monkeypatch.setitem(build_module.ARTIFACTS, "apiProperties.json", stand_in_emitter)
    result = import_connector(OAUTH, properties=PROPS)
    assert set(result.connector.imported.properties_extra) == {"connectionParameters", "policyTemplateInstances"}
    connector = load_module_text(result.source)
    assert verify(connector, OAUTH, PROPS) == []
    built = render(connector)["apiProperties.json"]
    assert json.loads(built) == PROPS
    # byte-identical when the original was written by the same emitter
    original = stand_in_emitter(connector, BuildContext()).encode()
    again = import_connector(OAUTH, properties=json.loads(original))
    assert render(load_module_text(again.source))["apiProperties.json"] == original


def test_a_broken_emitter_keeps_everything_and_verify_says_so(monkeypatch):
    def broken(connector, context):
        raise KeyError("oops")

    monkeypatch.setitem(build_module.ARTIFACTS, "apiProperties.json", broken)
    result = import_connector(OAUTH, properties=PROPS)
    assert dict(result.connector.imported.properties_extra) == PROPS["properties"]
    assert any("emitter failed" in d for d in verify(result.connector, OAUTH, PROPS))


def test_keys_beside_properties_are_refused():
    with pytest.raises(Unsupported) as err:
        import_connector(ZOO, properties={"properties": {}, "other": 1})
    assert err.value.document == "properties" and "other" in str(err.value)
