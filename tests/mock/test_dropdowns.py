"""Dropdown consistency in the generic mock, over real HTTP: a helper operation (x-ms-dynamic-values) offers
values from the state, which the actions it feeds then accept; other values are refused in strict mode."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from .conftest import MockServer

MODEL = Path(__file__).resolve().parent.parent / "data" / "tasks_model.py"


@pytest.fixture
def tasks(start_mock):
    return start_mock("tasks.db", "--model", str(MODEL))


def test_dropdowns_offer_values_from_the_state_that_the_actions_then_accept(tasks):
    """ListProjects feeds CreateTask's body property 'project' and ListProjectTasks' path parameter."""
    offered = httpx.get(tasks.url + "/v1/projects").json()
    assert offered == []  # nothing offered yet: nothing refused either
    assert httpx.post(tasks.url + "/v1/tasks", json={"title": "Loose", "project": "anything"}).status_code == 201
    project = httpx.post(tasks.url + "/v1/projects", json={"name": "Garden"}).json()
    assert [p["id"] for p in httpx.get(tasks.url + "/v1/projects").json()] == [project["id"]]
    ok = httpx.post(tasks.url + "/v1/tasks", json={"title": "Dig", "project": project["id"]})
    assert ok.status_code == 201 and ok.json()["project"] == project["id"]
    wrong = httpx.post(tasks.url + "/v1/tasks", json={"title": "Dig", "project": "no-such-project"})
    assert wrong.status_code == 400 and wrong.json()["pointer"] == "/project"
    assert "ListProjects" in wrong.json()["message"] and project["id"] in wrong.json()["message"]
    assert httpx.get(f"{tasks.url}/v1/projects/{project['id']}/tasks").status_code == 200
    bad_path = httpx.get(tasks.url + "/v1/projects/nope/tasks")
    assert bad_path.status_code == 400 and bad_path.json()["parameter"] == "project"


def test_schema_checks_leave_dropdown_values_and_callback_urls_to_the_schema(tmp_path):
    server = MockServer(tmp_path / "schema.db", "--model", str(MODEL), "--request-checks", "schema").start()
    try:
        httpx.post(server.url + "/v1/projects", json={"name": "Garden"})
        assert httpx.post(server.url + "/v1/tasks", json={"title": "x", "project": "other"}).status_code == 201
        assert httpx.post(server.url + "/v1/hooks", json={"callbackUrl": "http://10.1.2.3/x"}).status_code == 201
    finally:
        server.stop()


def test_a_collection_no_action_adds_to_offers_its_example_which_the_action_accepts(tmp_path):
    """ListLabels is reference data: empty, it answers its schema's example, so its dropdown offers a value."""
    tasks = MockServer(tmp_path / "projects.db", "--model", str(MODEL.with_name("projects_model.py"))).start()
    try:
        _labels(tasks)
    finally:
        tasks.stop()


def _labels(tasks: MockServer) -> None:
    assert httpx.get(tasks.url + "/v1/labels").json() == [{"name": "urgent"}]
    project = httpx.post(tasks.url + "/v1/projects", json={"name": "Garden"}).json()
    url = f"{tasks.url}/v1/projects/{project['id']}/tasks"
    assert httpx.get(url, params={"label": "urgent"}).status_code == 200
    wrong = httpx.get(url, params={"label": "other"})
    assert wrong.status_code == 400 and wrong.json()["parameter"] == "label" and "'urgent'" in wrong.json()["message"]


def test_what_a_dropdown_offers_follows_every_write(tasks):
    """The helper's answer is kept between writes (the mock's caches), never past one: a value refused twice
    is accepted once a write adds it, and the list shows the new record at once."""
    assert httpx.post(tasks.url + "/v1/projects", json={"id": "P1", "name": "Garden"}).status_code == 201
    for _ in range(2):
        refused = httpx.post(tasks.url + "/v1/tasks", json={"title": "Paint", "project": "P2"})
        assert refused.status_code == 400 and "'P1'" in refused.json()["message"]
    assert httpx.post(tasks.url + "/v1/projects", json={"id": "P2", "name": "Shed"}).status_code == 201
    assert [p["id"] for p in httpx.get(tasks.url + "/v1/projects").json()] == ["P1", "P2"]
    accepted = httpx.post(tasks.url + "/v1/tasks", json={"title": "Paint", "project": "P2"})
    assert accepted.status_code == 201 and accepted.json()["project"] == "P2"
