"""The built connector folder as deploy sees it: ``settings.json`` and the files it names, checked before
paconn sees them, and copied into a temporary working folder that paconn may scribble on.

Nothing here knows a particular connector: the folder layout (settings.json naming apiDefinition,
apiProperties, icon and script, relative to the folder) is the contract with ``connector build``.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ConnectorError, UsageError
from ..jsonio import dumps, load_json_text
from ..platform import is_placeholder
from ..swaggerdoc import pointer

SETTINGS = "settings.json"
FILE_KEYS = ("apiDefinition", "apiProperties", "icon", "script")  # settings.json keys paconn reads files from
REQUIRED_KEYS = ("apiDefinition", "apiProperties")
MAX_FILE = 1024 * 1024  # icon and script limit (certification.md section 3)


class FolderError(ConnectorError):
    """The folder cannot be deployed as it is (exit 1), with every problem listed."""

    def __init__(self, folder: Path, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{folder} is not ready to deploy ({len(problems)} problem(s)):\n{lines}")


@dataclass
class OAuthSetting:
    """One ``oAuthSettings`` object of apiProperties, with where it is."""

    pointer: str
    parameter: str  # the connection parameter's name (paconn injects the secret only into `token`)
    settings: dict[str, Any]


@dataclass
class BuiltFolder:
    root: Path
    settings: dict[str, Any]
    files: dict[str, str]  # settings key -> relative path inside root
    swagger: dict[str, Any]
    properties: dict[str, Any]  # the whole apiProperties document
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.swagger.get("info", {}).get("title", self.root.name))

    def oauth_settings(self) -> list[OAuthSetting]:
        return oauth_settings(self.properties)


def oauth_settings(document: dict[str, Any]) -> list[OAuthSetting]:
    """Every oAuthSettings in connectionParameters and connectionParameterSets of an apiProperties document."""
    props = document.get("properties") if isinstance(document, dict) else None
    if not isinstance(props, dict):
        return []
    found = []
    params = props.get("connectionParameters")
    if isinstance(params, dict):
        for name, param in params.items():
            if isinstance(param, dict) and isinstance(param.get("oAuthSettings"), dict):
                found.append(OAuthSetting(pointer("properties", "connectionParameters", name, "oAuthSettings"),
                                          name, param["oAuthSettings"]))
    sets = props.get("connectionParameterSets")
    values = sets.get("values") if isinstance(sets, dict) else None
    for i, value in enumerate(values if isinstance(values, list) else []):
        inner = value.get("parameters") if isinstance(value, dict) else None
        for name, param in (inner.items() if isinstance(inner, dict) else []):
            if isinstance(param, dict) and isinstance(param.get("oAuthSettings"), dict):
                found.append(OAuthSetting(pointer("properties", "connectionParameterSets", "values", i,
                                                  "parameters", name, "oAuthSettings"), name, param["oAuthSettings"]))
    return found


def _relative(folder: Path, key: str, value: Any, problems: list[str]) -> str | None:
    if not isinstance(value, str) or not value:
        problems.append(f"{SETTINGS}: `{key}` must be a file name relative to the folder")
        return None
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", value):
        problems.append(f"{SETTINGS}: `{key}` is {value!r}; it must name a file inside {folder} "
                        f"(relative, no '..')")
        return None
    if not (folder / path).is_file():
        problems.append(f"{SETTINGS}: `{key}` names {value}, which does not exist in {folder}; "
                        f"run `connector build` first")
        return None
    return str(path)


def _json_file(folder: Path, name: str, problems: list[str]) -> Any:
    raw = (folder / name).read_bytes()
    doc = load_json_text(raw)
    if doc.had_bom:
        problems.append(f"{name}: starts with a byte-order mark, which paconn's create/update cannot read; "
                        f"save it as UTF-8 without BOM")
    if not doc.ok:
        problems.append(f"{name}:{doc.problem.line}:{doc.problem.column}: {doc.problem.message}")
        return None
    if not isinstance(doc.data, dict):
        problems.append(f"{name}: must hold a JSON object")
        return None
    return doc.data


def load_folder(folder: Path, secret: str | None = None) -> BuiltFolder:
    """Read and check a built folder; raises FolderError listing every problem found."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; build it with `connector build` or pass the built folder")
    if not (folder / SETTINGS).is_file():
        raise FolderError(folder, [f"{SETTINGS} is missing; `connector build` writes it"])
    problems: list[str] = []
    settings = _json_file(folder, SETTINGS, problems)
    if settings is None:
        raise FolderError(folder, problems)
    files: dict[str, str] = {}
    for key in FILE_KEYS:
        if key not in settings or settings[key] in (None, ""):
            if key in REQUIRED_KEYS:
                problems.append(f"{SETTINGS}: `{key}` is missing; it names the {key} file")
            continue
        rel = _relative(folder, key, settings[key], problems)
        if rel is not None:
            files[key] = rel
    swagger = _json_file(folder, files["apiDefinition"], problems) if "apiDefinition" in files else None
    properties = _json_file(folder, files["apiProperties"], problems) if "apiProperties" in files else None
    if isinstance(swagger, dict):
        info = swagger.get("info")
        for key in ("title", "description"):  # paconn reads both and fails with a KeyError without them
            if not isinstance(info, dict) or not isinstance(info.get(key), str) or not info.get(key):
                problems.append(f"{files['apiDefinition']}: {pointer('info', key)} is required by paconn")
        if not swagger.get("host"):
            problems.append(f"{files['apiDefinition']}: /host is required (paconn builds the backend URL from it)")
    if isinstance(properties, dict):
        if not isinstance(properties.get("properties"), dict):
            problems.append(f"{files['apiProperties']}: /properties must be an object")
        for found in oauth_settings(properties):
            value = found.settings.get("clientSecret")
            if value and not is_placeholder(value):
                problems.append(f"{files['apiProperties']}: {found.pointer}/clientSecret holds a secret; remove it "
                                f"(deploy takes the secret from the CONNECTOR_CLIENT_SECRET variable)")
            if found.parameter != "token":
                problems.append(f"{files['apiProperties']}: {found.pointer}: paconn injects the client secret only "
                                f"into a connection parameter named `token`, not `{found.parameter}`")
    for key in ("icon", "script"):
        if key in files and (folder / files[key]).stat().st_size > MAX_FILE:
            problems.append(f"{files[key]}: larger than 1 MB, the Power Platform limit")
    if secret:
        needle = secret.encode("utf-8")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if needle in path.read_bytes():
                problems.append(f"{path.relative_to(folder)}: contains the value of CONNECTOR_CLIENT_SECRET; "
                                f"remove it (and rotate the secret if the file was shared)")
    if problems:
        raise FolderError(folder, problems)
    return BuiltFolder(folder, settings, files, swagger, properties)


