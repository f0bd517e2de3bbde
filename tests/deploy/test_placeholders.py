"""Client-id placeholders: every common form is one (`connector.platform.is_placeholder`), and `connector
deploy` then demands --client-id instead of handing the placeholder to paconn."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.platform import is_placeholder

from .conftest import copy_folder

# forms found in published connectors (../shared/corpus apiProperties.json), and the issue's own
PLACEHOLDERS = [
    None, "", "   ", "[[CLIENT_ID]]", "[[DUMMY]]", "[[Please add the clientId here]]",
    "<<Please add your clientID here>>", "<<Enter your client ID>>", "<< Client Id Here >>", "<Enter Your Client ID>",
    "<client-id>", "<resource-id>",
    "[YOUR_CLIENT_ID]", "[Dummy]", "[null]", "{{ client id }}", "{{clientId}}", "{aad_application_id}",
    "${CLIENT_ID}", "%CLIENT_ID%", "PLACEHOLDER_CLIENTID", "YOUR_CLIENT_ID", "CLIENTID", "your client id",
    "Enter your client ID", "Please enter client ID", "Zoom Client ID", "dummy", "dummy_id", "facebook_app_id",
    "Value-From-Your-App-Registration", "xxxxxxxxxxxxxxxxxxxxxxxx", "XXXXX", "*****",
    "00000000-0000-0000-0000-000000000000", "changeme", "TODO", "null",
]
REAL = ["04b07795-8ddb-461a-bbee-02f9e1bf7b46", "6f1b4c1e-0000-4000-8000-00000000c1d0", "6538E2C55478C",
        "logic-apps", "pacman", "Iv1.8a61f9b3a7aba766", "1234567890.apps.googleusercontent.com"]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholder_forms(value):
    assert is_placeholder(value)


@pytest.mark.parametrize("value", REAL)
def test_real_client_ids_are_not_placeholders(value):
    assert not is_placeholder(value)


def _set_client_id(folder, value):
    path = folder / json.loads((folder / "settings.json").read_text())["apiProperties"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["properties"]["connectionParameters"]["token"]["oAuthSettings"]["clientId"] = value
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize("value", ["<<Please add your clientID here>>", "<client id>", "", "Enter your client ID",
                                   "[[CLIENT_ID]]"])
def test_deploy_demands_client_id(tmp_path, built_source, value):
    folder = copy_folder(built_source, tmp_path / "build")
    _set_client_id(folder, value)
    env = {"CONNECTOR_CLIENT_SECRET": "s3cr3t-value", "CONNECTOR_CLIENT_ID": "", "HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(main, ["deploy", str(folder), "--environment", "Default-1234", "--no-validate"],
                                env=env)
    assert result.exit_code == 2, result.output
    assert "/properties/connectionParameters/token/oAuthSettings/clientId is " + repr(value) in result.output
    assert "--client-id" in result.output and "CONNECTOR_CLIENT_ID" in result.output
    assert not (tmp_path / "home").exists()  # refused before sign-in is even looked at


def test_a_placeholder_passed_as_client_id_is_refused(tmp_path, built_source):
    folder = copy_folder(built_source, tmp_path / "build")
    env = {"CONNECTOR_CLIENT_SECRET": "s3cr3t-value", "HOME": str(tmp_path / "home")}
    result = CliRunner().invoke(main, ["deploy", str(folder), "--environment", "Default-1234", "--no-validate",
                                       "--client-id", "<your client id>"], env=env)
    assert result.exit_code == 2 and "is itself a placeholder" in result.output
