"""Act on the database exactly as PostgREST does for one HTTP request.

Used by the tests (``tests.support.postgrest`` re-exports it) and by ``whatssound rpc``, which lets
a developer call any RPC as a user of the local backend, where no PostgREST runs.

PostgREST (``src/PostgREST/Query/PreQuery.hs``) runs each request as one transaction: it sets,
transaction-locally, the ``search_path`` (exposed schema + extra search path), the impersonated
role's own ``ALTER ROLE ... SET`` values, ``role`` and ``request.jwt.claims``, plus
``request.method``/``request.path``/``request.headers``; then calls the pre-request function
configured as ``pgrst.db_pre_request`` on the ``authenticator`` role, if any (``select <fn>()``:
``src/PostgREST/Query.hs`` ``runPreReq``; docs ``references/transactions.rst`` "Pre-Request"); then
runs the query, READ ONLY when the called function is STABLE or IMMUTABLE, and commits (any error
rolls back).

:func:`request` reproduces that. On a connection already inside a transaction (the rollback
``db`` fixture) the request runs in a savepoint, so its effects stay visible to the rest of the
test and vanish with it; on an idle autocommit connection it is a real committed transaction.
:func:`rpc` calls a function the way ``supabase.rpc(name, args)`` does: a JSON body turned into
named arguments, the result returned as PostgREST would serialise it.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
from psycopg import sql

#: The exposed schema and `extra_search_path` of supabase/config.toml, in PostgREST's order.
SEARCH_PATH = '"public", "public", "extensions"'

#: Where the status rules below come from: PostgREST's source, read at this commit.
POSTGREST_SOURCE = (
    "PostgREST/postgrest@4834678902681402a56c490f29947826e7ed5308 src/library/PostgREST/Error.hs"
)

# mapSQLtoHTTP, in its order: exact codes, then two-character classes (first match wins).
_STATUS_BY_PREFIX: tuple[tuple[str, int], ...] = (
    ("08", 503), ("09", 500), ("0L", 403), ("0P", 403), ("23503", 409), ("23505", 409), ("25006", 405),
    ("25", 500), ("28", 403), ("2D", 500), ("38", 500), ("39", 500), ("3B", 500), ("40", 500),
    ("53400", 500), ("53", 503), ("54", 500), ("55", 500), ("57P01", 503), ("57", 500), ("58", 500),
    ("F0", 500), ("HV", 500), ("P0001", 400), ("P0", 500), ("XX", 500), ("42P01", 404), ("42P17", 500),
)  # fmt: skip


# mapSQLtoHTTP's codes whose status depends on the message or on who asks.
_STATUS_BY_CASE: dict[str, Callable[[str, bool], int]] = {
    # cardinality_violation: pg-safeupdate's refusal is the client's fault, anything else a bug.
    "21000": lambda message, _: 400 if message.endswith("requires a WHERE clause") else 500,
    # invalid_parameter_value: "role ... does not exist" is a JWT naming no role (PostgREST #3601).
    "22023": lambda message, _: (
        401 if message.startswith("role") and message.endswith("does not exist") else 400
    ),
    "42883": lambda message, _: 406 if message.startswith("function xmlagg(") else 404,
    "42501": lambda _, authenticated: 403 if authenticated else 401,
}


def status_of(sqlstate: str, message: str, authenticated: bool) -> int:
    """The HTTP status PostgREST answers a database error with (``mapSQLtoHTTP`` of
    :data:`POSTGREST_SOURCE`; docs ``references/errors.rst``, "HTTP Status Codes"). A ``PGRST``
    error carries its own status (see :meth:`PostgrestError.from_raise`)."""
    if case := _STATUS_BY_CASE.get(sqlstate):
        return case(message, authenticated)
    if sqlstate.startswith("PT"):  # PTnnn: status nnn (500 if not a number)
        return int(sqlstate[2:]) if sqlstate[2:].isdigit() else 500
    return next((status for prefix, status in _STATUS_BY_PREFIX if sqlstate.startswith(prefix)), 400)


_MESSAGE_RULE = (
    "MESSAGE must be a JSON object with obligatory keys: 'code', 'message'"
    " and optional keys: 'details', 'hint'."
)
_DETAIL_RULE = (
    "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'."
)


def _json_object(text: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class PostgrestError(Exception):
    """What supabase-js gets back as ``error``: code, message, details, hint; and the HTTP
    status and headers of the response."""

    code: str
    message: str
    details: str | None
    hint: str | None
    role: str
    status: int
    headers: dict[str, str]

    def __init__(self, exc: psycopg.Error, role: str) -> None:
        diag = exc.diag
        sqlstate, message = exc.sqlstate or "", diag.message_primary or str(exc)
        if sqlstate == "PGRST":
            self.from_raise(message, diag.message_detail, role)
            return
        self._describe(sqlstate, message, diag.message_detail, diag.message_hint, role,
                       status=status_of(sqlstate, message, role != "anon"))  # fmt: skip
        if self.status == 401:
            self.headers = {"WWW-Authenticate": "Bearer"}

    def from_raise(self, message: str, detail: str | None, role: str) -> None:
        """``raise sqlstate 'PGRST' using message = <json>, detail = <json>``: the body and the
        status PostgREST answers with (``parseRaisePGRST``: MESSAGE ``{code, message, details?,
        hint?}``, DETAIL ``{status, status_text?, headers}``), or its PGRST121 (500) when either
        does not parse."""
        body, response = _json_object(message), _json_object(detail)
        texts = ("code", "message", "details", "hint")
        if body is None or not all(
            isinstance(body.get(k), str) or (k in ("details", "hint") and body.get(k) is None) for k in texts
        ):
            return self._unparsed(f"Invalid JSON value for MESSAGE: '{message}'", _MESSAGE_RULE, role)
        if detail is None:
            return self._unparsed("DETAIL is missing in the RAISE statement", _DETAIL_RULE, role)
        headers = response.get("headers") if response is not None else None
        if (
            response is None
            or type(response.get("status")) is not int
            or not isinstance(headers, dict)
            or not all(isinstance(v, str) for v in headers.values())
        ):
            return self._unparsed(f"Invalid JSON value for DETAIL: '{detail}'", _DETAIL_RULE, role)
        self._describe(
            body["code"],
            body["message"],
            body.get("details"),
            body.get("hint"),
            role,
            status=response["status"],
        )
        self.headers = dict(headers)
        return None

    def _unparsed(self, details: str, hint: str, role: str) -> None:
        what = "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error"
        self._describe("PGRST121", what, details, hint, role, status=500)

    def _describe(
        self, code: str, message: str, details: str | None, hint: str | None, role: str, *, status: int
    ) -> None:
        self.code = code
        self.message = message
        self.details = details
        self.hint = hint
        self.role = role
        self.status = status
        self.headers = {}
        super().__init__(f"{code}: {message}")

    def body(self) -> dict[str, str | None]:
        """The response body PostgREST sends: ``{code, message, details, hint}``."""
        return {"code": self.code, "message": self.message, "details": self.details, "hint": self.hint}


class UnknownFunction(PostgrestError, LookupError):
    """PGRST202: no function of that name takes those arguments (PostgREST answers 404 before any
    transaction; ``src/PostgREST/Error.hs`` ``NoRpc``)."""

    def __init__(self, function: str, arg_names: list[str], role: str) -> None:
        if arg_names:
            called, searched = f"({', '.join(arg_names)})", f"with parameters {', '.join(arg_names)}"
        else:
            called, searched = " without parameters", "without parameters"
        self._describe(
            "PGRST202",
            f"Could not find the function {function}{called} in the schema cache",
            f"Searched for the function {function} {searched} or with a single unnamed json/jsonb"
            " parameter, but no matches were found in the schema cache.",
            None,
            role,
            status=404,
        )


@dataclass(frozen=True)
class Identity:
    """Who makes a request: the JWT's role and claims (None claims: no JWT, i.e. the anon key)."""

    role: str
    claims: Mapping[str, Any] | None

    @classmethod
    def anon(cls) -> Identity:
        """A request with only the anon key: role anon, claims {"role": "anon"}."""
        return cls(role="anon", claims={"role": "anon"})

    @classmethod
    def service_role(cls) -> Identity:
        """A request with the service key."""
        return cls(role="service_role", claims={"role": "service_role"})


