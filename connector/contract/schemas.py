"""Checking an answer (or a webhook notification) against the schema the swagger declares for it.

Swagger 2.0 schemas are draft-4 JSON schemas plus ``x-*`` keys (ignored) and references into the
document's ``#/definitions``. The schema is validated as part of the whole swagger so that every local
reference resolves; a reference that does not is itself reported.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

import jsonschema
from jsonschema import Draft4Validator, FormatChecker

from ..swaggerdoc import pointer
from .folder import ContractFailure

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", value):
        raise ValueError("not an ISO 8601 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


@FORMATS.checks("uuid", raises=ValueError)
def _uuid(value: object) -> bool:
    if isinstance(value, str):
        uuid.UUID(value)
    return True


@FORMATS.checks("int32", raises=ValueError)
def _int32(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool) and not -2**31 <= value < 2**31:
        raise ValueError("outside the int32 range")
    return True


def validate(swagger: dict[str, Any], schema: dict[str, Any], instance: Any, where: str) -> None:
    """Raise ContractFailure naming ``where`` and the JSON pointer of the first mismatches."""
    errors = problems(swagger, schema, instance)
    if errors:
        raise ContractFailure(where, "; ".join(errors[:3]) + (f" (and {len(errors) - 3} more)"
                                                             if len(errors) > 3 else ""))


def problems(swagger: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    root = {**schema, "definitions": swagger.get("definitions", {})} if isinstance(schema, dict) else schema
    _check_refs(swagger, schema, "")
    validator = Draft4Validator(root, format_checker=FORMATS)
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        at = pointer(*error.absolute_path) or "/"
        out.append(f"at {at}: {error.message}")
    return out


def _check_refs(swagger: dict[str, Any], node: Any, at: str) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith("#/definitions/") or ref.split("/", 2)[2] not in swagger.get("definitions", {}):
                raise ContractFailure(f"schema {at or '/'}", f"reference {ref!r} does not resolve in the swagger")
        for k, v in node.items():
            _check_refs(swagger, v, f"{at}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_refs(swagger, v, f"{at}/{i}")


__all__ = ["validate", "problems", "jsonschema"]
