"""Every operation of the model against the real server, answers checked against the swagger's schemas."""

from __future__ import annotations

import sqlite3
import uuid
from urllib.parse import quote

import pytest

from connector.smartdialog import connector as SD

GROUP = "5201"
GROUP_ODD = "Group 5202/B"  # a space and a slash: percent-encoded once (x-ms-url-encoding: single)


def enc(value: str) -> str:
    return quote(value, safe="")


def test_every_operation_has_behaviour(mock_server):
    from connector.mock.app import MockApp
    from connector.mock.config import Settings

    app = MockApp(Settings(db=":memory:"))
    assert app.unhandled == set()
    assert {r.id for r in app.table.routes} == {o.id for o in SD.operations}
    assert app.rate_limit == SD.throttling.calls and app.rate_window == SD.throttling.period_seconds


def test_dropdown_helpers(api, check_response):
    customers = check_response("GetUserCustomers", api.get("/customers"))
    assert [c["customerId"] for c in customers["customerUsers"]] == ["1001", "1002"]
    one_way = check_response("GetCustomerServices", api.get("/services/1001", headers={"ServiceType": "OneWay"}))
    assert [s["id"] for s in one_way] == ["5001", "5002"]
    reply = api.get("/services/1001", headers={"ServiceType": "OneWay", "AllowReplyMessage": "true"})
    assert [s["id"] for s in check_response("GetCustomerServices", reply)] == ["5002"]
    two_way = api.get("/services/1001", headers={"ServiceType": "TwoWay"}).json()
    assert [s["id"] for s in two_way] == ["5101", "5102"]
    groups = api.get("/services/1001", headers={"ServiceType": "Group"}).json()
    assert GROUP_ODD in [s["id"] for s in groups]
    templates = check_response("GetCustomerWhatsAppTemplates", api.get("/whatsapp/templates/1001"))
    assert templates[0]["id"] == "tpl-welcome" and "{{1}}" in templates[0]["extensionParameters"]["rawContent"]
    one = api.get("/whatsapp/templates/1001", params={"TemplateId": "tpl-welcome"}).json()
    assert len(one) == 1
    assert check_response("GetWhatsappTemplateCategories", api.get("/whatsapp/templates/categories")) == \
        ["AUTHENTICATION", "MARKETING", "UTILITY"]
    ids = check_response("GetCustomerWhatsappIdentities", api.get("/whatsapp/identities/1001"))
    assert ids == [{"inputSource": {"address": "+358501000300"}}]
    regions = check_response("GetPhoneNumberRegions", api.get("/phonenumberregions"))
    assert {"value": "FI", "name": "Finland"} in regions


def test_another_users_customers_are_not_visible(mock_server):
    with mock_server.client(user="other") as other:
        assert [c["customerId"] for c in other.get("/customers").json()["customerUsers"]] == ["2001"]
        r = other.get("/services/1001", headers={"ServiceType": "OneWay"})
        assert r.status_code == 404 and r.json()["parameter"] == "Customer-Id"


def send_body(**extra):
    return {"Sender": "DemoCo", "Content": "Hello", "Protocol": "SMS",
            "Recipients": [{"Address": "+358401234567"}, {"Address": "+358407654321", "Personalization": {"n": "A"}}],
            **extra}


def test_send_message(api, check_response):
    r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=send_body())
    data = check_response("SendMessage", r)
    assert r.status_code == 200
    assert data["MessagePartCount"] == 1
    assert [x["Address"] for x in data["Recipients"]] == ["+358401234567", "+358407654321"]
    assert len({x["Id"] for x in data["Recipients"]}) == 2
    uuid.UUID(data["MessageId"])


@pytest.mark.parametrize("content, parts", [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
    ("€" * 80, 1), ("€" * 81, 2),  # extension characters take two septets
    ("ä" * 160, 1),  # ä is in the GSM alphabet
    ("š" * 70, 1), ("š" * 71, 2), ("š" * 134, 2), ("š" * 135, 3),  # UCS-2
])
def test_part_counts(api, content, parts):
    r = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                 json=send_body(Content=content))
    assert r.json()["MessagePartCount"] == parts


