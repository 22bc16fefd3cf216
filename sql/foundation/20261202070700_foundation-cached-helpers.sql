/*
 * foundation-cached-helpers: the helpers every RPC calls cost what their query costs.
 *
 * A SQL function that cannot be inlined (one with SET clauses, as every function here pins its
 * search_path) is parsed and planned again on every call from a new statement: one request to
 * PostgREST is one statement. Measured (PostgreSQL 15, a crowd's poll at 1,000/s):
 * hidden.is_platform_banned spent 133 us of self time around a 13 us query, hidden.setting
 * 16 us around 5 us; every RPC acting for a user paid the first through hidden.require_user.
 * PL/pgSQL keeps each query's plan for the session, so the hot helpers are PL/pgSQL, and
 * require_user reads auth.users itself (a definer: the API roles cannot) instead of calling
 * another function. Same behaviour and errors.
 */

-- helpers --------------------------------------------------------------------------------------

create or replace function hidden.setting(p_key text) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
begin
  -- PL/pgSQL, not SQL: its plan is kept for the session (a SQL function is re-planned per statement).
  return (select s.value from private.settings as s where s.key = p_key);
end
$$;

create or replace function hidden.require_user() returns uuid
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'You need to be signed in to do that.'
      using errcode = 'LOGIN', hint = 'Sign in (an anonymous sign-in is enough to listen).';
  -- Suspended: Supabase Auth's banned_until is in the future (a platform ban).
  elsif coalesce((select u.banned_until > now() from auth.users as u where u.id = v_uid), false) then
    raise exception 'This account is suspended.' using errcode = 'SUSPD', hint = 'Contact support.';
  end if;
  return v_uid;
end
$$;

-- NOTE: replaced by require_user's own read of auth.users.
drop function hidden.is_platform_banned(uuid);
