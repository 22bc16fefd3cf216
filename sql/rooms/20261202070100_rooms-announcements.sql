/*
 * rooms-announcements: the DJ's pinned announcement.
 *
 * One line the DJ's team pins to the room ("next set at 10", "follow for the after-party"): on the
 * session row, so a joining listener reads it in the snapshot, and sent to everyone in the room at
 * once (session.announcement) whatever the room's size: it is never batched or sampled away.
 * Replacing it replaces it; an empty body clears it.
 */

-- tables ---------------------------------------------------------------------------------------

alter table public.dj_sessions
  add column announcement text check (char_length(announcement) between 1 and 280),
  add column announced_by uuid references public.profiles (id) on delete set null,
  add column announced_at timestamptz;
comment on column public.dj_sessions.announcement is 'The announcement pinned to the room (1-280 characters), or NULL.';
comment on column public.dj_sessions.announced_by is 'Who of the DJ''s team pinned it.';
comment on column public.dj_sessions.announced_at is 'When it was pinned (or cleared).';
create index dj_sessions_announced_by_idx on public.dj_sessions (announced_by) where announced_by is not null;
-- NOTE: no grant: written through announce() (the DJ's moderators and co-hosts may announce but
-- may not update the session row).

-- helpers --------------------------------------------------------------------------------------

create function hidden.announce(p_session_id uuid, p_body text) returns public.dj_sessions
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_body text := nullif(btrim(coalesce(p_body, '')), '');
  v_session public.dj_sessions;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ''s team can pin an announcement.' using errcode = '42501', hint = 'Ask the DJ.';
  elsif v_session.status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'Announce in your next session.';
  elsif char_length(v_body) > 280 then
    raise exception 'An announcement is at most 280 characters.' using errcode = 'MSGLN', hint = 'Shorten it.';
  end if;
  update public.dj_sessions as s
  set announcement = v_body, announced_by = v_uid, announced_at = now()
  where s.id = p_session_id
  returning * into v_session;
  return v_session;
end
$$;
comment on function hidden.announce(uuid, text) is 'Implementation of public.announce (the team may not update the session row itself).';
grant execute on function hidden.announce(uuid, text) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

create function public.announce(p_session_id uuid, p_body text) returns public.dj_sessions
language sql volatile
set search_path = ''
as $$ select hidden.announce(p_session_id, p_body) $$;
comment on function public.announce(uuid, text) is
  E'Pin an announcement to the room (the DJ, a co-host or the DJ''s moderators): everyone in the room gets it '
  'at once (session.announcement) and joiners find it in the snapshot. An empty body clears it. Returns the session.\n'
  'Errors: LOGIN; P0002 no such session; 42501 not the DJ''s team; ENDED; MSGLN over 280 characters.\n'
  'Example: await supabase.rpc(''announce'', { p_session_id: id, p_body: ''Back-to-back with @nova at 11!'' })';
grant execute on function public.announce(uuid, text) to authenticated;

-- the account export -----------------------------------------------------------------------------

insert into private.export_sections (section, query) values
  ('announcements',
    'select coalesce(json_agg(json_build_object(''session_id'', s.id, ''announcement'', s.announcement, '
    '''announced_at'', s.announced_at) order by s.announced_at), ''[]'') from public.dj_sessions as s '
    'where s.announced_by = $1');
