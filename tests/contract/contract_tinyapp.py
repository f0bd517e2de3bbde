"""A tiny service for unit tests of the platform-like client: OAuth (code + refresh), a dropdown source,
an action with path encoding, a flaky endpoint and a webhook. Not the SmartDialog mock: the must-show
tests run against the real `connector mock`."""

from __future__ import annotations

import json
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from connector.contract.mockproc import free_port


class Tiny:
    def __init__(self):
        self.codes: dict[str, str] = {}
        self.tokens: dict[str, float] = {}  # access token -> expiry
        self.refresh_tokens: set[str] = set()
        self.token_ttl = 3600
        self.flaky: list[tuple[int, dict]] = []  # answers to give before succeeding
        self.hooks: dict[str, str] = {}
        self.seen: list[dict] = []
        self.location = "absolute"  # absolute | relative | none
        self.items_key = "id"

    # -- oauth
    async def authorize(self, request: Request):
        q = request.query_params
        if q.get("prompt") != "none" or q.get("login_hint") != "demo":
            return Response("<html>sign in</html>", media_type="text/html")
        code = secrets.token_hex(4)
        self.codes[code] = q["redirect_uri"]
        return RedirectResponse(q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]}), 302)

    async def token(self, request: Request):
        from urllib.parse import parse_qsl
        form = dict(parse_qsl((await request.body()).decode()))
        if form.get("client_secret") != "s3cret":
            return JSONResponse({"error": "invalid_client"}, 401)
        if form["grant_type"] == "authorization_code":
            if self.codes.pop(form["code"], None) != form["redirect_uri"]:
                return JSONResponse({"error": "invalid_grant"}, 400)
        elif form["grant_type"] == "refresh_token":
            if form["refresh_token"] not in self.refresh_tokens:
                return JSONResponse({"error": "invalid_grant"}, 400)
        access, refresh = secrets.token_hex(8), secrets.token_hex(8)
        self.tokens[access] = time.time() + self.token_ttl
        self.refresh_tokens.add(refresh)
        return JSONResponse({"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
                             "expires_in": self.token_ttl})

    def authed(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ")
        return self.tokens.get(token, 0) > time.time()

    # -- api
    async def api(self, request: Request):
        if not self.authed(request):
            return JSONResponse({"error": "unauthorized"}, 401)
        self.seen.append({"method": request.method, "raw_path": request.scope["raw_path"].decode(),
                          "query": request.scope["query_string"].decode(), "headers": dict(request.headers),
                          "body": (await request.body()).decode()})
        if self.flaky:
            status, headers = self.flaky.pop(0)
            return JSONResponse({"error": "try later"}, status, headers=headers)
        path = request.url.path
        if path == "/v1/kinds":
            return JSONResponse({"kinds": [{self.items_key: "a b/c", "label": {"text": "Spaced"}},
                                           {self.items_key: "plain", "label": {"text": "Plain"}}]})
        if path == "/v1/colors":
            return JSONResponse(["red", "green"])
        if path.startswith("/v1/things/") and request.method == "POST":
            body = json.loads(await request.body())
            from urllib.parse import unquote
            return JSONResponse({"id": "t1", "kind": unquote(request.scope["raw_path"].decode().rsplit("/", 1)[1]), "echo": body})
        if path == "/v1/hooks" and request.method == "POST":
            body = json.loads(await request.body())
            hid = secrets.token_hex(3)
            self.hooks[hid] = body["callback"]
            headers = {}
            if self.location == "absolute":
                headers["Location"] = f"{request.base_url}v1/hooks/{hid}"
            elif self.location == "relative":
                headers["Location"] = f"/v1/hooks/{hid}"
            return JSONResponse({"id": hid}, 201, headers=headers)
        if path.startswith("/v1/hooks/") and request.method == "DELETE":
            self.hooks.pop(path.rsplit("/", 1)[1], None)
            return Response(status_code=204)
        return JSONResponse({"error": "not found"}, 404)

    async def fire(self, request: Request):
        payload = await request.json()
        for url in list(self.hooks.values()):
            httpx.post(url, json=payload, timeout=5)
        return JSONResponse({"delivered": len(self.hooks)})

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/oauth/authorize", self.authorize),
            Route("/oauth/token", self.token, methods=["POST"]),
            Route("/fire", self.fire, methods=["POST"]),
            Route("/v1/{rest:path}", self.api, methods=["GET", "POST", "DELETE", "PUT"]),
        ])


