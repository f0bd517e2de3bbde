"""Schemas, fields and parameters: the JSON-schema part of the model.

The model speaks the connector author's language (label, description, dropdown, visibility) and never
knows the JSON keys those become (``connector.swaggerdoc.KEYS`` maps them; ``connector.generate.swagger``
writes them). Every type checks itself when it is built (``connector.model.base``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, Mapping, Union

from ..swaggerdoc import KEYS
from .base import ModelError, model, place, refuse_overrides


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
SchemaType = Literal["string", "number", "integer", "boolean", "array", "object", "file", "null"]


@dataclass(frozen=True)
class Ref:
    """Inside a dropdown's or a dynamic schema's arguments: take the value of another parameter of the calling
    operation.

    ``parameter`` is what ``x-ms-dynamic-values`` / ``x-ms-dynamic-schema`` write (``{"parameter": ...}``): a
    parameter's name, a body property's name (a sibling of the dropdown's property, or one at any depth) or its
    dotted path from the body's root (``client.id``). ``reference`` is the full path ``x-ms-dynamic-list`` /
    ``x-ms-dynamic-properties`` write (``{"parameterReference": ...}``): the parameter's name, then the
    properties inside it, slash-separated (``body/client/id``); ``None``: the same as ``parameter``. Giving a
    ``reference`` makes a dropdown emit ``x-ms-dynamic-list`` too (``Dropdown.emit="auto"``)."""

    parameter: str
    reference: str | None = None

    @property
    def path(self) -> str:
        """What ``parameterReference`` says: ``reference``, else ``parameter``."""
        return self.reference if self.reference is not None else self.parameter


def _operation_id(operation: Any) -> str:
    """The operationId a dropdown or dynamic schema calls: given as the Operation itself or as its id."""
    return operation if isinstance(operation, str) else operation.id


def _check_operation(operation: Any, noun: str, role: str) -> None:
    if not isinstance(operation, str) and not isinstance(getattr(operation, "id", None), str):
        raise ModelError(f"{noun}: operation={operation!r} is neither an Operation nor an operationId; pass the "
                         f"Operation that {role}.")


DropdownEmit = Literal["auto", "values", "list", "both"]


@model
class Dropdown:
    """``x-ms-dynamic-values`` (and ``x-ms-dynamic-list``): the designer fills a parameter from another
    operation's answer.

    ``operation`` is the Operation object itself (or its operationId); ``args`` maps the called
    operation's parameter names to literals or ``Ref("OtherParameter")``. ``collection``, ``value`` and
    ``title`` are slash-separated paths into the answer (``value=None``: the answer's items are the values).

    ``emit`` says which extensions carry it; both are written from this one declaration, so they agree:
    ``"auto"`` writes ``x-ms-dynamic-values``, plus ``x-ms-dynamic-list`` when an argument is a ``Ref`` with a
    ``reference`` into a parameter (a body property: the platform needs the list form to resolve it);
    ``"both"`` always writes both, ``"values"`` or ``"list"`` only the one. ``list_extra``: keys written
    verbatim into ``x-ms-dynamic-list`` (``extra``: into ``x-ms-dynamic-values``).
    """

    operation: Any  # Operation | str; Any to avoid an import cycle
    value: str | None = None
    title: str | None = None
    collection: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    emit: DropdownEmit = "auto"
    extra: Mapping[str, Any] = field(default_factory=dict)
    list_extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def operation_id(self) -> str:
        return _operation_id(self.operation)

    @property
    def emits_values(self) -> bool:
        return self.emit != "list"

    @property
    def emits_list(self) -> bool:
        if self.emit == "auto":
            return any(isinstance(v, Ref) and v.reference is not None for v in self.args.values())
        return self.emit in ("list", "both")

    def _check(self) -> None:
        _check_operation(self.operation, "dropdown", "lists the values")
        _check_args(self.args, "dropdown")
        if self.extra and not self.emits_values:
            raise ModelError("dropdown: extra adds keys to x-ms-dynamic-values, which emit='list' does not write; "
                             "move them to list_extra or drop them.")
        if self.list_extra and not self.emits_list:
            raise ModelError("dropdown: list_extra adds keys to x-ms-dynamic-list, which this dropdown does not "
                             "write; set emit='both' or drop list_extra.")
        _refuse_set(self, "dropdown")
        refuse_overrides(self, self.list_extra, {key: name for name, key in KEYS["dynamic_list"].items()
                                                 if _is_set(getattr(self, name))})


DynamicSchemaEmit = Literal["schema", "properties", "both"]


@model
class DynamicSchema:
    """``x-ms-dynamic-schema`` (and ``x-ms-dynamic-properties``): the designer asks another operation for the
    shape of this schema while the flow is designed (a form's fields, a table's columns).

    ``operation`` is the Operation object (or its operationId); ``args`` maps its parameter names to literals
    or ``Ref(...)`` (as a dropdown's do); ``value_path`` is the slash-separated path into its answer where the
    schema sits (``None``: the answer is the schema). ``emit`` says which extensions carry it: ``"schema"``
    (``x-ms-dynamic-schema``: ``operationId``, ``parameters``, ``value-path``), ``"properties"``
    (``x-ms-dynamic-properties``: ``parameters`` as ``{"value": ...}`` / ``{"parameterReference": ...}``,
    ``itemValuePath`` = ``value_path`` without a trailing ``properties``), or ``"both"``, written from this one
    declaration. ``extra`` / ``properties_extra``: keys written verbatim into the one or the other.
    """

    _noun = "dynamic schema"

    operation: Any  # Operation | str
    value_path: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    emit: DynamicSchemaEmit = "schema"
    extra: Mapping[str, Any] = field(default_factory=dict)
    properties_extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def operation_id(self) -> str:
        return _operation_id(self.operation)

    @property
    def item_value_path(self) -> str | None:
        """``itemValuePath`` of ``x-ms-dynamic-properties``: ``value_path`` without a trailing ``properties``."""
        path = self.value_path
        if path == "properties":
            return None
        if path is not None and path.endswith("/properties"):
            return path[: -len("/properties")]
        return path

    def _check(self) -> None:
        _check_operation(self.operation, "dynamic schema", "answers with the schema")
        _check_args(self.args, "dynamic schema")
        if self.extra and self.emit == "properties":
            raise ModelError("dynamic schema: extra adds keys to x-ms-dynamic-schema, which emit='properties' does "
                             "not write; move them to properties_extra or drop them.")
        if self.properties_extra and self.emit == "schema":
            raise ModelError("dynamic schema: properties_extra adds keys to x-ms-dynamic-properties, which "
                             "emit='schema' does not write; set emit='both' or drop properties_extra.")
        _refuse_set(self, "dynamic_schema")
        refuse_overrides(self, self.properties_extra, {key: name for name, key in KEYS["dynamic_properties"].items()
                                                       if _is_set(getattr(self, name))})


DYNAMIC_FIELDS = ("dropdown", "dynamic_schema")  # each writes one or two keys, depending on its emit


def dynamic_keys(schema: "Schema") -> dict[str, str]:
    """The x-ms-dynamic-* keys a schema's dropdown and dynamic schema write -> the field that writes them."""
    out: dict[str, str] = {}
    dd, ds = schema.dropdown, schema.dynamic_schema
    if dd is not None:
        if dd.emits_values:
            out["x-ms-dynamic-values"] = "dropdown"
        if dd.emits_list:
            out["x-ms-dynamic-list"] = "dropdown"
    if ds is not None:
        if ds.emit != "properties":
            out["x-ms-dynamic-schema"] = "dynamic_schema"
        if ds.emit != "schema":
            out["x-ms-dynamic-properties"] = "dynamic_schema"
    return out


def _refuse_dynamic(owner: Any, schema: "Schema", extra: Mapping[str, Any]) -> None:
    if extra and (schema.dropdown is not None or schema.dynamic_schema is not None):
        refuse_overrides(owner, extra, dynamic_keys(schema))


def _check_args(args: Mapping[str, Any], what: str) -> None:
    for name, value in args.items():
        if isinstance(value, Ref) and not (isinstance(value.parameter, str) and value.parameter
                                           and (value.reference is None or
                                                (isinstance(value.reference, str) and value.reference))):
            raise ModelError(f"{what}: args[{name!r}] is {value!r}; a Ref names a parameter (a non-empty string) "
                             "and, optionally, reference='<parameter>/<property>/...'.")


def _is_set(value: Any) -> bool:
    return not (value is None or value is UNSET or value is False or (isinstance(value, (tuple, Mapping)) and not value))


def _refuse_set(obj: Any, kind: str, skip: tuple[str, ...] = ()) -> None:
    """``extra`` may not set a key that one of ``obj``'s set fields (per ``KEYS[kind]``) writes."""
    if not obj.extra:
        return
    set_keys = {key: name for name, key in KEYS[kind].items() if name not in skip and _is_set(getattr(obj, name, None))}
    refuse_overrides(obj, obj.extra, set_keys)


@model
class Schema:
    """A JSON schema node, as a connector author thinks of it.

    ``label`` is the name users see for it (``x-ms-summary``); ``extra`` carries any key the model has no
    field for, verbatim (vendor extensions, rarer JSON-schema keywords), so nothing is ever dropped.
    """

    _noun = "schema"

    type: SchemaType | None = None
    format: str | None = None
    title: str | None = None
    label: str | None = None
    description: str | None = None
    enum: tuple[Any, ...] | None = None
    default: Any = UNSET
    visibility: Visibility | None = None
    dropdown: Dropdown | None = None
    items: "Schema | Definition | None" = None
    min_items: int | None = None
    properties: tuple["Field", ...] | None = None
    additional_properties: Union["Schema", "Definition", bool, None] = None
    notification_url: bool = False
    dynamic_schema: DynamicSchema | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # A node that refers to a named schema (``$ref: #/definitions/<name>``) and may add keywords beside it,
    # e.g. a property ``Field(name="owner", definition=USER)``. A bare reference is the Definition itself.
    definition: "Definition | None" = None

    def required_names(self) -> list[str]:
        return [p.name for p in self.properties or () if p.required]

    def _check(self) -> None:
        for p in self.properties or ():
            if not isinstance(p, Field):
                raise ModelError(f"{place(self)}: properties holds {p!r}, which is not a Field; declare each "
                                 "property with string(...), integer(...), obj(...) or Field(name=..., ...).")
        if self.min_items is not None and (not isinstance(self.min_items, int) or self.min_items < 0):
            raise ModelError(f"{place(self)}: min_items={self.min_items!r} must be a whole number >= 0.")
        _refuse_set(self, "schema", skip=DYNAMIC_FIELDS)
        _refuse_dynamic(self, self, self.extra)
        if self.properties is not None and "properties" in self.extra:
            raise ModelError(f"{place(self)}: extra sets 'properties', which properties= already writes; drop it "
                             "from extra.")


@model
class Field(Schema):
    """A named property of an object schema."""

    _noun = "field"

    name: str
    required: bool = False


@model
class Definition:
    """A schema declared once and referenced by name (``#/definitions/<name>``) wherever it is used.

    It has a name and a schema only: label, description and the rest belong on ``schema``."""

    _noun = "definition"
    _hints = {k: f" Put {k}= on the definition's schema." for k in ("label", "description", "summary", "type")}

    name: str
    schema: Schema

    def _check(self) -> None:
        if not isinstance(self.schema, (Schema, Definition)):
            raise ModelError(f"{place(self)}: schema={self.schema!r} is not a Schema; write "
                             "schema=Schema(type=...) or object_schema(...).")


@model
class Parameter:
    """An operation parameter: where it goes (``location``), what users see (label, description, visibility)
    and the value's ``schema`` (for ``location="body"`` the payload's shape; otherwise the value's type,
    format, enum, default, dropdown...). The short constructors ``path``, ``query``, ``header`` and ``body``
    build both."""

    _noun = "parameter"
    _hints = {k: f" A parameter's {k} belongs on its schema: path/query/header(..., {k}=...) put it there."
              for k in ("type", "format", "enum", "default", "dropdown", "items", "title", "min_items")}

    name: str
    location: Location
    required: bool = False
    label: str | None = None
    description: str | None = None
    visibility: Visibility | None = None
    url_encoding: Literal["single", "double"] | None = None
    schema: "Schema | Definition | None" = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    shared: str | None = None  # declared once under the swagger's top-level "parameters" with this key

    def _check(self) -> None:
        where = f"parameter '{self.name}'"
        if self.location == "body":
            if self.url_encoding is not None:
                raise ModelError(f"{where}: url_encoding applies to path, query and header parameters, not to a "
                                 "body; remove it.")
        elif self.schema is not None:
            if isinstance(self.schema, Definition):
                raise ModelError(f"{where}: a {self.location} parameter's value cannot refer to a definition; "
                                 "give its type (type=...).")
            for name in ("label", "description", "visibility"):
                if getattr(self.schema, name) is not None:
                    raise ModelError(f"{where}: its schema has {name}=; a {self.location} parameter carries "
                                     f"{name} itself, so write {name}=... on the parameter.")
            if self.schema.properties is not None or self.schema.definition is not None or self.schema.extra:
                what = "properties" if self.schema.properties is not None else (
                    "definition" if self.schema.definition is not None else "extra")
                raise ModelError(f"{where}: a {self.location} parameter's schema cannot have {what}; only a body "
                                 "carries an object, and the parameter's own extra= takes other keys.")
        _refuse_set(self, "parameter", skip=("name", "location", "required"))
        if self.location != "body" and self.schema is not None and self.extra:
            refuse_overrides(self, self.extra, {key: name for name, key in KEYS["schema"].items()
                                                if name not in DYNAMIC_FIELDS and _is_set(getattr(self.schema, name))})
            _refuse_dynamic(self, self.schema, self.extra)

    # The value's keywords, read through the schema (None / UNSET when the parameter has no schema).
    @property
    def type(self) -> str | None:
        return self.schema.type if isinstance(self.schema, Schema) else None

    @property
    def default(self) -> Any:
        return self.schema.default if isinstance(self.schema, Schema) and self.location != "body" else UNSET

    @property
    def dropdown(self) -> Dropdown | None:
        return self.schema.dropdown if isinstance(self.schema, Schema) and self.location != "body" else None


@model
class Response:
    """One answer of an operation: ``status`` is a status code as a string (``"200"``) or ``"default"``."""

    _noun = "response"

    status: str
    description: str
    schema: "Schema | Definition | None" = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # headers, examples, x-*
    shared: str | None = None  # declared once under the swagger's top-level "responses" with this key

    def _check(self) -> None:
        if not (isinstance(self.status, str) and (self.status == "default" or
                                                  (self.status.isdigit() and self.status.isascii()))):
            fix = f'status="{self.status}"' if isinstance(self.status, int) else 'status="200" or status="default"'
            raise ModelError(f"response {self.status!r}: status={self.status!r} must be a status code as a string "
                             f"or 'default'; write {fix}.")
        if not isinstance(self.description, str):
            raise ModelError(f"response '{self.status}': description={self.description!r} must be a string; "
                             "swagger 2.0 requires every response to say what it means.")
        _refuse_set(self, "response")


# ---------------------------------------------------------------------------------------------------------
# Short constructors: a declaration reads like the connector's reference page. Label and description are
# keyword-only, so a call says which is which.


def string(name: str, *, label: str | None = None, description: str | None = None, required: bool = False,
           format: str | None = None, enum: tuple[Any, ...] | None = None, default: Any = UNSET,
           visibility: Visibility | None = None, dropdown: Dropdown | None = None, title: str | None = None,
           notification_url: bool = False, extra: Mapping[str, Any] | None = None) -> Field:
    """A string property of an object."""
    return Field(type="string", name=name, label=label, description=description, required=required,
                 format=format, enum=enum, default=default, visibility=visibility, dropdown=dropdown, title=title,
                 notification_url=notification_url, extra=extra or {})


def integer(name: str, *, label: str | None = None, description: str | None = None, required: bool = False,
            format: str | None = "int32", enum: tuple[Any, ...] | None = None, default: Any = UNSET,
            visibility: Visibility | None = None, dropdown: Dropdown | None = None, title: str | None = None,
            extra: Mapping[str, Any] | None = None) -> Field:
    """An integer property (``format="int32"`` unless told otherwise)."""
    return Field(type="integer", name=name, label=label, description=description, required=required,
                 format=format, enum=enum, default=default, visibility=visibility, dropdown=dropdown, title=title,
                 extra=extra or {})


def boolean(name: str, *, label: str | None = None, description: str | None = None, required: bool = False,
            default: Any = UNSET, visibility: Visibility | None = None, title: str | None = None,
            extra: Mapping[str, Any] | None = None) -> Field:
    """A true/false property."""
    return Field(type="boolean", name=name, label=label, description=description, required=required,
                 default=default, visibility=visibility, title=title, extra=extra or {})


def array(name: str, items: "Schema | Definition", *, label: str | None = None, description: str | None = None,
          required: bool = False, min_items: int | None = None, visibility: Visibility | None = None,
          title: str | None = None, extra: Mapping[str, Any] | None = None) -> Field:
    """A list property whose entries are ``items``."""
    return Field(type="array", name=name, items=items, label=label, description=description, required=required,
                 min_items=min_items, visibility=visibility, title=title, extra=extra or {})


def obj(name: str, *fields: Field, label: str | None = None, description: str | None = None,
        required: bool = False, visibility: Visibility | None = None,
        additional_properties: "Schema | Definition | bool | None" = None, title: str | None = None,
        extra: Mapping[str, Any] | None = None) -> Field:
    """An object property made of ``fields``."""
    return Field(type="object", name=name, properties=tuple(fields), label=label, description=description,
                 required=required, visibility=visibility, additional_properties=additional_properties,
                 title=title, extra=extra or {})


def object_schema(*fields: Field, label: str | None = None, description: str | None = None,
                  title: str | None = None, additional_properties: "Schema | Definition | bool | None" = None,
                  extra: Mapping[str, Any] | None = None) -> Schema:
    """An object schema (a body, an answer) made of ``fields``."""
    return Schema(type="object", properties=tuple(fields), label=label, description=description, title=title,
                  additional_properties=additional_properties, extra=extra or {})


def array_of(items: "Schema | Definition", *, label: str | None = None, description: str | None = None,
             title: str | None = None, min_items: int | None = None,
             extra: Mapping[str, Any] | None = None) -> Schema:
    """A list schema (a body, an answer) whose entries are ``items``."""
    return Schema(type="array", items=items, label=label, description=description, title=title,
                  min_items=min_items, extra=extra or {})


def _value(name: str, type: SchemaType | None, format: str | None, enum: tuple[Any, ...] | None, default: Any,
           dropdown: Dropdown | None, items: "Schema | None") -> Schema:
    """The schema of a path, query or header parameter's value; a refusal names the parameter."""
    try:
        return Schema(type=type, format=format, enum=enum, default=default, dropdown=dropdown, items=items)
    except ModelError as exc:
        raise ModelError(f"parameter '{name}': " + str(exc).removeprefix("schema: ")) from None


def path(name: str, *, label: str | None = None, description: str | None = None, type: SchemaType = "string",
         format: str | None = None, enum: tuple[Any, ...] | None = None, default: Any = UNSET,
         dropdown: Dropdown | None = None, visibility: Visibility | None = None,
         url_encoding: Literal["single", "double"] | None = "single", extra: Mapping[str, Any] | None = None,
         ) -> Parameter:
    """A path parameter: always required and sent with ``x-ms-url-encoding: single`` unless told otherwise."""
    return Parameter(name=name, location="path", required=True, label=label, description=description,
                     visibility=visibility, url_encoding=url_encoding, extra=extra or {},
                     schema=_value(name, type, format, enum, default, dropdown, None))


def _located(location: Literal["query", "header"], what: str):  # noqa: ANN202 - the signature is the inner one
    def parameter(name: str, *, label: str | None = None, description: str | None = None, required: bool = False,
                  type: SchemaType = "string", format: str | None = None, enum: tuple[Any, ...] | None = None,
                  default: Any = UNSET, dropdown: Dropdown | None = None, items: Schema | None = None,
                  visibility: Visibility | None = None, url_encoding: Literal["single", "double"] | None = None,
                  extra: Mapping[str, Any] | None = None) -> Parameter:
        return Parameter(name=name, location=location, required=required, label=label, description=description,
                         visibility=visibility, url_encoding=url_encoding, extra=extra or {},
                         schema=_value(name, type, format, enum, default, dropdown, items))

    parameter.__name__ = parameter.__qualname__ = location
    parameter.__doc__ = f"A {what} parameter."
    return parameter


query = _located("query", "query-string")
header = _located("header", "request-header")


def body(schema: "Schema | Definition", *, label: str | None = "Body",
         description: str | None = "The request body.", name: str = "body", required: bool = True,
         visibility: Visibility | None = None, extra: Mapping[str, Any] | None = None) -> Parameter:
    """The request body, shaped by ``schema``."""
    return Parameter(name=name, location="body", required=required, schema=schema, label=label,
                     description=description, visibility=visibility, extra=extra or {})


def reusing(item: Any, **changes: Any) -> Any:
    """A copy of a declared parameter, field or response with some attributes changed (checked again)."""
    return replace(item, **changes)
