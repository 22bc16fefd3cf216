/*
 * queue-catalogue-verified-by-provider: what a listener types never becomes what every room sees.
 *
 * request_track took the caller's title, artist and artwork for a track new to the catalogue and
 * kept them for everyone (first writer wins): a listener in one room could name a Spotify id
 * anything, with artwork on their own server, for every room that ever queued it (issue 17 §2).
 * Now the catalogue has two kinds of rows:
 * - shared rows (requested_in is null): one per provider id. A shared row that is verified
 *   (verified_at set) holds what the provider's public API says; only the service writes it
 *   (private.verify_track, after asking the provider). Rows made before this migration are shared
 *   but unverified: they are left to the verifier and never picked up by a new request.
 * - session rows (requested_in set): what a requester typed, seen only in that session's queue,
 *   until the provider id is verified; then the session's open queue items and playlist entries
 *   move to the shared row (the room is told with queue.item events); what already played keeps
 *   the typed row, as the append-only play log records it.
 * Readers are unchanged (every queue item points at one track row); they now also say whether it
 * is verified, so the app can show a requester's text as such. Artwork is accepted only from the
 * provider's own image hosts (setting artwork_hosts), for typed and verified rows alike. The
 * verifier is whatssound_svc/catalogue (Spotify's Web API; providers without a verifier keep
 * session rows). ADR 2026-12-03 "The catalogue is the provider's" in docs/decisions.md.
 */

-- settings -------------------------------------------------------------------------------------

insert into private.settings (key, value, description) values
  ('artwork_hosts',
    '{"spotify": ["i.scdn.co", "mosaic.scdn.co", "image-cdn-ak.spotifycdn.com", "image-cdn-fa.spotifycdn.com"], '
    '"apple_music": [".mzstatic.com"], "soundcloud": [".sndcdn.com"], "upload": []}',
    'Image hosts artwork may come from, per provider (a leading dot: any subdomain of it).'),
  ('catalogue_recheck_days', '30',
    'Days before a provider id the provider did not know (or could not be used) is asked about again.');

-- the catalogue ----------------------------------------------------------------------------------

alter table public.tracks
add column verified_at timestamptz,
add column requested_in uuid,
add constraint tracks_verified_rows_are_shared check (verified_at is null or requested_in is null);
comment on column public.tracks.verified_at is
  'When the service confirmed this row against the provider''s API (null: as a requester typed it).';
comment on column public.tracks.requested_in is
  'The session whose requester typed this row (seen only there); null for the shared row of the provider id.';
comment on column public.tracks.title is 'Title: the provider''s when verified, else as the requester typed it.';
comment on column public.tracks.artist is 'Artist: the provider''s when verified, else as the requester typed it.';
comment on column public.tracks.artwork_url is 'https URL of the artwork, on one of the provider''s image hosts.';
comment on column public.tracks.created_at is 'When the row was made (first request in its scope, or verification).';
comment on table public.tracks is
  'The track catalogue: one shared row per provider id (verified by the service against the provider), and '
  'rows typed by a requester that only their session sees until the id is verified.';

alter table public.tracks drop constraint tracks_provider_provider_track_id_key;
create unique index tracks_shared_key on public.tracks (provider, provider_track_id) where requested_in is null;
create unique index tracks_session_key on public.tracks (provider, provider_track_id, requested_in)
where requested_in is not null;
create index tracks_unverified_idx on public.tracks (provider, provider_track_id) where verified_at is null;
comment on index public.tracks_shared_key is 'One shared row per provider id.';
comment on index public.tracks_session_key is 'One typed row per provider id and session.';
comment on index public.tracks_unverified_idx is 'What the verifier has left to ask about.';

