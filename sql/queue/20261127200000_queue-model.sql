/*
 * queue-model: tracks, the session queue, votes, skip votes, the play log, and the ranking.
 *
 * Order is defined by one pure, versioned function, queue_rank_key_v1(), whose result is stored
 * on each queued item (rank_key) and indexed, so the top of a 2,000-item queue is an index range
 * scan and any client can recompute and explain a position. The key sorts, in order: the DJ's
 * manual block (pinned/moved items, by pin_order), then the session's policy:
 *   votes      -(score + capped boost)
 *   fair_share fair_round
 *   hybrid     fair_round, then -(score + capped boost)
 * then requested_at; the item id breaks any remaining tie (it is the index's last column).
 * fair_round is the requester's turn number: a requester's queued items get rounds
 * turns_taken + 0, 1, 2... (turns = their items that played, are playing or were skipped), so no
 * requester gets a second turn while another with a waiting request has had none.
 */

create type public.track_provider as enum ('spotify', 'apple_music', 'soundcloud', 'upload');
comment on type public.track_provider is 'Where a track comes from.';
create type public.queue_policy as enum ('votes', 'fair_share', 'hybrid');
comment on type public.queue_policy is 'How a session orders its queue (see docs/queue-ranking.md).';
create type public.queue_status as enum ('queued', 'playing', 'played', 'skipped', 'rejected', 'withdrawn');
comment on type public.queue_status is 'queued -> playing -> played | skipped; queued -> rejected | withdrawn.';
create type public.skip_mode as enum ('off', 'percent', 'log');
comment on type public.skip_mode is 'Vote-to-skip threshold: off, a percentage of present listeners, or log-scale.';

insert into private.settings (key, value, description) values
  ('subscriber_request_limit', '6', 'Open requests per listener per session for subscribers.'),
  ('tip_boost_cap', '5', 'Most vote-equivalents a tip can add to a request (money never buys the queue).');

-- tracks ---------------------------------------------------------------------------------------

