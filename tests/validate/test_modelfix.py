"""For a folder that `connector build` wrote, fixes name the model field, the parameter and operation, and the
model file's line (the build manifest records the model file)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from connector.cli import main

from .conftest import findings_of

MODEL = Path(__file__).resolve().parents[1] / "data" / "weather_model.py"


def built(tmp_path: Path) -> Path:
    out = tmp_path / "Weather"
    res = CliRunner().invoke(main, ["build", "--model", str(MODEL), "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_fix_names_model_field_operation_and_line(tmp_path):
    out = built(tmp_path)
    manifest = json.loads((out / ".generated.json").read_text())
    assert (out / manifest["model"]).resolve() == MODEL.resolve()
    swagger = json.loads((out / "apiDefinition.swagger.json").read_text())
    city = [p for p in swagger["paths"]["/forecast/{city}"]["get"]["parameters"] if p["name"] == "city"][0] \
        if "/forecast/{city}" in swagger["paths"] else None
    if city is None:  # find the GetForecast path parameter wherever the model puts it
        for item in swagger["paths"].values():
            for op in item.values():
                if isinstance(op, dict) and op.get("operationId") == "GetForecast":
                    city = [p for p in op["parameters"] if p["name"] == "city"][0]
    city.pop("x-ms-url-encoding")
    (out / "apiDefinition.swagger.json").write_text(json.dumps(swagger, indent=2))
    (finding,) = [f for f in findings_of(out) if f["rule"] == "PP1053"]
    line = next(i for i, text in enumerate(MODEL.read_text().splitlines(), 1) if 'path("city"' in text)
    assert finding["fix"].startswith("In the model, give parameter 'city' of operation GetForecast "
                                     'url_encoding="single" (')
    assert finding["fix"].endswith(f"weather_model.py:{line}).")


def test_a_folder_without_manifest_keeps_swagger_terms(connector):
    del connector.swagger["paths"]["/messages/{messageId}"]["get"]["parameters"][0]["x-ms-url-encoding"]
    (finding,) = [f for f in findings_of(connector.write()) if f["rule"] == "PP1053"]
    assert finding["fix"] == 'Add "x-ms-url-encoding": "single".'
