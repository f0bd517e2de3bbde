"""SmartDialog's mock state: its tables and its fixture (``fixture.yaml``, the shape documented there),
checked with every problem named by JSON pointer before anything is written."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

from connector.errors import UsageError
from connector.mock.store import hash_password

from .phones import PhoneError, canonical_phone

DEFAULT_FIXTURE = Path(__file__).with_name("fixture.yaml")
SERVICE_TYPES = ("OneWay", "TwoWay", "Group")

SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS user_customers (user_id TEXT NOT NULL, customer_id TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (user_id, customer_id));
CREATE TABLE IF NOT EXISTS services (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, allow_reply INTEGER NOT NULL, address TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS identities (customer_id TEXT NOT NULL, address TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (customer_id, address));
CREATE TABLE IF NOT EXISTS template_categories (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS regions (value TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS templates (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, identity TEXT NOT NULL,
  display_name TEXT NOT NULL, raw_content TEXT NOT NULL, category TEXT NOT NULL, language TEXT NOT NULL,
  buttons TEXT NOT NULL DEFAULT '[]', attachment_url TEXT, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS templates_by_customer ON templates (customer_id, created);
CREATE TABLE IF NOT EXISTS contacts (id TEXT PRIMARY KEY, service_id TEXT NOT NULL, phone TEXT NOT NULL,
  data TEXT NOT NULL, failed_messages INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL, updated REAL NOT NULL,
  UNIQUE (service_id, phone));
CREATE TABLE IF NOT EXISTS threads (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, service_id TEXT NOT NULL,
  participant TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, operation TEXT NOT NULL, customer_id TEXT NOT NULL,
  service_id TEXT, parent_id TEXT, thread_id TEXT, sender TEXT, content TEXT NOT NULL, protocol TEXT NOT NULL,
  parts INTEGER NOT NULL, send_at REAL, status TEXT NOT NULL, request_id TEXT, dlr_url TEXT,
  recipients TEXT NOT NULL, data TEXT NOT NULL DEFAULT '{}', created REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS request_ids (customer_id TEXT NOT NULL, request_id TEXT NOT NULL, message_id TEXT NOT NULL,
  created REAL NOT NULL, PRIMARY KEY (customer_id, request_id));
CREATE TABLE IF NOT EXISTS inbound (id TEXT PRIMARY KEY, service_id TEXT NOT NULL, thread_id TEXT NOT NULL,
  sender TEXT NOT NULL, recipient TEXT NOT NULL, content TEXT NOT NULL, protocol TEXT NOT NULL,
  attachments TEXT NOT NULL, received REAL NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, pipeline_id TEXT NOT NULL, customer_id TEXT NOT NULL,
  url TEXT NOT NULL, verb TEXT NOT NULL, name TEXT, action_type TEXT, description TEXT, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS subscriptions_by_pipeline ON subscriptions (pipeline_id);
CREATE TABLE IF NOT EXISTS optins (sender TEXT NOT NULL, recipient TEXT NOT NULL, opted_in INTEGER NOT NULL,
  updated REAL NOT NULL, PRIMARY KEY (sender, recipient));
"""


