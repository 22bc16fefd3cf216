/*
 * playlists-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: public.add_to_playlist, public.snag.
 */

-- From 20261127200300_playlists-snag.sql.
create or replace function public.add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer default null)
returns public.playlist_tracks
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.playlist_tracks;
  v_count integer;
begin
  perform hidden.require_user();
  if not exists (select 1 from public.playlists as p where p.id = p_playlist_id for update) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such playlist of yours.', 'Check the playlist id.'),
      detail = hidden.api_response('P0002');
  end if;
  select * into v_row from public.playlist_tracks as t where t.playlist_id = p_playlist_id and t.track_id = p_track_id;
  if v_row.track_id is not null then
    return v_row;  -- already there: idempotent
  end if;
  select count(*) into v_count from public.playlist_tracks as t where t.playlist_id = p_playlist_id;
  p_position := least(greatest(coalesce(p_position, v_count + 1), 1), v_count + 1);
  update public.playlist_tracks as t set position = t.position + 1
  where t.playlist_id = p_playlist_id and t.position >= p_position;
  insert into public.playlist_tracks (playlist_id, track_id, position) values (p_playlist_id, p_track_id, p_position)
  returning * into v_row;
  return v_row;
exception
  when foreign_key_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such track.', 'Check the track id.'),
      detail = hidden.api_response('P0002');
end
$$;

-- From 20261127200300_playlists-snag.sql.
create or replace function public.snag(p_session_id uuid, p_playlist_id uuid default null)
returns public.playlist_tracks
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_track uuid;
  v_playlist uuid := p_playlist_id;
begin
  select q.track_id into v_track from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing';
  if v_track is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('IDLEQ', 'Nothing is playing to snag.', 'Snag while a track plays.'),
      detail = hidden.api_response('IDLEQ');
  end if;
  if v_playlist is null then
    insert into public.playlists (owner_id, name, is_snag_list) values (v_uid, 'Snagged', true)
    on conflict (owner_id) where is_snag_list do nothing;
    select p.id into v_playlist from public.playlists as p where p.owner_id = v_uid and p.is_snag_list;
  end if;
  return public.add_to_playlist(v_playlist, v_track);
end
$$;
