"""Triggers of a connector served generically: webhooks and polling, as the platform drives them.

**Webhook triggers** (an ``x-ms-trigger`` operation the platform calls to register a callback URL):

- registration answers the operation's declared success status and body (its response schema's example,
  the request's fields and the subscription id), with ``Location`` set to the URL the platform will
  ``DELETE`` when the flow is turned off: the connector's delete operation (the trigger's ``webhook_delete``,
  else a ``DELETE`` on the trigger's path plus an id, else one whose path names hooks or subscriptions) with
  the subscription id filled in, or the mock's own ``/_mock/webhooks/{id}`` when the connector declares none;
- the callback URL is where the swagger marks it (``x-ms-notification-url``), else a body field named like
  one (``callbackUrl``, ``url``, ...); it is checked as every callback URL is (``Settings.callback_allowed``);
- firing (``POST /_mock/inbound/{operationId}``, ``connector mock inbound OPERATION``, or a create the
  trigger watches) posts a payload made from the notification schema (``x-ms-notification-content``, else
  the trigger's response schema: examples, defaults, enum values, types) to every registered callback, through
  the outbox (retried with backoff); a deleted subscription gets nothing more.

**Polling triggers** (an ``x-ms-trigger`` ``GET``): the platform's polling contract. A call without the
mock's state answers ``202`` with ``Location`` (the same URL carrying the state) and ``Retry-After``; a call
with state answers ``200`` with the records created since (``batch``: all of them, shaped as the response
schema lists them; ``single``: the first one) and a ``Location`` carrying the new state, or ``202`` again
when there is nothing new. The records come from the collection the trigger watches: the one its path or
name points at among the collections actions create in, else its own (which ``/_mock/inbound`` fills).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qsl, quote, urlencode

from ..swaggerdoc import RECORD_ID_FIELDS
from .behaviour import ApiError, Call, lower, new_id, short
from .jobs import json_bytes

CURSOR = "_mock_since"  # the query parameter carrying a polling trigger's state in its Location URL
URL_FIELDS = ("callbackurl", "callback_url", "callback", "webhookurl", "webhook_url", "notificationurl",
              "notification_url", "notifyurl", "endpointurl", "endpoint_url", "targeturl", "target_url", "hookurl",
              "hook_url", "url", "uri", "address")
HOOK_WORDS = ("hook", "subscri", "notif", "callback", "trigger", "event")
STOP_WORDS = {"trigger", "triggers", "poll", "polling", "new", "when", "on", "get", "list", "created", "updated",
              "changed", "added", "is", "a", "an", "the", "of", "for", "by", "webhook", "webhooks", "api", "event",
              "events", "subscription", "subscriptions", "hook", "hooks"}
_PARAM = re.compile(r"\{([^}/]+)\}")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@dataclass
class Webhook:
    route: Any
    delete: Any | None  # the Route deleting a subscription, or None (the mock's own /_mock/webhooks/{id})
    url_at: tuple[str, tuple[str, ...]] | None  # ("body", property path) | ("query"/"header", (name,))
    notify_schema: Any
    id_field: str
    watches: str | None = None  # the collection template whose creates fire it


@dataclass
class Polling:
    route: Any
    batch: bool
    watches: str  # collection template (path with {params})
    own: bool = False  # True: its own collection (filled by /_mock/inbound only)
    extra: dict[str, Any] = field(default_factory=dict)


def _id_key(record: dict[str, Any]) -> str | None:
    """The key ``connector mock`` takes a record's id from (``id``, ``uuid``, ``key``, ``name``; any case)."""
    for wanted in RECORD_ID_FIELDS:
        for k in record:
            if str(k).lower() == wanted:
                return k
    return None


