"""The mock of any connector that has no plug-in of its own: collections inferred from paths and methods,
kept in SQLite, answers made from the response schemas (their examples and defaults where given).

A path that ends in a parameter (``/items/{id}``) is one record of the collection its prefix names; the
other paths are collections (``/items``), scoped by the values of the parameters before them
(``/projects/P1/tasks`` and ``/projects/P2/tasks`` are two collections):

| method | on a collection | on a record |
|---|---|---|
| POST | create (id: the body's ``id``-like field, else a new UUID) | update (merge) |
| GET | list, in creation order | read (404 when absent) |
| PUT / PATCH | answer from the schema | replace / merge (404 when absent) |
| DELETE | empty the collection | delete (404 when absent) |

A path ending in a parameter whose GET answers a list (an array, or an object with one array property and
no id: ``swaggerdoc.lists_records``) is a sub-collection instead, for GET and POST: ``GET /events/{organisationId}``
lists the events created by ``POST /events/{organisationId}`` and those of ``/events`` whose
``organisationId`` (or id) is the value.
"""

from __future__ import annotations

import json
import re

import orjson
import time
from pathlib import Path
from typing import Any, Callable

from .behaviour import ApiError, Call, lower, new_id
from .config import Settings
from .jobs import JobRunner
from .store import Store, hash_password
from .validation import is_json_type
from ..swaggerdoc import RECORD_ID_FIELDS, lists_records

FIXTURE = Path(__file__).with_name("generic_fixture.yaml")
ID_FIELDS = RECORD_ID_FIELDS
_PARAM = re.compile(r"\{([^}/]+)\}")


class GenericState:
    schema = """
CREATE TABLE IF NOT EXISTS records (collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
  created REAL NOT NULL, PRIMARY KEY (collection, id));
CREATE INDEX IF NOT EXISTS records_by_time ON records (collection, created);
CREATE TABLE IF NOT EXISTS hooks (id TEXT PRIMARY KEY, trigger TEXT NOT NULL, url TEXT NOT NULL, params TEXT NOT NULL,
  created REAL NOT NULL);
"""
    default_fixture = FIXTURE

    @staticmethod
    def check_fixture(data: Any) -> list[str]:
        if not isinstance(data, dict):
            return ["/: the fixture must be a mapping with 'users' (and optionally 'records')"]
        problems = []
        users = data.get("users")
        if not isinstance(users, list):
            problems.append("/users: must be a list")
        else:
            for i, user in enumerate(users):
                if not isinstance(user, dict) or not all(isinstance(user.get(k), str) for k in ("id", "name",
                                                                                               "password")):
                    problems.append(f"/users/{i}: needs string 'id', 'name' and 'password'")
        records = data.get("records", {})
        if not isinstance(records, dict):
            problems.append("/records: must map a collection path (e.g. /items) to a list of objects")
        else:
            for path, items in records.items():
                if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
                    problems.append(f"/records/{path.replace('~', '~0').replace('/', '~1')}: must be a list of "
                                    "objects")
        return problems

    @staticmethod
    def insert_fixture(c: Any, data: dict[str, Any]) -> None:
        import time

        for user in data.get("users") or []:
            c.execute("INSERT INTO users VALUES (?, ?, ?)", (user["id"], user["name"], hash_password(user["password"])))
        now = time.time()
        for path, items in (data.get("records") or {}).items():
            for i, item in enumerate(items):
                rid = _id_of(item) or new_id()
                c.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)",
                          (path, rid, json.dumps(item, ensure_ascii=False), now + i * 1e-6))


def schema_example(schema: Any, resolve: Callable[[str], Any], depth: int = 0) -> Any:
    """A value of ``schema``: its ``example``, ``default`` or first ``enum`` value where given, else one made
    from its type (objects with every declared property, arrays with one item)."""
    if not isinstance(schema, dict) or depth > 8:
        return None
    while "$ref" in schema and depth <= 8:
        schema = resolve(schema["$ref"]) or {}
        depth += 1
    for key in ("example", "x-ms-example", "default"):
        if key in schema:
            return schema[key]
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if schema.get("enum"):
        # the first value of the declared type (real swaggers have e.g. a boolean with enum ["true", "false"],
        # which no value satisfies: then none, and an object leaves the property out)
        return next((v for v in schema["enum"] if is_json_type(v, kind)), None)
    if kind == "object":
        out = {}
        for name, sub in (schema.get("properties") or {}).items():
            value = schema_example(sub, resolve, depth + 1)
            if value is not None:
                out[name] = value
        return out
    if kind == "array":
        item = schema_example(schema.get("items") or {}, resolve, depth + 1)
        return [] if item is None else [item]
    fmt = schema.get("format")
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if kind == "string":
        return {"date-time": "2026-01-01T00:00:00Z", "date": "2026-01-01", "uuid": "00000000-0000-4000-8000-000000000000",
                "email": "someone@example.com", "uri": "https://example.com/"}.get(fmt, "string")
    return None