def _role_settings(conn: psycopg.Connection, role: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "select unnest(setconfig) from pg_db_role_setting s join pg_roles r on r.oid = s.setrole"
        " where r.rolname = %s and s.setdatabase in (0, (select oid from pg_database"
        " where datname = current_database()))",
        (role,),
    ).fetchall()
    return [(key, value) for key, _, value in (row[0].partition("=") for row in rows)]


def _impersonate(conn: psycopg.Connection, who: Identity, method: str, path: str, pre_request: bool) -> None:
    settings: list[tuple[str, str]] = [("search_path", SEARCH_PATH)]
    settings += _role_settings(conn, who.role)
    settings += [
        ("role", who.role),
        ("request.jwt.claims", json.dumps(who.claims) if who.claims is not None else ""),
        ("request.method", method),
        ("request.path", path),
        ("request.headers", json.dumps({"x-client-info": "supabase-js/2"})),
    ]
    query = sql.SQL("select {}").format(
        sql.SQL(", ").join(
            sql.SQL("set_config({}, {}, true)").format(sql.Literal(k), sql.Literal(v)) for k, v in settings
        )
    )
    conn.execute(query)
    hook = dict(_role_settings(conn, "authenticator")).get("pgrst.db_pre_request") if pre_request else None
    if hook:
        conn.execute(sql.SQL("select {}()").format(sql.Identifier(*hook.split("."))))


