"""How every model type is made: a frozen, keyword-only dataclass that checks itself when it is built.

``@model`` turns a class into such a dataclass and adds the checks a type checker cannot make at run time:

- a field hinted ``Literal[...]`` (visibility, trigger, location, ...) takes only those values;
- a field hinted ``tuple[...]`` accepts any list or other sequence and stores a tuple, so frozen objects stay
  hashable and a declaration may write ``[...]``;
- a keyword the type has no field for is refused with the fields it does have (``Definition(label=...)``);
- ``extra`` (keys written verbatim) may add keys but not set one a field already sets.

Each refusal is a ``ModelError`` whose message names the node (``parameter 'Customer-Id'``), the value, the
allowed values and the fix. ``connector build --model`` prints it with the file and line of the declaration.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass, fields
from typing import Any, Literal, Mapping, TypeVar, dataclass_transform

T = TypeVar("T")


class FrozenDict(dict):
    """The dict a model object keeps for a mapping field (``extra``, ``args``): hashable like the object."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self))


class ModelError(ValueError):
    """A model object was built with a value it cannot hold; the message names the node and the fix."""


def place(obj: Any, kw: Mapping[str, Any] | None = None) -> str:
    """``parameter 'Customer-Id'``, ``operation 'SendMessage'``, ``response '200'``: what a message names."""
    cls = type(obj) if not isinstance(obj, type) else obj
    get = (lambda k: kw.get(k)) if kw is not None else (lambda k: getattr(obj, k, None))
    noun = getattr(cls, "_noun", cls.__name__.lower())
    for key in ("id", "name", "status", "title"):
        value = get(key)
        if isinstance(value, str) and value:
            return f"{noun} '{value}'"
    return noun


def _literal_values(hint: Any) -> tuple[Any, ...] | None:
    """The values of a ``Literal[...]`` hint (``Literal[...] | None`` included), else None."""
    if typing.get_origin(hint) is Literal:
        return typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            values = _literal_values(arg)
            if values is not None:
                return values
    return None


def _is_mapping(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    return origin is not None and isinstance(origin, type) and issubclass(origin, Mapping)


def _is_tuple(hint: Any) -> bool:
    if typing.get_origin(hint) is tuple:
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_is_tuple(a) for a in typing.get_args(hint))
    return False


def _allows_none(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def is_allowed(cls: type, name: str, value: Any) -> bool:
    """Whether ``value`` may stand in field ``name`` of model type ``cls`` (importers ask before mapping)."""
    values = allowed_values(cls, name)
    return values is None or value in values


def _values_text(values: tuple[Any, ...]) -> str:
    return ", ".join(repr(v) for v in values)


@dataclass_transform(kw_only_default=True, frozen_default=True)
def model(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, keyword-only dataclass validated at construction (see the module docstring)."""
    cls.__post_init__ = _post_init  # type: ignore[attr-defined]  (before dataclass(): its __init__ calls it)
    cls = dataclass(frozen=True, kw_only=True)(cls)
    names = [f.name for f in fields(cls)]
    init = cls.__init__

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kw: Any) -> None:
        unknown = [k for k in kw if k not in names]
        if unknown or args:
            what = f"positional argument {args[0]!r}" if args else f"no field '{unknown[0]}'"
            hint = getattr(cls, "_hints", {}).get(unknown[0], "") if unknown else ""
            raise ModelError(f"{place(cls, kw)}: {cls.__name__} has {what}; its fields are "
                             f"{', '.join(names)}.{hint}")
        init(self, **kw)

    cls.__init__ = __init__  # type: ignore[method-assign]
    return cls


def _meta(cls: type) -> tuple[dict[str, tuple[Any, ...]], set[str], list[str], list[str]]:
    """(Literal fields and their values, those that may be None, tuple fields) of a model type, computed once
    (on first use: the hints may name types declared later in the module)."""
    meta = cls.__dict__.get("_meta")
    if meta is None:
        hints = typing.get_type_hints(cls)
        names = [f.name for f in fields(cls)]
        literals = {n: v for n in names if (v := _literal_values(hints[n])) is not None}
        meta = (literals, {n for n in literals if _allows_none(hints[n])}, [n for n in names if _is_tuple(hints[n])],
                [n for n in names if _is_mapping(hints[n])])
        cls._meta = meta  # type: ignore[attr-defined]
    return meta


def _post_init(self: Any) -> None:
    literals, nullable, tuples, mappings = _meta(type(self))
    for n in mappings:
        value = getattr(self, n)
        if isinstance(value, Mapping) and not isinstance(value, FrozenDict):
            object.__setattr__(self, n, FrozenDict(value))
        elif value is not None and not isinstance(value, Mapping):
            raise ModelError(f"{place(self)}: {n} must be a mapping (a dict), not {type(value).__name__} {value!r}.")
    for n in tuples:
        value = getattr(self, n)
        if value is not None and not isinstance(value, tuple):
            if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
                raise ModelError(f"{place(self)}: {n} must be a sequence (a tuple or a list), not "
                                 f"{type(value).__name__} {value!r}; write {n}=({value!r},).")
            object.__setattr__(self, n, tuple(value))
    for n, values in literals.items():
        value = getattr(self, n)
        if value is None and n in nullable:
            continue
        if not any(value == v and type(value) is type(v) for v in values):
            near = [v for v in values if isinstance(v, str) and isinstance(value, str) and _close(v, value)]
            fix = f" Did you mean {n}={near[0]!r}?" if near else f" Use one of them, e.g. {n}={values[0]!r}."
            raise ModelError(f"{place(self)}: {n}={value!r} is not one of {_values_text(values)}.{fix}")
    check = getattr(self, "_check", None)
    if check is not None:
        check()


def allowed_values(cls: type, name: str) -> tuple[Any, ...] | None:
    """The values a ``Literal`` field of a model type takes (None: not a Literal field)."""
    return _meta(cls)[0].get(name)


def _close(a: str, b: str) -> bool:
    """Same letters give or take one swap, insertion or deletion (``intrenal`` ~ ``internal``)."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def refuse_overrides(obj: Any, extra: Mapping[str, Any], set_keys: Mapping[str, str]) -> None:
    """``extra`` may add keys, not set one that a field of ``obj`` already sets (``set_keys``: swagger key ->
    the field that writes it, for the fields that are set)."""
    for key in extra:
        if key in set_keys:
            raise ModelError(f"{place(obj)}: extra sets {key!r}, which {set_keys[key]}= already writes; drop it "
                             f"from extra (extra only adds keys the model has no field for).")
