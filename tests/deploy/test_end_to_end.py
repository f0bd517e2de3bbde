"""The real paconn 0.0.21 against the loopback stand-in: `connector deploy` creates, `connector deploy` again
updates, `paconn download` reads the connector back. One scenario per module (three paconn runs), checked
from several sides: the stand-in's received payloads field by field, the round trip, and secrets."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from connector.deploy.folder import oauth_settings
from connector.deploy.record import record_path
from connector.deploy.runner import PaconnResult, run_paconn
from connector.testing.standin import StandIn
from conftest import ROOT

from .conftest import Run, copy_folder, deploy_env, new_secret, run_connector, tree_digest

CLIENT_ID = "6f1b4c1e-0000-4000-8000-00000000c1d0"


@dataclass
class Scenario:
    standin: StandIn
    source: Path  # what we built (read only)
    folder: Path  # the copy deployed
    home: Path
    secret: str
    environment: str
    create: Run
    update: Run
    download: PaconnResult
    downloaded: Path
    build_before: dict[str, str]
    outputs: list[str] = field(default_factory=list)

    def settings_file(self, key: str) -> Path:
        settings = json.loads((self.source / "settings.json").read_text(encoding="utf-8"))
        return self.source / settings[key]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, built_source, paconn_python) -> Scenario:
    tmp = tmp_path_factory.mktemp("e2e")
    build_before = tree_digest(ROOT / "build")
    folder = copy_folder(built_source, tmp / "build")
    home = tmp / "home"
    secret = new_secret()
    with StandIn(dump=tmp / "standin.json") as standin:
        standin.write_token_file(home)
        env = deploy_env(standin, home, secret)
        environment = standin.default_environment
        common = [str(folder), "--environment", environment, "--power-apps-url", standin.url,
                  "--client-id", CLIENT_ID]
        create = run_connector(["deploy", *common], env)
        assert create.returncode == 0, create.output
        update = run_connector(["deploy", *common], env)
        assert update.returncode == 0, update.output
        connector_id = json.loads(record_path(folder).read_text())["deployments"][0]["connectorId"]
        downloaded = tmp / "downloaded"
        download = run_paconn(paconn_python, ["download", "-e", environment, "-c", connector_id, "-d",
                                              str(downloaded), "--pau", standin.url, "-w"],
                              cwd=tmp, env=env)
        assert download.ok, download.output
        yield Scenario(standin, built_source, folder, home, secret, environment, create, update, download,
                       downloaded, build_before, [create.output, update.output, download.output])


def built(scenario: Scenario, key: str) -> bytes:
    return scenario.settings_file(key).read_bytes()


def built_json(scenario: Scenario, key: str) -> dict:
    return json.loads(built(scenario, key).decode("utf-8"))


def expected_properties(scenario: Scenario) -> dict:
    """What the service should hold: what we built, the client id filled in, stackOwner left out."""
    doc = built_json(scenario, "apiProperties")
    for found in oauth_settings(doc):
        found.settings["clientId"] = CLIENT_ID
        found.settings.pop("clientSecret", None)
    doc["properties"].pop("stackOwner", None)
    return doc


def connector_id(scenario: Scenario) -> str:
    return json.loads(record_path(scenario.folder).read_text())["deployments"][0]["connectorId"]


def test_create_then_update_then_record(scenario):
    cid = connector_id(scenario)
    assert re.fullmatch(r"shared_[a-z0-9]+-[0-9a-f]{32}", cid)
    assert f"created {cid}" in scenario.create.stdout
    assert f"updating {cid}" in scenario.update.stdout and f"updated {cid}" in scenario.update.stdout
    assert "--secret ******" in scenario.create.stdout  # the echoed command line, masked
    record = json.loads(record_path(scenario.folder).read_text())
    assert record == {"deployments": [{"powerAppsUrl": scenario.standin.url,
                                       "environment": scenario.environment, "connectorId": cid}]}
    assert list(scenario.standin.connectors) == [cid]  # the second run updated, it did not create again
    settings = json.loads((scenario.source / "settings.json").read_text(encoding="utf-8"))
    puts = ["blob-put"] * sum(1 for k in ("icon", "script") if settings.get(k))
    ops = [c.operation for c in scenario.standin.calls]
    assert ops == (["list-environments", "validate", "storage", *puts, "create",
                    "list-environments", "get", "validate", "storage", *puts, "update",
                    "get"] + ["file"] * (1 + len(puts)))


def test_build_folder_untouched(scenario):
    """paconn rewrites settings.json in its working folder: that is a temporary copy, never build/."""
    assert tree_digest(ROOT / "build") == scenario.build_before
    assert tree_digest(scenario.folder) == tree_digest(scenario.source)
    assert sorted(p.name for p in scenario.folder.parent.iterdir()) == sorted(
        [scenario.folder.name, record_path(scenario.folder).name])


@pytest.mark.parametrize("operation", ["create", "update"])
def test_payload_field_by_field(scenario, operation):
    [call] = scenario.standin.calls_of(operation)
    assert call.headers.get("x-ms-origin") == "paconn-cli"
    assert call.query["$filter"] == f"environment eq '{scenario.environment}'"
    props = call.body["properties"]
    swagger = built_json(scenario, "apiDefinition")
    assert props["openApiDefinition"] == swagger
    service_url = f"{swagger['schemes'][0]}://{swagger['host']}{swagger['basePath']}"
    assert props["backendService"] == {"serviceUrl": service_url}
    assert props["environment"] == {"name": scenario.environment}
    assert props["description"] == swagger["info"]["description"]
    if operation == "create":
        assert props["displayName"] == swagger["info"]["title"]
    else:
        assert "displayName" not in props  # paconn sends it on create only
    for key, uri_key in (("icon", "iconUri"), ("script", "scriptDefinitionUrl")):
        url = urlsplit(props[uri_key])
        assert url.scheme == "https" and url.hostname == scenario.standin.blob_host
        container, name = url.path.strip("/").split("/")
        assert name == scenario.settings_file(key).name
        assert scenario.standin.blobs[(container, name)].data == built(scenario, key)
    expected = expected_properties(scenario)["properties"]
    sent_oauth = oauth_settings(call.body)
    assert [o.pointer for o in sent_oauth] == [o.pointer for o in oauth_settings({"properties": expected})]
    for sent in sent_oauth:
        assert sent.settings["clientSecret"] == scenario.secret  # injected by paconn from --secret
        assert sent.settings["clientId"] == CLIENT_ID
    added = {"openApiDefinition", "backendService", "environment", "displayName", "description", "iconUri",
             "scriptDefinitionUrl"}
    sent_rest = copy.deepcopy({k: v for k, v in props.items() if k not in added})
    for sent in oauth_settings({"properties": sent_rest}):
        sent.settings.pop("clientSecret")
    assert sent_rest == expected


def test_blob_uploads(scenario):
    puts = scenario.standin.calls_of("blob-put")
    assert len(puts) == 4  # icon and script, on create and on update
    for call in puts:
        assert call.headers["x-ms-blob-type"] == "BlockBlob"
        assert call.query["sig"]
    icon_puts = [c for c in puts if c.path.endswith("/" + scenario.settings_file("icon").name)]
    assert [c.headers.get("x-ms-blob-content-type") for c in icon_puts] == ["image/png", "image/png"]


def test_download_round_trip(scenario):
    """`paconn download` gives back what we built (the secret excluded, the client id filled in)."""
    d = scenario.downloaded
    assert json.loads((d / "apiDefinition.swagger.json").read_text()) == built_json(scenario, "apiDefinition")
    assert json.loads((d / "apiProperties.json").read_text()) == expected_properties(scenario)
    assert (d / "icon.png").read_bytes() == built(scenario, "icon")
    assert (d / "script.csx").read_bytes() == built(scenario, "script")
    settings = json.loads((d / "settings.json").read_text())
    assert settings["connectorId"] == connector_id(scenario)
    assert settings["environment"] == scenario.environment


def test_no_secret_anywhere(scenario):
    needle = scenario.secret
    # the check can fail: the secret did reach the service, in memory
    assert any(needle in json.dumps(c.body) for c in scenario.standin.calls if isinstance(c.body, dict))
    for text in scenario.outputs + scenario.standin.log:
        assert needle not in text
    files = [p for root in (ROOT / "build", scenario.folder.parent, scenario.home, scenario.downloaded)
             for p in root.rglob("*") if p.is_file()]
    files.append(scenario.standin.dump_path)
    assert scenario.standin.dump_path.is_file() and (scenario.home / ".paconn" / "accessTokens.json") in files
    for path in files:
        assert needle.encode() not in path.read_bytes(), path
    dump = json.loads(scenario.standin.dump_path.read_text())
    create = next(c for c in dump["calls"] if c["operation"] == "create")
    assert create["body"]["properties"]["connectionParameters"]["token"]["oAuthSettings"]["clientSecret"] == "***"


def test_download_is_what_the_service_answers(scenario):
    """The GET paconn download made: no secret handed back, files served from the stand-in's own URLs."""
    [get] = [c for c in scenario.standin.calls if c.operation == "get"][-1:]
    assert get.status == 200
    registration = scenario.standin._registration(scenario.standin.connectors[connector_id(scenario)])
    assert "clientSecret" not in json.dumps(registration)
    assert registration["properties"]["apiDefinitions"]["originalSwaggerUrl"].startswith(scenario.standin.url)
