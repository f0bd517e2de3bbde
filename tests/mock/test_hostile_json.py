"""Issue #13 "Must show": generated hostile JSON (deep, large, odd unicode, not JSON at all) thrown at every
route of the running mock: never a 5xx, never a hang (each request has a deadline), always a JSON answer."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from connector.generate.profiles import apply_profile
from connector.generate.swagger import to_swagger
from connector.smartdialog import connector as SD

from .conftest import MockServer

# fixture values, so that requests get past "no such customer" into the handlers
PATH_VALUES = {"Customer": "1001", "Customer-Id": "1001", "Group Service": "5201", "Phone": "+358401234567",
               "IdentityNumber": "+358501000300", "Service": "5101", "Pipeline-Id": "5101", "Action-Id": "x",
               "ParentMessageId": "x", "Sender": "+358501000300", "Recipient": "+358401234567"}
HEADERS = {"Customer-Id": "1001", "Service-Id": "5001", "Customer": "1001", "CustomerId": "1001",
           "ServiceType": "OneWay"}
GOOD_BODIES = {
    "/messages": {"Sender": "DemoCo", "Content": "Hello", "Protocol": "SMS",
                  "Recipients": [{"Address": "+358401234567"}]},
    "/groupcontact/{Customer}/{Group Service}": {"phone": "+358401234567", "firstName": "A"},
    "/service/{Service}/pipelines/actions": {"name": "f", "actionType": "HttpRequest", "description": "d",
                                             "options": {"endpointUrl": "http://127.0.0.1:9/x",
                                                         "httpVerb": "POST"}},
    "/_mock/inbound": {"service": "5101", "sender": "+358401234567", "content": "hi"},
}


def routes() -> list[tuple[str, str, str]]:
    """(method, template, URL path) of every API operation and every endpoint of the mock's own."""
    swagger = to_swagger(apply_profile(SD, "mock", "http://127.0.0.1:1"))
    base = swagger["basePath"].rstrip("/")
    found = []
    for template, item in swagger["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                path = re.sub(r"\{([^}]+)\}", lambda m: httpx.URL("/" + PATH_VALUES.get(m.group(1), "x")).raw_path
                              .decode()[1:], template)
                found.append((method.upper(), template, base + path))
    found += [("POST", "/_mock/inbound", "/_mock/inbound"), ("GET", "/_mock/health", "/_mock/health"),
              ("GET", "/_mock/swagger.json", "/_mock/swagger.json"),
              ("POST", "/oauth2/v2.0/token", "/oauth2/v2.0/token"),
              ("POST", "/oauth2/v2.0/authorize", "/oauth2/v2.0/authorize"),
              ("GET", "/oauth2/v2.0/authorize", "/oauth2/v2.0/authorize")]
    return found


ROUTES = routes()

odd_keys = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(["\x00", "\u202e", "\ufeff", "\ud800", "\U0010ffff", "é", "\u0301", "/",
                                      "\\", '"', "{", "%", "\r", "\n"]), max_size=30))
odd_text = st.one_of(odd_keys, st.just("9" * 5000), st.just("x" * 70_000))
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 80), max_value=2 ** 80),
                    st.floats(allow_nan=True, allow_infinity=True), odd_text)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(odd_keys, inner, max_size=4)), max_leaves=20)


@st.composite
def deep(draw) -> object:
    """An array/object chain 1-3,000 levels deep (orjson refuses past 1,024, the mock past 64)."""
    value = draw(scalars)
    shape = draw(st.sampled_from(["list", "dict", "both"]))
    for level in range(draw(st.integers(min_value=1, max_value=3000))):
        value = [value] if shape == "list" or (shape == "both" and level % 2) else {"x": value}
    return value


def encode(value: object) -> bytes:
    """JSON as a careless client writes it (NaN and Infinity as Python writes them, lone surrogates escaped),
    iteratively: json.dumps stops near Python's recursion limit."""
    out: list[str] = []
    stack: list[tuple[bool, object]] = [(False, value)]
    while stack:
        literal, item = stack.pop()
        if literal:
            out.append(item)  # type: ignore[arg-type]
        elif isinstance(item, list):
            out.append("[")
            stack.append((True, "]"))
            for i, v in reversed(list(enumerate(item))):
                stack.append((False, v))
                if i:
                    stack.append((True, ","))
        elif isinstance(item, dict):
            out.append("{")
            stack.append((True, "}"))
            for i, (k, v) in reversed(list(enumerate(item.items()))):
                stack.append((False, v))
                stack.append((True, json.dumps(str(k)) + ":"))
                if i:
                    stack.append((True, ","))
        else:
            out.append(json.dumps(item, allow_nan=True))
    return "".join(out).encode("utf-8")


@st.composite
def bodies(draw, template: str) -> bytes:
    kind = draw(st.sampled_from(["value", "deep", "inside-a-good-body", "bytes", "big"]))
    if kind == "value":
        return encode(draw(values))
    if kind == "deep":
        return encode(draw(deep()))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "big":
        return b'{"a":"' + b"x" * draw(st.sampled_from([70_000, 1_100_000])) + b'"}'
    good = dict(GOOD_BODIES.get(template) or {"a": 1})
    key = draw(st.one_of(st.sampled_from(sorted(good)), odd_keys))
    good[key] = draw(st.one_of(values, deep()))
    return encode(good)


@pytest.fixture(scope="module")
def hostile_target(tmp_path_factory):
    server = MockServer(tmp_path_factory.mktemp("hostile") / "mock.db", "--rate-limit", "0",
                        "--callback-attempts", "1").start()
    token = server.token()
    with httpx.Client(timeout=15) as client:
        yield server, client, token
    server.stop()
    assert "Traceback" not in server.stderr_text()
    assert [e for e in server.log_lines() if (e.get("status") or 0) >= 500] == []


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                   HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_json_at_every_route(hostile_target, data):
    server, client, token = hostile_target
    method, template, path = data.draw(st.sampled_from(ROUTES), label="route")
    body = data.draw(bodies(template), label="body")
    ctype = data.draw(st.sampled_from(["application/json", "application/x-www-form-urlencoded",
                                       "text/plain; charset=utf-16"]), label="content-type")
    headers = {**HEADERS, "Content-Type": ctype, "Authorization": f"Bearer {token}"}
    # a request that cannot finish in 15 s raises here: that is the "never a hang" check
    r = client.request(method, server.url + path, content=body, headers=headers)
    event(f"{r.status_code}")  # --hypothesis-show-statistics shows how far requests got
    assert r.status_code < 500, (method, path, r.status_code, r.text[:300])
    if r.status_code in (204, 302):
        return
    assert r.headers["content-type"].startswith("application/json"), (method, path, r.status_code, r.text[:300])
    answer = r.json()
    if r.status_code >= 400:
        assert isinstance(answer, dict) and answer.get("error"), answer