def test_send_reply_message(api, check_response):
    sent = api.post("/messages", headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=send_body()).json()
    path = f"/messages/reply/{sent['MessageId']}"
    r = api.post(path, headers={"Customer-Id": "1001", "Service-Id": "5002"}, json=send_body(Content="Re"))
    data = check_response("SendReplyMessage", r)
    assert data["MessageId"] != sent["MessageId"]
    no_reply = api.post(path, headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=send_body())
    # well formed, so not 400: this customer has no such reply service (schemathesis' positive_data_acceptance)
    assert no_reply.status_code == 404 and no_reply.json()["parameter"] == "Service-Id"
    unknown = api.post("/messages/reply/nope", headers={"Customer-Id": "1001", "Service-Id": "5002"}, json=send_body())
    assert unknown.status_code == 404 and unknown.json()["parameter"] == "ParentMessageId"


def test_send_discussion_reply(api, check_response):
    r = api.post("/messages/discussion/reply", headers={"CustomerId": "1001"},
                 json={"ThreadId": "thread-1", "Content": "Thanks!", "CustomerData": "x"})
    data = check_response("SendDiscussionReplyMessage", r)
    assert data["ThreadId"] == "thread-1"
    assert data["Recipients"][0]["Address"] == "+358401234567"
    r = api.post("/messages/discussion/reply", headers={"CustomerId": "1001"},
                 json={"ThreadId": "nope", "Content": "x"})
    assert r.status_code == 404 and r.json()["pointer"] == "/ThreadId"


def test_whatsapp_templates_create_list_and_send(api, check_response):
    name = f"Order {uuid.uuid4().hex[:6]}"
    created = api.post(f"/whatsapp/templates/1001/{enc('+358501000300')}",
                       json={"DisplayName": name, "RawContent": "Order {{1}} ships {{2}}", "Category": "UTILITY",
                             "Language": "fi", "Buttons": [{"Type": "Url", "Label": "Track", "Data": "https://x.example"}]})
    assert created.status_code == 204 and created.content == b""
    listed = check_response("GetCustomerWhatsAppTemplates", api.get("/whatsapp/templates/1001"))
    mine = [t for t in listed if t["displayName"] == name]
    assert len(mine) == 1
    dup = api.post(f"/whatsapp/templates/1001/{enc('+358501000300')}",
                   json={"DisplayName": name, "RawContent": "x", "Category": "UTILITY", "Language": "fi"})
    assert dup.status_code == 409
    bad_cat = api.post(f"/whatsapp/templates/1001/{enc('+358501000300')}",
                       json={"DisplayName": "y", "RawContent": "x", "Category": "SPAM", "Language": "fi"})
    assert bad_cat.status_code == 400 and bad_cat.json()["pointer"] == "/Category"
    bad_id = api.post("/whatsapp/templates/1001/+358000", json={"DisplayName": "z", "RawContent": "x",
                                                                "Category": "UTILITY", "Language": "fi"})
    assert bad_id.status_code == 404 and bad_id.json()["parameter"] == "IdentityNumber"

    send = {"TemplateName": mine[0]["id"], "Recipients": [{"Address": "+358401234567"}],
            "BodyParameters": ["123", "today"], "Buttons": [{"Type": "Url", "Data": "abc"}], "UseSmsFallback": True}
    r = api.post("/messages/templates/whatsapp", headers={"Customer-Id": "1001", "Service-Id": "5001"}, json=send)
    data = check_response("SendWhatsappTemplateMessage", r)
    assert set(data) == {"messageId", "messagePartCount", "recipients"}  # camelCase, from the model
    assert data["recipients"][0]["address"] == "+358401234567"
    short = api.post("/messages/templates/whatsapp", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                     json={**send, "BodyParameters": ["only one"]})
    assert short.status_code == 400 and short.json()["pointer"] == "/BodyParameters"
    missing = api.post("/messages/templates/whatsapp", headers={"Customer-Id": "1001", "Service-Id": "5001"},
                       json={**send, "TemplateName": "nope"})
    assert missing.status_code == 404 and missing.json()["pointer"] == "/TemplateName"