class HasIdentity(Protocol):
    """Anything that can say who it is to PostgREST (e.g. ``tests.support.gotrue.AuthUser``)."""

    def identity(self, **overrides: Any) -> Identity: ...


def as_user(
    conn: psycopg.Connection,
    user: HasIdentity | None = None,
    *,
    pre_request: bool = True,
    **claim_overrides: Any,
) -> contextlib.AbstractContextManager[psycopg.Connection]:
    """One PostgREST request as ``user`` (its GoTrue claims, overridable), or as anon if None.

    ``with as_user(db, alice): db.execute(...)`` is what supabase-js does with alice's session.
    ``pre_request=False`` is the same transaction without PostgREST's pre-request hook: what the
    Storage server runs for a request (it sets the role and claims, but has no such hook).
    """
    who = Identity.anon() if user is None else user.identity(**claim_overrides)
    return request(conn, who, pre_request=pre_request)


@contextlib.contextmanager
def request(
    conn: psycopg.Connection,
    who: Identity,
    *,
    read_only: bool = False,
    method: str = "POST",
    path: str = "/rpc",
    pre_request: bool = True,
) -> Iterator[psycopg.Connection]:
    """One request's transaction acting as ``who`` (see the module docstring)."""
    nested = conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE or not conn.autocommit
    restore_role = None
    if nested:
        restore_role = conn.execute("select current_user").fetchone()[0]  # type: ignore[index]
        savepoint = f"pgrst_{uuid.uuid4().hex[:12]}"
        conn.execute(sql.SQL("savepoint {}").format(sql.Identifier(savepoint)))
        try:
            if read_only:
                conn.execute("set local transaction_read_only = on")
            _impersonate(conn, who, method, path, pre_request)
            yield conn
        except BaseException:
            conn.execute(sql.SQL("rollback to savepoint {}").format(sql.Identifier(savepoint)))
            _restore(conn, restore_role)
            raise
        if read_only:  # nothing to keep, and read-only cannot be switched off mid-transaction
            conn.execute(sql.SQL("rollback to savepoint {}").format(sql.Identifier(savepoint)))
        else:
            conn.execute(sql.SQL("release savepoint {}").format(sql.Identifier(savepoint)))
        _restore(conn, restore_role)
        return
    with conn.transaction():
        if read_only:
            conn.execute("set transaction read only")  # first statement of the transaction
        _impersonate(conn, who, method, path, pre_request)
        yield conn