create table public.tracks (
  id uuid primary key default gen_random_uuid(),
  provider public.track_provider not null,
  provider_track_id text not null check (char_length(provider_track_id) between 1 and 200),
  title text not null check (char_length(title) between 1 and 200),
  artist text not null check (char_length(artist) between 1 and 200),
  duration_ms integer not null check (duration_ms between 1000 and 10800000),
  artwork_url text check (artwork_url ~ '^https://' and char_length(artwork_url) <= 2048),
  explicit boolean not null default false,
  created_at timestamptz not null default now(),
  unique (provider, provider_track_id)
);
comment on table public.tracks is 'The track catalogue, keyed by provider and provider id; created on first request.';
comment on column public.tracks.id is 'Track id.';
comment on column public.tracks.provider is 'spotify, apple_music, soundcloud or upload (a DJ''s own file).';
comment on column public.tracks.provider_track_id is 'The provider''s id (e.g. a Spotify track id).';
comment on column public.tracks.title is 'Title as first requested.';
comment on column public.tracks.artist is 'Artist as first requested.';
comment on column public.tracks.duration_ms is 'Length in milliseconds (1 s to 3 h).';
comment on column public.tracks.artwork_url is 'https URL of the artwork.';
comment on column public.tracks.explicit is 'Marked explicit by the provider.';
comment on column public.tracks.created_at is 'First requested.';
alter table public.tracks enable row level security;
create policy "Signed-in users read the catalogue" on public.tracks for select to authenticated using (true);
grant select on public.tracks to authenticated;
-- NOTE: no write grants: tracks are created by request_track (first writer's metadata wins).

-- session queue settings ------------------------------------------------------------------------

alter table public.dj_sessions
  add column queue_policy public.queue_policy not null default 'hybrid',
  add column queue_locked boolean not null default false,
  add column allow_explicit boolean not null default true,
  add column max_track_seconds integer check (max_track_seconds between 30 and 10800),
  add column request_limit integer not null default 3 check (request_limit between 1 and 50),
  add column skip_mode public.skip_mode not null default 'percent',
  add column skip_percent integer not null default 50 check (skip_percent between 1 and 100),
  add column skip_log_factor numeric not null default 3 check (skip_log_factor > 0 and skip_log_factor <= 20);
comment on column public.dj_sessions.queue_policy is 'votes, fair_share or hybrid.';
comment on column public.dj_sessions.queue_locked is 'Locked: no requests, votes or withdrawals; the DJ''s team can still run it.';
comment on column public.dj_sessions.allow_explicit is 'Whether explicit tracks may be requested.';
comment on column public.dj_sessions.max_track_seconds is 'Longest track that may be requested; NULL = no limit.';
comment on column public.dj_sessions.request_limit is 'Open requests per listener (subscribers get setting subscriber_request_limit if higher).';
comment on column public.dj_sessions.skip_mode is 'Vote-to-skip: off, percent or log.';
comment on column public.dj_sessions.skip_percent is 'percent mode: share of present listeners needed to skip.';
comment on column public.dj_sessions.skip_log_factor is 'log mode: votes needed = ceil(factor * ln(present + 1)).';
grant update (queue_policy, queue_locked, allow_explicit, max_track_seconds, request_limit, skip_mode, skip_percent,
  skip_log_factor) on public.dj_sessions to authenticated;
grant insert (queue_policy, allow_explicit, max_track_seconds, request_limit, skip_mode, skip_percent,
  skip_log_factor) on public.dj_sessions to authenticated;

-- the ranking (pure) ----------------------------------------------------------------------------

create function public.queue_rank_key_v1(
  p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer,
  p_fair_round integer, p_requested_at timestamptz
) returns bigint[]
language sql immutable parallel safe
set search_path = ''
as $$
  select array[
    case when p_pin_order is null then 1 else 0 end,
    coalesce(p_pin_order, 0),
    case p_policy when 'votes' then -(p_score + least(greatest(p_boost, 0), p_boost_cap)) else p_fair_round end,
    case p_policy when 'hybrid' then -(p_score + least(greatest(p_boost, 0), p_boost_cap)) else 0 end,
    (extract(epoch from p_requested_at) * 1000000)::bigint
  ]::bigint[]
$$;
comment on function public.queue_rank_key_v1(public.queue_policy, integer, integer, integer, integer, integer, timestamptz) is
  E'The queue order, version 1 (pure): items sort by this key ascending, then by id. '
  '[not pinned, pin order, policy key, hybrid vote key, requested_at in microseconds]. See docs/queue-ranking.md.\n'
  'Example: const { data } = await supabase.rpc(''queue_rank_key_v1'', { p_policy: ''hybrid'', p_pin_order: null, p_score: 3, p_boost: 0, p_boost_cap: 5, p_fair_round: 1, p_requested_at: t })';
grant execute on function public.queue_rank_key_v1(
  public.queue_policy, integer, integer, integer, integer, integer, timestamptz
) to authenticated;

create function public.queue_skip_threshold(
  p_mode public.skip_mode, p_percent integer, p_log_factor numeric, p_present integer
) returns integer
language sql immutable parallel safe
set search_path = ''
as $$
  select case p_mode
    when 'off' then null
    when 'percent' then greatest(1, ceil(p_percent / 100.0 * greatest(p_present, 1))::integer)
    else greatest(1, ceil(p_log_factor * ln(greatest(p_present, 1) + 1))::integer)
  end
$$;
comment on function public.queue_skip_threshold(public.skip_mode, integer, numeric, integer) is
  E'Skip votes needed to skip the playing track (pure): NULL when off; percent of present listeners; or '
  'ceil(factor * ln(present + 1)), which keeps big rooms able to skip (161 listeners, factor 3: 16 votes).\n'
  'Example: const { data } = await supabase.rpc(''queue_skip_threshold'', { p_mode: ''log'', p_percent: 50, p_log_factor: 3, p_present: 161 })';
grant execute on function public.queue_skip_threshold(public.skip_mode, integer, numeric, integer) to authenticated;

-- queue items, votes, skip votes, plays -----------------------------------------------------------

create table public.queue_items (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.dj_sessions (id) on delete cascade,
  track_id uuid not null references public.tracks (id) on delete restrict,
  requested_by uuid references public.profiles (id) on delete set null,
  status public.queue_status not null default 'queued',
  requested_at timestamptz not null default clock_timestamp(),
  upvotes integer not null default 0 check (upvotes >= 0),
  downvotes integer not null default 0 check (downvotes >= 0),
  boost integer not null default 0 check (boost >= 0),
  fair_round integer not null default 0 check (fair_round >= 0),
  pin_order integer,
  rank_key bigint[] not null,
  started_at timestamptz,
  ended_at timestamptz,
  skip_votes integer not null default 0 check (skip_votes >= 0),
  decided_by uuid references public.profiles (id) on delete set null,
  decision_reason text check (char_length(decision_reason) <= 500)
);
comment on table public.queue_items is 'Requests in a session''s queue and their fate. Readable by the room.';
comment on column public.queue_items.id is 'Queue item id.';
comment on column public.queue_items.session_id is 'The session.';
comment on column public.queue_items.track_id is 'The requested track.';
comment on column public.queue_items.requested_by is 'Who requested it first (their request counts as their upvote).';
comment on column public.queue_items.status is 'queued, playing, played, skipped, rejected or withdrawn.';
comment on column public.queue_items.requested_at is 'When it was first requested.';
comment on column public.queue_items.upvotes is 'Up votes (exact; equals the count of +1 rows in queue_votes).';
comment on column public.queue_items.downvotes is 'Down votes (exact; equals the count of -1 rows in queue_votes).';
comment on column public.queue_items.boost is 'Vote-equivalents bought with tips; counted up to setting tip_boost_cap.';
comment on column public.queue_items.fair_round is 'The requester''s turn number for this item (fair_share and hybrid).';
comment on column public.queue_items.pin_order is 'Position in the DJ''s manual block (pinned/moved items come first); NULL when not pinned.';
comment on column public.queue_items.rank_key is 'queue_rank_key_v1() of this item: the queue sorts by (rank_key, id).';
comment on column public.queue_items.started_at is 'When it started playing (clients sync progress from it).';
comment on column public.queue_items.ended_at is 'When it stopped playing or left the queue.';
comment on column public.queue_items.skip_votes is 'Vote-to-skip count while playing.';
comment on column public.queue_items.decided_by is 'Who rejected or skipped it.';
comment on column public.queue_items.decision_reason is 'Why it was rejected or skipped.';
create index queue_items_top_idx on public.queue_items (session_id, rank_key, id) where status = 'queued';
create unique index queue_items_one_open_per_track on public.queue_items (session_id, track_id)
  where status in ('queued', 'playing');
create unique index queue_items_one_playing on public.queue_items (session_id) where status = 'playing';
create index queue_items_requester_idx on public.queue_items (requested_by, session_id, status);
create index queue_items_track_idx on public.queue_items (track_id);
create index queue_items_decided_by_idx on public.queue_items (decided_by) where decided_by is not null;
alter table public.queue_items enable row level security;
create policy "The room reads its queue" on public.queue_items
  for select to authenticated using (
    session_id = any(array(select hidden.my_room_ids())) or (select hidden.is_staff())
  );
grant select on public.queue_items to authenticated;
-- NOTE: no write grants: requests, votes and DJ controls go through their RPCs.

create table public.queue_votes (
  item_id uuid not null references public.queue_items (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  session_id uuid not null,
  value smallint not null check (value in (-1, 1)),
  voted_at timestamptz not null default now(),
  primary key (item_id, user_id)
);
comment on table public.queue_votes is
  'One up or down vote per listener per item. Voters see their own votes; the room''s team sees who voted.';
comment on column public.queue_votes.item_id is 'The queue item.';
comment on column public.queue_votes.user_id is 'The voter.';
comment on column public.queue_votes.session_id is 'The item''s session (denormalised for the team''s view).';
comment on column public.queue_votes.value is '+1 or -1.';
comment on column public.queue_votes.voted_at is 'When the vote was last cast or changed.';
create index queue_votes_user_idx on public.queue_votes (user_id, session_id);
create index queue_votes_session_idx on public.queue_votes (session_id);
alter table public.queue_votes enable row level security;
create policy "Voters see their votes; the team sees all in its rooms" on public.queue_votes
  for select to authenticated using (
    user_id = (select auth.uid()) or session_id = any(array(select hidden.my_moderated_room_ids()))
  );
grant select on public.queue_votes to authenticated;

create table public.skip_votes (
  item_id uuid not null references public.queue_items (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  voted_at timestamptz not null default now(),
  primary key (item_id, user_id)
);
comment on table public.skip_votes is 'Votes to skip the playing track.';
comment on column public.skip_votes.item_id is 'The playing item.';
comment on column public.skip_votes.user_id is 'The voter.';
comment on column public.skip_votes.voted_at is 'When.';
create index skip_votes_user_idx on public.skip_votes (user_id);
alter table public.skip_votes enable row level security;
create policy "Voters see their own skip votes" on public.skip_votes
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.skip_votes to authenticated;

create table public.session_plays (
  id bigint generated always as identity primary key,
  session_id uuid not null,
  item_id uuid not null,
  track_id uuid not null,
  requested_by uuid,
  outcome text not null check (outcome in ('played', 'skipped')),
  started_at timestamptz not null,
  ended_at timestamptz not null,
  upvotes integer not null,
  downvotes integer not null,
  skip_votes integer not null,
  reason text
);
comment on table public.session_plays is
  'Append-only log of what played in a session and how it was received; kept after the session ends.';
comment on column public.session_plays.id is 'Order of plays.';
comment on column public.session_plays.session_id is 'The session.';
comment on column public.session_plays.item_id is 'The queue item that played.';
comment on column public.session_plays.track_id is 'The track.';
comment on column public.session_plays.requested_by is 'Who requested it.';
comment on column public.session_plays.outcome is 'played (to the end or advanced) or skipped.';
comment on column public.session_plays.started_at is 'When it started.';
comment on column public.session_plays.ended_at is 'When it stopped.';
comment on column public.session_plays.upvotes is 'Up votes when it ended (reception).';
comment on column public.session_plays.downvotes is 'Down votes when it ended.';
comment on column public.session_plays.skip_votes is 'Skip votes when it ended.';
comment on column public.session_plays.reason is 'Why it was skipped.';
create index session_plays_session_idx on public.session_plays (session_id, id);
alter table public.session_plays enable row level security;
create policy "Anyone who can see the session reads its plays" on public.session_plays
  for select to authenticated using (
    exists (
      select 1 from public.dj_sessions as s
      where s.id = session_plays.session_id
    )
  );
grant select on public.session_plays to authenticated;
create trigger _100_append_only before update or delete on public.session_plays
  for each row execute function private.tg_moderation_log__append_only();

-- maintenance helpers ---------------------------------------------------------------------------

create function private.rerank_requester(p_session_id uuid, p_requester uuid) returns void
language sql
set search_path = ''
as $$
  -- A requester's queued items get rounds turns + 0, 1, 2... in request order.
  with turns as (
    select count(*)::integer as n from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = p_requester and q.status in ('playing', 'played', 'skipped')
  ), ordered as (
    select q.id, (row_number() over (order by q.requested_at, q.id))::integer - 1 as position
    from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = p_requester and q.status = 'queued'
  )
  update public.queue_items as q
  set fair_round = turns.n + ordered.position,
    rank_key = public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
      (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), turns.n + ordered.position,
      q.requested_at)
  from ordered, turns, public.dj_sessions as s
  where q.id = ordered.id and s.id = q.session_id and q.fair_round is distinct from turns.n + ordered.position
$$;
comment on function private.rerank_requester(uuid, uuid) is
  'Recompute fair rounds (and rank keys) of one requester''s queued items in a session.';

create function private.rerank_session(p_session_id uuid) returns void
language sql
set search_path = ''
as $$
  update public.queue_items as q
  set rank_key = public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
    (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
  from public.dj_sessions as s
  where s.id = q.session_id and q.session_id = p_session_id and q.status = 'queued'
$$;
comment on function private.rerank_session(uuid) is 'Recompute every queued item''s rank key (after a policy change).';

create function private.tg_queue_items__status() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.requested_by is not null then
    perform private.rerank_requester(NEW.session_id, NEW.requested_by);
  end if;
  if OLD.status = 'playing' then
    insert into public.session_plays (session_id, item_id, track_id, requested_by, outcome, started_at, ended_at,
      upvotes, downvotes, skip_votes, reason)
    values (NEW.session_id, NEW.id, NEW.track_id, NEW.requested_by, NEW.status::text, OLD.started_at, NEW.ended_at,
      NEW.upvotes, NEW.downvotes, NEW.skip_votes, NEW.decision_reason);
  end if;
  return null;
end
$$;
comment on function private.tg_queue_items__status() is
  'After an item changes status: re-number its requester''s fair rounds; a finished play is appended to session_plays.';
create trigger _500_status after update of status on public.queue_items
  for each row when (old.status is distinct from new.status) execute function private.tg_queue_items__status();

create function private.tg_dj_sessions__rerank() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.rerank_session(NEW.id);
  return null;
end
$$;
comment on function private.tg_dj_sessions__rerank() is 'After a session''s queue policy changes: re-key its queue.';
create trigger _510_rerank after update of queue_policy on public.dj_sessions
  for each row when (old.queue_policy is distinct from new.queue_policy)
  execute function private.tg_dj_sessions__rerank();