def dumps(data: Any) -> str:
    """A record as stored (JSON text); orjson where it can (its output is what json.dumps would write)."""
    try:
        return orjson.dumps(data).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):  # an integer beyond 64 bits, a non-string key...
        return json.dumps(data, ensure_ascii=False)


def loads(text: str) -> Any:
    """A stored record; orjson where it can (json for what only json reads: a fixture's NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _over(example: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The record over the example; a scalar of another type than the example's (so than the schema's) is
    converted when it converts (a path's "5" for an integer), else the example's value stays."""
    merged = {**example, **record}
    for k, v in example.items():
        if k not in record or v is None:
            continue
        if isinstance(v, (bool, int, float, str)) and not is_json_type(merged[k], _kind(v)):
            merged[k] = _coerce(merged[k], v)
        elif isinstance(v, (dict, list)) and not isinstance(merged[k], type(v)):
            merged[k] = v  # an object or array the request gave as something else
    return merged


def _kind(value: Any) -> str:
    return "boolean" if isinstance(value, bool) else "integer" if isinstance(value, int) else \
        "number" if isinstance(value, float) else "string"


def _coerce(value: Any, like: Any) -> Any:
    """``value`` as the type of ``like`` when it converts (a path's "5" for an integer), else ``like``."""
    try:
        if isinstance(like, bool):
            return like
        if isinstance(like, int):
            return int(value)
        if isinstance(like, float):
            return float(value)
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else like
    except (TypeError, ValueError):
        return like


def _id_of(record: dict[str, Any]) -> str | None:
    for key in ID_FIELDS:
        for k, v in record.items():
            if k.lower() == key and isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
                return str(v)  # an empty or blank id is none: the record gets a new one
    return None


class GenericPlugin:
    """Used for any connector no registered plug-in matches."""

    name = "generic"
    state = GenericState()

    def matches(self, connector: Any) -> bool:
        return True

    def behaviour(self, settings: Settings, store: Store, jobs: JobRunner, notification: Callable[[dict], Any],
                  routes: Any = (), examples: Callable[[str], Any] | None = None) -> "Generic":
        return Generic(store, routes, examples or (lambda op_id: None))


