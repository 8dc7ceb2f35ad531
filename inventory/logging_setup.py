"""Structured logs: one JSON object per line, each with the request id it belongs to.

Every request gets an id (the client's X-Request-ID when it sends a sane one, else a new
one), returned in the X-Request-ID header and attached to every log line written while
the request runs, so an operator can follow one request through the logs.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry["request_id"] = g.get("request_id")
            entry["method"] = request.method
            entry["path"] = request.path
        for key in ("status", "duration_ms", "remote"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


#: Asset paths answered without a line in the access log while they succeed quickly: a
#: map view fetches dozens of tiles and scripts, whose lines would drown the rest.
QUIET_PREFIXES = ("/static/", "/webmap/static/", "/tiles/")
#: Seconds after which even a quiet path is logged.
QUIET_UNDER_SECONDS = 1.0


def _quiet(path: str, status: int, started: float) -> bool:
    return (
        path.startswith(QUIET_PREFIXES)
        and status < 400
        and time.perf_counter() - started < QUIET_UNDER_SECONDS
    )


def configure(app: Flask) -> None:
    """Install the JSON log handler (once) and the request id / access log hooks."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    access = logging.getLogger("inventory.access")

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        started = g.get("request_started")
        if started is not None and not _quiet(request.path, response.status_code, started):
            access.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response
