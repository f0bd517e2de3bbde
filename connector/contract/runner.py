"""Scenarios: one per visible action and trigger of a built connector, run through the platform-like client.

The list of scenarios comes from the folder (every operation that is not internal). Each runs the generic
way unless a connector's scenario module (see ``scenario_module``) registers its own: fill the parameters
as the designer does (dropdowns opened, defaults pre-filled, required values the module gives or a value
made from the schema), call, check the answer against its schema; for a trigger, register the webhook,
receive a notification when the module can make one happen, delete it through Location, and check that
nothing arrives after the deletion.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from urllib.parse import quote

from .client import PICK, Answer, PlatformClient, Subscription
from .derive import (CREATE, Made, Memory, Shape, id_field, lists_records_at, ordered, phase,
                     record_id)
from .dropdowns import Dropdown, Option
from .folder import ConnectorFolder, ContractFailure, OperationSpec
from .packs import ScenarioPack, register_scenarios, scenario_pack
from .request_builder import MISSING, is_internal


class Skipped(Exception):
    """A scenario step that cannot run here (e.g. no way to make a real account send an inbound message)."""


@dataclass
class Outcome:
    name: str
    status: str  # PASS, FAIL, SKIP
    detail: str
    seconds: float
    calls: int

    @property
    def ok(self) -> bool:
        return self.status != "FAIL"

    def line(self, width: int = 28) -> str:
        calls = f"{self.calls:3} calls  " if self.calls else ""
        return f"{self.status:4}  {self.name:{width}} {self.seconds:6.2f}s  {calls}{self.detail}"


Injector = Callable[[dict[str, Any]], Any]  # makes the service receive a message; returns its answer


@dataclass
class Steps:
    """What a scenario does: the designer's and the runtime's moves, plus checks that name the operation."""

    client: PlatformClient
    op: OperationSpec
    inject: Injector | None = None
    notification_timeout: float = 5.0
    quiet_period: float = 1.0
    run_id: str = field(default_factory=lambda: secrets.token_hex(3))
    notes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    cleanup: list[Callable[[], None]] = field(default_factory=list)

    @property
    def folder(self) -> ConnectorFolder:
        return self.client.folder

    # -- designer ----------------------------------------------------------------------------------
    def prepare(self, op_id: str | None = None, given: dict[str, Any] | None = None) -> dict[str, Any]:
        op = self.folder.operation(op_id or self.op.id)
        values, _ = self.client.prepare(op.id, given, choose=hardest)
        return complete(self.folder, op, values)

    def options(self, op_id: str, parameter: str, given: dict[str, Any] | None = None) -> list:
        """The options a dropdown of an operation offers once ``given`` is chosen."""
        for dd in self.client.dropdowns(op_id):
            if "/".join(dd.target) == parameter or dd.target[0] == parameter and len(dd.target) == 1:
                values, _ = self.client.prepare(op_id, {k: v for k, v in (given or {}).items()})
                return self.client.options(dd, values)
        raise ContractFailure(op_id, f"has no dropdown on '{parameter}'")

    # -- runtime -----------------------------------------------------------------------------------
    def act(self, given: dict[str, Any] | None = None, expect: Any = "2xx") -> Answer:
        """Prepare and call this scenario's own operation."""
        self.values = self.prepare(self.op.id, given)
        return self.client.call(self.op.id, self.values, expect=expect)

    def call(self, op_id: str, given: dict[str, Any] | None = None, expect: Any = "2xx",
             prepare: bool = True) -> Answer:
        values = self.prepare(op_id, given) if prepare else dict(given or {})
        return self.client.call(op_id, values, expect=expect)

    def subscribe(self, given: dict[str, Any] | None = None) -> Subscription:
        self.values = self.prepare(self.op.id, given)
        sub = self.client.subscribe(self.op.id, self.values)

        def drop() -> None:
            if not sub.deleted:
                try:
                    self.client.unsubscribe(sub)
                except ContractFailure:
                    pass
        self.cleanup.append(drop)
        return sub

    def receive(self, sub: Subscription, timeout: float | None = None) -> Any:
        data = self.client.notification(sub, self.notification_timeout if timeout is None else timeout)
        if data is None:
            self.fail(f"no notification reached the callback within {self.notification_timeout:g}s")
        return data

    def nothing_arrives(self, sub: Subscription) -> None:
        data = self.client.notification(sub, self.quiet_period)
        if data is not None:
            self.fail("a notification still arrived after the webhook was deleted through its Location header")

    def send_inbound(self, payload: dict[str, Any]) -> Any:
        if self.inject is None:
            raise Skipped("no way to make the service receive an inbound message here")
        return self.inject(payload)

    # -- checks ------------------------------------------------------------------------------------
    def check(self, condition: Any, message: str, op_id: str | None = None) -> None:
        if not condition:
            self.fail(message, op_id)

    def equal(self, actual: Any, expected: Any, what: str, op_id: str | None = None) -> None:
        if actual != expected:
            self.fail(f"{what} is {actual!r}, expected {expected!r}", op_id)

    def fail(self, message: str, op_id: str | None = None) -> None:
        raise ContractFailure(op_id or self.op.id, message)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def unique(self, prefix: str = "") -> str:
        return f"{prefix}{self.run_id}{secrets.token_hex(2)}"


