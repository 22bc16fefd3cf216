/*
 * rooms-lifecycle: the RPCs that create, start, change and end sessions, and the directory.
 *
 * They run as the caller: RLS decides which sessions they can see and change, the guard
 * trigger enforces DJ-only fields and lifecycle rules. The RPCs add what a table write cannot
 * say: a clear error when nothing matched, LIVE1 instead of a bare unique violation, and the
 * invite code (read through a definer helper, since it lives in a private table).
 */

-- helpers --------------------------------------------------------------------------------------

create function hidden.invite_code(p_session_id uuid, p_rotate boolean) returns text
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
  v_code text;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  end if;
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and moderators see the invite code.'
      using errcode = '42501', hint = 'Ask the DJ for an invite.';
  end if;
  if v_session.visibility <> 'private' then
    raise exception 'This session is not private.' using errcode = 'STATE', hint = 'Anyone allowed can join without a code.';
  end if;
  if p_rotate then
    update private.session_invites as i set code = private.new_invite_code(), created_at = now()
    where i.session_id = p_session_id returning i.code into v_code;
  else
    select i.code into v_code from private.session_invites as i where i.session_id = p_session_id;
  end if;
  return v_code;
end
$$;
comment on function hidden.invite_code(uuid, boolean) is
  'Implementation of get_invite_code / regenerate_invite_code: the DJ''s and moderators'' view of the code.';
grant execute on function hidden.invite_code(uuid, boolean) to authenticated;

