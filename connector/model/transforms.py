"""What the connector's script (``script.csx``) does, declared as data.

The platform routes the operations listed in apiProperties' ``scriptOperations`` through the script, which
may change the request before it goes to the service and the answer before the platform sees it. A
connector declares those changes as transforms; ``connector.generate.script`` turns them into C#, and the
operations they apply to become ``scriptOperations``. No transform, no script.

- ``CorrelationIdHeader``: the request carries the platform's correlation id (``Context.CorrelationId``)
  in a header, so the service's logs can be matched with the flow run.
- ``WebhookLocation``: a webhook trigger's registration answer carries the subscription id in its body,
  but the platform deletes a subscription through the URL in the answer's ``Location`` header; the
  script sets that header to the absolute URL of the trigger's ``webhook_delete`` operation, its path
  parameters filled from the trigger's request (``Ref("Param")``) or from the subscription id
  (``SUBSCRIPTION_ID``, read at the trigger's ``subscription_id`` in the answer body).

A trigger declared with ``webhook_delete=`` needs no transform written by hand (``webhook_wiring``): when the
delete operation's path variables are named like the trigger's path or header parameters, except at most one
(the subscription id), the ``WebhookLocation`` is generated; when the registration answer declares a
``Location`` header (``Response(extra={"headers": {"Location": ...}})``) the service sends it itself. Otherwise
the build records why, and ``connector validate`` reports it (PP1084) with the fix.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal, Mapping, Union

from ..swaggerdoc import path_variables
from .base import model
from .schema import Definition, Marker, Ref, Schema

if TYPE_CHECKING:  # pragma: no cover
    from .connector import Connector, Operation


class _SubscriptionId(Marker):
    """Inside ``WebhookLocation.args``: the subscription id from the trigger's registration answer."""

    name = "SUBSCRIPTION_ID"


SUBSCRIPTION_ID: Any = _SubscriptionId()


def _op_id(op: Any) -> str:
    return op if isinstance(op, str) else op.id


@model
class CorrelationIdHeader:
    """Every request of ``operations`` (None: of every operation) carries ``Context.CorrelationId`` in
    the header ``header`` (replacing a value the request already had)."""

    header: str = "x-correlation-id"
    operations: tuple[Any, ...] | None = None  # Operation objects or operationIds; None = all

    def operation_ids(self, connector: "Connector") -> list[str]:
        if self.operations is None:
            return [o.id for o in connector.operations]
        return [_op_id(o) for o in self.operations]


@model
class WebhookLocation:
    """The registration answer of webhook trigger ``trigger`` gets a ``Location`` header: the absolute URL
    of the trigger's ``webhook_delete`` operation, whose path parameters ``args`` fills (every one of them:
    ``Ref("P")`` = path or header parameter P of the trigger's request, ``SUBSCRIPTION_ID`` = the id in
    the answer body)."""

    trigger: Any  # Operation | operationId
    args: Mapping[str, Union[Ref, Any]] = field(default_factory=dict)

    @property
    def trigger_id(self) -> str:
        return _op_id(self.trigger)

    def operation_ids(self, connector: "Connector") -> list[str]:
        return [self.trigger_id]


Transform = Union[CorrelationIdHeader, WebhookLocation]


@model
class Wiring:
    """How the ``Location`` header of webhook trigger ``trigger``'s registration answer comes about: ``declared``
    (a ``WebhookLocation`` in the connector's transforms), ``service`` (the answer declares a ``Location`` header:
    the service sends it), ``script`` (a hand-written script.csx kept by import is in charge), ``generated``
    (``transform``, derived from the names) or ``missing`` (``why`` says what stopped the derivation)."""

    trigger: Any  # Operation
    how: Literal["declared", "service", "script", "generated", "missing"]
    transform: "WebhookLocation | None" = None
    why: str = ""


def sends_location(trigger: "Operation") -> bool:
    """Whether the trigger's registration answer (a 2xx response) declares a ``Location`` header."""
    for r in trigger.responses:
        headers = r.extra.get("headers") if r.status.startswith("2") else None
        if isinstance(headers, Mapping) and any(str(h).lower() == "location" for h in headers):
            return True
    return False


def derive_location(trigger: "Operation") -> tuple[WebhookLocation | None, str]:
    """The ``WebhookLocation`` of a trigger with ``webhook_delete``, from names alone: each path variable of the
    delete operation is the trigger's path or header parameter of that name, and at most one other variable is
    the subscription id. None and why when the names do not say it."""
    delete = trigger.webhook_delete
    args: dict[str, Any] = {}
    others: list[str] = []
    for var in path_variables(delete.path):
        param = trigger.parameter(var)
        if param is not None and param.location in ("path", "header"):
            args[var] = Ref(var)
        else:
            others.append(var)
    if len(others) > 1:
        names = ", ".join(f"'{v}'" for v in others)
        return None, (f"the path of '{delete.id}' ({delete.path}) has {len(others)} variables ({names}) that are "
                      f"neither path nor header parameters of '{trigger.id}', and only one can be the "
                      "subscription id")
    if others:
        args[others[0]] = SUBSCRIPTION_ID
        missing = _undeclared_subscription(trigger)
        if missing:
            return None, missing
    return WebhookLocation(trigger=trigger, args=args), ""