create table private.track_checks (
  provider public.track_provider not null,
  provider_track_id text not null,
  outcome text not null check (outcome in ('verified', 'not_found', 'unusable', 'unavailable')),
  attempts integer not null default 1,
  checked_at timestamptz not null default now(),
  next_check_at timestamptz not null,
  primary key (provider, provider_track_id)
);
comment on table private.track_checks is 'What the verifier last heard from a provider about a provider id.';
comment on column private.track_checks.provider is 'The provider asked.';
comment on column private.track_checks.provider_track_id is 'The provider id asked about.';
comment on column private.track_checks.outcome is
  'verified; not_found (the provider has no such track); unusable (outside our limits, e.g. longer than 3 h); '
  'unavailable (the provider failed or rate-limited us: asked again at next_check_at).';
comment on column private.track_checks.attempts is 'Checks of this id so far.';
comment on column private.track_checks.checked_at is 'When it was last asked about.';
comment on column private.track_checks.next_check_at is 'Not asked about again before this.';
alter table private.track_checks enable row level security;
-- NOTE: no policies and no grants: only the service (the migration role) reads and writes it.

-- what a request may carry ---------------------------------------------------------------------

create function private.artwork_url_problem(p_provider public.track_provider, p_url text) returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_host text := lower(substring(p_url from '^https://([A-Za-z0-9.-]+)(?:[/?#]|$)'));
begin
  if p_url is null then
    return null;
  elsif char_length(p_url) > 2048 or v_host is null then
    return 'the artwork must be an https URL of at most 2048 characters, with a plain host name';
  elsif not exists (
    select 1 from jsonb_array_elements_text(hidden.setting('artwork_hosts') -> p_provider::text) as h(host)
    where v_host = h.host or (left(h.host, 1) = '.' and right(v_host, char_length(h.host)) = h.host)
  ) then
    return format('the artwork must come from %s''s image hosts', p_provider);
  end if;
  return null;
end
$$;
comment on function private.artwork_url_problem(public.track_provider, text) is
  'What is wrong with an artwork URL for a provider (null when nothing): https, a plain host (no user, no port), '
  'one of the provider''s image hosts (setting artwork_hosts).';

drop function private.track_details_problem(text, text, text, integer, text);
create function private.track_details_problem(
  p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer,
  p_artwork_url text
) returns text
language plpgsql stable
set search_path = ''
as $$
begin
  -- The same rules as public.tracks' check constraints, named for the app; artwork by provider.
  return case
    when p_provider is null then 'the provider is required'
    when p_provider_track_id is null or char_length(btrim(p_provider_track_id)) not between 1 and 200
      then 'the provider track id must be 1-200 characters'
    when p_title is null or char_length(btrim(p_title)) not between 1 and 200 then 'the title must be 1-200 characters'
    when p_artist is null or char_length(btrim(p_artist)) not between 1 and 200 then 'the artist must be 1-200 characters'
    when p_duration_ms is null or p_duration_ms not between 1000 and 10800000 then 'the duration must be 1 s to 3 h'
    else private.artwork_url_problem(p_provider, p_artwork_url)
  end;
end
$$;
comment on function private.track_details_problem(
  public.track_provider, text, text, text, integer, text
) is 'What is wrong with a requested track''s details (null when nothing), checked before anything is written.';

-- requesting -----------------------------------------------------------------------------------