def hardest(dropdown: Dropdown, options: list[Option]) -> Option:
    """The option a scenario picks: for a path parameter, one whose value needs percent-encoding (a space,
    a slash) when there is one, so that x-ms-url-encoding is exercised; otherwise the first."""
    param = dropdown.op.parameter(dropdown.target[0]) if len(dropdown.target) == 1 else None
    if param is not None and param.get("in") == "path":
        for option in options:
            if isinstance(option.value, str) and quote(option.value, safe="") != option.value:
                return option
    return options[0]


ScenarioFn = Callable[[Steps], None]


@dataclass
class Scenario:
    name: str
    operation_id: str
    run: ScenarioFn
    specific: bool


def generic_action(s: Steps) -> None:
    answer = s.act()
    s.note(f"{answer.status} as declared")


def generic_trigger(s: Steps) -> None:
    if not is_webhook(s.op):
        polling_trigger(s)
        return
    sub = s.subscribe()
    s.client.unsubscribe(sub)
    s.nothing_arrives(sub)
    s.note("registered, deleted through Location")


def is_webhook(op: OperationSpec) -> bool:
    """A trigger the platform registers a callback URL with (x-ms-notification-content on its path, or a
    parameter marked x-ms-notification-url); the others are polled."""
    return op.notification is not None or any(p.get("x-ms-notification-url") for p in op.parameters)


def polling_trigger(s: Steps, given: dict[str, Any] | None = None) -> Answer:
    """Poll as the platform does, with nothing to make the service fire: call the trigger; a 202 ("nothing
    new yet") must carry Location and Retry-After, and polling that Location must answer 200 (items) or
    202 again; a 200 carries the items."""
    answer = s.act(given)
    if answer.status != 202:
        s.note(f"polled: {answer.status}")
        return answer
    location = answer.headers.get("location")
    s.check(location, "the 202 has no Location: the platform would not know where to poll next")
    wait = answer.headers.get("retry-after")
    s.check(wait, "the 202 has no Retry-After")
    try:
        float(wait)
    except ValueError:
        s.fail(f"Retry-After {wait!r} is not a number of seconds")
    again = s.client.follow(s.op, location)
    s.check(again.status in (200, 202), f"polling its Location answered {again.status}")
    s.note(f"202 + Location + Retry-After, then {again.status} (nothing fired it)")
    return again


