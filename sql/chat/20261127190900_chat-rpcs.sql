/*
 * chat-rpcs: what the app calls to chat, moderate chat and page through history.
 *
 * They run as the caller over chat_messages, whose triggers and policies hold every rule; the
 * RPCs add idempotency (send_message returns the stored message on a retry), "not found"
 * versus "not allowed" errors, and keyset pagination.
 */

create function public.send_message(
  p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid default null
) returns public.chat_messages
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.chat_messages;
begin
  -- Chat is ephemeral: commit without waiting for the WAL flush. A crash can lose at most the last
  -- ~0.6 s of acknowledged messages (3 x wal_writer_delay), never corrupt anything (decisions.md).
  perform set_config('synchronous_commit', 'off', true);
  if p_client_id is null then
    raise exception 'Every message needs a client id.' using errcode = '22023', hint = 'Send a fresh uuid v4 per message (and the same one on retry).';
  end if;
  insert into public.chat_messages (id, session_id, body, reply_to_id)
  values (p_client_id, p_session_id, p_body, p_reply_to_id)
  on conflict (id) do nothing
  returning * into v_row;
  if v_row is null then  -- a retry of a message already stored
    select * into v_row from public.chat_messages as c where c.id = p_client_id;
  end if;
  return v_row;
end
$$;
comment on function public.send_message(uuid, text, uuid, uuid) is
  E'Send a chat message. p_client_id is a uuid the app generates per message (v7 preferred: time-ordered ids '
  'index cheaply): retrying with the same id never '
  'creates a second message (the stored one is returned). Body is trimmed, 1-500 chars; @handles are resolved '
  'and notified. Returns the message (status ''held'' if a blocked term holds it for review).\n'
  'Errors: LOGIN; ANONY guests; MSGLN empty/too long; P0002 no session; ENDED; BANND; TMOUT (details.until); '
  'NOTIN join first; NOFLW followers-only; SUBSC subscribers-only; EMOTE emote-only; SLOWM slow mode '
  '(details.retry_after_seconds); RATEL too fast (details.retry_after_seconds); TERMS blocked term; '
  'IDCLS id used by another message; 22023 bad reply or missing id.\n'
  'Example: await supabase.rpc(''send_message'', { p_session_id: id, p_body: ''hi @dj_nova'', p_client_id: crypto.randomUUID() })';
grant execute on function public.send_message(uuid, text, uuid, uuid) to authenticated;

create function hidden.require_message_change(p_found boolean, p_message_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if not p_found then
    if exists (select 1 from public.chat_messages as c where c.id = p_message_id) then
      raise exception 'Only the author or a moderator can do that.' using errcode = '42501', hint = 'Report it instead.';
    end if;
    raise exception 'No such message.' using errcode = 'P0002', hint = 'Check the message id.';
  end if;
end
$$;
comment on function hidden.require_message_change(boolean, uuid) is
  'After an RLS-filtered message update: turn "nothing matched" into not-found (P0002) or not-allowed (42501).';
grant execute on function hidden.require_message_change(boolean, uuid) to authenticated;

create function public.delete_message(p_message_id uuid, p_reason text default null) returns public.chat_messages
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.chat_messages;
begin
  perform hidden.require_user();
  update public.chat_messages as c set status = 'deleted', delete_reason = p_reason
  where c.id = p_message_id
  returning * into v_row;
  perform hidden.require_message_change(v_row.id is not null, p_message_id);
  return v_row;
end
$$;
comment on function public.delete_message(uuid, text) is
  E'Delete a message: your own, or any in a room you moderate (with a reason; logged). Idempotent. Returns it.\n'
  'Errors: LOGIN; P0002; 42501.\n'
  'Example: await supabase.rpc(''delete_message'', { p_message_id: id, p_reason: ''spam'' })';
grant execute on function public.delete_message(uuid, text) to authenticated;

create function public.approve_message(p_message_id uuid) returns public.chat_messages
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.chat_messages;
begin
  perform hidden.require_user();
  update public.chat_messages as c set status = 'visible'
  where c.id = p_message_id
  returning * into v_row;
  perform hidden.require_message_change(v_row.id is not null, p_message_id);
  return v_row;
end
$$;
comment on function public.approve_message(uuid) is
  E'Release a held message to the room (moderators; logged). Returns it.\n'
  'Errors: LOGIN; P0002; 42501; STATE deleted.\n'
  'Example: await supabase.rpc(''approve_message'', { p_message_id: id })';
grant execute on function public.approve_message(uuid) to authenticated;

create function public.clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text default null)
returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only moderators can clear a user''s messages.' using errcode = '42501', hint = 'Report the user instead.';
  end if;
  update public.chat_messages as c set status = 'deleted', delete_reason = p_reason
  where c.session_id = p_session_id and c.author_id = p_user_id and c.status <> 'deleted';
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function public.clear_user_messages(uuid, uuid, text) is
  E'Delete all of a user''s messages in a session (moderators; each deletion is logged). Returns how many.\n'
  'Errors: LOGIN; 42501.\n'
  'Example: await supabase.rpc(''clear_user_messages'', { p_session_id: id, p_user_id: uid, p_reason: ''spam'' })';
grant execute on function public.clear_user_messages(uuid, uuid, text) to authenticated;

create function public.chat_history(
  p_session_id uuid, p_before_created_at timestamptz default null, p_before_id uuid default null,
  p_limit integer default 50
) returns setof public.chat_messages
language sql stable
set search_path = ''
as $$
  select c.* from public.chat_messages as c
  where c.session_id = p_session_id
    and (p_before_created_at is null or (c.created_at, c.id) < (p_before_created_at, coalesce(p_before_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff')))
  order by c.created_at desc, c.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200)
$$;
comment on function public.chat_history(uuid, timestamptz, uuid, integer) is
  E'A page of a session''s chat, newest first: pass the last row''s created_at and id for the next page. '
  'Only what the caller may see (no deleted or held messages unless theirs or they moderate; nothing across a block).\n'
  'Example: const { data } = await supabase.rpc(''chat_history'', { p_session_id: id, p_before_created_at: last?.created_at, p_before_id: last?.id })';
grant execute on function public.chat_history(uuid, timestamptz, uuid, integer) to authenticated;
