"""The round trip of one connector folder, as the tests and ``benchmarks/import_corpus.py`` measure it:
swagger (+ apiProperties) -> ``import`` -> Python module on disk -> ``load_model`` -> build -> semantic compare."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConnectorError
from ..jsonio import load_json_file
from ..model import load_model
from . import BuildRefused, Unsupported, import_connector, verify


@dataclass
class RoundTrip:
    swagger: Path
    parsed: bool = True
    problem: str | None = None  # why the file is not parseable JSON (line and column), or was refused
    differences: list[str] = field(default_factory=list)
    import_seconds: float = 0.0  # read + model + module text (what `connector import` does before verifying)
    operations: int = 0
    module_bytes: int = 0
    model_problems: int = 0  # declaration checks the imported model fails (connector build refuses those)

    @property
    def exact(self) -> bool:
        return self.parsed and self.problem is None and not self.differences


def roundtrip(swagger: Path, properties: Path | None = None, workdir: Path | None = None) -> RoundTrip:
    result = RoundTrip(swagger=swagger)
    started = time.perf_counter()
    doc = load_json_file(swagger, lenient=True)  # as `connector import` reads it: what the platform's parser accepts
    if doc.problem is not None:
        result.parsed = False
        line, column = doc.problem.line, doc.problem.column
        result.problem = f"{line}:{column}: {doc.problem.message}"
        return result
    props = None
    if properties is not None and properties.is_file():
        pdoc = load_json_file(properties, lenient=True)
        props = pdoc.data if pdoc.ok else None
    try:
        imported = import_connector(doc.data, properties=props, source_name=swagger.name, out_name="model.py")
    except Unsupported as exc:
        result.problem = f"refused: {exc}"
        return result
    result.import_seconds = time.perf_counter() - started
    result.operations = len(imported.connector.operations)
    result.module_bytes = len(imported.source.encode("utf-8"))
    result.model_problems = len(imported.problems)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        module = Path(tmp) / "model.py"
        module.write_text(imported.source, encoding="utf-8")
        try:
            connector = load_model(module)
        except ConnectorError as exc:
            result.problem = f"the written module does not load: {exc.message}"
            return result
        try:
            result.differences = verify(connector, doc.data, props)
        except BuildRefused as exc:  # never counted as a round trip: `connector build` refuses the module
            result.problem = f"connector build refuses the module: {'; '.join(exc.problems[:3])}"
    return result
