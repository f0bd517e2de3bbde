"""Request validation compiled once per operation from the generated swagger.

``compile_schema`` turns a swagger 2.0 schema (the draft-04 subset swagger allows, with ``$ref`` into
``#/definitions``) into a plain Python closure. A check returns ``None`` when the value is valid (the hot
path allocates nothing) or a list of ``(pointer parts, reason)`` naming every problem it found. Keywords the
compiler does not know are handed to ``jsonschema`` for that node only, so nothing the swagger says is ever
ignored; ``x-*`` vendor extensions and annotations (title, description, default, example) are skipped.

``compile_parameter`` does the same for a header, query or path parameter: it converts the raw string the
way swagger says (type, collectionFormat) and checks it with the parameter's own keywords.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Callable

from ..jsonio import json_type as _json_type, with_article
from ..swaggerdoc import pointer as _pointer, resolve_ref

Problems = list[tuple[tuple[str | int, ...], str]]
Check = Callable[[Any], "Problems | None"]

_ANNOTATIONS = {"title", "description", "default", "example", "readOnly", "externalDocs", "discriminator", "xml",
                "collectionFormat", "allowEmptyValue", "name", "in", "required_param"}
_KNOWN = {"type", "format", "enum", "properties", "required", "additionalProperties", "items", "$ref",
          "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
          "minItems", "maxItems", "uniqueItems", "multipleOf", "allOf"}

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RANGES = {"int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1)}


# a JSON schema type -> the Python types of its values (a bool is no integer or number); the mock's answers are
# checked and shaped with the same table (generic.py, app.py)
JSON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "boolean": (bool,), "integer": (int,),
                                           "number": (int, float), "array": (list,), "object": (dict,)}


def is_json_type(value: Any, kind: Any) -> bool:
    """``value`` is of the JSON schema type ``kind`` (true for no type or one not listed)."""
    types = JSON_TYPES.get(kind)
    return types is None or (isinstance(value, types) and (value.__class__ is not bool or kind == "boolean"))


def _type_test(kind: str) -> Callable[[Any], bool]:
    types = JSON_TYPES[kind]
    if kind == "boolean":
        return lambda v: isinstance(v, bool)
    return lambda v: isinstance(v, types) and v.__class__ is not bool


_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {**{kind: _type_test(kind) for kind in JSON_TYPES},
                                                 "null": lambda v: v is None}


def _valid_date_time(v: str) -> bool:
    if not _DATE_TIME.match(v):
        return False
    try:
        month, day, hour, minute, second = int(v[5:7]), int(v[8:10]), int(v[11:13]), int(v[14:16]), int(v[17:19])
    except ValueError:
        return False
    return 1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 60


def _valid_uuid(v: str) -> bool:
    try:
        uuid.UUID(v)
    except ValueError:
        return False
    return len(v) == 36


FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _valid_date_time,
    "date": lambda v: bool(_DATE.match(v)),
    "uuid": _valid_uuid,
}


class SchemaCompiler:
    """Compiles schemas of one swagger document (``root`` resolves ``$ref``)."""

    def __init__(self, root: dict[str, Any]):
        self.root = root
        self._refs: dict[str, Check] = {}

    def resolve(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported, not {ref!r}")
        node = resolve_ref(self.root, ref)
        if node is None:
            raise KeyError(ref)
        return node

    def compile(self, schema: dict[str, Any]) -> Check:
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref not in self._refs:
                holder: list[Check] = []
                self._refs[ref] = lambda v: holder[0](v)  # recursion-safe placeholder
                holder.append(self.compile(self.resolve(ref)))
                self._refs[ref] = holder[0]
            return self._refs[ref]
        checks: list[Check] = []
        type_ = schema.get("type")
        if type_ is not None:
            checks.append(self._type(type_))
        if "enum" in schema:
            checks.append(self._enum(schema["enum"]))
        fmt = schema.get("format")
        if fmt in FORMATS:
            test = FORMATS[fmt]
            checks.append(lambda v, test=test, fmt=fmt: None if not isinstance(v, str) or test(v)
                          else [((), f"is not a valid {fmt} ({v!r})")])
        elif fmt in _INT_RANGES:
            lo, hi = _INT_RANGES[fmt]
            checks.append(lambda v, lo=lo, hi=hi, fmt=fmt: None if not _TYPE_TESTS["integer"](v) or lo <= v <= hi
                          else [((), f"is out of the {fmt} range")])
        checks.extend(self._strings(schema))
        checks.extend(self._numbers(schema))
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            checks.append(self._object(schema))
        if "items" in schema or "minItems" in schema or "maxItems" in schema or schema.get("uniqueItems"):
            checks.append(self._array(schema))
        for sub in schema.get("allOf", ()):
            checks.append(self.compile(sub))
        unknown = {k: v for k, v in schema.items()
                   if k not in _KNOWN and k not in _ANNOTATIONS and not k.startswith("x-")}
        if unknown:
            checks.append(self._fallback(unknown))
        return _all(checks, stop_after_type=type_ is not None)

    # -- keywords --------------------------------------------------------------------------------------
    @staticmethod
    def _type(type_: str | list[str]) -> Check:
        names = [type_] if isinstance(type_, str) else list(type_)
        tests = [_TYPE_TESTS[n] for n in names if n in _TYPE_TESTS]
        wanted = " or ".join(names)
        if len(tests) == 1:
            test = tests[0]
            return lambda v: None if test(v) else [((), f"must be {'an' if wanted[0] in 'aeiou' else 'a'} {wanted}, "
                                                     f"not {with_article(_json_type(v))}")]
        return lambda v: None if any(t(v) for t in tests) else [((), f"must be {wanted}, not {with_article(_json_type(v))}")]

    @staticmethod
    def _enum(values: list[Any]) -> Check:
        allowed = list(values)
        shown = ", ".join(repr(x) for x in allowed)

        def check(v: Any) -> Problems | None:
            for a in allowed:
                if v == a and isinstance(v, bool) == isinstance(a, bool):
                    return None
            return [((), f"must be one of {shown}, not {v!r}")]
        return check

    @staticmethod
    def _strings(schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        if "minLength" in schema:
            n = schema["minLength"]
            out.append(lambda v: None if not isinstance(v, str) or len(v) >= n
                       else [((), f"must be at least {n} characters long")])
        if "maxLength" in schema:
            n2 = schema["maxLength"]
            out.append(lambda v: None if not isinstance(v, str) or len(v) <= n2
                       else [((), f"must be at most {n2} characters long")])
        if "pattern" in schema:
            rx = re.compile(schema["pattern"])
            out.append(lambda v: None if not isinstance(v, str) or rx.search(v)
                       else [((), f"does not match the pattern {rx.pattern!r}")])
        return out

    @staticmethod
    def _numbers(schema: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        num = _TYPE_TESTS["number"]
        if "minimum" in schema:
            lo, excl = schema["minimum"], bool(schema.get("exclusiveMinimum"))
            out.append(lambda v: None if not num(v) or (v > lo if excl else v >= lo)
                       else [((), f"must be {'greater than' if excl else 'at least'} {lo}")])
        if "maximum" in schema:
            hi, exch = schema["maximum"], bool(schema.get("exclusiveMaximum"))
            out.append(lambda v: None if not num(v) or (v < hi if exch else v <= hi)
                       else [((), f"must be {'less than' if exch else 'at most'} {hi}")])
        if "multipleOf" in schema:
            m = schema["multipleOf"]
            out.append(lambda v: None if not num(v) or (v / m) == int(v / m)
                       else [((), f"must be a multiple of {m}")])
        return out

    def _object(self, schema: dict[str, Any]) -> Check:
        props = [(name, self.compile(sub)) for name, sub in (schema.get("properties") or {}).items()]
        known = {name for name, _ in props}
        required = list(schema.get("required") or ())
        extra = schema.get("additionalProperties")
        extra_check: Check | None = self.compile(extra) if isinstance(extra, dict) else None
        forbid_extra = extra is False

        def check(v: Any) -> Problems | None:
            if not isinstance(v, dict):
                return None
            problems: Problems | None = None
            for name in required:
                if name not in v:
                    problems = problems or []
                    problems.append(((name,), "is required"))
            for name, sub in props:
                if name in v:
                    found = sub(v[name])
                    if found:
                        problems = problems or []
                        problems.extend(((name, *p), r) for p, r in found)
            if extra_check is not None or forbid_extra:
                for name in v:
                    if name in known:
                        continue
                    if forbid_extra:
                        problems = problems or []
                        problems.append(((name,), "is not an allowed property"))
                    else:
                        found = extra_check(v[name])  # type: ignore[misc]
                        if found:
                            problems = problems or []
                            problems.extend(((name, *p), r) for p, r in found)
            return problems
        return check

    def _array(self, schema: dict[str, Any]) -> Check:
        items = schema.get("items")
        item_check = self.compile(items) if isinstance(items, dict) else None
        lo, hi, unique = schema.get("minItems"), schema.get("maxItems"), bool(schema.get("uniqueItems"))

        def check(v: Any) -> Problems | None:
            if not isinstance(v, list):
                return None
            problems: Problems | None = None
            if lo is not None and len(v) < lo:
                problems = [((), f"must hold at least {lo} item(s)")]
            if hi is not None and len(v) > hi:
                problems = (problems or []) + [((), f"must hold at most {hi} item(s)")]
            if unique and len({repr(x) for x in v}) != len(v):
                problems = (problems or []) + [((), "must not hold duplicate items")]
            if item_check is not None:
                for i, item in enumerate(v):
                    found = item_check(item)
                    if found:
                        problems = problems or []
                        problems.extend(((i, *p), r) for p, r in found)
            return problems
        return check

    def _fallback(self, keywords: dict[str, Any]) -> Check:
        import jsonschema

        validator = jsonschema.Draft4Validator({**keywords, "definitions": self.root.get("definitions", {})})

        def check(v: Any) -> Problems | None:
            found = [(tuple(e.absolute_path), e.message) for e in validator.iter_errors(v)]
            return found or None
        return check


def _all(checks: list[Check], stop_after_type: bool) -> Check:
    if not checks:
        return lambda v: None
    if len(checks) == 1:
        return checks[0]
    first, rest = checks[0], checks[1:]

    def check(v: Any) -> Problems | None:
        problems = first(v)
        if problems and stop_after_type:  # a wrong type makes every other keyword's complaint noise
            return problems
        for c in rest:
            found = c(v)
            if found:
                problems = (problems or []) + found
        return problems
    return check


def pointer(parts: tuple[str | int, ...]) -> str:
    """RFC 6901 JSON pointer of a path."""
    return _pointer(*parts)


MAX_JSON_DEPTH = 64  # nesting a request body may have (real connectors' deepest bodies are a few levels)


# -- non-body parameters ----------------------------------------------------------------------------------

class ParameterError(ValueError):
    pass


def _converter(spec: dict[str, Any]) -> Callable[[str], Any]:
    type_ = spec.get("type", "string")
    if type_ == "integer":
        def conv(raw: str) -> Any:
            try:
                return int(raw, 10)
            except ValueError:
                raise ParameterError(f"must be an integer, not {raw!r}") from None
        return conv
    if type_ == "number":
        def convn(raw: str) -> Any:
            try:
                value = float(raw)
            except ValueError:
                raise ParameterError(f"must be a number, not {raw!r}") from None
            return int(value) if value.is_integer() and "." not in raw and "e" not in raw.lower() else value
        return convn
    if type_ == "boolean":
        def convb(raw: str) -> Any:
            low = raw.strip().lower()
            if low == "true":
                return True
            if low == "false":
                return False
            raise ParameterError(f"must be true or false, not {raw!r}")
        return convb
    if type_ == "array":
        sep = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(spec.get("collectionFormat", "csv"), ",")
        item = _converter(spec.get("items") or {})
        return lambda raw: [item(x) for x in raw.split(sep)] if raw != "" else []
    return lambda raw: raw


def compile_parameter(spec: dict[str, Any], compiler: SchemaCompiler) -> Callable[[str], Any]:
    """A function turning the raw text of a header, query or path parameter into its typed value, raising
    ``ParameterError`` with the reason when the text breaks the parameter's declaration."""
    convert = _converter(spec)
    keywords = {k: v for k, v in spec.items() if k not in ("name", "in", "required") and not k.startswith("x-")}
    check = compiler.compile(keywords)

    def parse(raw: str) -> Any:
        value = convert(raw)
        problems = check(value)
        if problems:
            where, reason = problems[0]
            raise ParameterError(f"item {where[0]} {reason}" if where else reason)
        return value
    return parse