def check_fixture(data: Any) -> list[str]:
    """Every problem of a fixture, each naming its place (a JSON pointer) and what is expected there."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["/: the fixture must be a mapping with users, customers, templateCategories, phoneNumberRegions"]

    def need_list(key: str) -> list:
        value = data.get(key)
        if not isinstance(value, list):
            problems.append(f"/{key}: must be a list")
            return []
        return value

    customers = need_list("customers")
    customer_ids: set[str] = set()
    service_ids: set[str] = set()
    for i, cust in enumerate(customers):
        at = f"/customers/{i}"
        if not isinstance(cust, dict) or not isinstance(cust.get("id"), str) or not isinstance(cust.get("name"), str):
            problems.append(f"{at}: needs string 'id' and 'name'")
            continue
        if cust["id"] in customer_ids:
            problems.append(f"{at}/id: duplicate customer id {cust['id']!r}")
        customer_ids.add(cust["id"])
        own_services: set[str] = set()
        for j, svc in enumerate(cust.get("services") or []):
            sat = f"{at}/services/{j}"
            if not isinstance(svc, dict) or not all(isinstance(svc.get(k), str) for k in ("id", "name", "address")):
                problems.append(f"{sat}: needs string 'id', 'name' and 'address'")
                continue
            if svc.get("type") not in SERVICE_TYPES:
                problems.append(f"{sat}/type: must be one of {', '.join(SERVICE_TYPES)}")
            if svc["id"] in service_ids:
                problems.append(f"{sat}/id: duplicate service id {svc['id']!r}")
            service_ids.add(svc["id"])
            own_services.add(svc["id"])
        identities = cust.get("whatsappIdentities") or []
        if not isinstance(identities, list) or not all(isinstance(x, str) for x in identities):
            problems.append(f"{at}/whatsappIdentities: must be a list of strings")
        for j, tpl in enumerate(cust.get("whatsappTemplates") or []):
            keys = ("id", "displayName", "rawContent", "category", "language", "identity")
            if not isinstance(tpl, dict) or not all(isinstance(tpl.get(k), str) for k in keys):
                problems.append(f"{at}/whatsappTemplates/{j}: needs string {', '.join(keys)}")
        for j, th in enumerate(cust.get("threads") or []):
            if not isinstance(th, dict) or not all(isinstance(th.get(k), str) for k in ("id", "service", "participant")):
                problems.append(f"{at}/threads/{j}: needs string 'id', 'service' and 'participant'")
            elif th["service"] not in own_services:
                problems.append(f"{at}/threads/{j}/service: {th['service']!r} is not a service of this customer")
        for j, ct in enumerate(cust.get("contacts") or []):
            if not isinstance(ct, dict) or not isinstance(ct.get("service"), str) or not isinstance(ct.get("phone"), str):
                problems.append(f"{at}/contacts/{j}: needs string 'service' and 'phone'")
            elif ct["service"] not in own_services:
                problems.append(f"{at}/contacts/{j}/service: {ct['service']!r} is not a service of this customer")
    for i, user in enumerate(need_list("users")):
        at = f"/users/{i}"
        if not isinstance(user, dict) or not all(isinstance(user.get(k), str) for k in ("id", "name", "password")):
            problems.append(f"{at}: needs string 'id', 'name' and 'password'")
            continue
        for j, cid in enumerate(user.get("customers") or []):
            if cid not in customer_ids:
                problems.append(f"{at}/customers/{j}: no customer has the id {cid!r}")
    cats = need_list("templateCategories")
    if not all(isinstance(x, str) for x in cats):
        problems.append("/templateCategories: must be a list of strings")
    for i, reg in enumerate(need_list("phoneNumberRegions")):
        if not isinstance(reg, dict) or not isinstance(reg.get("value"), str) or not isinstance(reg.get("name"), str):
            problems.append(f"/phoneNumberRegions/{i}: needs string 'value' and 'name'")
    return problems


def insert_fixture(c: sqlite3.Connection, data: dict[str, Any]) -> None:
    now = time.time()
    for i, cust in enumerate(data["customers"]):
        c.execute("INSERT INTO customers VALUES (?, ?, ?)", (cust["id"], cust["name"], i))
        for j, svc in enumerate(cust.get("services") or []):
            c.execute("INSERT INTO services VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (svc["id"], cust["id"], svc["name"], svc["type"], int(bool(svc.get("allowReply"))),
                       svc["address"], j))
        for j, addr in enumerate(cust.get("whatsappIdentities") or []):
            c.execute("INSERT INTO identities VALUES (?, ?, ?)", (cust["id"], addr, j))
        for tpl in cust.get("whatsappTemplates") or []:
            c.execute("INSERT INTO templates (id, customer_id, identity, display_name, raw_content, category, "
                      "language, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (tpl["id"], cust["id"], tpl["identity"], tpl["displayName"], tpl["rawContent"],
                       tpl["category"], tpl["language"], now))
        for th in cust.get("threads") or []:
            c.execute("INSERT INTO threads VALUES (?, ?, ?, ?, ?)",
                      (th["id"], cust["id"], th["service"], th["participant"], now))
        for j, ct in enumerate(cust.get("contacts") or []):
            try:
                phone = canonical_phone(ct["phone"], ct.get("phoneNumberRegions") or ())
            except PhoneError as exc:
                raise UsageError(f"fixture /customers/{i}/contacts/{j}/phone: {exc}") from None
            fields = {k: v for k, v in ct.items() if k not in ("service", "phone", "phoneNumberRegions")}
            fields.setdefault("active", True)
            c.execute("INSERT INTO contacts (id, service_id, phone, data, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                      (str(uuid.uuid4()), ct["service"], phone, json.dumps(fields), now, now))
    for user in data["users"]:
        c.execute("INSERT INTO users VALUES (?, ?, ?)", (user["id"], user["name"], hash_password(user["password"])))
        for j, cid in enumerate(user.get("customers") or []):
            c.execute("INSERT INTO user_customers VALUES (?, ?, ?)", (user["id"], cid, j))
    for i, name in enumerate(data["templateCategories"]):
        c.execute("INSERT INTO template_categories VALUES (?, ?)", (name, i))
    for i, reg in enumerate(data["phoneNumberRegions"]):
        c.execute("INSERT INTO regions VALUES (?, ?, ?)", (reg["value"], reg["name"], i))
