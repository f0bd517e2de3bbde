"""``connector preview --mock-url``: fill each dropdown with the values a running mock returns, the way the
designer fills it. Per card, dropdowns are opened in order; an argument that refers to another parameter
(``{"parameter": "Customer-Id"}``) takes that parameter's first value (or its default), as a user who picks
the first entry would. Sign-in is the OAuth flow of the connector's apiProperties, pointed at the mock
(``prompt=none`` as user ``demo``, with the mock's default client), so no page is shown.

A dropdown whose call fails shows why beside it; a mock that does not answer at all is a usage error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from ..errors import UsageError
from ..generate.profiles import MOCK_AUTHORIZE_PATH, MOCK_TOKEN_PATH
from ..swaggerdoc import effective_parameters, operations_by_id
from .view import Input, Page, _text

LOGIN_HINT = "demo"
REDIRECT = "http://127.0.0.1/connector-preview"  # the mock accepts any loopback redirect URI


def _token(folder: Path, mock_url: str) -> str | None:
    from ..contract.folder import ConnectorFolder, ContractFailure
    from ..contract.oauth import OAuthSession
    from ..mock.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    try:
        settings = ConnectorFolder.load(folder).oauth()
    except ContractFailure as exc:
        raise UsageError(f"cannot sign in to the mock: {exc}") from None
    if settings is None:
        return None
    settings = replace(settings, authorization_url=mock_url + MOCK_AUTHORIZE_PATH,
                       token_url=mock_url + MOCK_TOKEN_PATH, refresh_url=mock_url + MOCK_TOKEN_PATH)
    session = OAuthSession(settings, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, redirect_uri=REDIRECT,
                           authorize_extra={"prompt": "none", "login_hint": LOGIN_HINT})
    try:
        return session.token()
    except ContractFailure as exc:
        raise UsageError(f"cannot sign in to the mock at {mock_url}: {exc}. Is `connector mock` running "
                         "there?") from None
    finally:
        session.close()


def _walk(data: Any, path: str | None) -> tuple[bool, Any]:
    from ..contract.dropdowns import walk

    return walk(data, path)


def options(answer: Any, spec: dict) -> list[tuple[str, str]]:
    """(value, title) pairs from an answer, following value-collection, value-path and value-title."""
    found, items = _walk(answer, spec.get("value-collection"))
    if not found or not isinstance(items, list):
        raise ValueError(f"value-collection {spec.get('value-collection')!r} is not an array in the answer")
    out = []
    for item in items:
        ok, value = _walk(item, spec.get("value-path"))
        ok_title, title = _walk(item, spec.get("value-title")) if spec.get("value-title") else (ok, value)
        if ok and not isinstance(value, (dict, list)):
            out.append((_text(value), _text(title if ok_title else value)))
    return out


def fill_from_mock(page: Page, swagger: dict, mock_url: str, folder: Path) -> None:
    token = _token(folder, mock_url)
    base = mock_url.rstrip("/") + "/" + str(swagger.get("basePath") or "/").strip("/")
    ops = operations_by_id(swagger)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(timeout=10.0, trust_env=False, headers=headers) as http:
        for card in page.cards:
            chosen: dict[str, str] = {i.key: i.default_value for i in card.inputs if i.has_default}
            for item in card.inputs:
                if item.dropdown_spec:
                    _fill(http, base, ops, swagger, item, chosen, mock_url)


def _fill(http: httpx.Client, base: str, ops: dict, swagger: dict, item: Input, chosen: dict[str, str],
          mock_url: str) -> None:
    spec = item.dropdown_spec
    called = ops.get(item.dropdown_operation)
    if called is None:
        item.dropdown_note = "the swagger has no such operation"
        return
    path, method, op = called
    params = {p.get("name"): p for p in effective_parameters(swagger, path, op)}
    url_path, query, headers = path, {}, {}
    for name, arg in (spec.get("parameters") or {}).items():
        if isinstance(arg, dict) and "parameter" in arg:
            value = chosen.get(str(arg["parameter"]))
            if value in (None, ""):
                item.dropdown_note = f"pick {arg['parameter']} first (the mock returned no value for it)"
                return
        else:
            value = _text(arg.get("value") if isinstance(arg, dict) else arg)
        where = (params.get(name) or {}).get("in")
        if where == "path":
            url_path = url_path.replace("{" + name + "}", httpx.URL("/" + value).raw_path.decode()[1:])
        elif where == "header":
            headers[name] = value
        else:
            query[name] = value
    try:
        answer = http.request(method.upper(), base + url_path, params=query, headers=headers)
    except httpx.HTTPError as exc:
        raise UsageError(f"no mock answers at {mock_url} ({type(exc).__name__}); start one with "
                         "`connector mock`.") from None
    if answer.status_code >= 300:
        item.dropdown_note = f"the mock answered {answer.status_code} to {method.upper()} {url_path}"
        return
    try:
        item.choices = options(answer.json(), spec)
    except ValueError as exc:
        item.dropdown_note = f"cannot read the mock's answer: {exc}"
        return
    item.dropdown_note = f"{len(item.choices)} value{'' if len(item.choices) == 1 else 's'} from the mock"
    if item.choices:
        chosen[item.key] = item.choices[0][0]
