"""SmartDialog's contract scenarios (registered with ``connector.contract.runner.register_scenarios``): which values a flow author would type, and what state each action
must leave behind. Everything else (operations, parameters, dropdown wiring, defaults, schemas) comes from
the built folder; operation ids come from the declaration so that a rename cannot leave a scenario behind.

Values are addressed by swagger parameter name, body fields nested under the body parameter's name; the
request builder refuses a name the swagger does not have, so a renamed field fails here loudly.
"""

from __future__ import annotations

from typing import Any

from connector.contract.client import PICK
from connector.contract.packs import ScenarioPack
from connector.contract.runner import Steps

from .. import smartdialog as sd

BODY = "body"


def _phone(s: Steps) -> str:
    """A fresh Finnish mobile number (E.164) for this run."""
    return "+35840" + str(int(s.unique().encode().hex(), 16))[-7:]


def _send_body(s: Steps, content: str = "Hello from the contract test", **extra: Any) -> dict[str, Any]:
    return {"Sender": "Contract", "Content": content, "Recipients": [{"Address": _phone(s)}], **extra}


def _expect_refused(s: Steps, answer_status: int, what: str) -> None:
    s.check(400 <= answer_status < 500, f"{what} answered {answer_status}, expected a 4xx refusal")


# -- sending ---------------------------------------------------------------------------------------------
def send_message(s: Steps) -> None:
    request_id = s.unique("req-")
    a = s.act({BODY: _send_body(s, RequestId=request_id)})
    s.check(a.data.get("MessageId"), "the answer has no MessageId")
    s.equal(a.data.get("MessagePartCount"), 1, "MessagePartCount of a short GSM-7 message")
    s.equal([r.get("Address") for r in a.data.get("Recipients", [])],
            [r["Address"] for r in s.values[BODY]["Recipients"]], "the recipients' addresses")
    s.check(all(r.get("Id") for r in a.data["Recipients"]), "a recipient has no Id")
    again = s.client.call(s.op.id, s.values, expect=tuple(range(400, 500)))
    _expect_refused(s, again.status, "the same RequestId sent twice")
    long = s.act({BODY: _send_body(s, content="x" * 161)})
    s.equal(long.data.get("MessagePartCount"), 2, "MessagePartCount of a 161-character GSM-7 message")
    s.note(f"sent {a.data['MessageId']}; duplicate RequestId refused ({again.status}); 161 chars = 2 parts")


def send_reply_message(s: Steps) -> None:
    parent = s.call(sd.SendMessage.id, {BODY: _send_body(s)})
    a = s.act({"ParentMessageId": parent.data["MessageId"], BODY: _send_body(s, content="A reply")})
    s.check(a.data.get("MessageId") and a.data["MessageId"] != parent.data["MessageId"],
            "the reply has no MessageId of its own")
    s.note(f"replied to {parent.data['MessageId']} via service {s.values['Service-Id']}")


def send_discussion_reply_message(s: Steps) -> None:
    """A discussion starts with an inbound message to a 2-way service; the reply goes to its thread."""
    customer = s.options(s.op.id, "CustomerId")[0].value
    two_way = s.options(sd.NewMessage.id, "Service", {"Customer": customer})
    s.check(two_way, f"customer {customer} has no 2-way service to start a discussion on", sd.NewMessage.id)
    inbound = s.send_inbound({"service": two_way[0].value, "sender": _phone(s), "content": "A question"})
    thread = (inbound or {}).get("threadId")
    s.check(thread, f"the inbound message gave no threadId: {inbound!r}")
    a = s.act({"CustomerId": customer, BODY: {"ThreadId": thread, "Content": "A discussion reply"}})
    s.equal(a.data.get("ThreadId"), thread, "ThreadId of the answer")
    s.check(a.data.get("MessageId"), "the answer has no MessageId")
    s.note(f"replied in thread {thread} of service {two_way[0].value}")


