/*
 * foundation-api-statuses: every error the app acts on reaches it with the HTTP status it means.
 *
 * PostgREST picks a response's status from the SQLSTATE alone (src/library/PostgREST/Error.hs,
 * mapSQLtoHTTP; docs references/errors.rst): P0001 -> 400, every other P0... (so P0002, our "not
 * found") -> 500, 42501 -> 401/403, and any code it does not know (all of ours: LOGIN, RATEL, ...)
 * -> 400. So "no such session" reached supabase-js as a server error (retried by retry-on-5xx
 * logic) and "too many requests" as a bad request (issue 19 §1).
 *
 * PostgREST's own way to choose the status is a `PGRST` error: its MESSAGE is a JSON object
 * {code, message, details, hint} (the response body, so the app keeps our code), its DETAIL a
 * JSON object {status, headers} (docs references/errors.rst, "Add HTTP Headers with RAISE").
 * Sites raising a code whose status is not 400 now say
 *   raise sqlstate 'PGRST' using
 *     message = hidden.api_error(code, message, hint[, details]),
 *     detail = hidden.api_response(code[, retry_after_seconds]);
 * Codes answered with 400 stay plain `raise ... using errcode` (PostgREST's default for them),
 * and 42501 stays native (PostgREST answers 401 to anon, 403 to a signed-in caller).
 * tests/schema/test_api_statuses.py proves every raise site follows this, from the catalog.
 */

create function hidden.api_status(p_code text) returns integer
language sql immutable parallel safe
set search_path = ''
as $$
  select case
    when p_code = 'LOGIN' then 401
    when p_code in ('SUSPD', 'ANONY', 'BANND', 'BLOCK', 'TMOUT', 'NOFLW', 'INVIT', 'SUBSC', 'DJONL', 'NOTIN', 'NOEDT')
      then 403
    when p_code = 'P0002' then 404
    when p_code in (
      'TAKEN', 'ALIKE', 'LIVE1', 'IDCLS', 'IDMIS', 'STATE', 'ENDED', 'QLOCK', 'REQCL', 'REJTD', 'QUOTA', 'IDLEQ',
      'NLIVE', 'DJACC'
    ) then 409
    when p_code in ('RATEL', 'SLOWM', 'COOLD') then 429
    else 400
  end
$$;

comment on function hidden.api_status(text) is
'The HTTP status the app gets for an error code of docs/error-codes.md (its HTTP column): 401 LOGIN; 403 refusals of who the caller is (suspended, guest, banned, blocked, timed out, not following, not invited, not subscribed, not a DJ, not in the room, append-only log); 404 P0002; 409 conflicts with the current state; 429 rate limits; 400 the rest.';

create function hidden.api_error(p_code text, p_message text, p_hint text, p_details text default null)
returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select json_build_object('code', p_code, 'message', p_message, 'details', p_details, 'hint', p_hint)::text
$$;

comment on function hidden.api_error(text, text, text, text) is
'The MESSAGE of a PGRST error: the JSON body PostgREST answers with, {code, message, details, hint} (details is text: PostgREST reads it as a string; ours are JSON objects as text, as in every other error).';

create function hidden.api_response(p_code text, p_retry_after_seconds double precision default null)
returns text
language sql immutable parallel safe
set search_path = ''
as $$
  select json_build_object(
    'status', hidden.api_status(p_code),
    'headers', case
      -- What PostgREST itself sends with a 401 (Error.hs, `headers` of PgError).
      when p_code = 'LOGIN' then json_build_object('WWW-Authenticate', 'Bearer')
      when p_retry_after_seconds is not null
        then json_build_object('Retry-After', greatest(1, ceil(p_retry_after_seconds))::bigint::text)
      else json_build_object()
    end
  )::text
$$;

comment on function hidden.api_response(text, double precision) is
'The DETAIL of a PGRST error: {status, headers} for PostgREST, the status from api_status; a rate limit passes its wait in seconds, sent as Retry-After (whole seconds, at least 1); LOGIN sends WWW-Authenticate: Bearer as PostgREST does with its own 401s.';

revoke all on function hidden.api_status(text) from public;
revoke all on function hidden.api_error(text, text, text, text) from public;
revoke all on function hidden.api_response(text, double precision) from public;
grant execute on function hidden.api_status(text) to anon, authenticated, service_role;
grant execute on function hidden.api_error(text, text, text, text) to anon, authenticated, service_role;
grant execute on function hidden.api_response(text, double precision) to anon, authenticated, service_role;
