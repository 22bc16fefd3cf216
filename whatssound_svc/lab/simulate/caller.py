"""Call RPCs the way PostgREST does for supabase-js: one transaction per request on a pool of
connections, the caller's role and JWT claims set locally, the function called with named
arguments, its result serialised to JSON."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from whatssound_svc.local.postgrest import PostgrestError

#: PostgREST's pool size on the smallest compute (and what the benchmarks model).
POOL_SIZE = 10

PRELUDE = (
    "select set_config('search_path', '\"public\", \"extensions\"', true),"
    " set_config('statement_timeout', '8s', true), set_config('role', 'authenticated', true),"
    " set_config('request.jwt.claims', %s, true), set_config('request.method', 'POST', true),"
    " set_config('request.path', %s, true)"
)
#: PostgREST's pre-request hook (pgrst.db_pre_request on the authenticator role: it refuses a
#: suspended account), run after the settings and before the request's query.
PRE_REQUEST = "select hidden.check_request()"


@dataclass(frozen=True)
class Answer:
    """One request's outcome: the JSON result or the error's SQLSTATE, its latency, response bytes."""

    result: Any
    code: str | None
    seconds: float
    response_bytes: int


def claims(user_id: uuid.UUID) -> str:
    """The access token's claims as GoTrue issues them for a signed-in phone user."""
    return json.dumps({
        "sub": str(user_id), "role": "authenticated", "aud": "authenticated", "aal": "aal1",
        "session_id": "simulator", "is_anonymous": False,
    })  # fmt: skip


async def rpc(pool: AsyncConnectionPool, user_id: uuid.UUID, function: str, *, scheduled: float | None = None,
              **args: Any) -> Answer:  # fmt: skip
    """``supabase.rpc(function, args)`` as ``user_id``. Latency counts from ``scheduled`` (a
    ``time.perf_counter()`` value: the moment the app meant to call) when given, so waiting for a
    pooled connection counts, as it does for a phone."""
    started = time.perf_counter() if scheduled is None else scheduled
    call = sql.SQL("select to_json({fn}({args}))").format(
        fn=sql.Identifier("public", function),
        args=sql.SQL(", ").join(sql.SQL("{} => %s").format(sql.Identifier(name)) for name in args),
    )
    values = [None if v is None else str(v) for v in args.values()]
    try:
        async with pool.connection() as conn, conn.transaction():
            await conn.execute(PRELUDE, (claims(user_id), f"/rpc/{function}"))
            await conn.execute(PRE_REQUEST)
            row = await (await conn.execute(call, values)).fetchone()
    except psycopg.Error as exc:
        code = PostgrestError(exc, "authenticated").code or type(exc).__name__  # ours, from a PGRST raise too
        return Answer(None, code, time.perf_counter() - started, 0)
    result = row[0] if row else None
    return Answer(
        result, None, time.perf_counter() - started, len(json.dumps(result, separators=(",", ":")).encode())
    )
