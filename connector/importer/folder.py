"""Read a connector folder into the model without writing a module (``connector mock --folder``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConnectorError, UsageError
from ..jsonio import load_json_text, read_input
from ..model import Connector
from ..swaggerdoc import too_deep
from . import MAX_DEPTH
from .properties import read_properties
from .swagger import Unsupported, read_swagger


def read_folder(folder: Path) -> Connector:
    """The connector a built folder declares (apiDefinition.swagger.json and, when there, apiProperties.json), read
    as ``connector import`` reads them, without writing a module: what ``connector mock --folder`` serves."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: there is no such folder; build one with `connector build`.")
    docs = {}
    for name, required in (("apiDefinition.swagger.json", True), ("apiProperties.json", False)):
        path = folder / name
        if not path.exists():
            if required:
                raise UsageError(f"{folder}: it has no {name}; pass a folder built by `connector build` "
                                 "(or --model FILE).")
            continue
        doc = load_json_text(read_input(path), lenient=True)
        if doc.problem is not None:
            raise UsageError(f"{path}:{doc.problem.line}:{doc.problem.column}: not valid JSON ({doc.problem.message}).")
        if too_deep(doc.data, MAX_DEPTH) is not None:
            raise ConnectorError(f"{path}: nested more than {MAX_DEPTH} levels deep; the mock reads up to that.")
        docs[name] = doc.data
    try:
        connector, _ = read_swagger(docs["apiDefinition.swagger.json"])
        if "apiProperties.json" in docs:
            connector, _ = read_properties(connector, docs["apiProperties.json"])
    except Unsupported as exc:
        name = "apiProperties.json" if exc.document == "properties" else "apiDefinition.swagger.json"
        raise ConnectorError(f"{folder / name}: {exc}") from None
    return connector
