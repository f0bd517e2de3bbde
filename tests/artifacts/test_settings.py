"""settings.json: what paconn reads; passes Microsoft's schema plus the `script` key paconn writes."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

from conftest import BUILD, DATA, anchor_validator, load_anchor_schema
from connector.generate.build import render

SCHEMA = "paconn-settings.schema.json"


def schema_with_script() -> dict:
    schema = copy.deepcopy(load_anchor_schema(SCHEMA))
    schema["properties"]["script"] = {"type": "string"}
    return schema


def test_passes_the_schema_plus_script():
    settings = json.loads((BUILD / "settings.json").read_text(encoding="utf-8"))
    assert list(anchor_validator(SCHEMA, schema_with_script()).iter_errors(settings)) == []
    assert list(anchor_validator(SCHEMA).iter_errors(settings))  # the published schema lacks `script`


def test_names_the_built_files_relative_to_the_folder():
    settings = json.loads((BUILD / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"apiDefinition": "apiDefinition.swagger.json", "apiProperties": "apiProperties.json",
                        "icon": "icon.png", "script": "script.csx"}
    for name in settings.values():
        assert (BUILD / name).is_file() and not os.path.isabs(name) and "/" not in name
    # deployment-time values stay out: paconn asks for the environment and writes the connector id back
    assert "environment" not in settings and "connectorId" not in settings


def test_paths_resolve_from_the_folder_as_paconn_reads_them():
    """paconn opens each path relative to its working directory: from inside the folder, all open."""
    code = ("import json; s = json.load(open('settings.json'));"
            "[open(s[k], 'rb').read(1) for k in ('apiDefinition', 'apiProperties', 'icon', 'script')]")
    proc = subprocess.run([sys.executable, "-c", code], cwd=BUILD, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_no_script_key_when_the_connector_has_no_script():
    from connector.model import load_model

    files = render(load_model(DATA / "weather_model.py"))
    assert "script.csx" not in files
    settings = json.loads(files["settings.json"])
    assert "script" not in settings
    assert list(anchor_validator(SCHEMA).iter_errors(settings)) == []
