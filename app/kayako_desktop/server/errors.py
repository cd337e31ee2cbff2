"""ApiError: the one exception type views, actions and socket handlers raise for a client's mistake."""

from __future__ import annotations

from typing import Any

from kayako_desktop.protocol.errors import ErrorCode, http_status


class ApiError(Exception):
    def __init__(
        self,
        code: ErrorCode,
        message: str,
        parameter: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.parameter = parameter
        self.status = status or http_status(code)
        self.headers = headers or {}

    def body(self, base_url: str = "") -> dict[str, Any]:
        """Kayako's error envelope; `more_info` is this server's page for the code (under `base_url`)."""
        err = {"code": str(self.code), "message": self.message, "more_info": f"{base_url}/api/v1/errors/{self.code}"}
        if self.parameter:
            err["parameter"] = self.parameter
        return {"status": self.status, "errors": [err]}


def not_found(what: str) -> ApiError:
    return ApiError(ErrorCode.NOT_FOUND, f"{what} not found")