-- As 20261202080400, but the track is the provider id's verified shared row when there is one
-- (the caller's details are then ignored), else the session's own typed row.
create or replace function hidden.request_track(
  p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text,
  p_duration_ms integer, p_artwork_url text, p_explicit boolean
) returns public.request_result
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_session public.dj_sessions;
  v_team boolean;
  v_track public.tracks;
  v_item public.queue_items;
  v_limit integer;
  v_open integer;
  v_problem text;
  v_id text := btrim(p_provider_track_id);
begin
  v_problem := private.track_details_problem(p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url);
  if v_problem is not null then
    raise exception 'Invalid track details: %.', v_problem
      using errcode = '22023',
        hint = 'Title and artist 1-200 chars, duration 1 s-3 h, artwork from the provider''s image host.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('request:' || v_uid, 0));
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  v_team := private.require_queue_listener(v_session, v_uid);
  if not v_session.requests_open and not v_team then
    raise exception 'Requests are closed in this session.' using errcode = 'REQCL', hint = 'Vote on the queue instead.';
  end if;
  select * into v_track from public.tracks as t
  where t.provider = p_provider and t.provider_track_id = v_id and t.requested_in is null and t.verified_at is not null;
  if v_track.id is null then
    insert into public.tracks (provider, provider_track_id, title, artist, duration_ms, artwork_url, explicit,
      requested_in)
    values (p_provider, v_id, btrim(p_title), btrim(p_artist), p_duration_ms, p_artwork_url,
      coalesce(p_explicit, false), p_session_id)
    on conflict (provider, provider_track_id, requested_in) where requested_in is not null do nothing;
    select * into v_track from public.tracks as t
    where t.provider = p_provider and t.provider_track_id = v_id and t.requested_in = p_session_id;
  end if;
  if v_track.explicit and not v_session.allow_explicit then
    raise exception 'This session does not take explicit tracks.' using errcode = 'NOEXP', hint = 'Pick a clean version.';
  end if;
  if v_session.max_track_seconds is not null and v_track.duration_ms > v_session.max_track_seconds * 1000 then
    raise exception 'This track is longer than the session allows (% s).', v_session.max_track_seconds
      using errcode = 'TOLNG', hint = 'Pick a shorter track.';
  end if;
  select * into v_item from public.queue_items as q
  where q.session_id = p_session_id and q.track_id = v_track.id and q.status in ('queued', 'playing');
  if v_item.id is not null then  -- already queued: the request becomes a vote for it
    perform hidden.cast_vote(v_item.id, 1);
    select * into v_item from public.queue_items as q where q.id = v_item.id;
    return (v_item, v_track, true)::public.request_result;
  end if;
  if exists (
    select 1 from public.queue_items as q
    where q.session_id = p_session_id and q.track_id = v_track.id and q.status = 'rejected'
  ) and not v_team then
    raise exception 'The DJ turned this track down tonight.' using errcode = 'REJTD', hint = 'Request something else.';
  end if;
  if not v_team then
    v_limit := greatest(v_session.request_limit, case
      when hidden.has_entitlement(v_uid, hidden.setting('subscriber_entitlement') #>> '{}')
        then (hidden.setting('subscriber_request_limit'))::integer else 0 end);
    select count(*) into v_open from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = v_uid and q.status = 'queued';
    if v_open >= v_limit then
      raise exception 'You have % requests waiting (the limit here is %).', v_open, v_limit
        using errcode = 'QUOTA', detail = json_build_object('limit', v_limit, 'open', v_open)::text,
          hint = 'Wait until one plays, or withdraw one.';
    end if;
  end if;
  insert into public.queue_items (session_id, track_id, requested_by, upvotes, rank_key)
  values (p_session_id, v_track.id, v_uid, 1, '{}')
  returning * into v_item;
  insert into public.queue_votes (item_id, user_id, session_id, value) values (v_item.id, v_uid, p_session_id, 1);
  perform private.rerank_requester(p_session_id, v_uid);
  update public.queue_items as q
  set rank_key = public.queue_rank_key_v1(v_session.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
    (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
  where q.id = v_item.id
  returning * into v_item;
  return (v_item, v_track, false)::public.request_result;
end
$$;
comment on function hidden.request_track(uuid, public.track_provider, text, text, text, integer, text, boolean) is
  'request_track''s implementation: the provider id''s verified row if there is one (the typed details are then '
  'ignored), else this session''s typed row; then a new queue item, or a vote for the queued one.';

-- reading: whether a track is verified ---------------------------------------------------------

alter type public.queue_entry add attribute verified boolean;
comment on column public.queue_entry.verified is
  'Whether the title, artist and artwork are the provider''s (false: as the requester typed them).';
alter type public.now_playing add attribute verified boolean;
comment on column public.now_playing.verified is
  'Whether the title, artist and artwork are the provider''s (false: as the requester typed them).';

-- As 20261202080100, with verified.
create or replace function public.queue_top(p_session_id uuid, p_limit integer default 50) returns json
language plpgsql stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_top json;
begin
  -- One statement builds the JSON array the app receives (rows shaped as public.queue_entry):
  -- the top rows from the rank index, then one index probe per row for its track and requester
  -- (LIMIT 1 keeps each LATERAL a per-row lookup: never a join over the whole catalogue).
  select coalesce(json_agg(e order by e.position), '[]') into v_top
  from (
    select q.position, q.id as item_id, q.status, t.id as track_id, t.title, t.artist, t.duration_ms, t.artwork_url,
      t.explicit, q.requested_by, p.handle as requester_handle, q.upvotes, q.downvotes,
      q.pin_order is not null as pinned, q.fair_round, q.rank_key, q.requested_at, t.verified_at is not null as verified
    from (
      select qi.*, (row_number() over (order by qi.rank_key, qi.id))::integer as position
      from public.queue_items as qi
      where qi.session_id = p_session_id and qi.status = 'queued'
      order by qi.rank_key, qi.id
      limit least(greatest(coalesce(p_limit, 50), 1), 200)
    ) as q
    cross join lateral (select tr.* from public.tracks as tr where tr.id = q.track_id limit 1) as t
    left join lateral (select pr.handle from public.profiles as pr where pr.id = q.requested_by limit 1) as p on true
  ) as e;
  return v_top;
end
$$;

-- As 20261202080100, with verified.
create or replace function public.now_playing(p_session_id uuid) returns public.now_playing
language plpgsql stable
set search_path = ''
as $$
declare
  v_row public.now_playing;
begin
  select q.id, t.id, t.title, t.artist, t.duration_ms, t.artwork_url, q.requested_by, q.started_at, now(),
    q.upvotes, q.downvotes, q.skip_votes, t.verified_at is not null
  into v_row
  from public.queue_items as q
  cross join lateral (select tr.* from public.tracks as tr where tr.id = q.track_id limit 1) as t
  where q.session_id = p_session_id and q.status = 'playing';
  return v_row;
end
$$;

-- As 20261202080300, with verified and the artwork.
create or replace function private.queue_item_event(p_item public.queue_items) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'id', p_item.id, 'status', p_item.status, 'track_id', p_item.track_id, 'title', t.title, 'artist', t.artist,
      'duration_ms', t.duration_ms, 'artwork_url', t.artwork_url, 'verified', t.verified_at is not null,
      'requested_by', p_item.requested_by, 'upvotes', p_item.upvotes,
      'downvotes', p_item.downvotes, 'pinned', p_item.pin_order is not null, 'fair_round', p_item.fair_round,
      'rank_key', to_jsonb(p_item.rank_key), 'started_at', p_item.started_at, 'reason', p_item.decision_reason
    )
    from public.tracks as t where t.id = p_item.track_id
  );
end
$$;

-- verifying (the service) ----------------------------------------------------------------------

create function private.tracks_to_verify(p_providers public.track_provider[], p_limit integer)
returns table (provider public.track_provider, provider_track_id text)
language sql stable
set search_path = ''
as $$
  select distinct t.provider, t.provider_track_id
  from public.tracks as t
  where t.verified_at is null and t.provider = any(p_providers)
    and not exists (
      select 1 from private.track_checks as c
      where c.provider = t.provider and c.provider_track_id = t.provider_track_id and c.next_check_at > now()
    )
  limit p_limit
$$;
comment on function private.tracks_to_verify(public.track_provider[], integer) is
  'Provider ids with unverified rows that are due to be asked about, for the given providers (at most p_limit).';

create function private.record_track_check(
  p_provider public.track_provider, p_provider_track_id text, p_outcome text, p_retry_after interval default null
) returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into private.track_checks as c (provider, provider_track_id, outcome, next_check_at)
  values (p_provider, p_provider_track_id, p_outcome, now() + coalesce(p_retry_after,
    make_interval(days => (hidden.setting('catalogue_recheck_days'))::integer)))
  on conflict (provider, provider_track_id) do update
  set outcome = excluded.outcome, attempts = c.attempts + 1, checked_at = now(), next_check_at = excluded.next_check_at;
end
$$;
comment on function private.record_track_check(public.track_provider, text, text, interval) is
  'Record what the provider said about an id; asked again after p_retry_after (default catalogue_recheck_days).';

create function private.verify_track(
  p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer,
  p_artwork_url text, p_explicit boolean, out outcome text, out moved integer
)
language plpgsql
set search_path = ''
as $$
declare
  v_shared uuid;
  v_typed uuid[];
  v_item public.queue_items;
begin
  moved := 0;
  if private.track_details_problem(p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms, null) is not null
  then
    perform private.record_track_check(p_provider, p_provider_track_id, 'unusable');
    outcome := 'unusable';
    return;
  end if;
  insert into public.tracks as t (provider, provider_track_id, title, artist, duration_ms, artwork_url, explicit,
    verified_at)
  values (p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    case when private.artwork_url_problem(p_provider, p_artwork_url) is null then p_artwork_url end,
    coalesce(p_explicit, false), now())
  on conflict (provider, provider_track_id) where requested_in is null do update
  set title = excluded.title, artist = excluded.artist, duration_ms = excluded.duration_ms,
    artwork_url = excluded.artwork_url, explicit = excluded.explicit, verified_at = excluded.verified_at
  returning t.id into v_shared;
  select coalesce(array_agg(t.id), '{}') into v_typed from public.tracks as t
  where t.provider = p_provider and t.provider_track_id = p_provider_track_id and t.requested_in is not null;
  -- Each session's open items move to the shared row, unless the session already has it open (a
  -- request that arrived between the two rows: that item keeps the typed row). What has played
  -- keeps the row the room saw, as the append-only play log does.
  for v_item in
    update public.queue_items as q set track_id = v_shared
    where q.track_id = any(v_typed) and q.status in ('queued', 'playing')
      and not exists (
        select 1 from public.queue_items as o
        where o.session_id = q.session_id and o.track_id = v_shared and o.status in ('queued', 'playing')
      )
    returning q.*
  loop
    moved := moved + 1;
    perform private.rt_emit(v_item.session_id, 'queue.item', private.queue_item_event(v_item), false);
    if v_item.status = 'playing' then
      perform private.rt_emit(v_item.session_id, 'now_playing', private.queue_item_event(v_item), false);
    end if;
  end loop;
  delete from public.playlist_tracks as p
  where p.track_id = any(v_typed)
    and exists (select 1 from public.playlist_tracks as o where o.playlist_id = p.playlist_id and o.track_id = v_shared);
  update public.playlist_tracks as p set track_id = v_shared where p.track_id = any(v_typed);
  delete from public.tracks as t
  where t.id = any(v_typed)
    and not exists (select 1 from public.queue_items as q where q.track_id = t.id)
    and not exists (select 1 from public.session_plays as p where p.session_id = t.requested_in and p.track_id = t.id);
  perform private.record_track_check(p_provider, p_provider_track_id, 'verified');
  outcome := 'verified';
end
$$;
comment on function private.verify_track(public.track_provider, text, text, text, integer, text, boolean) is
  'The service heard the provider''s details for an id: the shared row holds them (verified); every session''s '
  'open queue items and every playlist entry move to it (rooms get queue.item events); what has played keeps '
  'the typed row the room saw; typed rows left unused go. '
  'Artwork off the provider''s image hosts is dropped. Details outside our limits (e.g. over 3 h) change '
  'nothing (outcome unusable). Returns the outcome and the queue items moved.';
