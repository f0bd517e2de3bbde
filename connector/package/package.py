"""The certification submission: ``build/certification/<Title>/`` and ``build/certification/<Title>.zip``.

The folder holds exactly what a pull request to Microsoft's connector repository carries
(apiDefinition.swagger.json, apiProperties.json, readme.md, script.csx when there is one, icon.png), always
built from the model in the production profile, never copied from a build folder that may be stale or
built for the mock. The zip holds that folder: entries sorted, every timestamp 1980-01-01 00:00:00, mode
0644, made on "Unix", no extra fields, so the same model gives the same bytes. Both are written through
an OutputFolder, so files a person put there are never overwritten.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..generate.build import BuildContext, folder_name, render
from ..generate.output import OutputFolder
from ..generate.settings import API_DEFINITION, API_PROPERTIES, ICON, SCRIPT
from ..model import Connector

SUBMISSION_FILES = (API_DEFINITION, API_PROPERTIES, "readme.md", SCRIPT, ICON)
DEFAULT_ROOT = Path("build") / "certification"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no build time leaks into the bytes


def submission_files(connector: Connector) -> dict[str, bytes]:
    """The submission's files (production profile), by file name, in a fixed order."""
    built = render(connector, BuildContext(profile="production"))
    return {name: built[name] for name in SUBMISSION_FILES if name in built}


def zip_bytes(folder: str, files: dict[str, bytes]) -> bytes:
    """A deterministic zip of ``files`` under the directory ``folder/``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = (0o100644 & 0xFFFF) << 16  # a regular file, rw-r--r--
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()


@dataclass
class PackageResult:
    folder: Path
    zip: Path
    files: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)


def package(connector: Connector, root: Path | None = None, force: bool = False) -> PackageResult:
    root = Path(root) if root is not None else DEFAULT_ROOT
    name = folder_name(connector)
    files = submission_files(connector)
    out = OutputFolder(root, force=force)
    for file_name, data in files.items():
        out.add(f"{name}/{file_name}", data)
    out.add(f"{name}.zip", zip_bytes(name, files))
    changed = out.commit()
    return PackageResult(folder=root / name, zip=root / f"{name}.zip",
                         files=[root / n for n in sorted(out.files)], changed=changed)


def validation_errors(connector: Connector, root: Path | None = None) -> str | None:
    """``connector validate``'s report of the errors in the submission folder as ``package`` would write it
    (None when there are none). The files are checked in a temporary folder inside ``root``, so the
    ``[tool.connector.validate]`` configuration that applies to the real folder applies; nothing else is
    written."""
    from ..validate.engine import display, validate_paths
    from ..validate.findings import Severity
    from ..validate.report import render_text

    root = Path(root) if root is not None else DEFAULT_ROOT
    name = folder_name(connector)
    files = submission_files(connector)
    created = [p for p in (root, *root.parents) if not p.exists()]
    root.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=root, prefix=".validate-") as tmp:
            folder = Path(tmp) / name
            folder.mkdir()
            for file_name, data in files.items():
                (folder / file_name).write_bytes(data)
            errors = [f for f in validate_paths([folder]) if f.severity is Severity.ERROR]
            if not errors:
                return None
            text = render_text(errors, len(files))
            return text.replace(display(folder), display(root / name)).replace(folder.as_posix(),
                                                                                 (root / name).as_posix())
    finally:
        for p in created:  # a refused package leaves no empty folders behind
            try:
                p.rmdir()
            except OSError:
                break
