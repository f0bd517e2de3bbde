"""Swagger 2.0 structure: the JSON schema (vendored from openapi-spec-validator, compiled once with fastjsonschema)
decides pass/fail fast; only a failing document is re-checked with jsonschema to list every problem with its
pointer. Semantic checks that openapi-spec-validator adds on top of the schema live in swagger.py."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import fastjsonschema
import jsonschema
from jsonschema.exceptions import best_match

from ..swaggerdoc import pointer

SCHEMA_DIR = Path(__file__).with_name("schemas")
MAX_STRUCTURE_FINDINGS = 50


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def fast_validator(name: str):
    # use_default=False: fastjsonschema would otherwise write schema defaults into the document it checks
    return fastjsonschema.compile(load_schema(name), use_default=False)


@lru_cache(maxsize=None)
def full_validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    return cls(schema)


def _describe(err: jsonschema.ValidationError) -> str:
    msg = err.message
    if len(msg) > 300:
        msg = msg[:297] + "..."
    return msg


def _deepest(err: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf/anyOf failures pick the most relevant branch error (jsonschema's best_match heuristic)."""
    while err.context:
        nxt = best_match(err.context)
        if nxt is None or nxt is err:
            break
        err = nxt
    return err


def schema_errors(name: str, data: Any) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each schema violation; nothing when the document is valid."""
    try:
        fast_validator(name)(data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    except Exception:  # fastjsonschema chokes on exotic input (e.g. huge ints); fall back to the full validator
        pass
    seen = set()
    errors = sorted(full_validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        err = _deepest(err)
        ptr = pointer(*err.absolute_path)
        key = (ptr, err.message)
        if key in seen:
            continue
        seen.add(key)
        yield ptr, _describe(err)
        if len(seen) >= MAX_STRUCTURE_FINDINGS:
            return
