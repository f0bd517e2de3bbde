"""Load a connector declared in a Python file (``connector build --model PATH``)."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

from ..errors import ConnectorError, UsageError
from .base import ModelError
from .connector import Connector

DEFAULT_MODEL = "connector.smartdialog"


def model_origin(module: str) -> Path | None:
    """The source file of a model module given by name (``connector.smartdialog``), or None."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec is not None and spec.origin else None


def load_model(path: str | Path | None = None) -> Connector:
    """The ``Connector`` a Python file declares: its variable ``connector`` (or ``CONNECTOR``), or the only
    Connector instance at its top level. ``None`` loads the SmartDialog declaration."""
    if path is None:
        module = importlib.import_module(DEFAULT_MODEL)
        return _pick(vars(module), DEFAULT_MODEL)
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"model file '{file}' does not exist; pass the path of a Python file that declares a "
                         "Connector.")
    _refuse_nul(file)
    name = f"_connector_model_{abs(hash(str(file.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise UsageError(f"model file '{file}' cannot be loaded as Python; give it a .py name.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise UsageError(f"{file}:{exc.lineno or 1}:{exc.offset or 0}: syntax error in the model: {exc.msg}") from None
    except ModelError as exc:  # a model object refused a value: the message says which and how to fix it
        raise ConnectorError(f"{_line_of(exc, file)}: {exc}") from None
    except SystemExit as exc:  # sys.exit() in a model would end `connector` silently with the model's code
        raise UsageError(f"{_line_of(exc, file)}: the model called sys.exit({exc.code!r}); a model file only "
                         "declares a connector, so remove the call (or guard it with "
                         "if __name__ == '__main__').") from None
    except Exception as exc:  # the author's code failed: point at their line, not ours
        raise UsageError(f"{_line_of(exc, file)}: the model raised {type(exc).__name__}: {exc}") from None
    finally:
        sys.modules.pop(name, None)
    return _pick(vars(module), str(file))


def _line_of(exc: BaseException, file: Path) -> str:
    """``file:line`` of the model's own line that was running when ``exc`` was raised (``file`` if none)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename) == file.resolve()
              or f.filename == str(file)]
    return f"{file}:{frames[-1].lineno}" if frames else str(file)


def _refuse_nul(file: Path) -> None:
    """Python cannot compile source holding a NUL byte (and then knows no line): name the line ourselves."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise UsageError(f"model file '{file}' cannot be read: {exc.strerror or exc}.") from None
    at = data.find(b"\0")
    if at >= 0:
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise UsageError(f"{file}:{line}:{column}: the model file holds a NUL byte (is it a Python file?); "
                         "remove it, or pass the .py file that declares the Connector.")


def _pick(namespace: dict, source: str) -> Connector:
    for key in ("connector", "CONNECTOR"):
        if isinstance(namespace.get(key), Connector):
            return namespace[key]
    found = [v for k, v in namespace.items() if isinstance(v, Connector) and not k.startswith("_")]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"{source} declares no Connector; assign one to a variable named 'connector'.")
    raise UsageError(f"{source} declares {len(found)} Connectors; name the one to build 'connector'.")
