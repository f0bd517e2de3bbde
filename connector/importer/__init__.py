"""``connector import``: bring an existing connector (swagger, apiProperties, script) into the Python model.

``import_connector`` reads the documents into a ``Connector`` (``swagger.SwaggerReader``, ``properties``),
writes it as a readable module (``pywriter``), and ``verify`` proves, through exactly what ``connector build``
does, that the module builds a swagger and apiProperties semantically equal to the originals (``compare``) and
the icon, readme and script byte for byte.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from ..errors import ConnectorError
from ..generate.settings import API_DEFINITION, API_PROPERTIES
from ..model import Connector, check
from .compare import differences, semantically_equal
from .properties import read_properties
from .pywriter import write_module
from .swagger import Kept, Unsupported, read_swagger


MAX_DEPTH = 128  # JSON nesting import accepts; the deepest of 700 real connectors is 29, Python's parser stops near 200


@dataclass
class ImportResult:
    connector: Connector
    source: str  # the Python module
    kept: list[Kept] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # model checks the imported connector fails


def docstring(connector: Connector, source_name: str, out_name: str) -> str:
    paragraphs = [f"{connector.title}: imported from {source_name} by `connector import`.",
                  f"Build it with `connector build --model {out_name}`. What the model has no field for is kept "
                  "verbatim in the `extra` mappings (and `imported.properties_extra` for apiProperties.json), so the build "
                  "gives it back."]
    return "\n\n".join(textwrap.fill(p, width=100, break_long_words=False, break_on_hyphens=False)
                       for p in paragraphs)


def import_connector(swagger: Any, *, properties: Any = None, script: str | None = None,
                     source_name: str = "apiDefinition.swagger.json", out_name: str = "connector_model.py",
                     script_file: str | None = None, files: dict[str, str] | None = None) -> ImportResult:
    """The model and module of a swagger document (and optionally its apiProperties and script text).

    ``script_file``: the name of the file, next to the module, that the module reads its script from
    (``script`` is then written there by the caller); without it the script is embedded as a string.
    ``files``: Connector fields (``icon``, ``readme``) the module points at a file beside it for (the caller
    copies the connector's own icon.png and readme.md there)."""
    connector, kept = read_swagger(swagger)
    if properties is not None:
        connector, more = read_properties(connector, properties)
        kept += more
    if script is not None:
        connector = replace(connector, imported=replace(connector.imported, script_source=script))
    source = write_module(connector, docstring=docstring(connector, source_name, out_name),
                          script_file=script_file if script is not None else None, files=files)
    return ImportResult(connector=connector, source=source, kept=kept, problems=check(connector))


def load_module_text(source: str, path: Path | None = None) -> Connector:
    """The Connector a module's text declares (executed as ``connector build --model`` would)."""
    namespace: dict[str, Any] = {"__name__": "_imported_connector", "__file__": str(path or "<import>")}
    exec(compile(source, str(path or "<import>"), "exec"), namespace)
    return namespace["connector"]


class BuildRefused(ConnectorError):
    """``connector build`` refuses the imported module (a declaration check, or an emitter naming a value it
    cannot write): there is no round trip to claim."""

    def __init__(self, error: ConnectorError):
        self.error = error
        self.problems = list(getattr(error, "problems", None) or [error.message])
        super().__init__(error.message)


def verify(connector: Connector, swagger: Any, properties: Any = None, limit: int = 10,
           files: Mapping[str, bytes] | None = None) -> list[str]:
    """Where the files ``connector build`` writes for ``connector`` differ from the originals; empty when the round
    trip holds. The build is the command's own (``generate.build.render``: declaration checks, production profile,
    every emitter), so no round trip is claimed for a module the build refuses: that raises ``BuildRefused``.
    ``swagger`` and ``properties`` compare semantically; ``files`` (e.g. icon.png, readme.md, script.csx) byte for
    byte."""
    from ..generate.build import render

    try:
        built = render(connector)
    except ConnectorError as exc:
        raise BuildRefused(exc) from None
    except Exception as exc:  # noqa: BLE001 - an emitter's bug: reported as a difference, not raised
        return [f"the build failed: an emitter failed: {type(exc).__name__}: {exc}"]
    found = differences(swagger, json.loads(built[API_DEFINITION]), limit)
    if properties is not None:
        rendered = json.loads(built[API_PROPERTIES]) if API_PROPERTIES in built else None
        if rendered is None:
            found.append("apiProperties.json: the build writes none")
        elif not semantically_equal(properties, rendered):
            found += ["apiProperties.json" + d for d in differences(properties, rendered, limit)]
    for name, data in (files or {}).items():
        if built.get(name) != data:
            found.append(f"{name}: the build does not write it back byte for byte")
    return found


__all__ = ["MAX_DEPTH", "BuildRefused", "ImportResult", "Kept", "Unsupported", "import_connector", "load_module_text", "verify",
           "differences", "semantically_equal"]
