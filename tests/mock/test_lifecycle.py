"""Persistence across restarts, graceful shutdown, throttling, logs and seeding, each on its own server."""

from __future__ import annotations

import json
import signal
import sqlite3
import time

import httpx

from .conftest import BASE, MockServer, Receiver


def test_state_survives_a_restart(tmp_path):
    db = tmp_path / "state.db"
    server = MockServer(db).start()
    try:
        token = server.token()
        with server.client(token) as api:
            assert api.get("/groupcontact/1001/5201/0407654321").json()["firstName"] == "Maija"  # from the fixture
            contact = api.post("/groupcontact/1001/5201", json={"phone": "0401234567", "city": "Oulu"})
            assert contact.status_code == 200
            hook = api.post("/service/5101/pipelines/actions", headers={"Customer": "1001"},
                            json={"name": "n", "actionType": "HttpRequest", "description": "d",
                                  "options": {"endpointUrl": "http://127.0.0.1:9/x", "httpVerb": "POST"}}).json()
            api.post("/whatsapp/templates/1001/%2B358501000300",
                     json={"DisplayName": "Kept", "RawContent": "x", "Category": "UTILITY", "Language": "en"})
        assert server.stop() in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM after its graceful shutdown
        assert "connector mock: stopped" in server.stderr_text()
        assert not db.with_name(db.name + "-wal").exists() or db.with_name(db.name + "-wal").stat().st_size == 0
        server.start()
        with server.client(token) as api:  # the token itself survived too
            assert api.get("/groupcontact/1001/5201/0401234567").json()["city"] == "Oulu"
            assert "Kept" in [t["displayName"] for t in api.get("/whatsapp/templates/1001").json()]
            assert api.delete(f"/pipelines/5101/actions/{hook['id']}").status_code == 204
    finally:
        server.stop()
    with sqlite3.connect(db) as conn:  # a real SQLite file in WAL mode, checkpointed on shutdown
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM contacts WHERE phone = '+358401234567'").fetchone()[0] == 1


def test_acknowledged_writes_survive_a_kill(tmp_path):
    server = MockServer(tmp_path / "kill.db").start()
    try:
        with server.client() as api:
            ids = [api.post("/groupcontact/1001/5201", json={"phone": f"040{n:07d}"}).json() for n in range(20)]
        server.stop(signal.SIGKILL)  # no shutdown at all: only what was committed counts
        server.start()
        with server.client() as api:
            assert all(api.get(f"/groupcontact/1001/5201/040{n:07d}").status_code == 200 for n in range(20))
        assert len(set(ids)) == 20
    finally:
        server.stop()


def test_pending_callbacks_resume_after_restart(tmp_path):
    receiver = Receiver()
    server = MockServer(tmp_path / "resume.db").start()
    try:
        with server.client() as api:
            when = time.time() + 2.5
            from datetime import datetime, timezone

            r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                         json={"Sender": "D", "Content": "later", "Protocol": "SMS",
                               "Recipients": [{"Address": "+358401234567"}],
                               "SendDateTime": datetime.fromtimestamp(when, timezone.utc).isoformat(),
                               "DlrUrl": receiver.url + "/dlr"})
            assert r.status_code == 200
        server.stop()
        assert receiver.requests == []
        server.start()
        calls = receiver.wait_for(1, timeout=8)
        assert calls and calls[0]["at"] >= when - 0.05
    finally:
        server.stop()
        receiver.close()


def test_throttling_per_connection(tmp_path):
    server = MockServer(tmp_path / "rate.db", "--rate-limit", "5", "--rate-window", "1.5").start()
    try:
        first, second = server.token(), server.token()
        with server.client(first) as api:
            codes = [api.get("/customers").status_code for _ in range(6)]
            assert codes == [200] * 5 + [429]
            r = api.get("/customers")
            assert r.status_code == 429 and r.json()["error"] == "too_many_requests"
            assert 1 <= int(r.headers["retry-after"]) <= 2
            with server.client(second) as other:  # another connection has its own budget
                assert other.get("/customers").status_code == 200
            time.sleep(1.6)
            assert api.get("/customers").status_code == 200  # the window renewed
    finally:
        server.stop()


def test_request_log_is_structured_and_holds_no_secret(tmp_path):
    server = MockServer(tmp_path / "log.db").start()
    try:
        token = server.token()
        with server.client(token) as api:
            api.get("/customers")
            api.get("/nothing")
    finally:
        server.stop()
    text = server.log.read_text()
    entries = [json.loads(line) for line in text.splitlines()]
    api_entry = next(e for e in entries if e.get("operationId") == "GetUserCustomers")
    assert api_entry["method"] == "GET" and api_entry["path"] == BASE + "/customers" and api_entry["status"] == 200
    assert isinstance(api_entry["ms"], float)
    assert any(e["status"] == 404 and e["operationId"] is None for e in entries)
    assert token not in text and "connector-mock-secret" not in text and "code=" not in text


def test_custom_seed_and_reset(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({
        "users": [{"id": "ann", "name": "Ann", "password": "pw", "customers": ["9"]}],
        "customers": [{"id": "9", "name": "Nine", "services": [{"id": "90", "name": "S", "type": "Group",
                                                                "address": "N"}]}],
        "templateCategories": ["UTILITY"], "phoneNumberRegions": [{"value": "SE", "name": "Sweden"}]}))
    server = MockServer(tmp_path / "seeded.db", "--seed", str(seed)).start()
    try:
        with server.client(user="ann") as api:
            assert api.get("/customers").json() == {"customerUsers": [{"customerId": "9", "customerName": "Nine"}]}
            assert api.get("/phonenumberregions").json() == [{"value": "SE", "name": "Sweden"}]
        assert server.authorize(user="demo").headers["location"].count("error=login_required") == 1
    finally:
        server.stop()


def test_bad_fixture_is_a_user_error(tmp_path):
    import subprocess
    import sys

    seed = tmp_path / "bad.yaml"
    seed.write_text("users: []\ncustomers:\n  - id: 1\n    name: x\ntemplateCategories: []\n")
    out = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "--db",
                          str(tmp_path / "b.db"), "--seed", str(seed), "--port", "1"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "/customers/0: needs string 'id' and 'name'" in out.stderr
    assert "/phoneNumberRegions: must be a list" in out.stderr


def test_port_in_use_is_a_user_error(mock_server, tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "--db",
                          str(tmp_path / "p.db"), "--port", str(mock_server.port)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 1 and "Error:" in out.stderr and "--port" in out.stderr
    assert "Traceback" not in out.stderr
    assert httpx.get(mock_server.url + "/_mock/health").status_code == 200
