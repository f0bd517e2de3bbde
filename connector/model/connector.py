"""The connector and its operations: what the author declares once."""

from __future__ import annotations

import sys
from dataclasses import field, replace
from pathlib import Path, PurePath
from typing import Any, Literal, Mapping, Union

from .base import ModelError, model, place, refuse_overrides
from .schema import Definition, Parameter, Response, Schema, Visibility, _refuse_set
from .transforms import CorrelationIdHeader, Transform, WebhookLocation


@model
class TriggerMetadata:
    """``x-ms-trigger-metadata`` of a trigger: how the platform runs it. A polling trigger (the platform calls it
    on a schedule, the answer's ``Location`` and ``Retry-After`` say where and when to ask next) is
    ``TriggerMetadata(kind="query", mode="polling")``, the defaults; ``extra`` adds keys verbatim."""

    _noun = "trigger metadata"

    kind: str = "query"
    mode: str = "polling"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def _check(self) -> None:
        for name in ("kind", "mode"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ModelError(f"trigger metadata: {name}={getattr(self, name)!r} must be a non-empty string "
                                 "(a polling trigger: kind='query', mode='polling').")
        refuse_overrides(self, self.extra, {"kind": "kind", "mode": "mode"})


@model
class Operation:
    """One action, trigger or internal helper.

    ``kind`` follows from the declaration: a ``trigger`` ("single" or "batch") makes it a trigger,
    ``visibility="internal"`` an internal helper, anything else an action.
    """

    id: str
    method: str
    path: str
    summary: str | None = None
    description: str | None = None
    parameters: tuple[Parameter, ...] = ()
    responses: tuple[Response, ...] = ()
    visibility: Visibility | None = None
    deprecated: bool = False
    trigger: Literal["single", "batch"] | None = None
    trigger_hint: str | None = None
    trigger_metadata: TriggerMetadata | None = None  # trigger only: x-ms-trigger-metadata (polling)
    notification: Schema | None = None  # webhook payload: x-ms-notification-content on the path item
    notification_description: str | None = None
    webhook_delete: "Operation | None" = None  # trigger only: the operation that removes a subscription
    subscription_id: str = "id"  # trigger only: where the registration answer carries the subscription id
    # The OAuth scope a call needs (the mock enforces it; swagger applies security globally), relative to the
    # connector's scope_prefix when it has one. Connector.scope_of(op) gives the full scope.
    scope: str | None = None
    tags: tuple[str, ...] = ()
    consumes: tuple[str, ...] | None = None
    produces: tuple[str, ...] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # operation-level keys kept verbatim
    path_extra: Mapping[str, Any] = field(default_factory=dict)  # path-item-level keys kept verbatim

    def _check(self) -> None:
        for name, kinds, what in (("parameters", Parameter, "path(...), query(...), header(...) or body(...)"),
                                  ("responses", Response, "Response(status=..., description=...)")):
            for index, item in enumerate(getattr(self, name)):
                if not isinstance(item, kinds):
                    raise ModelError(f"{place(self)}: {name}[{index}] is {item!r}, not a {kinds.__name__}; "
                                     f"declare it with {what}.")
        if self.webhook_delete is not None and not isinstance(self.webhook_delete, Operation):
            raise ModelError(f"{place(self)}: webhook_delete={self.webhook_delete!r} is not an Operation; pass the "
                             "Operation that deletes a subscription.")
        if self.trigger_metadata is not None and not isinstance(self.trigger_metadata, TriggerMetadata):
            raise ModelError(f"{place(self)}: trigger_metadata={self.trigger_metadata!r} is not a TriggerMetadata; "
                             "write trigger_metadata=TriggerMetadata(kind='query', mode='polling').")
        if self.trigger_metadata is not None and not self.trigger:
            raise ModelError(f"{place(self)}: trigger_metadata applies to triggers only; set trigger='single' or "
                             "'batch', or remove trigger_metadata.")
        if self.webhook_delete is not None and not self.trigger:
            raise ModelError(f"{place(self)}: webhook_delete applies to triggers only; set trigger='single' or "
                             "'batch', or remove webhook_delete.")
        _refuse_set(self, "operation", skip=("parameters", "responses"))

    @property
    def kind(self) -> Literal["trigger", "internal", "action"]:
        if self.trigger:
            return "trigger"
        if self.visibility == "internal":
            return "internal"
        return "action"

    @property
    def body(self) -> Parameter | None:
        return next((p for p in self.parameters if p.location == "body"), None)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@model
class Contact:
    name: str | None = None
    email: str | None = None
    url: str | None = None


@model
class OAuth2:
    """OAuth 2.0 authorization-code sign-in (swagger ``accessCode``; apiProperties ``oauthSetting``)."""

    authorization_url: str
    token_url: str
    refresh_url: str | None = None
    scopes: tuple[str, ...] = ()
    identity_provider: str = "oauth2"
    client_id: str = "[[CLIENT_ID]]"  # a placeholder: the real one is filled in at deploy time
    redirect_mode: str = "GlobalPerConnector"
    security_name: str = "oauth2_auth"
    flow: str = "accessCode"
    scope_description: str = ""

    @property
    def scope(self) -> str:
        return " ".join(self.scopes)


@model
class ApiKey:
    """An API key sent with every call (swagger ``apiKey``), in a header or the query string."""

    name: str  # the header or query parameter that carries the key
    location: Literal["header", "query"] = "header"
    security_name: str = "api_key"
    description: str | None = None


@model
class BasicAuth:
    """User name and password (swagger ``basic``)."""

    security_name: str = "basic_auth"
    description: str | None = None


Security = Union[OAuth2, ApiKey, BasicAuth]


@model
class Throttling:
    calls: int
    period_seconds: int


@model
class Readme:
    """What the certification readme says that no operation tells: each entry is one paragraph or list item
    (Markdown allowed). ``deployment`` holds steps after the connector is deployed (signing in, first use)."""

    prerequisites: tuple[str, ...] = ()
    credentials: tuple[str, ...] = ()
    known_issues: tuple[str, ...] = ()
    deployment: tuple[str, ...] = ()


@model
class Imported:
    """What ``connector import`` keeps so that a build gives the imported files back unchanged: the parts of
    the swagger and apiProperties the model has no field for. Only import fills it; only build reads it. A
    connector written by hand leaves it out."""

    info_extra: Mapping[str, Any] = field(default_factory=dict)  # info keys kept verbatim
    paths_extra: Mapping[str, Any] = field(default_factory=dict)  # path items without operations, verbatim
    properties_extra: Mapping[str, Any] = field(default_factory=dict)  # apiProperties keys kept verbatim
    script_source: str | None = None  # a hand-written script.csx kept verbatim (connector import --script)
    # Reusable declarations written under definitions / parameters / responses even when no operation refers
    # to them (an imported swagger may declare more than it uses); those in use need not be listed.
    declarations: tuple[Definition | Parameter | Response, ...] = ()


_MODEL_DIR = Path(__file__).resolve().parent


def _declaring_dir() -> Path:
    """The folder of the Python file whose code is constructing a Connector (the current directory when that
    code is not in a file, e.g. typed at a prompt)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith("<") and Path(name).resolve().parent != _MODEL_DIR and not name.endswith(
                "dataclasses.py"):
            file = Path(name)
            return file.resolve().parent if file.is_file() else Path.cwd()
        frame = frame.f_back
    return Path.cwd()


def _declared_file(connector: Any, name: str, value: str | PurePath) -> Path:
    """``value`` as an absolute path to an existing file (a relative one: from the declaring file's folder)."""
    file = Path(value)
    if not file.is_absolute():
        file = _declaring_dir() / file
    if not file.is_file():
        raise ModelError(f"{place(connector)}: {name}={str(value)!r}: there is no file {file}; give the path of the "
                         f"{'PNG icon' if name == 'icon' else 'Markdown readme'} (relative to the file declaring the "
                         f"connector), or leave {name} out.")
    return file


@model
class Connector:
    """The connector: its identity, host, sign-in and operations, and the defaults its operations share.

    - ``default_response``: the answer every operation has unless it declares a ``default`` one itself.
    - ``scope_prefix``: operations name their OAuth scope relative to it (``scope="Gateway.Send"``); the
      sign-in asks for ``security.scopes`` (in that order; an entry naming an operation's relative scope is
      prefixed too) followed by every other operation scope, in operation order.
    """

    title: str
    description: str | None  # None: the swagger has no info.description (imported connectors only)
    version: str = "1.0"
    contact: Contact | None = None
    website: str | None = None
    privacy_policy: str | None = None
    categories: tuple[str, ...] = ()
    brand_color: str | None = "#da3b01"  # None: no iconBrandColor key (an imported file without one)
    publisher: str | None = None
    stack_owner: str | None = None
    host: str
    base_path: str | None = "/"  # None: no basePath key (imported connectors only)
    schemes: tuple[str, ...] = ("https",)
    consumes: tuple[str, ...] | None = ("application/json",)  # None: no top-level consumes key
    produces: tuple[str, ...] | None = ("application/json",)  # None: no top-level produces key
    security: Security | None = None
    scope_prefix: str | None = None
    operations: tuple[Operation, ...] = ()
    default_response: Response | None = None
    throttling: Throttling | None = None
    icon_glyph: str | None = None  # a few letters drawn on the icon; None: the title's initials
    # icon.png copied unchanged from this file instead of drawn (relative: to the file declaring the connector)
    icon: Path | None = None
    # apiProperties "capabilities" (e.g. "actions"); most connectors: none. None: no "capabilities" key at all
    # (an imported apiProperties.json without one)
    capabilities: tuple[str, ...] | None = ()
    transforms: tuple[Transform, ...] = ()  # what script.csx does (model/transforms.py); none: no script
    # certification readme text that operations do not give; or a file (Path or str, relative: to the file
    # declaring the connector) that the build copies unchanged as readme.md
    readme: Readme | Path | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # root-level swagger keys kept verbatim
    imported: Imported = field(default_factory=Imported)  # round-trip parts of an imported connector

    def _check(self) -> None:
        if self.operations is None:
            raise ModelError(f"{place(self)}: operations=None; give a tuple of Operations, e.g. "
                             "operations=operations_in(globals()), or () for none.")
        for index, op in enumerate(self.operations):
            if not isinstance(op, Operation):
                raise ModelError(f"{place(self)}: operations[{index}] is {op!r}, not an Operation; list the "
                                 "Operation objects themselves (or use operations_in(globals())).")
        for name, kinds in (("security", (OAuth2, ApiKey, BasicAuth)), ("default_response", (Response,)),
                            ("imported", (Imported,))):
            value = getattr(self, name)
            if value is not None and not isinstance(value, kinds):
                raise ModelError(f"{place(self)}: {name}={value!r} is not a {' or '.join(k.__name__ for k in kinds)}.")
        for index, t in enumerate(self.transforms):
            if not isinstance(t, (CorrelationIdHeader, WebhookLocation)):
                raise ModelError(f"{place(self)}: transforms[{index}] is {t!r}; use CorrelationIdHeader(...) or "
                                 "WebhookLocation(...).")
        for name in ("icon", "readme"):
            value = getattr(self, name)
            if isinstance(value, (str, PurePath)):
                object.__setattr__(self, name, _declared_file(self, name, value))
            elif value is not None and not (name == "readme" and isinstance(value, Readme)):
                what = "Readme(...) or a file path" if name == "readme" else "a file path (a Path or a str)"
                raise ModelError(f"{place(self)}: {name}={value!r} is not {what}.")
        if self.default_response is not None and self.default_response.status != "default":
            raise ModelError(f"{place(self)}: default_response has status '{self.default_response.status}'; "
                             "the response every operation shares is the 'default' one (status=\"default\").")
        if isinstance(self.security, OAuth2):
            object.__setattr__(self, "security", replace(self.security, scopes=self._sign_in_scopes()))

    def _sign_in_scopes(self) -> tuple[str, ...]:
        assert isinstance(self.security, OAuth2)
        relative = {op.scope for op in self.operations if op.scope}
        listed = [self.scope_prefix + s if self.scope_prefix and s in relative else s for s in self.security.scopes]
        for op in self.operations:
            full = self.scope_of(op)
            if full and full not in listed:
                listed.append(full)
        return tuple(listed)

    def scope_of(self, op: Operation) -> str | None:
        """The full OAuth scope operation ``op`` needs (its ``scope`` after the connector's ``scope_prefix``)."""
        if op.scope and self.scope_prefix:
            return self.scope_prefix + op.scope
        return op.scope

    def responses_of(self, op: Operation) -> tuple[Response, ...]:
        """The responses of ``op``: its own, then the connector's ``default_response`` unless it has one."""
        if self.default_response is None or any(r.status == "default" for r in op.responses):
            return op.responses
        return (*op.responses, self.default_response)

    def operation(self, operation_id: str) -> Operation | None:
        return next((o for o in self.operations if o.id == operation_id), None)

    @property
    def actions(self) -> list[Operation]:
        return [o for o in self.operations if o.kind == "action"]

    @property
    def triggers(self) -> list[Operation]:
        return [o for o in self.operations if o.kind == "trigger"]

    @property
    def visible_operations(self) -> list[Operation]:
        return [o for o in self.operations if o.kind != "internal"]

    @property
    def glyph(self) -> str:
        """The letters drawn on the icon: ``icon_glyph``, or the initials of the title's words."""
        if self.icon_glyph:
            return self.icon_glyph
        words = "".join(ch if ch.isalnum() else " " for ch in self.title).split()
        return "".join(w[0] for w in words[:3]).upper() or "?"

    def replace(self, **changes: Any) -> "Connector":
        return replace(self, **changes)


_KIND_ORDER = {"action": 0, "trigger": 1, "internal": 2}


def operations_in(namespace: Mapping[str, Any]) -> tuple[Operation, ...]:
    """Every Operation bound to a name in ``namespace`` (a module's ``globals()``), each once, in the order the
    designer lists them: actions, then triggers, then internal helpers, each group in declaration order.

    Python wants a dropdown's helper operation declared before the action that uses it; this lets a module
    declare them in that order and still list the actions first, without naming every operation again."""
    seen: dict[int, Operation] = {}
    for name, value in namespace.items():
        if isinstance(value, Operation) and not name.startswith("_") and id(value) not in seen:
            seen[id(value)] = value
    return tuple(sorted(seen.values(), key=lambda o: _KIND_ORDER[o.kind]))
