"""A small Kayako API v1 client, written from Kayako's public documentation only — never from this
project's code (nothing here imports `kayako_desktop`). Sources, all on developer.kayako.com/api/v1:
reference/introduction (base URL, the optional `.json` suffix, `X-API-Version`), reference/request
(`Accept`, form or JSON bodies), reference/authentication and reference/security (Basic on the first
request, `session_id` in the body, `X-Session-ID`, `X-CSRF-Token`, `X-CSRF: false`), general/sessions
(`PUT /session/ack`), reference/response (the envelope, error objects with `code`, `message`,
`more_info`, `parameter`, status 454 for a lost session), reference/introduction again for `ETag` /
`If-None-Match` / `If-Match`.

It keeps what a Kayako integration keeps: the session id after the first call, the CSRF token for writes,
and the ETag of what it read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests


@dataclass
class KayakoError(Exception):
    status: int
    code: str
    message: str
    more_info: str | None
    parameter: str | None


class Kayako:
    def __init__(self, base_url: str, email: str, password: str, *, csrf: bool = True, suffix: str = ".json"):
        self.api = base_url.rstrip("/") + "/api/v1"
        self.email, self.password = email, password
        self.csrf_enabled = csrf
        self.suffix = suffix
        self.session_id: str | None = None
        self.csrf_token: str | None = None
        self.http = requests.Session()
        self.http.headers.update({"Accept": "application/json", "User-Agent": "kayako-doc-client/1.0"})
        self.last: requests.Response | None = None

    def url(self, resource: str) -> str:
        return f"{self.api}/{resource.strip('/')}{self.suffix}"

    def _headers(self) -> dict[str, str]:
        if self.session_id is None:  # the first request authenticates with Basic (and may turn CSRF off)
            return {"X-CSRF": "true" if self.csrf_enabled else "false"}
        headers = {"X-Session-ID": self.session_id}
        if self.csrf_token:
            headers["X-CSRF-Token"] = self.csrf_token
        return headers

    def call(self, method: str, resource: str, *, args: dict[str, Any] | None = None, json: Any = None,
             form: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> dict[str, Any] | None:
        auth = (self.email, self.password) if self.session_id is None else None
        r = self.http.request(method, self.url(resource), params=args, json=json, data=form, auth=auth,
                              headers={**self._headers(), **(headers or {})}, timeout=30)
        self.last = r
        if r.status_code == 304:
            return None
        body = r.json()
        if r.status_code >= 400:
            error = body["errors"][0]
            raise KayakoError(r.status_code, error["code"], error["message"], error.get("more_info"),
                              error.get("parameter"))
        if "session_id" in body:  # "Use that session for all later calls and stop sending Basic"
            self.session_id = body["session_id"]
            self.csrf_token = r.headers.get("X-CSRF-Token")
        return body  # type: ignore[no-any-return]

    def me(self) -> dict[str, Any]:
        body = self.call("GET", "me")
        assert body is not None
        return body["data"]  # type: ignore[no-any-return]

    def heartbeat(self) -> int:
        body = self.call("PUT", "session/ack")
        assert body is not None
        return int(body["status"])

    def logout(self) -> None:
        self.call("DELETE", "session")
        self.session_id = self.csrf_token = None

    # ---- conversations (cases), per developer.kayako.com/api/v1/cases/cases and cases/posts ----------------
    def cases(self, **args: Any) -> dict[str, Any]:
        body = self.call("GET", "cases", args=args)
        assert body is not None
        return body

    def case_statuses(self) -> list[dict[str, Any]]:
        body = self.call("GET", "cases/statuses")
        assert body is not None
        return body["data"]  # type: ignore[no-any-return]

    def walk(self, resource: str, **args: Any) -> tuple[list[dict[str, Any]], int, int]:
        """Every item of a collection, following `next_url` until it is null; (items, total_count, pages)."""
        body = self.call("GET", resource, args=args)
        assert body is not None
        items, total, pages = list(body["data"]), int(body["total_count"]), 1
        while body["next_url"]:
            r = self.http.get(body["next_url"], headers=self._headers(), timeout=30)
            assert r.status_code == 200, r.text
            body = r.json()
            items += body["data"]
            pages += 1
        return items, total, pages

    def reply(self, case_id: int, contents: str, channel: str = "MESSENGER", **extra: Any) -> dict[str, Any]:
        body = self.call("POST", f"cases/{case_id}/reply", json={"contents": contents, "channel": channel, **extra})
        assert body is not None
        return body["data"]  # type: ignore[no-any-return]

    def upload(self, name: str, data: bytes, content_type: str) -> dict[str, Any]:
        r = self.http.post(self.url("files"), files={"content": (name, data, content_type)}, headers=self._headers(),
                           timeout=30)
        self.last = r
        assert r.status_code == 201, r.text
        return r.json()["data"]  # type: ignore[no-any-return]

    def mark_post(self, post_id: int, status: str = "SEEN") -> dict[str, Any]:
        body = self.call("PUT", f"cases/posts/{post_id}", json={"post_status": status})
        assert body is not None
        return body["data"]  # type: ignore[no-any-return]
