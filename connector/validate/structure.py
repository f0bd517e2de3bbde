"""Swagger 2.0 and apiProperties.json structure: the JSON schema (vendored from openapi-spec-validator) checked
with jsonschema-rs, a compiled validator that decides pass/fail in microseconds and, on a failing document,
lists each violation with its place. Semantic checks that openapi-spec-validator adds on top of the schema
live in swagger.py.

Messages are sentences about the user's file, one per place: a ``oneOf`` failure is replaced by the errors of
the alternative the value came closest to, and several keywords failing at one place give one finding (the
most telling one). Python's ``jsonschema`` remains the fallback for values jsonschema-rs cannot take in
(integers beyond 64 bits)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import best_match

from ..jsonio import json_type
from ..swaggerdoc import pointer

SCHEMA_DIR = Path(__file__).with_name("schemas")
MAX_STRUCTURE_FINDINGS = 50
SPECS = {"swagger-2.0.schema.json": "Swagger 2.0", "apiProperties.schema.json": "the apiProperties schema"}
# when several keywords fail at one place, the first of these kinds speaks for them
_PRIORITY = ("Required", "Type", "AdditionalProperties", "Enum", "Pattern", "MinProperties", "MinItems",
             "MinLength", "MaxLength", "UniqueItems", "Format")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def fast_validator(name: str):
    schema = load_schema(name)  # the draft its $schema names (apiProperties: draft 7, swagger: draft 4)
    return jsonschema_rs.validator_for(schema) if "$schema" in schema else jsonschema_rs.Draft4Validator(schema)


@lru_cache(maxsize=None)
def full_validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    return cls(schema)


def _article(t: str) -> str:
    return {"object": "an object", "array": "an array", "integer": "an integer"}.get(t, f"a {t}" if t != "null" else t)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _name(parts: list) -> str:
    if not parts:
        return "The document"
    last = parts[-1]
    return f"Entry {last}" if isinstance(last, int) else f"'{last}'"


def _quote(names: list) -> str:
    names = [f"'{n}'" for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(kind: str, detail: dict, instance: Any, parts: list, spec: str = "Swagger 2.0") -> str:
    """A sentence for one schema violation at ``parts``, without schema dumps or Python reprs. ``spec`` names the
    document's specification in the sentence."""
    name = _name(parts)
    if kind == "Required":
        prop = detail.get("property")
        return f"{name} lacks the required key '{prop}'."
    if kind == "AdditionalProperties":
        extra = list(detail.get("unexpected") or [])
        return (f"{name} has {'keys' if len(extra) > 1 else 'the key'} {_quote(extra)}, which {spec} does not "
                "allow here" + (" (only x- extensions may be added)." if spec == "Swagger 2.0" else "."))
    if kind == "PropertyNames":
        inner = detail.get("error")
        bad = getattr(inner, "instance", None)
        return (f"{name} has the key {_show(bad)}, which is not a name {spec} allows here (letters, digits and "
                "underscores)." if isinstance(bad, str) else f"{name} has a key {spec} does not allow here.")
    if kind == "Type":
        types = [_article(t) for t in detail.get("types") or []]
        want = " or ".join(types) if types else "another type"
        return f"{name} must be {want}, not {_article(json_type(instance))}."
    if kind == "Enum":
        options = detail.get("options") or []
        shown = ", ".join(_show(o) for o in options[:12]) + (", ..." if len(options) > 12 else "")
        return f"{name} is {_show(instance)}; it must be one of {shown}."
    if kind == "Pattern":
        return f"{name} is {_show(instance)}, which does not have the form {spec} requires here."
    if kind == "MinProperties":
        return f"{name} is empty; it needs at least {detail.get('limit', 1)} entry."
    if kind == "MinItems":
        return f"{name} needs at least {detail.get('limit', 1)} item(s)."
    if kind == "MinLength":
        return f"{name} is too short (at least {detail.get('limit')} characters)."
    if kind == "MaxLength":
        return f"{name} is too long (at most {detail.get('limit')} characters)."
    if kind == "UniqueItems":
        return f"{name} lists the same item twice."
    if kind == "Format":
        return f"{name} is {_show(instance)}, which is not a valid {detail.get('format')}."
    return f"{name} does not have a form {spec} allows here."


