"""The connector and its operations: what the author declares once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, Mapping, Union

from .schema import Definition, Parameter, Response, Schema, Visibility
from .transforms import Transform


@dataclass(frozen=True, kw_only=True)
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
    notification: Schema | None = None  # webhook payload: x-ms-notification-content on the path item
    notification_description: str | None = None
    webhook_delete: "Operation | None" = None  # trigger only: the operation that removes a subscription
    subscription_id: str = "id"  # trigger only: where the registration answer carries the subscription id
    scope: str | None = None  # the OAuth scope a call needs (the mock enforces it; swagger applies security globally)
    tags: tuple[str, ...] = ()
    consumes: tuple[str, ...] | None = None
    produces: tuple[str, ...] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # operation-level keys kept verbatim
    path_extra: Mapping[str, Any] = field(default_factory=dict)  # path-item-level keys kept verbatim

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


@dataclass(frozen=True, kw_only=True)
class Contact:
    name: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
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


@dataclass(frozen=True, kw_only=True)
class ApiKey:
    """An API key sent with every call (swagger ``apiKey``), in a header or the query string."""

    name: str  # the header or query parameter that carries the key
    location: Literal["header", "query"] = "header"
    security_name: str = "api_key"
    description: str | None = None


@dataclass(frozen=True, kw_only=True)
class BasicAuth:
    """User name and password (swagger ``basic``)."""

    security_name: str = "basic_auth"
    description: str | None = None


Security = Union[OAuth2, ApiKey, BasicAuth]


@dataclass(frozen=True, kw_only=True)
class Throttling:
    calls: int
    period_seconds: int


@dataclass(frozen=True, kw_only=True)
class Readme:
    """What the certification readme says that no operation tells: each entry is one paragraph or list item
    (Markdown allowed). ``deployment`` holds steps after the connector is deployed (signing in, first use)."""

    prerequisites: tuple[str, ...] = ()
    credentials: tuple[str, ...] = ()
    known_issues: tuple[str, ...] = ()
    deployment: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Connector:
    title: str
    description: str | None  # None: the swagger has no info.description (imported connectors only)
    version: str = "1.0"
    contact: Contact | None = None
    website: str | None = None
    privacy_policy: str | None = None
    categories: tuple[str, ...] = ()
    brand_color: str = "#da3b01"
    publisher: str | None = None
    stack_owner: str | None = None
    host: str
    base_path: str | None = "/"  # None: no basePath key (imported connectors only)
    schemes: tuple[str, ...] = ("https",)
    consumes: tuple[str, ...] | None = ("application/json",)  # None: no top-level consumes key
    produces: tuple[str, ...] | None = ("application/json",)  # None: no top-level produces key
    security: Security | None = None
    operations: tuple[Operation, ...] = ()
    # Reusable declarations written under definitions / parameters / responses even when no operation refers
    # to them (an imported swagger may declare more than it uses); those in use need not be listed.
    declarations: tuple[Definition | Parameter | Response, ...] = ()
    throttling: Throttling | None = None
    icon_glyph: str | None = None  # a few letters drawn on the icon; None: the title's initials
    capabilities: tuple[str, ...] = ()  # apiProperties "capabilities" (e.g. "actions"); most connectors: none
    transforms: tuple[Transform, ...] = ()  # what script.csx does (model/transforms.py); none: no script
    readme: Readme | None = None  # certification readme text that operations do not give
    extra: Mapping[str, Any] = field(default_factory=dict)  # root-level swagger keys kept verbatim
    info_extra: Mapping[str, Any] = field(default_factory=dict)
    paths_extra: Mapping[str, Any] = field(default_factory=dict)  # path items without operations, verbatim
    properties_extra: Mapping[str, Any] = field(default_factory=dict)  # apiProperties keys kept verbatim
    script_source: str | None = None  # a hand-written script.csx kept verbatim (connector import --script)

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