def validator_available() -> bool:
    try:
        return importlib.util.find_spec("connector.validate") is not None
    except ModuleNotFoundError:
        return False


def validate_folder(folder: Path) -> tuple[list[str], list[str]] | None:
    """Run ``connector validate`` on the folder when that stage is installed: (errors, warnings) as lines,
    or None when it is not there (then only the checks of :func:`load_folder` run)."""
    if not validator_available():
        return None
    validate = importlib.import_module("connector.validate")
    errors, warnings = [], []
    for f in validate.validate_paths([Path(folder)]):
        where = f.file + (f":{f.line}" if getattr(f, "line", None) else "") + (f" {f.pointer}" if f.pointer else "")
        line = f"{where}: {f.rule} {f.message}" + (f" (fix: {f.fix})" if getattr(f, "fix", "") else "")
        severity = getattr(f.severity, "value", f.severity)
        (errors if severity == "error" else warnings).append(line)
    return errors, warnings


def working_copy(built: BuiltFolder, target: Path, settings: dict[str, Any],
                 properties: dict[str, Any]) -> None:
    """Write what paconn runs on into ``target``: the named files (apiProperties as given), settings.json."""
    for key, rel in built.files.items():
        dst = target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if key == "apiProperties":
            dst.write_text(dumps(properties), encoding="utf-8")
        else:
            dst.write_bytes((built.root / rel).read_bytes())
    (target / SETTINGS).write_text(dumps(settings), encoding="utf-8")
