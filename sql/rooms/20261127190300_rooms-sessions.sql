/*
 * rooms-sessions: the live rooms DJs host, who is in them, and who moderates a DJ's rooms.
 *
 * A session is scheduled, then live, then ended (or cancelled straight from scheduled). At most
 * one live session per DJ is a partial unique index, not a check in code. Visibility is RLS:
 * public sessions are seen by everyone (the directory works for the anon key), followers-only
 * ones by the DJ's followers, private ones by members who joined with the invite code, which
 * lives in a private table only the DJ and moderators can read.
 *
 * The tables come first because the visibility helpers read all of them; their policies
 * follow the helpers. Joining, leaving and presence are in rooms-presence; moderation in
 * moderation-*.
 */

-- types ----------------------------------------------------------------------------------------

create type public.session_visibility as enum ('public', 'followers', 'private');
comment on type public.session_visibility is
  'public: anyone; followers: the DJ''s followers; private: members who joined with the invite code.';
create type public.session_status as enum ('scheduled', 'live', 'ended');
comment on type public.session_status is 'Lifecycle: scheduled -> live -> ended (or scheduled -> ended: cancelled).';
create type public.member_role as enum ('listener', 'moderator', 'cohost', 'dj');
comment on type public.member_role is
  'A member''s role in a session: the DJ, co-hosts the DJ picked, the DJ''s moderators, listeners.';

-- tables ---------------------------------------------------------------------------------------

create table public.dj_sessions (
  id uuid primary key default gen_random_uuid(),
  dj_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  title text not null check (char_length(btrim(title)) between 1 and 100),
  description text not null default '' check (char_length(description) <= 1000),
  genre_tags text[] not null default '{}' check (
    cardinality(genre_tags) <= 5
    and array_to_string(genre_tags, ',') ~ '^([a-z0-9][a-z0-9-]{0,23}(,|$))*$'
  ),
  cover_url text check (cover_url ~ '^https://' and char_length(cover_url) <= 2048),
  visibility public.session_visibility not null default 'public',
  status public.session_status not null default 'scheduled',
  scheduled_for timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  slow_mode_seconds integer not null default 0 check (slow_mode_seconds between 0 and 3600),
  followers_only_minutes integer check (followers_only_minutes between 0 and 525600),
  subscribers_only boolean not null default false,
  emote_only boolean not null default false,
  requests_open boolean not null default true,
  listener_count integer not null default 0 check (listener_count >= 0),
  peak_listener_count integer not null default 0 check (peak_listener_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'live' or started_at is not null),
  check (status <> 'ended' or ended_at is not null)
);
comment on table public.dj_sessions is 'DJ sessions (rooms): scheduled, live or ended. Visibility is enforced by RLS.';
comment on column public.dj_sessions.id is 'Session id.';
comment on column public.dj_sessions.dj_id is 'The hosting DJ (defaults to the caller).';
comment on column public.dj_sessions.title is 'Title, 1-100 characters.';
comment on column public.dj_sessions.description is 'Longer description, up to 1000 characters.';
comment on column public.dj_sessions.genre_tags is 'Up to 5 tags of [a-z0-9-] (1-24 long), e.g. {house,deep-house}.';
comment on column public.dj_sessions.cover_url is 'https URL of the cover image.';
comment on column public.dj_sessions.visibility is 'Who may see and join: public, followers or private.';
comment on column public.dj_sessions.status is 'scheduled, live or ended.';
comment on column public.dj_sessions.scheduled_for is 'Planned start (scheduled sessions).';
comment on column public.dj_sessions.started_at is 'When it went live.';
comment on column public.dj_sessions.ended_at is 'When it ended or was cancelled.';
comment on column public.dj_sessions.slow_mode_seconds is
  'Chat slow mode: seconds between two messages of a listener; 0 = off.';
comment on column public.dj_sessions.followers_only_minutes is
  'Followers-only chat: minimum follow age in minutes (0 = any follower); NULL = off.';
