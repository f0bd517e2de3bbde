"""A GET whose path ends in a parameter but whose answer is a list (``GET /events/{organisationId}``, as
Certopus has): the generic mock serves the records that parameter selects, over real HTTP, and a dropdown fed
by it (``x-ms-dynamic-list`` with a ``body/...`` reference) accepts what it offers and refuses the rest."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from connector.swaggerdoc import lists_records


MODEL = Path(__file__).resolve().parent.parent / "data" / "events_model.py"


@pytest.fixture
def events(start_mock):
    return start_mock("events.db", "--model", str(MODEL))


def test_a_list_under_a_parameter_answers_that_parameters_records_only(events):
    url = events.url + "/v1"
    for org in ("O1", "O2"):
        assert httpx.post(url + "/organisations", json={"id": org, "name": org}).status_code == 201
    launch = httpx.post(url + "/events/O1", json={"title": "Launch"})
    assert launch.status_code == 201 and launch.json()["title"] == "Launch"
    assert httpx.post(url + "/events/O2", json={"title": "Fair"}).status_code == 201
    # created in the parent collection, naming its organisation in a field of that name
    assert httpx.post(url + "/events", json={"title": "Gala", "organisationId": "O1"}).status_code == 201

    one = httpx.get(url + "/events/O1")
    assert one.status_code == 200
    assert [e["title"] for e in one.json()["data"]] == ["Launch", "Gala"]
    assert set(one.json()) == {"message", "data", "lastKey"}  # shaped as the schema lists them
    assert [e["title"] for e in httpx.get(url + "/events/O2").json()["data"]] == ["Fair"]
    assert httpx.get(url + "/events/O3").json()["data"] == []  # no event there (not a 404, not an example)

    # a GET ending in a parameter that answers one record stays a record read
    assert httpx.get(url + "/organisations/O1").json() == {"id": "O1", "name": "O1"}
    assert httpx.get(url + "/organisations/nope").status_code == 404


def test_a_dropdown_fed_by_such_a_list_accepts_its_values_and_refuses_others(events):
    url = events.url + "/v1"
    for org in ("O1", "O2"):
        httpx.post(url + "/organisations", json={"id": org, "name": org})
    launch = httpx.post(url + "/events/O1", json={"title": "Launch"}).json()["id"]
    fair = httpx.post(url + "/events/O2", json={"title": "Fair"}).json()["id"]

    offered = [e["id"] for e in httpx.get(url + "/events/O1").json()["data"]]  # what the dropdown shows
    assert offered == [launch]
    ok = httpx.post(url + "/credentials", json={"organisationId": "O1", "eventId": launch})
    assert ok.status_code == 201, ok.text

    other = httpx.post(url + "/credentials", json={"organisationId": "O1", "eventId": fair})  # O2's event
    assert other.status_code == 400 and other.json()["pointer"] == "/eventId"
    assert "ListEvents" in other.json()["message"] and launch in other.json()["message"]
    unknown = httpx.post(url + "/credentials", json={"organisationId": "O1", "eventId": "no-such-event"})
    assert unknown.status_code == 400 and unknown.json()["pointer"] == "/eventId"
    assert httpx.post(url + "/credentials", json={"organisationId": "O2", "eventId": fair}).status_code == 201


@pytest.mark.parametrize("answer, path, lists", [
    ([{"id": "e1"}], "/events/{organisationId}", True),  # an array
    ({"message": "", "data": [], "lastKey": {"id": "", "organisationId": ""}}, "/events/{organisationId}", True),
    ({"pageNumber": 1, "dataList": []}, "/Exhibits/{Page Number}", True),  # a page, echoing its number
    ({"id": "c1", "name": "Cart", "items": []}, "/carts/{id}", False),  # one record with an array property
    ({"contract_id": "c1", "attachments": []}, "/contract/{contractId}", False),  # names the parameter
    ({"JobId": 7, "JobHistory": []}, "/api/Jobs/{id}", False),  # names the collection's id
    ({"errors": [], "data": {"id": "x"}}, "/geo/cities/{cityId}", False),  # errors beside the record
    ({"values": [], "labels": []}, "/charts/{chartId}", False),  # two arrays: which holds the items?
    ({"title": "Film"}, "/films/{id}", False),
    ("text", "/films/{id}", False),
    ([{"id": "e1"}], "/events", False),  # not ending in a parameter: a collection anyway
])
def test_which_answers_list_records(answer, path, lists):
    assert lists_records(answer, path) is lists
