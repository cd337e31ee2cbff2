"""A small Kayako Messenger (customer side) client, written from public sources only — never from this
project's code (nothing here imports `kayako_desktop`): developer.kayako.com/api/v1/help_center/conversations
and the official Kayako Java SDK's `messenger` package (trilogy-group/kayako-Kayako-Java-SDK), as summarised
with sources in shared/research/kayako.md §A1.10.

What a Messenger SDK does: it makes up a fingerprint (a UUID) once, sends it as `X-Fingerprint-ID` on every
call, reads the conversation starter, starts a conversation with its first message, lists and posts
messages, sets `message_status` on what it has read, and rates the conversation."""

from __future__ import annotations

import uuid
from typing import Any

import requests


class MessengerError(Exception):
    def __init__(self, status: int, code: str, message: str, parameter: str | None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


class Messenger:
    def __init__(self, base_url: str, fingerprint: str | None = None) -> None:
        self.api = base_url.rstrip("/") + "/api/v1"
        self.fingerprint = fingerprint or str(uuid.uuid4())
        self.http = requests.Session()
        self.http.headers.update({"Accept": "application/json", "X-Fingerprint-ID": self.fingerprint,
                                  "User-Agent": "kayako-messenger-doc-client/1.0"})
        self.last: requests.Response | None = None

    def call(self, method: str, resource: str, *, args: dict[str, Any] | None = None,
             json: dict[str, Any] | None = None) -> Any:
        r = self.http.request(method, f"{self.api}/{resource}.json", params=args, json=json, timeout=30)
        self.last = r
        body = r.json()
        if r.status_code >= 400:
            error = body["errors"][0]
            raise MessengerError(r.status_code, error["code"], error["message"], error.get("parameter"))
        return body["data"]

    def starter(self) -> dict[str, Any]:
        # the agents and conversations in it are nested resources: asked for whole ("include", A1.5)
        return self.call("GET", "conversations/starter", args={"include": "*"})  # type: ignore[no-any-return]

    def start(self, name: str, email: str, subject: str, contents: str, client_id: str | None = None) -> dict[str, Any]:
        return self.call("POST", "conversations", json={  # type: ignore[no-any-return]
            "name": name, "email": email, "subject": subject, "contents": contents, "source": "MESSENGER",
            "client_id": client_id or str(uuid.uuid4())})

    def conversations(self, offset: int = 0, limit: int = 10) -> list[dict[str, Any]]:
        return self.call("GET", "conversations", args={"offset": offset, "limit": limit})  # type: ignore[no-any-return]

    def messages(self, conversation_id: int) -> list[dict[str, Any]]:
        return self.call("GET", f"conversations/{conversation_id}/messages")  # type: ignore[no-any-return]

    def send(self, conversation_id: int, contents: str) -> dict[str, Any]:
        return self.call("POST", f"conversations/{conversation_id}/messages", json={  # type: ignore[no-any-return]
            "contents": contents, "source": "MESSENGER", "client_id": str(uuid.uuid4())})

    def set_status(self, conversation_id: int, message_id: int, status: str) -> dict[str, Any]:
        return self.call("PUT", f"conversations/{conversation_id}/messages/{message_id}",  # type: ignore[no-any-return]
                         json={"message_status": status})

    def rate(self, conversation_id: int, score: str, comment: str | None = None) -> dict[str, Any]:
        return self.call("POST", f"conversations/{conversation_id}/ratings",  # type: ignore[no-any-return]
                         json={"score": score, "comment": comment})
