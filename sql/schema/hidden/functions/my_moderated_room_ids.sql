-- FUNCTION: my_moderated_room_ids()
CREATE FUNCTION hidden.my_moderated_room_ids() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return query
  select s.id from public.dj_sessions as s where s.dj_id = auth.uid()
  union
  select s.id from public.dj_moderators as d
  join public.dj_sessions as s on s.dj_id = d.dj_id
  where d.user_id = auth.uid()
  union
  select m.session_id from public.session_members as m
  where m.user_id = auth.uid() and m.role = 'cohost' and m.left_at is null;
end
$$;

-- COMMENT: FUNCTION my_moderated_room_ids()
COMMENT ON FUNCTION hidden.my_moderated_room_ids() IS 'Sessions the caller may moderate (DJ, the DJ''s moderator, present co-host).';

-- ACL: FUNCTION my_moderated_room_ids()
REVOKE ALL ON FUNCTION hidden.my_moderated_room_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_moderated_room_ids() TO authenticated;
GRANT ALL ON FUNCTION hidden.my_moderated_room_ids() TO service_role;