comment on column public.dj_sessions.subscribers_only is 'Only subscribers (and staff of the room) may chat.';
comment on column public.dj_sessions.emote_only is 'Chat messages may contain only emotes and emoji.';
comment on column public.dj_sessions.requests_open is 'Whether listeners may request songs.';
comment on column public.dj_sessions.listener_count is 'Listeners present now (refreshed from heartbeats every few seconds).';
comment on column public.dj_sessions.peak_listener_count is 'Highest listener_count seen.';
comment on column public.dj_sessions.created_at is 'Creation time.';
comment on column public.dj_sessions.updated_at is 'Last change.';
create unique index dj_sessions_one_live_per_dj on public.dj_sessions (dj_id) where status = 'live';
create index dj_sessions_live_directory_idx on public.dj_sessions (listener_count desc, started_at desc, id desc)
  where status = 'live';
create index dj_sessions_upcoming_idx on public.dj_sessions (scheduled_for, id) where status = 'scheduled';
create index dj_sessions_dj_idx on public.dj_sessions (dj_id, created_at desc);
alter table public.dj_sessions enable row level security;

create table private.session_invites (
  session_id uuid primary key references public.dj_sessions (id) on delete cascade,
  code text not null unique check (code ~ '^[A-HJ-NP-Z2-9]{8}$'),
  created_at timestamptz not null default now()
);
comment on table private.session_invites is 'Invite codes of private sessions (only the DJ and moderators read them).';
comment on column private.session_invites.session_id is 'The private session.';
comment on column private.session_invites.code is '8 characters from an unambiguous alphabet (no 0/O, 1/I).';
comment on column private.session_invites.created_at is 'When the code was (re)generated.';
alter table private.session_invites enable row level security;
-- NOTE: no policies and no grants: read and rotated through hidden definer functions.

