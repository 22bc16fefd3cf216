"""``whatssound rpc``: call an RPC as a user, exactly as PostgREST would, without PostgREST."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Annotated, Any

import psycopg
import typer

from whatssound_svc.cli.db import target
from whatssound_svc.cli.options import DbUrl
from whatssound_svc.local import postgrest
from whatssound_svc.local.gotrue import identity_for


def _strict_json(text: str) -> Any:
    """JSON as a body carries it: Python's NaN and Infinity extensions are not JSON."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def parse_arguments(pairs: list[str], body: str | None) -> dict[str, Any]:
    """The JSON body of the call from ``name=value`` / ``name:=<json>`` pairs or ``--json-body``.

    ``name=value`` is what a JSON body would carry for it: the JSON value when ``value`` parses as
    JSON (``n=5`` a number, ``ok=true`` a boolean), a string otherwise (``s=abc``).
    ``name:=<json>`` must be JSON (``ids:='[1,2]'``), as in HTTPie.
    """
    if body is not None:
        if pairs:
            raise typer.BadParameter("give name=value pairs or --json-body, not both")
        try:
            parsed = _strict_json(body)
        except ValueError as exc:
            raise typer.BadParameter(f"--json-body is not JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise typer.BadParameter("--json-body must be a JSON object of named arguments")
        return parsed
    arguments: dict[str, Any] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")  # the first `=` separates, as in HTTPie
        if not equals:
            raise typer.BadParameter(f"{pair!r}: expected name=value or name:=<json>")
        explicit = name.endswith(":")
        name = name.removesuffix(":")
        if not name:
            raise typer.BadParameter(f"{pair!r}: the argument has no name")
        try:
            arguments[name] = _strict_json(value)
        except ValueError as exc:
            if explicit:
                raise typer.BadParameter(f"{pair!r}: {value!r} is not JSON ({exc})") from exc
            arguments[name] = value
    return arguments


def rpc(
    function: Annotated[str, typer.Argument(help="The RPC, as in /rpc/<function> (schema public).")],
    who: Annotated[
        str,
        typer.Option(
            "--as",
            envvar="WHATSSOUND_RPC_AS",
            help="Who calls: a user's handle, phone number or id; or anon / service_role (the API keys).",
            show_default=False,
        ),
    ],
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            help="name=value (JSON if it parses, else a string) or name:=<json>.", show_default=False
        ),
    ] = None,
    json_body: Annotated[
        str | None,
        typer.Option(
            "--json-body", help="The whole JSON body instead of name=value pairs.", show_default=False
        ),
    ] = None,
    db_url: DbUrl = None,
) -> None:
    """Call an RPC as a user, as PostgREST does for supabase.rpc(), and print its JSON.

    The user gets the claims Supabase Auth would issue them (custom access token hook included);
    the call is one committed transaction with their role and claims set, PostgREST's pre-request
    hook run first, and READ ONLY for a stable function. An error prints PostgREST's body
    {code, message, details, hint}, its HTTP status and headers on stderr, and exits 4 (a 4xx) or 5 (5xx).

    Examples:
      whatssound rpc --as lia chat_history p_session_id=d5000000-0000-4000-8000-000000000001 p_limit=5
      whatssound rpc --as +15555550103 send_message p_session_id=d5000000-... p_body=hi p_client_id=$(uuidgen)
      whatssound rpc --as anon session_directory --json-body '{"p_limit": 5}'
    """
    if "." in function:
        raise typer.BadParameter(
            "PostgREST exposes only schema public: give the name alone", param_hint="FUNCTION"
        )
    body = parse_arguments(arguments or [], json_body)
    with target(db_url, None) as where, psycopg.connect(where.url, autocommit=True) as conn:
        try:
            identity = identity_for(conn, who)
        except LookupError as exc:
            typer.echo(f"{exc}: try `whatssound users find <name>`", err=True)
            raise typer.Exit(3) from exc
        try:
            result = postgrest.rpc(conn, identity, function, body)
        except postgrest.PostgrestError as error:
            typer.echo(json.dumps(error.body(), indent=2, ensure_ascii=False))
            typer.echo(f"HTTP {error.status} {HTTPStatus(error.status).phrase}", err=True)
            for name, value in error.headers.items():  # Retry-After (rate limits), WWW-Authenticate (401)
                typer.echo(f"{name}: {value}", err=True)
            raise typer.Exit(error.status // 100) from error
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
