/*
 * foundation-helpers-keep-their-plans: the helpers every request runs, as PL/pgSQL.
 *
 * A SQL function that is not inlined (every one here pins its search_path, which prevents
 * inlining) is parsed and planned again on every call from a new statement, and one PostgREST
 * request is one statement. Measured in `make bench --suite reads` (PostgreSQL 15, a 10,000-
 * listener room, 1,000 calls a second): the RLS helper hidden.my_room_ids spent 0.36 ms of self
 * time per read of the queue for a query of a few microseconds; hidden.is_anonymous 0.11 ms per
 * vote, hidden.timeout_until 0.15 ms per heartbeat. PL/pgSQL keeps each query's plan for the
 * session. Same names, signatures, results and errors (tests unchanged); the bodies are the same
 * queries. Inlinable SQL (auth.uid(), and SQL that pins nothing) stays SQL.
 */

-- helpers the RLS policies call ------------------------------------------------------------------

create or replace function hidden.my_followed_ids() returns setof uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return query select f.followee_id from public.follows as f where f.follower_id = auth.uid();
end
$$;

create or replace function hidden.my_blockers() returns setof uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return query select b.blocker_id from public.blocks as b where b.blocked_id = auth.uid();
end
$$;

create or replace function hidden.my_block_peers() returns setof uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return query
  select b.blocked_id from public.blocks as b where b.blocker_id = auth.uid()
  union
  select b.blocker_id from public.blocks as b where b.blocked_id = auth.uid();
end
$$;

create or replace function hidden.my_moderated_dj_ids() returns setof uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return query select m.dj_id from public.dj_moderators as m where m.user_id = auth.uid();
end
$$;

create or replace function hidden.my_room_ids() returns setof uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  -- Three index lookups (no OR across tables: that would scan every session).
  return query
  select m.session_id from public.session_members as m where m.user_id = auth.uid()
  union
  select s.id from public.dj_sessions as s where s.dj_id = auth.uid()
  union
  select s.id from public.dj_moderators as d
  join public.dj_sessions as s on s.dj_id = d.dj_id
  where d.user_id = auth.uid();
end
$$;

create or replace function hidden.my_moderated_room_ids() returns setof uuid
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return query
  select s.id from public.dj_sessions as s where s.dj_id = auth.uid()
  union
  select s.id from public.dj_moderators as d
  join public.dj_sessions as s on s.dj_id = d.dj_id
  where d.user_id = auth.uid()
  union
  select m.session_id from public.session_members as m
  where m.user_id = auth.uid() and m.role = 'cohost' and m.left_at is null;
end
$$;

create or replace function hidden.is_staff() returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (select 1 from private.staff as s where s.user_id = auth.uid());
end
$$;

