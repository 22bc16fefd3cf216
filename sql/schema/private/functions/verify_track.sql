-- FUNCTION: verify_track(public.track_provider, text, text, text, integer, text, boolean)
CREATE FUNCTION private.verify_track(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean, OUT outcome text, OUT moved integer) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_shared uuid;
  v_typed uuid[];
  v_item public.queue_items;
  v_title text := private.provider_text(p_title);
  v_artist text := private.provider_text(p_artist);
begin
  moved := 0;
  if private.track_details_problem(p_provider, p_provider_track_id, v_title, v_artist, p_duration_ms, null) is not null
  then
    perform private.record_track_check(p_provider, p_provider_track_id, 'unusable');
    outcome := 'unusable';
    return;
  end if;
  insert into public.tracks as t (provider, provider_track_id, title, artist, duration_ms, artwork_url, explicit,
    verified_at)
  values (p_provider, p_provider_track_id, v_title, v_artist, p_duration_ms,
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

-- COMMENT: FUNCTION verify_track(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean, OUT outcome text, OUT moved integer)
COMMENT ON FUNCTION private.verify_track(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean, OUT outcome text, OUT moved integer) IS 'The service heard the provider''s details for an id: the shared row holds them (verified); every session''s open queue items and every playlist entry move to it (rooms get queue.item events); what has played keeps the typed row the room saw; typed rows left unused go. Artwork off the provider''s image hosts is dropped. Details outside our limits (e.g. over 3 h) change nothing (outcome unusable). Returns the outcome and the queue items moved.';

-- ACL: FUNCTION verify_track(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean, OUT outcome text, OUT moved integer)
REVOKE ALL ON FUNCTION private.verify_track(p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text, p_explicit boolean, OUT outcome text, OUT moved integer) FROM PUBLIC;
