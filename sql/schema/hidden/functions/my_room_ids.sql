-- FUNCTION: my_room_ids()
CREATE FUNCTION hidden.my_room_ids() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- Three index lookups (no OR across tables: that would scan every session).
  return query
  select m.session_id from public.session_members as m where m.user_id = auth.uid()
  union
  select s.id from public.dj_sessions as s where s.dj_id = auth.uid()
  union
  select s.id from public.dj_moderators as d
  join public.dj_sessions as s on s.dj_id = d.dj_id
  where d.user_id = auth.uid();
end
$$;

-- COMMENT: FUNCTION my_room_ids()
COMMENT ON FUNCTION hidden.my_room_ids() IS 'Sessions the caller is or was a member of, hosts, or moderates: whose members and chat they may read.';

-- ACL: FUNCTION my_room_ids()
REVOKE ALL ON FUNCTION hidden.my_room_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_room_ids() TO authenticated;
GRANT ALL ON FUNCTION hidden.my_room_ids() TO service_role;