class Served:
    def __init__(self, tiny: Tiny):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(tiny.app(), host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.should_exit = True
        self.thread.join(timeout=5)


def tiny_folder(path: Path, url: str) -> Path:
    """A hand-written connector folder for the tiny service."""
    host = url.split("://", 1)[1]
    swagger = {
        "swagger": "2.0", "info": {"title": "Tiny", "version": "1.0", "description": "t"},
        "host": host, "basePath": "/v1", "schemes": ["http"],
        "paths": {
            "/kinds": {"get": {"operationId": "ListKinds", "x-ms-visibility": "internal", "parameters": [],
                               "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}},
            "/colors": {"get": {"operationId": "ListColors", "x-ms-visibility": "internal", "parameters": [],
                                "responses": {"200": {"description": "ok",
                                                      "schema": {"type": "array", "items": {"type": "string"}}}}}},
            "/things/{Thing Kind}": {"post": {
                "operationId": "CreateThing", "summary": "Create thing",
                "parameters": [
                    {"name": "Thing Kind", "in": "path", "required": True, "type": "string",
                     "x-ms-url-encoding": "single",
                     "x-ms-dynamic-values": {"operationId": "ListKinds", "value-collection": "kinds",
                                             "value-path": "id", "value-title": "label/text"}},
                    {"name": "Mode", "in": "header", "required": True, "type": "string",
                     "x-ms-visibility": "internal", "default": "fast"},
                    {"name": "verbose", "in": "query", "required": False, "type": "boolean"},
                    {"name": "body", "in": "body", "required": True, "schema": {
                        "type": "object", "required": ["name", "meta"],
                        "properties": {
                            "name": {"type": "string"},
                            "color": {"type": "string", "x-ms-dynamic-values": {
                                "operationId": "ListColors"}},
                            "meta": {"type": "object", "x-ms-visibility": "internal", "required": ["source"],
                                     "properties": {"source": {"type": "string", "default": "flow",
                                                               "x-ms-visibility": "internal"}}}}}}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Thing"}}}}},
            "/hooks": {
                "post": {"operationId": "OnEvent", "x-ms-trigger": "single", "summary": "When an event happens",
                         "parameters": [{"name": "body", "in": "body", "required": True, "x-ms-visibility": "internal",
                                         "schema": {"type": "object", "required": ["callback"], "properties": {
                                             "callback": {"type": "string", "x-ms-notification-url": True,
                                                          "x-ms-visibility": "internal"}}}}],
                         "responses": {"201": {"description": "ok"}}},
                "x-ms-notification-content": {"schema": {"type": "object", "required": ["event"],
                                                         "properties": {"event": {"type": "string"}}}}},
            "/hooks/{id}": {"delete": {"operationId": "DeleteHook", "x-ms-visibility": "internal",
                                       "parameters": [{"name": "id", "in": "path", "required": True,
                                                       "type": "string"}],
                                       "responses": {"204": {"description": "gone"}}}},
        },
        "definitions": {"Thing": {"type": "object", "required": ["id"],
                                  "properties": {"id": {"type": "string"}, "kind": {"type": "string"}}}},
    }
    props = {"properties": {"connectionParameters": {"token": {"type": "oauthSetting", "oAuthSettings": {
        "identityProvider": "oauth2", "clientId": "tiny", "scopes": ["offline_access things"],
        "redirectMode": "GlobalPerConnector", "properties": {"IsFirstParty": "False"},
        "customParameters": {"authorizationUrl": {"value": f"{url}/oauth/authorize"},
                             "tokenUrl": {"value": f"{url}/oauth/token"},
                             "refreshUrl": {"value": f"{url}/oauth/token"}}}}},
        "iconBrandColor": "#123456", "capabilities": []}}
    path.mkdir(parents=True, exist_ok=True)
    (path / "apiDefinition.swagger.json").write_text(json.dumps(swagger, indent=2))
    (path / "apiProperties.json").write_text(json.dumps(props, indent=2))
    return path
