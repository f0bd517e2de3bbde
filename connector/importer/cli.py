"""``connector import SWAGGER [--properties apiProperties.json] [--script script.csx] --out FILE.py``."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click

from ..errors import ConnectorError, UsageError
from ..jsonio import MAX_FILE_SIZE_ENV, load_json_text, max_file_size, read_input, write_text
from ..generate.swagger import SwaggerEmitter
from ..model import load_model
from ..swaggerdoc import too_deep
from ..generate.settings import API_PROPERTIES, ICON, SCRIPT
from . import MAX_DEPTH, BuildRefused, Unsupported, import_connector, verify

SHOWN_POINTERS = 3
HOW = {
    "verbatim": "kept verbatim (the model has no field for them; the build writes them back unchanged)",
    "recursive": "kept as $ref strings (references back into a definition being declared)",
    "empty": "empty containers dropped or added (equal to their absence, see README: Import and diff)",
    "default": "parameters without 'required' (swagger's default, false, is written)",
    "path-level": "path-level parameters declared on each operation of their path",
    "unfit": "dynamic extensions kept verbatim (they do not fit the model's concept; the reason follows)",
}


def _load(path: Path, what: str, limit: int | None = None):
    """The JSON of a file as the platform reads it: regular files only, under the size cap; trailing commas,
    comments and raw control characters are accepted with a warning (the module and the build write strict JSON)."""
    doc = load_json_text(read_input(path, limit), lenient=True)
    for w in doc.warnings:
        click.echo(f"warning: {path}:{w.line}:{w.column}: {w.message} is not strict JSON (the platform's parser "
                   "accepts it; the build writes strict JSON)", err=True)
    if doc.problem is not None:
        p = doc.problem
        line, column = p.line, p.column
        raise UsageError(f"{path}:{line}:{column}: {what} is not valid JSON ({p.message}); fix it and import "
                         "again.")
    where = too_deep(doc.data, MAX_DEPTH)
    if where is not None:
        where = where if len(where) <= 80 else where[:where.rfind("/", 0, 72)] + "/..."
        raise ConnectorError(f"{path}: {where or '/'}: {what} is nested more than {MAX_DEPTH} levels deep; connector "
                             "import handles up to that (real connectors stay under 30): flatten it with "
                             "definitions and $ref.")
    return doc.data



@click.command("import")
@click.argument("swagger", type=click.Path(exists=True, path_type=Path))
@click.option("--properties", "properties_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The connector's apiProperties.json (default: the one beside SWAGGER when SWAGGER is a folder).")
@click.option("--script", "script_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The connector's script.csx, kept verbatim in a file beside the module.")
@click.option("--icon", "icon_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The connector's icon.png, copied beside the module; the build writes it unchanged.")
@click.option("--readme", "readme_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The connector's readme.md, copied beside the module; the build writes it unchanged.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The Python module to write (FILE.py).")
@click.option("--force", is_flag=True, help="Overwrite FILE.py (and its script file) when they exist.")
@click.option("-v", "--verbose", is_flag=True, help="List every JSON pointer, not only the first few per key.")
@click.option("--max-file-size", "max_size", metavar="BYTES",
              help=f"Refuse input files larger than this (K, M, G suffixes; default ${MAX_FILE_SIZE_ENV} or 32M).")
def import_(swagger: Path, properties_path: Path | None, script_path: Path | None, icon_path: Path | None,
            readme_path: Path | None, out: Path, force: bool, verbose: bool, max_size: str | None = None) -> None:
    """Import an existing connector (apiDefinition.swagger.json, or a folder holding it and its apiProperties.json,
    script.csx, icon.png and readme.md) into a Python module that declares it in the model;
    `connector build --model FILE.py` regenerates the folder."""
    if swagger.is_dir():
        folder = swagger
        swagger = folder / "apiDefinition.swagger.json"
        if not swagger.exists():  # exists, not is_file: a FIFO or a link to a device is refused when read
            raise UsageError(f"{folder} has no apiDefinition.swagger.json; pass the swagger file itself.")
        if properties_path is None and (folder / "apiProperties.json").exists():
            properties_path = folder / "apiProperties.json"
        if script_path is None and (folder / "script.csx").exists():
            script_path = folder / "script.csx"
        if icon_path is None and (folder / "icon.png").exists():
            icon_path = folder / "icon.png"
        if readme_path is None and (folder / "readme.md").exists():
            readme_path = folder / "readme.md"
    if out.suffix != ".py":
        raise UsageError(f"--out {out}: the module must be a .py file.")
    script_file = out.with_suffix(".csx") if script_path is not None else None
    # the connector's own files, copied beside the module (which points at them) so that it stands alone
    copies = {field: (source, out.with_suffix(suffix)) for field, source, suffix in (
        ("icon", icon_path, ".icon.png"), ("readme", readme_path, ".readme.md")) if source is not None}
    for target in (out, script_file, *(t for _, t in copies.values())):
        if target is not None and target.exists() and not force:
            raise UsageError(f"{target} exists; pass --force to overwrite it, or choose another --out.")

    limit = max_file_size(max_size)
    data = _load(swagger, "the swagger", limit)
    properties = _load(properties_path, "apiProperties.json", limit) if properties_path is not None else None
    script = read_input(script_path, limit).decode("utf-8") if script_path is not None else None
    copied = {field: read_input(source, limit) for field, (source, _) in copies.items()}
    try:
        result = import_connector(data, properties=properties, script=script, source_name=swagger.name,
                                  out_name=out.name, script_file=script_file.name if script_file else None,
                                  files={field: target.name for field, (_, target) in copies.items()})
    except Unsupported as exc:
        where = properties_path if exc.document == "properties" else swagger
        raise ConnectorError(f"{where}: {exc}") from None
    except RecursionError:  # a last guard: the depth check above keeps documents well inside Python's limit
        raise ConnectorError(f"{swagger}: the document nests (or refers back to itself) too deeply to import; "
                             "flatten it with definitions and $ref.") from None

    write_text(out, result.source)
    if script_file is not None and script is not None:
        script_file.write_bytes(script.encode("utf-8"))
    for field, (_, target) in copies.items():
        target.write_bytes(copied[field])

    connector = load_model(out)
    originals = {name: copied[field] for field, name in (("icon", ICON), ("readme", "readme.md")) if field in copied}
    if script is not None:
        originals[SCRIPT] = script.encode("utf-8")
    refused: BuildRefused | None = None
    try:
        found = verify(connector, data, properties, files=originals)
    except BuildRefused as exc:
        found, refused = [], exc
    c = result.connector
    emitter = SwaggerEmitter(c)
    emitter.document()
    counts = [f"{len(found_)} {label}" for label, found_ in (("definitions", emitter.definitions), (
        "shared parameters", emitter.shared_parameters), ("shared responses", emitter.shared_responses)) if found_]
    click.echo(f"wrote {out}: {len(c.operations)} operations" + "".join(", " + x for x in counts)
               + (f", script {script_file}" if script_file else "")
               + "".join(f", {field} {target}" for field, (_, target) in copies.items()))
    _report_kept(result.kept, verbose)
    if refused is not None:
        problems = refused.problems
        click.echo(f"model checks: {len(problems)} problem(s); `connector build` refuses the module until they are "
                   "fixed:")
        for problem in problems if verbose else problems[:10]:
            click.echo(f"  - {problem}")
        if not verbose and len(problems) > 10:
            click.echo(f"  ... and {len(problems) - 10} more (--verbose lists them all)")
        raise ConnectorError(f"no round trip: `connector build --model {out}` refuses the module (above); fix "
                             "those problems in it, then build.")
    if found:
        raise ConnectorError(f"the module does not build back to {swagger.name}; this is a bug in connector "
                             "import, please report it with the file:\n" + "\n".join(f"  {d}" for d in found))
    same = [name for name in (API_PROPERTIES if properties is not None else None, *originals) if name]
    click.echo(f"round trip: `connector build --model {out}` writes a swagger equal to {swagger.name}"
               + (f" and the same {', '.join(same)}" if same else ""))


def _report_kept(kept, verbose: bool) -> None:
    by_how: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for k in kept:
        by_how[k.how][k.key].append(k.pointer)
    for how in ("verbatim", "unfit", "recursive", "empty", "default", "path-level"):
        keys = by_how.get(how)
        if not keys:
            continue
        total = sum(len(v) for v in keys.values())
        click.echo(f"{total} {HOW[how]}:")
        width = max(len(k) for k in keys)
        for key, pointers in sorted(keys.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            shown = pointers if verbose else pointers[:SHOWN_POINTERS]
            more = "" if len(shown) == len(pointers) else f" (+{len(pointers) - len(shown)} more)"
            click.echo(f"  {key:{width}} {len(pointers):5}  {', '.join(shown)}{more}")
        if how == "unfit":
            for why in sorted({k.why for k in kept if k.how == how and k.why}):
                click.echo(f"    because {why}")
