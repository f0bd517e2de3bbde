"""Bad input: each gets the right 4xx with a JSON error naming the place, never a 500, and state stays put."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from .conftest import BASE

SEND = {"Customer-Id": "1001", "Service-Id": "5001"}


def good_send(**extra):
    return {"Sender": "DemoCo", "Content": "Hello", "Protocol": "SMS", "Recipients": [{"Address": "+358401234567"}],
            **extra}


def count(mock_server, table: str) -> int:
    with sqlite3.connect(mock_server.db) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize("body, where, reason", [
    ({"Content": "x", "Protocol": "SMS", "Recipients": [{"Address": "1"}]}, "/Sender", "is required"),
    (good_send(Content=5), "/Content", "must be a string, not an integer"),
    (good_send(Protocol="MMS"), "/Protocol", "must be one of 'SMS'"),
    (good_send(Recipients=[{"Personalization": {}}]), "/Recipients/0/Address", "is required"),
    (good_send(Recipients=[{"Address": "1", "Personalization": {"a": 1}}]), "/Recipients/0/Personalization/a",
     "must be a string"),
    (good_send(Recipients="+358401234567"), "/Recipients", "must be an array"),
    (good_send(AdMessage="yes"), "/AdMessage", "must be a boolean"),
    (good_send(SendDateTime="tomorrow"), "/SendDateTime", "is not a valid date-time"),
    ([1, 2], "", "must be an object"),
])
def test_body_breaking_the_swagger(api, mock_server, body, where, reason):
    before = count(mock_server, "messages")
    r = api.post("/messages", headers=SEND, json=body)
    assert r.status_code == 400, r.text
    data = r.json()
    assert data["error"] == "invalid_request" and data["operationId"] == "SendMessage"
    problem = next(p for p in data["problems"] if p["pointer"] == where)
    assert problem["in"] == "body" and reason in problem["reason"]
    assert count(mock_server, "messages") == before


def test_every_problem_is_listed(api):
    r = api.post("/messages", headers=SEND, json={"Content": 1, "Recipients": [{}]})
    pointers = {p["pointer"] for p in r.json()["problems"]}
    assert pointers == {"/Sender", "/Protocol", "/Content", "/Recipients/0/Address"}


def test_malformed_json_and_empty_body(api):
    r = api.post("/messages", headers={**SEND, "Content-Type": "application/json"}, content=b'{"Sender": ')
    assert r.status_code == 400 and "not valid JSON" in r.json()["problems"][0]["reason"]
    r = api.post("/messages", headers={**SEND, "Content-Type": "application/json"}, content=b"")
    assert r.status_code == 400 and r.json()["problems"][0]["reason"].startswith("is required")
    r = api.post("/messages", headers={**SEND, "Content-Type": "text/plain"}, content=b"hello")
    assert r.status_code == 415 and r.json()["error"] == "unsupported_media_type"


def test_parameters_breaking_the_swagger(api):
    r = api.post("/messages", headers={"Service-Id": "5001"}, json=good_send())
    assert r.status_code == 400
    assert r.json()["problems"] == [{"in": "header", "name": "Customer-Id", "reason": "is required"}]
    r = api.get("/services/1001", headers={"ServiceType": "Sideways"})
    assert r.status_code == 400 and r.json()["problems"][0]["name"] == "ServiceType"
    r = api.get("/services/1001", headers={"ServiceType": "OneWay", "AllowReplyMessage": "maybe"})
    assert r.status_code == 400 and "true or false" in r.json()["problems"][0]["reason"]


def test_oversize_body(api, mock_server):
    before = count(mock_server, "messages")
    r = api.post("/messages", headers=SEND, json=good_send(Content="x" * (1024 * 1024 + 10)))
    assert r.status_code == 413 and r.json()["error"] == "payload_too_large"
    assert count(mock_server, "messages") == before


def test_unknown_paths_and_methods(api, mock_server):
    r = api.get("/nothing/here")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = api.patch("/messages", json={})
    assert r.status_code == 405 and r.json()["allowed"] == ["POST"] and r.headers["allow"] == "POST"
    r = api.get("/groupcontact/1001/5201")  # POST and DELETE live there
    assert r.status_code == 405 and r.json()["allowed"] == ["DELETE", "POST"]
    r = httpx.get(mock_server.url + "/elsewhere")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = httpx.get(mock_server.url + "/oauth2/v2.0/token")
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"


def test_missing_bad_and_malformed_tokens(mock_server):
    url = mock_server.url + BASE + "/customers"
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"},
                    {"Authorization": "Bearer not-a-token"}):
        r = httpx.get(url, headers=headers)
        assert r.status_code == 401 and r.json()["error"] in ("unauthorized", "invalid_token")
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_inbound_bad_input(mock_server):
    url = mock_server.url + "/_mock/inbound"
    r = httpx.post(url, content=b"{oops", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = httpx.post(url, json={"service": "5101", "content": 3})
    assert r.status_code == 400
    assert {p["pointer"] for p in r.json()["problems"]} == {"/sender", "/content"}
    r = httpx.post(url, json={"service": "nope", "sender": "a", "content": "b"})
    assert r.status_code == 404
    r = httpx.post(url, json={"service": "5001", "sender": "a", "content": "b"})
    assert r.status_code == 400 and r.json()["pointer"] == "/service"


def test_never_a_500_in_the_log(mock_server):
    assert all(entry["status"] < 500 for entry in mock_server.log_lines() if "status" in entry and entry["status"])
    assert "Traceback" not in mock_server.stderr_text()