def _restore(conn: psycopg.Connection, role: str) -> None:
    conn.execute(
        "select set_config('role', %s, true), set_config('request.jwt.claims', '', true),"
        " set_config('search_path', current_setting('search_path'), true)",
        (role,),
    )


@dataclass(frozen=True)
class _Signature:
    args: list[tuple[str, str]]  # (name, type) of the input arguments, in order
    shape: str  # "scalar", "object" (one composite) or "array" (setof / table)
    read_only: bool  # STABLE or IMMUTABLE: PostgREST runs the call READ ONLY


_SIGNATURES = """
select coalesce(p.proargnames[1:p.pronargs], array_fill(null::text, array[p.pronargs])),
       (select array_agg(format_type(t, null) order by n)
        from unnest(p.proargtypes::oid[]) with ordinality as a(t, n)),
       case when p.proretset then 'array'
            when rt.typtype = 'c' or rt.oid = 'record'::regtype then 'object'
            else 'scalar' end,
       p.provolatile in ('s', 'i')
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
where n.nspname = %s and p.proname = %s and p.prokind = 'f'
"""


def _signature(
    conn: psycopg.Connection, schema: str, name: str, arg_names: set[str], role: str
) -> _Signature:
    """The overload whose argument names cover the body's keys (PostgREST matches by name)."""
    for names, types, shape, read_only in conn.execute(_SIGNATURES, (schema, name)).fetchall():
        inputs = list(zip(names, types or [], strict=True))
        if arg_names <= {n for n, _ in inputs}:
            return _Signature(inputs, shape, read_only)
    raise UnknownFunction(f"{schema}.{name}", sorted(arg_names), role)


def rpc(
    conn: psycopg.Connection,
    who: Identity,
    function: str,
    args: Mapping[str, Any] | None = None,
) -> Any:
    """``supabase.rpc(function, args)`` as ``who``: returns the JSON PostgREST would send back
    (a value, an object, or an array of rows), or raises :class:`PostgrestError`."""
    args = dict(args or {})
    schema, _, name = function.rpartition(".")
    schema = schema or "public"
    signature = _signature(conn, schema, name, set(args), who.role)
    columns = [(n, t) for n, t in signature.args if n in args]
    target = sql.Identifier(schema, name)
    call = sql.SQL("{}({})").format(
        target,
        sql.SQL(", ").join(
            sql.SQL("{} := _.{}").format(sql.Identifier(n), sql.Identifier(n)) for n, _ in columns
        ),
    )
    source = (
        sql.SQL("json_to_record(%s::json) as _({})").format(
            sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in columns)
        )
        if columns
        else sql.SQL("(select) as _")
    )
    if signature.shape == "scalar":
        query = sql.SQL("select to_json({}) from {}").format(call, source)
    elif signature.shape == "object":
        query = sql.SQL("select to_json(r) from {}, lateral {} as r").format(source, call)
    else:
        query = sql.SQL("select coalesce(json_agg(r), '[]') from {}, lateral {} as r").format(source, call)
    params = (json.dumps(args, default=str),) if columns else ()
    try:
        with request(conn, who, read_only=signature.read_only, path=f"/rpc/{name}"):
            row = conn.execute(query, params).fetchone()
    except psycopg.Error as exc:
        raise PostgrestError(exc, who.role) from exc
    return row[0] if row else None