def test_opt_in_and_out_are_recorded(api, mock_server):
    sender = enc("+358501000300")
    assert api.post(f"/whatsapp/opt-in/sender/{sender}/recipient/0401112223").status_code == 204
    with sqlite3.connect(mock_server.db) as db:
        row = db.execute("SELECT opted_in FROM optins WHERE sender = ? AND recipient = ?",
                         ("+358501000300", "+358401112223")).fetchone()
    assert row == (1,)
    assert api.delete(f"/whatsapp/opt-in/sender/{sender}/recipient/{enc('+358 40 111 2223')}").status_code == 204
    with sqlite3.connect(mock_server.db) as db:
        row = db.execute("SELECT opted_in FROM optins WHERE recipient = ?", ("+358401112223",)).fetchone()
    assert row == (0,)
    r = api.post(f"/whatsapp/opt-in/sender/{enc('+358501000600')}/recipient/0401112223")  # another user's
    assert r.status_code == 404 and r.json()["parameter"] == "Sender"
    r = api.post(f"/whatsapp/opt-in/sender/{sender}/recipient/12")
    assert r.status_code == 400 and r.json()["parameter"] == "Recipient"


@pytest.mark.parametrize("group", [GROUP, GROUP_ODD])
def test_group_contacts_lifecycle(api, check_response, group):
    base = f"/groupcontact/1001/{enc(group)}"
    body = {"phone": "040 123 4567", "firstName": "Matti", "lastName": "Virtanen", "gender": "Male",
            "birthYear": 1980, "city": "Espoo", "customContactProperties": [{"name": "tier", "value": "gold"}]}
    r = api.post(base, json=body)
    contact_id = check_response("CreateGroupContact", r)
    uuid.UUID(contact_id)
    assert api.post(base, json={**body, "phone": "+358401234567"}).status_code == 409  # same number, other form
    got = check_response("GetGroupContact", api.get(f"{base}/{enc('+358401234567')}"))
    assert got["phone"] == "+358401234567" and got["firstName"] == "Matti" and got["failedMessages"] == 0
    assert got["customContactProperties"] == [{"name": "tier", "value": "gold"}]
    assert "active" not in got  # not in the response schema
    assert api.get(f"{base}/0401234567").json()["phone"] == "+358401234567"
    upd = api.put(f"{base}/0401234567", json={"city": "Turku", "email": "matti@example.com"})
    assert check_response("UpdateGroupContact", upd) is True
    got = api.get(f"{base}/0401234567").json()
    assert got["city"] == "Turku" and got["firstName"] == "Matti"
    assert api.put(f"{base}/0409999999", json={"city": "x"}).json() is False
    assert check_response("DeleteGroupContact", api.delete(f"{base}/0401234567")) is True
    assert api.get(f"{base}/0401234567").status_code == 404
    assert api.delete(f"{base}/0401234567").json() is False
    api.post(base, json={"phone": "0401111111"})
    api.post(base, json={"phone": "0402222222"})
    assert check_response("DeleteAllGroupContacts", api.delete(base)) is True
    assert api.get(f"{base}/0401111111").status_code == 404


def test_phone_regions(api):
    base = f"/groupcontact/1001/{GROUP}"
    r = api.post(base, json={"phone": "070 123 45 67", "phoneNumberRegions": ["SE"]})
    assert r.status_code == 200
    assert api.get(f"{base}/0701234567", params={"Region": "SE"}).json()["phone"] == "+46701234567"
    assert api.get(f"{base}/{enc('+46701234567')}").status_code == 200
    bad = api.post(base, json={"phone": "12"})
    assert bad.status_code == 400 and bad.json()["pointer"] == "/phone"
    assert api.get(f"{base}/0701234567", params={"Region": "XX"}).status_code == 400
    api.delete(f"{base}/{enc('+46701234567')}")


def test_group_service_checks(api):
    assert api.get("/groupcontact/1001/5001/0401234567").json()["parameter"] == "Group Service"
    r = api.get("/groupcontact/1001/nope/0401234567")
    assert r.status_code == 404 and r.json()["parameter"] == "Group Service"


def test_webhook_registration_and_delete(api, check_response, receiver):
    body = {"name": "flow", "actionType": "HttpRequest", "description": "d",
            "options": {"endpointUrl": receiver.url + "/hook", "httpVerb": "POST"}}
    r = api.post("/service/5101/pipelines/actions", headers={"Customer": "1001"}, json=body)
    assert r.status_code == 201
    sub = check_response("NewMessage", r)["id"]
    assert api.delete(f"/pipelines/5101/actions/{sub}").status_code == 204
    assert api.delete(f"/pipelines/5101/actions/{sub}").status_code == 404
    one_way = api.post("/service/5001/pipelines/actions", headers={"Customer": "1001"}, json=body)
    # well formed, so not 400: this customer has no such 2-way service (schemathesis' positive_data_acceptance)
    assert one_way.status_code == 404 and one_way.json()["parameter"] == "Service"
