/*
 * accounts-lifecycle: deleting an account (the app stores require it) and exporting one's data.
 *
 * delete_my_account() takes effect at once for everything the user sees: the profile becomes
 * "Deleted user" under a random handle, live sessions they host end, their follows, blocks,
 * memberships, votes, playlists, feed and entitlements go, and the deletion is queued. The
 * service then runs private.process_account_deletions() (every few seconds): it scrubs what
 * other people's rows say about the user (mentions in chat, realtime logs, SMS audit), detaches
 * them from the play log, and deletes the auth.users row; the foreign keys do the rest
 * (profile and everything hanging off it deleted, authored chat kept as "deleted user" with
 * author_id NULL, sessions they hosted deleted with their rooms).
 *
 * Kept on purpose (docs/auth.md): the moderation log (a hash-chained safety record; it holds
 * only the bare user id, which no longer leads to a profile, phone or handle), and broadcasts
 * in Supabase's realtime.messages until Supabase purges them (72 h). Store subscriptions cannot
 * be cancelled by us: the app links to the store's subscription page before deleting.
 */

create table private.account_deletions (
  user_id uuid primary key,
  handle text,
  requested_at timestamptz not null default now(),
  completed_at timestamptz
);
comment on table private.account_deletions is 'Accounts whose deletion was requested; the service completes them.';
comment on column private.account_deletions.user_id is 'The user (no foreign key: the auth.users row is deleted at completion).';
comment on column private.account_deletions.handle is
  'The handle before anonymisation, to scrub @mentions of it (cleared when the deletion completes).';
comment on column private.account_deletions.requested_at is 'When delete_my_account was called.';
comment on column private.account_deletions.completed_at is 'When the auth.users row was deleted (NULL: pending).';
create index account_deletions_pending_idx on private.account_deletions (requested_at) where completed_at is null;
alter table private.account_deletions enable row level security;
-- NOTE: no policies and no grants: written by hidden.delete_my_account, read by the service.

-- The play log is append-only, except for erasure: a requester may be detached (and nothing else).
create function private.tg_session_plays__append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if TG_OP = 'UPDATE' and NEW.requested_by is null
    and (NEW.id, NEW.session_id, NEW.item_id, NEW.track_id, NEW.outcome, NEW.started_at, NEW.ended_at,
      NEW.upvotes, NEW.downvotes, NEW.skip_votes, NEW.reason)
    is not distinct from (OLD.id, OLD.session_id, OLD.item_id, OLD.track_id, OLD.outcome, OLD.started_at,
      OLD.ended_at, OLD.upvotes, OLD.downvotes, OLD.skip_votes, OLD.reason) then
    return NEW;
  end if;
  raise exception 'The play log is append-only.'
    using errcode = 'NOEDT', hint = 'Only detaching a deleted requester is allowed.';
end
$$;
comment on function private.tg_session_plays__append_only() is
  'Refuses any change to the play log except setting requested_by to NULL (account erasure).';
drop trigger _100_append_only on public.session_plays;
create trigger _100_append_only before update or delete on public.session_plays
  for each row execute function private.tg_session_plays__append_only();

create function hidden.delete_my_account() returns json
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_requested timestamptz;
  v_items uuid[];
begin
  insert into private.account_deletions (user_id, handle)
  values (v_uid, (select p.handle from public.profiles as p where p.id = v_uid))
  on conflict (user_id) do update set requested_at = private.account_deletions.requested_at
  returning requested_at into v_requested;
  update public.dj_sessions as s set status = 'ended' where s.dj_id = v_uid and s.status = 'live';
  update public.profiles as p set handle_changed_at = null where p.id = v_uid;
  update public.profiles as p
  set handle = 'deleted_' || substr(md5(random()::text || v_uid::text), 1, 12), display_name = 'Deleted user',
    avatar_url = null, bio = '', is_dj = false, is_verified = false
  where p.id = v_uid;
  delete from public.follows as f where v_uid in (f.follower_id, f.followee_id);
  delete from public.blocks as b where v_uid in (b.blocker_id, b.blocked_id);
  delete from public.session_members as m where m.user_id = v_uid;
  -- Their votes go and the tallies (and queue order) of what they voted on follow.
  select coalesce(array_agg(v.item_id), '{}') into v_items from public.queue_votes as v where v.user_id = v_uid;
  delete from public.queue_votes as v where v.user_id = v_uid;
  update public.queue_items as q
  set upvotes = (select count(*) from public.queue_votes as v where v.item_id = q.id and v.value = 1),
    downvotes = (select count(*) from public.queue_votes as v where v.item_id = q.id and v.value = -1)
  where q.id = any (v_items);
  perform private.rerank_session(q.session_id) from public.queue_items as q where q.id = any (v_items) group by q.session_id;
  delete from public.skip_votes as v where v.user_id = v_uid;
  delete from public.playlists as l where l.owner_id = v_uid;
  delete from public.notifications as n where n.user_id = v_uid;
  delete from public.entitlements as e where e.user_id = v_uid;
  return json_build_object('status', 'scheduled', 'requested_at', v_requested);