def send_whatsapp_template_message(s: Steps) -> None:
    a = s.act({BODY: {"TemplateName": PICK, "Recipients": [{"Address": _phone(s)}],
                      "BodyParameters": ["Contract"], "RequestId": s.unique("wa-")}})
    s.check(a.data.get("messageId"), "the answer has no messageId")
    s.equal(len(a.data.get("recipients", [])), 1, "number of recipients")
    s.note(f"template {s.values[BODY]['TemplateName']} sent as {a.data['messageId']}")


# -- WhatsApp templates and opt-in ---------------------------------------------------------------------------
def create_whatsapp_template(s: Steps) -> None:
    name = s.unique("Contract template ")
    s.act({BODY: {"DisplayName": name, "RawContent": "Hello {{1}}", "Category": PICK, "Language": "en"}})
    customer = s.values["Customer-Id"]
    listed = s.call(sd.GetCustomerWhatsAppTemplates.id, {"Customer-Id": customer}, prepare=False)
    names = [t.get("displayName") for t in listed.data]
    s.check(name in names, f"the new template '{name}' is not listed by {sd.GetCustomerWhatsAppTemplates.id}",
            sd.GetCustomerWhatsAppTemplates.id)
    s.note(f"created '{name}' for {customer} on {s.values['IdentityNumber']}; listed afterwards")


def _whatsapp_identity(s: Steps) -> str:
    options = s.options(sd.CreateWhatsappTemplate.id, "IdentityNumber")
    s.check(options, "no WhatsApp identity to opt in to", sd.CreateWhatsappTemplate.id)
    return options[0].value


def whatsapp_opt_in(s: Steps) -> None:
    sender, recipient = _whatsapp_identity(s), _phone(s)
    s.act({"Sender": sender, "Recipient": recipient})
    s.call(sd.WhatsAppOptOut.id, {"Sender": sender, "Recipient": recipient})
    s.note(f"{recipient} opted in to {sender} (and out again)")


def whatsapp_opt_out(s: Steps) -> None:
    sender, recipient = _whatsapp_identity(s), _phone(s)
    s.call(sd.WhatsAppOptIn.id, {"Sender": sender, "Recipient": recipient})
    s.act({"Sender": sender, "Recipient": recipient})
    s.note(f"{recipient} opted out of {sender}")


# -- group contacts --------------------------------------------------------------------------------------
GROUP = ("Customer", "Group Service")


def _where(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values[k] for k in GROUP}


def _get(s: Steps, where: dict[str, Any], phone: str, expect: Any = "2xx"):
    return s.call(sd.GetGroupContact.id, {**where, "Phone": phone}, expect=expect)


def create_group_contact(s: Steps) -> None:
    phone = _phone(s)
    a = s.act({BODY: {"phone": phone, "firstName": "Ada", "lastName": "Lovelace", "birthYear": 1815,
                      "customContactProperties": [{"name": "source", "value": "contract"}],
                      "phoneNumberRegions": [PICK]}})
    got = _get(s, _where(s.values), phone)
    s.equal(got.data.get("firstName"), "Ada", "firstName read back", sd.GetGroupContact.id)
    s.equal(got.data.get("birthYear"), 1815, "birthYear read back", sd.GetGroupContact.id)
    s.equal(got.data.get("customContactProperties"), [{"name": "source", "value": "contract"}],
            "customContactProperties read back", sd.GetGroupContact.id)
    s.note(f"contact {a.data} in service {s.values['Group Service']!r}, read back")


def get_group_contact(s: Steps) -> None:
    phone = _phone(s)
    created = s.call(sd.CreateGroupContact.id, {BODY: {"phone": phone, "city": "Tampere"}})
    where = _where(created.values)
    local = "0" + phone[4:]  # the same number as a Finn types it
    a = s.act({**where, "Phone": local, "Region": PICK})
    s.equal(a.data.get("phone"), phone, "phone of the contact found by its local form")
    s.equal(a.data.get("city"), "Tampere", "city")
    missing = _get(s, where, _phone(s), expect=tuple(range(400, 500)))
    s.equal(missing.status, 404, "status for a phone number with no contact")
    s.note(f"found {phone} as {local} (region {s.values['Region']}); unknown number 404")


