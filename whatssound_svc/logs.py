"""Structured logging: one JSON object per line (short readable lines on a terminal), carrying
the request or job id.

Values under keys that look like secrets are redacted, and passwords inside URLs are masked, so
a log line can never leak a token, a key or a payment detail.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: The id of the HTTP request (or job) being handled, added to every log line.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
#: The job being run (id, task), set by the job worker around each job: every log line carries it.
job_var: ContextVar[tuple[int, str] | None] = ContextVar("job", default=None)

_SECRET_KEY = re.compile(r"pass(word)?|secret|token|authorization|api[_-]?key|signature|otp|card", re.I)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")
#: Record attributes that are not ours to log: the standard ones, and uvicorn's ANSI-coloured copy
#: of the message (``color_message``), which is for terminals only.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime", "color_message"}
#: Libraries that log every routine step at INFO (procrastinate: each periodic job, with its
#: whole job dict): WARNING and above unless the service logs at DEBUG. Our own job middleware
#: logs every failure (whatssound_svc/jobs/queue.py).
_CHATTY = ("procrastinate",)


def redact(value: Any, key: str = "") -> Any:
    """``value`` with secrets replaced by ``"[redacted]"`` (recursing into dicts and lists)."""
    if key and _SECRET_KEY.search(key):
        return "[redacted]"
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return _URL_PASSWORD.sub(r"\1***\3", value)
    return value


class JsonFormatter(logging.Formatter):
    """Formats a record as a single JSON line with its structured ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        job = job_var.get()
        if job:
            entry["job_id"], entry["task"] = job
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = redact(value, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO", *, json_output: bool | None = None) -> None:
    """Route all logging to stderr, as JSON lines or as short human-readable lines.

    ``json_output`` None: JSON unless stderr is a terminal (a person reads it).
    """
    if json_output is None:
        json_output = not sys.stderr.isatty()
    handler = logging.StreamHandler(sys.stderr)
    if json_output:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's own access log duplicates ours (which carries the request id).
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    for name in _CHATTY:
        logging.getLogger(name).setLevel(level if level == "DEBUG" else "WARNING")
