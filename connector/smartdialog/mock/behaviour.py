"""What SmartDialog does, per operation: the only SmartDialog-specific part of the mock.

Handlers are keyed by the model's operation objects (``sd.SendMessage.id``), read request fields through a
case-insensitive view and answer with lower-case keys: the app shapes every answer by the operation's
response schema in the generated swagger (so ``MessageId`` vs ``messageId`` and which fields exist come from
the model, not from here). Routing, authentication, scopes, throttling and request validation happen
before a handler runs; a handler checks what only state can tell (does this customer, service, template,
thread exist for the signed-in user) and raises ``ApiError`` with a JSON-able answer when it does not.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, Callable

import orjson

from connector.mock.behaviour import ApiError, Call, short, iso, lower, new_id, parse_time, with_query
from connector.mock.config import Settings
from connector.mock.jobs import JobRunner, json_bytes
from connector.mock.store import Store

from ... import smartdialog as sd
from .phones import PhoneError, canonical_phone, known_region
from .sms import part_count

REQUEST_ID_MEMORY = 7 * 86400  # the reference page: a RequestId is "remembered" for 7 days
_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


class SmartDialog:
    def __init__(self, settings: Settings, store: Store, jobs: JobRunner, notification: Callable[[dict], Any]):
        self.settings = settings
        self.store = store
        self.jobs = jobs
        self.notification = notification  # shapes an inbound message as the trigger's payload
        jobs.local["send"] = self._release_scheduled
        self._load_static()
        trigger = sd.connector.triggers[0]
        self.handlers: dict[str, Callable[[Call], tuple[int | None, Any]]] = {
            sd.GetUserCustomers.id: self.get_user_customers,
            sd.GetCustomerServices.id: self.get_customer_services,
            sd.GetCustomerWhatsAppTemplates.id: self.get_templates,
            sd.GetWhatsappTemplateCategories.id: self.get_categories,
            sd.GetCustomerWhatsappIdentities.id: self.get_identities,
            sd.GetPhoneNumberRegions.id: self.get_regions,
            sd.SendMessage.id: self.send_message,
            sd.SendReplyMessage.id: self.send_reply,
            sd.SendDiscussionReplyMessage.id: self.send_discussion_reply,
            sd.SendWhatsappTemplateMessage.id: self.send_template,
            sd.CreateWhatsappTemplate.id: self.create_template,
            sd.WhatsAppOptIn.id: self.opt_in,
            sd.WhatsAppOptOut.id: self.opt_out,
            sd.GetGroupContact.id: self.get_contact,
            sd.CreateGroupContact.id: self.create_contact,
            sd.UpdateGroupContact.id: self.update_contact,
            sd.DeleteGroupContact.id: self.delete_contact,
            sd.DeleteAllGroupContacts.id: self.delete_all_contacts,
            trigger.id: self.subscribe,
            trigger.webhook_delete.id: self.unsubscribe,
        }

    # -- lookups shared by the handlers ----------------------------------------------------------------
    def _load_static(self) -> None:
        """Users' customers and the services are fixture data no operation changes: read them once."""
        self._customers: dict[str, frozenset[str]] = {}
        self._customer_list: dict[str, list[dict[str, str]]] = {}
        for user, cid, name in self.store.all("SELECT u.user_id, c.id, c.name FROM user_customers u JOIN customers c "
                                              "ON c.id = u.customer_id ORDER BY u.user_id, u.position"):
            self._customers[user] = self._customers.get(user, frozenset()) | {cid}
            self._customer_list.setdefault(user, []).append({"customerid": cid, "customername": name})
        self._services = {(r["customer_id"], r["id"]): dict(r) for r in self.store.all("SELECT * FROM services")}

    def customer(self, call: Call, param: str) -> str:
        cid = call.params[param]
        if cid not in self._customers.get(call.grant.user_id, ()):
            raise ApiError(404, "not_found", f"customer {cid!r} does not exist or is not one of user "
                           f"{call.grant.user_id!r}'s customers", parameter=param)
        return cid

    def service(self, customer: str, sid: str, param: str, types: tuple[str, ...]) -> Any:
        row = self._services.get((customer, sid))
        if row is None:
            raise ApiError(404, "not_found", f"service {sid!r} is not a service of customer {customer!r}",
                           parameter=param)
        if row["type"] not in types:
            # 404, not 400: the request is well formed; this customer just has no such service of that type
            # (schemathesis' positive_data_acceptance: a schema-valid request must not be refused as malformed)
            raise ApiError(404, "invalid_service", f"service {sid!r} is a {row['type']} service; this operation "
                           f"needs a {' or '.join(types)} service", parameter=param)
        return row

    def callback_url(self, url: str | None, pointer: str) -> None:
        """A callback URL (webhook endpointUrl, DlrUrl) is checked when it is registered: an absolute http(s)
        URL to loopback or an ``--allow-callback-host``, else 400 saying why (it would only fail later, silently).
        ``--request-checks schema`` defers the check to delivery, where the outbox records why."""
        if url is None or self.settings.request_checks != "strict":
            return
        reason = self.settings.callback_allowed(url)
        if reason is not None:
            raise ApiError(400, "invalid_request", f"{pointer}: {short(url)} {reason}", pointer=pointer)

    @staticmethod
    def send_time(text: str | None, pointer: str) -> float | None:
        if not text:
            return None
        ts = parse_time(text)
        if ts is None:
            raise ApiError(400, "invalid_request", f"{pointer}: {text!r} is not an ISO 8601 date-time",
                           pointer=pointer)
        return ts

    # -- internal helpers (dropdowns) ------------------------------------------------------------------
    def get_user_customers(self, call: Call) -> tuple[int | None, Any]:
        return None, {"customerusers": self._customer_list.get(call.grant.user_id, [])}

    def get_customer_services(self, call: Call) -> tuple[int | None, Any]:
        cid = self.customer(call, "Customer-Id")
        sql = "SELECT id, name FROM services WHERE customer_id = ? AND type = ?"
        if call.params.get("AllowReplyMessage") is True:
            sql += " AND (allow_reply = 1 OR type = 'TwoWay')"
        rows = self.store.all(sql + " ORDER BY position", cid, call.params["ServiceType"])
        return None, [{"id": r[0], "name": r[1]} for r in rows]

    def get_templates(self, call: Call) -> tuple[int | None, Any]:
        cid = self.customer(call, "Customer-Id")
        sql, args = "SELECT id, display_name, raw_content FROM templates WHERE customer_id = ?", [cid]
        if call.params.get("TemplateId"):
            sql += " AND id = ?"
            args.append(call.params["TemplateId"])
        rows = self.store.all(sql + " ORDER BY created, id", *args)
        return None, [{"id": r[0], "displayname": r[1], "extensionparameters": {"rawcontent": r[2]}} for r in rows]

    def get_categories(self, call: Call) -> tuple[int | None, Any]:
        return None, [r[0] for r in self.store.all("SELECT name FROM template_categories ORDER BY position")]

    def get_identities(self, call: Call) -> tuple[int | None, Any]:
        cid = self.customer(call, "Customer-Id")
        rows = self.store.all("SELECT address FROM identities WHERE customer_id = ? ORDER BY position", cid)
        return None, [{"inputsource": {"address": r[0]}} for r in rows]

    def get_regions(self, call: Call) -> tuple[int | None, Any]:
        return None, [{"value": r[0], "name": r[1]}
                      for r in self.store.all("SELECT value, name FROM regions ORDER BY position")]

    # -- sending ---------------------------------------------------------------------------------------
    def _send(self, call: Call, customer: str, service: Any, body: dict[str, Any], *, protocol: str, parts: int,
              content: str, sender: str, recipients: list[str], parent: str | None = None,
              thread: str | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store one outgoing message and its recipients; queue its delivery reports or its scheduled send."""
        now = time.time()
        send_at = self.send_time(body.get("senddatetime"), "/SendDateTime")
        scheduled = send_at is not None and send_at > now + 0.5
        dlr = body.get("dlrurl") or None
        self.callback_url(dlr, "/DlrUrl")
        request_id = body.get("requestid") or None
        message_id = new_id()
        answer_recipients = [{"address": a, "id": new_id()} for a in recipients]
        with self.store.tx() as c:
            if request_id:
                seen = c.execute("SELECT message_id, created FROM request_ids WHERE customer_id = ? AND request_id = ?",
                                 (customer, request_id)).fetchone()
                if seen is not None and seen["created"] > now - REQUEST_ID_MEMORY:
                    raise ApiError(409, "duplicate_request",
                                   f"RequestId {request_id!r} was already used within 7 days; sending is cancelled",
                                   pointer="/RequestId", messageId=seen["message_id"])
                c.execute("INSERT OR REPLACE INTO request_ids VALUES (?, ?, ?, ?)",
                          (customer, request_id, message_id, now))
            c.execute("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (message_id, call.operation_id, customer, service["id"] if service is not None else None,
                       parent, thread, sender, content, protocol, parts, send_at if scheduled else now,
                       "Scheduled" if scheduled else "Sent", request_id, dlr,
                       orjson.dumps(answer_recipients).decode(),
                       orjson.dumps(extra).decode() if extra else "{}", now))
            if scheduled:
                self.jobs.add("send", due=send_at, ref=message_id)
            elif dlr:
                self._queue_reports(message_id, dlr, answer_recipients, now)
        if scheduled or dlr:
            self.jobs.notify()
        return {"messageid": message_id, "messagepartcount": parts, "recipients": answer_recipients}

    def _queue_reports(self, message_id: str, dlr: str, recipients: list[dict[str, str]], when: float) -> None:
        for r in recipients:
            url = with_query(dlr, [("messageId", message_id), ("recipientId", r["id"]), ("address", r["address"]),
                                   ("status", "Delivered"), ("statusTime", iso(when))])
            self.jobs.add("dlr", method="GET", url=url, ref=message_id)

    def _release_scheduled(self, job: dict[str, Any]) -> None:
        """A scheduled message's time has come: it is sent, and its delivery reports go out."""
        message = self.store.one("SELECT * FROM messages WHERE id = ?", job["ref"])
        if message is None or message["status"] != "Scheduled":
            return
        now = time.time()
        self.store.conn.execute("UPDATE messages SET status = 'Sent', send_at = ? WHERE id = ?", (now, message["id"]))
        if message["dlr_url"]:
            self._queue_reports(message["id"], message["dlr_url"], json.loads(message["recipients"]), now)

    def _recipients(self, body: dict[str, Any]) -> list[str]:
        """The recipients' addresses, each a valid phone number (the same check as a group contact's phone;
        ``--request-checks schema``: any string, as the swagger declares)."""
        recipients = [r["address"] for r in body.get("recipients") or []]
        if not recipients:
            raise ApiError(400, "invalid_request", "/Recipients: must hold at least one recipient",
                           pointer="/Recipients")
        for i, address in enumerate(recipients if self.settings.request_checks == "strict" else ()):
            try:
                canonical_phone(address)
            except PhoneError as exc:
                where = f"/Recipients/{i}/Address"
                raise ApiError(400, "invalid_request", f"{where}: {exc}", pointer=where) from None
        return recipients

    def send_message(self, call: Call, parent: str | None = None) -> tuple[int | None, Any]:
        body = lower(call.body)
        customer = self.customer(call, "Customer-Id")
        svc = self.service(customer, call.params["Service-Id"], "Service-Id", ("OneWay", "TwoWay"))
        if parent is not None and not (svc["allow_reply"] or svc["type"] == "TwoWay"):
            raise ApiError(404, "invalid_service", f"service {svc['id']!r} does not allow reply messages; pick one "
                           "that does (GetCustomerServices with AllowReplyMessage true)", parameter="Service-Id")
        recipients = self._recipients(body)
        content = body["content"]
        extra = {k: body[k] for k in ("customerdata", "admessage", "attachmenturi") if k in body}
        personal = [r.get("personalization") for r in body.get("recipients") or [] if r.get("personalization")]
        if personal:
            extra["personalization"] = personal
        return None, self._send(call, customer, svc, body, protocol=body.get("protocol") or "SMS",
                                parts=part_count(content), content=content, sender=body["sender"],
                                recipients=recipients, parent=parent, extra=extra)

    def send_reply(self, call: Call) -> tuple[int | None, Any]:
        parent = call.params["ParentMessageId"]
        customer = self.customer(call, "Customer-Id")
        known = self.store.one("SELECT 1 FROM messages WHERE id = ? AND customer_id = ?", parent, customer) or \
            self.store.one("SELECT 1 FROM inbound i JOIN services s ON s.id = i.service_id WHERE i.id = ? "
                           "AND s.customer_id = ?", parent, customer)
        if known is None:
            raise ApiError(404, "not_found", f"message {parent!r} of customer {customer!r} does not exist",
                           parameter="ParentMessageId")
        return self.send_message(call, parent=parent)

    def send_discussion_reply(self, call: Call) -> tuple[int | None, Any]:
        body = lower(call.body)
        customer = self.customer(call, "CustomerId")
        thread = self.store.one("SELECT t.*, s.address FROM threads t JOIN services s ON s.id = t.service_id "
                                "WHERE t.id = ? AND t.customer_id = ?", body["threadid"], customer)
        if thread is None:
            raise ApiError(404, "not_found", f"/ThreadId: thread {body['threadid']!r} of customer {customer!r} "
                           "does not exist", pointer="/ThreadId")
        svc = self.store.one("SELECT * FROM services WHERE id = ?", thread["service_id"])
        extra = {"customerdata": body["customerdata"]} if "customerdata" in body else {}
        answer = self._send(call, customer, svc, body, protocol="SMS", parts=part_count(body["content"]),
                            content=body["content"], sender=thread["address"], recipients=[thread["participant"]],
                            thread=thread["id"], extra=extra)
        answer["threadid"] = thread["id"]
        return None, answer

    def send_template(self, call: Call) -> tuple[int | None, Any]:
        body = lower(call.body)
        customer = self.customer(call, "Customer-Id")
        svc = self.service(customer, call.params["Service-Id"], "Service-Id", ("OneWay", "TwoWay"))
        tpl = self.store.one("SELECT * FROM templates WHERE id = ? AND customer_id = ?", body["templatename"], customer)
        if tpl is None:
            raise ApiError(404, "not_found", f"/TemplateName: customer {customer!r} has no WhatsApp template "
                           f"{body['templatename']!r}", pointer="/TemplateName")
        needed = {int(n) for n in _PLACEHOLDER.findall(tpl["raw_content"])}
        given = len(body.get("bodyparameters") or [])
        if needed and given < max(needed):
            raise ApiError(400, "invalid_request", f"/BodyParameters: template {tpl['id']!r} has {max(needed)} "
                           f"placeholder(s) but {given} value(s) were given", pointer="/BodyParameters")
        recipients = self._recipients(body)
        extra = {k: body[k] for k in ("bodyparameters", "headerparameters", "buttons", "attachmenturi",
                                      "usesmsfallback", "customerdata") if k in body}
        return None, self._send(call, customer, svc, body, protocol="WhatsApp", parts=1, content=tpl["raw_content"],
                                sender=tpl["identity"], recipients=recipients, extra=extra)

    # -- WhatsApp templates and opt-in -----------------------------------------------------------------
    def create_template(self, call: Call) -> tuple[int | None, Any]:
        body = lower(call.body)
        customer = self.customer(call, "Customer-Id")
        identity = call.params["IdentityNumber"]
        if self.store.one("SELECT 1 FROM identities WHERE customer_id = ? AND address = ?", customer, identity) is None:
            raise ApiError(404, "not_found", f"{identity!r} is not a WhatsApp identity of customer {customer!r}",
                           parameter="IdentityNumber")
        categories = [r[0] for r in self.store.all("SELECT name FROM template_categories ORDER BY position")]
        if body["category"] not in categories:
            raise ApiError(400, "invalid_request", f"/Category: {body['category']!r} is not a template category "
                           f"({', '.join(categories)})", pointer="/Category")
        if not re.fullmatch(r"[A-Za-z]{2}", body["language"]):
            raise ApiError(400, "invalid_request", f"/Language: {body['language']!r} is not a 2-character "
                           "language code", pointer="/Language")
        for i, button in enumerate(body.get("buttons") or []):
            limit = 2000 if button.get("type") == "Url" else 20
            if len(button.get("data") or "") > limit:
                raise ApiError(400, "invalid_request", f"/Buttons/{i}/Data: longer than {limit} characters",
                               pointer=f"/Buttons/{i}/Data")
        with self.store.tx() as c:
            if c.execute("SELECT 1 FROM templates WHERE customer_id = ? AND display_name = ?",
                         (customer, body["displayname"])).fetchone():
                raise ApiError(409, "conflict", f"/DisplayName: customer {customer!r} already has a template named "
                               f"{body['displayname']!r}", pointer="/DisplayName")
            c.execute("INSERT INTO templates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (new_id(), customer, identity, body["displayname"], body["rawcontent"],
                       body["category"], body["language"], json.dumps(body.get("buttons") or []),
                       body.get("attachmenturl"), time.time()))
        return None, None

    def _opt(self, call: Call, opted_in: bool) -> tuple[int | None, Any]:
        sender = call.params["Sender"]
        owned = self.store.one("SELECT 1 FROM identities i JOIN user_customers u ON u.customer_id = i.customer_id "
                               "WHERE u.user_id = ? AND i.address = ?", call.grant.user_id, sender)
        if owned is None:
            raise ApiError(404, "not_found", f"{sender!r} is not a WhatsApp identity of the user's customers",
                           parameter="Sender")
        try:
            recipient = canonical_phone(call.params["Recipient"])
        except PhoneError as exc:
            raise ApiError(400, "invalid_request", str(exc), parameter="Recipient") from None
        with self.store.tx() as c:
            c.execute("INSERT OR REPLACE INTO optins VALUES (?, ?, ?, ?)", (sender, recipient, int(opted_in), time.time()))
        return None, None

    def opt_in(self, call: Call) -> tuple[int | None, Any]:
        return self._opt(call, True)

    def opt_out(self, call: Call) -> tuple[int | None, Any]:
        return self._opt(call, False)

    # -- group contacts --------------------------------------------------------------------------------
    def group(self, call: Call) -> str:
        customer = self.customer(call, "Customer")
        return self.service(customer, call.params["Group Service"], "Group Service", ("Group",))["id"]

    @staticmethod
    def phone(raw: str, regions: list[str] | tuple[str, ...], where: dict[str, str]) -> str:
        try:
            return canonical_phone(raw, regions)
        except PhoneError as exc:
            raise ApiError(400, "invalid_request", str(exc), **where) from None

    @staticmethod
    def _contact_fields(body: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in body.items() if k not in ("phone", "phonenumberregions")}

    def get_contact(self, call: Call) -> tuple[int | None, Any]:
        service = self.group(call)
        region = call.params.get("Region")
        if region and not known_region(region):
            raise ApiError(400, "invalid_request", f"{region!r} is not a phone number region", parameter="Region")
        phone = self.phone(call.params["Phone"], [region] if region else [], {"parameter": "Phone"})
        row = self.store.one("SELECT * FROM contacts WHERE service_id = ? AND phone = ?", service, phone)
        if row is None:
            raise ApiError(404, "not_found", f"group service {service!r} has no contact {phone}", parameter="Phone")
        return None, {**lower(json.loads(row["data"])), "phone": row["phone"], "failedmessages": row["failed_messages"]}

    def create_contact(self, call: Call) -> tuple[int | None, Any]:
        service = self.group(call)
        body = {**lower(call.body_defaults), **lower(call.body)}
        phone = self.phone(body["phone"], body.get("phonenumberregions") or [], {"pointer": "/phone"})
        contact_id = new_id()
        now = time.time()
        with self.store.tx() as c:
            if c.execute("SELECT 1 FROM contacts WHERE service_id = ? AND phone = ?", (service, phone)).fetchone():
                raise ApiError(409, "conflict", f"/phone: group service {service!r} already has a contact {phone}",
                               pointer="/phone")
            c.execute("INSERT INTO contacts (id, service_id, phone, data, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                      (contact_id, service, phone, json.dumps(self._contact_fields(body), ensure_ascii=False),
                       now, now))
        return None, contact_id

    def update_contact(self, call: Call) -> tuple[int | None, Any]:
        service = self.group(call)
        body = lower(call.body)
        phone = self.phone(call.params["Phone"], body.get("phonenumberregions") or [], {"parameter": "Phone"})
        with self.store.tx() as c:
            row = c.execute("SELECT * FROM contacts WHERE service_id = ? AND phone = ?", (service, phone)).fetchone()
            if row is None:
                return None, False
            data = {**json.loads(row["data"]), **self._contact_fields(body)}
            c.execute("UPDATE contacts SET data = ?, updated = ? WHERE id = ?",
                      (json.dumps(data, ensure_ascii=False), time.time(), row["id"]))
        return None, True

    def delete_contact(self, call: Call) -> tuple[int | None, Any]:
        service = self.group(call)
        phone = self.phone(call.params["Phone"], [], {"parameter": "Phone"})
        with self.store.tx() as c:
            deleted = c.execute("DELETE FROM contacts WHERE service_id = ? AND phone = ?", (service, phone)).rowcount
        return None, deleted > 0

    def delete_all_contacts(self, call: Call) -> tuple[int | None, Any]:
        service = self.group(call)
        with self.store.tx() as c:
            c.execute("DELETE FROM contacts WHERE service_id = ?", (service,))
        return None, True

    # -- the webhook trigger ---------------------------------------------------------------------------
    def subscribe(self, call: Call) -> tuple[int | None, Any]:
        body = lower(call.body)
        customer = self.customer(call, "Customer")
        svc = self.service(customer, call.params["Service"], "Service", ("TwoWay",))
        options = body["options"]
        self.callback_url(options["endpointurl"], "/options/endpointUrl")
        if options["httpverb"].upper() not in ("POST", "PUT"):
            raise ApiError(400, "invalid_request", "/options/httpVerb: must be POST or PUT",
                           pointer="/options/httpVerb")
        if body["actiontype"] != "HttpRequest":
            raise ApiError(400, "invalid_request", "/actionType: only HttpRequest actions are supported",
                           pointer="/actionType")
        sub_id = new_id()
        with self.store.tx() as c:
            c.execute("INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (sub_id, svc["id"], customer, options["endpointurl"], options["httpverb"].upper(),
                       body.get("name"), body.get("actiontype"), body.get("description"), time.time()))
        return None, {"id": sub_id}

    def unsubscribe(self, call: Call) -> tuple[int | None, Any]:
        pipeline, action = call.params["Pipeline-Id"], call.params["Action-Id"]
        with self.store.tx() as c:
            deleted = c.execute(
                "DELETE FROM subscriptions WHERE id = ? AND pipeline_id = ? AND customer_id IN "
                "(SELECT customer_id FROM user_customers WHERE user_id = ?)",
                (action, pipeline, call.grant.user_id)).rowcount
        if not deleted:
            raise ApiError(404, "not_found", f"pipeline {pipeline!r} has no webhook action {action!r}",
                           parameter="Action-Id")
        return None, None

    # -- inbound messages (the mock's control endpoint) ------------------------------------------------
    def inbound(self, data: Any) -> dict[str, Any]:
        """Deliver an inbound message: store it and queue one notification per subscription of its service."""
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_request", "the body must be a JSON object", pointer="")
        problems = []
        for key in ("service", "sender", "content"):
            if not isinstance(data.get(key), str) or not data.get(key):
                problems.append({"pointer": f"/{key}", "reason": "is required and must be a non-empty string"})
        for key in ("protocol", "recipient", "messageId"):
            if key in data and not isinstance(data[key], str):
                problems.append({"pointer": f"/{key}", "reason": "must be a string"})
        attachments = data.get("attachments", [])
        if not isinstance(attachments, list):
            problems.append({"pointer": "/attachments", "reason": "must be an array"})
            attachments = []
        for i, att in enumerate(attachments):
            if not isinstance(att, dict) or not all(isinstance(att.get(k, ""), str) for k in
                                                    ("name", "mimeType", "resourceLocation")):
                problems.append({"pointer": f"/attachments/{i}",
                                 "reason": "must be an object with string name, mimeType, resourceLocation"})
        if problems:
            raise ApiError(400, "invalid_request", f"{problems[0]['pointer']}: {problems[0]['reason']}",
                           problems=problems)
        svc = self.store.one("SELECT * FROM services WHERE id = ?", data["service"])
        if svc is None:
            raise ApiError(404, "not_found", f"/service: no service {data['service']!r}", pointer="/service")
        if svc["type"] != "TwoWay":
            raise ApiError(400, "invalid_service", f"/service: {svc['id']!r} is a {svc['type']} service; inbound "
                           "messages arrive at TwoWay services", pointer="/service")
        now = time.time()
        message_id = data.get("messageId") or new_id()
        with self.store.tx() as c:
            if c.execute("SELECT 1 FROM inbound WHERE id = ?", (message_id,)).fetchone():
                raise ApiError(409, "conflict", f"/messageId: {message_id!r} was already delivered",
                               pointer="/messageId")
            thread = c.execute("SELECT id FROM threads WHERE service_id = ? AND participant = ?",
                               (svc["id"], data["sender"])).fetchone()
            thread_id = thread["id"] if thread else new_id()
            if thread is None:
                c.execute("INSERT INTO threads VALUES (?, ?, ?, ?, ?)",
                          (thread_id, svc["customer_id"], svc["id"], data["sender"], now))
            message = {"sender": data["sender"], "recipient": data.get("recipient") or svc["address"],
                       "content": data["content"], "timestamp": iso(now), "protocol": data.get("protocol") or "SMS",
                       "attachments": attachments, "messageid": message_id}
            c.execute("INSERT INTO inbound VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (message_id, svc["id"], thread_id, message["sender"], message["recipient"], message["content"],
                       message["protocol"], json.dumps(attachments, ensure_ascii=False), now))
            payload = json_bytes(self.notification(lower(message)))
            subs = c.execute("SELECT id, url, verb FROM subscriptions WHERE pipeline_id = ? ORDER BY created",
                             (svc["id"],)).fetchall()
            for sub in subs:
                self.jobs.add("webhook", method=sub["verb"], url=sub["url"], body=payload, ref=sub["id"])
        if subs:
            self.jobs.notify()
        return {"messageId": message_id, "threadId": thread_id, "deliveries": len(subs)}