def update_group_contact(s: Steps) -> None:
    phone = _phone(s)
    created = s.call(sd.CreateGroupContact.id, {BODY: {"phone": phone, "firstName": "Before"}})
    where = _where(created.values)
    a = s.act({**where, "Phone": phone, BODY: {"firstName": "After", "gender": "Other"}})
    s.equal(a.data, True, "the answer")
    got = _get(s, where, phone)
    s.equal((got.data.get("firstName"), got.data.get("gender")), ("After", "Other"), "(firstName, gender) read back",
            sd.GetGroupContact.id)
    s.note("firstName Before -> After, read back")


def delete_group_contact(s: Steps) -> None:
    phone = _phone(s)
    created = s.call(sd.CreateGroupContact.id, {BODY: {"phone": phone}})
    where = _where(created.values)
    a = s.act({**where, "Phone": phone})
    s.equal(a.data, True, "the answer")
    gone = _get(s, where, phone, expect=tuple(range(400, 500)))
    s.equal(gone.status, 404, "status of GetGroupContact after the delete", sd.GetGroupContact.id)
    s.note("deleted; GetGroupContact then 404")


def delete_all_group_contacts(s: Steps) -> None:
    first = s.call(sd.CreateGroupContact.id, {BODY: {"phone": _phone(s)}})
    where = _where(first.values)
    second_phone = _phone(s)
    s.call(sd.CreateGroupContact.id, {**where, BODY: {"phone": second_phone}})
    a = s.act(where)
    s.equal(a.data, True, "the answer")
    for phone in (first.values[BODY]["phone"], second_phone):
        gone = _get(s, where, phone, expect=tuple(range(400, 500)))
        s.equal(gone.status, 404, f"status of GetGroupContact {phone} after deleting all", sd.GetGroupContact.id)
    s.note(f"2 contacts of {where['Group Service']!r} deleted")


# -- the trigger -----------------------------------------------------------------------------------------
def new_message(s: Steps) -> None:
    sub = s.subscribe()
    service = s.values["Service"]
    if s.inject is None:  # a real account: nothing here can make it receive a message
        s.client.unsubscribe(sub)
        s.note(f"registered on service {service}, deleted via Location")
        s.send_inbound({})  # raises Skipped for the notification part
    content = s.unique("Inbound ")
    sender = _phone(s)
    s.send_inbound({"service": service, "sender": sender, "content": content})
    got = s.receive(sub)
    s.equal((got.get("sender"), got.get("content")), (sender, content), "(sender, content) of the notification")
    s.client.unsubscribe(sub)
    s.send_inbound({"service": service, "sender": sender, "content": content + " again"})
    s.nothing_arrives(sub)
    s.note(f"notified via service {service}; deleted via Location; nothing after")


SCENARIOS = {
    sd.SendMessage.id: send_message,
    sd.SendReplyMessage.id: send_reply_message,
    sd.SendDiscussionReplyMessage.id: send_discussion_reply_message,
    sd.SendWhatsappTemplateMessage.id: send_whatsapp_template_message,
    sd.CreateWhatsappTemplate.id: create_whatsapp_template,
    sd.WhatsAppOptIn.id: whatsapp_opt_in,
    sd.WhatsAppOptOut.id: whatsapp_opt_out,
    sd.CreateGroupContact.id: create_group_contact,
    sd.GetGroupContact.id: get_group_contact,
    sd.UpdateGroupContact.id: update_group_contact,
    sd.DeleteGroupContact.id: delete_group_contact,
    sd.DeleteAllGroupContacts.id: delete_all_group_contacts,
    sd.NewMessage.id: new_message,
}

PACK = ScenarioPack("SmartDialog", {op.id: (op.method.upper(), op.path) for op in sd.connector.operations
                                    if op.id in SCENARIOS}, SCENARIOS)