def derived_action(memory: Memory) -> ScenarioFn:
    """An action run in its place in the derived order: record parameters from what the run made (or
    seeded), a create given an id the run can find again, the made record remembered."""
    def run(s: Steps) -> None:
        op, shape, kind = s.op, Shape.of(s.op), phase(s.op)
        with_dropdown = {dd.target[0] for dd in s.client.dropdowns(op.id) if len(dd.target) == 1}
        given = {k: v for k, v in memory.path_values(op.path).items() if k not in with_dropdown}
        listing = shape.record and lists_records_at(s.folder, op)
        if listing:  # its last parameter selects a list (a parent, a page), not a record of the collection
            given.pop(shape.id_param, None)
        made_id = None
        if kind == CREATE:
            found = id_field(s.folder, op)
            if found is not None:
                name, schema = found
                made_id = (int(s.run_id, 16) * 1000 + len(memory.records)) if schema.get("type") == "integer" \
                    else s.unique("contract-")
                given[str(op.body_parameter.get("name"))] = {name: made_id}
        answer = s.act(given)
        if kind == CREATE:
            rid = str(made_id) if made_id is not None else record_id(answer.data)
            if rid is not None:
                scope = {str(p.get("name")): answer.values.get(p.get("name")) for p in op.parameters
                         if p.get("in") == "path"}
                memory.records[shape.prefix] = Made(rid, scope, op.id)
        made = memory.records.get(shape.prefix) if shape.record and not listing else None
        which = "" if made is None else " (a seeded record)" if made.by == "seeded" else f" (the record {made.by} made)"
        s.note(f"{answer.status} as declared{which}")
    return run


Firer = Callable[[str, dict[str, Any]], Any]  # fire a trigger (operation id, path values) at the service


def derived_trigger(fire: Firer | None) -> ScenarioFn:
    """A trigger's lifecycle as the platform drives it, with the service made to fire it (``fire``: the
    mock's ``POST /_mock/inbound/{operationId}``). Webhook: register with a fresh callback URL, fire, receive
    a notification matching x-ms-notification-content, delete through Location, fire again, nothing
    arrives. Polling: a first poll answers 202 with Location and Retry-After; fire; the poll of that
    Location answers 200 with the new item; the next Location answers 202 (nothing new)."""
    def run(s: Steps) -> None:
        if fire is None:
            generic_trigger(s)
            return
        if is_webhook(s.op):
            sub = s.subscribe()
            fire(s.op.id, {})
            s.receive(sub)
            s.client.unsubscribe(sub)
            fire(s.op.id, {})
            s.nothing_arrives(sub)
            s.note("registered, notified, deleted through Location, nothing after")
            return
        first = s.act()
        s.check(first.status == 202, f"the first poll answered {first.status}; nothing was new, so the polling "
                                     "contract wants 202 with Location and Retry-After")
        location = first.headers.get("location")
        s.check(location, "the 202 of the first poll has no Location: the platform would not know where to poll")
        s.check(first.headers.get("retry-after"), "the 202 of the first poll has no Retry-After")
        fire(s.op.id, {str(p.get("name")): first.values.get(p.get("name")) for p in s.op.parameters
                       if p.get("in") == "path" and p.get("name") in first.values})
        got = s.client.follow(s.op, location)
        s.check(got.status == 200, f"polling its Location after the trigger fired answered {got.status}, not 200 "
                                   "with the new item")
        s.check(got.data not in (None, [], {}), "the 200 after the trigger fired carries no item")
        again = got.headers.get("location")
        s.check(again, "the 200 has no Location: the platform would poll from the start and see the item twice")
        quiet = s.client.follow(s.op, again)
        s.check(quiet.status == 202, f"the poll after the item answered {quiet.status}; nothing new is 202")
        s.note("202 + Location + Retry-After, fired, 200 with the item, then 202")
    return run


class ScenarioSet:
    """The scenarios of one connector: specific ones from its module, generic ones for the rest. Without
    specific ones (``memory`` given), the actions are derived: run in create, read, update, delete order."""

    def __init__(self, specific: dict[str, ScenarioFn] | None = None, memory: Memory | None = None,
                 fire: Firer | None = None):
        self.specific = dict(specific or {})
        self.memory = memory
        self.fire = fire

    def for_folder(self, folder: ConnectorFolder) -> tuple[list[Scenario], list[str]]:
        """(scenarios in swagger order, or the derived order; problems: specific scenarios for operations
        the folder lacks)."""
        out = []
        ops = folder.visible_operations()
        if self.memory is not None:
            ops = ordered(ops)
        for op in ops:
            fn = self.specific.get(op.id)
            if fn is None and self.memory is not None:
                fn = derived_trigger(self.fire) if op.is_trigger else derived_action(self.memory)
            elif fn is None:
                fn = generic_trigger if op.is_trigger else generic_action
            out.append(Scenario(op.id, op.id, fn, op.id in self.specific))
        missing = [f"scenario for {name}: the connector has no visible operation '{name}'"
                   for name in self.specific if name not in {s.operation_id for s in out}]
        return out, missing