class Generic:
    def __init__(self, store: Store, routes: Any, examples: Callable[[str], Any]):
        self.store = store
        self.examples = examples
        self.triggers: Any = None  # connector.mock.triggers.Triggers, set by the app when it has triggers
        self._operations = {route.id: route.operation for route in routes}
        self._last_created = 0.0
        # collections an action can add to (POST on the collection, PUT/PATCH/POST on a record); the others are
        # reference data (bots, forms, languages) that answer their schema's example while empty
        # paths ending in a parameter whose GET answers a list (``GET /events/{organisationId}``): sub-collections
        self._listed = {route.template.rstrip("/") for route in routes
                        if route.method.upper() == "GET" and lists_records(examples(route.id), route.template)}
        self._creatable = set()
        for route in routes:
            segments = route.template.rstrip("/").split("/")
            record = _PARAM.fullmatch(segments[-1] or "") is not None
            if route.method.upper() == "POST" and route.template.rstrip("/") in self._listed:
                record = False  # a POST on a sub-collection creates there
            if route.method.upper() == "POST" or (record and route.method.upper() == "PUT"):
                self._creatable.add("/".join(segments[:-1] if record else segments))
        self._lowered: dict[str, Any] = {}  # op id -> orjson bytes of its lower-cased example (or the value)
        self._reads: dict[tuple, list[str]] = {}  # record reads, valid while the store's version is unchanged
        self._reads_version = -1
        self.handlers: dict[str, Callable[[Call], tuple[int | None, Any]]] = {}
        for route in routes:
            self.handlers[route.id] = self._handler(route.method.upper(), route.template)

    def operation(self, op_id: str) -> Any:
        return self._operations.get(op_id)

    def _lower_example(self, op_id: str) -> Any:
        """``lower(self.examples(op_id))``, a fresh copy each call (callers may change it), made from a cached
        serialization instead of walking the example again."""
        cached = self._lowered.get(op_id)
        if cached is None:
            value = lower(self.examples(op_id))
            if not isinstance(value, (dict, list)):
                return value
            try:
                cached = self._lowered[op_id] = orjson.dumps(value)
                if orjson.loads(cached) != value:  # tuples, big integers...: not worth a cache
                    raise TypeError
            except (TypeError, orjson.JSONEncodeError):
                self._lowered[op_id] = False
                return value
        if cached is False:
            return lower(self.examples(op_id))
        return orjson.loads(cached)

    def _read(self, sql: str, *args: Any) -> list[str]:
        """The ``data`` column of a records query; the same query again answers from memory until a write."""
        version = self.store.version
        if version != self._reads_version:
            self._reads.clear()
            self._reads_version = version
        key = (sql, *args)
        found = self._reads.get(key)
        if found is None:
            if len(self._reads) >= 1024:
                self._reads.clear()
            found = self._reads[key] = [r["data"] for r in self.store.all(sql, *args)]
        return found

    def _handler(self, method: str, path: str) -> Callable[[Call], tuple[int | None, Any]]:
        segments = path.rstrip("/").split("/")
        is_record = bool(segments) and _PARAM.fullmatch(segments[-1] or "") is not None
        id_param = _PARAM.fullmatch(segments[-1]).group(1) if is_record else None
        if is_record and method in ("GET", "POST") and path.rstrip("/") in self._listed:
            return self._sub_collection(method, path.rstrip("/"), id_param or "")
        prefix = "/".join(segments[:-1]) if is_record else "/".join(segments)

        def collection(call: Call) -> str:
            return _PARAM.sub(lambda m: str(call.params.get(m.group(1), m.group(0))), prefix) or "/"

        path_params = _PARAM.findall(path)

        def handle(call: Call) -> tuple[int | None, Any]:
            where = collection(call)
            scope = {name: call.params[name] for name in path_params if name in call.params}
            body = call.body if isinstance(call.body, dict) else {}
            if is_record:
                rid = str(call.params.get(id_param))
                found = self._read("SELECT data FROM records WHERE collection = ? AND id = ?", where, rid)
                row = {"data": found[0]} if found else None
                if method == "GET":
                    if row is None:
                        raise ApiError(404, "not_found", f"{where} has no record {rid!r}", parameter=id_param)
                    return None, self._answer(call, loads(row["data"]), scope)
                if method == "DELETE":
                    with self.store.tx() as c:
                        gone = c.execute("DELETE FROM records WHERE collection = ? AND id = ?", (where, rid)).rowcount
                    if not gone:
                        raise ApiError(404, "not_found", f"{where} has no record {rid!r}", parameter=id_param)
                    return None, self.empty_answer(call)
                if row is None and method in ("PATCH", "POST"):
                    raise ApiError(404, "not_found", f"{where} has no record {rid!r}", parameter=id_param)
                data = {**(loads(row["data"]) if row is not None and method != "PUT" else {}), **body}
                self._write(where, rid, data)
                return None, self._answer(call, data, scope)
            if method == "POST":
                data = {**body}
                example = self.examples(call.operation_id)
                if _id_of(data) is None and isinstance(example, dict):
                    key = next((k for k in example if str(k).lower() == "id"), None)
                    if key is not None and isinstance(example[key], int) and not isinstance(example[key], bool):
                        self._next_int = max(getattr(self, "_next_int", 0) + 1, int(time.time()) % 1_000_000_000)
                        data[key] = self._next_int  # the answer declares an integer id: make one
                self.create(where, data)
                if self.triggers is not None:
                    self.triggers.created(prefix or "/", data)
                return None, self._answer(call, data, scope)
            if method == "GET":
                rows = [loads(data) for data in
                        self._read("SELECT data FROM records WHERE collection = ? ORDER BY created, id", where)]
                if not rows and prefix not in self._creatable:
                    return None, self._sample(call)
                return None, self._list(call, rows)
            if method == "DELETE":
                with self.store.tx() as c:
                    c.execute("DELETE FROM records WHERE collection = ?", (where,))
                return None, self.empty_answer(call)
            return None, self._answer(call, body, scope)

        return handle

    def _sub_collection(self, method: str, path: str, param: str) -> Callable[[Call], tuple[int | None, Any]]:
        """``GET``/``POST`` on a path ending in a parameter whose GET answers a list (``/events/{organisationId}``):
        the records that parameter selects. They are those created by a ``POST`` on the same path (or seeded
        under ``/events/O1``), then those of the parent collection (``/events``) whose id is the value, or
        whose field named like the parameter (any case) holds it, each in creation order. Empty, when no action
        adds to either collection: the schema's example, as for any reference list."""
        prefix = path.rsplit("/", 1)[0]
        key = param.lower()
        creatable = path in self._creatable or prefix in self._creatable

        def concrete(call: Call, template: str) -> str:
            return _PARAM.sub(lambda m: str(call.params.get(m.group(1), m.group(0))), template) or "/"

        def handle(call: Call) -> tuple[int | None, Any]:
            where = concrete(call, path)
            if method == "POST":
                data = {**call.body} if isinstance(call.body, dict) else {}
                self.create(where, data)
                if self.triggers is not None:
                    self.triggers.created(path, data)
                scope = {name: call.params[name] for name in _PARAM.findall(path) if name in call.params}
                return None, self._answer(call, data, scope)
            value = str(call.params.get(param))
            rows = [loads(data) for data in
                    self._read("SELECT data FROM records WHERE collection = ? ORDER BY created, id", where)]
            for data in self._read("SELECT data FROM records WHERE collection = ? ORDER BY created, id",
                                   concrete(call, prefix)):
                record = loads(data)
                if _id_of(record) == value or any(str(k).lower() == key and str(v) == value
                                                  for k, v in record.items() if isinstance(v, (str, int))):
                    rows.append(record)
            if not rows and not creatable:
                return None, self._sample(call)
            return None, self._list(call, rows)

        return handle

    def create(self, collection: str, data: dict[str, Any]) -> str:
        """Store a new record (its id: the record's id-like field, else a new one written into ``data``)."""
        rid = _id_of(data)
        if rid is None:
            rid = data["id"] = new_id()
        for k, v in list(data.items()):  # a blank id field is filled with the id the record got
            if str(k).lower() in ID_FIELDS and isinstance(v, str) and not v.strip():
                data[k] = rid
        self._write(collection, rid, data)
        return rid

    def _write(self, collection: str, rid: str, data: dict[str, Any]) -> None:
        # one statement, so one unit of writes without a savepoint; a record written again keeps its creation
        # time, a new one gets the next (strictly increasing: a polling trigger's state is the last one seen)
        self._last_created = max(time.time(), self._last_created + 1e-6)
        self.store.write("INSERT INTO records VALUES (?, ?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET "
                         "data = excluded.data", collection, rid, dumps(data), self._last_created)

    def _answer(self, call: Call, record: dict[str, Any], scope: dict[str, Any] | None = None) -> Any:
        """The record over the response schema's example (so required fields the request did not carry are
        there) and the values of the path's parameters the answer declares (``/calendars/{calendarId}/...``
        answers its ``calendarId``), keys lower-cased for the app's shaping."""
        example = self.examples(call.operation_id)
        if isinstance(example, dict):
            example = self._lower_example(call.operation_id)
            scope = {k.lower(): v for k, v in (scope or {}).items() if k.lower() in example}
            return _over(example, {**scope, **lower(record)})
        if isinstance(example, list):
            return [lower(record)]
        return lower(record) if example is None else example

    def empty_answer(self, call: Call) -> Any:
        """The answer of a call that leaves nothing to show (a delete): none, unless the operation declares a
        schema for its success answer; then the schema's example."""
        return None if self.examples(call.operation_id) is None else self._answer(call, {})

    def answer(self, call: Call, record: dict[str, Any]) -> Any:
        return self._answer(call, record)

    def listing(self, call: Call, rows: list[dict[str, Any]]) -> Any:
        return self._list(call, rows)

    def _list(self, call: Call, rows: list[dict[str, Any]]) -> Any:
        """Rows as the response schema wants them: an array, or an object with one array property (``value``,
        ``items``, ...) holding them."""
        example = self.examples(call.operation_id)
        items = [lower(r) for r in rows]
        if isinstance(example, dict):
            for key, value in example.items():
                if isinstance(value, list):
                    template = lower(value[0]) if value and isinstance(value[0], dict) else {}
                    return {**self._lower_example(call.operation_id),
                            str(key).lower(): [_over(template, item) for item in items]}
            return lower(rows[-1]) if rows else self._lower_example(call.operation_id)
        if isinstance(example, list):
            template = lower(example[0]) if example and isinstance(example[0], dict) else {}
            return [_over(template, item) for item in items]
        return items if example is None or not rows else example

    def _sample(self, call: Call) -> Any:
        """The answer of an empty collection no action adds to: the response schema's example (one item), so a
        dropdown it feeds offers a value (which the actions it feeds then accept)."""
        example = self.examples(call.operation_id)
        return self._lower_example(call.operation_id) if isinstance(example, (dict, list)) else \
            ([] if example is None else example)

    def inbound(self, data: Any) -> dict[str, Any]:
        """``POST /_mock/inbound``: fires the connector's one trigger (with several, name it in the path)."""
        known = [t["operationId"] for t in self.triggers.describe()] if self.triggers is not None else []
        if len(known) == 1:
            return self.fire(known[0], data, {})
        raise ApiError(404, "not_found", "name the trigger to fire: POST /_mock/inbound/{operationId} (this "
                       f"connector's triggers: {', '.join(known) or 'none'})", triggers=known)

    def fire(self, op_id: str, data: Any, params: dict[str, str]) -> dict[str, Any]:
        if self.triggers is None:
            raise ApiError(404, "not_found", f"{op_id!r} is not a trigger of this connector; it has none")
        return self.triggers.fire(op_id, data, params)