end
$$;
comment on function hidden.delete_my_account() is 'Implementation of delete_my_account.';
grant execute on function hidden.delete_my_account() to authenticated;

create function public.delete_my_account() returns json
language sql volatile
set search_path = ''
as $$ select hidden.delete_my_account() $$;
comment on function public.delete_my_account() is
  E'Delete your account: at once your profile becomes "Deleted user" and your follows, blocks, memberships, '
  'votes, playlists, feed and entitlements are removed; within seconds the service erases the rest and the '
  'sign-in itself (then sign out). Idempotent: {status: ''scheduled'', requested_at}. Cancel store '
  'subscriptions first (the stores bill them, not us).\n'
  'Errors: 42501 (HTTP 401) without a signed-in user.\n'
  'Example: const { data } = await supabase.rpc(''delete_my_account''); await supabase.auth.signOut()';
grant execute on function public.delete_my_account() to authenticated;

create function private.erase_account(p_user_id uuid) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_phone text;
  v_handles text[];
begin
  select u.phone into v_phone from auth.users as u where u.id = p_user_id;
  -- Other people's messages that mention them: the mention and the @handle go.
  select array_agg(distinct m.handle) into v_handles
  from (
    select d.handle from private.account_deletions as d where d.user_id = p_user_id
    union all
    select l.payload -> 'data' ->> 'author_handle' from private.realtime_log as l
    where l.event = 'chat.message' and l.payload -> 'data' ->> 'author_id' = p_user_id::text
  ) as m(handle)
  where m.handle ~ '^[a-z0-9_]{3,30}$';
  update public.chat_messages as c
  set mentions = array_remove(c.mentions, p_user_id),
    body = case
      when v_handles is null then c.body
      else regexp_replace(c.body, '@(' || array_to_string(v_handles, '|') || ')\M', '@deleted', 'gi')
    end
  where p_user_id = any (c.mentions);
  update public.session_plays as s set requested_by = null where s.requested_by = p_user_id;
  -- Others' feed items about them (followed you, mentioned you) would keep their handle or id.
  delete from public.notifications as n where n.actor_id = p_user_id;
  -- Realtime: their personal topic, and logged or waiting events that name them (24 h at most).
  delete from private.realtime_topics as t where t.topic = 'user:' || p_user_id;
  delete from private.realtime_log as l where l.topic = 'user:' || p_user_id or strpos(l.payload::text, p_user_id::text) > 0;
  delete from private.realtime_buffer as b where strpos(b.data::text, p_user_id::text) > 0;
  delete from private.sms_sends as m where m.user_id = p_user_id or m.phone = '+' || v_phone;
  delete from auth.users as u where u.id = p_user_id;
end
$$;
comment on function private.erase_account(uuid) is
  'Erase what remains of a user after delete_my_account, ending with their auth.users row.';

create function private.process_account_deletions(p_limit integer default 20) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_user uuid;
  v_done integer := 0;
begin
  for v_user in
    select d.user_id from private.account_deletions as d
    where d.completed_at is null order by d.requested_at limit p_limit
    for update skip locked
  loop
    perform private.erase_account(v_user);
    update private.account_deletions as d set completed_at = now(), handle = null where d.user_id = v_user;
    v_done := v_done + 1;
  end loop;
  return v_done;
end
$$;
comment on function private.process_account_deletions(integer) is
  'Scheduled (the service, every few seconds): complete pending account deletions. Returns how many.';

