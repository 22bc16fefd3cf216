"""Hostile values per PostgreSQL type, and the check that an error is one the app may see.

Shared by the hostile-input tests of RPCs and of direct table writes (issue 17 §4). An error
passes when its SQLSTATE is in docs/error-codes.md's tables and its message, details and hint
name no internals; one of the registry's argument-parsing codes passes only when casting the
JSON body to the target types (what PostgREST does first) is itself what fails with it.
"""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

from whatssound_svc import paths

REGISTRY = (paths.REPO_ROOT / "docs" / "error-codes.md").read_text()
#: The registry's argument-parsing codes (its "Argument parsing" table) and all its other codes.
CAST_CODES = set(re.findall(r"^\| `(22[0-9A-Z]{3})` \| argument", REGISTRY, flags=re.MULTILINE))
CODES = set(re.findall(r"^\| `([0-9A-Z]{5})` \|", REGISTRY, flags=re.MULTILINE)) - CAST_CODES
#: PostgreSQL's constraint wording and constraint-style names. (Row-level security's own 42501,
#: "new row violates row-level security policy for table <t>", names the public table written.)
LEAKS = re.compile(
    r"failing row|violates (?!row-level security)|constraint|\w_(check\d*|fkey|pkey|key|excl)\b",
    re.IGNORECASE,
)

_RNG = random.Random(17)  # fixed seed: the same values every run
UUIDS = [str(uuid.UUID(int=_RNG.getrandbits(128))) for _ in range(3)]
_LONG = "ü" * 10_000
_CONTROL = "a\x01\x07\x08\x0b\x1b[31m\x7f\u202e\u200b\ufeffz"  # NUL-free: that is its own case
_NUL = "a\x00b"  # a JSON \u0000, which PostgreSQL cannot turn into text (22P05 while parsing)
_STRINGS: list[Any] = ["", _LONG, _CONTROL, _NUL, "   ", '{"a":', "[1,2", "{}", "[]", '{"$ne": null}',
                       "' or 1=1 --", "\\u0000"]  # fmt: skip
_NUMBERS: list[Any] = [0, -1, 2**31 - 1, -(2**31), 2**31, 2**63, -(2**63) - 1, 10**30, 1e308, -1e308, 0.5,
                       "NaN", "Infinity", "-Infinity"]  # fmt: skip
_TIMES = ["0001-01-01T00:00:00Z", "4713-01-01 00:00:00 BC", "294276-12-31T23:59:59Z", "9999-12-31T23:59:59Z",
          "infinity", "-infinity", "1970-01-01T00:00:00Z", "2026-02-30T00:00:00Z"]  # fmt: skip
_TEXT = {"text", "character varying", "citext"}
_NUMERIC = {"integer", "bigint", "smallint", "numeric", "double precision", "real"}


def hostile(typ: str) -> list[Any]:
    """The hostile JSON values for a value of type ``typ`` (format_type's spelling)."""
    # Any string fails the cast to a non-text type alike (PostgREST's parsing): a few suffice there.
    values: list[Any] = [None, *(_STRINGS if typ in _TEXT or typ.endswith("[]") else _STRINGS[:5])]
    if typ.endswith("[]"):
        values += [[], [None], [_LONG], [""] * 1000, [_CONTROL, UUIDS[0]]]
    elif typ == "uuid":
        values += [*UUIDS[:2], str(uuid.UUID(int=0))]
    elif typ in _NUMERIC:
        values += _NUMBERS
    elif typ.startswith("timestamp") or typ == "date":
        values += _TIMES
    elif typ == "interval":
        values += ["1000000 years", "-1 day", "178000000 years", "infinity", 10**30]
    elif typ in ("json", "jsonb"):
        values += [{}, [], {"a": _LONG}, [None] * 1000, 1e308, {"$ne": None}]
    elif typ == "boolean":
        values += [0, 1, "maybe"]
    else:  # text and enums
        values += [-1, 10**30, {"a": 1}, ["x"]]
    return values


def plausible(name: str, typ: str, label: str, ids: dict[str, str]) -> Any:
    """A value that passes basic checks (an id from ``ids`` by name), so hostile neighbours reach deep."""
    if label:  # an enum: its first label
        return label
    if typ == "uuid":
        return next((value for key, value in ids.items() if key in name), UUIDS[2])
    if typ.endswith("[]"):
        return []
    if "url" in name:
        return "https://example.com/cover.png"
    return {"boolean": True, "jsonb": {}, "json": {}, "interval": "1 hour", "date": "2099-01-01",
            "timestamp with time zone": "2099-01-01T20:00:00Z"}.get(typ, 1 if typ in _NUMERIC else "hello")  # fmt: skip


def verdict(code: str, message: str, cast_code: str | None) -> str | None:
    """None if an error with ``code`` and ``message`` (message, details and hint) is fine, else why.

    ``cast_code`` is the SQLSTATE that casting the request body alone fails with (None: it casts).
    """
    if code in CODES and not LEAKS.search(message):
        return None
    if code in CAST_CODES and code == cast_code:
        return None
    return f"{code} {message[:200]}"


def shown(args: dict[str, Any]) -> dict[str, Any]:
    """Arguments shortened for a failure list."""

    def short(value: Any) -> Any:
        if isinstance(value, str) and len(value) > 20:
            return value[:20] + "…"
        return f"[{len(value)} items]" if isinstance(value, list) and len(value) > 3 else value

    return {k: short(v) for k, v in args.items()}