def words(*texts: str) -> set[str]:
    """Lower-case singular words of identifiers and paths (``OnNewTaskCreated`` -> task; ``/v1/tasks`` -> task)."""
    out = set()
    for text in texts:
        for w in _WORD.findall(_PARAM.sub(" ", text or "")):
            w = w.lower()
            if w in STOP_WORDS or w.isdigit() or len(w) < 3 or re.fullmatch(r"v\d+", w):
                continue
            out.add(w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") and not w.endswith("ss") else w)
    return out


def resource_word(template: str) -> str | None:
    """The singular noun a collection path names (``/projects/{id}/tasks`` -> task)."""
    literal = [s for s in template.strip("/").split("/") if s and not _PARAM.search(s)]
    found = words(literal[-1]) if literal else set()
    return next(iter(found)) if len(found) == 1 else (sorted(found)[0] if found else None)


class Triggers:
    def __init__(self, *, settings: Any, store: Any, jobs: Any, swagger: dict[str, Any], routes: list[Any],
                 resolve: Callable[[str], Any], base_path: str, generic: Any, shape: Callable[[Any], Callable],
                 compile_check: Callable[[Any], Callable], example: Callable[[Any], Any]):
        self.settings, self.store, self.jobs, self.swagger = settings, store, jobs, swagger
        self.resolve, self.base_path, self.generic = resolve, base_path, generic
        self.webhooks: dict[str, Webhook] = {}
        self.polling: dict[str, Polling] = {}
        self._shape, self._check, self._example = shape, compile_check, example
        creates = {r.template.rstrip("/") or "/": r for r in routes
                   if r.method == "POST" and not r.swagger.get("x-ms-trigger") and not _is_record(r.template)}
        deletes = [r for r in routes if r.method == "DELETE"]
        for route in routes:
            kind = route.swagger.get("x-ms-trigger")
            if not kind:
                continue
            if route.method == "GET":
                watches = _watched(route, creates)
                self.polling[route.id] = Polling(route, kind == "batch", watches or route.template.rstrip("/"),
                                                 own=watches is None)
            else:
                item = swagger["paths"].get(route.template) or {}
                notify = (item.get("x-ms-notification-content") or {}).get("schema")
                if notify is None:
                    notify = ((route.swagger.get("responses") or {}).get(str(route.success)) or {}).get("schema")
                self.webhooks[route.id] = Webhook(route, _delete_route(route, deletes, generic.operation(route.id)),
                                                  _callback_place(route, resolve), notify,
                                                  _id_field(route, resolve, generic.operation(route.id)),
                                                  _watched(route, creates))
        for hook in self.webhooks.values():
            generic.handlers[hook.route.id] = self._register(hook)
            if hook.delete is not None:
                generic.handlers[hook.delete.id] = self._unregister(hook.delete)
        for poll in self.polling.values():
            generic.handlers[poll.route.id] = self._poll(poll)
        self._notify_shapes = {op: shape(h.notify_schema) for op, h in self.webhooks.items()}

    # -- webhooks --------------------------------------------------------------------------------------
    def _register(self, hook: Webhook) -> Callable[[Call], tuple]:
        def handle(call: Call) -> tuple:
            url = _callback(call, hook.url_at)
            where = _where(hook.url_at)
            if self.settings.request_checks == "strict":
                if not url:
                    raise ApiError(400, "invalid_request", f"{where}: the callback URL the platform registers is "
                                   "required", pointer=where)
                reason = self.settings.callback_allowed(url)
                if reason is not None:
                    raise ApiError(400, "invalid_request", f"{where}: {short(url)} {reason}", pointer=where)
            example = self.generic.examples(call.operation_id)
            declared = next((v for k, v in example.items() if str(k).lower() == hook.id_field.lower()), None) \
                if isinstance(example, dict) else None
            numeric = isinstance(declared, int) and not isinstance(declared, bool)  # the answer's id is an integer
            sub_id = str(time.time_ns() // 1000 % 10**15) if numeric else new_id()
            params = {k: v for k, v in call.params.items() if isinstance(v, (str, int, float, bool))}
            with self.store.tx() as c:
                c.execute("INSERT INTO hooks VALUES (?, ?, ?, ?, ?)",
                          (sub_id, hook.route.id, url or "", json.dumps(params, ensure_ascii=False), time.time()))
            body = lower(call.body) if isinstance(call.body, dict) else {}
            record = {**body, hook.id_field.lower(): sub_id}
            answer = self.generic.answer(call, record)
            if isinstance(answer, dict):
                answer[hook.id_field.lower()] = int(sub_id) if numeric else sub_id
            body = call.body if isinstance(call.body, dict) else None
            return None, answer, [(b"location", self.location(hook, sub_id, call.params, body).encode())]
        return handle

    def location(self, hook: Webhook, sub_id: str, params: dict[str, Any], body: Any = None) -> str:
        """The URL the platform deletes the subscription through (the Location of the registration answer)."""
        root = self.settings.public_url
        if hook.delete is None:
            return f"{root}/_mock/webhooks/{quote(sub_id, safe='')}"
        where, key = _id_param(hook.delete)

        def fill(m: re.Match[str]) -> str:
            name = m.group(1)
            value = sub_id if (where, name) == ("path", key) else params.get(name, sub_id)
            return quote(str(value), safe="")
        url = root + self.base_path + _PARAM.sub(fill, hook.delete.template)
        if where == "query":  # DELETE /hooks?id=...: the id (and the registration's own values) in the query
            # the delete's other required query values: the registration's own (its parameters or body fields of
            # that name), else the subscription id (the mock deletes by the id alone)
            fields = {str(k).lower(): v for k, v in (body or {}).items() if isinstance(v, (str, int, float))}
            others = [(q.name, str(params.get(q.name, fields.get(q.name.lower(), sub_id))))
                      for q in hook.delete.queries if q.name != key and q.required]
            url += "?" + urlencode([(key, sub_id), *others])
        return url

    def _unregister(self, route: Any) -> Callable[[Call], tuple]:
        _, last = _id_param(route)

        def handle(call: Call) -> tuple:
            sub_id = str(call.params.get(last, ""))
            # strict: an unknown id is 404; schema checks: a delete is idempotent (the declared answer), which is
            # what a fuzzer sending any id expects of an operation that declares no 404
            if not self.delete(sub_id) and self.settings.request_checks == "strict":
                raise ApiError(404, "not_found", f"there is no webhook subscription {sub_id!r} (deleted already, or "
                               "never registered)", parameter=last)
            return None, self.generic.empty_answer(call)
        return handle

    def delete(self, sub_id: str) -> bool:
        """Remove a subscription and the deliveries still queued for it; False when there was none."""
        with self.store.tx() as c:
            gone = c.execute("DELETE FROM hooks WHERE id = ?", (sub_id,)).rowcount
            c.execute("UPDATE jobs SET status = 'cancelled', updated = ? WHERE ref = ? AND kind = 'webhook' AND "
                      "status = 'pending'", (time.time(), sub_id))
        return bool(gone)

    def hooks(self) -> list[dict[str, Any]]:
        return [{"id": r["id"], "operationId": r["trigger"], "url": r["url"], "parameters": json.loads(r["params"])}
                for r in self.store.all("SELECT * FROM hooks ORDER BY created, id")]

    # -- firing ----------------------------------------------------------------------------------------
    def fire(self, op_id: str, data: Any, params: dict[str, str]) -> dict[str, Any]:
        if op_id in self.webhooks:
            hook = self.webhooks[op_id]
            payload = self.payload(hook, data)
            return {"operationId": op_id, "kind": "webhook", "deliveries": self._deliver(hook, payload, params),
                    "payload": payload}
        if op_id in self.polling:
            poll = self.polling[op_id]
            item = poll_item_schema(poll.route, self.resolve)
            example = self._example(item)
            record = {**(example if isinstance(example, dict) else {}), **(data if isinstance(data, dict) else {})}
            if not isinstance(data, dict) or _id_key(data) is None:
                key = _id_key(record)  # the example's id would be the same every time: a fresh one instead
                if key is not None:
                    record[key] = int(time.time() * 1e6) if isinstance(record[key], int) else new_id()
            problems = self._check(item)(record) if item else []
            if problems:
                _refuse(problems)
            where = _PARAM.sub(lambda m: str(params.get(m.group(1), m.group(0))), poll.watches) or "/"
            rid = self.generic.create(where, record)
            return {"operationId": op_id, "kind": "polling", "collection": where, "id": rid, "record": record}
        known = sorted([*self.webhooks, *self.polling])
        raise ApiError(404, "not_found", f"{op_id!r} is not a trigger of this connector; its triggers: "
                       f"{', '.join(known) or 'none'}", triggers=known)

    def payload(self, hook: Webhook, data: Any) -> Any:
        """The notification for ``hook``: the schema's example with ``data`` over it, checked against the schema."""
        example = self._example(hook.notify_schema)
        if isinstance(data, list) or data is None or not isinstance(example, (dict, list)):
            payload = example if data is None else data
        elif isinstance(example, list):
            first = example[0] if example and isinstance(example[0], dict) else {}
            payload = [{**first, **data}] if isinstance(data, dict) else example
        else:
            payload = {**example, **data} if isinstance(data, dict) else data
        if hook.notify_schema:
            problems = self._check(hook.notify_schema)(payload)
            if problems:
                _refuse(problems)
        return payload

    def _deliver(self, hook: Webhook, payload: Any, params: dict[str, str]) -> int:
        body = json_bytes(payload)
        count = 0
        with self.store.tx() as c:
            for row in c.execute("SELECT id, url, params FROM hooks WHERE trigger = ? ORDER BY created, id",
                                 (hook.route.id,)).fetchall():
                registered = json.loads(row["params"])
                if any(str(registered.get(k)) != str(v) for k, v in params.items() if k in registered):
                    continue
                self.jobs.add("webhook", method="POST", url=row["url"], body=body, ref=row["id"])
                count += 1
        if count:
            self.jobs.notify()
        return count

    def created(self, template: str, record: dict[str, Any]) -> None:
        """A create in collection ``template`` fires the webhook triggers watching it, with the new record."""
        for op_id, hook in self.webhooks.items():
            if hook.watches != template:
                continue
            example = self._example(hook.notify_schema)
            shape = self._notify_shapes[op_id]
            if isinstance(example, list):
                first = example[0] if example and isinstance(example[0], dict) else {}
                payload = shape([{**lower(first), **lower(record)}])
            elif isinstance(example, dict):
                payload = shape({**lower(example), **lower(record)})
            else:
                payload = record
            self._deliver(hook, payload, {})

    # -- polling ---------------------------------------------------------------------------------------
    def _poll(self, poll: Polling) -> Callable[[Call], tuple]:
        def handle(call: Call) -> tuple:
            query = [(k, v) for k, v in parse_qsl(call.query, keep_blank_values=True) if k != CURSOR]
            given = dict(parse_qsl(call.query)).get(CURSOR)
            where = _PARAM.sub(lambda m: str(call.params.get(m.group(1), m.group(0))), poll.watches) or "/"
            retry = str(self.settings.poll_interval).encode()

            def location(cursor: float) -> bytes:
                return (self.settings.public_url + call.path + "?" +
                        urlencode([*query, (CURSOR, repr(cursor))])).encode()
            try:
                since = float(given) if given is not None else None
            except ValueError:
                since = None
            if since is None:
                last = self.store.one("SELECT MAX(created) AS at FROM records WHERE collection = ?", where)
                since = last["at"] if last and last["at"] is not None else 0.0
                return 202, None, [(b"location", location(since)), (b"retry-after", retry)]
            rows = self.store.all("SELECT data, created FROM records WHERE collection = ? AND created > ? "
                                  "ORDER BY created, id LIMIT ?", where, since, 100 if poll.batch else 1)
            if not rows:
                return 202, None, [(b"location", location(since)), (b"retry-after", retry)]
            records = [json.loads(r["data"]) for r in rows]
            answer = self.generic.listing(call, records) if poll.batch else self.generic.answer(call, records[0])
            return 200, answer, [(b"location", location(rows[-1]["created"])), (b"retry-after", retry)]
        return handle

    # -- what the mock serves about its triggers -------------------------------------------------------
    def describe(self) -> list[dict[str, Any]]:
        out = []
        for op_id, hook in self.webhooks.items():
            out.append({"operationId": op_id, "kind": "webhook", "method": hook.route.method,
                        "path": hook.route.template, "callbackUrl": _where(hook.url_at),
                        "subscriptionId": hook.id_field,
                        "delete": {"operationId": hook.delete.id, "method": "DELETE", "path": hook.delete.template}
                        if hook.delete is not None else {"path": "/_mock/webhooks/{id}", "method": "DELETE"},
                        "firesOnCreateIn": hook.watches, "inbound": f"/_mock/inbound/{op_id}"})
        for op_id, poll in self.polling.items():
            out.append({"operationId": op_id, "kind": "polling", "method": "GET", "path": poll.route.template,
                        "batch": poll.batch, "watches": poll.watches, "inbound": f"/_mock/inbound/{op_id}",
                        "retryAfter": self.settings.poll_interval, "stateParameter": CURSOR})
        return out


def _refuse(problems: list) -> None:
    from .validation import pointer

    listed = [{"pointer": pointer(p), "reason": r} for p, r in problems[:20]]
    first = listed[0]
    raise ApiError(400, "invalid_request", f"{first['pointer'] or '/'}: {first['reason']} (the payload must match "
                   "the trigger's notification schema)", problems=listed)


def _is_record(template: str) -> bool:
    last = template.rstrip("/").rsplit("/", 1)[-1]
    return _PARAM.fullmatch(last) is not None


def _watched(route: Any, creates: dict[str, Any]) -> str | None:
    """The collection (template) a trigger watches: its own path when an action creates there, else the one whose
    resource its path or name mentions (longest shared path prefix breaking ties); None when nothing fits."""
    own = route.template.rstrip("/") or "/"
    if own in creates and route.method == "GET":
        return own
    mentioned = words(route.template, route.id, route.swagger.get("summary") or "")
    best, score = None, 0
    for template in creates:
        noun = resource_word(template)
        if noun is None or noun not in mentioned:
            continue
        shared = len(_common_prefix(template.split("/"), own.split("/")))
        if best is None or shared + 1 > score:
            best, score = template, shared + 1
    return best


def _common_prefix(a: list[str], b: list[str]) -> list[str]:
    out = []
    for x, y in zip(a, b):
        if x != y:
            break
        out.append(x)
    return out


ID_NAMES = ("id", "subscriptionid", "webhookid", "hookid", "subscription", "webhook", "hook", "triggerid")


def _id_param(route: Any) -> tuple[str, str | None]:
    """Where a delete operation takes the subscription id: its last path parameter, else its query parameter
    named like an id (else its first query parameter)."""
    names = _PARAM.findall(route.template)
    if names:
        return "path", names[-1]
    queries = [q.name for q in route.queries]
    for wanted in ID_NAMES:
        for name in queries:
            if name.lower().replace("_", "").replace("-", "") == wanted:
                return "query", name
    return ("query", queries[0]) if queries else ("path", None)


def _delete_route(route: Any, deletes: list[Any], op: Any) -> Any | None:
    if op is not None and getattr(op, "webhook_delete", None) is not None:
        found = next((d for d in deletes if d.id == op.webhook_delete.id), None)
        if found is not None:
            return found
    own = route.template.rstrip("/")
    for d in deletes:  # DELETE /hooks/{id} beside POST /hooks
        if _is_record(d.template) and d.template.rstrip("/").rsplit("/", 1)[0] == own:
            return d
    candidates = [d for d in deletes if _id_param(d)[1] is not None
                  and any(w in (d.template + d.id).lower() for w in HOOK_WORDS)]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (len(_common_prefix(d.template.split("/"), own.split("/"))),
                                          d.swagger.get("x-ms-visibility") == "internal"))


def _deref(schema: Any, resolve: Callable[[str], Any]) -> Any:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 16:
        schema = resolve(schema["$ref"]) or {}
        seen += 1
    return schema if isinstance(schema, dict) else {}


def _callback_place(route: Any, resolve: Callable[[str], Any]) -> tuple[str, tuple[str, ...]] | None:
    """Where a registration carries the callback URL: the parameter or body property marked
    ``x-ms-notification-url``, else the first body property named like a URL field."""
    body = None
    for p in route.swagger.get("parameters", []):
        p = _deref(p, resolve)
        if p.get("in") in ("query", "header") and p.get("x-ms-notification-url"):
            return p["in"], (p["name"],)
        if p.get("in") == "body":
            body = p.get("schema")
    if body is None:
        return None
    marked: list[tuple[str, ...]] = []
    named: list[tuple[int, tuple[str, ...]]] = []

    def walk(schema: Any, path: tuple[str, ...], depth: int) -> None:
        schema = _deref(schema, resolve)
        if depth > 5:
            return
        for name, sub in (schema.get("properties") or {}).items():
            sub = _deref(sub, resolve)
            here = (*path, name)
            if sub.get("x-ms-notification-url"):
                marked.append(here)
            elif name.lower() in URL_FIELDS and sub.get("type", "string") == "string":
                named.append((URL_FIELDS.index(name.lower()) + 100 * depth, here))
            walk(sub, here, depth + 1)
    walk(body, (), 0)
    if marked:
        return "body", marked[0]
    if named:
        return "body", min(named)[1]
    return None


def _callback(call: Call, place: tuple[str, tuple[str, ...]] | None) -> str | None:
    if place is None:
        return None
    where, names = place
    if where != "body":
        value = call.params.get(names[0])
        return value if isinstance(value, str) else None
    node: Any = call.body
    for name in names:
        if not isinstance(node, dict):
            return None
        node = next((v for k, v in node.items() if k.lower() == name.lower()), None)
    return node if isinstance(node, str) else None


def _where(place: tuple[str, tuple[str, ...]] | None) -> str:
    if place is None:
        return "/"
    where, names = place
    return "/" + "/".join(names) if where == "body" else f"{where} {names[0]}"


def _id_field(route: Any, resolve: Callable[[str], Any], op: Any) -> str:
    """The property of the registration answer carrying the subscription id."""
    response = ((route.swagger.get("responses") or {}).get(str(route.success)) or {}).get("schema")
    props = _deref(response, resolve).get("properties") or {}
    wanted = getattr(op, "subscription_id", None) or "id"
    for name in (wanted, "id", "subscriptionId", "webhookId", "hookId", "uuid", "key", "name"):
        for prop in props:
            if prop.lower() == name.lower():
                return prop
    return wanted


def poll_item_schema(route: Any, resolve: Callable[[str], Any]) -> Any:
    """The schema of one item a polling trigger gives: its response schema, or that array's (or that object's
    one array property's) items for a batch trigger."""
    schema = ((route.swagger.get("responses") or {}).get(str(route.success)) or {}).get("schema")
    node = _deref(schema, resolve)
    if node.get("type") == "array" or "items" in node:
        return node.get("items")
    arrays = [sub for sub in (node.get("properties") or {}).values() if _deref(sub, resolve).get("type") == "array"]
    if route.swagger.get("x-ms-trigger") == "batch" and len(arrays) == 1:
        return _deref(arrays[0], resolve).get("items")
    return schema
