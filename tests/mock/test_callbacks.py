"""Webhook delivery (with retries) and deletion, delivery reports, scheduling and duplicate RequestIds."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import httpx
import jsonschema

from connector.generate.swagger import to_swagger
from connector.smartdialog import NewMessage
from connector.smartdialog import connector as SD

from .conftest import MockServer, Receiver


def subscribe(api, url: str, service: str = "5101") -> str:
    body = {"name": "flow", "actionType": "HttpRequest", "description": "d",
            "options": {"endpointUrl": url, "httpVerb": "POST"}}
    r = api.post(f"/service/{service}/pipelines/actions", headers={"Customer": "1001"}, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_inbound_message_reaches_every_subscription_as_the_notification_payload(api, mock_server, receiver):
    second = Receiver()
    try:
        subs = [subscribe(api, receiver.url + "/a?flow=1"), subscribe(api, second.url + "/b")]
        r = httpx.post(mock_server.url + "/_mock/inbound",
                       json={"service": "5101", "sender": "+358401234567", "content": "Hei!",
                             "attachments": [{"name": "a.jpg", "mimeType": "image/jpeg",
                                              "resourceLocation": "https://files.example/a.jpg"}]})
        assert r.status_code == 202 and r.json()["deliveries"] == 2
        got = receiver.wait_for(1)[0]
        assert got["method"] == "POST" and got["path"] == "/a?flow=1"
        payload = json.loads(got["body"])
        schema = to_swagger(SD)["paths"][NewMessage.path]["x-ms-notification-content"]["schema"]
        jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(payload)
        assert list(payload) == list(schema["properties"])  # the model's shape, in its order
        assert payload["sender"] == "+358401234567" and payload["recipient"] == "+358501000101"
        assert payload["content"] == "Hei!" and payload["protocol"] == "SMS"
        assert payload["messageId"] == r.json()["messageId"]
        assert payload["attachments"][0]["mimeType"] == "image/jpeg"
        assert json.loads(second.wait_for(1)[0]["body"])["messageId"] == payload["messageId"]
        # the inbound message can be replied to, and its thread answered
        reply = api.post(f"/messages/reply/{payload['messageId']}", headers={"Customer-Id": "1001", "Service-Id": "5002"},
                         json={"Sender": "x", "Content": "ok", "Protocol": "SMS", "Recipients": [{"Address": "+358401234567"}]})
        assert reply.status_code == 200
        for sub in subs:
            assert api.delete(f"/pipelines/5101/actions/{sub}").status_code == 204
        r = httpx.post(mock_server.url + "/_mock/inbound", json={"service": "5101", "sender": "+358401234567",
                                                                 "content": "after delete"})
        assert r.json()["deliveries"] == 0
        time.sleep(0.3)
        assert len(receiver.requests) == 1
    finally:
        second.close()


def test_failing_callback_is_retried_with_backoff(api, mock_server):
    flaky = Receiver(fail_first=2)
    try:
        sub = subscribe(api, flaky.url + "/hook", service="5102")
        httpx.post(mock_server.url + "/_mock/inbound", json={"service": "5102", "sender": "+358401234567",
                                                             "content": "retry me"})
        calls = flaky.wait_for(3)
        assert len(calls) == 3 and calls[0]["body"] == calls[2]["body"]
        gaps = [b["at"] - a["at"] for a, b in zip(calls, calls[1:])]
        assert gaps[1] > gaps[0] * 1.3  # exponential: 0.05 s then 0.1 s (plus jitter of the machine)
        api.delete(f"/pipelines/5102/actions/{sub}")
    finally:
        flaky.close()


def test_gives_up_after_bounded_attempts(api, mock_server):
    dead = Receiver(fail_first=100)
    try:
        sub = subscribe(api, dead.url + "/hook", service="5102")
        httpx.post(mock_server.url + "/_mock/inbound", json={"service": "5102", "sender": "+358409999999",
                                                             "content": "never"})
        dead.wait_for(4)
        time.sleep(0.6)
        assert len(dead.requests) == 4  # --callback-attempts 4
        api.delete(f"/pipelines/5102/actions/{sub}")
    finally:
        dead.close()


def test_schema_only_checks_defer_callback_urls_to_delivery(tmp_path):
    """With ``--request-checks schema`` (what `connector contract` gives schemathesis, which sends any string
    the swagger allows) a callback URL the mock may not call is accepted but never called: its job fails at
    once, saying why. The default, ``strict``, refuses it with 400 (tests/mock/test_hardening.py)."""
    import sqlite3

    server = MockServer(tmp_path / "mock.db", "--request-checks", "schema").start()
    try:
        with server.client() as api:
            external = "https://prod-00.westeurope.logic.azure.com/workflows/x"
            sub = subscribe(api, external)
            httpx.post(server.url + "/_mock/inbound", json={"service": "5101", "sender": "+358409999998",
                                                            "content": "not for outside"})
            r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                         json={"Sender": "a", "Content": "b", "Protocol": "SMS",
                               "Recipients": [{"Address": "+358401234567"}], "DlrUrl": "http://10.0.0.1/dlr"})
            assert r.status_code == 200, r.text
            deadline, rows = time.monotonic() + 5, []
            while time.monotonic() < deadline:
                with sqlite3.connect(f"file:{server.db}?mode=ro", uri=True) as db:
                    rows = db.execute("SELECT url, status, attempts, last_error FROM jobs WHERE url LIKE ? OR "
                                      "url LIKE ?", (external + "%", "http://10.0.0.1/dlr%")).fetchall()
                if len(rows) == 2 and all(row[1] == "failed" for row in rows):
                    break
                time.sleep(0.05)
            assert len(rows) == 2 and all(status == "failed" and attempts == 1 and "--allow-callback-host" in error
                                          for _, status, attempts, error in rows), rows
            api.delete(f"/pipelines/5101/actions/{sub}")
    finally:
        server.stop()


def test_dlr_callback_keeps_its_own_query_string(api, receiver):
    r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                 json={"Sender": "DemoCo", "Content": "with report", "Protocol": "SMS",
                       "Recipients": [{"Address": "+358401234567"}, {"Address": "+358407654321"}],
                       "DlrUrl": receiver.url + "/dlr?token=abc&campaign=spring"})
    sent = r.json()
    calls = receiver.wait_for(2)
    assert len(calls) == 2 and {c["method"] for c in calls} == {"GET"}
    for call in calls:
        url = urlsplit(call["path"])
        assert url.path == "/dlr" and url.query.startswith("token=abc&campaign=spring&")
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert q["messageId"] == sent["MessageId"] and q["status"] == "Delivered"
    assert {parse_qs(urlsplit(c["path"]).query)["recipientId"][0] for c in calls} == \
        {x["Id"] for x in sent["Recipients"]}


def test_future_send_date_time_schedules(api, mock_server, receiver):
    import sqlite3

    when = datetime.now(timezone.utc) + timedelta(seconds=1.5)
    r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                 json={"Sender": "DemoCo", "Content": "later", "Protocol": "SMS",
                       "Recipients": [{"Address": "+358401234567"}], "SendDateTime": when.isoformat(),
                       "DlrUrl": receiver.url + "/later"})
    message_id = r.json()["MessageId"]
    with sqlite3.connect(mock_server.db) as db:
        assert db.execute("SELECT status FROM messages WHERE id = ?", (message_id,)).fetchone() == ("Scheduled",)
    time.sleep(0.5)
    assert receiver.requests == []  # nothing before its time
    calls = receiver.wait_for(1, timeout=5)
    assert calls and calls[0]["at"] >= when.timestamp() - 0.05
    with sqlite3.connect(mock_server.db) as db:
        assert db.execute("SELECT status FROM messages WHERE id = ?", (message_id,)).fetchone() == ("Sent",)


def test_duplicate_request_id_is_refused(api, mock_server):
    request_id = str(uuid.uuid4())
    body = {"Sender": "DemoCo", "Content": "once", "Protocol": "SMS", "Recipients": [{"Address": "+358401234567"}],
            "RequestId": request_id}
    first = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=body)
    assert first.status_code == 200
    again = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=body)
    assert again.status_code == 409
    assert again.json()["error"] == "duplicate_request" and again.json()["messageId"] == first.json()["MessageId"]
    template = api.post("/messages/templates/whatsapp", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                        json={"TemplateName": "tpl-welcome", "BodyParameters": ["A"], "RequestId": request_id,
                              "Recipients": [{"Address": "+358401234567"}]})
    assert template.status_code == 409  # remembered per customer, whatever the send action
    import sqlite3

    with sqlite3.connect(mock_server.db) as db:
        assert db.execute("SELECT COUNT(*) FROM messages WHERE request_id = ?", (request_id,)).fetchone() == (1,)
        # a RequestId older than 7 days is forgotten
        db.execute("UPDATE request_ids SET created = created - 8 * 86400 WHERE request_id = ?", (request_id,))
    assert api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=body).status_code == 200


def test_inbound_command_line(mock_server, api, receiver):
    sub = subscribe(api, receiver.url + "/cli")
    out = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "inbound",
                          "--url", mock_server.url, "--service", "5101", "--sender", "+358401234567",
                          "--content", "from the CLI", "--attachment", "a.pdf,application/pdf,https://f.example/a"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["deliveries"] == 1
    payload = json.loads(receiver.wait_for(1)[0]["body"])
    assert payload["content"] == "from the CLI" and payload["attachments"][0]["name"] == "a.pdf"
    api.delete(f"/pipelines/5101/actions/{sub}")
    bad = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "inbound",
                          "--url", mock_server.url, "--service", "5001", "--sender", "x", "--content", "y"],
                         capture_output=True, text=True, timeout=30)
    assert bad.returncode == 1 and "Error:" in bad.stderr and "Traceback" not in bad.stderr