def scenario_set(folder: ConnectorFolder, memory: Memory | None = None, fire: Firer | None = None) -> ScenarioSet:
    """The connector's own scenarios when a registered pack matches the folder, else scenarios derived
    from its operations (sharing ``memory``: the records the run seeded; ``fire``: how to make the service
    fire a trigger, when there is one)."""
    pack = scenario_pack(folder)
    if pack is not None:
        return ScenarioSet(pack.scenarios)
    return ScenarioSet(None, memory or Memory(), fire)


def run_scenarios(client: PlatformClient, scenarios: list[Scenario], inject: Injector | None = None,
                  echo: Callable[[str], None] | None = None, notification_timeout: float = 5.0,
                  quiet_period: float = 1.0, width: int = 28) -> list[Outcome]:
    outcomes = []
    for scenario in scenarios:
        op = client.folder.operation(scenario.operation_id)
        steps = Steps(client, op, inject, notification_timeout=notification_timeout, quiet_period=quiet_period)
        before = len(client.calls)
        start = time.perf_counter()
        try:
            scenario.run(steps)
            status, detail = "PASS", "; ".join(steps.notes) or "ok"
        except ContractFailure as exc:
            status, detail = "FAIL", str(exc)
        except Skipped as exc:
            status, detail = "SKIP", "; ".join([*steps.notes, str(exc)])
        finally:
            for undo in reversed(steps.cleanup):
                undo()
        outcome = Outcome(scenario.name, status, detail, time.perf_counter() - start, len(client.calls) - before)
        outcomes.append(outcome)
        if echo:
            echo(outcome.line(width))
    return outcomes


# -- values the designer cannot give: made from the schema ------------------------------------------
def complete(folder: ConnectorFolder, op: OperationSpec, values: dict[str, Any]) -> dict[str, Any]:
    """Give every required, user-visible parameter or body field still empty a value made from its schema
    (internal ones and defaults are the request builder's job)."""
    out = dict(values)
    for p in op.parameters:
        name = p.get("name")
        if p.get("in") == "body":
            schema = p.get("schema") or {}
            if is_internal(p):
                continue
            given = out.get(name, MISSING)
            if given is MISSING and not p.get("required"):
                continue
            filled = _complete_schema(folder, schema, given)
            if filled is not MISSING:
                out[name] = filled
        elif name not in out and p.get("required") and not is_internal(p) and "default" not in p:
            out[name] = example(p)
    return out


def _complete_schema(folder: ConnectorFolder, schema: dict[str, Any], given: Any, depth: int = 0) -> Any:
    if "$ref" in schema:
        schema = folder.resolve_ref(schema["$ref"]) or {}
    if depth > 10 or is_internal(schema):
        return given
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "object" and (given is MISSING or isinstance(given, dict)):
        out = dict(given) if isinstance(given, dict) else {}
        for name in schema.get("required") or ():
            sub = (schema.get("properties") or {}).get(name, {})
            if "$ref" in sub:
                sub = folder.resolve_ref(sub["$ref"]) or {}
            if name in out or is_internal(sub) or "default" in sub:
                continue
            value = _complete_schema(folder, sub, MISSING, depth + 1)
            if value is not MISSING:
                out[name] = value
        return out
    if given is not MISSING:
        return given
    return example(schema)


def example(schema: dict[str, Any]) -> Any:
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return False
    if kind == "array":
        return [example(schema.get("items") or {})]
    if kind == "object":
        return {}
    if fmt == "date-time":
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "email":
        return "contract@example.com"
    return "contract test"


__all__ = ["Steps", "Scenario", "ScenarioSet", "Outcome", "run_scenarios", "scenario_set", "ScenarioPack", "register_scenarios", "PICK", "Skipped"]