create function hidden.require_session_change(p_found boolean, p_session_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if not p_found then
    if exists (select 1 from public.dj_sessions as s where s.id = p_session_id) then
      raise exception 'Only the DJ (or a moderator, for chat settings) can change this session.'
        using errcode = '42501', hint = 'Ask the DJ.';
    end if;
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  end if;
end
$$;
comment on function hidden.require_session_change(boolean, uuid) is
  'After an RLS-filtered session update: turn "nothing matched" into not-found (P0002) or not-allowed (42501).';
grant execute on function hidden.require_session_change(boolean, uuid) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

create function public.create_session(
  p_title text,
  p_description text default '',
  p_genre_tags text[] default '{}',
  p_visibility public.session_visibility default 'public',
  p_scheduled_for timestamptz default null,
  p_start_now boolean default false,
  p_cover_url text default null
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  insert into public.dj_sessions (title, description, genre_tags, visibility, scheduled_for, status, cover_url)
  values (p_title, coalesce(p_description, ''), coalesce(p_genre_tags, '{}'), p_visibility, p_scheduled_for,
    case when p_start_now then 'live' else 'scheduled' end::public.session_status, p_cover_url)
  returning * into v_row;
  return v_row;
exception
  when unique_violation then
    raise exception 'You already have a live session.'
      using errcode = 'LIVE1', hint = 'End it before going live with another one.';
  when check_violation then
    raise exception 'Invalid session details: %.', sqlerrm
      using errcode = '22023', hint = 'Title 1-100 chars; up to 5 tags of [a-z0-9-]; https cover URL.';
end
$$;
comment on function public.create_session(text, text, text[], public.session_visibility, timestamptz, boolean, text) is
  E'Create a session, scheduled (p_scheduled_for in the future) or live now (p_start_now). Private sessions '
  'get an invite code (get_invite_code). Returns the session.\n'
  'Errors: LOGIN; ANONY guests; DJONL not a DJ; LIVE1 already live; 22023 invalid details.\n'
  'Example: await supabase.rpc(''create_session'', { p_title: ''Friday house'', p_genre_tags: [''house''], p_start_now: true })';
grant execute on function public.create_session(
  text, text, text[], public.session_visibility, timestamptz, boolean, text
) to authenticated;

create function public.go_live(p_session_id uuid) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set status = 'live'
  where s.id = p_session_id and s.dj_id = (select auth.uid())
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
exception
  when unique_violation then
    raise exception 'You already have a live session.'
      using errcode = 'LIVE1', hint = 'End it before going live with another one.';
end
$$;
comment on function public.go_live(uuid) is
  E'Start a scheduled session now. Returns the session.\n'
  'Errors: LOGIN; P0002 no such session; 42501 not your session; LIVE1 another session is live; STATE not scheduled; ENDED.\n'
  'Example: await supabase.rpc(''go_live'', { p_session_id: id })';
grant execute on function public.go_live(uuid) to authenticated;

create function public.end_session(p_session_id uuid) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set status = 'ended'
  where s.id = p_session_id and (s.dj_id = (select auth.uid()) or (select hidden.is_staff()))
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;
comment on function public.end_session(uuid) is
  E'End a live session (or cancel a scheduled one); everyone in it leaves. Returns the session.\n'
  'Errors: LOGIN; P0002; 42501 not your session; ENDED already ended.\n'
  'Example: await supabase.rpc(''end_session'', { p_session_id: id })';
grant execute on function public.end_session(uuid) to authenticated;

create function public.update_session_details(
  p_session_id uuid, p_title text, p_description text default '', p_genre_tags text[] default '{}',
  p_cover_url text default null, p_scheduled_for timestamptz default null
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s
  set title = p_title, description = coalesce(p_description, ''), genre_tags = coalesce(p_genre_tags, '{}'),
    cover_url = p_cover_url, scheduled_for = coalesce(p_scheduled_for, s.scheduled_for)
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
exception
  when check_violation then
    raise exception 'Invalid session details: %.', sqlerrm
      using errcode = '22023', hint = 'Title 1-100 chars; up to 5 tags of [a-z0-9-]; https cover URL.';
end
$$;
comment on function public.update_session_details(uuid, text, text, text[], text, timestamptz) is
  E'Replace a session''s title, description, tags and cover (and its planned start). DJ only. Returns the session.\n'
  'Errors: LOGIN; P0002; 42501; ENDED; 22023 invalid details.\n'
  'Example: await supabase.rpc(''update_session_details'', { p_session_id: id, p_title: ''Late night'' })';
grant execute on function public.update_session_details(uuid, text, text, text[], text, timestamptz) to authenticated;

create function public.set_chat_settings(
  p_session_id uuid,
  p_slow_mode_seconds integer default 0,
  p_followers_only_minutes integer default null,
  p_subscribers_only boolean default false,
  p_emote_only boolean default false
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s
  set slow_mode_seconds = coalesce(p_slow_mode_seconds, 0), followers_only_minutes = p_followers_only_minutes,
    subscribers_only = coalesce(p_subscribers_only, false), emote_only = coalesce(p_emote_only, false)
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
exception
  when check_violation then
    raise exception 'Invalid chat settings: %.', sqlerrm
      using errcode = '22023', hint = 'Slow mode 0-3600 s; followers-only 0-525600 minutes or null.';
end
$$;
comment on function public.set_chat_settings(uuid, integer, integer, boolean, boolean) is
  E'Set the chat modes (they combine): slow mode seconds (0 off), followers-only minimum follow age in minutes '
  '(null off, 0 any follower), subscribers-only, emote-only. DJ or moderators. Returns the session.\n'
  'Errors: LOGIN; P0002; 42501; ENDED; 22023.\n'
  'Example: await supabase.rpc(''set_chat_settings'', { p_session_id: id, p_slow_mode_seconds: 30 })';
grant execute on function public.set_chat_settings(uuid, integer, integer, boolean, boolean) to authenticated;

create function public.set_session_visibility(p_session_id uuid, p_visibility public.session_visibility)
returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set visibility = p_visibility where s.id = p_session_id returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;
comment on function public.set_session_visibility(uuid, public.session_visibility) is
  E'Make a session public, followers-only or private (private ones get an invite code). DJ only.\n'
  'Errors: LOGIN; P0002; 42501; ENDED.\n'
  'Example: await supabase.rpc(''set_session_visibility'', { p_session_id: id, p_visibility: ''private'' })';
grant execute on function public.set_session_visibility(uuid, public.session_visibility) to authenticated;

create function public.get_invite_code(p_session_id uuid) returns text
language sql volatile
set search_path = ''
as $$ select hidden.invite_code(p_session_id, false) $$;
comment on function public.get_invite_code(uuid) is
  E'The invite code of a private session, for the DJ and moderators to share.\n'
  'Errors: P0002; 42501 not the DJ or a moderator; STATE not private.\n'
  'Example: const { data: code } = await supabase.rpc(''get_invite_code'', { p_session_id: id })';
grant execute on function public.get_invite_code(uuid) to authenticated;

create function public.regenerate_invite_code(p_session_id uuid) returns text
language sql volatile
set search_path = ''
as $$ select hidden.invite_code(p_session_id, true) $$;
comment on function public.regenerate_invite_code(uuid) is
  E'Replace a private session''s invite code (the old one stops working; members stay). Returns the new code.\n'
  'Errors: P0002; 42501; STATE not private.\n'
  'Example: await supabase.rpc(''regenerate_invite_code'', { p_session_id: id })';
grant execute on function public.regenerate_invite_code(uuid) to authenticated;

-- directory ------------------------------------------------------------------------------------

create type public.directory_entry as (
  id uuid,
  dj_id uuid,
  dj_handle text,
  dj_display_name text,
  dj_avatar_url text,
  title text,
  genre_tags text [],
  cover_url text,
  visibility public.session_visibility,
  status public.session_status,
  scheduled_for timestamptz,
  started_at timestamptz,
  listener_count integer,
  next_cursor text
);
comment on type public.directory_entry is 'One row of session_directory(); pass next_cursor of the last row to get the next page.';

create function public.session_directory(
  p_limit integer default 20, p_cursor text default null, p_genre text default null
) returns setof public.directory_entry
language plpgsql stable
set search_path = ''
as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
  v_parts text[] := string_to_array(p_cursor, '|');
  v_phase text := coalesce(v_parts[1], 'L');
  v_count integer;
  v_started timestamptz;
  v_planned timestamptz;
  v_id uuid;
begin
  begin
    if v_phase = 'L' and p_cursor is not null then
      v_count := v_parts[2]::integer;
      v_started := v_parts[3]::timestamptz;
      v_id := v_parts[4]::uuid;
    elsif v_phase = 'S' then
      v_planned := v_parts[2]::timestamptz;
      v_id := v_parts[3]::uuid;
    elsif p_cursor is not null then
      raise exception using errcode = '22P02';
    end if;
  exception when others then
    raise exception 'Invalid directory cursor.' using errcode = '22023', hint = 'Pass next_cursor from a previous page, or nothing.';
  end;
  -- Live first, busiest first; then upcoming, soonest first. Each part is an index range scan.
  return query
  with live as (
    select s.*, 0 as part,
      row_number() over (order by s.listener_count desc, s.started_at desc, s.id desc) as pos
    from public.dj_sessions as s
    where v_phase = 'L' and s.status = 'live' and (p_genre is null or p_genre = any (s.genre_tags))
      and (p_cursor is null or (s.listener_count, s.started_at, s.id) < (v_count, v_started, v_id))
    order by s.listener_count desc, s.started_at desc, s.id desc
    limit v_limit
  ), upcoming as (
    select s.*, 1 as part, row_number() over (order by s.scheduled_for, s.id) as pos
    from public.dj_sessions as s
    where s.status = 'scheduled' and s.scheduled_for > now() - interval '1 hour'
      and (p_genre is null or p_genre = any (s.genre_tags))
      and (v_phase = 'L' or (s.scheduled_for, s.id) > (v_planned, v_id))
    order by s.scheduled_for, s.id
    limit v_limit
  ), page as (
    select * from live
    union all
    select * from upcoming
    order by part, pos
    limit v_limit
  )
  select page.id, page.dj_id, p.handle, p.display_name, p.avatar_url, page.title, page.genre_tags,
    page.cover_url, page.visibility, page.status, page.scheduled_for, page.started_at, page.listener_count,
    case when page.part = 0
      then concat_ws('|', 'L', page.listener_count, page.started_at, page.id)
      else concat_ws('|', 'S', page.scheduled_for, page.id)
    end
  from page
  join public.profiles as p on p.id = page.dj_id
  order by page.part, page.pos;
end
$$;
comment on function public.session_directory(integer, text, text) is
  E'Live sessions (most listeners first), then upcoming ones (soonest first), that the caller may see; '
  'keyset-paginated: pass the last row''s next_cursor as p_cursor. Optional genre filter. Works with the anon key.\n'
  'Errors: 22023 invalid cursor.\n'
  'Example: const { data } = await supabase.rpc(''session_directory'', { p_limit: 20, p_cursor: last?.next_cursor })';
grant execute on function public.session_directory(integer, text, text) to anon, authenticated;
