"""Schemas, fields and parameters: the JSON-schema part of the model.

The model speaks the connector author's language (label, description, dropdown, visibility) and never
knows the JSON keys those become; ``connector.generate.swagger`` is the one place that does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Union


class Marker:
    """A named marker value, one instance per subclass, that prints as its name (``UNSET``, ...)."""

    _instance = None
    name = "MARKER"

    def __new__(cls):
        if cls.__dict__.get("_instance") is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return self.name


class _Unset(Marker):
    """Marks "no default" (``None`` is a legitimate JSON default)."""

    name = "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

Visibility = Literal["important", "advanced", "internal"]
Location = Literal["path", "query", "header", "body", "formData"]


@dataclass(frozen=True)
class Ref:
    """Inside a dropdown's arguments: take the value of another parameter of the calling operation."""

    parameter: str


@dataclass(frozen=True, kw_only=True)
class Dropdown:
    """``x-ms-dynamic-values``: the designer fills a parameter from another operation's answer.

    ``operation`` is the Operation object itself (or its operationId); ``args`` maps the called
    operation's parameter names to literals or ``Ref("OtherParameter")``. ``collection``, ``value`` and
    ``title`` are slash-separated paths into the answer (``value=None``: the answer's items are the values).
    """

    operation: Any  # Operation | str; Any to avoid an import cycle
    value: str | None = None
    title: str | None = None
    collection: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def operation_id(self) -> str:
        return self.operation if isinstance(self.operation, str) else self.operation.id


@dataclass(frozen=True, kw_only=True)
class Schema:
    """A JSON schema node, as a connector author thinks of it.

    ``summary`` is the label users see (``x-ms-summary``); ``extra`` carries any key the model has no
    field for, verbatim (vendor extensions, rarer JSON-schema keywords), so nothing is ever dropped.
    """

    type: str | None = None
    format: str | None = None
    title: str | None = None
    summary: str | None = None
    description: str | None = None
    enum: tuple[Any, ...] | None = None
    default: Any = UNSET
    visibility: Visibility | None = None
    dropdown: Dropdown | None = None
    items: Schema | None = None
    min_items: int | None = None
    properties: tuple["Field", ...] | None = None
    additional_properties: Union["Schema", bool, None] = None
    notification_url: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    # A node that refers to a named schema (``$ref: #/definitions/<name>``) and may add keywords beside it,
    # e.g. a property ``Field(name="owner", definition=USER)``. A bare reference is the Definition itself.
    definition: "Definition | None" = None

    def required_names(self) -> list[str]:
        return [p.name for p in self.properties or () if p.required]


@dataclass(frozen=True, kw_only=True)
class Field(Schema):
    """A named property of an object schema."""

    name: str
    required: bool = False


@dataclass(frozen=True, kw_only=True)
class Definition(Schema):
    """A schema declared once and referenced by name (``#/definitions/<name>``) wherever it is used."""

    name: str
    schema: Schema


@dataclass(frozen=True, kw_only=True)
class Parameter(Schema):
    """An operation parameter. For ``location="body"`` the payload's shape is ``schema``."""

    name: str
    location: Location
    required: bool = False
    url_encoding: Literal["single", "double"] | None = None
    schema: Schema | None = None
    shared: str | None = None  # declared once under the swagger's top-level "parameters" with this key


@dataclass(frozen=True, kw_only=True)
class Response:
    status: str  # "200", "201", "default", ...
    description: str
    schema: Schema | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # headers, examples, x-*
    shared: str | None = None  # declared once under the swagger's top-level "responses" with this key


# ---------------------------------------------------------------------------------------------------------
# Short constructors: a declaration reads like the connector's reference page.


def _field(type_: str, name: str, summary: str | None, description: str | None, **kw: Any) -> Field:
    return Field(type=type_, name=name, summary=summary, description=description, **kw)


def string(name: str, summary: str | None = None, description: str | None = None, **kw: Any) -> Field:
    return _field("string", name, summary, description, **kw)


def integer(name: str, summary: str | None = None, description: str | None = None, **kw: Any) -> Field:
    kw.setdefault("format", "int32")
    return _field("integer", name, summary, description, **kw)


def boolean(name: str, summary: str | None = None, description: str | None = None, **kw: Any) -> Field:
    return _field("boolean", name, summary, description, **kw)


def array(name: str, items: Schema, summary: str | None = None, description: str | None = None, **kw: Any) -> Field:
    return _field("array", name, summary, description, items=items, **kw)


def obj(name: str, *fields: Field, summary: str | None = None, description: str | None = None, **kw: Any) -> Field:
    return _field("object", name, summary, description, properties=tuple(fields), **kw)


def object_schema(*fields: Field, **kw: Any) -> Schema:
    return Schema(type="object", properties=tuple(fields), **kw)


def array_of(items: Schema, **kw: Any) -> Schema:
    return Schema(type="array", items=items, **kw)


def path(name: str, summary: str, description: str, **kw: Any) -> Parameter:
    """A path parameter: always required and sent with ``x-ms-url-encoding: single`` unless told otherwise."""
    kw.setdefault("type", "string")
    kw.setdefault("url_encoding", "single")
    return Parameter(name=name, location="path", required=True, summary=summary, description=description, **kw)


def header(name: str, summary: str, description: str, **kw: Any) -> Parameter:
    kw.setdefault("type", "string")
    return Parameter(name=name, location="header", summary=summary, description=description, **kw)


def query(name: str, summary: str, description: str, **kw: Any) -> Parameter:
    kw.setdefault("type", "string")
    return Parameter(name=name, location="query", summary=summary, description=description, **kw)


def body(schema: Schema, summary: str = "Body", description: str = "The request body.", *, name: str = "body",
         required: bool = True, **kw: Any) -> Parameter:
    return Parameter(name=name, location="body", required=required, schema=schema, summary=summary,
                     description=description, **kw)


def reusing(item: Any, **changes: Any) -> Any:
    """A copy of a declared parameter or field with some attributes changed (frozen dataclasses)."""
    from dataclasses import replace

    return replace(item, **changes)
