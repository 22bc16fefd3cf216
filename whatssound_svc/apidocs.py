"""Write docs/api.md from the database itself: RPC signatures, comments, and table grants.

Every public function's comment follows one shape (description, ``Errors:``, ``Example:``),
and every table says what clients may read and write; rendering them keeps the document the
app team reads identical to what PostgREST serves. A test regenerates it and compares.
"""

from __future__ import annotations

from typing import Any

import psycopg

_FUNCTIONS = """
select p.proname,
       pg_get_function_arguments(p.oid),
       case when p.proretset then 'setof ' else '' end || format_type(p.prorettype, null),
       obj_description(p.oid, 'pg_proc'),
       p.provolatile in ('s', 'i'),
       array(select r from unnest(array['anon', 'authenticated', 'service_role']) as r
             where has_function_privilege(r, p.oid, 'EXECUTE'))
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
where n.nspname = 'public'
order by p.proname, pg_get_function_arguments(p.oid)
"""

_TABLES = """
select c.relname, obj_description(c.oid, 'pg_class'),
  array(select r from unnest(array['anon', 'authenticated']) as r
        where has_table_privilege(r, c.oid, 'SELECT')),
  array(select a.attname from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          and has_column_privilege('authenticated', c.oid, a.attnum, 'INSERT')
        order by a.attnum),
  array(select a.attname from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          and has_column_privilege('authenticated', c.oid, a.attnum, 'UPDATE')
        order by a.attnum),
  has_table_privilege('authenticated', c.oid, 'DELETE')
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p')
order by c.relname
"""

HEADER = """# API reference (generated)

What the app calls through supabase-js. Generated from the database by
`whatssound docs api` — edit the SQL comments in `sql/`, not this file.

- **RPCs** are `supabase.rpc(name, args)`; argument names are the keys. Stable functions run in a
  read-only transaction (they can also be called with `{ get: true }`).
- **Errors** come back as `error.code` (our code or a SQLSTATE; see [error-codes.md](error-codes.md)),
  `error.message`, `error.details` (JSON for retry hints) and `error.hint`, with the HTTP status
  of error-codes.md in the response's `status` (404 not found, 401/403 who you are, 409 state
  conflicts, 429 rate limits with `Retry-After`, 400 invalid input; a 5xx is always a fault).
- **Tables** are read with `supabase.from(table).select()` under row-level security; where a
  table lists writable columns, the app may insert or update those columns directly and the same
  rules apply as through the RPCs (they are enforced by triggers).
- **Text** (every free-text argument and column: messages, titles, names, reasons, notes) is
  stored in NFC; control, bidi-override and invisible characters are refused with `BADCH`
  (`details.column`, `details.code_point`), emoji sequences and all scripts are kept, and a
  display name or handle that looks like another account's is refused with `ALIKE`
  ([text-policy.md](text-policy.md)).
"""


def _function_section(row: tuple[Any, ...]) -> str:
    name, args, returns, comment, read_only, roles = row
    description, _, rest = (comment or "").partition("\nErrors:")
    errors, _, example = rest.partition("\nExample:")
    if not rest:
        description, _, example = (comment or "").partition("\nExample:")
    lines = [f"### `{name}`", "", f"`{name}({args})` → `{returns}`", "", description.strip(), ""]
    meta = f"Callable by: {', '.join(roles) or 'nobody (internal)'}"
    lines += [meta + ("; read-only." if read_only else "."), ""]
    if errors.strip():
        lines += [f"**Errors:** {errors.strip()}", ""]
    if example.strip():
        lines += ["```js", example.strip(), "```", ""]
    return "\n".join(lines)


def _table_row(row: tuple[Any, ...]) -> str:
    name, comment, readers, insertable, updatable, deletable = row
    writes = []
    if insertable:
        writes.append("insert " + ", ".join(insertable))
    if updatable:
        writes.append("update " + ", ".join(updatable))
    if deletable:
        writes.append("delete")
    return (
        f"| `{name}` | {(comment or '').replace('|', '/')} | {', '.join(readers) or '—'} | "
        f"{'; '.join(writes) or '— (through RPCs or the service)'} |"
    )


def render(conn: psycopg.Connection) -> str:
    """The whole document for the database ``conn`` points at."""
    functions = conn.execute(_FUNCTIONS).fetchall()
    tables = conn.execute(_TABLES).fetchall()
    parts = [HEADER, "## RPCs", ""]
    parts += [f"- [`{f[0]}`](#{f[0]})" for f in functions]
    parts.append("")
    parts += [_function_section(f) for f in functions]
    parts += [
        "## Tables",
        "",
        "| Table | What | Readable by (RLS applies) | Client writes (authenticated) |",
        "|---|---|---|---|",
    ]
    parts += [_table_row(t) for t in tables]
    return "\n".join(parts).rstrip() + "\n"