def _flatten(err) -> list:
    """The errors that explain ``err``: for oneOf/anyOf, those of the alternative the value came closest to
    (fewest failures at the value itself, then fewest in all), recursively."""
    kind = type(err.kind).__name__
    if kind not in ("OneOfNotValid", "AnyOf") or not getattr(err.kind, "context", None):
        return [err]
    here = list(err.instance_path)
    best, best_score = [err], None
    for branch in err.kind.context:
        flat = [x for e in branch for x in _flatten(e)]
        if not flat:
            continue
        score = (sum(1 for e in flat if list(e.instance_path) == here), len(flat))
        if best_score is None or score < best_score:
            best, best_score = flat, score
    return best


def _rs_errors(name: str, data: Any) -> Iterator[tuple[str, str]] | None:
    validator = fast_validator(name)
    try:
        if validator.is_valid(data):
            return None
        errors = list(validator.iter_errors(data))
    except (ValueError, OverflowError, TypeError, RecursionError):
        try:
            return iter(list(_py_errors(name, data)))
        except RecursionError:  # nested deeper than either validator lists errors for: say so, once
            return iter([("", f"The document breaks {SPECS.get(name, 'the schema')} somewhere below a value nested too "
                              "deeply to point at; the other checks ran normally.")])
    by_place: dict[str, list] = {}
    for err in errors:
        for e in _flatten(err):
            by_place.setdefault(pointer(*e.instance_path), []).append(e)

    def rank(e) -> int:
        k = type(e.kind).__name__
        return _PRIORITY.index(k) if k in _PRIORITY else len(_PRIORITY)

    def gen() -> Iterator[tuple[str, str]]:
        for n, (ptr, errs) in enumerate(sorted(by_place.items())):
            if n >= MAX_STRUCTURE_FINDINGS:
                return
            e = min(errs, key=rank)
            kind = type(e.kind).__name__
            try:
                detail = e.kind.as_dict()
            except Exception:
                detail = {}
            yield ptr, describe(kind, detail if isinstance(detail, dict) else {}, e.instance, list(e.instance_path),
                                SPECS.get(name, "the schema"))
    return gen()


_PY_KINDS = {"required": "Required", "additionalProperties": "AdditionalProperties", "type": "Type",
             "enum": "Enum", "pattern": "Pattern", "minProperties": "MinProperties", "minItems": "MinItems",
             "minLength": "MinLength", "maxLength": "MaxLength", "uniqueItems": "UniqueItems", "format": "Format"}


def _py_errors(name: str, data: Any) -> Iterator[tuple[str, str]]:
    """The same findings through Python's jsonschema, for documents jsonschema-rs cannot take in."""
    seen: set[str] = set()
    errors = sorted(full_validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        while err.context:
            nxt = best_match(err.context)
            if nxt is None or nxt is err:
                break
            err = nxt
        ptr = pointer(*err.absolute_path)
        if ptr in seen:
            continue
        seen.add(ptr)
        kind = _PY_KINDS.get(str(err.validator), "")
        detail: dict = {}
        if kind == "Required":
            missing = [p for p in err.validator_value if isinstance(err.instance, dict) and p not in err.instance]
            detail = {"property": missing[0] if missing else "?"}
        elif kind == "AdditionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            detail = {"unexpected": [k for k in err.instance if k not in allowed and not str(k).startswith("x-")]}
        elif kind == "Type":
            v = err.validator_value
            detail = {"types": v if isinstance(v, list) else [v]}
        elif kind == "Enum":
            detail = {"options": err.validator_value}
        elif kind in ("MinProperties", "MinItems", "MinLength", "MaxLength"):
            detail = {"limit": err.validator_value}
        yield ptr, describe(kind, detail, err.instance, list(err.absolute_path), SPECS.get(name, "the schema"))
        if len(seen) >= MAX_STRUCTURE_FINDINGS:
            return


def schema_errors(name: str, data: Any) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each place that breaks the schema; nothing when the document is valid."""
    found = _rs_errors(name, data)
    if found is not None:
        yield from found
