/*
 * playlists-snag: users' playlists, and "snag" (save the playing track).
 *
 * Playlists are the owner's: they read and write them directly (RLS), or through the RPCs that
 * keep positions dense (1..n). snag() saves what is playing right now into a playlist, creating
 * the user's "Snagged" playlist on first use; snagging the same track twice changes nothing.
 */

create table public.playlists (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  is_snag_list boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.playlists is 'A user''s playlists (private to the owner).';
comment on column public.playlists.id is 'Playlist id.';
comment on column public.playlists.owner_id is 'Owner (defaults to the caller).';
comment on column public.playlists.name is 'Name, 1-100 characters.';
comment on column public.playlists.is_snag_list is 'The user''s default "Snagged" playlist (one per user).';
comment on column public.playlists.created_at is 'Created.';
comment on column public.playlists.updated_at is 'Last change.';
create unique index playlists_one_snag_list on public.playlists (owner_id) where is_snag_list;
create index playlists_owner_idx on public.playlists (owner_id, created_at);
alter table public.playlists enable row level security;
create policy "Owners manage their playlists" on public.playlists
  for all to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
grant select, delete on public.playlists to authenticated;
grant insert (owner_id, name, is_snag_list) on public.playlists to authenticated;
grant update (name) on public.playlists to authenticated;
create trigger _100_timestamps before insert or update on public.playlists
  for each row execute function private.tg__timestamps();

create table public.playlist_tracks (
  playlist_id uuid not null references public.playlists (id) on delete cascade,
  track_id uuid not null references public.tracks (id) on delete cascade,
  position integer not null check (position >= 1),
  added_at timestamptz not null default now(),
  primary key (playlist_id, track_id)
);
comment on table public.playlist_tracks is 'Tracks in a playlist, ordered by position (1..n, kept dense by the RPCs).';
comment on column public.playlist_tracks.playlist_id is 'The playlist.';
comment on column public.playlist_tracks.track_id is 'The track (once per playlist).';
comment on column public.playlist_tracks.position is 'Order in the playlist, from 1.';
comment on column public.playlist_tracks.added_at is 'When it was added.';
create index playlist_tracks_order_idx on public.playlist_tracks (playlist_id, position);
create index playlist_tracks_track_idx on public.playlist_tracks (track_id);
alter table public.playlist_tracks enable row level security;
create policy "Owners manage their playlists' tracks" on public.playlist_tracks
  for all to authenticated
  using (
    exists (
      select 1 from public.playlists as p
      where p.id = playlist_tracks.playlist_id and p.owner_id = (select auth.uid())
    )
  )
  with check (
    exists (
      select 1 from public.playlists as p
      where p.id = playlist_tracks.playlist_id and p.owner_id = (select auth.uid())
    )
  );
grant select, insert, update, delete on public.playlist_tracks to authenticated;

create function public.add_to_playlist(p_playlist_id uuid, p_track_id uuid, p_position integer default null)
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
    raise exception 'No such playlist of yours.' using errcode = 'P0002', hint = 'Check the playlist id.';
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
    raise exception 'No such track.' using errcode = 'P0002', hint = 'Check the track id.';
end
$$;
comment on function public.add_to_playlist(uuid, uuid, integer) is
  E'Add a track to one of your playlists at p_position (default: the end); idempotent. Returns the entry.\n'
  'Errors: LOGIN; P0002 no such playlist or track.\n'
  'Example: await supabase.rpc(''add_to_playlist'', { p_playlist_id: pl, p_track_id: tr })';
grant execute on function public.add_to_playlist(uuid, uuid, integer) to authenticated;

create function public.remove_from_playlist(p_playlist_id uuid, p_track_id uuid) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_position integer;
begin
  perform hidden.require_user();
  perform 1 from public.playlists as p where p.id = p_playlist_id for update;
  delete from public.playlist_tracks as t where t.playlist_id = p_playlist_id and t.track_id = p_track_id
  returning t.position into v_position;
  if v_position is null then
    return false;
  end if;
  update public.playlist_tracks as t set position = t.position - 1
  where t.playlist_id = p_playlist_id and t.position > v_position;
  return true;
end
$$;
comment on function public.remove_from_playlist(uuid, uuid) is
  E'Remove a track from your playlist, closing the gap. Returns whether it was there.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''remove_from_playlist'', { p_playlist_id: pl, p_track_id: tr })';
grant execute on function public.remove_from_playlist(uuid, uuid) to authenticated;

create function public.snag(p_session_id uuid, p_playlist_id uuid default null) returns public.playlist_tracks
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
    raise exception 'Nothing is playing to snag.' using errcode = 'IDLEQ', hint = 'Snag while a track plays.';
  end if;
  if v_playlist is null then
    insert into public.playlists (owner_id, name, is_snag_list) values (v_uid, 'Snagged', true)
    on conflict (owner_id) where is_snag_list do nothing;
    select p.id into v_playlist from public.playlists as p where p.owner_id = v_uid and p.is_snag_list;
  end if;
  return public.add_to_playlist(v_playlist, v_track);
end
$$;
comment on function public.snag(uuid, uuid) is
  E'Save the track playing in a session to a playlist (default: your "Snagged" playlist, created on first use). '
  'Idempotent. Returns the playlist entry.\n'
  'Errors: LOGIN; IDLEQ nothing playing (or you cannot see the session); P0002 no such playlist.\n'
  'Example: await supabase.rpc(''snag'', { p_session_id: id })';
grant execute on function public.snag(uuid, uuid) to authenticated;