create table public.dj_moderators (
  dj_id uuid not null references public.profiles (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  appointed_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (dj_id, user_id),
  check (dj_id <> user_id)
);
comment on table public.dj_moderators is 'Moderators a DJ appointed; they moderate all of that DJ''s sessions.';
comment on column public.dj_moderators.dj_id is 'The DJ.';
comment on column public.dj_moderators.user_id is 'The moderator.';
comment on column public.dj_moderators.appointed_by is 'Who appointed them (the DJ).';
comment on column public.dj_moderators.created_at is 'When.';
create index dj_moderators_user_idx on public.dj_moderators (user_id);
create index dj_moderators_appointed_by_idx on public.dj_moderators (appointed_by);
alter table public.dj_moderators enable row level security;

create table public.session_members (
  session_id uuid not null references public.dj_sessions (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  role public.member_role not null default 'listener',
  joined_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  left_at timestamptz,
  primary key (session_id, user_id)
) with (fillfactor = 80);  -- heartbeats update last_seen_at in place (HOT)
comment on table public.session_members is
  'Who is (or was) in a session. Present = left_at is NULL; heartbeats keep last_seen_at fresh.';
comment on column public.session_members.session_id is 'The session.';
comment on column public.session_members.user_id is 'The member.';
comment on column public.session_members.role is 'dj, cohost, moderator or listener.';
comment on column public.session_members.joined_at is 'Latest (re)join.';
comment on column public.session_members.last_seen_at is 'Latest heartbeat; stale members are dropped.';
comment on column public.session_members.left_at is 'When they left, were dropped as stale, or were removed; NULL while present.';
create index session_members_present_idx on public.session_members (session_id) where left_at is null;
create index session_members_user_idx on public.session_members (user_id);
alter table public.session_members enable row level security;

-- helpers (set-returning, evaluated once per statement in policies) ---------------------------

create function hidden.my_followed_ids() returns setof uuid
language sql stable security definer
set search_path = ''
as $$ select f.followee_id from public.follows as f where f.follower_id = auth.uid() $$;
comment on function hidden.my_followed_ids() is 'Users the caller follows.';

create function hidden.my_blockers() returns setof uuid
language sql stable security definer
set search_path = ''
as $$ select b.blocker_id from public.blocks as b where b.blocked_id = auth.uid() $$;
comment on function hidden.my_blockers() is 'Users who blocked the caller.';

create function hidden.my_moderated_dj_ids() returns setof uuid
language sql stable security definer
set search_path = ''
as $$ select m.dj_id from public.dj_moderators as m where m.user_id = auth.uid() $$;
comment on function hidden.my_moderated_dj_ids() is 'DJs whose sessions the caller moderates.';

create function hidden.my_room_ids() returns setof uuid
language sql stable security definer
set search_path = ''
as $$
  -- Three index lookups (no OR across tables: that would scan every session).
  select m.session_id from public.session_members as m where m.user_id = auth.uid()
  union
  select s.id from public.dj_sessions as s where s.dj_id = auth.uid()
  union
  select s.id from public.dj_moderators as d
  join public.dj_sessions as s on s.dj_id = d.dj_id
  where d.user_id = auth.uid()
$$;
comment on function hidden.my_room_ids() is
  'Sessions the caller is or was a member of, hosts, or moderates: whose members and chat they may read.';

create function hidden.session_authority(p_session_id uuid, p_user_id uuid) returns public.member_role
language sql stable security definer
set search_path = ''
as $$
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
$$;
comment on function hidden.session_authority(uuid, uuid) is
  'What a user may do in a session: dj, cohost (present), moderator (the DJ''s), listener (present) or NULL.';

create function hidden.can_moderate_session(p_session_id uuid) returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce(hidden.session_authority(p_session_id, auth.uid()) in ('dj', 'cohost', 'moderator'), false)
    or hidden.is_staff()
$$;
comment on function hidden.can_moderate_session(uuid) is
  'Whether the caller may moderate this session (its DJ, a present co-host, the DJ''s moderator, staff).';

grant execute on function hidden.my_followed_ids() to authenticated, service_role;
grant execute on function hidden.my_blockers() to authenticated, service_role;
grant execute on function hidden.my_moderated_dj_ids() to authenticated, service_role;
grant execute on function hidden.my_room_ids() to authenticated, service_role;
grant execute on function hidden.session_authority(uuid, uuid) to authenticated, service_role;
grant execute on function hidden.can_moderate_session(uuid) to authenticated, service_role;

-- policies and grants --------------------------------------------------------------------------

create policy "Anyone can see public sessions" on public.dj_sessions
  for select to anon using (visibility = 'public');
create policy "Users see sessions they may join, host or moderate" on public.dj_sessions
  for select to authenticated using (
    dj_id = (select auth.uid())
    or (
      dj_id <> all(array(select hidden.my_blockers()))
      and (
        visibility = 'public'
        or (visibility = 'followers' and dj_id = any(array(select hidden.my_followed_ids())))
        or id = any(array(select hidden.my_room_ids()))
      )
    )
    or dj_id = any(array(select hidden.my_moderated_dj_ids()))
    or (select hidden.is_staff())
  );
create policy "DJs create their own sessions" on public.dj_sessions
  for insert to authenticated with check (dj_id = (select auth.uid()));
create policy "DJs and their moderators update sessions" on public.dj_sessions
  for update to authenticated
  using (dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids())))
  with check (dj_id = (select auth.uid()) or dj_id = any(array(select hidden.my_moderated_dj_ids())));
grant select on public.dj_sessions to anon, authenticated;
grant insert (
  dj_id, title, description, genre_tags, cover_url, visibility, status, scheduled_for,
  slow_mode_seconds, followers_only_minutes, subscribers_only, emote_only, requests_open
) on public.dj_sessions to authenticated;
grant update (
  title, description, genre_tags, cover_url, visibility, status, scheduled_for,
  slow_mode_seconds, followers_only_minutes, subscribers_only, emote_only, requests_open
) on public.dj_sessions to authenticated;
-- NOTE: no delete: sessions end, their history stays. Counts are written by the presence job.

create policy "Moderator lists are public to signed-in users" on public.dj_moderators
  for select to authenticated using (true);
grant select on public.dj_moderators to authenticated;
-- NOTE: writes go through appoint_moderator / remove_moderator (moderation-bans).

create policy "Members are visible to the room" on public.session_members
  for select to authenticated using (
    (
      session_id = any(array(select hidden.my_room_ids()))
      and user_id <> all(array(select hidden.my_block_peers()))
    )
    or (select hidden.is_staff())
  );
