/*
 * moderation-deleted-account-tokens: a token whose user no longer exists is not signed in.
 *
 * An access token stays valid until it expires (jwt_expiry, up to an hour) after its user is
 * deleted (delete_my_account, staff, Supabase Auth's admin API). Until now such a request went
 * through as that user: joins, follows, reports and push registrations then failed with
 * foreign-key violations (23503, naming constraints) and reads answered as if for a stranger
 * (issue 17 §4). PostgREST's pre-request hook already looks the caller up for the suspension
 * check; it now also answers LOGIN when the token's user is gone, once for every RPC and every
 * table or view, like SUSPD (tests/schema/test_hostile_inputs.py proves it from the catalog).
 *
 * Changed: hidden.check_request (body of 20261202203832_moderation-suspension-everywhere.sql)
 * asks the new hidden.caller_refusal, one read of auth.users answering both cases, instead of
 * hidden.caller_suspended (kept for the Storage and Realtime policies, which need a boolean).
 */

-- helpers --------------------------------------------------------------------------------------

create function hidden.caller_refusal() returns text
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_banned_until timestamptz;
begin
  if v_uid is null then
    return null;
  end if;
  -- PL/pgSQL: its plan is kept for the session (this runs once per request).
  select u.banned_until into v_banned_until from auth.users as u where u.id = v_uid;
  if not found then
    return 'LOGIN';
  end if;
  return case when v_banned_until > now() then 'SUSPD' end;
end
$$;
comment on function hidden.caller_refusal() is
  'Why the caller''s request must be refused before it runs: LOGIN (the token''s user no longer exists), SUSPD '
  '(suspended now), or null (no user, or an active one).';
grant execute on function hidden.caller_refusal() to anon, authenticated, service_role;

create or replace function hidden.check_request() returns void
language plpgsql stable
set search_path = ''
as $$
declare
  v_refusal text := hidden.caller_refusal();
begin
  if v_refusal = 'SUSPD' then
    raise exception 'This account is suspended.' using errcode = 'SUSPD', hint = 'Contact support.';
  elsif v_refusal = 'LOGIN' then
    raise exception 'This account no longer exists.'
      using errcode = 'LOGIN', hint = 'Sign out, then sign in again (an anonymous sign-in is enough to listen).';
  end if;
end
$$;
comment on function hidden.check_request() is
  'PostgREST''s pre-request hook (pgrst.db_pre_request): refuses every request of a suspended account with SUSPD, '
  'and of a token whose user was deleted with LOGIN, whatever it calls or reads.';