create function hidden.export_my_data() returns json
language sql stable security definer
set search_path = ''
as $$
  -- Everything we hold about the caller, by what it is to them. Not included: who blocked or
  -- reported them, and moderators' identities on actions against them (other people's data).
  select json_build_object(
    'format', 'whatssound-export/1',
    'exported_at', now(),
    'account', (
      select json_build_object(
        'id', u.id, 'phone', u.phone, 'email', u.email, 'created_at', u.created_at,
        'last_sign_in_at', u.last_sign_in_at, 'is_anonymous', u.is_anonymous,
        'providers', u.raw_app_meta_data -> 'providers'
      ) from auth.users as u where u.id = me.id
    ),
    'profile', (select to_json(p) from public.profiles as p where p.id = me.id),
    'staff_role', (select s.role from private.staff as s where s.user_id = me.id),
    'entitlements', (select coalesce(json_agg(e), '[]') from public.entitlements as e where e.user_id = me.id),
    'following', (select coalesce(json_agg(f), '[]') from public.follows as f where f.follower_id = me.id),
    'followers', (select coalesce(json_agg(f), '[]') from public.follows as f where f.followee_id = me.id),
    'blocking', (select coalesce(json_agg(b), '[]') from public.blocks as b where b.blocker_id = me.id),
    'sessions_hosted', (select coalesce(json_agg(s), '[]') from public.dj_sessions as s where s.dj_id = me.id),
    'memberships', (select coalesce(json_agg(m), '[]') from public.session_members as m where m.user_id = me.id),
    'moderating_for', (select coalesce(json_agg(d), '[]') from public.dj_moderators as d where d.user_id = me.id),
    'my_moderators', (select coalesce(json_agg(d), '[]') from public.dj_moderators as d where d.dj_id = me.id),
    'chat_messages', (select coalesce(json_agg(c), '[]') from public.chat_messages as c where c.author_id = me.id),
    'requests', (select coalesce(json_agg(q), '[]') from public.queue_items as q where q.requested_by = me.id),
    'votes', (select coalesce(json_agg(v), '[]') from public.queue_votes as v where v.user_id = me.id),
    'skip_votes', (select coalesce(json_agg(v), '[]') from public.skip_votes as v where v.user_id = me.id),
    'plays_requested', (
      select coalesce(json_agg(s), '[]') from public.session_plays as s where s.requested_by = me.id
    ),
    'playlists', (
      select coalesce(json_agg(json_build_object('playlist', l, 'tracks', (
        select coalesce(json_agg(t order by t.position), '[]') from public.playlist_tracks as t
        where t.playlist_id = l.id
      ))), '[]')
      from public.playlists as l where l.owner_id = me.id
    ),
    'notifications', (select coalesce(json_agg(n), '[]') from public.notifications as n where n.user_id = me.id),
    'bans_received', (
      select coalesce(json_agg(json_build_object(
        'dj_id', b.dj_id, 'kind', b.kind, 'reason', b.reason, 'created_at', b.created_at,
        'expires_at', b.expires_at, 'revoked_at', b.revoked_at
      )), '[]') from public.dj_bans as b where b.user_id = me.id
    ),
    'bans_issued', (select coalesce(json_agg(b), '[]') from public.dj_bans as b where b.dj_id = me.id),
    'blocked_terms', (select coalesce(json_agg(t), '[]') from public.dj_blocked_terms as t where t.dj_id = me.id),
    'reports_filed', (select coalesce(json_agg(r), '[]') from public.reports as r where r.reporter_id = me.id),
    'moderation_actions_taken', (
      select coalesce(json_agg(l), '[]') from public.moderation_log as l where l.actor_id = me.id
    ),
    'sms_sent', (
      select coalesce(json_agg(json_build_object('created_at', m.created_at, 'outcome', m.outcome)), '[]')
      from private.sms_sends as m where m.user_id = me.id
    ),
    'personal_events', (
      select coalesce(json_agg(l.payload order by l.seq), '[]') from private.realtime_log as l
      where l.topic = 'user:' || me.id
    )
  )
  from (select hidden.require_user() as id) as me
$$;
comment on function hidden.export_my_data() is 'Implementation of export_my_data.';
grant execute on function hidden.export_my_data() to authenticated;

create function public.export_my_data() returns json
language sql stable
set search_path = ''
as $$ select hidden.export_my_data() $$;
comment on function public.export_my_data() is
  E'Everything WhatsSound holds about you, as one JSON document (format whatssound-export/1): account, profile, '
  'follows, blocks, sessions, memberships, chat, requests, votes, playlists, feed, moderation you received or '
  'took, reports you filed, SMS sent to you (never the codes) and your recent personal events.\n'
  'Errors: 42501 (HTTP 401) without a signed-in user.\n'
  'Example: const { data } = await supabase.rpc(''export_my_data'')';
grant execute on function public.export_my_data() to authenticated;