grant select on public.session_members to authenticated;
-- NOTE: writes go through join_session / leave_session / heartbeat (rooms-presence).

-- triggers -------------------------------------------------------------------------------------

create function private.new_invite_code() returns text
language sql volatile
set search_path = ''
as $$
  select string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 1 + floor(random() * 32)::integer, 1), '')
  from generate_series(1, 8)
$$;
comment on function private.new_invite_code() is 'A random 8-character invite code (unambiguous alphabet).';

create function private.tg_dj_sessions__guard() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_dj_only boolean;
begin
  if TG_OP = 'INSERT' then
    if v_uid is not null then
      perform hidden.require_full_account('host');
      if not (select p.is_dj from public.profiles as p where p.id = NEW.dj_id) then
        raise exception 'Only DJs can create sessions.'
          using errcode = 'DJONL', hint = 'Turn on DJ mode in your profile (profiles.is_dj) first.';
      end if;
    end if;
    if NEW.status = 'ended' then
      raise exception 'A new session cannot start ended.' using errcode = 'STATE', hint = 'Use scheduled or live.';
    end if;
    NEW.title := btrim(NEW.title);
    NEW.started_at := case when NEW.status = 'live' then now() end;
    NEW.ended_at := null;
    if NEW.status = 'scheduled' and (NEW.scheduled_for is null or NEW.scheduled_for < now() - interval '5 minutes') then
      raise exception 'A scheduled session needs a start time in the future.'
        using errcode = '22023', hint = 'Pass p_scheduled_for, or start it now.';
    end if;
    return NEW;
  end if;

  -- Moderators may change chat settings and requests; everything else is the DJ's (or staff's).
  v_dj_only := (NEW.title, NEW.description, NEW.genre_tags, NEW.cover_url, NEW.visibility, NEW.status,
                NEW.scheduled_for)
    is distinct from (OLD.title, OLD.description, OLD.genre_tags, OLD.cover_url, OLD.visibility,
                      OLD.status, OLD.scheduled_for);
  if v_dj_only and v_uid is not null and v_uid <> OLD.dj_id and not hidden.is_staff() then
    raise exception 'Only the DJ can change that.' using errcode = '42501', hint = 'Moderators may change chat settings only.';
  end if;
  if OLD.status = 'ended' and v_uid is not null then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'Create a new session.';
  end if;
  NEW.title := btrim(NEW.title);
  if NEW.status is distinct from OLD.status then
    if (OLD.status, NEW.status) not in (('scheduled', 'live'), ('scheduled', 'ended'), ('live', 'ended')) then
      raise exception 'A session cannot go from % to %.', OLD.status, NEW.status
        using errcode = 'STATE', hint = 'Sessions go scheduled -> live -> ended.';
    end if;
    if NEW.status = 'live' then
      NEW.started_at := now();
    else
      NEW.ended_at := now();
      NEW.listener_count := 0;
    end if;
  end if;
  return NEW;
end
$$;
comment on function private.tg_dj_sessions__guard() is
  'Before a session is written: DJs only (full accounts), valid lifecycle transitions, timestamps, '
  'and only the DJ changes more than chat settings.';
create trigger _100_timestamps before insert or update on public.dj_sessions
  for each row execute function private.tg__timestamps();
create trigger _200_guard before insert or update on public.dj_sessions
  for each row execute function private.tg_dj_sessions__guard();

create function private.tg_dj_sessions__after() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.visibility = 'private' then
    insert into private.session_invites (session_id, code) values (NEW.id, private.new_invite_code())
    on conflict (session_id) do nothing;
  end if;
  if TG_OP = 'UPDATE' and NEW.status = 'ended' and OLD.status <> 'ended' then
    update public.session_members as m set left_at = now()
    where m.session_id = NEW.id and m.left_at is null;
  end if;
  return null;
end
$$;
comment on function private.tg_dj_sessions__after() is
  'After a session is written: give private sessions an invite code; when it ends, everyone leaves.';
create trigger _500_after after insert or update of visibility, status on public.dj_sessions
  for each row execute function private.tg_dj_sessions__after();