def _undeclared_subscription(trigger: "Operation") -> str:
    """Why the registration answer cannot carry the subscription id at ``subscription_id`` according to its
    declared schema ('' when it can, or when no schema says otherwise)."""
    schema = next((r.schema for r in trigger.responses if r.status.startswith("2") and r.schema is not None), None)
    node: Any = schema
    for part in [p for p in trigger.subscription_id.split("/") if p]:
        while isinstance(node, Definition) or (isinstance(node, Schema) and node.definition is not None
                                               and node.properties is None):
            node = node.schema if isinstance(node, Definition) else node.definition
        if not isinstance(node, Schema) or node.properties is None:
            return ""  # nothing declared to check against: the script reads what the service sends
        node = next((f for f in node.properties if f.name == part), None)
        if node is None:
            return (f"the registration answer of '{trigger.id}' declares no '{trigger.subscription_id}' "
                    "(subscription_id, where the subscription id is read); set subscription_id= to where it is")
    return ""


def webhook_wiring(connector: "Connector") -> list[Wiring]:
    """For every trigger with ``webhook_delete``, in declaration order, how its Location header comes about."""
    declared = {t.trigger_id for t in connector.transforms if isinstance(t, WebhookLocation)}
    out: list[Wiring] = []
    for op in connector.operations:
        if op.webhook_delete is None or not op.trigger:
            continue
        if op.id in declared:
            out.append(Wiring(trigger=op, how="declared"))
        elif sends_location(op):
            out.append(Wiring(trigger=op, how="service"))
        elif connector.imported.script_source is not None:
            out.append(Wiring(trigger=op, how="script"))
        else:
            transform, why = derive_location(op)
            out.append(Wiring(trigger=op, how="generated", transform=transform) if transform is not None
                       else Wiring(trigger=op, how="missing", why=why))
    return out


def effective_transforms(connector: "Connector") -> tuple[Transform, ...]:
    """What the script does: the declared transforms, then a ``WebhookLocation`` generated for every trigger whose
    ``webhook_delete`` needs one and whose names say how (``webhook_wiring``)."""
    generated = tuple(w.transform for w in webhook_wiring(connector) if w.how == "generated")
    return tuple(connector.transforms) + generated


def script_operation_ids(connector: "Connector") -> list[str]:
    """The operations the script handles, in declaration order: every operation some transform applies to."""
    wanted: set[str] = set()
    for t in effective_transforms(connector):
        wanted.update(t.operation_ids(connector))
    return [o.id for o in connector.operations if o.id in wanted]


def check_transforms(connector: "Connector") -> list[str]:
    """Declaration problems of the connector's transforms, each naming the place and the fix."""
    out: list[str] = []
    by_id = {o.id: o for o in connector.operations}
    headers: dict[str, int] = {}
    for index, t in enumerate(connector.transforms):
        where = f"transform {index + 1} ({type(t).__name__})"
        if isinstance(t, CorrelationIdHeader):
            if not t.header or any(ch in t.header for ch in " :\r\n\"") or not t.header.isascii():
                out.append(f"{where}: header name {t.header!r} is not a valid HTTP header name; use letters, "
                           "digits and '-', like 'x-correlation-id'.")
            headers[t.header.lower()] = headers.get(t.header.lower(), 0) + 1
            for op in t.operations or ():
                if _op_id(op) not in by_id:
                    out.append(f"{where}: operation '{_op_id(op)}' is not declared in the connector; add it "
                               "to operations or remove it from the transform.")
        elif isinstance(t, WebhookLocation):
            out.extend(_check_webhook_location(t, where, by_id))
        else:
            out.append(f"{where}: {t!r} is not a transform the script generator knows; use CorrelationIdHeader "
                       "or WebhookLocation.")
    for name, count in headers.items():
        if count > 1:
            out.append(f"transforms: the header '{name}' is set by {count} CorrelationIdHeader transforms; "
                       "declare it once.")
    return out


def _check_webhook_location(t: WebhookLocation, where: str, by_id: dict[str, "Operation"]) -> list[str]:
    trigger = by_id.get(t.trigger_id)
    if trigger is None:
        return [f"{where}: trigger '{t.trigger_id}' is not declared in the connector; add it to operations."]
    where = f"{where} of operation '{trigger.id}'"
    if trigger.kind != "trigger":
        return [f"{where}: the operation is not a trigger; a Location for deleting a webhook only makes sense "
                "on a webhook trigger (declare trigger='single' or 'batch')."]
    delete = trigger.webhook_delete
    if delete is None:
        return [f"{where}: the trigger declares no webhook_delete operation, so there is no URL to point the "
                "Location header at; set webhook_delete=... on the trigger."]
    out: list[str] = []
    if not trigger.subscription_id:
        out.append(f"{where}: the trigger's subscription_id is empty; name where its registration answer "
                   "carries the subscription id (e.g. 'id').")
    variables = path_variables(delete.path)
    for var in variables:
        if var not in t.args:
            out.append(f"{where}: the delete operation '{delete.id}' has the path parameter '{var}', which args "
                       "does not fill; add it, as Ref(\"<trigger parameter>\") or SUBSCRIPTION_ID.")
    for name, value in t.args.items():
        if name not in variables:
            out.append(f"{where}: args fills '{name}', which is not a path parameter of '{delete.id}' "
                       f"({delete.path}); use one of: {', '.join(variables) or 'none'}.")
        if isinstance(value, Ref):
            param = trigger.parameter(value.parameter)
            if param is None:
                out.append(f"{where}: args['{name}'] refers to parameter '{value.parameter}', which the trigger "
                           "does not have; refer to one of: "
                           + (", ".join(p.name for p in trigger.parameters) or "none") + ".")
            elif param.location not in ("path", "header"):
                out.append(f"{where}: args['{name}'] refers to the {param.location} parameter "
                           f"'{value.parameter}'; the script can read path and header parameters only.")
        elif value is not SUBSCRIPTION_ID:
            out.append(f"{where}: args['{name}'] is {value!r}; use Ref(\"<trigger parameter>\") or "
                       "SUBSCRIPTION_ID.")
    return out
