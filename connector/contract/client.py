"""The platform-like client: runs a built connector folder the way Power Automate's runtime does.

It knows nothing of the Python model. Every call goes: build the request from the swagger -> add the
connection's bearer token -> through the transport (the script for ``scriptOperations``) -> retry on 408,
429 and 5xx per the platform's default policy -> refresh the token once on 401 -> check the answer against
the declared response schema.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from ..swaggerdoc import pointer
from . import dropdowns as dd_mod
from .dropdowns import Dropdown, Option
from .folder import ConnectorFolder, ContractFailure, OperationSpec
from .oauth import TokenSource
from .receiver import CallbackReceiver, Delivery
from .request_builder import RequestBuilder
from .retry import RetryPolicy, retryable
from .schemas import validate
from .transport import HttpRequest, HttpResponse, Transport, TransportError

PICK = object()  # a value meaning "pick the first option of this parameter's dropdown"


@dataclass
class Answer:
    op: OperationSpec
    request: HttpRequest
    response: HttpResponse
    data: Any = None
    attempts: int = 1
    values: dict[str, Any] = field(default_factory=dict)  # what the call was made with

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers


@dataclass
class Subscription:
    op: OperationSpec
    answer: Answer
    key: str
    callback_url: str
    location: str
    deleted: bool = False


@dataclass
class CallRecord:
    operation_id: str | None
    method: str
    url: str
    status: int | None


@dataclass
class PlatformClient:
    folder: ConnectorFolder
    transport: Transport
    auth: TokenSource | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    base_url: str | None = None
    receiver: CallbackReceiver | None = None
    calls: list[CallRecord] = field(default_factory=list)
    on_call: Callable[[CallRecord], None] | None = None

    def __post_init__(self) -> None:
        self.builder = RequestBuilder(self.folder, self.base_url or self.folder.base_url)

    # -- sending -----------------------------------------------------------------------------------
    def send(self, request: HttpRequest) -> tuple[HttpResponse, int]:
        """Send with auth, retries and one token refresh on 401; (response, attempts)."""
        attempts, refreshed, retries = 0, False, 0
        while True:
            attempt = request.copy()
            decorate = getattr(self.auth, "decorate", None)
            if decorate is not None:  # an API key or basic credentials
                decorate(attempt)
            elif self.auth is not None:
                attempt.headers["Authorization"] = f"Bearer {self.auth.token()}"
            attempts += 1
            try:
                response = self.transport.send(attempt)
            except TransportError as exc:
                self._record(request, None)
                if retries < self.retry.count:
                    retries += 1
                    self.retry.wait(retries)
                    continue
                raise ContractFailure(request.operation_id or request.url, f"no answer after {attempts} attempts: "
                                                                           f"{exc}") from None
            self._record(request, response.status)
            if response.status == 401 and self.auth is not None and not refreshed:
                refreshed = True
                if self.auth.refresh():
                    continue
            if retryable(response.status) and retries < self.retry.count:
                retries += 1
                self.retry.wait(retries, response.headers.get("retry-after"))
                continue
            return response, attempts

    def _record(self, request: HttpRequest, status: int | None) -> None:
        record = CallRecord(request.operation_id, request.method, request.url, status)
        self.calls.append(record)
        if self.on_call:
            self.on_call(record)

    def call(self, op_id: str, values: dict[str, Any] | None = None, *, expect: str | tuple[int, ...] = "2xx",
             notification_url: str | None = None) -> Answer:
        """Call an operation; fail unless the status is expected; check the answer against its schema."""
        op = self.folder.operation(op_id)
        request = self.builder.build(op, dict(values or {}), notification_url)
        response, attempts = self.send(request)
        answer = Answer(op, request, response, attempts=attempts, values=dict(values or {}))
        good = response.ok if expect == "2xx" else response.status in expect
        if not good:
            raise ContractFailure(op.id, f"{op.method} {_path(request.url)} answered {response.status}, expected "
                                         f"{expect if isinstance(expect, str) else ' or '.join(map(str, expect))}: "
                                         f"{response.text()}")
        answer.data = self.check_answer(op, response)
        return answer

    def follow(self, op: OperationSpec, location: str) -> Answer:
        """GET a Location an answer of ``op`` gave (a polling trigger's next poll), with the connection's
        authentication; the answer is checked against ``op``'s responses."""
        url = urljoin(self.builder.base_url + "/", location)
        request = HttpRequest("GET", url, httpx.Headers({"Accept": "application/json"}), operation_id=op.id)
        response, attempts = self.send(request)
        if not response.ok:
            raise ContractFailure(op.id, f"GET {_path(url)} (its Location) answered {response.status}: "
                                         f"{response.text()}")
        answer = Answer(op, request, response, attempts=attempts)
        answer.data = self.check_answer(op, response)
        return answer

    def check_answer(self, op: OperationSpec, response: HttpResponse) -> Any:
        declared = op.response(response.status)
        if declared is None:
            if response.status == 202 and op.is_trigger and op.method == "GET":
                return _lenient_json(response)  # a polling trigger's "nothing new yet": the platform's contract
            if response.ok:
                raise ContractFailure(op.id, f"answered {response.status}, which the swagger does not declare "
                                             f"(declared: {', '.join(op.data.get('responses') or {}) or 'none'})")
            return _lenient_json(response)
        key, spec = declared
        where = f"{op.id} response {key}"
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if schema is None:
            return _lenient_json(response)
        if not response.body.strip():
            raise ContractFailure(where, "declares a schema but the answer has no body")
        try:
            data = response.json()
        except ValueError as exc:
            raise ContractFailure(where, f"the answer is not JSON ({exc}): {response.text()}") from None
        validate(self.folder.swagger, schema, data, where)
        return data

    # -- dropdowns ---------------------------------------------------------------------------------
    def dropdowns(self, op_id: str) -> list[Dropdown]:
        return dd_mod.dropdowns(self.folder, self.folder.operation(op_id))

    def options(self, dropdown: Dropdown, chosen: dict[str, Any]) -> list[Option]:
        args = dd_mod.arguments(self.folder, dropdown, chosen)
        try:
            answer = self.call(dropdown.operation_id, args)
        except ContractFailure as exc:
            raise ContractFailure(dropdown.label, f"filling the dropdown failed: {exc}") from None
        return dd_mod.options_from(dropdown, answer.data)

    def prepare(self, op_id: str, given: dict[str, Any] | None = None,
                choose: Callable[[Dropdown, list[Option]], Option] | None = None) -> tuple[dict[str, Any], dict]:
        """Fill an operation's values the way a flow author does in the designer: open every dropdown (in
        the order its references need), pick an option for required ones the author did not set (and for
        those set to PICK). Returns (values, {dropdown label: options})."""
        op = self.folder.operation(op_id)
        values = _copy(given or {})
        seen: dict[str, list[Option]] = {}
        all_dds = dd_mod.dropdowns(self.folder, op)

        def is_set(name: str) -> bool:
            found, value = dd_mod.get_value(values, name)
            return found and value is not None and value is not PICK

        for dd in dd_mod.order(all_dds, is_set):
            opts = self.options(dd, values)
            seen[dd.label] = opts
            if dd_mod.ITEMS in dd.target:
                _pick_items(values, dd, opts, choose)
                continue
            found, current = dd_mod.get_value(values, dd.target)
            wants = current is PICK or (not found and dd.required and _parent_present(values, dd.target))
            if not wants:
                continue
            if not opts:
                raise ContractFailure(dd.label, f"is required but its dropdown ({dd.operation_id}) offers no "
                                                "option")
            chosen = choose(dd, opts) if choose else opts[0]
            _set(values, dd.target, chosen.value)
        return values, seen

    # -- webhooks ----------------------------------------------------------------------------------
    def subscribe(self, op_id: str, values: dict[str, Any]) -> Subscription:
        """Register a webhook trigger with a fresh callback URL, as the platform does when a flow is saved."""
        op = self.folder.operation(op_id)
        if self.receiver is None:
            raise ContractFailure(op.id, "no callback receiver to register with")
        if op.notification is None:
            raise ContractFailure(f"{op.id} {op.pointer}", "the trigger's path has no x-ms-notification-content: "
                                                           "the platform cannot read what it sends")
        key, url = self.receiver.endpoint()
        answer = self.call(op_id, values, notification_url=url)
        location = answer.headers.get("location")
        if not location:
            raise ContractFailure(op.id, f"the registration answer ({answer.status}) has no Location header; the "
                                         "platform could never delete this webhook")
        absolute = urljoin(answer.request.url, location)
        return Subscription(op, answer, key, url, absolute)

    def notification(self, sub: Subscription, timeout: float) -> Any | None:
        """The next notification sent to the subscription's callback, checked against the trigger's
        x-ms-notification-content; None when nothing arrives within ``timeout``."""
        delivery = self.receiver.wait(sub.key, timeout) if self.receiver else None
        if delivery is None:
            return None
        return self.check_notification(sub, delivery)

    def check_notification(self, sub: Subscription, delivery: Delivery) -> Any:
        op = sub.op
        where = f"{op.id} x-ms-notification-content ({op.pointer.rsplit('/', 1)[0]}/x-ms-notification-content)"
        expected_query = urlsplit(sub.callback_url).query
        if urlsplit(delivery.path).query != expected_query:
            raise ContractFailure(op.id, f"the notification came to {delivery.path}, not the callback URL "
                                         f"registered (query string '{expected_query}' lost)")
        try:
            data = json.loads(delivery.body.decode("utf-8-sig")) if delivery.body.strip() else None
        except ValueError as exc:
            raise ContractFailure(where, f"the notification is not JSON: {exc}") from None
        schema = (op.notification or {}).get("schema")
        if schema is not None:
            validate(self.folder.swagger, schema, data, where)
        return data

    def unsubscribe(self, sub: Subscription) -> HttpResponse:
        """Delete the subscription through the Location header, as the platform does when a flow is
        turned off or deleted."""
        op = self.match(sub.location, "DELETE")
        request = HttpRequest("DELETE", sub.location, httpx.Headers({"Accept": "application/json"}),
                              operation_id=op.id if op else None)
        response, _ = self.send(request)
        if not response.ok:
            raise ContractFailure(f"{sub.op.id} Location {sub.location}",
                                  f"DELETE answered {response.status}: {response.text()}; the webhook stays")
        if op is not None:
            self.check_answer(op, response)
        sub.deleted = True
        return response

    def match(self, url: str, method: str) -> OperationSpec | None:
        """The operation whose path template matches an absolute URL under the base URL."""
        base = urlsplit(self.builder.base_url)
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(base.path):
            return None
        rest = parts.path[len(base.path.rstrip("/")):]
        for op in self.folder.operations.values():
            if op.method != method:
                continue
            pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(op.path)) + "/?$"
            if re.match(pattern, rest) or re.match(pattern, unquote(rest)):
                return op
        return None

    def close(self) -> None:
        self.transport.close()
        close_auth = getattr(self.auth, "close", None)
        if close_auth is not None:
            close_auth()


# -- helpers -----------------------------------------------------------------------------------------
def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _lenient_json(response: HttpResponse) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.body.decode("utf-8", "replace")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _set(values: dict[str, Any], target: tuple[str, ...], value: Any) -> None:
    node = values
    for step in target[:-1]:
        node = node.setdefault(step, {})
    node[target[-1]] = value


def _parent_present(values: dict[str, Any], target: tuple[str, ...]) -> bool:
    """A required body field matters only when its enclosing object is sent (top-level: always)."""
    if len(target) <= 2:
        return True
    found, parent = dd_mod.get_value(values, target[:-1])
    return found and isinstance(parent, dict)


def _pick_items(values: dict[str, Any], dd: Dropdown, opts: list[Option],
                choose: Callable[[Dropdown, list[Option]], Option] | None) -> None:
    """Array items with a dropdown: PICK entries become an option's value."""
    found, items = dd_mod.get_value(values, dd.target[:-1])
    if not found or not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if item is PICK:
            if not opts:
                raise ContractFailure(dd.label, f"item {i} asks for an option but {dd.operation_id} offers none")
            items[i] = (choose(dd, opts) if choose else opts[0]).value


__all__ = ["PlatformClient", "Answer", "Subscription", "PICK", "pointer"]
