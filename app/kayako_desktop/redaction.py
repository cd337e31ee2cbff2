"""Credentials never reach a log line. Access logs print request lines, so any credential a client puts in
a query string (a visitor token, a signed link's signature, the bridge's files key) is cut out there."""

from __future__ import annotations

import logging
import re

SECRET_PARAMS = re.compile(r"([?&](?:k|sig|token|files|visitor_token|session_id)=)[^&\s\"']+")


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SECRET_PARAMS.search(message):
            record.msg, record.args = SECRET_PARAMS.sub(r"\1[redacted]", message), None
        return True


def redact(*logger_names: str) -> None:
    """Install the filter on these loggers (once each)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
