-- FUNCTION: erase_account(uuid)
CREATE FUNCTION private.erase_account(p_user_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_phone text;
  v_handles text[];
begin
  select u.phone into v_phone from auth.users as u where u.id = p_user_id;
  -- Other people's messages that mention them: the mention and the @handle go.
  select array_agg(distinct m.handle) into v_handles
  from (
    select d.handle from private.account_deletions as d where d.user_id = p_user_id
    union all
    select l.payload -> 'data' ->> 'author_handle' from private.realtime_log as l
    where l.event = 'chat.message' and l.payload -> 'data' ->> 'author_id' = p_user_id::text
  ) as m(handle)
  where m.handle ~ '^[a-z0-9_]{3,30}$';
  update public.chat_messages as c
  set mentions = array_remove(c.mentions, p_user_id),
    body = case
      when v_handles is null then c.body
      else regexp_replace(c.body, '@(' || array_to_string(v_handles, '|') || ')\M', '@deleted', 'gi')
    end
  where p_user_id = any (c.mentions);
  update public.session_plays as s set requested_by = null where s.requested_by = p_user_id;
  -- Others' feed items about them (followed you, mentioned you) would keep their handle or id.
  delete from public.notifications as n where n.actor_id = p_user_id;
  -- Realtime: their personal topic, and logged or waiting events that name them (24 h at most).
  delete from private.realtime_topics as t where t.topic = 'user:' || p_user_id;
  delete from private.realtime_log as l where l.topic = 'user:' || p_user_id or strpos(l.payload::text, p_user_id::text) > 0;
  delete from private.realtime_buffer as b where strpos(b.data::text, p_user_id::text) > 0;
  delete from private.sms_sends as m where m.user_id = p_user_id or m.phone = '+' || v_phone;
  delete from auth.users as u where u.id = p_user_id;
end
$_$;

-- COMMENT: FUNCTION erase_account(p_user_id uuid)
COMMENT ON FUNCTION private.erase_account(p_user_id uuid) IS 'Erase what remains of a user after delete_my_account, ending with their auth.users row.';

-- ACL: FUNCTION erase_account(p_user_id uuid)
REVOKE ALL ON FUNCTION private.erase_account(p_user_id uuid) FROM PUBLIC;
