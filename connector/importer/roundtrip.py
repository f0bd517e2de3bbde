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
    source: str = ""  # the module import wrote

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
    result.source = imported.source
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


@dataclass
class CliRoundTrip:
    """One corpus folder through the commands a user runs: ``connector import FOLDER --out m.py``, then
    ``connector build --model m.py``; the built folder compared with the original one."""

    folder: Path
    imported: bool = False  # `connector import` exited 0 (it printed its round trip)
    problem: str | None = None  # why not: the command's message, or what differs
    compared: tuple[str, ...] = ()  # the files compared (swagger and apiProperties semantically, others by bytes)

    @property
    def exact(self) -> bool:
        return self.imported and self.problem is None


BYTE_FILES = ("icon.png", "script.csx", "readme.md")


def cli_roundtrip(folder: Path, workdir: Path) -> CliRoundTrip:
    """``connector import FOLDER`` then ``connector build --model``, in-process through the click commands (the
    same code path as the installed command, without a new interpreter per folder)."""
    from click.testing import CliRunner

    from ..generate.cli import build as build_command  # the commands themselves (importer may not import cli)
    from ..jsonio import load_json_file
    from .cli import import_ as import_command
    from .compare import differences

    result = CliRoundTrip(folder=folder)
    runner = CliRunner()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        module, out = Path(tmp) / "model.py", Path(tmp) / "built"
        done = runner.invoke(import_command, [str(folder), "--out", str(module)])
        if done.exit_code != 0:
            result.problem = f"connector import exit {done.exit_code}: {_last_line(done.output)}"
            return result
        result.imported = True
        built = runner.invoke(build_command, ["--model", str(module), "--out", str(out)])
        if built.exit_code != 0:
            result.problem = f"connector build exit {built.exit_code}: {_last_line(built.output)}"
            return result
        found: list[str] = []
        compared = []
        for name in ("apiDefinition.swagger.json", "apiProperties.json"):
            if (folder / name).is_file():
                compared.append(name)
                original = load_json_file(folder / name, lenient=True).data
                rebuilt = load_json_file(out / name).data if (out / name).is_file() else None
                found += [name + d for d in differences(original, rebuilt, 3)]
        for name in BYTE_FILES:
            if (folder / name).is_file():
                compared.append(name)
                if not (out / name).is_file() or (out / name).read_bytes() != (folder / name).read_bytes():
                    found.append(f"{name}: not byte-identical")
        result.compared = tuple(compared)
        if found:
            result.problem = "; ".join(found[:3])
    return result


def _last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""
