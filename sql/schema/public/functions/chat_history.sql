-- FUNCTION: chat_history(uuid, timestamp with time zone, uuid, integer)
CREATE FUNCTION public.chat_history(p_session_id uuid, p_before_created_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_before_id uuid DEFAULT NULL::uuid, p_limit integer DEFAULT 50) RETURNS SETOF public.chat_messages
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return query
  select c.* from public.chat_messages as c
  where c.session_id = p_session_id
    and (p_before_created_at is null or (c.created_at, c.id) < (p_before_created_at, coalesce(p_before_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff')))
  order by c.created_at desc, c.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200);
end
$$;

-- COMMENT: FUNCTION chat_history(p_session_id uuid, p_before_created_at timestamp with time zone, p_before_id uuid, p_limit integer)
COMMENT ON FUNCTION public.chat_history(p_session_id uuid, p_before_created_at timestamp with time zone, p_before_id uuid, p_limit integer) IS 'A page of a session''s chat, newest first: pass the last row''s created_at and id for the next page. Only what the caller may see (no deleted or held messages unless theirs or they moderate; nothing across a block).
Example: const { data } = await supabase.rpc(''chat_history'', { p_session_id: id, p_before_created_at: last?.created_at, p_before_id: last?.id })';

-- ACL: FUNCTION chat_history(p_session_id uuid, p_before_created_at timestamp with time zone, p_before_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION public.chat_history(p_session_id uuid, p_before_created_at timestamp with time zone, p_before_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.chat_history(p_session_id uuid, p_before_created_at timestamp with time zone, p_before_id uuid, p_limit integer) TO authenticated;
