-- FUNCTION: chat_since(uuid, timestamp with time zone, uuid, integer)
CREATE FUNCTION public.chat_since(p_session_id uuid, p_after_created_at timestamp with time zone, p_after_id uuid DEFAULT NULL::uuid, p_limit integer DEFAULT 100) RETURNS SETOF public.chat_messages
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return query
  select c.* from public.chat_messages as c
  where c.session_id = p_session_id
    and (c.created_at, c.id) > (p_after_created_at, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'))
  order by c.created_at, c.id
  limit least(greatest(coalesce(p_limit, 100), 1), 200);
end
$$;

-- COMMENT: FUNCTION chat_since(p_session_id uuid, p_after_created_at timestamp with time zone, p_after_id uuid, p_limit integer)
COMMENT ON FUNCTION public.chat_since(p_session_id uuid, p_after_created_at timestamp with time zone, p_after_id uuid, p_limit integer) IS 'A session''s chat after a message, oldest first (pass the last message you have; page with the last row): what a tick counted in chat_omitted. Only what the caller may see, as chat_history.
Example: const { data } = await supabase.rpc(''chat_since'', { p_session_id: id, p_after_created_at: last.created_at, p_after_id: last.id })';

-- ACL: FUNCTION chat_since(p_session_id uuid, p_after_created_at timestamp with time zone, p_after_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION public.chat_since(p_session_id uuid, p_after_created_at timestamp with time zone, p_after_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.chat_since(p_session_id uuid, p_after_created_at timestamp with time zone, p_after_id uuid, p_limit integer) TO authenticated;
