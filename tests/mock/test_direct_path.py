"""The mock answers a plain API request directly from its HTTP protocol (no ASGI cycle; one write once the
request's writes are committed) and every other request through uvicorn's ASGI cycle. These tests hold the
two to one behaviour, over raw sockets on the real server: answers equal either way, pipelined requests
answered in order (a write then a read of it), keep-alive and close as HTTP/1.1 and 1.0 say, a client that
leaves while its write commits."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from .test_generic import model_file


@pytest.fixture
def items(start_mock, tmp_path):
    return start_mock("items.db", "--model", str(model_file(tmp_path, "none")))


def read_answers(s: socket.socket, count: int) -> list[tuple[int, dict[str, str], bytes]]:
    """``count`` answers read off one connection, each by its content-length."""
    buf, out = b"", []
    while len(out) < count:
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            assert chunk, f"the server closed the connection after {len(out)} answer(s)"
            buf += chunk
        head, _, buf = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
        size = int(headers.get("content-length", "0"))
        while len(buf) < size:
            chunk = s.recv(65536)
            assert chunk, "the server closed the connection inside an answer"
            buf += chunk
        out.append((int(lines[0].split()[1]), headers, buf[:size]))
        buf = buf[size:]
    return out


def post(path: str, data: dict, extra: str = "") -> bytes:
    body = json.dumps(data).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"{extra}\r\n").encode() + body


def chunked_post(path: str, data: dict) -> bytes:
    body = json.dumps(data).encode()
    half = len(body) // 2
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            f"\r\n{half:x}\r\n").encode() + body[:half] + f"\r\n{len(body) - half:x}\r\n".encode() + body[half:] + \
        b"\r\n0\r\n\r\n"


def test_a_plain_and_a_chunked_request_get_the_same_answer(items):
    """Content-Length (answered directly) and chunked (the ASGI cycle): same status, headers and body."""
    with socket.create_connection(("127.0.0.1", items.port), timeout=10) as s:
        s.sendall(post("/v1/items", {"id": "a-1", "title": "Plain"}))
        (plain,) = read_answers(s, 1)
        s.sendall(chunked_post("/v1/items", {"id": "a-2", "title": "Chunked"}))
        (chunked,) = read_answers(s, 1)
        s.sendall(post("/v1/items", {"title": 5}))  # a body the schema refuses: 400 either way
        (bad_plain,) = read_answers(s, 1)
        s.sendall(chunked_post("/v1/items", {"title": 5}))
        (bad_chunked,) = read_answers(s, 1)
    assert plain[0] == chunked[0] == 201
    assert json.loads(plain[2]) == {"id": "a-1", "title": "Plain", "state": "open"}
    assert json.loads(chunked[2]) == {"id": "a-2", "title": "Chunked", "state": "open"}
    assert {k for k in plain[1] if k != "date"} == {k for k in chunked[1] if k != "date"}
    assert plain[1]["content-type"] == chunked[1]["content-type"] == "application/json; charset=utf-8"
    assert bad_plain[0] == bad_chunked[0] == 400 and json.loads(bad_plain[2]) == json.loads(bad_chunked[2])
    assert [x["id"] for x in httpx.get(items.url + "/v1/items").json()] == ["a-1", "a-2"]


def test_pipelined_requests_are_answered_in_order_and_see_the_writes_before_them(items):
    """Four requests in one send: a create, a read of it, a delete of it, the read again (404)."""
    with socket.create_connection(("127.0.0.1", items.port), timeout=10) as s:
        s.sendall(post("/v1/items", {"id": "p-1", "title": "Piped"})
                  + b"GET /v1/items/p-1 HTTP/1.1\r\nHost: x\r\n\r\n"
                  + b"DELETE /v1/items/p-1 HTTP/1.1\r\nHost: x\r\n\r\n"
                  + b"GET /v1/items/p-1 HTTP/1.1\r\nHost: x\r\n\r\n")
        answers = read_answers(s, 4)
        # a chunked create (the ASGI cycle) then plain requests (direct) behind it: still in order
        s.sendall(chunked_post("/v1/items", {"id": "p-2", "title": "Piped chunked"})
                  + b"GET /v1/items/p-2 HTTP/1.1\r\nHost: x\r\n\r\n"
                  + b"GET /v1/items HTTP/1.1\r\nHost: x\r\n\r\n")
        behind = read_answers(s, 3)
    assert [a[0] for a in answers] == [201, 200, 204, 404]
    assert json.loads(answers[1][2])["title"] == "Piped"
    assert [a[0] for a in behind] == [201, 200, 200]
    assert json.loads(behind[1][2])["title"] == "Piped chunked"
    assert [x["id"] for x in json.loads(behind[2][2])] == ["p-2"]


def test_connection_close_and_http_1_0_close_after_the_answer(items):
    for request in (b"GET /v1/items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    b"GET /v1/items HTTP/1.0\r\nHost: x\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", items.port), timeout=10) as s:
            s.sendall(request)
            (answer,) = read_answers(s, 1)
            assert answer[0] == 200 and answer[1]["connection"] == "close"
            assert s.recv(1) == b""  # closed by the server
    with socket.create_connection(("127.0.0.1", items.port), timeout=10) as s:  # HTTP/1.1: kept open
        for _ in range(3):
            s.sendall(b"GET /v1/items HTTP/1.1\r\nHost: x\r\n\r\n")
            (answer,) = read_answers(s, 1)
            assert answer[0] == 200 and "connection" not in answer[1]


def test_a_client_that_leaves_while_its_write_commits_does_not_stop_the_server(items):
    for i in range(20):
        with socket.create_connection(("127.0.0.1", items.port), timeout=10) as s:
            s.sendall(post("/v1/items", {"id": f"gone-{i}", "title": "Left"}))
    listed = httpx.get(items.url + "/v1/items").json()  # the server still answers, every write is kept
    assert [x["id"] for x in listed] == [f"gone-{i}" for i in range(20)]
    assert "Traceback" not in items.stderr_text()


def test_a_large_body_is_read_only_after_the_request_passed_authentication(start_mock, tmp_path):
    """Up to 64 KiB a body comes with the request (answered directly); a larger one takes the ASGI way, where a
    request refused before its body (401 here) is answered without reading it, and the connection closed."""
    server = start_mock("key.db", "--model", str(model_file(tmp_path, "header")), "--api-key", "k-1")
    big, small = {"id": "big-1", "title": "x" * (80 * 1024)}, {"id": "small-1", "title": "small"}
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(post("/v1/items", small))
        (refused_small,) = read_answers(s, 1)
        s.sendall(post("/v1/items", big))
        (refused_big,) = read_answers(s, 1)
    assert refused_small[0] == refused_big[0] == 401
    assert "connection" not in refused_small[1] and refused_big[1]["connection"] == "close"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(post("/v1/items", big, "X-Key: k-1\r\n") + post("/v1/items", small, "X-Key: k-1\r\n"))
        answers = read_answers(s, 2)
    assert [a[0] for a in answers] == [201, 201] and len(json.loads(answers[0][2])["title"]) == 80 * 1024


def test_an_answer_json_cannot_hold_is_a_json_500_not_a_hung_connection(tmp_path, capsys):
    """``finish`` runs in the commit's callback on the direct path, where an exception would leave the client
    waiting: a behaviour's answer that does not serialize becomes the mock's JSON 500 (its traceback logged)."""
    import time

    from connector.mock.app import MockApp
    from connector.mock.config import Settings
    from connector.model import load_model

    app = MockApp(Settings(db=str(tmp_path / "unit.db"), quiet=True), load_model(model_file(tmp_path, "none")))
    try:
        status, headers, body = app.finish((None, 200, {"when": object()}, [(b"x-extra", b"1")]), None, "GET",
                                           b"/v1/items", time.perf_counter())
    finally:
        app.store.close()
    assert status == 500 and json.loads(body)["error"] == "internal_error"
    assert (b"x-extra", b"1") not in headers and (b"content-length", str(len(body)).encode()) in headers
    assert "TypeError" in capsys.readouterr().err
