-- FUNCTION: prune_chat(integer)
CREATE FUNCTION private.prune_chat(p_max integer) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_session uuid;
  v_count integer;
  v_total integer := 0;
begin
  for v_session in
    select s.id from public.dj_sessions as s
    where s.status = 'ended'
      and s.ended_at < now() - make_interval(days => (hidden.setting('retention_chat_days'))::integer)
      and not exists (select 1 from private.pruned_session_chats as p where p.session_id = s.id)
    order by s.ended_at
  loop
    v_count := private.prune_batched($sql$
      delete from public.chat_messages as d where d.id in (
        select m.id from public.chat_messages as m
        where m.session_id = $2
          and not exists (select 1 from public.reports as r where r.target_message_id = m.id)
          and not exists (select 1 from public.moderation_log as l where l.target_message_id = m.id)
        limit $1
      )
    $sql$, p_max - v_total, v_session);
    v_total := v_total + v_count;
    exit when v_total >= p_max;  -- this session may have more: the next run goes on with it
    insert into private.pruned_session_chats (session_id) values (v_session);
  end loop;
  return v_total;
end
$_$;

-- COMMENT: FUNCTION prune_chat(p_max integer)
COMMENT ON FUNCTION private.prune_chat(p_max integer) IS 'Delete chat lines of sessions ended retention_chat_days ago, except lines a report or moderation-log entry names, at most p_max; sessions left with protected lines only are noted as pruned. Returns the lines deleted.';

-- ACL: FUNCTION prune_chat(p_max integer)
REVOKE ALL ON FUNCTION private.prune_chat(p_max integer) FROM PUBLIC;