create or replace function hidden.is_anonymous(p_user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return coalesce((select u.is_anonymous from auth.users as u where u.id = p_user_id), false);
end
$$;

create or replace function hidden.has_entitlement(p_user_id uuid, p_entitlement text) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (
    select 1 from public.entitlements as e
    where e.user_id = p_user_id and e.entitlement = p_entitlement
      and (e.expires_at is null or e.expires_at > now())
  );
end
$$;

create or replace function hidden.blocked_between(p_a uuid, p_b uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (
    select 1 from public.blocks as b
    where (b.blocker_id = p_a and b.blocked_id = p_b) or (b.blocker_id = p_b and b.blocked_id = p_a)
  );
end
$$;

create or replace function hidden.is_banned(p_dj_id uuid, p_user_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return exists (
    select 1 from public.dj_bans as b
    where b.dj_id = p_dj_id and b.user_id = p_user_id and b.kind = 'ban' and b.revoked_at is null
  );
end
$$;

create or replace function hidden.timeout_until(p_dj_id uuid, p_user_id uuid) returns timestamptz
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return (
    select max(b.expires_at) from public.dj_bans as b
    where b.dj_id = p_dj_id and b.user_id = p_user_id and b.kind = 'timeout' and b.revoked_at is null
      and b.expires_at > now()
  );
end
$$;

create or replace function hidden.session_authority(p_session_id uuid, p_user_id uuid) returns public.member_role
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return (
    select case
      when s.dj_id = p_user_id then 'dj'::public.member_role
      when exists (
        select 1 from public.session_members as m
        where m.session_id = s.id and m.user_id = p_user_id and m.role = 'cohost' and m.left_at is null
      ) then 'cohost'
      when exists (
        select 1 from public.dj_moderators as d where d.dj_id = s.dj_id and d.user_id = p_user_id
      ) then 'moderator'
      when exists (
        select 1 from public.session_members as m
        where m.session_id = s.id and m.user_id = p_user_id and m.left_at is null
      ) then 'listener'
    end
    from public.dj_sessions as s
    where s.id = p_session_id
  );
end
$$;

create or replace function hidden.can_moderate_session(p_session_id uuid) returns boolean
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce(hidden.session_authority(p_session_id, auth.uid()) in ('dj', 'cohost', 'moderator'), false)
    or hidden.is_staff();
end
$$;

create or replace function hidden.can_moderate_dj(p_dj_id uuid) returns boolean
language plpgsql stable security definer
set search_path = ''
as $$
begin
  return p_dj_id = auth.uid()
    or exists (select 1 from public.dj_moderators as m where m.dj_id = p_dj_id and m.user_id = auth.uid())
    or exists (select 1 from private.staff as s where s.user_id = auth.uid());
end
$$;

-- the queue --------------------------------------------------------------------------------------

create or replace function public.queue_rank_key_v1(
  p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer,
  p_fair_round integer, p_requested_at timestamptz
) returns bigint[]
language plpgsql immutable parallel safe
set search_path = ''
as $$
begin
  return array[
    case when p_pin_order is null then 1 else 0 end,
    coalesce(p_pin_order, 0),
    case p_policy when 'votes' then -(p_score + least(greatest(p_boost, 0), p_boost_cap)) else p_fair_round end,
    case p_policy when 'hybrid' then -(p_score + least(greatest(p_boost, 0), p_boost_cap)) else 0 end,
    (extract(epoch from p_requested_at) * 1000000)::bigint
  ]::bigint [];
end
$$;

create or replace function public.queue_skip_threshold(
  p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer
) returns integer
language plpgsql immutable parallel safe
set search_path = ''
as $$
begin
  return case p_mode
    when 'off' then null
    when 'percent' then greatest(1, ceil(p_percent / 100.0 * greatest(p_present, 1))::integer)
    else greatest(1, ceil(p_log_factor * ln(greatest(p_present, 1) + 1))::integer)
  end;
end
$$;

create or replace function private.queue_item_event(p_item public.queue_items) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'id', p_item.id, 'status', p_item.status, 'track_id', p_item.track_id, 'title', t.title, 'artist', t.artist,
      'duration_ms', t.duration_ms, 'requested_by', p_item.requested_by, 'upvotes', p_item.upvotes,
      'downvotes', p_item.downvotes, 'pinned', p_item.pin_order is not null, 'fair_round', p_item.fair_round,
      'rank_key', to_jsonb(p_item.rank_key), 'started_at', p_item.started_at, 'reason', p_item.decision_reason
    )
    from public.tracks as t where t.id = p_item.track_id
  );
end
$$;

create or replace function private.resolve_mentions(p_body text, p_author_id uuid, p_session public.dj_sessions)
returns uuid[]
language plpgsql stable
set search_path = ''
as $$
begin
  if strpos(p_body, '@') = 0 then
    return '{}';  -- most lines mention no one
  end if;
  return (
    select coalesce(array_agg(p.id order by p.handle), '{}')
    from (
      select distinct lower(m[1]) as handle from regexp_matches(p_body, '@([A-Za-z0-9_]{3,30})', 'g') as m
      limit (hidden.setting('max_mentions'))::integer
    ) as h
    join public.profiles as p on p.handle = h.handle
    where p.id <> p_author_id
      and not hidden.blocked_between(p.id, p_author_id)
      and (
        p_session.visibility = 'public' or p.id = p_session.dj_id
        or exists (select 1 from public.session_members as m where m.session_id = p_session.id and m.user_id = p.id)
      )
  );
end
$$;

-- realtime ---------------------------------------------------------------------------------------

create or replace function private.rt_now() returns timestamptz
language plpgsql volatile
set search_path = ''
as $$
begin
  -- Tests and simulations set whatssound.fake_now to run minutes of traffic deterministically.
  return coalesce(nullif(current_setting('whatssound.fake_now', true), '')::timestamptz, clock_timestamp());
end
$$;

create or replace function private.rt_capacity(p_quota double precision) returns double precision
language plpgsql stable
set search_path = ''
as $$
begin
  return greatest(1, least((hidden.setting('realtime_burst'))::double precision, p_quota / 6));
end
$$;

-- the realtime lanes' helpers, run by every flush and every crowd's chat line ------------------

create or replace function private.rt_team_count(p_session_id uuid) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return (
    select count(*)::integer from public.session_members as m
    where m.session_id = p_session_id and m.left_at is null and m.role <> 'listener' and m.foreground
  );
end
$$;

create or replace function private.rt_target_delivery(p_current text, p_listeners integer) returns text
language plpgsql stable
set search_path = ''
as $$
begin
  -- Hysteresis: a push room becomes a pull room from realtime_pull_min_listeners and goes back at
  -- realtime_push_max_listeners, so a room hovering at the threshold does not flap.
  return case
    when p_current = 'pull' then
      case when p_listeners <= (hidden.setting('realtime_push_max_listeners'))::integer then 'push' else 'pull' end
    when p_listeners >= (hidden.setting('realtime_pull_min_listeners'))::integer then 'pull'
    else 'push'
  end;
end
$$;
