"""Triggers of a connector served generically (`connector mock --model FILE`), over real HTTP: webhook
registration (declared status, Location pointing at the delete operation), delete, firing through
`/_mock/inbound/{operationId}`, `connector mock inbound TRIGGER` and creates, and polling triggers following the
platform's contract (202 + Location + Retry-After, then 200 with the new items)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .conftest import MockServer, Receiver

MODEL = Path(__file__).resolve().parent.parent / "data" / "tasks_model.py"


@pytest.fixture(scope="module")
def tasks(tmp_path_factory):
    server = MockServer(tmp_path_factory.mktemp("tasks") / "tasks.db", "--model", str(MODEL),
                        "--callback-backoff", "0.05", "--poll-interval", "7").start()
    yield server
    server.stop()
    assert "Traceback" not in server.stderr_text()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def subscribe(url: str, callback: str) -> httpx.Response:
    return httpx.post(url + "/v1/hooks", json={"callbackUrl": callback})


def test_registration_answers_as_declared_with_location_at_the_delete_operation(tasks, receiver):
    r = subscribe(tasks.url, receiver.url + "/hook")
    assert r.status_code == 201, r.text
    sub = r.json()["id"]
    assert r.headers["location"] == f"{tasks.url}/v1/hooks/{sub}"
    listed = httpx.get(tasks.url + "/_mock/webhooks").json()["webhooks"]
    assert [h["url"] for h in listed if h["id"] == sub] == [receiver.url + "/hook"]
    assert httpx.delete(r.headers["location"]).status_code == 204
    again = httpx.delete(r.headers["location"])
    assert again.status_code == 404 and sub in again.json()["message"]
    assert sub not in [h["id"] for h in httpx.get(tasks.url + "/_mock/webhooks").json()["webhooks"]]


def test_a_callback_url_the_mock_may_not_call_is_refused_as_smartdialogs_are(tasks):
    far = subscribe(tasks.url, "http://169.254.169.254/latest")
    assert far.status_code == 400 and far.json()["pointer"] == "/callbackUrl"
    assert "--allow-callback-host 169.254.169.254" in far.json()["message"]
    assert subscribe(tasks.url, "not a url").status_code == 400
    missing = httpx.post(tasks.url + "/v1/hooks", json={"event": "x"})
    assert missing.status_code == 400  # required by the schema


def test_inbound_fires_a_payload_matching_the_notification_schema_and_a_deleted_hook_gets_nothing(tasks, receiver):
    sub = subscribe(tasks.url, receiver.url + "/fired")
    fired = httpx.post(tasks.url + "/_mock/inbound/OnNewTask", json={"title": "From inbound"})
    assert fired.status_code == 202 and fired.json()["deliveries"] == 1
    got = receiver.wait_for(1)
    assert got[0]["method"] == "POST" and got[0]["path"] == "/fired"
    payload = json.loads(got[0]["body"])
    assert payload == {"id": "string", "title": "From inbound", "state": "open", "project": "string"}  # example,
    # default and data
    bad = httpx.post(tasks.url + "/_mock/inbound/OnNewTask", json={"title": 5})
    assert bad.status_code == 400 and bad.json()["problems"][0]["pointer"] == "/title"
    assert httpx.delete(sub.headers["location"]).status_code == 204
    after = httpx.post(tasks.url + "/_mock/inbound/OnNewTask", json={"title": "Nobody hears this"})
    assert after.json()["deliveries"] == 0
    unknown = httpx.post(tasks.url + "/_mock/inbound/NoSuchTrigger")
    assert unknown.status_code == 404 and "OnNewTask" in unknown.json()["message"]


def test_a_create_fires_the_webhook_watching_its_collection(tasks, receiver):
    sub = subscribe(tasks.url, receiver.url + "/created")
    created = httpx.post(tasks.url + "/v1/tasks", json={"title": "Created by an action"}).json()
    payload = json.loads(receiver.wait_for(1)[0]["body"])
    assert payload == {"id": created["id"], "title": "Created by an action", "state": "open", "project": "string"}
    httpx.delete(sub.headers["location"])


def test_connector_mock_inbound_command_fires_a_trigger(tasks, receiver):
    sub = subscribe(tasks.url, receiver.url + "/cli")
    out = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "inbound",
                          "OnNewTask", "--url", tasks.url, "--data", '{"title": "From the CLI"}'],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["deliveries"] == 1
    assert json.loads(receiver.wait_for(1)[0]["body"])["title"] == "From the CLI"
    bad = subprocess.run([sys.executable, "-c", "from connector.cli import main; main()", "mock", "inbound",
                          "OnNewTask", "--url", tasks.url, "--data", "{not json"], capture_output=True, text=True,
                         timeout=30)
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr and "Traceback" not in bad.stderr
    httpx.delete(sub.headers["location"])


def test_a_batch_polling_trigger_follows_the_platforms_contract(tasks):
    first = httpx.get(tasks.url + "/v1/trigger/tasks")
    assert first.status_code == 202 and first.content == b""
    assert first.headers["retry-after"] == "7"
    location = first.headers["location"]
    assert location.startswith(tasks.url + "/v1/trigger/tasks?")
    nothing = httpx.get(location)
    assert nothing.status_code == 202 and nothing.headers["location"] == location
    ids = [httpx.post(tasks.url + "/v1/tasks", json={"title": f"T{i}"}).json()["id"] for i in range(3)]
    new = httpx.get(location)
    assert new.status_code == 200
    assert [t["id"] for t in new.json()["value"]] == ids and new.json()["value"][0]["state"] == "open"
    assert new.headers["retry-after"] == "7"
    following = httpx.get(new.headers["location"])
    assert following.status_code == 202  # nothing newer than what the last answer gave


def test_a_single_polling_trigger_gives_one_item_at_a_time_and_inbound_adds_one(tasks):
    location = httpx.get(tasks.url + "/v1/trigger/newest-task").headers["location"]
    added = httpx.post(tasks.url + "/_mock/inbound/NewestTask", json={"title": "Polled"})
    assert added.status_code == 202 and added.json()["collection"] == "/tasks"
    httpx.post(tasks.url + "/v1/tasks", json={"title": "Second"})
    one = httpx.get(location)
    assert one.status_code == 200 and one.json()["title"] == "Polled"
    two = httpx.get(one.headers["location"])
    assert two.status_code == 200 and two.json()["title"] == "Second"
    assert httpx.get(two.headers["location"]).status_code == 202


def test_the_mock_describes_its_triggers(tasks):
    found = {t["operationId"]: t for t in httpx.get(tasks.url + "/_mock/triggers").json()["triggers"]}
    assert found["OnNewTask"]["kind"] == "webhook" and found["OnNewTask"]["callbackUrl"] == "/callbackUrl"
    assert found["OnNewTask"]["delete"] == {"operationId": "DeleteHook", "method": "DELETE", "path": "/hooks/{hookId}"}
    assert found["OnNewTask"]["firesOnCreateIn"] == "/tasks"
    assert found["WhenTasksAreCreated"]["kind"] == "polling" and found["WhenTasksAreCreated"]["batch"] is True
    assert found["WhenTasksAreCreated"]["watches"] == "/tasks" and found["NewestTask"]["batch"] is False



@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    server = MockServer(tmp_path_factory.mktemp("projects") / "projects.db", "--model",
                        str(MODEL.with_name("projects_model.py")), "--callback-backoff", "0.05").start()
    yield server
    server.stop()


def test_a_delete_taking_the_id_in_its_query_and_a_callback_found_by_its_name(projects, receiver):
    tasks = projects
    r = httpx.post(tasks.url + "/v1/project-hooks", json={"url": receiver.url + "/projects", "owner": "ann"})
    assert r.status_code == 200, r.text
    sub = r.json()["subscriptionId"]
    assert r.headers["location"] == f"{tasks.url}/v1/project-hooks/remove?id={sub}&owner=ann"
    project = httpx.post(tasks.url + "/v1/projects", json={"name": "Fired"}).json()
    assert json.loads(receiver.wait_for(1)[0]["body"]) == project
    assert httpx.delete(r.headers["location"]).status_code == 200
    assert httpx.delete(r.headers["location"]).status_code == 404
