/*
 * moderation-suspension-everywhere: a suspended account can do nothing, from its next request.
 *
 * A platform ban sets Supabase Auth's banned_until, so Auth refuses the user's sign-ins and
 * token refreshes, but an access token already issued stays valid until it expires (jwt_expiry,
 * up to an hour). Until now only RPCs that called hidden.require_user refused the user: chat,
 * direct table writes, Storage uploads and Realtime joins still worked. Now, by path:
 *
 * - PostgREST (every RPC, every table or view read or write): its pre-request hook
 *   (db-pre-request, https://postgrest.org/en/stable/references/transactions.html#pre-request:
 *   `select <fn>()` after the request's settings, before its query; set on the authenticator
 *   role, which hosted Supabase's supautils allows for pgrst.* settings) runs
 *   hidden.check_request, which answers SUSPD. It needs no list of RPCs or tables: what is added
 *   later is covered (tests/moderation/test_suspension_everywhere.py proves it from the catalog).
 * - Storage and Realtime do not run the hook: restrictive policies refuse a suspended caller's
 *   uploads, replacements and deletions (storage.objects) and channel joins, Presence and
 *   broadcasts (realtime.messages). A restrictive policy is ANDed with the permissive ones.
 * - A suspended DJ's live and scheduled sessions end (everyone leaves; the room hears
 *   session.status), and banned_until is a finite time, as GoTrue's Admin API writes it from
 *   ban_duration (GoTrue reads the column into a Go time.Time; 'infinity' is not one).
 */

-- helpers

create function hidden.caller_suspended() returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  -- PL/pgSQL: its plan is kept for the session (this runs once per request).
  return coalesce((select u.banned_until > now() from auth.users as u where u.id = auth.uid()), false);
end
$$;
comment on function hidden.caller_suspended() is
  'Whether the caller''s account is suspended right now (Supabase Auth''s banned_until is in the future); '
  'false without a user.';
grant execute on function hidden.caller_suspended() to anon, authenticated, service_role;

create function hidden.check_request() returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if hidden.caller_suspended() then
    raise exception 'This account is suspended.' using errcode = 'SUSPD', hint = 'Contact support.';
  end if;
end
$$;
comment on function hidden.check_request() is
  'PostgREST''s pre-request hook (pgrst.db_pre_request): refuses every request of a suspended account with SUSPD, '
  'whatever it calls or reads.';
grant execute on function hidden.check_request() to anon, authenticated, service_role;

alter role authenticator set "pgrst.db_pre_request" = 'hidden.check_request';
notify pgrst, 'reload config';

-- policies: the paths that do not go through PostgREST

create policy "Suspended accounts upload nothing" on storage.objects
  as restrictive for insert to authenticated with check (not (select hidden.caller_suspended()));
create policy "Suspended accounts replace nothing" on storage.objects
  as restrictive for update to authenticated using (not (select hidden.caller_suspended()));
create policy "Suspended accounts delete nothing" on storage.objects
  as restrictive for delete to authenticated using (not (select hidden.caller_suspended()));
create policy "Suspended accounts join no channel" on realtime.messages
  as restrictive for select to authenticated using (not (select hidden.caller_suspended()));
create policy "Suspended accounts send nothing on a channel" on realtime.messages
  as restrictive for insert to authenticated with check (not (select hidden.caller_suspended()));

-- the ban

create or replace function private.platform_ban(p_user_id uuid, p_reason text) returns boolean
language plpgsql volatile
set search_path = ''
as $$
begin
  -- GoTrue's Admin API writes now() + ban_duration; a century is what "banned until lifted" means.
  update auth.users as u set banned_until = now() + interval '876000 hours' where u.id = p_user_id;
  if not found then
    return false;
  end if;
  insert into private.platform_bans (user_id, reason) values (p_user_id, left(btrim(p_reason), 500));
  update public.dj_sessions as s set status = 'ended' where s.dj_id = p_user_id and s.status <> 'ended';
  update public.session_members as m set left_at = now() where m.user_id = p_user_id and m.left_at is null;
  return true;
end
$$;
comment on function private.platform_ban(uuid, text) is
  'Suspend a user everywhere (Auth refuses them; PostgREST, Storage and Realtime refuse their requests; their live '
  'and scheduled sessions end; they leave their rooms); false if unknown.';
