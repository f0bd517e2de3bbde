"""Issue #13, one regression test per item the probe broke (1-9, 13a, 13b): the exact status and JSON error
the mock now answers, talking HTTP (or raw bytes where a client library would refuse) to the real server."""

from __future__ import annotations

import base64
import json
import socket
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from connector.mock.config import Settings
from connector.mock.oauth import CACHE_SIZE, AuthorizationServer
from connector.mock.protocol import BAD_REQUEST, MAX_HEAD
from connector.mock.store import Store, hash_password, password_matches
from connector.mock.validation import MAX_JSON_DEPTH
from connector.smartdialog.mock import PLUGIN

from .conftest import ALL_SCOPES, BASE, CLIENT_ID, CLIENT_SECRET, REDIRECT, MockServer

SEND = {"Customer-Id": "1001", "Service-Id": "5001"}
GROUP = "/groupcontact/1001/5201"


def send_body(**extra) -> dict:
    return {"Sender": "DemoCo", "Content": "Hello", "Protocol": "SMS", "Recipients": [{"Address": "+358401234567"}],
            **extra}


def rss_kb(server: MockServer) -> int:
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def raw_exchange(server: MockServer, data: bytes, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are; read until the server closes. Status, headers and body of its answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        return read_answer(s)


def read_answer(s: socket.socket) -> tuple[int, dict[str, str], bytes]:
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


# -- 1. deep JSON --------------------------------------------------------------------------------------------
def nested(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = [value]
    return value


DEEP_POINTER = "/x" + "/0" * (MAX_JSON_DEPTH - 1)


@pytest.mark.parametrize("path, headers, body", [
    (GROUP, {}, {"phone": "+358401112233", "x": nested(490)}),
    ("/messages", SEND, send_body(x=nested(490))),
], ids=["CreateGroupContact", "SendMessage"])
def test_1_deep_json_is_a_400_naming_the_field(api, path, headers, body):
    # json.dumps: httpx's own encoder would stop at this depth
    r = api.post(path, headers={**headers, "Content-Type": "application/json"}, content=json.dumps(body))
    assert r.status_code == 400, r.text
    answer = r.json()
    assert answer["error"] == "invalid_request"
    assert answer["message"] == (f"body {DEEP_POINTER!r}: nests deeper than {MAX_JSON_DEPTH} levels (the mock "
                                 f"accepts up to {MAX_JSON_DEPTH})")
    assert answer["problems"] == [{"in": "body", "pointer": DEEP_POINTER,
                                   "reason": f"nests deeper than {MAX_JSON_DEPTH} levels (the mock accepts up to "
                                             f"{MAX_JSON_DEPTH})"}]


def test_1_deep_json_at_the_inbound_endpoint(mock_server):
    r = httpx.post(mock_server.url + "/_mock/inbound", content=json.dumps({"service": "5101", "x": nested(490)}),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json() == {
        "error": "invalid_request", "pointer": DEEP_POINTER,
        "message": f"{DEEP_POINTER}: nests deeper than {MAX_JSON_DEPTH} levels (the mock accepts up to "
                   f"{MAX_JSON_DEPTH})"}


def test_1_undeclared_nesting_within_the_limit_is_accepted(api):
    phone = "+358401112299"
    r = api.post(GROUP, json={"phone": phone, "x": nested(40)})
    assert r.status_code == 200, r.text
    assert api.delete(f"{GROUP}/{phone}").status_code == 200


# -- 2. a bad Basic header -----------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["Basic é".encode("utf-8"), b"Basic \xe9", b"Basic !!!",
                                   b"Basic " + base64.b64encode(b"\xff\xfe:x")])
def test_2_a_malformed_basic_header_is_401_json(mock_server, value):
    r = httpx.post(mock_server.url + "/oauth2/v2.0/token", headers={"Authorization": value},
                   data={"grant_type": "authorization_code", "code": "x", "redirect_uri": REDIRECT})
    assert r.status_code == 401
    assert r.json() == {"error": "invalid_client", "error_description": "the Basic authorization header is "
                        "malformed: give base64(client_id:client_secret)"}


# -- 3. body size enforced while reading -----------------------------------------------------------------------
@pytest.mark.parametrize("path, limit", [("/_mock/inbound", 1024 * 1024), ("/oauth2/v2.0/token", 64 * 1024),
                                         ("/oauth2/v2.0/authorize", 64 * 1024), (BASE + "/messages", 1024 * 1024)])
def test_3_chunked_body_without_login_stops_at_the_limit(mock_server, path, limit):
    before = rss_kb(mock_server)
    chunk = b"x" * 65536
    sent = 0
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", mock_server.port), timeout=10) as s:
        s.sendall(head)
        try:
            while sent < 256 * 1024 * 1024:  # a client that would send 256 MB
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
        except OSError:  # the server answered and closed: it stopped reading
            pass
        status, headers, body = read_answer(s)
    if path.startswith(BASE):  # the API wants a token before it reads a body
        assert status == 401 and json.loads(body)["error"] == "unauthorized"
    else:
        assert status == 413 and headers["content-type"].startswith("application/json")
        assert json.loads(body) == {"error": "payload_too_large", "message": f"the body is larger than {limit} bytes"}
    assert sent < 64 * 1024 * 1024, f"the server read {sent} bytes before answering"
    assert rss_kb(mock_server) - before < 30 * 1024


def test_3_a_declared_length_over_the_limit_is_refused_before_reading(mock_server):
    status, headers, body = raw_exchange(mock_server, b"POST /_mock/inbound HTTP/1.1\r\nHost: x\r\n"
                                         b"Content-Type: application/json\r\nContent-Length: 805306368\r\n\r\n{")
    assert status == 413 and json.loads(body) == {"error": "payload_too_large",
                                                  "message": "the body is larger than 1048576 bytes"}


# -- 4. forged tokens ----------------------------------------------------------------------------------------
def test_4_forged_tokens_leave_memory_bounded(mock_server):
    before = rss_kb(mock_server)
    url = mock_server.url + BASE + "/customers"
    with httpx.Client() as client:
        for i in range(2000):
            token = f"{i:06d}" + "A" * 4000
            r = client.get(url, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 401 and r.json()["error"] == "invalid_token"
    assert rss_kb(mock_server) - before < 20 * 1024
    huge = httpx.get(url, headers={"Authorization": "Bearer " + "B" * (1024 * 1024)})
    assert huge.status_code == 431 and huge.json() == {
        "error": "request_header_fields_too_large",
        "message": f"the request line and headers are larger than {MAX_HEAD} bytes"}


def test_4_the_token_cache_is_keyed_by_digest_and_bounded(tmp_path):
    store = Store(":memory:")
    store.seed(None)
    server = AuthorizationServer(Settings(db=":memory:"), store, ("a",))
    for i in range(CACHE_SIZE + 500):
        assert server.grant_for(f"forged-{i}") is None
    assert len(server._cache) == CACHE_SIZE
    assert all(len(key) == 64 and not key.startswith("forged") for key in server._cache)
    assert server.grant_for("x" * 5000) is None and len(server._cache) == CACHE_SIZE
    store.close()


# -- 5. tokens carry their client ------------------------------------------------------------------------------
def test_5_a_token_is_refused_after_a_restart_with_another_client(tmp_path):
    db = tmp_path / "mock.db"
    first = MockServer(db).start()
    try:
        token = first.token()
        assert httpx.get(first.url + BASE + "/customers", headers={"Authorization": f"Bearer {token}"}) \
            .status_code == 200
    finally:
        first.stop()
    second = MockServer(db, "--client-id", "another-client").start()
    try:
        r = httpx.get(second.url + BASE + "/customers", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401
        assert r.json() == {"error": "invalid_token", "message": "the access token was issued to another client id "
                            "than this mock's; sign in again"}
    finally:
        second.stop()


# -- 6. callback URLs checked at registration --------------------------------------------------------------
BAD_CALLBACKS = [
    ("file:///etc/passwd", "must be an absolute http(s) URL"),
    ("not a url", "must be an absolute http(s) URL"),
    ("gopher://127.0.0.1/x", "must be an absolute http(s) URL"),
    ("http://169.254.169.254/latest", "host '169.254.169.254' is not allowed: the mock calls back only loopback "
                                      "addresses unless --allow-callback-host 169.254.169.254 is given"),
    ("http://127.0.0.1:99999/x", "is not a valid URL (Port out of range 0-65535)"),
    ("http://127.0.0.1/a\u202eb", "holds white space or control characters; percent-encode them"),
]


@pytest.mark.parametrize("url, reason", BAD_CALLBACKS)
def test_6_bad_webhook_urls_are_400_at_registration(api, url, reason):
    body = {"name": "flow", "actionType": "HttpRequest", "description": "d",
            "options": {"endpointUrl": url, "httpVerb": "POST"}}
    r = api.post("/service/5101/pipelines/actions", headers={"Customer": "1001"}, json=body)
    assert r.status_code == 400
    assert r.json() == {"error": "invalid_request", "message": f"/options/endpointUrl: {url!r} {reason}",
                        "pointer": "/options/endpointUrl", "operationId": "NewMessage"}


@pytest.mark.parametrize("url, reason", BAD_CALLBACKS)
def test_6_bad_dlr_urls_are_400_and_nothing_is_sent(api, mock_server, url, reason):
    before = count(mock_server, "messages")
    r = api.post("/messages", headers=SEND, json=send_body(DlrUrl=url))
    assert r.status_code == 400
    assert r.json() == {"error": "invalid_request", "message": f"/DlrUrl: {url!r} {reason}", "pointer": "/DlrUrl",
                        "operationId": "SendMessage"}
    assert count(mock_server, "messages") == before


def count(server: MockServer, table: str) -> int:
    with sqlite3.connect(f"file:{server.db}?mode=ro", uri=True) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# -- 7. recipients validated like group contacts ----------------------------------------------------------
BAD_NUMBERS = [
    ("", "'' is not a valid phone number in region(s) FI"),
    (" ", "' ' is not a valid phone number in region(s) FI"),
    ("+", "'+' is not a valid phone number in region(s) FI"),
    ("\x00", "'\\x00' is not a phone number: it is longer than 64 characters or holds control or formatting "
             "characters (such as a NUL or a right-to-left override)"),
    ("9" * 5000, "'" + "9" * 40 + "'... (5000 characters) is not a phone number: it is longer than 64 characters "
                 "or holds control or formatting characters (such as a NUL or a right-to-left override)"),
    ("\u202e+358401234567", "'\\u202e+358401234567' is not a phone number: it is longer than 64 characters or "
                            "holds control or formatting characters (such as a NUL or a right-to-left override)"),
]


@pytest.mark.parametrize("address, reason", BAD_NUMBERS, ids=["empty", "space", "plus", "nul", "5000-digits", "rlo"])
def test_7_bad_recipients_are_400_like_group_contacts(api, mock_server, address, reason):
    before = count(mock_server, "messages")
    r = api.post("/messages", headers=SEND,
                 json=send_body(Recipients=[{"Address": "+358401234567"}, {"Address": address}]))
    assert r.status_code == 400
    assert r.json() == {"error": "invalid_request", "message": f"/Recipients/1/Address: {reason}",
                        "pointer": "/Recipients/1/Address", "operationId": "SendMessage"}
    assert count(mock_server, "messages") == before
    contact = api.post(GROUP, json={"phone": address})
    assert contact.status_code == 400 and contact.json()["message"] == reason


# -- 8. header timeout, 9. protocol-level errors are JSON ---------------------------------------------------
@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    server = MockServer(tmp_path_factory.mktemp("quick") / "mock.db", "--header-timeout", "1").start()
    yield server
    server.stop()


def test_8_connections_with_partial_headers_are_closed(quick):
    sockets = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", quick.port), timeout=10)
        s.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        sockets.append(s)
    idle = socket.create_connection(("127.0.0.1", quick.port), timeout=10)  # never sends a byte
    started = time.monotonic()
    answers = [read_answer(s) for s in [*sockets, idle]]
    waited = time.monotonic() - started
    for s in [*sockets, idle]:
        s.close()
    assert waited < 8
    for status, headers, body in answers:
        assert status == 408 and headers["connection"] == "close"
        assert json.loads(body) == {"error": "request_timeout", "message": "the request line and headers did not "
                                    "arrive within 1 s; the connection is closed"}
    assert httpx.get(quick.url + "/_mock/health").status_code == 200  # still serving


@pytest.mark.parametrize("request_bytes, status, answer", [
    (b"FO\x01O / HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"error": "bad_request", "message": BAD_REQUEST}),
    (b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400,
     {"error": "bad_request", "message": BAD_REQUEST}),
    (b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 431,
     {"error": "request_header_fields_too_large",
      "message": f"the request line and headers are larger than {MAX_HEAD} bytes"}),
    (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400,
     {"error": "bad_request", "message": BAD_REQUEST}),
], ids=["bad-method", "raw-0xff-in-path", "100-KB-path", "bad-header-name"])
def test_9_protocol_errors_are_json(quick, request_bytes, status, answer):
    got_status, headers, body = raw_exchange(quick, request_bytes)
    assert got_status == status and headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(body) == answer


def test_9_sign_in_errors_are_json_for_programs_and_html_for_browsers(mock_server):
    params = {"client_id": "nobody", "redirect_uri": REDIRECT, "response_type": "code", "scope": ALL_SCOPES}
    r = httpx.get(mock_server.url + "/oauth2/v2.0/authorize", params=params)
    assert r.status_code == 400 and r.json() == {
        "error": "invalid_client", "message": "unknown client_id 'nobody'; start the mock with --client-id to set it"}
    page = httpx.get(mock_server.url + "/oauth2/v2.0/authorize", params=params, headers={"Accept": "text/html"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")


# -- 13a. the client secret from the environment, 13b. passwords stored hashed ---------------------------------
def test_13a_client_secret_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONNECTOR_MOCK_CLIENT_SECRET", "from-the-environment")
    server = MockServer(tmp_path / "mock.db").start()
    try:
        code = server.code()
        refused = server.exchange(code)  # the default secret no longer works
        assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
        ok = server.exchange(server.code(), client_secret="from-the-environment")
        assert ok.status_code == 200 and ok.json()["access_token"]
    finally:
        server.stop()


def test_13b_fixture_passwords_are_stored_hashed(mock_server):
    with sqlite3.connect(f"file:{mock_server.db}?mode=ro", uri=True) as db:
        rows = dict(db.execute("SELECT id, password FROM users").fetchall())
    assert set(rows) >= {"demo", "other"}
    for user, stored in rows.items():
        assert stored.startswith("scrypt$16384$8$1$") and user not in stored
        assert password_matches(stored, user) and not password_matches(stored, user + "x")
    signed_in = httpx.post(mock_server.url + "/oauth2/v2.0/authorize",
                           data={"client_id": CLIENT_ID, "redirect_uri": REDIRECT, "response_type": "code",
                                 "scope": ALL_SCOPES, "username": "demo", "password": "demo"})
    assert signed_in.status_code == 302 and "code=" in signed_in.headers["location"]
    assert CLIENT_SECRET  # the fixture's users sign in with their fixture passwords, checked against the hash


def test_13b_an_old_database_with_plain_passwords_is_hashed_on_start(tmp_path):
    db = tmp_path / "old.db"
    store = Store(str(db), state=PLUGIN.state)
    store.seed(None)
    with store.tx() as c:
        c.execute("UPDATE users SET password = id")  # as a database from before hashing held them
    store.close()
    store = Store(str(db), state=PLUGIN.state)
    store.seed(None)
    stored = store.one("SELECT password FROM users WHERE id = 'demo'")["password"]
    assert stored.startswith("scrypt$") and password_matches(stored, "demo")
    assert hash_password("demo") != hash_password("demo")  # salted
    store.close()
